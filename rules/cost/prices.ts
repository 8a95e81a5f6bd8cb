/**
 * Public list prices as data: one entry per priced dimension, with its unit, monthly free tier,
 * region, source and the date it was read. Regions are table keys: a region missing here is
 * reported as unpriced, never guessed. "check" marks numbers from secondary sources.
 * Collected 2026-11 from the public pages named in each entry's `source`. Monthly = 730 hours. USD.
 */

export type Confidence = "high" | "check";

export interface Price {
    readonly unitPrice: number;
    readonly unit: string;
    /** Units free each month (per billing account or project, as the source says). */
    readonly freeTier?: number;
    readonly source: string;
    readonly read: string;
    readonly confidence: Confidence;
}

export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const READ = "2026-11";

const p = (
    unitPrice: number,
    unit: string,
    source: string,
    extra: { freeTier?: number; confidence?: Confidence; read?: string } = {},
): Price => ({
    unitPrice,
    unit,
    source,
    read: extra.read ?? READ,
    confidence: extra.confidence ?? "high",
    ...(extra.freeTier !== undefined ? { freeTier: extra.freeTier } : {}),
});

const RUN = "https://cloud.google.com/run/pricing";
const SQL = "Infracost test data 2024-07 (Cloud SQL)";
const REDIS = "Infracost test data 2024-07 (Memorystore)";
const OBS = "https://cloud.google.com/stackdriver/pricing";
const GCS = "https://cloud.google.com/storage/pricing (Standard, regional)";
const GKMS = "https://cloud.google.com/kms/pricing (software protection level)";
const LB = "https://cloud.google.com/load-balancing/pricing";
const ARMOR = "https://cloud.google.com/armor/pricing (Standard tier)";

