import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { Problem, throwIfProblems } from "../errors";
import { GITHUB_OWNER, GITHUB_REPO } from "../patterns";
import { DeliverySettings, REQUIRED_CHECKS, workflowFiles } from "./workflows";

export interface RepositoryArgs {
    /** GitHub owner (user or organisation). @example "acme" */
    readonly owner: string;
    /** Repository name. @example "shop" */
    readonly repo: string;
    /** What the generated workflows do; see `DeliverySettings`. */
    readonly delivery: DeliverySettings;
    /** Actions variables for the deploy workflow (name → value), set in `delivery.environment` or, without one, on the repository. */
    readonly variables: Record<string, pulumi.Input<string>>;
    /** GitHub users who must approve deployments to `delivery.environment`. @default [] (required for "production") @example ["ana", "bo"] */
    readonly reviewers?: string[];
    /** Own repository-wide settings: default-branch protection and the ci/preview workflows. @default true */
    readonly manageRepository?: boolean;
    /** Approving reviews a pull request to the default branch needs. @default 1 */
    readonly requiredApprovals?: number;
}

function validate(name: string, args: RepositoryArgs): void {
    const key = (arg: string) => `Repository(${name}).${arg}`;
    const problems: Problem[] = [];
    if (!GITHUB_OWNER.test(args.owner)) problems.push({ key: key("owner"), value: args.owner, allowed: "a GitHub user or organisation name" });
    if (!GITHUB_REPO.test(args.repo)) problems.push({ key: key("repo"), value: args.repo, allowed: "a repository name (letters, digits, . _ -)" });
    for (const r of args.reviewers ?? []) if (!GITHUB_OWNER.test(r)) problems.push({ key: key("reviewers"), value: r, allowed: "GitHub usernames (without @)" });
    if (args.delivery.environment === "production" && (args.reviewers ?? []).length === 0) {
        problems.push({ key: key("reviewers"), value: [], allowed: "at least one GitHub user who approves production deployments" });
    }
    const approvals = args.requiredApprovals ?? 1;
    if (!Number.isInteger(approvals) || approvals < 0 || approvals > 6) problems.push({ key: key("requiredApprovals"), value: approvals, allowed: "a whole number from 0 to 6" });
    throwIfProblems(`Invalid arguments for runway:github:Repository "${name}"`, problems);
}

/**
 * The app repository as a tier needs it: Actions variables for keyless deploys, a deployment
 * environment (reviewers, only its branch may deploy), default-branch protection requiring the
 * scan and test checks, and the generated ci/deploy/preview workflows as files.
 *
 * @example
 * new github.Repository("repo", { owner: "acme", repo: "shop", delivery, reviewers: ["ana"],
 *     variables: { RUNWAY_WIF_PROVIDER: ci.providerName } });
 */
export class Repository extends pulumi.ComponentResource {
    public readonly provider: github.Provider;
    public readonly environment?: github.RepositoryEnvironment;
    public readonly branchProtection?: github.BranchProtection;
    /** Path → managed workflow file. */
    public readonly workflowFiles: Record<string, github.RepositoryFile> = {};

    constructor(name: string, args: RepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:github:Repository", name, {}, opts);
        validate(name, args);
        const { delivery } = args;
        // The provider reads GITHUB_TOKEN (or `gh auth token`) from where Pulumi runs.
        this.provider = new github.Provider(`${name}-provider`, { owner: args.owner }, { parent: this });
        const child = { parent: this, provider: this.provider };

        if (delivery.environment) {
            this.environment = this.createEnvironment(name, args, delivery.environment, child);
        }
        for (const [variableName, value] of Object.entries(args.variables)) {
            const id = `${name}-var-${variableName.toLowerCase().replace(/_/g, "-")}`;
            if (this.environment) {
                new github.ActionsEnvironmentVariable(id, { repository: args.repo, environment: this.environment.environment, variableName, value }, child);
            } else {
                new github.ActionsVariable(id, { repository: args.repo, variableName, value }, child);
            }
        }

        const manageRepository = args.manageRepository ?? true;
        if (manageRepository) {
            this.branchProtection = new github.BranchProtection(`${name}-default-branch`, {
                repositoryId: args.repo,
                pattern: delivery.defaultBranch,
                enforceAdmins: true,
                allowsForcePushes: false,
                allowsDeletions: false,
                requiredStatusChecks: [{ strict: true, contexts: [...REQUIRED_CHECKS] }],
                requiredPullRequestReviews: [{ requiredApprovingReviewCount: args.requiredApprovals ?? 1, dismissStaleReviews: true }],
            }, child);
        }
        for (const [file, content] of Object.entries(workflowFiles(delivery, manageRepository))) {
            const id = `${name}-${file.replace(/^\.github\/workflows\//, "workflow-").replace(/\.ya?ml$/, "")}`;
            this.workflowFiles[file] = new github.RepositoryFile(id, {
                repository: args.repo,
                branch: delivery.defaultBranch,
                file,
                content,
                commitMessage: `Runway: update ${file}`,
                overwriteOnCreate: true,
            }, child);
        }
        this.registerOutputs({ workflowFiles: Object.keys(this.workflowFiles) });
    }

    private createEnvironment(name: string, args: RepositoryArgs, environment: string, child: pulumi.CustomResourceOptions): github.RepositoryEnvironment {
        const reviewerIds = (args.reviewers ?? []).map((username) =>
            github.getUserOutput({ username }, { parent: this, provider: this.provider }).id.apply((id) => Number(id)));
        const env = new github.RepositoryEnvironment(`${name}-environment`, {
            repository: args.repo,
            environment,
            preventSelfReview: reviewerIds.length > 1,
            canAdminsBypass: false,
            ...(reviewerIds.length > 0 ? { reviewers: [{ users: reviewerIds }] } : {}),
            deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
        }, child);
        // Only the tier's branch may deploy to the environment (and so obtain its OIDC subject).
        new github.RepositoryEnvironmentDeploymentPolicy(`${name}-environment-branch`, {
            repository: args.repo, environment: env.environment, branchPattern: args.delivery.deployBranch,
        }, child);
        return env;
    }
}
