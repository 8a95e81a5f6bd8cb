import { ResourceValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { matchesAny } from "../lib/names";
import { GITHUB_OIDC_HOST, subjectRepository } from "../../rules/oidc";

export interface CiTrustScopedConfig {
    /** Repositories (`owner/repo`, `*` allowed) CI identities may trust; empty = any single repository. */
    allowedRepositories: string[];
}

export const CI_TRUST_SCOPED_DEFAULTS: CiTrustScopedConfig = { allowedRepositories: [] };

const GITHUB_ISSUER = GITHUB_OIDC_HOST;
/** `assertion.repository == "owner/repo"` (or the mapped `attribute.repository`), or a repository id. */
const NAMES_REPOSITORY =
    /(assertion|attribute)\.repository\s*==\s*["']([^"'/\s]+\/[^"'/\s]+)["']|(assertion|attribute)\.repository_id\s*==\s*["']\d+["']/;

/** The repositories a trust names, for checking against `allowedRepositories`. */
function outside(repositories: string[], allowed: readonly string[]): string[] {
    return allowed.length === 0 ? [] : repositories.filter((r) => !matchesAny(r, allowed));
}

/** Problems with a GCP workload identity provider, or []. */
export function wifProviderProblems(props: Record<string, any>, allowed: readonly string[] = []): string[] {
    const condition = props.attributeCondition;
    if (typeof condition !== "string" || condition.trim() === "") {
        return ["has no attributeCondition, so any repository on the issuer could impersonate its service accounts"];
    }
    const match = NAMES_REPOSITORY.exec(condition);
    if (!match) return [`attributeCondition "${condition}" does not pin a repository (expected assertion.repository == "owner/repo")`];
    return outside(match[2] ? [match[2]] : [], allowed).map((r) => `trusts repository ${r}, which is not in allowedRepositories`);
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
        const subjects = ["StringEquals", "StringLike"]
            .flatMap((op) => [st.Condition?.[op]?.[`${GITHUB_ISSUER}:sub`]].flat())
            .filter((s) => typeof s === "string");
        const audience = [st.Condition?.StringEquals?.[`${GITHUB_ISSUER}:aud`]].flat();
        if (subjects.length === 0)
            problems.push("trusts GitHub's OIDC provider without a condition on token.actions.githubusercontent.com:sub");
        for (const sub of subjects) {
            const repo = subjectRepository(sub);
            if (!repo)
                problems.push(
                    `trusts subject "${sub}", which does not name one repository (expected repo:<owner>/<repo>:ref:refs/heads/<branch> or ...:environment:<env>)`,
                );
            else problems.push(...outside([repo], allowed).map((r) => `trusts repository ${r}, which is not in allowedRepositories`));
        }
        if (!audience.includes("sts.amazonaws.com"))
            problems.push("does not check token.actions.githubusercontent.com:aud = sts.amazonaws.com");
    }
    return problems;
}

/** Mandatory: CI identities trust one repository, never a whole issuer or owner. */
export const ciTrustScoped: ResourceValidationPolicy = {
    name: "ci-trust-scoped-to-repository",
    description: "Every workload identity provider and CI role trusts tokens from one named repository only.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        'GCP: set attributeCondition to `assertion.repository == "owner/repo"` (Runway\'s gcp.CiIdentity does). AWS: trust only `repo:owner/repo:ref:refs/heads/main` or `repo:owner/repo:environment:production` with aud = sts.amazonaws.com.',
    configSchema: schemaWithDefaults(CI_TRUST_SCOPED_DEFAULTS, {
        allowedRepositories: {
            type: "array",
            items: { type: "string" },
            description: "Repositories (owner/repo, `*` allowed) CI identities may trust; empty allows any single repository.",
        },
    }),
    validateResource: (args, reportViolation) => {
        const config = withDefaults(CI_TRUST_SCOPED_DEFAULTS, args.getConfig<Partial<CiTrustScopedConfig>>());
        if (args.type === "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider") {
            for (const p of wifProviderProblems(args.props, config.allowedRepositories))
                reportViolation(`Workload identity provider "${args.name}" ${p}.`);
        } else if (args.type === "aws:iam/role:Role") {
            for (const p of githubTrustProblems(args.props.assumeRolePolicy, config.allowedRepositories))
                reportViolation(`IAM role "${args.name}" ${p}.`);
        } else {
            args.notApplicable("not a workload identity provider or IAM role");
        }
    },
};