/** GCP prices by region, then dimension. */
export const GCP_PRICES: Readonly<Record<string, Readonly<Record<string, Price>>>> = {
    "us-central1": {
        "run.request.cpu": p(0.000024, "vCPU-second", RUN, { freeTier: 180_000 }),
        "run.request.memory": p(0.0000025, "GiB-second", RUN, { freeTier: 360_000 }),
        "run.request.requests": p(0.4, "million requests", RUN, { freeTier: 2 }),
        "run.idle.cpu": p(0.0000025, "vCPU-second", RUN),
        "run.idle.memory": p(0.0000025, "GiB-second", RUN),
        "run.instance.cpu": p(0.000018, "vCPU-second", RUN, { freeTier: 240_000 }),
        "run.instance.memory": p(0.000002, "GiB-second", RUN, { freeTier: 450_000 }),
        "vpcaccess.connector": p(6.115, "e2-micro instance-month", "secondary: 2 × e2-micro ≈ $12.23/month", { confidence: "check" }),
        "nat.gateway": p(0.0014, "VM-hour", "https://cloud.google.com/nat/pricing"),
        "nat.data": p(0.045, "GiB", "https://cloud.google.com/nat/pricing"),
        "nat.ip": p(0.005, "IP-hour", "https://cloud.google.com/nat/pricing"),
        "artifactregistry.storage": p(0.1, "GB-month", "https://cloud.google.com/artifact-registry/pricing", { freeTier: 0.5 }),
        // Billed once per new digest from the moment containerscanning.googleapis.com is enabled.
        "artifactanalysis.scan": p(0.26, "image scanned", "https://cloud.google.com/artifact-analysis/pricing"),
        "secretmanager.version": p(0.06, "version-month", "https://cloud.google.com/secret-manager/pricing", { freeTier: 6 }),
        "secretmanager.access": p(0.03, "10,000 accesses", "https://cloud.google.com/secret-manager/pricing", { freeTier: 1 }),
        "monitoring.uptime": p(0.3, "1,000 executions", OBS, { freeTier: 1000 }),
        "logging.storage": p(0.5, "GiB", OBS, { freeTier: 50 }),
        // Cloud Run's free tier includes 1 GiB of North American egress a month; beyond it, Premium Tier rates.
        "network.internet-egress": p(
            0.12,
            "GiB",
            "https://cloud.google.com/vpc/network-pricing (Premium Tier internet data transfer out to North America, 1–1,024 GiB)",
            { freeTier: 1 },
        ),
        // Global forwarding rules: one flat hourly fee covers the project's first 5 rules; data is priced where it is processed.
        "lb.rules.first5": p(0.025, "hour (first 5 forwarding rules)", LB),
        "lb.rules.additional": p(0.01, "rule-hour", LB),
        "lb.data.inbound": p(0.008, "GiB", LB),
        "lb.data.outbound": p(0.008, "GiB", LB),
        "armor.policy": p(5, "policy-month", ARMOR, { confidence: "check" }),
        "armor.rule": p(1, "rule-month", ARMOR, { confidence: "check" }),
        "armor.requests": p(0.75, "million requests", ARMOR, { confidence: "check" }),
        "sql.db-f1-micro": p(7.67, "instance-month", SQL, { confidence: "check" }),
        "sql.db-g1-small": p(25.55, "instance-month", SQL, { confidence: "check" }),
        "sql.custom.cpu": p(0.0413, "vCPU-hour", SQL, { confidence: "check" }),
        "sql.custom.memory": p(0.007, "GB-hour", SQL, { confidence: "check" }),
        "sql.storage.ssd": p(0.17, "GB-month", SQL, { confidence: "check" }),
        "sql.backup": p(0.08, "GB-month", SQL, { confidence: "check" }),
        "redis.basic.m1": p(0.049, "GB-hour", REDIS, { confidence: "check" }),
        "redis.basic.m2": p(0.027, "GB-hour", REDIS, { confidence: "check" }),
        "redis.standard.m1": p(0.064, "GB-hour", REDIS, { confidence: "check" }),
        "redis.standard.m2": p(0.054, "GB-hour", REDIS, { confidence: "check" }),
        // State backend (bootstrap/): the Always Free tier covers 5 GB-months and these operations in us-central1.
        "storage.standard": p(0.02, "GB-month", GCS, { freeTier: 5 }),
        "storage.classA": p(0.005, "1,000 operations", GCS, { freeTier: 5 }),
        "storage.classB": p(0.0004, "1,000 operations", GCS, { freeTier: 50 }),
        "kms.software.version": p(0.06, "active key version-month", GKMS),
        "kms.software.operation": p(0.03, "10,000 operations", GKMS),
    },
};

const AWS_INFRACOST = "Infracost test data (AWS)";
const ELB = "https://aws.amazon.com/elasticloadbalancing/pricing/";
const WAF = "https://aws.amazon.com/waf/pricing/";
const LAMBDA = "https://aws.amazon.com/lambda/pricing/";
/**
 * ElastiCache for Valkey, node-based, on-demand, us-east-1: the AWS Price List API rows (AmazonElastiCache, "Cache Instance",
 * cacheEngine Valkey, usagetype NodeUsage:<type>) as transcribed 2026-10-02 in a public price table, not read first-hand here,
 * hence "check". Each is 0.8 × the Redis OSS rate of the same type (t4g.micro $0.016, r7g.large $0.219), matching the AWS FAQ's
 * "up to 20% lower cost per node" for Valkey (https://aws.amazon.com/elasticache/faqs/, read 2026-12-02).
 */
const ELASTICACHE =
    "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonElastiCache/current/us-east-1/index.json (Valkey, NodeUsage; = 0.8 × Redis OSS, https://aws.amazon.com/elasticache/faqs/)";
const valkey = (hourly: number) => p(hourly, "node-hour", ELASTICACHE, { confidence: "check", read: "2026-10-02" });
const CLOUDWATCH = "https://aws.amazon.com/cloudwatch/pricing/";

