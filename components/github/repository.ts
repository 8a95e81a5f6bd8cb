import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { Problem, throwIfProblems } from "../../rules/problems";
import { GITHUB_OWNER, GITHUB_REPO, STACK_NAME } from "../../rules/patterns";
import { compareUrl, workflowsBranch } from "./delivery";
import { workflowFiles } from "./files";
import { DeliverySettings, REQUIRED_CHECKS, deliveryStack } from "./workflows";
import { GithubPlan, GithubVisibility, featuresOf, planProblem } from "../../rules/github";
import { isTier, profileFor } from "../../rules/profile";

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
    /** Approving reviews a pull request to the default branch (and, with `protectDeployBranch`, to the deploy branch) needs. @default 1 */
    readonly requiredApprovals?: number;
    /**
     * Protect the deploy branch when it is not the default branch (staging): changes arrive only by
     * pull request with `requiredApprovals` reviews, no force push, no deletion, admins included.
     * Without it, anyone who may push to that branch deploys whatever workflow they push, as the
     * deployer. @default true
     */
    readonly protectDeployBranch?: boolean;
    /** Repository-level Actions variables, set only when `manageRepository`. @default {} */
    readonly repositoryVariables?: Record<string, pulumi.Input<string>>;
    /**
     * The environment this stack's real `pulumi preview` runs in: `reviewers` must approve each pull
     * request's run before GitHub issues the token its read-only previewer trusts; every ref may use
     * it (a pull request runs on `refs/pull/<n>/merge`); its `variables` tell the preview job which
     * identity to use. Needs at least one reviewer.
     * @default none: pull requests get the offline plan only
     * @example { environment: "runway-preview-production", variables: { RUNWAY_PREVIEW_SERVICE_ACCOUNT: previewerEmail } }
     */
    readonly preview?: { readonly environment: string; readonly variables: Record<string, pulumi.Input<string>> };
    /**
     * The repository's visibility: with it, settings GitHub does not sell this repository are refused
     * before anything is created (rules/github.ts). @default none: not checked
     */
    readonly visibility?: GithubVisibility;
    /** The plan of the repository's owner (needed with a private or internal `visibility`). @default "free" */
    readonly plan?: GithubPlan;
}

function validate(name: string, args: RepositoryArgs): void {
    const key = (arg: string) => `Repository(${name}).${arg}`;
    const problems: Problem[] = [];
    if (!GITHUB_OWNER.test(args.owner))
        problems.push({ key: key("owner"), value: args.owner, allowed: "a GitHub user or organisation name" });
    if (!GITHUB_REPO.test(args.repo))
        problems.push({ key: key("repo"), value: args.repo, allowed: "a repository name (letters, digits, . _ -)" });
    for (const r of args.reviewers ?? [])
        if (!GITHUB_OWNER.test(r)) problems.push({ key: key("reviewers"), value: r, allowed: "GitHub usernames (without @)" });
    const stacks = [
        ...(args.delivery.stack !== undefined ? [["delivery.stack", args.delivery.stack]] : []),
        ...args.delivery.previewStacks.map((s) => ["delivery.previewStacks", s]),
    ];
    for (const [arg, stack] of stacks)
        if (!STACK_NAME.test(stack)) problems.push({ key: key(arg), value: stack, allowed: "Pulumi stack names (letters, digits, . _ -)" });
    if (isTier(args.delivery.tier) && profileFor(args.delivery.tier).delivery.reviewersRequired && (args.reviewers ?? []).length === 0) {
        problems.push({
            key: key("reviewers"),
            value: [],
            allowed: `at least one GitHub user who approves ${args.delivery.tier} deployments`,
        });
    }
    if (args.preview !== undefined && (args.reviewers ?? []).length === 0)
        problems.push({
            key: key("reviewers"),
            value: [],
            allowed: `at least one GitHub user who approves each pull request's preview in ${args.preview.environment} (or no preview)`,
        });
    problems.push(...availabilityProblems(name, args));
    const approvals = args.requiredApprovals ?? 1;
    if (!Number.isInteger(approvals) || approvals < 0 || approvals > 6)
        problems.push({ key: key("requiredApprovals"), value: approvals, allowed: "a whole number from 0 to 6" });
    throwIfProblems(`Invalid arguments for runway:github:Repository "${name}"`, problems);
}

/** Settings this repository's delivery creates that GitHub does not sell it (none when `visibility` is not given). */
function availabilityProblems(name: string, args: RepositoryArgs): Problem[] {
    if (args.visibility === undefined) return [];
    const reviewers = (args.reviewers ?? []).length > 0;
    const features = featuresOf({
        protectsDefaultBranch: args.manageRepository ?? true,
        protectsDeployBranch: protectsDeployBranch(args),
        environments: args.delivery.environment !== undefined || args.preview !== undefined,
        reviewers: reviewers && (args.delivery.environment !== undefined || args.preview !== undefined),
    });
    const problem = planProblem(features, args.visibility, args.plan ?? "free");
    return problem === undefined ? [] : [{ key: `Repository(${name}).plan`, value: args.plan ?? "free", allowed: problem }];
}

