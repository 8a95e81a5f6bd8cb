/**
 * Tier presets: pure data plus a pure resolver. A tier is a starting point; every field can be
 * overridden by explicit configuration, and explicit configuration always wins.
 *
 * Monthly costs quoted below are list prices for us-central1 (sources in components/cost/prices.ts),
 * before free tiers, with 730 hours in a month.
 */

/** The three environments Runway knows. */
export type Tier = "solo" | "staging" | "production";
export const TIERS: readonly Tier[] = ["solo", "staging", "production"];

/** Who may call the service. */
export type Access = "public" | "iap";
export const ACCESS_MODES: readonly Access[] = ["public", "iap"];

/** Which alerting a tier gets. */
export type AlertLevel = "budget" | "service" | "full";

/** Everything a tier decides. Explicit configuration may override any field. */
export interface TierSettings {
    /**
     * Cloud Run minimum instances. 0 lets the service scale to zero (idle cost $0); each minimum
     * instance is billed while idle (the plan's cost estimate prints what it costs).
     */
    minInstances: number;
    /** Cloud Run maximum instances: the hard ceiling on a runaway bill. */
    maxInstances: number;
    /** vCPUs per instance, as Cloud Run spells them ("1", "2", "0.5"). */
    cpu: string;
    /** Memory per instance, e.g. "512Mi" or "1Gi". */
    memory: string;
    /**
     * CPU only during requests (request-based billing, $0.000024/vCPU-s while serving). `false`
     * keeps CPU always allocated (instance-based billing, $0.000018/vCPU-s for the whole life of
     * every instance): cheaper under steady load, needed for background work.
     */
    cpuIdle: boolean;
    /** Extra CPU during start-up (billed for start-up + 10 s): shorter cold starts. */
    startupCpuBoost: boolean;
    /** Requests one instance serves at once. */
    concurrency: number;
    /** Request timeout in seconds. */
    timeoutSeconds: number;
    /** `public` (anyone may invoke) or `iap` (Identity-Aware Proxy, named members only). */
    access: Access;
    /**
     * Direct VPC egress to private ranges. No connector is billed (a Serverless VPC connector
     * would cost ≈ $12/month); traffic is billed as VM egress.
     */
    privateEgress: boolean;
    /** Newest images the registry always keeps, whatever their age or tag. */
    registryKeepCount: number;
    /** Days after which untagged images are deleted ($0.10/GB-month saved per GB). */
    untaggedImageDays: number;
    /** Days after which any image, tagged or not (CI pushes `:<sha>` tags), is deleted, except the `registryKeepCount` newest. */
    imageRetentionDays: number;
    /** Monthly budget in the budget currency. */
    budgetAmount: number;
    /** Alerting: budget only; + 5xx and p95 latency policies; + uptime check and paging. */
    alerts: AlertLevel;
    /** Deletion protection on the service and `protect` on stateful resources. */
    protect: boolean;
    /**
     * Cloud SQL machine when `runway:database` is `managed`: `db-f1-micro` (shared core, ≈ $7.67
     * zonal) or `db-custom-<vCPU>-<MB>` (≈ $0.0413/vCPU-h + $0.0070/GB-h; 2 vCPU / 7.5 GB ≈ $98.62 zonal).
     */
    databaseMachine: string;
    /** Regional high availability (a standby in another zone): doubles the instance and storage price. */
    databaseHa: boolean;
    /** Automated daily backups kept (0 turns backups off: refused in production). */
    databaseBackups: number;
    /** Point-in-time recovery from transaction logs (7 days); needs backups. */
    databasePitr: boolean;
    /** Query insights (free) for slow-query analysis. */
    databaseInsights: boolean;
    /** Memorystore STANDARD_HA (replica + failover, ≈ $0.064/GB-h) instead of BASIC (≈ $0.049/GB-h). */
    cacheHa: boolean;
    /**
     * The edge (GCP): global HTTPS load balancer + Cloud Armor + managed certificate in front of the
     * service, whose ingress then admits only the load balancer. Needs a domain. ≈ $18.25/month
     * for the forwarding rules + $8/month for Cloud Armor's policy and 3 rules, plus per request and GB.
     */
    edge: boolean;
}

/** Budget alert thresholds (fractions of the amount) shared by all tiers. */
export const BUDGET_THRESHOLDS = {
    actual: [0.5, 0.9],
    forecasted: [1.0],
} as const;

/** Alert policy thresholds shared by the tiers that alert on the service. */
export const SERVICE_ALERTS = {
    /** 5xx responses as a fraction of all responses. */
    errorRatio: 0.05,
    /** p95 latency in milliseconds. */
    latencyP95Ms: 2000,
    /** How long a condition must hold before it fires, in seconds. */
    durationSeconds: 300,
} as const;

/** Managed data for solo and staging: db-f1-micro zonal (≈ $7.67 + $0.17/GB), 7 backups, BASIC cache. */
const SMALL_DATA = {
    databaseMachine: "db-f1-micro",
    databaseHa: false,
    databaseBackups: 7,
    databasePitr: false,
    databaseInsights: false,
    cacheHa: false,
} as const;