/** AWS prices by region, then dimension. */
export const AWS_PRICES: Readonly<Record<string, Readonly<Record<string, Price>>>> = {
    "us-east-1": {
        "fargate.x86.cpu": p(0.04048, "vCPU-hour", "Infracost test data, vantage.sh"),
        "fargate.x86.memory": p(0.004445, "GB-hour", "Infracost test data, vantage.sh"),
        "fargate.arm.cpu": p(0.03238, "vCPU-hour", "secondary", { confidence: "check" }),
        "fargate.arm.memory": p(0.00356, "GB-hour", "secondary", { confidence: "check" }),
        "ecr.storage": p(0.1, "GB-month", AWS_INFRACOST),
        "ssm.advanced": p(0.05, "parameter-month", "AWS Systems Manager docs"),
        "secretsmanager.secret": p(0.4, "secret-month", AWS_INFRACOST),
        "secretsmanager.api": p(0.05, "10,000 calls", AWS_INFRACOST),
        "nat.hour": p(0.045, "hour", AWS_INFRACOST),
        "nat.data": p(0.045, "GB", AWS_INFRACOST),
        "ipv4.public": p(0.005, "IP-hour", "https://aws.amazon.com/vpc/pricing/ (public IPv4, since 2024-02-01)"),
        "egress.internet": p(
            0.09,
            "GB",
            "https://aws.amazon.com/ec2/pricing/on-demand/ (data transfer out to the internet, first 10 TB tier)",
            { freeTier: 100 },
        ),
        "alb.hour": p(0.0225, "ALB-hour", ELB),
        "alb.lcu": p(0.008, "LCU-hour", ELB),
        "waf.acl": p(5.0, "web ACL-month", WAF),
        "waf.rule": p(1.0, "rule-month", WAF),
        "waf.requests": p(0.6, "million requests", WAF),
        "lambda.requests": p(0.2, "million requests", LAMBDA, { freeTier: 1 }),
        "lambda.x86.duration": p(0.0000166667, "GB-second", LAMBDA, { freeTier: 400_000 }),
        "elasticache.cache.t4g.micro": valkey(0.0128),
        "elasticache.cache.t4g.small": valkey(0.0256),
        "elasticache.cache.t4g.medium": valkey(0.052),
        "elasticache.cache.r7g.large": valkey(0.1752),
        "elasticache.cache.r7g.xlarge": valkey(0.3496),
        "elasticache.cache.r7g.2xlarge": valkey(0.6984),
        "elasticache.cache.r7g.4xlarge": valkey(1.396),
        "elasticache.cache.r7g.8xlarge": valkey(2.7928),
        "elasticache.cache.r7g.12xlarge": valkey(4.188),
        "rds.db.t4g.micro": p(0.016, "instance-hour", "secondary", { confidence: "check" }),
        "rds.gp3": p(0.115, "GB-month", AWS_INFRACOST),
        "cloudwatch.alarm": p(0.1, "alarm metric-month", CLOUDWATCH, { freeTier: 10 }),
        "cloudwatch.logs": p(0.5, "GB ingested", CLOUDWATCH, { freeTier: 5 }),
        // State backend (bootstrap/).
        "s3.standard": p(0.023, "GB-month", "https://aws.amazon.com/s3/pricing (S3 Standard, first 50 TB)"),
        "s3.put": p(0.005, "1,000 requests", "https://aws.amazon.com/s3/pricing (PUT, COPY, POST, LIST)"),
        "s3.get": p(0.0004, "1,000 requests", "https://aws.amazon.com/s3/pricing (GET, SELECT and others)"),
        // $1 per key plus $1 for each of the first two rotations (rotation charges stop at the second, since 2024-05).
        "kms.key": p(1.0, "key or rotated key version-month", "https://aws.amazon.com/kms/pricing"),
        "kms.request": p(0.03, "10,000 requests", "https://aws.amazon.com/kms/pricing", { freeTier: 2 }),
    },
};
