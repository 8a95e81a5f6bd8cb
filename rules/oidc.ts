/**
 * GitHub Actions OIDC: what Runway's CI identities trust, on both clouds. Trust is keyed on the
 * immutable `repository_id` / `repository_owner_id` claims, never on `sub`: GitHub's default
 * subject carries names for older repositories and names plus IDs for repositories created, renamed
 * or transferred after the 2026 switch (github.blog/changelog/2026-04-23-immutable-subject-claims-for-github-actions-oidc-tokens;
 * its spelling differs between the changelog, `owner-123/repo-456`, and the docs, `owner@123/repo@456`),
 * and a name can be taken by someone else once the repository is renamed. Both subject formats
 * carry the same ID claims, so both authenticate. Dependency-free.
 * https://docs.github.com/en/actions/reference/security/oidc
 */
import { Problem, RunwayInputError } from "./problems";
import type { DeployTarget } from "./profile";

/** GitHub's OIDC issuer host (the AWS provider URL is `https://` + this). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** A repository as Runway trusts it: names for people and paths, immutable IDs for the trust itself. */
export interface GithubRepository {
    readonly owner: string;
    readonly repo: string;
    /** The owner's numeric ID (`gh api repos/<owner>/<repo> --jq .owner.id`); GCP checks it, AWS STS exposes no such key. */
    readonly ownerId?: string;
    /** The repository's numeric ID (`gh api repos/<owner>/<repo> --jq .id`). */
    readonly repositoryId: string;
}

/** GitHub's numeric IDs: digits, no sign, no leading zero. */
export const GITHUB_ID = /^[1-9][0-9]{0,19}$/;

/** GitHub environment names as Runway creates them (no wildcard, no path, no quote). */
export const GITHUB_ENVIRONMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

function checkTarget(target: DeployTarget): void {
    const problems = targetProblems(target, (field) => field);
    if (problems.length > 0) throw new RunwayInputError("Invalid trust source", problems);
}

/**
 * The `job_workflow_ref` of a job defined in `workflow` (a path such as `.github/workflows/deploy-solo.yml`)
 * of this repository, run on `branch`.
 * @example jobWorkflowRef({ owner: "acme", repo: "shop", … }, ".github/workflows/deploy-solo.yml", "main") ===
 *   "acme/shop/.github/workflows/deploy-solo.yml@refs/heads/main"
 */
export function jobWorkflowRef(repository: GithubRepository, workflow: string, branch: string): string {
    return `${repository.owner}/${repository.repo}/${workflow}@refs/heads/${branch}`;
}

/**
 * The claims (name → exact value) a token must carry to act for `target`: this repository by its
 * IDs, and either a job in the target's environment (whose branch policy and reviewers GitHub
 * enforces before it issues the token) or a job of exactly the target's workflow file run on its
 * branch (no other workflow on that branch, and no run of that file on another ref).
 */
export function trustClaims(repository: GithubRepository, target: DeployTarget): Readonly<Record<string, string>> {
    checkTarget(target);
    return {
        ...(repository.ownerId !== undefined ? { repository_owner_id: repository.ownerId } : {}),
        repository_id: repository.repositoryId,
        ...(target.environment !== undefined
            ? { environment: target.environment }
            : { job_workflow_ref: jobWorkflowRef(repository, target.workflow!, target.branch!) }),
    };
}

/** The custom attribute a Workload Identity binding matches: the job's environment, or (without one) its workflow run. */
export const GCP_TRUST_ATTRIBUTE = "runway_trust";

/**
 * The value of `attribute.runway_trust` a target's binding names (see `GCP_ATTRIBUTE_MAPPING`).
 * @example gcpTrustValue(repo, { name: "production", environment: "production" }) === "environment:production"
 */
export function gcpTrustValue(repository: GithubRepository, target: DeployTarget): string {
    const claims = trustClaims(repository, target);
    return claims.environment !== undefined ? `environment:${claims.environment}` : `workflow:${claims.job_workflow_ref}`;
}

/**
 * How the GitHub provider maps a token into Google attributes. `google.subject` (audit logs, at most
 * 127 characters) names the run by repository ID, run and attempt; `attribute.runway_trust` is what
 * the bindings match, guarded with `has()` because `environment` exists only in environment jobs.
 */
export const GCP_ATTRIBUTE_MAPPING: Readonly<Record<string, string>> = {
    "google.subject": "'repository_id:' + assertion.repository_id + ':run_id:' + assertion.run_id + ':attempt:' + assertion.run_attempt",
    "attribute.repository_id": "assertion.repository_id",
    "attribute.repository_owner_id": "assertion.repository_owner_id",
    [`attribute.${GCP_TRUST_ATTRIBUTE}`]:
        "has(assertion.environment) ? 'environment:' + assertion.environment : 'workflow:' + assertion.job_workflow_ref",
};

