/** Pure IAM strings for GitHub Actions Workload Identity Federation. */
import { GCP_ATTRIBUTE_MAPPING, GCP_TRUST_ATTRIBUTE, GithubRepository, gcpRepositoryCondition, gcpTrustValue } from "../oidc";
import { DeployTarget } from "../profile";

export { DeployTarget, GithubRepository, gcpRepositoryCondition, gcpTrustValue };

/** GitHub's OIDC issuer. */
export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";

/** Claims mapped from the GitHub token into Google attributes (see `GCP_ATTRIBUTE_MAPPING` in rules/oidc.ts). */
export const GITHUB_ATTRIBUTE_MAPPING: Readonly<Record<string, string>> = GCP_ATTRIBUTE_MAPPING;

/**
 * What a deployer may do on each service it deploys, as a custom role granted on the service alone:
 * exactly what the deploy job's gcloud commands call there (`GCLOUD_CALLS` in rules/trust/calls.ts:
 * describe, deploy a tagged revision, move traffic, describe the revision), so a deploy job cannot
 * delete the service or change who may invoke it, as `roles/run.developer` would allow. Plus
 * `iam.serviceAccountUser` on the runtime service account alone, which deploying a revision that runs
 * as it requires (cloud.google.com/run/docs/configuring/services/service-identity, "Required roles").
 */
export const DEPLOYER_PERMISSIONS: readonly string[] = [
    "run.revisions.get",
    "run.services.get",
    "run.services.getIamPolicy",
    "run.services.update",
];
export const DEPLOYER_ROLES = { runtimeServiceAccount: "roles/iam.serviceAccountUser" } as const;

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
