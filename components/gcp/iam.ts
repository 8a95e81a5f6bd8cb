/** Pure IAM strings for GitHub Actions Workload Identity Federation. */
import { GITHUB_OWNER, GITHUB_REPO } from "../../rules/patterns";
import { RunwayInputError } from "../../rules/problems";
import { githubPullRequestSubject, githubSubject } from "../../rules/oidc";
import { DeployTarget } from "../../rules/profile";

export { DeployTarget, githubPullRequestSubject, githubSubject };

/** GitHub's OIDC issuer. */
export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";

/** Claims mapped from the GitHub token into Google attributes. */
export const GITHUB_ATTRIBUTE_MAPPING: Readonly<Record<string, string>> = {
    "google.subject": "assertion.sub",
    "attribute.repository": "assertion.repository",
    "attribute.repository_owner": "assertion.repository_owner",
    "attribute.ref": "assertion.ref",
    "attribute.environment": "assertion.environment",
};

/**
 * The provider's attributeCondition: only tokens from this one repository are accepted.
 * @example githubAttributeCondition("acme", "shop") ===
 *   "assertion.repository_owner == 'acme' && assertion.repository == 'acme/shop'"
 */
export function githubAttributeCondition(owner: string, repo: string): string {
    if (!GITHUB_OWNER.test(owner) || !GITHUB_REPO.test(repo)) {
        throw new RunwayInputError("Invalid GitHub repository", [
            { key: "repository", value: `${owner}/${repo}`, allowed: "owner/repo as on GitHub, e.g. acme/shop" },
        ]);
    }
    return `assertion.repository_owner == '${owner}' && assertion.repository == '${owner}/${repo}'`;
}

/**
 * Project roles of the previewer that `pulumi preview` runs as on pull requests: predefined
 * viewer-level roles of the services a Runway stack reads (never the primitive roles/viewer, and
 * none that reads data: no secret versions, no object contents). `roles/browser` covers the
 * project lookup (resourcemanager.projects.get) the Monitoring component makes. The only
 * project-level grants a Runway stack makes.
 */
export const PREVIEWER_ROLES: readonly string[] = [
    "roles/browser",
    "roles/run.viewer",
    "roles/secretmanager.viewer",
    "roles/iam.serviceAccountViewer",
    "roles/iam.securityReviewer",
    "roles/monitoring.viewer",
    "roles/compute.networkViewer",
    "roles/serviceusage.serviceUsageViewer",
    "roles/cloudsql.viewer",
    "roles/redis.viewer",
];

/**
 * What a deployer gets on each service it deploys, and nothing project-wide: `run.developer` on the
 * service (update it and its traffic; no IAM changes) and `iam.serviceAccountUser` on the runtime
 * service account alone, which deploying a revision that runs as it requires
 * (https://cloud.google.com/run/docs/configuring/services/service-identity, "Required roles").
 */
export const DEPLOYER_ROLES = { service: "roles/run.developer", runtimeServiceAccount: "roles/iam.serviceAccountUser" } as const;

/** IAM member for exactly one token subject in a pool (`pool` is the pool's full resource name). */
export function workloadIdentityPrincipal(poolName: string, subject: string): string {
    return `principal://iam.googleapis.com/${poolName}/subject/${subject}`;
}

/** Primitive roles Runway never grants. */
export const PRIMITIVE_ROLES: readonly string[] = ["roles/owner", "roles/editor", "roles/viewer"];
