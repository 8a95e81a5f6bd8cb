/**
 * Usage assumptions: explicit, documented inputs with per-tier defaults (the tier profile
 * `TIER_PROFILES[tier].usage`), printed with every estimate. Override them in a stack with `pulumi config set --path runway:usage.<key> <value>`.
 */
import { Problem } from "../problems";
import { TIER_PROFILES, Tier, isTier } from "../profile";

export interface Usage {
    /** HTTP requests per month. */
    readonly requestsPerMonth: number;
    /** Seconds an instance is busy per request (overlap from concurrency is ignored: conservative). */
    readonly avgRequestSeconds: number;
    /** Internet egress, GB per month (listed as unpriced: no sourced price yet). */
    readonly egressGb: number;
    /** Container image storage in the registry, GB. */
    readonly imageStorageGb: number;
    /** Logs ingested, GB per month. */
    readonly logGb: number;
    /** Secret reads per month (instance starts read each secret once). */
    readonly secretAccessesPerMonth: number;
    /** New image digests pushed per month (CI deploys, stack builds): each is scanned once when scanning is on. */
    readonly imagesPushedPerMonth: number;
    /** Pulumi state in the bootstrap bucket, GB, old versions included. */
    readonly stateStorageGb: number;
    /** State object writes per month (Pulumi saves a checkpoint after each resource step). */
    readonly stateWritesPerMonth: number;
    /** State object reads and lists per month. */
    readonly stateReadsPerMonth: number;
    /** Secrets-provider key requests per month (about one per Pulumi command that touches secrets). */
    readonly keyRequestsPerMonth: number;
    /** Average CPU utilisation of a managed database (0–1): burstable RDS classes bill the part above their baseline. */
    readonly dbCpuUtilization: number;
    /** Data kept in tables and streams of any program (DynamoDB), GB. */
    readonly tableStorageGb: number;
    /** Data kept in each object storage bucket that is not Pulumi state (a program's S3 / Cloud Storage buckets), GB. */
    readonly objectStorageGb: number;
    /** Object writes and lists (S3 PUT/COPY/POST/LIST, Cloud Storage class A) per bucket per month. */
    readonly objectWritesPerMonth: number;
    /** Object reads (S3 GET, Cloud Storage class B) per bucket per month. */
    readonly objectReadsPerMonth: number;
    /** Days of logs kept where a log group sets no retention (CloudWatch "never expire"): priced as this many days. */
    readonly logRetentionDaysUnset: number;
    /** Seconds one migration run takes (a Cloud Run job execution or ECS task per deploy, `imagesPushedPerMonth` a month). */
    readonly migrationSecondsPerRun: number;
}

export const USAGE_KEYS = [
    "requestsPerMonth",
    "avgRequestSeconds",
    "egressGb",
    "imageStorageGb",
    "logGb",
    "secretAccessesPerMonth",
    "imagesPushedPerMonth",
    "stateStorageGb",
    "stateWritesPerMonth",
    "stateReadsPerMonth",
    "keyRequestsPerMonth",
    "dbCpuUtilization",
    "tableStorageGb",
    "objectStorageGb",
    "objectWritesPerMonth",
    "objectReadsPerMonth",
    "logRetentionDaysUnset",
    "migrationSecondsPerRun",
] as const;

/** The idle figure: nothing served, storage kept. */
export function idleUsage(usage: Usage): Usage {
    return {
        ...usage,
        requestsPerMonth: 0,
        egressGb: 0,
        logGb: 0,
        secretAccessesPerMonth: 0,
        imagesPushedPerMonth: 0,
        stateWritesPerMonth: 0,
        stateReadsPerMonth: 0,
        objectWritesPerMonth: 0,
        objectReadsPerMonth: 0,
        keyRequestsPerMonth: 0,
        dbCpuUtilization: 0,
    };
}

/** The usage assumptions of `tier` (its profile's defaults, before any override). */
export function tierUsage(tier: Tier): Usage {
    return TIER_PROFILES[tier].usage;
}

/** Merges overrides (from config) into a tier's defaults; every bad key or value is a problem. */
export function resolveUsage(
    defaults: Usage,
    overrides: Record<string, unknown>,
    keyPrefix: string,
): { usage: Usage; problems: Problem[] } {
    const problems: Problem[] = [];
    const out: Record<string, number> = { ...defaults };
    for (const [key, value] of Object.entries(overrides)) {
        if (!(USAGE_KEYS as readonly string[]).includes(key)) {
            problems.push({ key: `${keyPrefix}.${key}`, value, allowed: `one of ${USAGE_KEYS.join(", ")}` });
            continue;
        }
        const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
        if (!Number.isFinite(n) || n < 0) problems.push({ key: `${keyPrefix}.${key}`, value, allowed: "a number ≥ 0" });
        else if (key === "dbCpuUtilization" && n > 1)
            problems.push({ key: `${keyPrefix}.${key}`, value, allowed: "a fraction from 0 to 1 (0.2 = 20% average CPU)" });
        else out[key] = n;
    }
    return { usage: out as unknown as Usage, problems };
}

/**
 * The usage of a stack from its config map: the defaults of `runway:tier` (solo when unset or
 * another project) overridden by the `runway:usage` object.
 */
export function usageFromConfig(values: Readonly<Record<string, string>>): {
    usage: Usage;
    tier: Tier;
    overrides: Partial<Usage>;
    problems: Problem[];
} {
    // Read as the stack's resolver reads it (surrounding spaces dropped), so the estimate and the stack agree on the tier.
    const tierValue = values["runway:tier"]?.trim();
    return usageForTier(isTier(tierValue) ? tierValue : "solo", values["runway:usage"]);
}

/**
 * The usage of a stack of a resolved `tier`: the tier's defaults overridden by `raw`, the text of
 * the `runway:usage` object (unset or empty: the defaults).
 */
export function usageForTier(
    tier: Tier,
    raw: string | undefined,
): { usage: Usage; tier: Tier; overrides: Partial<Usage>; problems: Problem[] } {
    const defaults = tierUsage(tier);
    if (raw === undefined || raw.trim() === "") return { usage: defaults, tier, overrides: {}, problems: [] };
    let overrides: unknown;
    try {
        overrides = JSON.parse(raw);
    } catch {
        overrides = undefined;
    }
    if (overrides === null || typeof overrides !== "object" || Array.isArray(overrides)) {
        return {
            usage: defaults,
            tier,
            overrides: {},
            problems: [
                {
                    key: "runway:usage",
                    value: raw,
                    allowed: `an object of ${USAGE_KEYS.join(", ")}: pulumi config set --path runway:usage.requestsPerMonth 1000000`,
                },
            ],
        };
    }
    const resolved = resolveUsage(defaults, overrides as Record<string, unknown>, "runway:usage");
    // Only the overrides that differ from the tier: what a policy re-applying the same tier needs.
    const changed = Object.fromEntries(USAGE_KEYS.filter((k) => resolved.usage[k] !== defaults[k]).map((k) => [k, resolved.usage[k]]));
    return { ...resolved, tier, overrides: changed };
}
