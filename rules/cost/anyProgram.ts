/**
 * Pricing functions for resource types public Pulumi programs use most, beyond Runway's own: chosen by
 * counting `new aws.*` / `new gcp.*` (and the Python and Go equivalents) in pulumi/examples (commit
 * 40c09b2, 2026-08-18) and tests/corpus; the counts are in docs/cost.md. Each dimension states its usage
 * assumption in its text; the usage comes from `runway:usage` (or the policy's `usage` setting).
 */
import { cpuOf, Draft, gibOf, num, Pricer } from "./draft";
import { HOURS_PER_MONTH as HOURS } from "./prices";

/** Last path segment: "zones/us-central1-a/machineTypes/e2-medium" → "e2-medium". */
const lastSegment = (v: unknown, fallback: string): string => {
    const s = typeof v === "string" && v !== "" ? v : fallback;
    return s.split("/").pop() ?? s;
};

/** GCP: zones a regional resource's nodes spread over (a zonal location has one). */
const zonesOf = (location: unknown, nodeLocations: unknown): number =>
    Array.isArray(nodeLocations) && nodeLocations.length > 0 ? nodeLocations.length : /-[a-z]$/.test(String(location ?? "")) ? 1 : 3;

const gceDisk = (gb: number, type: string, label: string): Draft => ({
    dimension: `${label}: ${gb} GB ${type}`,
    priceKey: `disk.${type}`,
    quantity: gb,
});

const gceVm = (machineType: string, count: number, label: string): Draft => ({
    dimension: `${label}: ${count} × ${machineType} on demand`,
    priceKey: `compute.${machineType}`,
    quantity: count * HOURS,
});

/** A Compute Engine VM: its machine type all month and its boot disk (10 GB pd-standard when the program sets none). */
const gceInstance: Pricer = (r) => {
    const type = lastSegment(r.props.machineType, "e2-medium");
    const init = r.props.bootDisk?.initializeParams ?? {};
    return [gceVm(type, 1, "VM"), gceDisk(num(init.size, 10), lastSegment(init.type, "pd-standard"), "boot disk")];
};

/** A GKE node pool: nodes per zone × zones, each a VM with its boot disk (100 GB pd-balanced by default). */
const gkeNodePool: Pricer = (r) => {
    const perZone = num(r.props.nodeCount, num(r.props.autoscaling?.minNodeCount, num(r.props.initialNodeCount, 1)));
    const nodes = perZone * zonesOf(r.props.location, r.props.nodeLocations);
    const cfg = r.props.nodeConfig ?? {};
    return [
        gceVm(lastSegment(cfg.machineType, "e2-medium"), nodes, `${nodes} node(s)`),
        gceDisk(num(cfg.diskSizeGb, 100) * nodes, lastSegment(cfg.diskType, "pd-balanced"), `${nodes} node boot disk(s)`),
    ];
};

/**
 * The price key of a GKE cluster's management fee: GKE's free tier credit ($74.40 a month per billing
 * account) applies to Autopilot and zonal clusters only, not to regional Standard ones
 * (cloud.google.com/kubernetes-engine/pricing, "Free tier"). A Standard cluster whose location is
 * not a zone (`us-central1-a`) is taken as regional: no credit rather than one it may not get.
 */
export function gkeFeeKey(props: { enableAutopilot?: unknown; location?: unknown }): "gke.cluster" | "gke.cluster.regional" {
    if (props.enableAutopilot === true) return "gke.cluster";
    return typeof props.location === "string" && /^[a-z]+-[a-z]+\d+-[a-z]$/.test(props.location) ? "gke.cluster" : "gke.cluster.regional";
}

/** A GKE cluster: the management fee; its default pool unless removed; Autopilot Pods are billed per Pod (not in the program). */
const gkeCluster: Pricer = (r, usage, counts) => {
    const fee: Draft = { dimension: "cluster management fee", priceKey: gkeFeeKey(r.props), quantity: HOURS };
    // With the stack's workloads planned, their Pods are priced from their requests (rules/cost/kubernetes.ts).
    if (r.props.enableAutopilot === true && (counts.kubernetesWorkloads ?? 0) > 0) return [fee];
    if (r.props.enableAutopilot === true) {
        return [
            fee,
            {
                dimension: "Autopilot Pod vCPU and memory (requested by Kubernetes workloads, not by this program)",
                priceKey: "gke.autopilot.pods",
                quantity: 1,
            },
        ];
    }
    if (r.props.removeDefaultNodePool === true) return [fee];
    const pool = gkeNodePool({ ...r, props: { ...r.props, nodeCount: num(r.props.initialNodeCount, 3) } }, usage, counts);
    return [fee, ...pool.map((d) => ({ ...d, dimension: `default pool ${d.dimension}` }))];
};

