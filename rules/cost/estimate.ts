/**
 * Monthly cost of a stack from its resources' inputs: pure pricing functions per resource type
 * over the price table and stated usage. Resources without a price are listed as "no direct cost"
 * or "unpriced", never dropped. Free tiers are per billing account (or project) and are shown as
 * separate credit lines, applied once per stack.
 */
import { PER_DEPLOY_USAGE_TAG } from "../aws/smokeTest";
import { AWS_PRICES, Confidence, GCP_PRICES, HOURS_PER_MONTH, Price, SECONDS_PER_MONTH } from "./prices";
import { ANY_PROGRAM_AWS, ANY_PROGRAM_GCP } from "./anyProgram";
import { KUBERNETES_NO_DIRECT_COST, NODE_BILLED, autopilotPricers, kubernetesHost, serviceIsFree } from "./kubernetes";
import { Counts, cpuOf, Draft, gibOf, num, Pricer } from "./draft";

export { cpuOf, gibOf };
import { Usage, idleUsage } from "./usage";

export interface PricedResource {
    readonly urn: string;
    readonly type: string;
    readonly props: Record<string, any>;
    /** The region of the resource's provider, when known (a stack policy sees the provider's inputs). */
    readonly providerRegion?: string;
}

export interface CostLine {
    /** The resource ("" for stack-wide free-tier credits). */
    readonly urn: string;
    readonly type: string;
    readonly dimension: string;
    readonly quantity: number;
    readonly unit: string;
    readonly unitPrice: number;
    readonly monthly: number;
    readonly confidence: Confidence;
    readonly source: string;
}

export interface CostEstimate {
    readonly currency: "USD";
    /** Nothing served: minimum instances, databases, storage. */
    readonly idleMonthly: number;
    /** At the stated usage, after free tiers. */
    readonly usageMonthly: number;
    /** Free-tier credits included in usageMonthly (negative). */
    readonly freeTierMonthly: number;
    readonly lines: CostLine[];
    readonly assumptions: Usage & { readonly regions: string[]; readonly freeTier: string; readonly hoursPerMonth: number };
    readonly unpriced: { urn: string; type: string; reason: string }[];
    readonly noDirectCost: { urn: string; type: string }[];
    /** Resources with at least one unpriced dimension, each counted once. */
    readonly unpricedResources: number;
    /**
     * What the totals are: the whole estimate ("exact"), a lower bound because some resources are
     * unpriced ("at least"), or "unknown" when resources are unpriced and nothing was priced.
     */
    readonly bound: Bound;
}

export type Bound = "exact" | "at least" | "unknown";

/** The count of unpriced resources and what the totals therefore are (never a bare $0 for what is not known). */
export function boundOf(c: Pick<CostEstimate, "unpriced" | "lines">): { unpricedResources: number; bound: Bound } {
    const unpricedResources = new Set(c.unpriced.map((u) => u.urn)).size;
    if (unpricedResources === 0) return { unpricedResources, bound: "exact" };
    return { unpricedResources, bound: c.lines.some((l) => l.urn !== "") ? "at least" : "unknown" };
}

export interface EstimateOptions {
    readonly usage: Usage;
    /** Region of resources that do not name one (the provider's `gcp:region` / `aws:region`). */
    readonly defaultRegions?: { readonly gcp?: string; readonly aws?: string };
}

/** Types that cost nothing by themselves (their usage is billed elsewhere, or they are free). */
const NO_DIRECT_COST = [
    /^gcp:(serviceaccount|iam|projects|organizations)\//,
    /IamMember:|IamBinding:|IAMMember:|IAMBinding:|\/iamMember:|\/iamBinding:/,
    // Objects, notifications and wiring: billed through the bucket, API, queue or function they belong to.
    /^gcp:storage\/bucketObject:/,
    /^gcp:pubsub\/subscription:/,
    /^aws:s3\/(bucketObject|bucketObjectv2|bucketNotification|bucketWebsiteConfiguration|bucketWebsiteConfigurationV2|bucketAcl|bucketCorsConfiguration|bucketCorsConfigurationV2)(V2)?:/,
    /^aws:apigateway\/(resource|method|integration|deployment|methodResponse|integrationResponse|apiKey|usagePlan|usagePlanKey|basePathMapping|domainName|account):/,
    /^aws:apigatewayv2\/(route|integration|stage|deployment|apiMapping|domainName):/,
    /^aws:appsync\/(apiKey|dataSource|resolver|function):/,
    /^aws:lambda\/eventSourceMapping:/,
    /^aws:ec2\/(networkInterface|networkInterfaceAttachment|keyPair|launchTemplate|mainRouteTableAssociation|route|networkAcl):/,
    /^aws:cloudwatch\/(eventRule|eventTarget|eventBus|logStream|logMetricFilter):/,
    /^gcp:billing\/budget:/,
    /^gcp:monitoring\/(notificationChannel|dashboard):/,
    /^gcp:pubsub\/topic:/,
    /^gcp:compute\/(network|subnetwork|router|firewall|globalAddress):/,
    /^gcp:secretmanager\/secret:/,
    /^gcp:kms\/keyRing:/,
    /^gcp:compute\/(regionNetworkEndpointGroup|uRLMap|targetHttpsProxy|targetHttpProxy|managedSslCertificate|sSLPolicy):/,
    /^gcp:cloudrun\/domainMapping:/,
    /^gcp:dns\/recordSet:/,
    /^gcp:servicenetworking\/connection:/,
    /^gcp:sql\/(database|user):/,
    /^gcp:iap\//,
    /^random:/,
    /^github:/,
    /^docker:/,
    /^docker-build:/,
    /^tls:/,
    /^command:/,
    /^aws:iam\//,
    /^aws:budgets\//,
    /^aws:sns\//,
    /^aws:ec2\/(vpc|subnet|routeTable|routeTableAssociation|internetGateway|securityGroup|vpcEndpoint)/,
    /^aws:ecs\/cluster:/,
    /^aws:ecr\/(lifecyclePolicy|registryScanningConfiguration|repositoryPolicy):/,
    /^aws:ssm\/parameter:/,
    /^aws:kms\/alias:/,
    /^aws:s3\/bucket(Versioning|ServerSideEncryptionConfiguration|PublicAccessBlock|OwnershipControls|Policy|LifecycleConfiguration)(V2)?:/,
    /^aws:secretsmanager\/secretVersion:/,
    /^aws:rds\/(subnetGroup|parameterGroup):/,
    // Billed through what they attach to: the load balancer (LCU), the web ACL, the function, the service.
    /^aws:lb\/(targetGroup|listener|listenerRule):/,
    /^aws:acm\/(certificate|certificateValidation):/,
    /^aws:wafv2\/webAclAssociation:/,
    /^aws:appautoscaling\/(target|policy):/,
    /^aws:lambda\/(alias|functionUrl|permission):/,
    /^aws:elasticache\/(subnetGroup|parameterGroup):/,
    // EKS: add-ons run as Pods on the (priced) nodes; access entries and Pod Identity associations are free.
    /^aws:eks\/(addon|accessEntry|accessPolicyAssociation|podIdentityAssociation):/,
    /^aws:vpc\/securityGroup(Ingress|Egress)Rule:/,
    /^aws:autoscaling\/attachment:/,
];