export const TIER_PRESETS: Readonly<Record<Tier, Readonly<TierSettings>>> = {
    /**
     * Scales to zero: idle ≈ $0/month for Cloud Run (requests inside the free tier of 180,000
     * vCPU-s and 2 M requests cost nothing); the budget alert is the only alarm.
     */
    solo: {
        minInstances: 0,
        maxInstances: 25,
        cpu: "1",
        memory: "512Mi",
        cpuIdle: true,
        startupCpuBoost: true,
        concurrency: 80,
        timeoutSeconds: 300,
        access: "public",
        privateEgress: false,
        registryKeepCount: 5,
        untaggedImageDays: 7,
        imageRetentionDays: 30,
        budgetAmount: 20,
        alerts: "budget",
        protect: false,
        edge: false,
        ...SMALL_DATA,
    },
    /**
     * Scales to zero behind IAP (idle ≈ $0 for Cloud Run); reaches private ranges through Direct
     * VPC egress (no connector fee). Alert policies are free today; the budget caps surprises.
     */
    staging: {
        minInstances: 0,
        maxInstances: 10,
        cpu: "1",
        memory: "512Mi",
        cpuIdle: true,
        startupCpuBoost: true,
        concurrency: 80,
        timeoutSeconds: 300,
        access: "iap",
        privateEgress: true,
        registryKeepCount: 10,
        untaggedImageDays: 7,
        imageRetentionDays: 30,
        budgetAmount: 100,
        alerts: "service",
        protect: false,
        edge: false,
        ...SMALL_DATA,
    },
    /**
     * One warm instance (no cold starts) with CPU always allocated: 2 vCPU × $0.000018 + 1 GiB ×
     * $0.000002 per second ≈ $100/month before free tier (the plan prints the exact figure);
     * protected against deletion.
     */
    production: {
        minInstances: 1,
        maxInstances: 100,
        cpu: "2",
        memory: "1Gi",
        cpuIdle: false,
        startupCpuBoost: true,
        concurrency: 80,
        timeoutSeconds: 300,
        access: "public",
        privateEgress: true,
        registryKeepCount: 30,
        untaggedImageDays: 7,
        imageRetentionDays: 90,
        budgetAmount: 500,
        alerts: "full",
        protect: true,
        databaseMachine: "db-custom-2-7680",
        databaseHa: true,
        databaseBackups: 30,
        databasePitr: true,
        databaseInsights: true,
        cacheHa: true,
        edge: true,
    },
};

/** Fields a caller set explicitly; `undefined` means "use the tier preset". */
export type TierOverrides = { readonly [K in keyof TierSettings]?: TierSettings[K] | undefined };

/** A problem naming `key` when `tier` is not a tier (components validate their `tier` argument with it). */
export function tierProblems(tier: unknown, key: string): { key: string; value: unknown; allowed: string }[] {
    return tier === undefined || isTier(tier) ? [] : [{ key, value: tier, allowed: `one of ${TIERS.join(", ")}` }];
}

/** True when `value` names a tier. */
export function isTier(value: unknown): value is Tier {
    return typeof value === "string" && (TIERS as readonly string[]).includes(value);
}

/**
 * The settings for `tier` with every explicitly set override applied.
 * @example resolveTier("production", { minInstances: 2 }).minInstances === 2
 */
export function resolveTier(tier: Tier, overrides: TierOverrides = {}): TierSettings {
    const preset = TIER_PRESETS[tier];
    if (!preset) {
        throw new Error(`unknown tier "${String(tier)}": expected one of ${TIERS.join(", ")}`);
    }
    const resolved: TierSettings = { ...preset };
    for (const key of Object.keys(overrides) as (keyof TierSettings)[]) {
        const value = overrides[key];
        if (value !== undefined) {
            (resolved as unknown as Record<string, unknown>)[key] = value;
        }
    }
    return resolved;
}

/** Where a deployer may run from: a branch, or a GitHub environment. */
export interface DeployTarget {
    /** Name used for the deployer's ids, e.g. "production". */
    readonly name: string;
    /** Branch whose pushes may deploy (e.g. "main"). */
    readonly branch?: string;
    /** GitHub environment whose jobs may deploy (e.g. "production"). */
    readonly environment?: string;
}

/**
 * The single CI source allowed to deploy a tier: solo deploys from the default branch; staging and
 * production only from jobs in their GitHub environment (`staging`, `production`), whose branch
 * policy admits only the staging and default branch. GitHub puts the environment, not the branch,
 * in the OIDC subject of any job that targets an environment, so the trust is bound to it.
 */
export function deploySourceFor(tier: Tier, defaultBranch: string): DeployTarget {
    switch (tier) {
        case "solo":
            return { name: "solo", branch: defaultBranch };
        case "staging":
            return { name: "staging", environment: "staging" };
        case "production":
            return { name: "production", environment: "production" };
    }
}
