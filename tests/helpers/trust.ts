/** The trust simulator over Runway's own stacks: a repository's plans and the workflow files they commit. */
import { parse } from "yaml";
import { RepositoryIdentity } from "../../rules/trust/github";
import { JobRun, PlannedStack, simulate, simulatedEvents, trustModel, TrustModel, Workflow } from "../../rules/trust/simulator";
import { planStack } from "./plans";

/** The example stacks' repository (`runway:githubRepository`, `runway:githubOwnerId`, `runway:githubRepositoryId`). */
export const EXAMPLE_REPOSITORY: RepositoryIdentity = {
    owner: "example-org",
    repo: "example-app",
    ownerId: "1000001",
    repositoryId: "2000002",
    defaultBranch: "main",
};

/** The same names with other IDs: the repository renamed away and its old name taken by someone else. */
export const NAME_SQUATTER: RepositoryIdentity = { ...EXAMPLE_REPOSITORY, ownerId: "9000009", repositoryId: "9100091" };

export const AWS = { "runway:cloud": "aws", "aws:region": "us-east-1" };
/** The example staging stack file is a GCP one: on AWS it needs an allow-list instead of IAP members. */
export const AWS_STAGING = { ...AWS, "runway:allowedCidrs": JSON.stringify(["203.0.113.0/24"]), "runway:iapMembers": "[]" };

/** The workflow files a plan commits to the repository, parsed. */
export function workflowsOf(plans: readonly PlannedStack[]): Workflow[] {
    return plans.flatMap((p) =>
        p.resources
            .filter(
                (r) => r.type === "github:index/repositoryFile:RepositoryFile" && String(r.inputs.file).startsWith(".github/workflows/"),
            )
            .map((r) => ({ path: String(r.inputs.file), doc: parse(String(r.inputs.content)) })),
    );
}

export interface Repository {
    readonly label: string;
    readonly plans: PlannedStack[];
    readonly model: TrustModel;
    readonly runs: JobRun[];
}

const views = new Map<string, Promise<Repository>>();

/** One repository's view: its stacks planned offline, the trust model and every job × event × `sub` spelling (computed once per label). */
export function repositoryView(
    label: string,
    stacks: readonly (readonly [string, Record<string, string>])[],
    repository: RepositoryIdentity = EXAMPLE_REPOSITORY,
): Promise<Repository> {
    const key = JSON.stringify([label, stacks, repository]);
    if (!views.has(key)) views.set(key, buildView(label, stacks, repository));
    return views.get(key)!;
}

async function buildView(
    label: string,
    stacks: readonly (readonly [string, Record<string, string>])[],
    repository: RepositoryIdentity,
): Promise<Repository> {
    // One at a time: the offline plan runs one program per process at once.
    const plans: PlannedStack[] = [];
    for (const [stack, config] of stacks) plans.push({ stack, resources: (await planStack(stack, config)).document.resources });
    const model = trustModel(plans, workflowsOf(plans));
    return { label, plans, model, runs: simulate(model, repository, simulatedEvents(repository.defaultBranch, ["staging"])) };
}

/** The Kubernetes runtime (GKE Autopilot, EKS). */
export const KUBERNETES = { "runway:runtime": "kubernetes" };

/** Managed database and cache (on Kubernetes: in the cluster's network, reached from the pods). */
export const MANAGED_DATA = { "runway:database": "managed", "runway:cache": "managed" };

/** A reviewer for stacks whose example file has none: the stack then creates its previewer. */
const REVIEWED = { "runway:githubReviewers": JSON.stringify(["example-reviewer"]) };

/**
 * The repositories Runway's example stacks make: solo alone, staging + production together, on each
 * cloud; with and without a previewer (GCP solo and AWS staging have no reviewer, so no previewer).
 * AWS solo is the stack `aws-solo` (as `runway-iac init` names it): a stack not named after its tier.
 */
export const REPOSITORIES: readonly (readonly [string, readonly (readonly [string, Record<string, string>])[]])[] = [
    ["gcp solo", [["solo", {}]]],
    [
        "gcp staging + production",
        [
            ["staging", REVIEWED],
            ["production", {}],
        ],
    ],
    ["aws solo", [["aws-solo", REVIEWED]]],
    [
        "aws staging + production",
        [
            ["staging", AWS_STAGING],
            ["production", AWS],
        ],
    ],
    // runway:runtime kubernetes: GKE production (its example file has reviewers); EKS staging (allow-listed: no smoke
    // test from the runner) with production, which owns the repository's preview workflow and has managed data.
    ["gcp kubernetes production", [["production", KUBERNETES]]],
    [
        "aws kubernetes staging + production",
        [
            ["staging", { ...AWS_STAGING, ...KUBERNETES }],
            ["production", { ...AWS, ...KUBERNETES, ...MANAGED_DATA }],
        ],
    ],
];

/** A run as one line, for failure messages. */
export function describeRun(run: JobRun): string {
    const e = run.event;
    const event = `${e.name}${e.fork ? " (fork)" : ""}${e.actor ? ` by ${e.actor}` : ""} ${e.branch}`;
    return `${run.workflow} ${run.job}${run.environment ? ` [${run.environment}]` : ""} on ${event} (${run.format}) → ${run.reached.map((i) => `${i.stack}/${i.name}`).join(", ") || "nothing"}`;
}