/** Bytes a request brings into the load balancer (headers and a small body): the inbound data assumption. */
export const LB_INBOUND_KIB_PER_REQUEST = 2;

/** The first five global forwarding rules share one hourly fee; each one beyond pays its own. */
const globalForwardingRule: Pricer = (_r, _usage, counts) => {
    const n = Math.max(1, counts.globalForwardingRules);
    return [
        {
            dimension: `share of the flat fee for the first 5 forwarding rules (${n} in the stack)`,
            priceKey: "lb.rules.first5",
            quantity: HOURS_PER_MONTH / n,
        },
        ...(n > 5
            ? [
                  {
                      dimension: "share of the rules beyond the first 5",
                      priceKey: "lb.rules.additional",
                      quantity: ((n - 5) * HOURS_PER_MONTH) / n,
                  },
              ]
            : []),
    ];
};

/** Cloud Armor Standard: the policy, each rule, and every request it evaluates. */
const securityPolicy: Pricer = (r, usage) => {
    const rules = Array.isArray(r.props.rules) ? r.props.rules.length : 1;
    return [
        { dimension: "Cloud Armor policy", priceKey: "armor.policy", quantity: 1 },
        { dimension: `${rules} rules (default rule included)`, priceKey: "armor.rule", quantity: rules },
        { dimension: "requests evaluated", priceKey: "armor.requests", quantity: usage.requestsPerMonth / 1e6 },
    ];
};

/** Size of one load balancer request log entry: the logging assumption. */
export const LB_LOG_KIB_PER_REQUEST = 1;

/** Data an external Application Load Balancer processes (every response, i.e. the egress, and every request) and its sampled request logs. */
const loadBalancerData: Pricer = (r, usage) => {
    if (r.props.loadBalancingScheme !== "EXTERNAL_MANAGED") return [];
    const sampled = r.props.logConfig?.enable === true ? num(r.props.logConfig.sampleRate, 1) : 0;
    return [
        {
            dimension: `inbound data processed (${LB_INBOUND_KIB_PER_REQUEST} KiB per request)`,
            priceKey: "lb.data.inbound",
            quantity: (usage.requestsPerMonth * LB_INBOUND_KIB_PER_REQUEST) / 2 ** 20,
        },
        { dimension: `outbound data processed (${usage.egressGb} GB egress)`, priceKey: "lb.data.outbound", quantity: usage.egressGb },
        ...(sampled > 0
            ? [
                  {
                      dimension: `request logs (${sampled * 100}% sampled, ${LB_LOG_KIB_PER_REQUEST} KiB each)`,
                      priceKey: "logging.storage",
                      quantity: (usage.requestsPerMonth * sampled * LB_LOG_KIB_PER_REQUEST) / 2 ** 20,
                  },
              ]
            : []),
    ];
};

/** A Cloud Run (v1, Knative-style) service in the shape the v2 pricer reads: limits, min scale, CPU throttling. */
function cloudRunV1AsV2(r: PricedResource): PricedResource {
    const spec = r.props.template?.spec ?? {};
    const annotations = r.props.template?.metadata?.annotations ?? {};
    return {
        ...r,
        props: {
            location: r.props.location,
            template: {
                scaling: { minInstanceCount: num(annotations["autoscaling.knative.dev/minScale"], 0) },
                containers: [
                    {
                        resources: {
                            limits: spec.containers?.[0]?.resources?.limits ?? {},
                            cpuIdle: annotations["run.googleapis.com/cpu-throttling"] !== "false",
                        },
                    },
                ],
            },
        },
    };
}

