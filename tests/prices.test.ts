import { expect } from "chai";
import { deriveTable, SnapshotInput } from "../rules/cost/derive";
import { AWS_PRICES, GCP_PRICES, HOURS_PER_MONTH, priceTable } from "../rules/cost/prices";
import { estimateCost } from "../rules/cost/estimate";
import { renderCost } from "../plan/report";
import { planStack } from "./helpers/plans";
import { TIER_PROFILES } from "../rules/profile";

/** A two-region catalog and transcription in the snapshot's shapes (made up, small). */
const snapshot = (): SnapshotInput => ({
    name: "2026-01-01",
    gcpCatalog: {
        about: { timestamp: 1767225600 },
        region: { "us-central1": {}, "europe-west3": {}, "new-region1": {} },
        compute: {
            instance: {
                "e2-micro": { cost: { "us-central1": { hour: 0.0084, month: 6.132 }, "europe-west3": { hour: 0.0097, month: 7.081 } } },
                "m1-ultramem-40": { cost: { "us-central1": { hour: 6.3 } } },
            },
            storage: { balanced: { cost: { "us-central1": { month: 0.1 } } } },
            network: { nat: { data: { cost: { "us-central1": { month: 0.045 } } } } },
        },
        storage: { bucket: { standard: { cost: { "us-central1": { month: 0.02 }, "europe-west3": { month: 0.023 } } } } },
    },
    transcribed: {
        read: "2026-01-02",
        gcp: {
            runTiers: {
                source: "run page",
                confidence: "check",
                tier1: ["us-central1"],
                tier2: ["europe-west3"],
                prices: { "1": { "run.instance.cpu": 0.000018 }, "2": { "run.instance.cpu": 0.0000252 } },
                units: { "run.instance.cpu": ["vCPU-second", 240000] },
            },
            entries: [{ key: "kms.key", unit: "key-month", price: 0.06, regions: "*", source: "kms page", confidence: "high" }],
        },
        aws: {
            regions: ["us-east-1", "eu-west-1"],
            entries: [
                { key: "ipv4.public", unit: "IP-hour", price: 0.005, regions: "*", source: "vpc page", confidence: "high" },
                { key: "nat.hour", unit: "hour", regions: { "us-east-1": 0.045 }, source: "vpc page", confidence: "check" },
            ],
        },
    },
});

describe("price table generation (npm run prices)", () => {
    it("derives per-region prices from the catalog and the transcription, each with its source, date and confidence", () => {
        const t = deriveTable(snapshot());
        const src = (row: readonly number[]) => t.sources[row[1]];
        expect(t.gcp["europe-west3"]["compute.e2-micro"][0]).to.equal(0.0097);
        expect(src(t.gcp["europe-west3"]["compute.e2-micro"])).to.deep.include({ read: "2026-01-01", confidence: "high" });
        expect(t.gcp["europe-west3"]["vpcaccess.connector"][0], "a connector instance is an e2-micro month").to.equal(7.081);
        expect(t.gcp["us-central1"]["compute.m1-ultramem-40"], "only the families the table keeps").to.equal(undefined);
        expect(t.gcp["europe-west3"]["run.instance.cpu"][0], "Cloud Run Tier 2").to.equal(0.0000252);
        expect(src(t.gcp["europe-west3"]["run.instance.cpu"])).to.deep.include({
            source: "run page: Tier 2",
            read: "2026-01-02",
            confidence: "check",
        });
        expect(t.gcp["new-region1"]["run.instance.cpu"], "a region in neither tier list has no Cloud Run price").to.equal(undefined);
        expect(t.gcp["new-region1"]["kms.key"][0], "a one-price-everywhere entry reaches every catalog region").to.equal(0.06);
        expect(t.gcp["europe-west3"]["storage.standard"], "no Always Free storage outside its three US regions").to.deep.equal([
            0.023, 0, 0,
        ]);
        expect(t.gcp["us-central1"]["storage.standard"]).to.deep.equal([0.02, 0]);
        expect(t.aws["eu-west-1"]["nat.hour"], "a per-region entry prices only the regions it names").to.equal(undefined);
        expect(t.aws["eu-west-1"]["ipv4.public"][0]).to.equal(0.005);
        expect(t.units.aws["nat.hour"]).to.deep.equal(["hour", null]);
    });

    it("the committed table covers every GCP region of its catalog and states its snapshot; each price names its source and date", () => {
        const t = priceTable();
        expect(t.snapshot).to.match(/^\d{4}-\d{2}-\d{2}$/);
        expect(Object.keys(t.gcp).length).to.be.at.least(40);
        for (const s of t.sources) {
            expect(s.source).to.be.a("string").and.not.equal("");
            expect(s.read).to.match(/^\d{4}-\d{2}-\d{2}$/);
        }
        expect(GCP_PRICES["europe-west1"]["run.instance.cpu"]).to.include({ unitPrice: 0.000018, unit: "vCPU-second", freeTier: 240_000 });
        expect(GCP_PRICES["southamerica-east1"]["run.instance.cpu"].unitPrice, "Tier 2").to.equal(0.0000252);
        expect(GCP_PRICES["antarctica-south1"]).to.equal(undefined);
        expect(Object.keys(AWS_PRICES)).to.include.members(["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"]);
        expect("eu-west-1" in AWS_PRICES && !("xx-nowhere-1" in AWS_PRICES)).to.equal(true);
    });
});