/** Cloud Functions 1st gen: invocations, and memory and CPU time per invocation (CPU by memory size, per the pricing page). */
const GHZ_BY_MB: Record<number, number> = { 128: 0.2, 256: 0.4, 512: 0.8, 1024: 1.4, 2048: 2.4, 4096: 4.8, 8192: 4.8 };
const cloudFunction: Pricer = (r, usage) => {
    const mb = num(r.props.availableMemoryMb, 256);
    const seconds = usage.requestsPerMonth * usage.avgRequestSeconds;
    return [
        { dimension: "invocations (one per request)", priceKey: "functions.invocations", quantity: usage.requestsPerMonth / 1e6 },
        { dimension: `memory time at ${mb} MB`, priceKey: "functions.tier1.gb-second", quantity: (mb / 1024) * seconds },
        {
            dimension: `CPU time (${GHZ_BY_MB[mb] ?? 1.4} GHz at ${mb} MB)`,
            priceKey: "functions.tier1.ghz-second",
            quantity: (GHZ_BY_MB[mb] ?? 1.4) * seconds,
        },
    ];
};

/** Cloud Run functions (2nd gen) bill as a request-based Cloud Run service of their memory and CPU. */
const cloudFunctionV2: Pricer = (r, usage) => {
    const cfg = r.props.serviceConfig ?? {};
    const mem = gibOf(cfg.availableMemory ?? "256M", 0.25);
    const cpu =
        cfg.availableCpu !== undefined ? cpuOf(cfg.availableCpu, 1) : mem <= 0.25 ? 0.167 : mem <= 0.5 ? 0.333 : mem <= 1 ? 0.583 : 1;
    const active = usage.requestsPerMonth * usage.avgRequestSeconds;
    return [
        { dimension: `CPU while serving (${cpu} vCPU)`, priceKey: "run.request.cpu", quantity: cpu * active },
        { dimension: `memory while serving (${mem} GiB)`, priceKey: "run.request.memory", quantity: mem * active },
        { dimension: "requests", priceKey: "run.request.requests", quantity: usage.requestsPerMonth / 1e6 },
    ];
};

export const ANY_PROGRAM_GCP: Record<string, Pricer> = {
    "gcp:compute/instance:Instance": gceInstance,
    "gcp:compute/disk:Disk": (r) => [gceDisk(num(r.props.size, 10), lastSegment(r.props.type, "pd-standard"), "persistent disk")],
    "gcp:container/cluster:Cluster": gkeCluster,
    "gcp:container/nodePool:NodePool": gkeNodePool,
    "gcp:cloudfunctions/function:Function": cloudFunction,
    "gcp:cloudfunctionsv2/function:Function": cloudFunctionV2,
    "gcp:dns/managedZone:ManagedZone": (r) =>
        r.props.visibility === "private"
            ? []
            : [{ dimension: "public managed zone (queries not estimated)", priceKey: "dns.zone", quantity: 1 }],
};

const ebs = (gb: number, type: string, label: string): Draft => ({
    dimension: `${label}: ${gb} GB ${type}`,
    priceKey: `ebs.${type}`,
    quantity: gb,
});

/** An EC2 instance all month, its root volume (8 GB gp3 when the program sets none) and a public IPv4 when it asks for one. */
const ec2Instance: Pricer = (r) => {
    const root = r.props.rootBlockDevice ?? {};
    return [
        { dimension: `${r.props.instanceType} on demand (Linux)`, priceKey: `ec2.${r.props.instanceType}`, quantity: HOURS },
        ebs(num(root.volumeSize, 8), typeof root.volumeType === "string" ? root.volumeType : "gp3", "root volume"),
        ...(r.props.associatePublicIpAddress === true
            ? [{ dimension: "public IPv4 address", priceKey: "ipv4.public", quantity: HOURS }]
            : []),
    ];
};

/** An EKS managed node group: desired nodes of its first instance type (t3.medium by default), each with a 20 GB gp2 disk by default. */
const eksNodeGroup: Pricer = (r) => {
    const nodes = num(r.props.scalingConfig?.desiredSize, 1);
    const type = Array.isArray(r.props.instanceTypes) && r.props.instanceTypes.length > 0 ? r.props.instanceTypes[0] : "t3.medium";
    return [
        { dimension: `${nodes} × ${type} node(s)`, priceKey: `ec2.${type}`, quantity: nodes * HOURS },
        ebs(num(r.props.diskSize, 20) * nodes, "gp2", `${nodes} node disk(s)`),
    ];
};

