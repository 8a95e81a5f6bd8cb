/** The app repository's wiring shared by every composition: the repository as CI trusts it, the delivery settings, the Repository. */
import * as pulumi from "@pulumi/pulumi";
import * as github from "../components/github";
import type { StackSpec } from "./config";

/** The app repository's settings as the spec resolved them. */
export type GithubSpec = NonNullable<StackSpec["github"]>;

/** The repository as the CI identities trust it: names and immutable IDs. */
export function repositoryOf(gh: GithubSpec) {
    return { owner: gh.owner, repo: gh.repo, ownerId: gh.ownerId ?? "", repositoryId: gh.repositoryId };
}

/** What a cloud hands the app repository: the deploy target, its variables, and the previewer's (in the stack's preview environment). */
export interface DeliveryWiring {
    readonly target: github.DeployKind;
    readonly variables: Record<string, pulumi.Input<string>>;
    readonly previewVariables?: Record<string, pulumi.Input<string>>;
    readonly smokeTest?: github.DeliverySettings["smokeTest"];
    readonly edgeCheck?: github.DeliverySettings["edgeCheck"];
}

/** What the generated workflows do for this stack (pure: the deployer's grants are derived from it too). */
export function deliverySettings(
    cfg: StackSpec,
    gh: GithubSpec,
    wiring: Pick<DeliveryWiring, "target" | "smokeTest" | "edgeCheck">,
): github.DeliverySettings {
    const { delivery } = gh;
    return {
        tier: cfg.tier,
        stack: gh.stack,
        defaultBranch: gh.defaultBranch,
        deployBranch: delivery.deployBranch,
        environment: delivery.environment,
        appDirectory: gh.appDirectory,
        dockerfile: gh.dockerfile,
        infraDirectory: gh.infraDirectory,
        previewStacks: delivery.previewStacks,
        healthPath: cfg.service.healthPath,
        nodeVersion: "24",
        smokeTest: wiring.smokeTest,
        edgeCheck: wiring.edgeCheck,
        target: wiring.target,
        // Cloud Run and ECS run the release steps; Lambda (AWS solo) has neither (the config refuses both
        // there), only the dashboard link, as every serverless stack plans a dashboard.
        ...(wiring.target === "cloud-run" || wiring.target === "ecs"
            ? {
                  release: {
                      migration: cfg.release.migrationCommand !== undefined,
                      ...(cfg.release.canary ? { canary: cfg.release.canary } : {}),
                      dashboard: true,
                  },
              }
            : wiring.target === "lambda"
              ? { release: { dashboard: true } }
              : {}),
    };
}

/** The app repository for either cloud: deploy workflow, environment and variables for this tier (and, for the owning tier, protection, CI, preview, dependabot). */
export function createRepository(cfg: StackSpec, wiring: DeliveryWiring): github.Repository | undefined {
    const gh = cfg.github;
    if (!gh) return undefined;
    const { delivery } = gh;
    return new github.Repository("github", {
        owner: gh.owner,
        repo: gh.repo,
        reviewers: gh.reviewers,
        visibility: gh.visibility,
        plan: gh.plan,
        manageRepository: delivery.managesRepository,
        requiredApprovals: delivery.requiredApprovals,
        delivery: deliverySettings(cfg, gh, wiring),
        variables: wiring.variables,
        ...(wiring.previewVariables && gh.previewEnvironment
            ? { preview: { environment: gh.previewEnvironment, variables: wiring.previewVariables } }
            : {}),
    });
}