const cloudRun: Pricer = (r, usage) => {
    const t = r.props.template ?? {};
    const limits = t.containers?.[0]?.resources?.limits ?? {};
    const cpu = cpuOf(limits.cpu, 1);
    const mem = gibOf(limits.memory, 0.5);
    // The warm floor: service-level scaling (shared by the serving revisions) or the revision's own.
    const min = Math.max(num(r.props.scaling?.minInstanceCount, 0), num(t.scaling?.minInstanceCount, 0));
    const requestBased = t.containers?.[0]?.resources?.cpuIdle !== false;
    const active = usage.requestsPerMonth * usage.avgRequestSeconds;
    if (requestBased) {
        const idleSeconds = Math.max(0, min * SECONDS_PER_MONTH - active);
        return [
            { dimension: "CPU while serving", priceKey: "run.request.cpu", quantity: cpu * active },
            { dimension: "memory while serving", priceKey: "run.request.memory", quantity: mem * active },
            { dimension: "requests", priceKey: "run.request.requests", quantity: usage.requestsPerMonth / 1e6 },
            ...(min > 0
                ? [
                      { dimension: `CPU of ${min} idle minimum instance(s)`, priceKey: "run.idle.cpu", quantity: cpu * idleSeconds },
                      { dimension: `memory of ${min} idle minimum instance(s)`, priceKey: "run.idle.memory", quantity: mem * idleSeconds },
                  ]
                : []),
            { dimension: "logs", priceKey: "logging.storage", quantity: usage.logGb },
            ...egress(usage),
        ];
    }
    const instanceSeconds = Math.max(min * SECONDS_PER_MONTH, active);
    return [
        { dimension: "CPU, always allocated", priceKey: "run.instance.cpu", quantity: cpu * instanceSeconds },
        { dimension: "memory, always allocated", priceKey: "run.instance.memory", quantity: mem * instanceSeconds },
        { dimension: "logs", priceKey: "logging.storage", quantity: usage.logGb },
        ...egress(usage),
    ];
};

/** A job bills CPU and memory per second of its tasks, as instance-based services do (cloud.google.com/run/pricing, "Jobs"). */
const cloudRunJob: Pricer = (r, usage) => {
    const t = r.props.template ?? {};
    const limits = t.template?.containers?.[0]?.resources?.limits ?? {};
    const seconds = usage.imagesPushedPerMonth * usage.migrationSecondsPerRun * num(t.taskCount, 1);
    const runs = `${usage.imagesPushedPerMonth} run(s) × ${usage.migrationSecondsPerRun} s`;
    return [
        { dimension: `CPU, ${runs}`, priceKey: "run.instance.cpu", quantity: cpuOf(limits.cpu, 1) * seconds },
        { dimension: `memory, ${runs}`, priceKey: "run.instance.memory", quantity: gibOf(limits.memory, 0.5) * seconds },
    ];
};

/** Internet egress from the service (Premium Tier; the edge's responses leave through the same network). */
const egress = (usage: Usage): Draft[] =>
    usage.egressGb > 0
        ? [{ dimension: `internet egress (${usage.egressGb} GB)`, priceKey: "network.internet-egress", quantity: usage.egressGb }]
        : [];

/** db-custom-<vCPU>-<MB>, db-f1-micro, db-g1-small. */
const cloudSql: Pricer = (r) => {
    const s = r.props.settings ?? {};
    const tier = String(s.tier ?? "");
    const ha = s.availabilityType === "REGIONAL" ? 2 : 1;
    const disk = num(s.diskSize, 10);
    const drafts: Draft[] = [];
    const custom = /^db-custom-(\d+)-(\d+)$/.exec(tier);
    if (custom) {
        drafts.push({
            dimension: `${custom[1]} vCPU${ha === 2 ? " (HA ×2)" : ""}`,
            priceKey: "sql.custom.cpu",
            quantity: Number(custom[1]) * HOURS_PER_MONTH * ha,
        });
        drafts.push({
            dimension: `${Number(custom[2]) / 1024} GB memory${ha === 2 ? " (HA ×2)" : ""}`,
            priceKey: "sql.custom.memory",
            quantity: (Number(custom[2]) / 1024) * HOURS_PER_MONTH * ha,
        });
    } else {
        drafts.push({ dimension: `${tier}${ha === 2 ? " (HA ×2)" : ""}`, priceKey: `sql.${tier}`, quantity: ha });
    }
    drafts.push({ dimension: `${disk} GB SSD${ha === 2 ? " (HA ×2)" : ""}`, priceKey: "sql.storage.ssd", quantity: disk * ha });
    if (s.backupConfiguration?.enabled === true) {
        // One full copy of the disk as backup storage: retained backups are incremental.
        drafts.push({ dimension: "backups (≈ one disk copy)", priceKey: "sql.backup", quantity: disk });
    }
    return drafts;
};

const redis: Pricer = (r) => {
    const gb = num(r.props.memorySizeGb, 1);
    const standard = r.props.tier === "STANDARD_HA";
    const band = gb <= 4 ? "m1" : "m2";
    return [
        {
            dimension: `${gb} GB ${standard ? "Standard (HA)" : "Basic"} ${band.toUpperCase()}`,
            priceKey: `redis.${standard ? "standard" : "basic"}.${band}`,
            quantity: gb * HOURS_PER_MONTH,
        },
    ];
};

/** The component types whose bucket holds Pulumi state: Runway's bootstrap backends (bootstrap/gcp.ts, bootstrap/aws.ts). */
const STATE_BACKENDS = ["runway:bootstrap:GcpStateBackend", "runway:bootstrap:AwsStateBackend"];

/**
 * True for Runway's bootstrap state bucket: a bucket whose parent is a state backend component. The
 * URN's qualified type (`urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>`) names its parents.
 */
export function isStateBucket(urn: string): boolean {
    const chain = (urn.split("::")[2] ?? "").split("$");
    return chain.length >= 2 && STATE_BACKENDS.includes(chain[chain.length - 2]);
}