/** DynamoDB: on-demand requests (assumed one read per request and one write per ten) and stored data; provisioned capacity is unpriced. */
const dynamoTable: Pricer = (r, usage) => {
    const storage: Draft = { dimension: `${usage.tableStorageGb} GB stored`, priceKey: "dynamodb.storage", quantity: usage.tableStorageGb };
    if (r.props.billingMode !== "PAY_PER_REQUEST") {
        return [{ dimension: "provisioned read/write capacity", priceKey: "dynamodb.provisioned", quantity: 1 }, storage];
    }
    return [
        { dimension: "reads (one per request)", priceKey: "dynamodb.read", quantity: usage.requestsPerMonth / 1e6 },
        { dimension: "writes (one per ten requests)", priceKey: "dynamodb.write", quantity: usage.requestsPerMonth / 10 / 1e6 },
        storage,
    ];
};

/**
 * CloudWatch Logs storage of a log group: its share of the stack's logs, kept for its retention (a group that
 * never expires is priced at `logRetentionDaysUnset` days). Ingestion is priced where the logs come from.
 */
const logGroup: Pricer = (r, usage, counts) => {
    const days = num(r.props.retentionInDays, 0) > 0 ? num(r.props.retentionInDays, 0) : usage.logRetentionDaysUnset;
    const share = usage.logGb / Math.max(1, counts.logGroups);
    return [
        {
            dimension: `stored logs: ${days} days of its share of ${usage.logGb} GB/month${num(r.props.retentionInDays, 0) > 0 ? "" : " (no retention set)"}`,
            priceKey: "cloudwatch.logs.storage",
            quantity: share * (days / 30),
        },
    ];
};

export const ANY_PROGRAM_AWS: Record<string, Pricer> = {
    "aws:ec2/instance:Instance": ec2Instance,
    "aws:ebs/volume:Volume": (r) => [ebs(num(r.props.size, 8), typeof r.props.type === "string" ? r.props.type : "gp2", "volume")],
    "aws:dynamodb/table:Table": dynamoTable,
    "aws:cloudwatch/logGroup:LogGroup": logGroup,
    "aws:apigateway/restApi:RestApi": (_r, usage) => [
        { dimension: "REST API requests (one per request)", priceKey: "apigateway.rest", quantity: usage.requestsPerMonth / 1e6 },
    ],
    // A stage costs nothing by itself; its optional cache cluster is billed by the hour (not in the table: unpriced).
    "aws:apigateway/stage:Stage": (r) =>
        r.props.cacheClusterEnabled === true
            ? [
                  {
                      dimension: `cache cluster (${r.props.cacheClusterSize ?? "0.5"} GB)`,
                      priceKey: `apigateway.cache.${r.props.cacheClusterSize ?? "0.5"}`,
                      quantity: HOURS,
                  },
              ]
            : [],
    "aws:apigatewayv2/api:Api": (r, usage) => [
        r.props.protocolType === "WEBSOCKET"
            ? { dimension: "WebSocket messages and minutes", priceKey: "apigateway.websocket", quantity: 1 }
            : { dimension: "HTTP API requests (one per request)", priceKey: "apigateway.http", quantity: usage.requestsPerMonth / 1e6 },
    ],
    "aws:sqs/queue:Queue": (_r, usage) => [
        {
            dimension: "requests (send, receive, delete per request)",
            priceKey: "sqs.requests",
            quantity: (3 * usage.requestsPerMonth) / 1e6,
        },
    ],
    "aws:eks/cluster:Cluster": () => [{ dimension: "cluster (standard support)", priceKey: "eks.cluster", quantity: HOURS }],
    "aws:eks/nodeGroup:NodeGroup": eksNodeGroup,
    "aws:route53/zone:Zone": () => [{ dimension: "hosted zone (queries not estimated)", priceKey: "route53.zone", quantity: 1 }],
    "aws:kinesis/stream:Stream": (r) =>
        r.props.streamModeDetails?.streamMode === "ON_DEMAND"
            ? [{ dimension: "on-demand stream", priceKey: "kinesis.ondemand", quantity: 1 }]
            : [
                  {
                      dimension: `${num(r.props.shardCount, 1)} shard(s)`,
                      priceKey: "kinesis.shard",
                      quantity: num(r.props.shardCount, 1) * HOURS,
                  },
              ],
    "aws:sfn/stateMachine:StateMachine": (_r, usage) => [
        {
            dimension: "state transitions (5 per execution, one execution per request)",
            priceKey: "sfn.transitions",
            quantity: (5 * usage.requestsPerMonth) / 1000,
        },
    ],
    "aws:cloudfront/distribution:Distribution": (_r, usage) => [
        { dimension: `data to viewers (${usage.egressGb} GB egress)`, priceKey: "cloudfront.data", quantity: usage.egressGb },
        { dimension: "HTTPS requests", priceKey: "cloudfront.requests", quantity: usage.requestsPerMonth / 10_000 },
    ],
};
