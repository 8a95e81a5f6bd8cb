/**
 * The tier profile: every decision a tier makes, for both clouds, delivery, the cost estimate's usage
 * assumptions and alerting, as pure data in one table (`TIER_PROFILES`) plus pure resolvers. Every
 * tier-dependent branch in Runway reads a field of it; nothing else compares tier names. A tier is a
 * starting point: explicit configuration (or a component argument) wins.
 *
 * Monthly costs quoted below are list prices for us-central1 / us-east-1 (sources in
 * rules/cost/prices.ts), before free tiers, with 730 hours in a month.
 */
import type { Usage } from "./cost/usage";
import { Problem, RunwayInputError } from "./problems";

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
    /**
     * Share of requests (percent) a new revision serves first, while the metric gate watches it; 0
     * shifts all traffic at once after the smoke test. Cloud Run: a `--to-revisions` split read back
     * from Cloud Monitoring; ECS: the service's built-in CANARY strategy with rollback alarms.
     */
    canaryPercent: number;
    /**
     * Minutes the canary serves its share before the gate decides (ECS: the canary bake time). The
     * deploy job waits that long, so each deploy takes (and, on private repositories, bills) as much.
     */
    canaryMinutes: number;
}

export type NatStrategy = "none" | "single" | "perAz";
/** Where the service runs: Lambda (scales to zero, no VPC) or ECS Fargate behind a load balancer Runway creates. */
export type AwsRuntime = "lambda" | "fargate";

/** What a tier decides on AWS beyond the shared settings (budget, registry keep count, protect, timeout). */
export interface AwsTierSettings {
    /** solo: Lambda behind a function URL (idle ≈ $0); staging/production: Fargate tasks behind an ALB. */
    readonly runtime: AwsRuntime;
    /** Fargate CPU units (256 = 0.25 vCPU); unused on Lambda, where CPU follows memory. */
    readonly cpu: number;
    /** Task or function memory in MiB. */
    readonly memory: number;
    /** Fargate tasks always running (Fargate cannot scale to zero); 0 on Lambda. */
    readonly minTasks: number;
    /** Ceiling of the autoscaler (Fargate tasks); on Lambda the account's concurrency limit unless runway:maxInstances is set. */
    readonly maxTasks: number;
    /** none: no VPC (Lambda); single: one NAT (≈ $32.85/month + $0.045/GB); perAz: one per AZ. */
    readonly nat: NatStrategy;
    /** Availability zones of the VPC (tasks and the load balancer span them); 0 without a VPC. */
    readonly azCount: number;
    readonly logRetentionDays: number;
    /** The load balancer admits only runway:allowedCidrs (staging is not open to the world). */
    readonly allowListRequired: boolean;
    /** The load balancer must serve HTTPS (runway:domain: an ACM certificate) unless runway:allowPlainHttp says otherwise. */
    readonly httpsRequired: boolean;
    /** AWS WAF web ACL on the load balancer (≈ $9/month + $0.60 per million requests). */
    readonly waf: boolean;
    /** Secrets Manager ($0.40/secret-month, rotation-ready) instead of SSM SecureString (free). */
    readonly secretsManager: boolean;
    /** Days a deleted Secrets Manager secret is kept; 0 deletes at once so the stack can be re-created. */
    readonly secretRecoveryDays: number;
    /** ECR tag immutability (CI tags by commit SHA, Runway's own build by content). */
    readonly immutableTags: boolean;
}

/** Where a tier deploys from and what the repository enforces (delivery). */
export interface DeliveryProfile {
    /** The branch whose pushes deploy the tier: the repository's default branch or its staging branch. */
    readonly deployFrom: "defaultBranch" | "stagingBranch";
    /** GitHub environment the deploy job runs in (its name is the OIDC subject the deployer trusts); none: the branch is. */
    readonly environment?: string;
    /** Whether this tier's stack owns repository-wide settings (branch protection, ci and preview workflows). */
    readonly managesRepository: boolean;
    /** Approving reviews a pull request needs on the default branch. */
    readonly requiredApprovals: number;
    /** Stacks the preview workflow plans. */
    readonly previewStacks: readonly Tier[];
    /** At least one GitHub user must approve deployments (runway:githubReviewers). */
    readonly reviewersRequired: boolean;
}

