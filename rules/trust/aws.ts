/**
 * AWS's side of a GitHub token exchange: whether `sts:AssumeRoleWithWebIdentity` with a token of
 * these claims is allowed by a role's trust policy, evaluated as IAM does
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
 * reference_policies_elements_condition_operators.html): an explicit Deny wins; an Allow needs its
 * principal, its action and every condition operator block; within a block every key must match
 * (AND) and any of a key's values may (OR); a key absent from the request fails every operator but
 * the negated ones and `...IfExists`; `StringLike` globs `*` and `?` (case-sensitive).
 *
 * The request carries only the keys STS exposes for GitHub's provider: `aud`, `sub`, `amr` and,
 * since 2026-01, `actor`, `actor_id`, `job_workflow_ref`, `repository`, `repository_id`, `workflow`,
 * `ref`, `environment`, `enterprise_id` (aws.amazon.com/about-aws/whats-new/2026/01/aws-sts-supports-validation-identity-provider-claims;
 * IAM User Guide "Available keys for OIDC federation"). A policy that checks any other claim (e.g.
 * `repository_owner_id`) never matches. Dependency-free.
 */

/** The GitHub claims STS turns into `token.actions.githubusercontent.com:<claim>` condition keys. */
export const AWS_GITHUB_CONDITION_CLAIMS: readonly string[] = [
    "aud",
    "sub",
    "amr",
    "actor",
    "actor_id",
    "job_workflow_ref",
    "repository",
    "repository_id",
    "workflow",
    "ref",
    "environment",
    "enterprise_id",
];

const OPERATORS = new Set(["StringEquals", "StringNotEquals", "StringLike", "StringNotLike", "StringEqualsIgnoreCase"]);

const glob = (pattern: string) =>
    new RegExp(
        `^${pattern
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        "s",
    );

function operatorHolds(operator: string, actual: string | undefined, expected: string[]): boolean {
    const ifExists = operator.endsWith("IfExists");
    const op = ifExists ? operator.slice(0, -"IfExists".length) : operator;
    if (!OPERATORS.has(op)) throw new Error(`trust simulator: unsupported condition operator ${operator}`);
    if (actual === undefined) return ifExists || op.startsWith("StringNot");
    switch (op) {
        case "StringEquals":
            return expected.includes(actual);
        case "StringEqualsIgnoreCase":
            return expected.some((e) => e.toLowerCase() === actual.toLowerCase());
        case "StringNotEquals":
            return !expected.includes(actual);
        case "StringLike":
            return expected.some((e) => glob(e).test(actual));
        default:
            return !expected.some((e) => glob(e).test(actual));
    }
}

/** The request context of a web-identity assumption: `<issuer>:<claim>` for the claims STS exposes. */
export function requestContext(issuerHost: string, claims: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(
        AWS_GITHUB_CONDITION_CLAIMS.filter((c) => claims[c] !== undefined).map((c) => [`${issuerHost}:${c}`, claims[c]]),
    );
}

function conditionHolds(condition: Record<string, Record<string, unknown>> | undefined, context: Record<string, string>): boolean {
    return Object.entries(condition ?? {}).every(([operator, block]) =>
        Object.entries(block).every(([key, value]) => {
            if (/^(ForAnyValue|ForAllValues):/.test(operator))
                throw new Error(`trust simulator: ${operator} is not used for single-valued claims (it passes when the key is absent)`);
            return operatorHolds(operator, context[key], [value].flat().map(String));
        }),
    );
}

/** Whether a trust policy lets a token with `claims`, presented through `providerArn`, assume the role. */
export function trustAllows(
    policy: string | Record<string, unknown>,
    providerArn: string,
    issuerHost: string,
    claims: Readonly<Record<string, string>>,
): boolean {
    const doc = typeof policy === "string" ? JSON.parse(policy) : policy;
    const context = requestContext(issuerHost, claims);
    const statements: any[] = [doc.Statement].flat().filter(Boolean);
    const applies = (st: any) =>
        [st.Principal?.Federated].flat().includes(providerArn) &&
        [st.Action].flat().some((a: string) => a === "sts:AssumeRoleWithWebIdentity" || a === "sts:*" || a === "*") &&
        conditionHolds(st.Condition, context);
    if (statements.some((st) => st.Effect === "Deny" && applies(st))) return false;
    return statements.some((st) => st.Effect === "Allow" && applies(st));
}
