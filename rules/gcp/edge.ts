/**
 * Pure rules of the production edge (global external Application Load Balancer + Cloud Armor):
 * the security policy's rules, the DNS records to create, where Cloud Run domain mappings exist,
 * and the validation of every edge argument. Sources are cited where a limit comes from.
 */
import { parseCidr } from "../cidr";
import { Problem } from "../problems";

/** A Cloud Armor rule, in the shape of the provider's `SecurityPolicyRule` input. */
export interface Rule {
    priority: number;
    action: string;
    preview?: boolean;
    description: string;
    match: { versionedExpr?: string; config?: { srcIpRanges: string[] }; expr?: { expression: string } };
    rateLimitOptions?: {
        conformAction: string;
        exceedAction: string;
        enforceOnKey: string;
        rateLimitThreshold: { count: number; intervalSec: number };
    };
}

/**
 * Cloud Armor's preconfigured WAF rule sets Runway turns on (OWASP CRS 3.3, the version Google
 * recommends): SQL injection and cross-site scripting. https://cloud.google.com/armor/docs/waf-rules
 */
export const WAF_RULE_SETS = ["sqli-v33-stable", "xss-v33-stable"] as const;

/** Edge settings a tier does not decide (each has a config key and a component argument). */
export const EDGE_DEFAULTS = {
    /**
     * WAF sensitivity 1-4 (OWASP paranoia level; 0 would enable no signature). 1 = only the
     * highest-confidence signatures, fewest false positives. https://cloud.google.com/armor/docs/rule-tuning
     */
    wafSensitivity: 1,
    /** Requests per minute one client IP may send before Cloud Armor answers 429 (Cloud Armor's documented default threshold is 500/min). */
    rateLimitPerMinute: 500,
    /** Fraction of requests the load balancer logs (1 = all). */
    logSampleRate: 0.1,
} as const;

/**
 * Profiles an edge's SSL policy may use, and its minimum TLS version. Without a policy a target
 * HTTPS proxy uses COMPATIBLE from TLS 1.0 (https://cloud.google.com/load-balancing/docs/ssl-policies-concepts);
 * SSL policies have no charge of their own (the load balancer's forwarding rules and data are billed).
 */
export const TLS_PROFILES: readonly string[] = ["MODERN", "RESTRICTED"];
export const DEFAULT_TLS_PROFILE = "MODERN";
export const MIN_TLS_VERSION = "TLS_1_2";

/** Rule priorities: lower runs first. Deny-lists before the WAF, the WAF before the rate limit. */
export const EDGE_PRIORITIES = { denyCidrs: 1000, denyCountries: 2000, waf: 3000, rateLimit: 4000, default: 2147483647 } as const;

/** Basic match conditions take at most 10 ranges (magic-modules resource_compute_security_policy: src_ip_ranges MaxItems 10). */
export const MAX_RANGES_PER_RULE = 10;
/** An advanced match expression has at most five subexpressions (https://cloud.google.com/armor/docs/rules-language-reference). */
export const MAX_SUBEXPRESSIONS = 5;
/** Throttle thresholds allowed by Cloud Armor: 1 to 1,000,000 requests (https://cloud.google.com/armor/docs/rate-limiting-overview). */
export const RATE_LIMIT_RANGE = { min: 1, max: 1_000_000 } as const;

export interface EdgeRuleOptions {
    /** 1-4. */
    readonly wafSensitivity: number;
    /** Requests per minute per client IP. */
    readonly rateLimitPerMinute: number;
    /** ISO 3166-1 alpha-2 codes whose requests are denied (403). */
    readonly denyCountries: readonly string[];
    /** IPv4/IPv6 CIDRs whose requests are denied (403). */
    readonly denyCidrs: readonly string[];
    /** Log what the rules would do without enforcing them. */
    readonly preview: boolean;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
}

/**
 * The Cloud Armor rules, in priority order: deny-listed CIDRs and countries (403), the WAF rule
 * sets (403), a per-IP throttle (429 above the limit), and the default rule that allows the
 * rest. `preview` makes every rule but the default log-only.
 */
export function securityPolicyRules(options: EdgeRuleOptions): Rule[] {
    const preview = options.preview;
    const cidrRules = chunks(options.denyCidrs, MAX_RANGES_PER_RULE).map(
        (ranges, i): Rule => ({
            priority: EDGE_PRIORITIES.denyCidrs + i,
            action: "deny(403)",
            preview,
            description: "Deny-listed source ranges",
            match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ranges } },
        }),
    );
    const countryRules = chunks(options.denyCountries, MAX_SUBEXPRESSIONS).map(
        (codes, i): Rule => ({
            priority: EDGE_PRIORITIES.denyCountries + i,
            action: "deny(403)",
            preview,
            description: "Deny-listed countries",
            match: { expr: { expression: codes.map((c) => `origin.region_code == '${c}'`).join(" || ") } },
        }),
    );
    const wafRules = WAF_RULE_SETS.map(
        (set, i): Rule => ({
            priority: EDGE_PRIORITIES.waf + i,
            action: "deny(403)",
            preview,
            description: `OWASP CRS ${set}`,
            match: { expr: { expression: `evaluatePreconfiguredWaf('${set}', {'sensitivity': ${options.wafSensitivity}})` } },
        }),
    );
    const rateLimit: Rule = {
        priority: EDGE_PRIORITIES.rateLimit,
        action: "throttle",
        preview,
        description: `At most ${options.rateLimitPerMinute} requests per minute per client IP`,
        match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
        rateLimitOptions: {
            conformAction: "allow",
            exceedAction: "deny(429)",
            enforceOnKey: "IP",
            rateLimitThreshold: { count: options.rateLimitPerMinute, intervalSec: 60 },
        },
    };
    const defaultRule: Rule = {
        priority: EDGE_PRIORITIES.default,
        action: "allow",
        description: "Default: allow",
        match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
    };
    return [...cidrRules, ...countryRules, ...wafRules, rateLimit, defaultRule];
}