/**
 * The provider's attributeCondition: tokens of this one repository, by its immutable IDs.
 * @example gcpRepositoryCondition({ ownerId: "1", repositoryId: "2", … }) ===
 *   "assertion.repository_owner_id == '1' && assertion.repository_id == '2'"
 */
export function gcpRepositoryCondition(repository: GithubRepository): string {
    for (const [key, id] of [
        ["ownerId", repository.ownerId ?? ""],
        ["repositoryId", repository.repositoryId],
    ] as const) {
        if (!GITHUB_ID.test(id))
            throw new RunwayInputError("Invalid GitHub repository ID", [
                { key, value: id, allowed: "GitHub's numeric ID, e.g. 123456789" },
            ]);
    }
    return `assertion.repository_owner_id == '${repository.ownerId}' && assertion.repository_id == '${repository.repositoryId}'`;
}

/**
 * The IAM trust conditions of an AWS role for `target`: `aud` and the claims of `trustClaims` that
 * STS exposes as condition keys (`repository_id`, `environment`, `job_workflow_ref`; not
 * `repository_owner_id`, which STS does not expose:
 * aws.amazon.com/about-aws/whats-new/2026/01/aws-sts-supports-validation-identity-provider-claims).
 */
export function awsTrustCondition(repository: GithubRepository, target: DeployTarget): { StringEquals: Record<string, string> } {
    const { repository_owner_id: _owner, ...claims } = trustClaims(repository, target);
    return {
        StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com",
            ...Object.fromEntries(Object.entries(claims).map(([claim, value]) => [`${GITHUB_OIDC_HOST}:${claim}`, value])),
        },
    };
}

/** A human-readable source for descriptions: "environment production" or "deploy-solo.yml on main". */
export function describeTarget(target: DeployTarget): string {
    checkTarget(target);
    return target.environment !== undefined
        ? `environment ${target.environment}`
        : `${target.workflow!.replace(/^.*\//, "")} on ${target.branch}`;
}

/** Problems with the immutable IDs a CiIdentity trusts (`fields`: the ones its cloud checks). */
export function repositoryIdProblems(
    args: { ownerId?: unknown; repositoryId?: unknown },
    key: (field: string) => string,
    fields: readonly ("ownerId" | "repositoryId")[] = ["ownerId", "repositoryId"],
): Problem[] {
    return fields.flatMap((field) =>
        typeof args[field] === "string" && GITHUB_ID.test(args[field] as string)
            ? []
            : [
                  {
                      key: key(field),
                      value: args[field],
                      allowed: `GitHub's numeric ${field === "ownerId" ? "owner" : "repository"} ID as a string, e.g. "123456789" (gh api repos/OWNER/REPO --jq ${field === "ownerId" ? ".owner.id" : ".id"})`,
                  },
              ],
    );
}

/** Problems with one trust target: an environment, or a workflow file on a branch. */
export function targetProblems(target: DeployTarget, key: (field: string) => string): Problem[] {
    const env = target.environment !== undefined;
    const run = target.branch !== undefined || target.workflow !== undefined;
    const problems: Problem[] = [];
    if (env && !GITHUB_ENVIRONMENT.test(target.environment!))
        problems.push({ key: key(`targets[${target.name}].environment`), value: target.environment, allowed: "a GitHub environment name" });
    if (env === run)
        problems.push({
            key: key(`targets[${target.name}]`),
            value: target,
            allowed: "exactly one of { environment } or { branch, workflow }",
        });
    if (run && (target.branch === undefined || !/^\.github\/workflows\/[\w.-]+\.ya?ml$/.test(target.workflow ?? "")))
        problems.push({
            key: key(`targets[${target.name}].workflow`),
            value: target.workflow,
            allowed: "the workflow file whose runs on the branch may deploy, e.g. .github/workflows/deploy-solo.yml",
        });
    return problems;
}

/** The issuer URL of GitHub's OIDC provider in AWS IAM (the provider's `url`). */
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;

/**
 * The ARN of an account's GitHub OIDC provider: IAM allows one provider per URL per account and names it by the URL,
 * so the ARN follows from the partition and account (IAM CreateOpenIDConnectProvider).
 * @example githubOidcProviderArn("aws", "123456789012") ===
 *   "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
 */
export function githubOidcProviderArn(partition: string, accountId: string): string {
    return `arn:${partition}:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
}