const count = (n: number) => n.toLocaleString("en-US");

interface BucketKeys {
    readonly storage: string;
    readonly writes: string;
    readonly reads: string;
}

/**
 * An object storage bucket. Runway's state bucket: stored state and the operations Pulumi makes on
 * it. Any other bucket: the stated object usage (`objectStorageGb`, `objectWritesPerMonth`,
 * `objectReadsPerMonth`) at its storage class's prices (`keys` are Standard's; `otherClass` gives
 * another class's, which are unpriced while the table has none).
 */
const bucket =
    (keys: BucketKeys, otherClass: (props: Record<string, any>) => (BucketKeys & { name: string }) | undefined = () => undefined): Pricer =>
    (r, usage) => {
        if (isStateBucket(r.urn))
            return [
                { dimension: "state storage (all versions)", priceKey: keys.storage, quantity: usage.stateStorageGb },
                { dimension: "state writes", priceKey: keys.writes, quantity: usage.stateWritesPerMonth / 1000 },
                { dimension: "state reads and lists", priceKey: keys.reads, quantity: usage.stateReadsPerMonth / 1000 },
            ];
        const other = otherClass(r.props);
        const priced = other ?? keys;
        return [
            {
                dimension: `object storage (${usage.objectStorageGb} GB${other ? ` ${other.name}` : ""} at stated usage)`,
                priceKey: priced.storage,
                quantity: usage.objectStorageGb,
            },
            {
                dimension: `object writes and lists (${count(usage.objectWritesPerMonth)} a month at stated usage)`,
                priceKey: priced.writes,
                quantity: usage.objectWritesPerMonth / 1000,
            },
            {
                dimension: `object reads (${count(usage.objectReadsPerMonth)} a month at stated usage)`,
                priceKey: priced.reads,
                quantity: usage.objectReadsPerMonth / 1000,
            },
        ];
    };

/** A Cloud Storage bucket whose default storage class is not Standard (NEARLINE, COLDLINE, ARCHIVE): that class's price keys. */
const gcsOtherClass = (props: Record<string, any>) => {
    const cls = typeof props.storageClass === "string" ? props.storageClass.toLowerCase() : "";
    if (["", "standard", "regional", "multi_regional"].includes(cls)) return undefined;
    return { name: cls, storage: `storage.${cls}`, writes: `storage.${cls}.classA`, reads: `storage.${cls}.classB` };
};

/** The horizon over which accumulating charges (key versions) are priced: the estimate shows month 12. */
export const KEY_HORIZON_MONTHS = 12;

/** "7776000s" → seconds; NaN when unset or unreadable. */
const seconds = (v: unknown): number => (typeof v === "string" && /^\d+(\.\d+)?s$/.test(v) ? Number(v.slice(0, -1)) : NaN);

/**
 * Billed versions of a Cloud KMS key after the horizon: every rotation adds a version, and each enabled
 * version is billed (https://cloud.google.com/kms/docs/key-rotation; kms/pricing). Old versions stay enabled
 * unless destroyed, so the count only grows: priced at month KEY_HORIZON_MONTHS, not as one version forever.
 */
export function gcpKeyVersions(rotationPeriod: unknown): number {
    const period = seconds(rotationPeriod);
    if (!(period > 0)) return 1;
    return 1 + Math.floor((KEY_HORIZON_MONTHS * HOURS_PER_MONTH * 3600) / period);
}

/** AWS KMS: $1 per key, plus $1 for each of its first two rotations (later ones are free, since 2024-05); default period 365 days. */
export function awsKeyVersions(rotation: boolean, periodDays: unknown): number {
    if (!rotation) return 1;
    const days = num(periodDays, 365);
    return 1 + Math.min(2, Math.floor((KEY_HORIZON_MONTHS * HOURS_PER_MONTH) / 24 / days));
}

/**
 * Baseline CPU per vCPU (fraction) and vCPUs of the burstable RDS classes. RDS runs T4g and T3 DB instances
 * in Unlimited mode only ("Amazon RDS T4g and T3 DB instances … run in Unlimited mode", RDS user guide,
 * "Burstable instance classes"): CPU above the baseline is billed as surplus credits per vCPU-hour.
 */
const BURSTABLE: Record<string, { baseline: number; vcpus: number }> = {
    "db.t4g.micro": { baseline: 0.1, vcpus: 2 },
    "db.t4g.small": { baseline: 0.2, vcpus: 2 },
    "db.t4g.medium": { baseline: 0.2, vcpus: 2 },
    "db.t4g.large": { baseline: 0.3, vcpus: 2 },
    "db.t3.micro": { baseline: 0.1, vcpus: 2 },
    "db.t3.small": { baseline: 0.2, vcpus: 2 },
    "db.t3.medium": { baseline: 0.2, vcpus: 2 },
    "db.t3.large": { baseline: 0.3, vcpus: 2 },
};

/** Surplus CPU credits of a burstable class at the stated average utilisation (none at or below the baseline). */
export function rdsSurplusCredits(instanceClass: string, utilization: number, instances = 1): Draft[] {
    const b = BURSTABLE[instanceClass];
    if (!b) return [];
    const above = Math.max(0, utilization - b.baseline);
    return [
        {
            dimension: `surplus CPU credits (Unlimited mode; ${Math.round(utilization * 100)}% average CPU vs ${b.baseline * 100}% baseline × ${b.vcpus} vCPUs)`,
            priceKey: "rds.cpu-credits",
            quantity: above * b.vcpus * HOURS_PER_MONTH * instances,
        },
    ];
}