/** Rules a tier holds its data to, beyond the overridable settings. */
export interface DataRules {
    /** Automated backups cannot be turned off (runway:databaseBackups ≥ 1). */
    readonly backupsRequired: boolean;
    /** A final snapshot is written when the database is deleted (AWS RDS). */
    readonly finalSnapshot: boolean;
    /** RDS instance class when runway:databaseMachine is unset (AWS). */
    readonly awsInstanceClass: string;
}

/** What a tier decides on runway:runtime kubernetes (rules/gcp/cluster.ts, rules/aws/eks.ts build from it). */
export interface KubernetesTierSettings {
    /** Pods kept at least: Kubernetes has no scale to zero; two keep production serving through a node or zone loss. */
    readonly minPods: number;
    /** GKE release channel: REGULAR gets patches sooner, STABLE upgrades least often. */
    readonly releaseChannel: "REGULAR" | "STABLE";
    /** GKE nodes without external IPs, egress through Cloud NAT (≈ $1/month + data). */
    readonly privateNodes: boolean;
    /** EKS managed node group: instance type (its vCPUs and MiB) and fixed node count, one per zone from staging up. */
    readonly eksNodes: { readonly instanceType: string; readonly vcpus: number; readonly memoryMiB: number; readonly count: number };
    /** EKS control-plane log types sent to CloudWatch Logs. */
    readonly eksLogTypes: readonly string[];
}