describe("older per-region builds (ec2instances.info) for RDS and ElastiCache", () => {
    const pricing = (rates: Record<string, number>, engine: string) =>
        Object.fromEntries(Object.entries(rates).map(([region, ondemand]) => [region, { [engine]: { ondemand } }]));
    const withBuilds = (): SnapshotInput => {
        const s = snapshot();
        const entries: SnapshotInput["transcribed"]["aws"]["entries"] = [
            ...s.transcribed.aws.entries,
            {
                key: "rds.db.t3.micro",
                unit: "instance-hour",
                regions: { "us-east-1": 0.018 },
                source: "rds page",
                confidence: "check" as const,
            },
            {
                key: "rds.db.m5.large",
                unit: "instance-hour",
                regions: { "us-east-1": 0.178 },
                source: "rds page",
                confidence: "check" as const,
            },
            {
                key: "elasticache.cache.t4g.micro",
                unit: "node-hour",
                regions: { "us-east-1": 0.0128, "eu-west-1": 0.0136 },
                source: "offer file",
                confidence: "check" as const,
            },
        ];
        return {
            ...s,
            transcribed: { ...s.transcribed, aws: { ...s.transcribed.aws, entries } },
            awsInstanceBuilds: {
                rds: {
                    repository: "vantage-sh/ec2instances.info",
                    commit: "14ede5a54df6e33be6ccf96ae9cb60e168635844",
                    built: "2021-08-03",
                    rows: [
                        { instance_type: "db.t3.micro", pricing: pricing({ "us-east-1": 0.018, "sa-east-1": 0.038 }, "PostgreSQL") },
                        // Repriced since the build (its us-east-1 differs from today's): not carried anywhere.
                        { instance_type: "db.m5.large", pricing: pricing({ "us-east-1": 0.171, "sa-east-1": 0.233 }, "PostgreSQL") },
                        // Not priced today in us-east-1: nothing to check it against.
                        { instance_type: "db.x1.16xlarge", pricing: pricing({ "us-east-1": 6.0, "sa-east-1": 9.0 }, "PostgreSQL") },
                    ],
                },
                cache: {
                    repository: "vantage-sh/ec2instances.info",
                    commit: "3e75a5dddbf4674d74ebeb06f46e4543c3a08b92",
                    built: "2022-02-13",
                    rows: [
                        {
                            instance_type: "cache.t4g.micro",
                            pricing: pricing({ "us-east-1": 0.016, "eu-west-1": 0.017, "ap-northeast-1": 0.025 }, "Redis"),
                        },
                    ],
                },
            },
        };
    };

    it("carries a type's regional rates only where the build's us-east-1 rate is today's; transcribed rows stay; Valkey = 0.8 × Redis OSS", () => {
        const t = deriveTable(withBuilds());
        const src = (row: readonly number[]) => t.sources[row[1]];
        expect(t.aws["sa-east-1"]["rds.db.t3.micro"][0]).to.equal(0.038);
        expect(src(t.aws["sa-east-1"]["rds.db.t3.micro"])).to.deep.include({ read: "2021-08-03", confidence: "check" });
        expect(src(t.aws["sa-east-1"]["rds.db.t3.micro"]).source).to.match(/ec2instances\.info build \(commit 14ede5a, MIT\)/);
        expect(t.aws["sa-east-1"]["rds.db.m5.large"], "repriced since the build: stays unpriced").to.equal(undefined);
        expect(t.aws["sa-east-1"]["rds.db.x1.16xlarge"], "no current rate to check the build against").to.equal(undefined);
        expect(t.aws["ap-northeast-1"]["elasticache.cache.t4g.micro"][0], "0.025 × 0.8").to.equal(0.02);
        expect(t.units.aws["elasticache.cache.t4g.micro"]).to.deep.equal(["node-hour", null]);
        expect(t.aws["eu-west-1"]["elasticache.cache.t4g.micro"][0], "the transcribed (current) rate wins").to.equal(0.0136);
        expect(src(t.aws["eu-west-1"]["elasticache.cache.t4g.micro"]).source).to.equal("offer file");
    });

    it("the committed table prices a Valkey node in Tokyo and São Paulo at the build's rate, naming it; db.t4g stays unpriced there", () => {
        const node = (region: string) =>
            estimateCost(
                [
                    {
                        urn: "urn:cache",
                        type: "aws:elasticache/replicationGroup:ReplicationGroup",
                        props: { nodeType: "cache.t4g.micro", numCacheClusters: 2 },
                    },
                    { urn: "urn:db", type: "aws:rds/instance:Instance", props: { instanceClass: "db.t4g.micro", allocatedStorage: 20 } },
                ],
                { usage: { ...TIER_PROFILES.staging.usage }, defaultRegions: { aws: region } },
            );
        // Published Redis OSS on-demand: Tokyo $0.025, São Paulo $0.030 per node-hour; Valkey 20 % less.
        for (const [region, redis] of [
            ["ap-northeast-1", 0.025],
            ["sa-east-1", 0.03],
        ] as const) {
            const e = node(region);
            const cache = e.lines.filter((l) => l.urn === "urn:cache");
            expect(
                cache.reduce((n, l) => n + l.monthly, 0),
                region,
            ).to.be.closeTo(2 * HOURS_PER_MONTH * redis * 0.8, 0.01);
            expect(cache[0].source, region).to.match(/^vantage-sh\/ec2instances\.info build \(commit 3e75a5d, MIT\)/);
            expect(cache[0].confidence, region).to.equal("check");
            expect(AWS_PRICES[region]["rds.db.t4g.micro"], "db.t4g is newer than the RDS build").to.equal(undefined);
        }
    });
});