const GCP_PRICERS: Record<string, Pricer> = {
    ...ANY_PROGRAM_GCP,
    "gcp:cloudrun/service:Service": (r, usage, counts) => cloudRun(cloudRunV1AsV2(r), usage, counts),
    "gcp:storage/bucket:Bucket": bucket({ storage: "storage.standard", writes: "storage.classA", reads: "storage.classB" }, gcsOtherClass),
    "gcp:kms/cryptoKey:CryptoKey": (r, usage) => {
        const versions = gcpKeyVersions(r.props.rotationPeriod);
        return [
            {
                dimension:
                    versions === 1
                        ? "active key version (no rotation)"
                        : `${versions} key versions after ${KEY_HORIZON_MONTHS} months of rotation every ${Math.round(seconds(r.props.rotationPeriod) / 86400)} days (each rotation adds a billed version)`,
                priceKey: "kms.software.version",
                quantity: versions,
            },
            { dimension: "key operations", priceKey: "kms.software.operation", quantity: usage.keyRequestsPerMonth / 10_000 },
        ];
    },
    "gcp:cloudrunv2/service:Service": cloudRun,
    "gcp:cloudrunv2/job:Job": cloudRunJob,
    "gcp:sql/databaseInstance:DatabaseInstance": cloudSql,
    "gcp:redis/instance:Instance": redis,
    "gcp:compute/routerNat:RouterNat": (_r, usage, counts) => [
        { dimension: "gateway (1 instance using it)", priceKey: "nat.gateway", quantity: HOURS_PER_MONTH },
        {
            dimension: "data processed (share of all egress)",
            priceKey: "nat.data",
            quantity: usage.egressGb / Math.max(1, counts.natGateways),
        },
    ],
    "gcp:compute/address:Address": (r) =>
        (r.props.addressType ?? "EXTERNAL") === "EXTERNAL"
            ? [{ dimension: "static external IP (in use by NAT)", priceKey: "nat.ip", quantity: HOURS_PER_MONTH }]
            : [],
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": globalForwardingRule,
    "gcp:compute/securityPolicy:SecurityPolicy": securityPolicy,
    "gcp:compute/backendService:BackendService": loadBalancerData,
    "gcp:vpcaccess/connector:Connector": (r) => [
        { dimension: "connector instances", priceKey: "vpcaccess.connector", quantity: num(r.props.minInstances, 2) },
    ],
    "gcp:artifactregistry/repository:Repository": (r, usage) => [
        { dimension: "image storage", priceKey: "artifactregistry.storage", quantity: usage.imageStorageGb },
        ...(r.props.vulnerabilityScanningConfig?.enablementConfig === "DISABLED"
            ? []
            : [
                  {
                      dimension: "vulnerability scans of new images",
                      priceKey: "artifactanalysis.scan",
                      quantity: usage.imagesPushedPerMonth,
                  },
              ]),
    ],
    "gcp:secretmanager/secretVersion:SecretVersion": (_r, usage, counts) => [
        { dimension: "active version", priceKey: "secretmanager.version", quantity: 1 },
        {
            dimension: "accesses (share of all secrets)",
            priceKey: "secretmanager.access",
            quantity: usage.secretAccessesPerMonth / 10_000 / Math.max(1, counts.secretVersions),
        },
    ],
    // Billed per condition, plus the time series each condition's query returns per execution period
    // (30 s for metric conditions; Runway's conditions aggregate to one series each).
    "gcp:monitoring/alertPolicy:AlertPolicy": (r) => {
        const conditions = Array.isArray(r.props.conditions) ? Math.max(1, r.props.conditions.length) : 1;
        return [
            {
                dimension: `${conditions} condition${conditions === 1 ? "" : "s"}`,
                priceKey: "monitoring.alerting.condition",
                quantity: conditions,
            },
            {
                dimension: "time series returned (1 per condition every 30 s)",
                priceKey: "monitoring.alerting.timeseries",
                quantity: (conditions * SECONDS_PER_MONTH) / 30 / 1_000_000,
            },
        ];
    },
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": (r) => {
        const period = num(String(r.props.period ?? "60s").replace(/s$/, ""), 60);
        const regions = Array.isArray(r.props.selectedRegions) && r.props.selectedRegions.length > 0 ? r.props.selectedRegions.length : 6;
        return [
            {
                dimension: `checks every ${period}s from ${regions} regions`,
                priceKey: "monitoring.uptime",
                quantity: ((SECONDS_PER_MONTH / period) * regions) / 1000,
            },
        ];
    },
};

/** Responses to the internet from the service's public entry point (function URL or load balancer). */
const awsEgress = (usage: Usage): Draft[] =>
    usage.egressGb > 0
        ? [{ dimension: `internet egress (${usage.egressGb} GB)`, priceKey: "egress.internet", quantity: usage.egressGb }]
        : [];

const PER_DEPLOY_KEY = "runway:usage" as const;

