import { ResourceValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { GITHUB_OIDC_HOST } from "../../rules/oidc";

export interface CiTrustScopedConfig {
    /** Repository IDs (digits) CI identities may trust; empty = any single repository. */
    allowedRepositories: string[];
}

export const CI_TRUST_SCOPED_DEFAULTS: CiTrustScopedConfig = { allowedRepositories: [] };

const GITHUB_ISSUER = GITHUB_OIDC_HOST;
/** `assertion.repository_id == '<id>'` (or the mapped `attribute.repository_id`). */
const PINS_REPOSITORY_ID = /(assertion|attribute)\.repository_id\s*==\s*["'](\d+)["']/;
/** A condition that names the repository (`assertion.repository`) instead of its ID. */
const NAMES_REPOSITORY = /(assertion|attribute)\.repository(_owner)?\s*==/;
/** The claims (besides the repository) that say which jobs may use a role: without one, every job of the repository, pull requests included, may. */
const AWS_CONTEXT_CLAIMS = ["environment", "job_workflow_ref", "ref", "sub"];

/** The repository IDs a trust names that `allowed` does not list. */
function outside(ids: string[], allowed: readonly string[]): string[] {
    return allowed.length === 0 ? [] : ids.filter((id) => !allowed.includes(id));
}

const NAME_ONLY =
    "a repository name, which someone else can take once the repository is renamed or transferred (and which misses GitHub's immutable sub format)";

/** Problems with a GCP workload identity provider, or []. */
export function wifProviderProblems(props: Record<string, any>, allowed: readonly string[] = []): string[] {
    const condition = props.attributeCondition;
    if (typeof condition !== "string" || condition.trim() === "") {
        return ["has no attributeCondition, so any repository on the issuer could impersonate its service accounts"];
    }
    const match = PINS_REPOSITORY_ID.exec(condition);
    if (!match)
        return [
            NAMES_REPOSITORY.test(condition)
                ? `attributeCondition "${condition}" keys the trust on ${NAME_ONLY}: pin assertion.repository_id == '<id>'`
                : `attributeCondition "${condition}" does not pin a repository (expected assertion.repository_id == '<id>')`,
        ];
    return outside([match[2]], allowed).map((id) => `trusts repository ${id}, which is not in allowedRepositories`);
}

/** Problems with an AWS role trusting GitHub's OIDC provider, or [] (also [] when it does not trust GitHub). */
export function githubTrustProblems(assumeRolePolicy: unknown, allowed: readonly string[] = []): string[] {
    let doc: any = assumeRolePolicy;
    if (typeof doc === "string") {
        try {
            doc = JSON.parse(doc);
        } catch {
            return [];
        }
    }
    const problems: string[] = [];
    const statements: any[] = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
    for (const st of statements) {
        const federated = [st?.Principal?.Federated].flat().filter((f) => typeof f === "string");
        if (st?.Effect !== "Allow" || !federated.some((f: string) => f.includes(GITHUB_ISSUER))) continue;
        const equals = st.Condition?.StringEquals ?? {};
        const claim = (name: string) => [equals[`${GITHUB_ISSUER}:${name}`]].flat().filter((v) => typeof v === "string") as string[];
        const ids = claim("repository_id");
        if (ids.length === 0 || !ids.every((id) => /^\d+$/.test(id)))
            problems.push(
                `does not pin token.actions.githubusercontent.com:repository_id with StringEquals${
                    st.Condition?.StringEquals?.[`${GITHUB_ISSUER}:sub`] || st.Condition?.StringLike?.[`${GITHUB_ISSUER}:sub`]
                        ? `: its sub condition is ${NAME_ONLY}`
                        : ""
                }`,
            );
        else problems.push(...outside(ids, allowed).map((id) => `trusts repository ${id}, which is not in allowedRepositories`));
        const context = AWS_CONTEXT_CLAIMS.some(
            (c) => st.Condition?.StringEquals?.[`${GITHUB_ISSUER}:${c}`] ?? st.Condition?.StringLike?.[`${GITHUB_ISSUER}:${c}`],
        );
        if (!context)
            problems.push("trusts every job of the repository, pull requests included: also require its environment or job_workflow_ref");
        if (!claim("aud").includes("sts.amazonaws.com"))
            problems.push("does not check token.actions.githubusercontent.com:aud = sts.amazonaws.com");
    }
    return problems;
}

/** Roles that let a federated principal act as a service account. */
const IMPERSONATION_ROLES = ["roles/iam.workloadIdentityUser", "roles/iam.serviceAccountTokenCreator"];

/**
 * Problems with a service account binding for federated principals, or []: a whole pool
 * (`principalSet://…/*`) admits every job the provider accepts, pull requests included; a name-keyed
 * attribute (`attribute.repository/owner/repo`) follows the name to whoever takes it.
 */
export function federatedBindingProblems(props: Record<string, any>): string[] {
    const member = String(props.member ?? "");
    if (!IMPERSONATION_ROLES.includes(String(props.role)) || !/^principal(Set)?:\/\/iam\.googleapis\.com\//.test(member)) return [];
    if (/\/workloadIdentityPools\/[^/]+\/\*$/.test(member))
        return [`lets every principal of the pool act as it (${member}): bind one environment's or workflow's principal set`];
    if (/\/attribute\.(repository|repository_owner)\//.test(member))
        return [`binds ${member}, ${NAME_ONLY}: bind an attribute the provider maps from an environment or workflow run`];
    return [];
}

/** Mandatory: CI identities trust one repository, never a whole issuer or owner. */
export const ciTrustScoped: ResourceValidationPolicy = {
    name: "ci-trust-scoped-to-repository",
    description: "Every workload identity provider and CI role trusts tokens from one repository only, by its immutable ID.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "GCP: set attributeCondition to `assertion.repository_owner_id == '<owner id>' && assertion.repository_id == '<id>'` (Runway's gcp.CiIdentity does). AWS: StringEquals on aud = sts.amazonaws.com, token.actions.githubusercontent.com:repository_id and the environment (or job_workflow_ref). IDs: gh api repos/OWNER/REPO --jq '.owner.id, .id'.",
    configSchema: schemaWithDefaults(CI_TRUST_SCOPED_DEFAULTS, {
        allowedRepositories: {
            type: "array",
            items: { type: "string" },
            description:
                "Repository IDs (digits: gh api repos/OWNER/REPO --jq .id) CI identities may trust; empty allows any single repository.",
        },
    }),
    validateResource: (args, reportViolation) => {
        const config = withDefaults(CI_TRUST_SCOPED_DEFAULTS, args.getConfig<Partial<CiTrustScopedConfig>>());
        if (args.type === "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider") {
            for (const p of wifProviderProblems(args.props, config.allowedRepositories))
                reportViolation(`Workload identity provider "${args.name}" ${p}.`);
        } else if (args.type === "gcp:serviceaccount/iAMMember:IAMMember") {
            for (const p of federatedBindingProblems(args.props)) reportViolation(`Service account binding "${args.name}" ${p}.`);
        } else if (args.type === "aws:iam/role:Role") {
            for (const p of githubTrustProblems(args.props.assumeRolePolicy, config.allowedRepositories))
                reportViolation(`IAM role "${args.name}" ${p}.`);
        } else {
            args.notApplicable("not a workload identity provider, service account binding or IAM role");
        }
    },
};
