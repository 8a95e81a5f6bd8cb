import { expect } from "chai";
import { awsKeyVersions, estimateCost, gcpKeyVersions, PRICED_TYPES, PricedResource, rdsSurplusCredits } from "../rules/cost/estimate";
import { gkeFeeKey } from "../rules/cost/anyProgram";
import { Usage } from "../rules/cost/usage";
import { TIER_PROFILES } from "../rules/profile";

const CENT = 0.01;
const usage = (overrides: Partial<Usage> = {}): Usage => ({ ...TIER_PROFILES.staging.usage, ...overrides });
const res = (type: string, props: Record<string, unknown>): PricedResource => ({ urn: `urn:${type}`, type, props });
const estimate = (r: PricedResource, u: Partial<Usage> = {}) =>
    estimateCost([r], { usage: usage(u), defaultRegions: { gcp: "us-central1", aws: "us-east-1" } });

/** One resource per newly priced type, as a public program declares it with few inputs. */
const PUBLIC_PROGRAM_RESOURCES: PricedResource[] = [
    res("gcp:compute/instance:Instance", { machineType: "e2-medium", zone: "us-central1-a" }),
    res("gcp:compute/disk:Disk", { size: 50, type: "pd-ssd", zone: "europe-west1-b" }),
    res("gcp:container/cluster:Cluster", { location: "us-central1", removeDefaultNodePool: true, initialNodeCount: 1 }),
    res("gcp:container/nodePool:NodePool", { location: "us-central1-a", nodeCount: 2, nodeConfig: { machineType: "n1-standard-1" } }),
    res("gcp:cloudfunctions/function:Function", { region: "us-central1", availableMemoryMb: 256 }),
    res("gcp:cloudfunctionsv2/function:Function", { location: "us-central1", serviceConfig: { availableMemory: "256M" } }),
    res("gcp:cloudrun/service:Service", {
        location: "us-central1",
        template: { spec: { containers: [{ resources: { limits: { cpu: "1", memory: "512Mi" } } }] } },
    }),
    res("gcp:dns/managedZone:ManagedZone", { dnsName: "example.com." }),
    res("aws:ec2/instance:Instance", { instanceType: "t3.micro" }),
    res("aws:ebs/volume:Volume", { size: 100, type: "gp3" }),
    res("aws:dynamodb/table:Table", { billingMode: "PAY_PER_REQUEST" }),
    res("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 30 }),
    res("aws:apigateway/restApi:RestApi", {}),
    res("aws:apigatewayv2/api:Api", { protocolType: "HTTP" }),
    res("aws:sqs/queue:Queue", {}),
    res("aws:eks/cluster:Cluster", {}),
    res("aws:eks/nodeGroup:NodeGroup", { scalingConfig: { desiredSize: 2 }, instanceTypes: ["t3.medium"] }),
    res("aws:route53/zone:Zone", { name: "example.com" }),
    res("aws:kinesis/stream:Stream", { shardCount: 2 }),
    res("aws:sfn/stateMachine:StateMachine", {}),
    res("aws:cloudfront/distribution:Distribution", {}),
];

describe("any program: object storage buckets are priced as what they are", () => {
    const urn = (qualifiedType: string, name: string) => `urn:pulumi:dev::app::${qualifiedType}::${name}`;
    const at = (type: string, qualifiedType: string, name: string, props: Record<string, unknown> = {}): PricedResource => ({
        urn: urn(qualifiedType, name),
        type,
        props,
    });
    const S3 = "aws:s3/bucket:Bucket";
    const GCS = "gcp:storage/bucket:Bucket";
    const dimensions = (e: ReturnType<typeof estimate>) => e.lines.map((l) => l.dimension);
    const OBJECT_LINES = [
        "object storage (1 GB at stated usage)",
        "object writes and lists (10,000 a month at stated usage)",
        "object reads (100,000 a month at stated usage)",
    ];

    it("an ordinary S3 or Cloud Storage bucket is object storage at the stated object usage, not Pulumi state", () => {
        for (const type of [S3, "aws:s3/bucketV2:BucketV2", GCS]) {
            const e = estimate(at(type, type, "uploads", type === GCS ? { location: "us-central1" } : {}));
            expect(
                dimensions(e).filter((d) => !d.startsWith("free tier")),
                type,
            ).to.deep.equal(OBJECT_LINES);
            expect(e.unpriced, type).to.deep.equal([]);
        }
        // us-east-1: 1 GB × $0.023 + 10,000 PUT × $0.005/1,000 + 100,000 GET × $0.0004/1,000
        const s3 = estimate(at(S3, S3, "uploads"));
        expect(s3.usageMonthly).to.be.closeTo(0.023 + 0.05 + 0.04, CENT);
        expect(s3.idleMonthly, "idle: the data stays, no requests").to.be.closeTo(0.023, CENT);
        const big = estimate(at(S3, S3, "uploads"), { objectStorageGb: 500, objectWritesPerMonth: 0, objectReadsPerMonth: 0 });
        expect(big.usageMonthly).to.be.closeTo(500 * 0.023, CENT);
        expect(dimensions(big)[0]).to.equal("object storage (500 GB at stated usage)");
    });

    it("only Runway's bootstrap state bucket is priced as state; a look-alike name or parent is not", () => {
        const state = estimate(at(S3, `runway:bootstrap:AwsStateBackend$${S3}`, "backend-state"));
        expect(dimensions(state)).to.deep.equal(["state storage (all versions)", "state writes", "state reads and lists"]);
        const gcpState = estimate(at(GCS, `runway:bootstrap:GcpStateBackend$${GCS}`, "backend-state", { location: "us-central1" }));
        expect(dimensions(gcpState).filter((d) => !d.startsWith("free tier"))).to.deep.equal([
            "state storage (all versions)",
            "state writes",
            "state reads and lists",
        ]);
        for (const [qualified, name] of [
            [S3, "backend-state"],
            [`my:index:StateBackend$${S3}`, "state"],
            [S3, `x::runway:bootstrap:AwsStateBackend$${S3}`],
            [`runway:bootstrap:AwsStateBackend$my:index:Wrapper$${S3}`, "logs"],
        ])
            expect(dimensions(estimate(at(S3, qualified, name))), `${qualified}::${name}`).to.deep.equal(OBJECT_LINES);
    });

    it("a Cloud Storage bucket of another storage class is unpriced, not priced as Standard", () => {
        const nearline = estimate(at(GCS, GCS, "archive", { location: "us-central1", storageClass: "NEARLINE" }));
        expect(nearline.unpriced.map((u) => u.reason)).to.include(
            "no price for object storage (1 GB nearline at stated usage) (storage.nearline) in us-central1",
        );
    });
});

describe("any program: the resource types public programs use most (#33 item 4)", () => {
    it("prices at least 40 resource types across AWS and GCP", () => {
        expect(PRICED_TYPES.gcp.length + PRICED_TYPES.aws.length).to.be.at.least(40);
        for (const r of PUBLIC_PROGRAM_RESOURCES) expect([...PRICED_TYPES.gcp, ...PRICED_TYPES.aws], r.type).to.include(r.type);
    });

    it("each newly priced type costs something with few inputs, states its assumption in each line, and leaves nothing unpriced", () => {
        for (const r of PUBLIC_PROGRAM_RESOURCES) {
            // Beyond the free tiers (2 M function invocations, 1 M queue requests, 5 GB of logs …).
            const e = estimate(r, { requestsPerMonth: 50_000_000, logGb: 50 });
            expect(e.unpriced, r.type).to.deep.equal([]);
            expect(e.usageMonthly, r.type).to.be.above(0);
            for (const l of e.lines) expect(l.dimension, r.type).to.match(/\w{3,}/);
        }
    });

    it("hand calculations from the list prices: an EC2 t3.micro with its default 8 GB gp3 root volume, a GKE pool of 2 n1-standard-1 nodes", () => {
        // us-east-1: t3.micro $0.0104/h × 730 = $7.592; 8 GB × $0.08 = $0.64
        expect(estimate(PUBLIC_PROGRAM_RESOURCES[8]).usageMonthly).to.be.closeTo(7.592 + 0.64, CENT);
        // us-central1: n1-standard-1 $0.0475/h (Compute Engine price list) × 730 × 2 nodes + 2 × 100 GB pd-balanced × $0.10
        expect(estimate(PUBLIC_PROGRAM_RESOURCES[3]).usageMonthly).to.be.closeTo(
            0.0475 * 730 * 2 + 200 * 0.1,
            0.05 * (0.0475 * 730 * 2 + 20),
        );
    });

    it("usage assumptions are overridable: DynamoDB on demand follows requestsPerMonth and tableStorageGb", () => {
        const table = PUBLIC_PROGRAM_RESOURCES[10];
        // 10 M requests: 10 M reads × $0.125/M + 1 M writes × $0.625/M + 30 GB (25 free) … free tier applied once: 5 GB × $0.25
        expect(estimate(table, { requestsPerMonth: 10_000_000, tableStorageGb: 30 }).usageMonthly).to.be.closeTo(
            1.25 + 0.625 + 5 * 0.25,
            CENT,
        );
        const provisioned = estimate(res("aws:dynamodb/table:Table", { billingMode: "PROVISIONED", readCapacity: 5 }));
        expect(provisioned.bound, "provisioned capacity has no price in the table: a lower bound, not $0").to.equal("at least");
    });

    it("a GKE Autopilot cluster says its Pods are unpriced rather than costing only the cluster fee", () => {
        const e = estimate(res("gcp:container/cluster:Cluster", { location: "us-central1", enableAutopilot: true }));
        expect(e.bound).to.equal("at least");
        expect(e.lines.map((l) => [l.dimension, l.monthly])).to.deep.equal([
            ["cluster management fee", 73],
            ["free tier: us-central1/gke.cluster", -73],
        ]);
    });

    it("GKE's free-tier credit ($74.40 = 744 cluster-hours a month) goes to Autopilot and zonal clusters, never a regional Standard one", () => {
        expect(gkeFeeKey({ enableAutopilot: true, location: "europe-west1" })).to.equal("gke.cluster");
        expect(gkeFeeKey({ location: "us-central1-a" })).to.equal("gke.cluster");
        expect(gkeFeeKey({ location: "us-central1" })).to.equal("gke.cluster.regional");
        expect(gkeFeeKey({}), "no location: no credit it may not get").to.equal("gke.cluster.regional");
        const credits = (props: Record<string, unknown>) =>
            estimate(res("gcp:container/cluster:Cluster", { removeDefaultNodePool: true, ...props })).lines.filter((l) => l.urn === "");
        expect(credits({ location: "us-central1-a" }).map((l) => [l.dimension, l.quantity, l.monthly])).to.deep.equal([
            ["free tier: us-central1/gke.cluster", -730, -73],
        ]);
        expect(credits({ location: "us-central1" })).to.deep.equal([]);
        // Two Autopilot clusters: one credit of 744 hours at most (the billing account's), the second fee is paid.
        const two = estimateCost(
            ["a", "b"].map((n) => ({
                urn: `urn:${n}`,
                type: "gcp:container/cluster:Cluster",
                props: { location: "us-central1", enableAutopilot: true },
            })),
            { usage: usage(), defaultRegions: { gcp: "us-central1" } },
        );
        expect(two.lines.filter((l) => l.urn === "").map((l) => l.quantity)).to.deep.equal([-744]);
    });
});

describe("charges that grow or burst (#30 item 8, #31 item 8)", () => {
    it("Cloud KMS: each rotation adds a billed version; the estimate prices month 12, not one version forever", () => {
        expect(gcpKeyVersions(undefined)).to.equal(1);
        expect(gcpKeyVersions("7776000s"), "90 days: 4 rotations in a year").to.equal(5);
        expect(gcpKeyVersions("2592000s"), "30 days").to.equal(13);
        const key = res("gcp:kms/cryptoKey:CryptoKey", { rotationPeriod: "7776000s" });
        const e = estimateCost([key], { usage: usage({ keyRequestsPerMonth: 0 }), defaultRegions: { gcp: "europe-west1" } });
        expect(e.lines.map((l) => [l.quantity, l.unitPrice])).to.deep.include([5, 0.06]);
    });

    it("AWS KMS: only the first two rotations are billed ($1 each); the default yearly rotation adds one in the first year", () => {
        expect([
            awsKeyVersions(false, undefined),
            awsKeyVersions(true, undefined),
            awsKeyVersions(true, 90),
            awsKeyVersions(true, 30),
        ]).to.deep.equal([1, 2, 3, 3]);
    });

    it("RDS burstable classes run Unlimited: CPU above the baseline is billed as surplus credits at the stated utilisation", () => {
        // db.t4g.micro: 2 vCPUs, 10% baseline; 20% average → 0.1 × 2 × 730 = 146 vCPU-hours × $0.075
        expect(rdsSurplusCredits("db.t4g.micro", 0.2)[0].quantity).to.be.closeTo(146, 1e-9);
        expect(rdsSurplusCredits("db.t4g.micro", 0.05)[0].quantity, "below the baseline: nothing").to.equal(0);
        expect(rdsSurplusCredits("db.m5.large", 0.9), "not burstable").to.deep.equal([]);
        const db = res("aws:rds/instance:Instance", { instanceClass: "db.t4g.micro", allocatedStorage: 20 });
        const e = estimate(db, { dbCpuUtilization: 0.2 });
        expect(e.lines.find((l) => l.dimension.startsWith("surplus CPU credits"))!.monthly).to.be.closeTo(146 * 0.075, CENT);
        // 730 h × $0.016 + 20 GB × $0.115 + $10.95
        expect(e.usageMonthly).to.be.closeTo(11.68 + 2.3 + 10.95, CENT);
    });

    it("CloudWatch Logs storage follows each log group's retention; a group that never expires is priced at a year", () => {
        const withRetention = estimate(res("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 30 }), { logGb: 20 });
        // 30 days of 20 GB/month = 20 GB-months × $0.03; the 5 GB free tier is a separate credit line.
        expect(withRetention.lines.map((l) => [l.urn === "" ? "free" : "group", l.quantity, l.unitPrice])).to.deep.equal([
            ["group", 20, 0.03],
            ["free", -5, 0.03],
        ]);
        const never = estimate(res("aws:cloudwatch/logGroup:LogGroup", {}), { logGb: 20 });
        expect(never.lines[0].quantity).to.be.closeTo((20 * 365) / 30, 1e-9);
        expect(never.lines[0].dimension).to.include("no retention set");
    });
});

describe("any program: wiring costs nothing, multi-region buckets and caches are priced or named", () => {
    it("API Gateway methods, S3 objects, event source mappings and ENIs are 'no direct cost', not unpriced", () => {
        const wiring = [
            "aws:apigateway/method:Method",
            "aws:apigateway/integration:Integration",
            "aws:s3/bucketObject:BucketObject",
            "aws:lambda/eventSourceMapping:EventSourceMapping",
            "aws:ec2/networkInterface:NetworkInterface",
            "gcp:storage/bucketObject:BucketObject",
            "gcp:cloudrun/iamMember:IamMember",
        ].map((type) => res(type, {}));
        const e = estimateCost(wiring, { usage: usage(), defaultRegions: { aws: "us-east-1", gcp: "us-central1" } });
        expect(e.unpriced).to.deep.equal([]);
        expect(e.noDirectCost.length).to.equal(wiring.length);
    });

    it("a Cloud Storage bucket in the US multi-region is priced at the multi-region rate; an API stage's cache is named unpriced", () => {
        const bucket = estimate(res("gcp:storage/bucket:Bucket", { location: "US" }), { objectStorageGb: 100 });
        // 100 GB × $0.026 (Standard, multi-region) = $2.60, no Always Free outside its three US regions
        expect(bucket.lines.find((l) => l.dimension.startsWith("object storage"))!.monthly).to.be.closeTo(2.6, CENT);
        expect(estimate(res("aws:apigateway/stage:Stage", {})).lines).to.deep.equal([]);
        const cached = estimate(res("aws:apigateway/stage:Stage", { cacheClusterEnabled: true, cacheClusterSize: "0.5" }));
        expect([cached.bound, cached.unpriced[0]?.reason]).to.deep.equal([
            "unknown",
            "no price for cache cluster (0.5 GB) (apigateway.cache.0.5) in us-east-1",
        ]);
    });
});