describe("regional estimates (#33 done-when)", function () {
    this.timeout(120000);
    const cases: [string, Record<string, string>][] = [
        ...["europe-west1", "asia-northeast1", "southamerica-east1"].map((r): [string, Record<string, string>] => [r, { "gcp:region": r }]),
        ...["eu-west-1", "ap-southeast-2", "sa-east-1"].map((r): [string, Record<string, string>] => [
            r,
            { "runway:cloud": "aws", "aws:region": r },
        ]),
    ];

    it("production plans in three regions per cloud print a monthly figure with nothing unpriced, within a plausible band of the US figure", async () => {
        const usGcp = (await planStack("production")).document.cost.usageMonthly;
        const usAws = (await planStack("production", { "runway:cloud": "aws", "aws:region": "us-east-1" })).document.cost.usageMonthly;
        for (const [region, config] of cases) {
            const { cost } = (await planStack("production", config)).document;
            expect(cost.unpriced, region).to.deep.equal([]);
            expect(cost.bound, region).to.equal("exact");
            expect(cost.assumptions.regions, region).to.deep.equal([region]);
            const us = config["runway:cloud"] === "aws" ? usAws : usGcp;
            // Regional premiums: never cheaper than the US by more than a few percent, never more than twice it.
            expect(cost.usageMonthly / us, `${region}: ${cost.usageMonthly} vs US ${us}`).to.be.within(0.95, 2);
        }
    });

    it("a region the data does not cover prints 'unpriced', not $0, and the budget policy says it cannot judge", async () => {
        // europe-north2 is in the catalog (VMs, storage) but in neither Cloud Run tier list of the snapshot.
        const { document } = await planStack("production", { "gcp:region": "europe-north2", "runway:budgetAmount": "100000" });
        expect(document.cost.bound).to.equal("at least");
        expect(document.cost.unpriced.map((u) => u.reason)).to.include(
            "no price for CPU, always allocated (run.instance.cpu) in europe-north2",
        );
        expect(renderCost(document).split("\n")[0]).to.match(
            /^Monthly cost estimate \(USD\): ≥ \$[\d.,]+ at stated usage, ≥ \$[\d.,]+ idle — 1 resource unpriced/,
        );
        const judged = document.policies.filter((p) => p.policy === "budget-covers-estimate");
        expect(judged.map((p) => p.level)).to.deep.equal(["advisory"]);
        expect(judged[0].message).to.include('Cannot judge budget "monitoring-budget": unpriced resources.');
    });
});