const AWS_PRICERS: Record<string, Pricer> = {
    ...ANY_PROGRAM_AWS,
    "aws:s3/bucket:Bucket": bucket({ storage: "s3.standard", writes: "s3.put", reads: "s3.get" }),
    "aws:s3/bucketV2:BucketV2": bucket({ storage: "s3.standard", writes: "s3.put", reads: "s3.get" }),
    "aws:kms/key:Key": (r, usage) => {
        const versions = awsKeyVersions(r.props.enableKeyRotation === true, r.props.rotationPeriodInDays);
        return [
            {
                dimension:
                    versions === 1
                        ? "key (no rotation)"
                        : `key + ${versions - 1} rotated version(s) billed after ${KEY_HORIZON_MONTHS} months (only the first 2 rotations are billed)`,
                priceKey: "kms.key",
                quantity: versions,
            },
            { dimension: "key requests", priceKey: "kms.request", quantity: usage.keyRequestsPerMonth / 10_000 },
        ];
    },
    "aws:ec2/natGateway:NatGateway": (_r, usage, counts) => [
        { dimension: "NAT gateway hours", priceKey: "nat.hour", quantity: HOURS_PER_MONTH },
        {
            dimension: "data processed (share of all egress)",
            priceKey: "nat.data",
            quantity: usage.egressGb / Math.max(1, counts.natGateways),
        },
    ],
    "aws:ec2/eip:Eip": () => [{ dimension: "public IPv4 address", priceKey: "ipv4.public", quantity: HOURS_PER_MONTH }],
    "aws:ecr/repository:Repository": (_r, usage) => [
        { dimension: "image storage", priceKey: "ecr.storage", quantity: usage.imageStorageGb },
    ],
    "aws:secretsmanager/secret:Secret": () => [{ dimension: "secret", priceKey: "secretsmanager.secret", quantity: 1 }],
    "aws:cloudwatch/metricAlarm:MetricAlarm": (r) => {
        // Billed per metric an alarm evaluates: a metric-math alarm pays for each metric in its expression.
        const metrics = Array.isArray(r.props.metricQueries) ? r.props.metricQueries.filter((q: any) => q?.metric !== undefined).length : 1;
        return [
            {
                dimension: `standard alarm (${Math.max(1, metrics)} metric(s))`,
                priceKey: "cloudwatch.alarm",
                quantity: Math.max(1, metrics),
            },
        ];
    },
    "aws:rds/instance:Instance": (r, usage) => {
        const multiAz = r.props.multiAz === true ? 2 : 1;
        const storage = num(r.props.allocatedStorage, 20);
        const storageType = ["gp2", "gp3"].includes(r.props.storageType) ? r.props.storageType : "gp3";
        return [
            {
                dimension: `${r.props.instanceClass}${multiAz === 2 ? " Multi-AZ" : ""}`,
                priceKey: `rds.${r.props.instanceClass}`,
                quantity: HOURS_PER_MONTH * multiAz,
            },
            {
                // Storage autoscaling bills only what it has grown to: the ceiling is what it may cost at most.
                dimension: `${storage} GB ${storageType}${multiAz === 2 ? " Multi-AZ" : ""}${
                    num(r.props.maxAllocatedStorage, 0) > storage ? ` (autoscaling: at most ${num(r.props.maxAllocatedStorage, 0)} GB)` : ""
                }`,
                priceKey: `rds.${storageType}`,
                quantity: storage * multiAz,
            },
            ...rdsSurplusCredits(String(r.props.instanceClass ?? ""), usage.dbCpuUtilization, multiAz),
        ];
    },
    // A migration family runs once per deploy (Fargate bills per second, one minute at least); other task
    // definitions cost nothing by themselves (their service is priced).
    "aws:ecs/taskDefinition:TaskDefinition": (r, usage) => {
        if (r.props.tags?.["runway-role"] !== "migration") return [];
        const seconds = usage.imagesPushedPerMonth * Math.max(60, usage.migrationSecondsPerRun);
        const runs = `${usage.imagesPushedPerMonth} migration run(s) × ${Math.max(60, usage.migrationSecondsPerRun)} s`;
        return [
            { dimension: `vCPU, ${runs}`, priceKey: "fargate.x86.cpu", quantity: (num(r.props.cpu, 256) / 1024) * (seconds / 3600) },
            {
                dimension: `memory, ${runs}`,
                priceKey: "fargate.x86.memory",
                quantity: (num(r.props.memory, 512) / 1024) * (seconds / 3600),
            },
        ];
    },
    // Free for the account's first three (the estimate's free-tier credit covers one stack's first three).
    "aws:cloudwatch/dashboard:Dashboard": () => [{ dimension: "dashboard", priceKey: "cloudwatch.dashboard", quantity: 1 }],
    "aws:ecs/service:Service": (r, usage, counts) => {
        // The task definition ARN names its family; with one task definition in the stack, it is that one.
        const family = /task-definition\/([^:]+)/.exec(String(r.props.taskDefinition ?? ""))?.[1];
        const shape =
            (family && counts.taskShapes.get(family)) ||
            (counts.taskShapes.size === 1 ? [...counts.taskShapes.values()][0] : { cpu: 256, memory: 512 });
        const cpu = shape.cpu / 1024;
        const gb = shape.memory / 1024;
        const tasks = Math.max(1, num(r.props.desiredCount, 1));
        return [
            {
                dimension: `${tasks} task(s) × ${cpu} vCPU (Fargate cannot scale to zero)`,
                priceKey: "fargate.x86.cpu",
                quantity: cpu * tasks * HOURS_PER_MONTH,
            },
            { dimension: `${tasks} task(s) × ${gb} GB`, priceKey: "fargate.x86.memory", quantity: gb * tasks * HOURS_PER_MONTH },
            { dimension: "logs", priceKey: "cloudwatch.logs", quantity: usage.logGb },
        ];
    },
    "aws:lb/loadBalancer:LoadBalancer": (r, usage) => {
        const zones = Math.max(
            1,
            Array.isArray(r.props.subnets)
                ? r.props.subnets.length
                : Array.isArray(r.props.subnetMappings)
                  ? r.props.subnetMappings.length
                  : 2,
        );
        // LCU-hours: the larger of processed bytes (1 GB/h per LCU) and new connections (25/s per LCU),
        // one connection per request, spread evenly over the month.
        const lcu = Math.max(usage.egressGb / HOURS_PER_MONTH, usage.requestsPerMonth / SECONDS_PER_MONTH / 25) * HOURS_PER_MONTH;
        return [
            { dimension: "application load balancer hours", priceKey: "alb.hour", quantity: HOURS_PER_MONTH },
            { dimension: "load balancer capacity units (LCU)", priceKey: "alb.lcu", quantity: lcu },
            ...(r.props.internal === true
                ? []
                : [
                      {
                          dimension: `${zones} public IPv4 address(es), one per zone`,
                          priceKey: "ipv4.public",
                          quantity: zones * HOURS_PER_MONTH,
                      },
                      ...awsEgress(usage),
                  ]),
        ];
    },
    "aws:wafv2/webAcl:WebAcl": (r, usage) => {
        const rules = Array.isArray(r.props.rules) ? r.props.rules.length : 0;
        return [
            { dimension: "web ACL", priceKey: "waf.acl", quantity: 1 },
            { dimension: `${rules} rule(s) / managed rule group(s)`, priceKey: "waf.rule", quantity: rules },
            { dimension: "requests inspected", priceKey: "waf.requests", quantity: usage.requestsPerMonth / 1e6 },
        ];
    },
    "aws:lambda/function:Function": (r, usage) => {
        const gb = num(r.props.memorySize, 128) / 1024;
        // A function Runway invokes once per deploy (the ECS smoke test: tag runway:usage), not per request;
        // each invocation is billed at most its whole timeout.
        if (r.props.tags?.[PER_DEPLOY_KEY] === PER_DEPLOY_USAGE_TAG[PER_DEPLOY_KEY]) {
            const invocations = usage.imagesPushedPerMonth;
            return [
                { dimension: "invocations (one per deploy)", priceKey: "lambda.requests", quantity: invocations / 1e6 },
                {
                    dimension: `duration at ${gb * 1024} MB, whole timeout`,
                    priceKey: "lambda.x86.duration",
                    quantity: gb * invocations * num(r.props.timeout, 3),
                },
            ];
        }
        return [
            { dimension: "requests", priceKey: "lambda.requests", quantity: usage.requestsPerMonth / 1e6 },
            {
                dimension: `duration at ${gb * 1024} MB`,
                priceKey: "lambda.x86.duration",
                quantity: gb * usage.requestsPerMonth * usage.avgRequestSeconds,
            },
            { dimension: "logs", priceKey: "cloudwatch.logs", quantity: usage.logGb },
            ...awsEgress(usage),
        ];
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": (r) => {
        const nodes = Math.max(1, num(r.props.numCacheClusters, 1));
        return [
            {
                dimension: `${nodes} × ${r.props.nodeType} node(s)`,
                priceKey: `elasticache.${r.props.nodeType}`,
                quantity: nodes * HOURS_PER_MONTH,
            },
        ];
    },
};

