/**
 * The example stack files (this repository's, the bootstrap's, and the ones `runway-iac init`
 * writes) carry placeholder values so that they plan offline at once. A placeholder must never
 * reach a cloud: the offline plan and `pulumi preview` warn about each one, and a real `pulumi up`
 * refuses them, each by name with the `pulumi config set` command that replaces it.
 *
 * What counts as a placeholder: names reserved for documentation (RFC 2606's example.com/.net/.org
 * and the `.example` top-level domain, RFC 5737's TEST-NET address ranges, AWS's documentation account
 * 123456789012), the all-zero billing account, the `example-org` GitHub owner, GCP projects named
 * `*-example` or `runway-example-*`, and the sample GitHub IDs and reviewer of the example stacks.
 */
import { Problem, RunwayInputError, formatProblem } from "./problems";

/** One placeholder value of a stack's config. */
export interface Placeholder {
    /** The config key (with its namespace), e.g. `runway:billingAccount`; `runway:alertEmails[0]` for a list entry. */
    readonly key: string;
    readonly value: string;
    /** The command that replaces it, e.g. `pulumi config set runway:billingAccount <billing-account-id>`. */
    readonly replace: string;
}

const EXAMPLE_DOMAIN = /(^|[.@])example\.(com|net|org)$|\.example$/i;
const TEST_NET = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}(\/\d{1,2})?$/;
const EXAMPLE_PROJECT = /(-example$|^runway-example(-|$))/;
const EXAMPLE_ACCOUNT = /\b123456789012\b/;

/** The sample values of the example stacks' GitHub keys. */
export const SAMPLE_GITHUB = { owner: "example-org", ownerId: "1000001", repositoryId: "2000002", reviewer: "example-reviewer" } as const;

/** A value of a list key, read as Pulumi hands it to the program (a JSON array), or as one value. */
function entries(value: string): string[] {
    if (!value.startsWith("[")) return [value];
    try {
        const parsed: unknown = JSON.parse(value);
        return Array.isArray(parsed) ? parsed.map(String) : [value];
    } catch {
        return [value];
    }
}

type Rule = {
    /** Whether the value is a placeholder. */
    readonly is: (value: string) => boolean;
    /** What to put instead, in the replace command. */
    readonly instead: string;
    /** The key holds a list: each entry is checked and replaced by its index. */
    readonly list?: boolean;
    /** `pulumi config set --secret` (the key is a credential). */
    readonly secret?: boolean;
};

const domain = (v: string) => EXAMPLE_DOMAIN.test(v.replace(/^[a-z]+:/, ""));

/** Per key (without namespace for Runway's and the bootstrap's own keys), what is a placeholder there. */
const RULES: Readonly<Record<string, Rule>> = {
    "gcp:project": { is: (v) => EXAMPLE_PROJECT.test(v), instead: "<your-project-id>" },
    "gcp:billingProject": { is: (v) => EXAMPLE_PROJECT.test(v), instead: "<your-project-id>" },
    billingAccount: { is: (v) => /^0{6}-0{6}-0{6}$/.test(v), instead: "<your-billing-account-id>" },
    alertEmails: { is: domain, instead: "you@your-domain.com", list: true },
    iapMembers: { is: domain, instead: "group:team@your-domain.com", list: true },
    domain: { is: domain, instead: "app.your-domain.com" },
    githubRepository: { is: (v) => v.split("/")[0] === SAMPLE_GITHUB.owner, instead: "<owner>/<repo>" },
    githubOwnerId: { is: (v) => v === SAMPLE_GITHUB.ownerId, instead: '"$(gh api repos/<owner>/<repo> --jq .owner.id)"' },
    githubRepositoryId: { is: (v) => v === SAMPLE_GITHUB.repositoryId, instead: '"$(gh api repos/<owner>/<repo> --jq .id)"' },
    githubReviewers: { is: (v) => v === SAMPLE_GITHUB.reviewer, instead: "<github-username>", list: true },
    allowedCidrs: { is: (v) => TEST_NET.test(v), instead: "<your-office-cidr>", list: true },
    awsOidcProviderArn: { is: (v) => EXAMPLE_ACCOUNT.test(v), instead: "<the account's GitHub OIDC provider ARN>" },
    // The bootstrap's sample deployers and previewers.
    deployers: { is: sampleMember, instead: "<member>", list: true },
    previewers: { is: sampleMember, instead: "<stack>=<member>", list: true },
};

/** A bootstrap deployer or previewer of the examples: an example.com user, an example project's service account, the documentation AWS account. */
function sampleMember(v: string): boolean {
    return domain(v) || EXAMPLE_PROJECT.test(projectOf(v)) || EXAMPLE_ACCOUNT.test(v);
}

/** The project of a GCP member such as serviceAccount:ci@my-project.iam.gserviceaccount.com. */
function projectOf(member: string): string {
    return /@([a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(member)?.[1] ?? "";
}

/**
 * Every placeholder in a stack's config (`values` as Pulumi hands them: full keys, lists as JSON).
 * `namespace` is the program's own (`runway`, `runway-bootstrap`); secret values are never read.
 */
export function placeholdersIn(
    values: Readonly<Record<string, string>>,
    namespace: string,
    secretKeys: ReadonlySet<string> = new Set(),
): Placeholder[] {
    const found: Placeholder[] = [];
    for (const [key, value] of Object.entries(values)) {
        if (secretKeys.has(key)) continue;
        const short = key.startsWith(`${namespace}:`) ? key.slice(namespace.length + 1) : key;
        const rule = RULES[short];
        if (!rule) continue;
        const list = rule.list ? entries(value) : [value];
        list.forEach((entry, i) => {
            if (!rule.is(entry)) return;
            const name = rule.list ? `${key}[${i}]` : key;
            const path = rule.list ? `--path '${name}'` : name;
            found.push({ key: name, value: entry, replace: `pulumi config set ${rule.secret ? "--secret " : ""}${path} ${rule.instead}` });
        });
    }
    return found;
}

/** Each placeholder as a problem: its key, its value, and the command that replaces it. */
export function placeholderProblems(found: readonly Placeholder[]): Problem[] {
    return found.map((p) => ({ key: p.key, value: p.value, allowed: `a real value, not the example's placeholder: ${p.replace}` }));
}

/**
 * Placeholders never reach the cloud: a preview (the offline plan, `pulumi preview`) gets one warning
 * listing them; a real `pulumi up` (`dryRun` false) is refused with a `RunwayInputError` naming each.
 */
export function guardPlaceholders(found: readonly Placeholder[], dryRun: boolean, warn: (message: string) => void): void {
    if (found.length === 0) return;
    if (!dryRun) throw new RunwayInputError("Placeholder values cannot be deployed", placeholderProblems(found));
    warn(
        `${found.length} placeholder value${found.length === 1 ? "" : "s"} from an example stack file (fine offline; \`pulumi up\` refuses ${found.length === 1 ? "it" : "them"}):\n` +
            placeholderProblems(found)
                .map((p) => `  - ${formatProblem(p)}`)
                .join("\n"),
    );
}