/** The deploy branch is not the default branch, and the stack protects it. */
function protectsDeployBranch(args: RepositoryArgs): boolean {
    return (args.protectDeployBranch ?? true) && args.delivery.deployBranch !== args.delivery.defaultBranch;
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
    /** The environment real previews of this stack run in (when `preview`). */
    public readonly previewEnvironment?: github.RepositoryEnvironment;
    public readonly branchProtection?: github.BranchProtection;
    /** Protection of the deploy branch when it is not the default branch (staging). */
    public readonly deployBranchProtection?: github.BranchProtection;
    /** The branch the workflow files are committed to (`runway/workflows-<stack>-<digest of the files>`). */
    public readonly workflowsBranch: github.Branch;
    /** Path → managed file on `workflowsBranch`. */
    public readonly workflowFiles: Record<string, github.RepositoryFile> = {};
    /** Opens the pull request that brings the workflow files into the default branch. */
    public readonly pullRequestUrl: string;

    constructor(name: string, args: RepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:github:Repository", name, {}, opts);
        validate(name, args);
        const delivery: DeliverySettings = {
            ...args.delivery,
            reviewedDeploy: args.delivery.reviewedDeploy ?? (args.delivery.environment !== undefined && (args.reviewers ?? []).length > 0),
        };
        const manageRepository = args.manageRepository ?? true;
        // The provider reads GITHUB_TOKEN (or `gh auth token`) from where Pulumi runs.
        this.provider = new github.Provider(`${name}-provider`, { owner: args.owner }, { parent: this });
        const child = { parent: this, provider: this.provider };

        const reviewerIds = (args.reviewers ?? []).map((username) =>
            github.getUserOutput({ username }, { parent: this, provider: this.provider }).id.apply((id) => Number(id)),
        );
        if (delivery.environment) this.environment = this.createEnvironment(name, args, delivery.environment, reviewerIds, child);
        this.createVariables(name, args.repo, args.variables, this.environment, child);
        if (args.preview) {
            this.previewEnvironment = this.createPreviewEnvironment(name, args, args.preview.environment, reviewerIds, child);
            this.createVariables(`${name}-preview`, args.repo, args.preview.variables, this.previewEnvironment, child);
        }
        if (manageRepository) {
            this.createVariables(`${name}-repo`, args.repo, args.repositoryVariables ?? {}, undefined, child);
            this.branchProtection = this.protectDefaultBranch(name, args, child);
        }
        if (protectsDeployBranch(args)) this.deployBranchProtection = this.protectDeployBranch(name, args, child);
        const files = workflowFiles(delivery, manageRepository);
        const branch = workflowsBranch(deliveryStack(delivery), files);
        this.workflowsBranch = this.createWorkflowsBranch(name, args, branch, child);
        for (const [file, content] of Object.entries(files)) {
            this.workflowFiles[file] = this.createFile(name, args.repo, branch, file, content, {
                ...child,
                dependsOn: [this.workflowsBranch],
            });
        }
        this.pullRequestUrl = compareUrl(args.owner, args.repo, delivery.defaultBranch, branch);
        this.registerOutputs({ workflowFiles: Object.keys(this.workflowFiles), pullRequestUrl: this.pullRequestUrl });
    }

    /** Actions variables in the environment when there is one, else on the repository. */
    private createVariables(
        name: string,
        repository: string,
        variables: Record<string, pulumi.Input<string>>,
        env: github.RepositoryEnvironment | undefined,
        child: pulumi.CustomResourceOptions,
    ): void {
        for (const [variableName, value] of Object.entries(variables)) {
            const id = `${name}-var-${variableName.toLowerCase().replace(/_/g, "-")}`;
            if (env) new github.ActionsEnvironmentVariable(id, { repository, environment: env.environment, variableName, value }, child);
            else new github.ActionsVariable(id, { repository, variableName, value }, child);
        }
    }

    /** Pull requests only, the required checks green, reviews as configured, for admins too. */
    private protectDefaultBranch(name: string, args: RepositoryArgs, child: pulumi.CustomResourceOptions): github.BranchProtection {
        return new github.BranchProtection(
            `${name}-default-branch`,
            {
                repositoryId: args.repo,
                pattern: args.delivery.defaultBranch,
                enforceAdmins: true,
                allowsForcePushes: false,
                allowsDeletions: false,
                requiredStatusChecks: [{ strict: true, contexts: [...REQUIRED_CHECKS] }],
                requiredPullRequestReviews: [{ requiredApprovingReviewCount: args.requiredApprovals ?? 1, dismissStaleReviews: true }],
            },
            child,
        );
    }

    /**
     * The deploy branch (staging), which its environment admits: a push there runs that push's own
     * workflow files with the environment's deployer, so only reviewed pull requests may change it.
     * No required checks: the ci workflow belongs to another stack, and the deploy workflow scans
     * before it deploys.
     */
    private protectDeployBranch(name: string, args: RepositoryArgs, child: pulumi.CustomResourceOptions): github.BranchProtection {
        return new github.BranchProtection(
            `${name}-deploy-branch`,
            {
                repositoryId: args.repo,
                pattern: args.delivery.deployBranch,
                enforceAdmins: true,
                allowsForcePushes: false,
                allowsDeletions: false,
                requiredPullRequestReviews: [{ requiredApprovingReviewCount: args.requiredApprovals ?? 1, dismissStaleReviews: true }],
            },
            child,
        );
    }

    /**
     * The branch this stack's files go to, created from the default branch's tip. A new set of files
     * is a new branch (`workflowsBranch` names it by their digest): Pulumi replaces the branch
     * (`replaceOnChanges`: the provider would otherwise rename the old one, keeping its stale history)
     * and never deletes the old one (`retainOnDelete`: after its pull request merged, GitHub may
     * already have deleted it). No protection: a merged branch may be deleted like any other.
     */
    private createWorkflowsBranch(name: string, args: RepositoryArgs, branch: string, child: pulumi.CustomResourceOptions): github.Branch {
        return new github.Branch(
            `${name}-workflows-branch`,
            { repository: args.repo, branch, sourceBranch: args.delivery.defaultBranch },
            { ...child, replaceOnChanges: ["branch"], retainOnDelete: true },
        );
    }

    private createFile(
        name: string,
        repository: string,
        branch: string,
        file: string,
        content: string,
        opts: pulumi.CustomResourceOptions,
    ): github.RepositoryFile {
        const id = `${name}-${file
            .replace(/^\.github\/workflows\//, "workflow-")
            .replace(/^\.github\//, "")
            .replace(/\.ya?ml$/, "")}`;
        return new github.RepositoryFile(
            id,
            {
                repository,
                branch,
                file,
                content,
                commitMessage: `Runway: update ${file}`,
                overwriteOnCreate: true,
            },
            // A new branch replaces the file; the old copy stays on the old branch (deleting it would commit to a branch that may be gone).
            { ...opts, retainOnDelete: true },
        );
    }
    /**
     * Where this stack's real previews run: any ref may use it (pull requests run on their merge ref),
     * but only after a reviewer approves the run; with two or more reviewers, not the person who
     * triggered it. Admins cannot skip the approval.
     */
    private createPreviewEnvironment(
        name: string,
        args: RepositoryArgs,
        environment: string,
        reviewerIds: pulumi.Output<number>[],
        child: pulumi.CustomResourceOptions,
    ): github.RepositoryEnvironment {
        return new github.RepositoryEnvironment(
            `${name}-preview-environment`,
            reviewedEnvironment(args.repo, environment, reviewerIds, reviewerIds.length > 1),
            child,
        );
    }

    private createEnvironment(
        name: string,
        args: RepositoryArgs,
        environment: string,
        reviewerIds: pulumi.Output<number>[],
        child: pulumi.CustomResourceOptions,
    ): github.RepositoryEnvironment {
        if (reviewerIds.length === 1)
            pulumi.log.warn(
                `${environment}: with one reviewer (${args.reviewers![0]}), GitHub cannot also prevent self-review (whoever merged or dispatched could then never approve, and the deploy would wait 30 days and fail), so that reviewer may approve their own deployments. Add a second runway:githubReviewers entry to require someone else's approval.`,
                this,
            );
        const env = new github.RepositoryEnvironment(
            `${name}-environment`,
            {
                // With two or more reviewers, whoever started the run never approves its deployment. With one,
                // "prevent self-review" would block every deploy that reviewer started: "you will not be able to
                // approve a deployment from a workflow run you initiated" (docs.github.com, "Reviewing deployments").
                ...reviewedEnvironment(args.repo, environment, reviewerIds, reviewerIds.length > 1),
                deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
            },
            child,
        );
        // Only the tier's branch may deploy to the environment (and so obtain its OIDC subject).
        new github.RepositoryEnvironmentDeploymentPolicy(
            `${name}-environment-branch`,
            {
                repository: args.repo,
                environment: env.environment,
                branchPattern: args.delivery.deployBranch,
            },
            child,
        );
        return env;
    }
}

/** An environment whose reviewers (if any) approve each run, which admins cannot skip. */
function reviewedEnvironment(
    repository: string,
    environment: string,
    reviewerIds: pulumi.Output<number>[],
    preventSelfReview: boolean,
): github.RepositoryEnvironmentArgs {
    return {
        repository,
        environment,
        preventSelfReview,
        canAdminsBypass: false,
        ...(reviewerIds.length > 0 ? { reviewers: [{ users: reviewerIds }] } : {}),
    };
}
