/**
 * GitHub Actions OIDC: the issuer and the token subjects (`sub` claim) Runway's trust policies bind
 * to, on both clouds, and what the ci-trust-scoped policy reads back. Dependency-free.
 * https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
 */
import { RunwayInputError } from "./problems";
import type { DeployTarget } from "./profile";

/** GitHub's OIDC issuer host (the AWS provider URL is `https://` + this). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/**
 * The token subject GitHub issues for a deploy target: a job in an environment carries the
 * environment, any other job of a push the branch ref.
 * @example githubSubject("acme", "shop", { name: "prod", environment: "production" }) ===
 *   "repo:acme/shop:environment:production"
 */
export function githubSubject(owner: string, repo: string, target: DeployTarget): string {
    if ((target.branch === undefined) === (target.environment === undefined)) {
        throw new RunwayInputError("Invalid deploy target", [
            { key: `targets.${target.name}`, value: target, allowed: "exactly one of branch or environment" },
        ]);
    }
    return target.environment !== undefined
        ? `repo:${owner}/${repo}:environment:${target.environment}`
        : `repo:${owner}/${repo}:ref:refs/heads/${target.branch}`;
}

/**
 * The token subject GitHub issues to jobs of `pull_request` runs (jobs without an environment):
 * what the read-only previewer trusts, and nothing that deploys ever does.
 * @example githubPullRequestSubject("acme", "shop") === "repo:acme/shop:pull_request"
 */
export function githubPullRequestSubject(owner: string, repo: string): string {
    return `repo:${owner}/${repo}:pull_request`;
}

/** The repository a subject names (`owner/repo`), or undefined when it names none or a wildcard. */
export function subjectRepository(subject: string): string | undefined {
    return /^repo:([^*/:]+\/[^*/:]+):/.exec(subject)?.[1];
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