/** Every resource type the estimate prices, per cloud (the rest are "no direct cost" or unpriced). */
export const PRICED_TYPES: Readonly<Record<"gcp" | "aws", readonly string[]>> = {
    gcp: Object.keys(GCP_PRICERS).sort(),
    aws: Object.keys(AWS_PRICERS).sort(),
};

/** Region of a resource: its own location/region, else the provider default. */
function regionOf(r: PricedResource, cloud: "gcp" | "aws", defaults: EstimateOptions["defaultRegions"]): string | undefined {
    const own = r.props.location ?? r.props.region;
    // A zonal location ("us-central1-a", a zonal GKE cluster or pool) is priced at its region.
    if (typeof own === "string" && own !== "") return (/^[a-z]+-[a-z]+\d+-[a-z]$/.test(own) ? own.slice(0, -2) : own).toLowerCase();
    // A zonal resource (a VM, a disk) is priced at its zone's region: "us-central1-a" → "us-central1".
    const zone = r.props.zone ?? r.props.availabilityZone;
    if (typeof zone === "string" && /^[a-z]+-[a-z]+\d+-[a-z]$/.test(zone)) return zone.slice(0, -2);
    return r.providerRegion?.toLowerCase() ?? defaults?.[cloud];
}

/** GCP types billed at one global price (`"regions": "*"` in the snapshot), priced even without a region. */
const GLOBAL_PRICED = new Set(["gcp:monitoring/alertPolicy:AlertPolicy", "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig"]);

/** A resource's prices: its region's, or for a type with one global price (an alert policy has no region), any region's. */
function priceTableOf(type: string, cloud: "gcp" | "aws", region: string | undefined): Record<string, Price> | undefined {
    if (region) return (cloud === "gcp" ? GCP_PRICES : AWS_PRICES)[region];
    return cloud === "gcp" && GLOBAL_PRICED.has(type) ? GCP_PRICES["us-central1"] : undefined;
}

interface KeyedLine extends CostLine {
    readonly priceKey: string;
    readonly price: Price;
}