/** A DNS record the user creates (or Runway creates in `runway:dnsZone`). */
export interface DnsRecord {
    /** Fully qualified, with the trailing dot. */
    readonly name: string;
    readonly type: "A" | "CNAME";
    readonly ttl: number;
    readonly rrdatas: string[];
}

/** The edge's record: the domain's A record on the load balancer's global IP. */
export function edgeDnsRecord(domain: string, ip: string): DnsRecord {
    return { name: `${domain}.`, type: "A", ttl: 300, rrdatas: [ip] };
}

/**
 * A Cloud Run domain mapping's record for a subdomain: CNAME to ghs.googlehosted.com.
 * (https://cloud.google.com/run/docs/mapping-custom-domains). Apex domains need A/AAAA records
 * instead: use the edge for those, or copy them from the mapping's status.
 */
export function domainMappingDnsRecord(domain: string): DnsRecord {
    return { name: `${domain}.`, type: "CNAME", ttl: 300, rrdatas: ["ghs.googlehosted.com."] };
}

/**
 * Regions where Cloud Run domain mappings (Preview, not recommended for production by Google)
 * are available, per https://cloud.google.com/run/docs/mapping-custom-domains (read 2026-11).
 * Elsewhere a custom domain needs the edge.
 */
export const DOMAIN_MAPPING_REGIONS: readonly string[] = [
    "asia-east1",
    "asia-northeast1",
    "asia-southeast1",
    "europe-north1",
    "europe-west1",
    "europe-west4",
    "us-central1",
    "us-east1",
    "us-east4",
    "us-west1",
];

/** How a stack serves its custom domain: the edge, a Cloud Run domain mapping, or not at all. */
export type DomainRoute = "edge" | "domain-mapping" | "none";

/** The route for `domain` given whether the edge is on. */
export function domainRoute(edge: boolean, domain: string | undefined): DomainRoute {
    if (edge) return "edge";
    return domain ? "domain-mapping" : "none";
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const COUNTRY = /^[A-Z]{2}$/;
const IPV6_CIDR = /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}(\/(\d|[1-9]\d|1[01]\d|12[0-8]))?$/i;

/** Inputs checked by `edgeProblems`; `key` turns a field into the user's key (config key or component argument). */
export interface EdgeInputs {
    readonly domain?: string;
    readonly wafSensitivity?: number;
    readonly rateLimitPerMinute?: number;
    readonly denyCountries?: readonly string[];
    readonly denyCidrs?: readonly string[];
    readonly logSampleRate?: number;
}

/** Every problem with the edge's inputs, at once. */
export function edgeProblems(inputs: EdgeInputs, key: (field: keyof EdgeInputs) => string): Problem[] {
    const problems: Problem[] = [];
    if (inputs.domain !== undefined && !HOSTNAME.test(inputs.domain)) {
        problems.push({
            key: key("domain"),
            value: inputs.domain,
            allowed:
                "a lowercase DNS name such as app.example.com (no scheme, no trailing dot, no wildcard: managed certificates cover exact names)",
        });
    }
    const s = inputs.wafSensitivity;
    if (s !== undefined && !(Number.isInteger(s) && s >= 1 && s <= 4)) {
        problems.push({ key: key("wafSensitivity"), value: s, allowed: "1, 2, 3 or 4 (1: fewest false positives; 4: every signature)" });
    }
    const r = inputs.rateLimitPerMinute;
    if (r !== undefined && !(Number.isInteger(r) && r >= RATE_LIMIT_RANGE.min && r <= RATE_LIMIT_RANGE.max)) {
        problems.push({
            key: key("rateLimitPerMinute"),
            value: r,
            allowed: `a whole number of requests per minute per client IP from ${RATE_LIMIT_RANGE.min} to ${RATE_LIMIT_RANGE.max.toLocaleString("en-US")}`,
        });
    }
    for (const c of inputs.denyCountries ?? []) {
        if (!COUNTRY.test(c))
            problems.push({
                key: key("denyCountries"),
                value: c,
                allowed: 'ISO 3166-1 alpha-2 country codes in capitals, e.g. ["KP", "IR"]',
            });
    }
    for (const c of inputs.denyCidrs ?? []) {
        if (parseCidr(c) === undefined && !IPV6_CIDR.test(c))
            problems.push({ key: key("denyCidrs"), value: c, allowed: "IPv4 or IPv6 ranges in CIDR notation, e.g. 203.0.113.0/24" });
    }
    const l = inputs.logSampleRate;
    if (l !== undefined && !(Number.isFinite(l) && l >= 0 && l <= 1)) {
        problems.push({ key: key("logSampleRate"), value: l, allowed: "a fraction from 0 to 1 of requests to log (1 logs every request)" });
    }
    return problems;
}
