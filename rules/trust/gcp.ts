/**
 * Google's side of a GitHub token exchange, evaluated the way Security Token Service does it
 * (https://cloud.google.com/iam/docs/workload-identity-federation, "Attribute mappings",
 * "Attribute conditions", "Principal types"): map the assertion's claims to attributes (every
 * mapping must evaluate; `google.subject` at most 127 characters), accept the token only when the
 * provider's attribute condition is `true`, then match the federated principal against IAM members:
 * `principal://iam.googleapis.com/<pool>/subject/<google.subject>`,
 * `principalSet://iam.googleapis.com/<pool>/attribute.<name>/<value>`,
 * `principalSet://iam.googleapis.com/<pool>/*`. Limits from the provider's API reference
 * (magic-modules `iambeta/WorkloadIdentityPoolProvider.yaml`): mapping expressions ≤ 2048
 * characters, condition ≤ 4096, at most 50 custom attributes, keys `[a-z0-9_]` ≤ 100. Dependency-free.
 */
import { CelValue, evalCel, isCelError } from "./cel";

/** A workload identity pool provider as planned. */
export interface WifProvider {
    /** The pool's full resource name (`projects/<number>/locations/global/workloadIdentityPools/<id>`). */
    readonly pool: string;
    readonly attributeCondition?: string;
    readonly attributeMapping: Readonly<Record<string, string>>;
}

/** The federated identity an accepted token becomes. */
export interface FederatedPrincipal {
    readonly pool: string;
    readonly subject: string;
    readonly attributes: Readonly<Record<string, string>>;
}

export type ExchangeResult =
    | { readonly ok: true; readonly principal: FederatedPrincipal }
    | { readonly ok: false; readonly reason: string };

/** Problems with a provider's mapping and condition against Google's documented limits. */
export function providerLimitProblems(p: WifProvider): string[] {
    const problems: string[] = [];
    const custom = Object.keys(p.attributeMapping).filter((k) => k.startsWith("attribute."));
    if (!("google.subject" in p.attributeMapping)) problems.push("an OIDC provider's mapping must set google.subject");
    if (custom.length > 50) problems.push(`${custom.length} custom attributes (at most 50)`);
    for (const key of custom)
        if (!/^attribute\.[a-z0-9_]{1,100}$/.test(key)) problems.push(`attribute key "${key}" (only [a-z0-9_], at most 100)`);
    for (const [key, expression] of Object.entries(p.attributeMapping))
        if (expression.length > 2048) problems.push(`mapping of ${key} is ${expression.length} characters (at most 2048)`);
    if ((p.attributeCondition ?? "").length > 4096) problems.push("attribute condition over 4096 characters");
    return problems;
}

/**
 * Exchanges a token with `claims` at `provider`: mapped attributes, then the condition. Google does
 * not document what a custom attribute whose expression reads a claim the token lacks (e.g.
 * `assertion.environment` outside environment jobs) does; the simulator reads it the permissive way,
 * the attribute left unset and the exchange going on, so a trust that relies on such a mapping failing
 * is never taken as safe. A `google.subject` that does not evaluate fails the exchange.
 */
export function exchange(provider: WifProvider, claims: Readonly<Record<string, string>>): ExchangeResult {
    const assertion = claims as Record<string, CelValue>;
    const attributes: Record<string, string> = {};
    let subject: string | undefined;
    for (const [key, expression] of Object.entries(provider.attributeMapping)) {
        const value = evalCel(expression, { assertion });
        if (isCelError(value) && key !== "google.subject" && /^no such key/.test(value.message)) continue;
        if (isCelError(value)) return { ok: false, reason: `mapping ${key} failed: ${value.message}` };
        if (typeof value !== "string") return { ok: false, reason: `mapping ${key} is not a string` };
        if (key === "google.subject") subject = value;
        else if (key.startsWith("attribute.")) attributes[key.slice("attribute.".length)] = value;
    }
    if (subject === undefined) return { ok: false, reason: "no google.subject mapping" };
    if (subject.length > 127) return { ok: false, reason: `google.subject is ${subject.length} characters (at most 127)` };
    if (provider.attributeCondition !== undefined && provider.attributeCondition !== "") {
        const verdict = evalCel(provider.attributeCondition, {
            assertion,
            google: { subject },
            attribute: attributes,
        });
        if (verdict !== true) return { ok: false, reason: isCelError(verdict) ? `condition error: ${verdict.message}` : "condition false" };
    }
    return { ok: true, principal: { pool: provider.pool, subject, attributes } };
}

const PREFIX = "//iam.googleapis.com/";

/** Whether IAM `member` names `principal` (and nothing says a principal of another pool). */
export function memberMatches(member: string, principal: FederatedPrincipal): boolean {
    const single = `principal:${PREFIX}${principal.pool}/subject/`;
    if (member.startsWith(single)) return member.slice(single.length) === principal.subject;
    const set = `principalSet:${PREFIX}${principal.pool}/`;
    if (!member.startsWith(set)) return false;
    const rest = member.slice(set.length);
    if (rest === "*") return true;
    const m = /^attribute\.([a-z0-9_]+)\/(.*)$/.exec(rest);
    return m !== null && principal.attributes[m[1]] === m[2];
}

/** Whether `member` is a federated (workload identity) principal at all. */
export function isFederatedMember(member: string): boolean {
    return member.startsWith(`principal:${PREFIX}`) || member.startsWith(`principalSet:${PREFIX}`);
}