function priceLines(resources: readonly PricedResource[], options: EstimateOptions, usage: Usage) {
    const lines: KeyedLine[] = [];
    const unpriced: CostEstimate["unpriced"] = [];
    const noDirectCost: CostEstimate["noDirectCost"] = [];
    const regions = new Set<string>();
    const counts: Counts = {
        secretVersions: resources.filter((r) => r.type === "gcp:secretmanager/secretVersion:SecretVersion").length,
        natGateways: resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway" || r.type === "gcp:compute/routerNat:RouterNat")
            .length,
        taskShapes: new Map(
            resources
                .filter((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && r.props.tags?.["runway-role"] !== "migration")
                .map((r) => [String(r.props.family ?? ""), { cpu: num(r.props.cpu, 256), memory: num(r.props.memory, 512) }]),
        ),
        globalForwardingRules: resources.filter((r) => r.type === "gcp:compute/globalForwardingRule:GlobalForwardingRule").length,
        logGroups: resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup").length,
        kubernetesWorkloads: resources.filter((r) => /^kubernetes:apps\/v1:(Deployment|StatefulSet)$/.test(r.type)).length,
    };
    const host = kubernetesHost(resources);
    const onAutopilot = host?.autopilot ? autopilotPricers(resources) : {};
    for (const r of resources) {
        // Kubernetes objects are priced by what they make their cluster's cloud run, in the cluster's region.
        const onCluster = host !== undefined && r.type.startsWith("kubernetes:");
        const cloud = onCluster ? host.cloud : r.type.startsWith("gcp:") ? "gcp" : r.type.startsWith("aws:") ? "aws" : undefined;
        const pricer = onCluster
            ? onAutopilot[r.type]
            : cloud === "gcp"
              ? GCP_PRICERS[r.type]
              : cloud === "aws"
                ? AWS_PRICERS[r.type]
                : undefined;
        if (!pricer) {
            const free =
                NO_DIRECT_COST.some((re) => re.test(r.type)) ||
                KUBERNETES_NO_DIRECT_COST.some((re) => re.test(r.type)) ||
                serviceIsFree(r) ||
                (onCluster && !host.autopilot && NODE_BILLED.some((re) => re.test(r.type)));
            if (free) noDirectCost.push({ urn: r.urn, type: r.type });
            else unpriced.push({ urn: r.urn, type: r.type, reason: "no pricing function for this type" });
            continue;
        }
        const region = regionOf(onCluster ? host.cluster : r, cloud!, options.defaultRegions);
        const table = priceTableOf(r.type, cloud!, region);
        if (!table) {
            unpriced.push({ urn: r.urn, type: r.type, reason: region ? `no prices for region ${region}` : "region unknown" });
            continue;
        }
        if (region) regions.add(region);
        const drafts = pricer(r, usage, counts);
        // A pricer with nothing to bill for this resource (e.g. a task definition whose service is priced).
        if (drafts.length === 0) noDirectCost.push({ urn: r.urn, type: r.type });
        for (const d of drafts) {
            const price: Price | undefined = table[d.priceKey];
            if (!price) {
                unpriced.push({ urn: r.urn, type: r.type, reason: `no price for ${d.dimension} (${d.priceKey}) in ${region}` });
                continue;
            }
            lines.push({
                urn: r.urn,
                type: r.type,
                dimension: d.dimension,
                quantity: d.quantity,
                unit: price.unit,
                unitPrice: price.unitPrice,
                monthly: d.quantity * price.unitPrice,
                confidence: price.confidence,
                source: `${price.source} (read ${price.read})`,
                priceKey: `${region}/${d.priceKey}`,
                price,
            });
        }
    }
    const plain = (l: KeyedLine): CostLine => {
        const { priceKey: _k, price: _p, ...line } = l;
        return line;
    };
    return { lines: [...lines.map(plain), ...freeTierCredits(lines)], unpriced, noDirectCost, regions: [...regions].sort() };
}

/** One credit line per priced dimension with a free tier: min(total quantity, free units) × price. */
function freeTierCredits(lines: readonly KeyedLine[]): CostLine[] {
    const totals = new Map<string, { quantity: number; line: KeyedLine }>();
    for (const line of lines.filter((l) => l.price.freeTier !== undefined)) {
        const current = totals.get(line.priceKey) ?? { quantity: 0, line };
        totals.set(line.priceKey, { quantity: current.quantity + line.quantity, line: current.line });
    }
    return [...totals.entries()].flatMap(([key, { quantity, line }]) => {
        const free = Math.min(quantity, line.price.freeTier!);
        return free <= 0
            ? []
            : [
                  {
                      urn: "",
                      type: line.type,
                      dimension: `free tier: ${key}`,
                      quantity: -free,
                      unit: line.unit,
                      unitPrice: line.unitPrice,
                      monthly: -free * line.unitPrice,
                      confidence: line.confidence,
                      source: line.source,
                  },
              ];
    });
}

const sum = (lines: readonly CostLine[]) => lines.reduce((total, l) => total + l.monthly, 0);

/** Money as the document carries it: whole cents (no `-2.7e-17` from floating-point sums), never `-0`. */
export function cents(amount: number): number {
    const rounded = Math.round(amount * 100) / 100;
    return rounded === 0 ? 0 : rounded;
}

/** A line with its monthly amount in cents (quantities and unit prices stay exact). */
const inCents = (l: CostLine): CostLine => ({ ...l, monthly: cents(l.monthly) });

/** Estimates a stack's monthly cost at the stated usage and idle. */
export function estimateCost(resources: readonly PricedResource[], options: EstimateOptions): CostEstimate {
    const atUsage = priceLines(resources, options, options.usage);
    const idle = priceLines(resources, options, idleUsage(options.usage));
    return {
        currency: "USD",
        idleMonthly: cents(sum(idle.lines)),
        usageMonthly: cents(sum(atUsage.lines)),
        freeTierMonthly: cents(sum(atUsage.lines.filter((l) => l.urn === ""))),
        lines: atUsage.lines.map(inCents),
        assumptions: {
            ...options.usage,
            regions: atUsage.regions,
            freeTier: "applied once per stack (free tiers are per billing account or project)",
            hoursPerMonth: HOURS_PER_MONTH,
        },
        unpriced: atUsage.unpriced,
        noDirectCost: atUsage.noDirectCost,
        ...boundOf(atUsage),
    };
}
