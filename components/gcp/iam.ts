/** Pure IAM strings for GitHub Actions Workload Identity Federation. */
import { GCP_ATTRIBUTE_MAPPING, GCP_TRUST_ATTRIBUTE, GithubRepository, gcpRepositoryCondition, gcpTrustValue } from "../../rules/oidc";
import { DeployTarget } from "../../rules/profile";

export { DeployTarget, GithubRepository, gcpRepositoryCondition, gcpTrustValue };

/** GitHub's OIDC issuer. */
export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";

/** Claims mapped from the GitHub token into Google attributes (see `GCP_ATTRIBUTE_MAPPING` in rules/oidc.ts). */
export const GITHUB_ATTRIBUTE_MAPPING: Readonly<Record<string, string>> = GCP_ATTRIBUTE_MAPPING;

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

/**
 * The IAM member for the tokens of `target` in a pool (`poolName` is the pool's full resource name):
 * every principal whose `attribute.runway_trust` names the target's environment or workflow run.
 * The pool's provider admits only the repository's IDs, so the set holds that repository's jobs only.
 * @example workloadIdentityMember("projects/1/locations/global/workloadIdentityPools/p", repo, { name: "p", environment: "production" }) ===
 *   "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/attribute.runway_trust/environment:production"
 */
export function workloadIdentityMember(poolName: string, repository: GithubRepository, target: DeployTarget): string {
    return `principalSet://iam.googleapis.com/${poolName}/attribute.${GCP_TRUST_ATTRIBUTE}/${gcpTrustValue(repository, target)}`;
}

/** Primitive roles Runway never grants. */
export const PRIMITIVE_ROLES: readonly string[] = ["roles/owner", "roles/editor", "roles/viewer"];