/** Everything one tier decides. */
export interface TierProfile {
    /** The overridable settings (Cloud Run, Cloud SQL, registry, budget, alerts, protect, edge): one config key each. */
    readonly settings: Readonly<TierSettings>;
    /** The AWS runtime and what it decides beyond the shared settings. */
    readonly aws: AwsTierSettings;
    /** The cluster and pods of runway:runtime kubernetes. */
    readonly kubernetes: KubernetesTierSettings;
    /** Usage assumptions of the cost estimate (runway:usage overrides them). */
    readonly usage: Usage;
    readonly delivery: DeliveryProfile;
    readonly data: DataRules;
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

/** Solo and staging ship in one step after the smoke test: too little traffic for a metric gate to judge. */
const NO_CANARY = { canaryPercent: 0, canaryMinutes: 10 } as const;

/** Managed data for solo and staging: db-f1-micro zonal (≈ $7.67 + $0.17/GB), 7 backups, BASIC cache. */
const SMALL_DATA = {
    databaseMachine: "db-f1-micro",
    databaseHa: false,
    databaseBackups: 7,
    databasePitr: false,
    databaseInsights: false,
    cacheHa: false,
} as const;

/** The state backend's usage: a few engineers and CI running Pulumi daily, the same for every tier. */
const STATE_USAGE = { stateStorageGb: 0.1, stateWritesPerMonth: 5_000, stateReadsPerMonth: 20_000, keyRequestsPerMonth: 1_000 } as const;

/**
 * Usage of resources other programs declare, the same for every tier: 1 GB in tables; 1 GB, 10,000
 * writes and 100,000 reads a month in each object storage bucket that is not Pulumi state; logs whose
 * group never expires are priced as one year kept (the estimate's horizon for growing charges).
 */
const ANY_PROGRAM_USAGE = {
    tableStorageGb: 1,
    objectStorageGb: 1,
    objectWritesPerMonth: 10_000,
    objectReadsPerMonth: 100_000,
    logRetentionDaysUnset: 365,
} as const;

/** A migration run (runway:migrationCommand): container start plus the migration, once per deploy. */
const RELEASE_USAGE = { migrationSecondsPerRun: 60 } as const;

export const TIER_PROFILES: Readonly<Record<Tier, TierProfile>> = {
    solo: {
        /**
         * Scales to zero: idle ≈ $0/month for Cloud Run (requests inside the free tier of 180,000
         * vCPU-s and 2 M requests cost nothing); the budget alert is the only alarm.
         */
        settings: {
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
            ...NO_CANARY,
            ...SMALL_DATA,
        },
        /** Lambda, 512 MB, function URL: idle ≈ $0.05/month (image storage); no VPC, no NAT, no load balancer. */
        aws: {
            runtime: "lambda",
            cpu: 0,
            memory: 512,
            minTasks: 0,
            maxTasks: 0,
            nat: "none",
            azCount: 0,
            logRetentionDays: 7,
            allowListRequired: false,
            httpsRequired: false,
            waf: false,
            secretsManager: false,
            secretRecoveryDays: 0,
            immutableTags: false,
        },
        /** One pod on Autopilot (public nodes: no NAT) or one t3.medium EKS node: a cluster is never $0 (fee $73/month; GKE's free tier credits one cluster per billing account). */
        kubernetes: {
            minPods: 1,
            releaseChannel: "REGULAR",
            privateNodes: false,
            eksNodes: { instanceType: "t3.medium", vcpus: 2, memoryMiB: 4096, count: 1 },
            eksLogTypes: ["audit"],
        },
        /** A side project. */
        usage: {
            requestsPerMonth: 100_000,
            avgRequestSeconds: 0.2,
            /** Average database CPU: burstable RDS classes bill the part above their baseline (Unlimited mode). */
            dbCpuUtilization: 0.05,
            egressGb: 1,
            imageStorageGb: 0.5,
            logGb: 0.5,
            secretAccessesPerMonth: 1_000,
            imagesPushedPerMonth: 4,
            ...STATE_USAGE,
            ...ANY_PROGRAM_USAGE,
            ...RELEASE_USAGE,
        },
        /** Deploys the default branch without an environment and owns the repository settings (a solo developer cannot approve their own pull request, so none is required). */
        delivery: {
            deployFrom: "defaultBranch",
            managesRepository: true,
            requiredApprovals: 0,
            previewStacks: ["solo"],
            reviewersRequired: false,
        },
        data: { backupsRequired: false, finalSnapshot: false, awsInstanceClass: "db.t4g.micro" },
    },
    staging: {
        /**
         * Scales to zero behind IAP (idle ≈ $0 for Cloud Run); reaches private ranges through Direct
         * VPC egress (no connector fee). Alert policies are free today; the budget caps surprises.
         */
        settings: {
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
            ...NO_CANARY,
            ...SMALL_DATA,
        },
        /** One 0.5 vCPU / 1 GB task ≈ $18.02/month, one NAT ≈ $32.85, an ALB ≈ $16.43 + 2 public IPv4 ≈ $7.30, CIDR allow-list. */
        aws: {
            runtime: "fargate",
            cpu: 512,
            memory: 1024,
            minTasks: 1,
            maxTasks: 4,
            nat: "single",
            azCount: 2,
            logRetentionDays: 14,
            allowListRequired: true,
            httpsRequired: false,
            waf: false,
            secretsManager: false,
            secretRecoveryDays: 0,
            immutableTags: false,
        },
        /** Private nodes behind Cloud NAT; two t3.medium EKS nodes in two zones. */
        kubernetes: {
            minPods: 1,
            releaseChannel: "REGULAR",
            privateNodes: true,
            eksNodes: { instanceType: "t3.medium", vcpus: 2, memoryMiB: 4096, count: 2 },
            eksLogTypes: ["audit", "authenticator"],
        },
        /** A team's staging. */
        usage: {
            requestsPerMonth: 300_000,
            avgRequestSeconds: 0.2,
            /** Average database CPU: burstable RDS classes bill the part above their baseline (Unlimited mode). */
            dbCpuUtilization: 0.1,
            egressGb: 5,
            imageStorageGb: 2,
            logGb: 2,
            secretAccessesPerMonth: 5_000,
            imagesPushedPerMonth: 20,
            ...STATE_USAGE,
            ...ANY_PROGRAM_USAGE,
            ...RELEASE_USAGE,
        },
        /** Deploys its branch through the `staging` environment. */
        delivery: {
            deployFrom: "stagingBranch",
            environment: "staging",
            managesRepository: false,
            requiredApprovals: 1,
            previewStacks: ["staging", "production"],
            reviewersRequired: false,
        },
        data: { backupsRequired: false, finalSnapshot: false, awsInstanceClass: "db.t4g.micro" },
    },
    production: {
        /**
         * One warm instance (no cold starts) with CPU always allocated: 2 vCPU × $0.000018 + 1 GiB ×
         * $0.000002 per second ≈ $100/month before free tier (the plan prints the exact figure);
         * protected against deletion.
         */
        settings: {
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
            // A tenth of the requests for 10 minutes: at production's usage (≈ 5 M requests a month, ≈ 1,160
            // per 10 minutes) the canary serves ≈ 115 requests before the gate reads its 5xx ratio and p95.
            canaryPercent: 10,
            canaryMinutes: 10,
        },
        /** Two 1 vCPU / 2 GB tasks across 3 AZs ≈ $72.08, NAT per AZ ≈ $98.55, ALB + 3 public IPv4 ≈ $27.38, WAF ≈ $9. */
        aws: {
            runtime: "fargate",
            cpu: 1024,
            memory: 2048,
            minTasks: 2,
            maxTasks: 20,
            nat: "perAz",
            azCount: 3,
            logRetentionDays: 90,
            allowListRequired: false,
            httpsRequired: true,
            waf: true,
            secretsManager: true,
            secretRecoveryDays: 30,
            immutableTags: true,
        },
        /** Two pods at least, STABLE channel, private nodes; three m6i.xlarge EKS nodes (the tier's 2-vCPU pods fit one per node), all control-plane logs. */
        kubernetes: {
            minPods: 2,
            releaseChannel: "STABLE",
            privateNodes: true,
            eksNodes: { instanceType: "m6i.xlarge", vcpus: 4, memoryMiB: 16384, count: 3 },
            eksLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
        },
        /** A small production service. */
        usage: {
            requestsPerMonth: 5_000_000,
            avgRequestSeconds: 0.2,
            /** Average database CPU: burstable RDS classes bill the part above their baseline (Unlimited mode). */
            dbCpuUtilization: 0.2,
            egressGb: 50,
            imageStorageGb: 6,
            logGb: 20,
            secretAccessesPerMonth: 50_000,
            imagesPushedPerMonth: 20,
            ...STATE_USAGE,
            ...ANY_PROGRAM_USAGE,
            ...RELEASE_USAGE,
        },
        /** Deploys the default branch through the `production` environment (with reviewers) and owns the repository settings for both. */
        delivery: {
            deployFrom: "defaultBranch",
            environment: "production",
            managesRepository: true,
            requiredApprovals: 1,
            previewStacks: ["staging", "production"],
            reviewersRequired: true,
        },
        data: { backupsRequired: true, finalSnapshot: true, awsInstanceClass: "db.t4g.micro" },
    },
};

/** Fields a caller set explicitly; `undefined` means "use the tier preset". */
export type TierOverrides = { readonly [K in keyof TierSettings]?: TierSettings[K] | undefined };

/** A problem naming `key` when `tier` is not a tier (components validate their `tier` argument with it). */
export function tierProblems(tier: unknown, key: string): Problem[] {
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
    const preset = TIER_PROFILES[tier]?.settings;
    if (!preset) {
        throw new RunwayInputError("Invalid tier", tierProblems(tier, "tier"));
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

/** Where a CI identity may be used from: jobs in one GitHub environment, or one workflow file run on one branch. */
export interface DeployTarget {
    /** Name used for the identity's ids, e.g. "production". */
    readonly name: string;
    /** GitHub environment whose jobs may use it (e.g. "production"); GitHub enforces its branch policy and reviewers. */
    readonly environment?: string;
    /** Branch whose runs of `workflow` may use it (e.g. "main"); only with `workflow`. */
    readonly branch?: string;
    /** The one workflow file whose jobs may use it on `branch` (e.g. ".github/workflows/deploy-solo.yml"). */
    readonly workflow?: string;
}

/**
 * The deploy workflow file of a stack, relative to the repository root: `deploy-<stack>.yml`, so two
 * stacks of one tier never write one file, and a stack named after its tier keeps `deploy-<tier>.yml`.
 * @example deployWorkflowPath("solo") === ".github/workflows/deploy-solo.yml"
 */
export function deployWorkflowPath(stack: string): string {
    return `.github/workflows/deploy-${stack}.yml`;
}

/**
 * The GitHub environment a stack's real `pulumi preview` runs in: its required reviewers approve
 * each pull request's preview before GitHub issues the token the stack's read-only previewer trusts.
 * @example previewEnvironment("production") === "runway-preview-production"
 */
export function previewEnvironment(stack: string): string {
    return `runway-preview-${stack}`;
}

/** The profile of `tier`. */
export function profileFor(tier: Tier): TierProfile {
    return TIER_PROFILES[tier];
}

/** The tiers whose profile satisfies `holds`, in tier order (e.g. those that require reviewers). */
export function tiersWhere(holds: (profile: TierProfile) => boolean): Tier[] {
    return TIERS.filter((t) => holds(TIER_PROFILES[t]));
}

/** What delivery a tier gets, with the repository's branch names filled in. */
export interface TierDelivery {
    /** Branch whose pushes deploy the tier. */
    readonly deployBranch: string;
    /** GitHub environment the deploy job runs in; its branch policy admits only `deployBranch`. */
    readonly environment?: string;
    /** Whether this tier's stack owns repository-wide settings (branch protection, ci and preview workflows). */
    readonly managesRepository: boolean;
    /** Approving reviews a pull request needs on the default branch. */
    readonly requiredApprovals: number;
    /** Stacks the preview workflow plans. */
    readonly previewStacks: string[];
}

/**
 * The tier's delivery profile with the repository's branch names (`TIER_PROFILES[tier].delivery`);
 * the stacks the preview workflows plan name this stack by its real name (`stack`, @default the tier),
 * the tier's other stacks by their tier.
 */
export function deliveryFor(tier: Tier, defaultBranch: string, stagingBranch: string, stack: string = tier): TierDelivery {
    const d = TIER_PROFILES[tier].delivery;
    return {
        deployBranch: d.deployFrom === "stagingBranch" ? stagingBranch : defaultBranch,
        ...(d.environment !== undefined ? { environment: d.environment } : {}),
        managesRepository: d.managesRepository,
        requiredApprovals: d.requiredApprovals,
        previewStacks: d.previewStacks.map((t) => (t === tier ? stack : t)),
    };
}

/**
 * The single CI source allowed to deploy a tier, from the same delivery profile: a job in the tier's
 * GitHub environment (whose branch policy admits only the deploy branch), or, when the tier has no
 * environment, the stack's deploy workflow run on the deploy branch (never any other workflow there).
 * `stack` (@default the tier) names that workflow; the identity keeps the tier's name.
 */
export function deploySourceFor(tier: Tier, defaultBranch: string, stagingBranch = "staging", stack: string = tier): DeployTarget {
    const d = deliveryFor(tier, defaultBranch, stagingBranch);
    return d.environment !== undefined
        ? { name: tier, environment: d.environment }
        : { name: tier, branch: d.deployBranch, workflow: deployWorkflowPath(stack) };
}

/**
 * The profile a library component fills its unset arguments from: its `tier` argument's, or
 * `fallback` (the @default tier the component documents) when unset or not a tier (the tier
 * argument's own check reports a bad value). The Runway program resolves its stacks from the same
 * profiles (stacks/resolve.ts), so a component and the program never disagree on a default.
 */
export function componentProfile(tier: Tier | undefined, fallback: Tier): TierProfile {
    return TIER_PROFILES[componentTier(tier, fallback)];
}

/** The tier a library component resolves its defaults for: its `tier` argument, or `fallback` when unset or not a tier. */
export function componentTier(tier: Tier | undefined, fallback: Tier): Tier {
    return isTier(tier) ? tier : fallback;
}

/** The AWS preset of `tier` when it runs on `runtime`, else of the first tier that does (a Lambda function takes solo's). */
export function awsRuntimePreset(runtime: AwsRuntime, tier?: Tier): AwsTierSettings {
    const own = isTier(tier) ? TIER_PROFILES[tier].aws : undefined;
    if (own?.runtime === runtime) return own;
    return TIER_PROFILES[TIERS.find((t) => TIER_PROFILES[t].aws.runtime === runtime) ?? "staging"].aws;
}
