import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { estimateCost, PricedResource } from "../rules/cost/estimate";
import { Usage, usageFromConfig } from "../rules/cost/usage";
import { TIER_PROFILES } from "../rules/profile";
import { compareDocuments, renderMarkdown } from "../plan";
import { renderComparison, renderCost } from "../plan/report";
import { budgetCoversEstimate, budgetPresence } from "../policy/policies";
import { toCurrency } from "../rules/cost/currency";
import { checkPolicy, messages } from "./helpers/policyRun";
import { cli, planStack } from "./helpers/plans";

const CENT = 0.01;
const usage = (overrides: Partial<Usage> = {}): Usage => ({ ...TIER_PROFILES.solo.usage, ...overrides });
const zero = usage({ requestsPerMonth: 0, egressGb: 0, imageStorageGb: 0, logGb: 0, secretAccessesPerMonth: 0 });
const run = (props: Record<string, unknown>): PricedResource => ({
    urn: "urn:run",
    type: "gcp:cloudrunv2/service:Service",
    props: { location: "us-central1", ...props },
});

describe("cost estimate: hand calculations from the published prices", function () {
    this.timeout(60000);

    it("solo idle: $0 (scale to zero, images inside the free 0.5 GB)", async () => {
        const { document } = await planStack("solo");
        expect(document.cost.idleMonthly).to.be.closeTo(0, CENT);
    });

    it("solo at 1M requests/month: 200,000 vCPU-s − 180,000 free at $0.000024 = $0.48, + 4 image scans × $0.26", async () => {
        const { document } = await planStack("solo", { "runway:usage": JSON.stringify({ requestsPerMonth: 1_000_000 }) });
        // CPU 1 × 1,000,000 × 0.2 s = 200,000 vCPU-s → $4.80 − $4.32 free; memory 100,000 GiB-s and 1M requests are inside the free tier.
        // Container Scanning bills each new image once: 4 pushes × $0.26 = $1.04.
        expect(document.cost.usageMonthly).to.be.closeTo(0.48 + 1.04, CENT);
        expect(document.cost.assumptions.requestsPerMonth).to.equal(1_000_000);
    });

    it("production: one always-on 2 vCPU / 1 GiB instance = $94.64 after the instance-based free tier", () => {
        const estimate = estimateCost(
            [
                run({
                    template: {
                        scaling: { minInstanceCount: 1 },
                        containers: [{ resources: { limits: { cpu: "2", memory: "1Gi" }, cpuIdle: false } }],
                    },
                }),
            ],
            { usage: zero },
        );
        // 2 × 2,628,000 × 0.000018 = 94.608; 2,628,000 × 0.000002 = 5.256; free 240,000 × 0.000018 = 4.32 and 450,000 × 0.000002 = 0.90.
        expect(estimate.usageMonthly).to.be.closeTo(94.608 + 5.256 - 4.32 - 0.9, CENT);
        expect(estimate.freeTierMonthly).to.be.closeTo(-5.22, CENT);
    });

    it("request-based minimum instances bill their idle time at the idle rate", () => {
        const estimate = estimateCost(
            [
                run({
                    template: { scaling: { minInstanceCount: 1 }, containers: [{ resources: { limits: { cpu: "1", memory: "512Mi" } } }] },
                }),
            ],
            { usage: zero },
        );
        // (1 vCPU + 0.5 GiB) × 2,628,000 s × 0.0000025 = 9.855
        expect(estimate.idleMonthly).to.be.closeTo(9.855, CENT);
    });

    it("Cloud SQL HA db-custom-2-7680, 10 GB, backups: $201.45", () => {
        const estimate = estimateCost(
            [
                {
                    urn: "urn:db",
                    type: "gcp:sql/databaseInstance:DatabaseInstance",
                    props: {
                        region: "us-central1",
                        settings: {
                            tier: "db-custom-2-7680",
                            availabilityType: "REGIONAL",
                            diskSize: 10,
                            backupConfiguration: { enabled: true },
                        },
                    },
                },
            ],
            { usage: zero },
        );
        // 2 vCPU × 730 h × 2 × 0.0413 = 120.596; 7.5 GB × 730 × 2 × 0.0070 = 76.65; 10 GB × 2 × 0.17 = 3.40; backups 10 × 0.08 = 0.80
        expect(estimate.usageMonthly).to.be.closeTo(201.446, CENT);
        expect(estimate.lines.every((l) => l.confidence === "check")).to.equal(true);
    });

    it("NAT: Cloud NAT $1.02 + $0.045/GiB, its static IP $3.65; AWS NAT gateway $32.85 + $0.045/GB", () => {
        const gcp = estimateCost(
            [
                { urn: "urn:nat", type: "gcp:compute/routerNat:RouterNat", props: { region: "us-central1" } },
                { urn: "urn:ip", type: "gcp:compute/address:Address", props: { region: "us-central1" } },
            ],
            { usage: usage({ egressGb: 50, imageStorageGb: 0 }) },
        );
        expect(gcp.usageMonthly).to.be.closeTo(730 * 0.0014 + 50 * 0.045 + 730 * 0.005, CENT);
        const aws = estimateCost([{ urn: "urn:natgw", type: "aws:ec2/natGateway:NatGateway", props: {} }], {
            usage: usage({ egressGb: 50 }),
            defaultRegions: { aws: "us-east-1" },
        });
        expect(aws.usageMonthly).to.be.closeTo(730 * 0.045 + 50 * 0.045, CENT);
        expect(aws.idleMonthly).to.be.closeTo(32.85, CENT);
    });

    it("reports unknown regions and types as unpriced, free types as no direct cost, never dropping them", () => {
        const estimate = estimateCost(
            [
                run({ location: "antarctica-south1" }),
                { urn: "urn:vm", type: "gcp:bigtable/instance:Instance", props: { zone: "us-central1-a" } },
                { urn: "urn:topic", type: "gcp:pubsub/topic:Topic", props: {} },
                { urn: "urn:nolocation", type: "gcp:artifactregistry/repository:Repository", props: {} },
            ],
            { usage: usage() },
        );
        expect(estimate.unpriced.map((u) => [u.urn, u.reason])).to.deep.equal([
            ["urn:run", "no prices for region antarctica-south1"],
            ["urn:vm", "no pricing function for this type"],
            ["urn:nolocation", "region unknown"],
        ]);
        expect(estimate.noDirectCost.map((n) => n.urn)).to.deep.equal(["urn:topic"]);
        expect(estimate.usageMonthly).to.equal(0);
    });

    it("prices Cloud Monitoring alert policies per condition and per time series returned (review item 9), in any region", () => {
        const policy = (conditions: number) => ({
            urn: `urn:alert-${conditions}`,
            type: "gcp:monitoring/alertPolicy:AlertPolicy",
            props: { conditions: Array.from({ length: conditions }, () => ({})) },
        });
        // One global price: with a default region, and without one (the policy pack's view of a stack).
        for (const defaultRegions of [{ gcp: "europe-west1" }, undefined]) {
            const estimate = estimateCost([policy(1), policy(2)], { usage: usage(), defaultRegions });
            expect(estimate.unpriced).to.deep.equal([]);
            expect(estimate.noDirectCost).to.deep.equal([]);
            // 3 conditions × $1.50, and 3 × 86,400 series a month (one every 30 s) × $0.35 per million.
            expect(estimate.usageMonthly).to.be.closeTo(3 * 1.5 + ((3 * 730 * 3600) / 30 / 1e6) * 0.35, CENT);
        }
    });

    it("applies free tiers once per stack, as separate credit lines", () => {
        const twoServices = [run({}), { ...run({}), urn: "urn:run2" }];
        const estimate = estimateCost(twoServices, {
            usage: usage({ requestsPerMonth: 1_000_000, logGb: 0, imageStorageGb: 0, egressGb: 0 }),
        });
        const cpuCredit = estimate.lines.filter((l) => l.urn === "" && l.dimension.endsWith("run.request.cpu"));
        expect(cpuCredit).to.have.length(1);
        expect(cpuCredit[0].quantity).to.equal(-180_000);
        // 2 × 200,000 vCPU-s = 400,000 − 180,000 free = 220,000 × 0.000024 = 5.28; memory 200,000 GiB-s free; 2M requests free.
        expect(estimate.usageMonthly).to.be.closeTo(5.28, CENT);
    });

    it("GCP internet egress: the first GiB free, then $0.12/GiB (Premium Tier to North America); no tier leaves anything unpriced", async () => {
        const { document } = await planStack("production");
        const egress = document.cost.lines.filter(
            (l) => l.dimension.startsWith("internet egress") || l.dimension.endsWith("/network.internet-egress"),
        );
        const gb = document.cost.assumptions.egressGb;
        expect(egress.reduce((sum, l) => sum + l.monthly, 0)).to.be.closeTo((gb - 1) * 0.12, 0.005);
        for (const stack of ["solo", "staging", "production"])
            expect((await planStack(stack)).document.cost.unpriced, stack).to.deep.equal([]);
    });

    it("per-tier totals stay within the targets: solo idle ≤ $1, staging ≤ $15", async () => {
        expect((await planStack("solo")).document.cost.idleMonthly).to.be.at.most(1);
        expect((await planStack("staging")).document.cost.usageMonthly).to.be.at.most(15);
    });
});

describe("usage assumptions", () => {
    it("a malformed runway:usage is a config error (exit 2), not a crash", async () => {
        const result = await cli("--stack", "solo", "--config", "runway:usage={bad");
        expect(result.code).to.equal(2);
        expect(result.stderr)
            .to.include('runway:usage = "{bad": an object of requestsPerMonth')
            .and.not.match(/\n\s+at /);
    });

    it("start from the tier and take runway:usage overrides", () => {
        expect(usageFromConfig({ "runway:tier": "production" }).usage).to.deep.equal(TIER_PROFILES.production.usage);
        expect(usageFromConfig({ "runway:usage": JSON.stringify({ logGb: 3 }) }).usage.logGb).to.equal(3);
    });

    it("read the tier as the stack resolves it: a value with surrounding spaces is that tier, not solo", () => {
        const values = { "runway:tier": " production " };
        expect(usageFromConfig(values)).to.deep.include({ tier: "production", usage: TIER_PROFILES.production.usage });
    });

    it("name the key, value and what is allowed when wrong", () => {
        const { problems } = usageFromConfig({ "runway:usage": JSON.stringify({ requestsPerMonth: -1, requests: 5 }) });
        expect(problems.map((p) => `${p.key} = ${JSON.stringify(p.value)}: ${p.allowed}`)).to.deep.equal([
            "runway:usage.requestsPerMonth = -1: a number ≥ 0",
            "runway:usage.requests = 5: one of requestsPerMonth, avgRequestSeconds, egressGb, imageStorageGb, logGb, secretAccessesPerMonth, imagesPushedPerMonth, stateStorageGb, stateWritesPerMonth, stateReadsPerMonth, keyRequestsPerMonth, dbCpuUtilization, tableStorageGb, objectStorageGb, objectWritesPerMonth, objectReadsPerMonth, logRetentionDaysUnset, migrationSecondsPerRun",
        ]);
    });
});

/** A GCP budget of `units` a month, and a database priced at $9.37 a month in us-central1 (db-f1-micro + 10 GB). */
const budget = (units: string, currencyCode = "USD") => ({
    type: "gcp:billing/budget:Budget",
    name: "budget",
    props: { amount: { specifiedAmount: { currencyCode, units } } },
});
const db = {
    type: "gcp:sql/databaseInstance:DatabaseInstance",
    name: "db",
    props: { region: "us-central1", settings: { tier: "db-f1-micro", diskSize: 10 } },
};

describe("policy budget-covers-estimate (advisory)", () => {
    it("passes a budget above the estimate and advises on one below it", async () => {
        expect(messages(await checkPolicy(budgetCoversEstimate, [budget("20"), db]))).to.deep.equal([]);
        // db-f1-micro $7.67 + 10 GB × $0.17 = $9.37
        expect(messages(await checkPolicy(budgetCoversEstimate, [budget("5"), db]))).to.deep.equal([
            '[advisory] Budget "budget" is 5.00 USD/month, below the estimated 9.37 USD/month (100,000 requests/month).',
        ]);
    });

    it("cannot compare another currency, and is not applicable without a budget", async () => {
        expect(messages(await checkPolicy(budgetCoversEstimate, [budget("5", "EUR"), db]))[0]).to.match(
            /is in EUR; the estimate is in USD/,
        );
        expect((await checkPolicy(budgetCoversEstimate, [db])).notApplicable.map((n) => n.policy)).to.deep.equal([
            "budget-covers-estimate",
        ]);
    });

    it("advises when the budget amount is unknown during preview", async () => {
        const report = await checkPolicy(budgetCoversEstimate, [
            { ...budget("5"), props: { amount: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } },
            db,
        ]);
        expect(report.violations.map((v) => v.level)).to.deep.equal(["advisory"]);
    });

    it("fires on a whole stack whose budget is below its estimate", async () => {
        const { document } = await planStack("production", { "runway:budgetAmount": "50" });
        expect(document.policies.map((v) => [v.policy, v.level])).to.deep.equal([["budget-covers-estimate", "advisory"]]);
        expect(document.policies[0].message).to.match(/50\.00 USD\/month, below the estimated 14\d\.\d\d USD\/month/);
    });
});

describe("container scanning and money in the document", function () {
    this.timeout(60000);

    it("prices the Container Scanning API per new image where the registry scans; nothing when scanning is off", () => {
        const repo = (enablementConfig: string): PricedResource => ({
            urn: "urn:repo",
            type: "gcp:artifactregistry/repository:Repository",
            props: { location: "us-central1", vulnerabilityScanningConfig: { enablementConfig } },
        });
        const scans = (e: ReturnType<typeof estimateCost>) => e.lines.filter((l) => l.dimension.startsWith("vulnerability scans"));
        const on = estimateCost([repo("INHERITED")], { usage: usage({ imagesPushedPerMonth: 20, imageStorageGb: 0 }) });
        expect(scans(on).map((l) => [l.quantity, l.unitPrice, l.monthly])).to.deep.equal([[20, 0.26, 5.2]]);
        expect(on.idleMonthly, "idle: nothing pushed").to.equal(0);
        expect(scans(estimateCost([repo("DISABLED")], { usage: usage({ imagesPushedPerMonth: 20 }) }))).to.deep.equal([]);
    });

    it("carries every amount in whole cents (no floating-point residue like -2.7e-17)", async () => {
        for (const stack of ["solo", "staging", "production"]) {
            const { cost } = (await planStack(stack)).document;
            const amounts = [cost.idleMonthly, cost.usageMonthly, cost.freeTierMonthly, ...cost.lines.map((l) => l.monthly)];
            for (const amount of amounts) expect(Math.round(amount * 100) / 100, `${stack}: ${amount}`).to.equal(amount);
            expect(JSON.stringify(cost)).not.to.match(/\de-\d/);
        }
    });
});

describe("PR report: markdown and comparison", function () {
    this.timeout(60000);

    it("markdown has the summary, a Mermaid diagram, the policy table and the cost table", async () => {
        const { document } = await planStack("production", { "runway:budgetAmount": "50" });
        const md = renderMarkdown(document);
        expect(md).to.match(
            /^## Runway plan: runway\/production\n\n\*\*\d+ resources \(\d+ cloud resources, \d+ other resources \([a-z, ]+\), \d+ components, 1 stack\)\*\* · policies: ✅ 0 mandatory, 1 advisory · deployability: ✅ 0 mandatory · \*\*≈ \$14\d\.\d\d\/month\*\*/,
        );
        expect(md).to.include("```mermaid\nflowchart LR\n").and.include("subgraph").and.include('["app (runway:gcp:Service)"]');
        expect(md).to.include("| advisory | budget-covers-estimate | Budget monitoring-budget |");
        expect(md).to.match(
            /\| Service app-service \| CPU, always allocated \| 5,256,000 vCPU-second \| \$0\.000018 \| \$94\.61 \| high \|/,
        );
    });

    it("compares with a base plan: added, removed, changed, and the monthly delta", async () => {
        const base = (await planStack("staging")).document;
        const head = (
            await planStack("staging", {
                "runway:minInstances": "1",
                "runway:githubRepository": "",
                "runway:githubOwnerId": "",
                "runway:githubRepositoryId": "",
                "runway:githubVisibility": "",
            })
        ).document;
        const c = compareDocuments(base, head);
        expect(c.changed.map((r) => `${r.name}: ${r.changed.join(",")}`)).to.include("app-service: scaling");
        expect(c.removed.map((r) => r.type))
            .to.include("runway:gcp:CiIdentity")
            .and.include("github:index/repositoryFile:RepositoryFile");
        expect(c.added).to.deep.equal([]);
        expect(c.cost.deltaMonthly).to.be.closeTo(head.cost.usageMonthly - base.cost.usageMonthly, 1e-9);
        expect(c.cost.deltaMonthly).to.be.above(9);
        expect(renderMarkdown(head, c))
            .to.include("### Changes against the base")
            .and.match(
                /\| ✏️ changed \| <code>gcp:cloudrunv2\/service:Service<\/code> app-service \| <code>scaling\.[\w.\\[\]]+<\/code>: .+ → .+ \|/,
            );
    });

    it("CLI: --markdown and --compare in text, JSON and markdown; a bad base file exits 2", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-compare-"));
        const baseFile = path.join(dir, "base.json");
        const base = await cli("--stack", "solo", "--json");
        fs.writeFileSync(baseFile, base.stdout);
        const text = await cli("--stack", "solo", "--config", "runway:minInstances=1", "--compare", baseFile);
        expect(text.code).to.equal(0);
        expect(text.stdout).to.match(
            /Changes against the base: 0 added, 0 removed, 1 changed\n {4}~ gcp:cloudrunv2\/service:Service {2}app-service {2}\(scaling\)\n {8}scaling\.minInstanceCount: \S+ → 1\n {4}monthly estimate: \$\d+\.\d\d -> \$\d+\.\d\d \(\+\$\d+\.\d\d\)/,
        );
        const json = JSON.parse(
            (await cli("--stack", "solo", "--config", "runway:minInstances=1", "--compare", baseFile, "--json")).stdout,
        );
        expect(json.comparison.changed[0]).to.include({ name: "app-service" });
        const md = await cli("--stack", "solo", "--markdown", "--compare", baseFile);
        expect(md.stdout).to.include("### Changes against the base").and.include("| none | | |");
        fs.writeFileSync(baseFile, "{}");
        const bad = await cli("--stack", "solo", "--compare", baseFile);
        expect(bad.code).to.equal(2);
        expect(bad.stderr).to.match(/--compare .*base\.json: not a plan document/);
    });
});

describe("AWS pricing for other projects planned with --cwd", () => {
    it("an ECS service runs its desired tasks of its task definition's size all month: 2 × 0.5 vCPU / 1 GB = $36.04", () => {
        const estimate = estimateCost(
            [
                {
                    urn: "urn:task",
                    type: "aws:ecs/taskDefinition:TaskDefinition",
                    props: { family: "shop-staging", cpu: "512", memory: "1024" },
                },
                {
                    urn: "urn:other",
                    type: "aws:ecs/taskDefinition:TaskDefinition",
                    props: { family: "worker", cpu: "4096", memory: "8192" },
                },
                {
                    urn: "urn:svc",
                    type: "aws:ecs/service:Service",
                    props: { desiredCount: 2, taskDefinition: "arn:aws:ecs:us-east-1:1:task-definition/shop-staging:3" },
                },
            ],
            { usage: usage({ logGb: 0 }), defaultRegions: { aws: "us-east-1" } },
        );
        // 2 tasks × 0.5 vCPU × 730 h × 0.04048 = 29.5504; 2 × 1 GB × 730 × 0.004445 = 6.4897
        expect(estimate.idleMonthly).to.be.closeTo(29.5504 + 6.4897, CENT);
    });
});

describe("shared egress", () => {
    it("splits NAT data processing between gateways instead of charging all egress at each", () => {
        const three = [0, 1, 2].map((i) => ({ urn: `urn:nat${i}`, type: "aws:ec2/natGateway:NatGateway", props: {} }));
        const estimate = estimateCost(three, { usage: usage({ egressGb: 60 }), defaultRegions: { aws: "us-east-1" } });
        // 3 × 730 h × $0.045 + 60 GB × $0.045 once
        expect(estimate.usageMonthly).to.be.closeTo(3 * 730 * 0.045 + 60 * 0.045, CENT);
    });
});

describe("unknown stays unknown (#33 item 2)", function () {
    this.timeout(60000);
    const ec2Unpriced = {
        urn: "urn:pulumi:dev::p::azure:compute/virtualMachine:VirtualMachine::vm",
        type: "azure:compute/virtualMachine:VirtualMachine",
        props: {},
    };
    const sql = { urn: "urn:pulumi:dev::p::gcp:sql/databaseInstance:DatabaseInstance::db", type: db.type, props: db.props };

    it("an estimate with an unpriced resource is a lower bound; with nothing priced it is unknown; complete is exact", () => {
        const partial = estimateCost([sql, ec2Unpriced], { usage: zero });
        expect([partial.bound, partial.unpricedResources]).to.deep.equal(["at least", 1]);
        const none = estimateCost([ec2Unpriced], { usage: zero });
        expect([none.bound, none.unpricedResources, none.usageMonthly]).to.deep.equal(["unknown", 1, 0]);
        expect(estimateCost([sql], { usage: zero }).bound).to.equal("exact");
        expect(estimateCost([], { usage: zero }).bound, "an empty stack costs nothing, and that is known").to.equal("exact");
    });

    it("text, JSON and the PR comment say '≥ $X, N resources unpriced' or 'unknown', never a bare $0", async () => {
        const { document } = await planStack("solo", { "gcp:region": "us-central1" });
        const withUnpriced = {
            ...document,
            resources: [...document.resources],
            cost: {
                ...document.cost,
                unpriced: [{ urn: "urn:x", type: "azure:storage/account:Account", reason: "no pricing function for this type" }],
                unpricedResources: 1,
                bound: "at least" as const,
            },
        };
        expect(renderCost(withUnpriced).split("\n")[0]).to.match(
            /^Monthly cost estimate \(USD\): ≥ \$\d+\.\d\d at stated usage, ≥ \$\d+\.\d\d idle — 1 resource unpriced \(not included\)$/,
        );
        expect(renderMarkdown(withUnpriced)).to.match(
            /\*\*≥ \$\d+\.\d\d\/month\*\* at stated usage \(≥ \$\d+\.\d\d idle; 1 resource unpriced\)/,
        );
        const unknown = {
            ...withUnpriced,
            cost: { ...withUnpriced.cost, lines: [], usageMonthly: 0, idleMonthly: 0, bound: "unknown" as const },
        };
        expect(renderCost(unknown).split("\n")[0]).to.equal(
            "Monthly cost estimate (USD): unknown at stated usage, unknown idle — 1 resource unpriced (not included)",
        );
        expect(renderMarkdown(unknown)).to.include("**cost unknown** (1 resource unpriced)").and.not.include("$0.00/month");
        expect(JSON.parse(JSON.stringify(document.cost))).to.include({ bound: "exact", unpricedResources: 0 });
    });

    it("a comparison with unpriced resources says its delta leaves them out", async () => {
        const { document } = await planStack("solo", { "gcp:region": "us-central1" });
        const head = {
            ...document,
            cost: {
                ...document.cost,
                unpriced: [{ urn: "urn:a", type: "t", reason: "r" }],
                unpricedResources: 1,
                bound: "at least" as const,
            },
        };
        const c = compareDocuments(document, head);
        expect(c.cost.unpricedResources).to.equal(1);
        expect(renderComparison(c)).to.match(/monthly estimate: .*, not counting 1 unpriced resource$/m);
        expect(renderMarkdown(head, c)).to.include("(not counting 1 unpriced resource)");
        expect(compareDocuments(document, document).cost.unpricedResources).to.equal(0);
    });

    it("budget-covers-estimate: 'cannot judge: unpriced resources' when the budget covers only the priced part; a finding when it does not even cover that", async () => {
        const vm = { type: "azure:compute/virtualMachine:VirtualMachine", name: "vm", props: {} };
        const covered = await checkPolicy(budgetCoversEstimate, [budget("20"), db, vm]);
        expect(covered.violations.map((v) => v.level)).to.deep.equal(["advisory"]);
        expect(messages(covered)[0]).to.match(
            /Cannot judge budget "budget": unpriced resources\. 1 resource\(s\) are unpriced \(azure:compute\/virtualMachine:VirtualMachine\), so the estimate \(at least 9\.37 USD\/month/,
        );
        expect(messages(await checkPolicy(budgetCoversEstimate, [budget("5"), db, vm]))[0]).to.match(
            /Budget "budget" is 5\.00 USD\/month, below the estimated at least 9\.37 USD\/month .* 1 resource\(s\) are unpriced/,
        );
        expect(messages(await checkPolicy(budgetCoversEstimate, [budget("20"), db])), "complete and covered: silent").to.deep.equal([]);
    });
});

describe("budget currency (#33 item 3)", () => {
    it("refuses a non-USD budget without a stated exchange assumption, naming the setting to add", async () => {
        const report = await checkPolicy(budgetCoversEstimate, [budget("5", "EUR"), db]);
        expect(report.violations.map((v) => v.level)).to.deep.equal(["advisory"]);
        expect(messages(report)[0])
            .to.include('Cannot judge budget "budget": it is in EUR; the estimate is in USD')
            .and.include("exchangeRates.EUR");
    });

    it("compares in the budget's currency through a stated, dated assumption, and says which", async () => {
        const exchangeRates = { EUR: { perUsd: 0.9, date: "2026-12-01", source: "test rate" } };
        // $9.37 × 0.9 = €8.43: an €8 budget is below it, a €9 budget covers it (while $9 would not).
        expect(messages(await checkPolicy(budgetCoversEstimate, [budget("8", "EUR"), db], { config: { exchangeRates } }))).to.deep.equal([
            '[advisory] Budget "budget" is 8.00 EUR/month, below the estimated 8.43 EUR/month (9.37 USD at 0.9 EUR/USD as of 2026-12-01, test rate) (100,000 requests/month).',
        ]);
        expect(messages(await checkPolicy(budgetCoversEstimate, [budget("9", "EUR"), db], { config: { exchangeRates } }))).to.deep.equal(
            [],
        );
    });

    it("toCurrency refuses a malformed assumption instead of converting with it", () => {
        expect(toCurrency(10, "EUR", { EUR: { perUsd: 0, date: "2026-12-01" } })).to.deep.include({ ok: false });
        expect(toCurrency(10, "EUR", { EUR: { perUsd: 0.9, date: "last week" } })).to.deep.include({ ok: false });
        expect(toCurrency(10, "usd", {})).to.deep.equal({ ok: true, amount: 10 });
    });
});

describe("budget policies on clouds they do not know (#33 item 4)", () => {
    it("budget-presence stays silent (not applicable) on an Azure-only stack, and still applies to a mixed AWS stack", async () => {
        const vm = { type: "azure:compute/virtualMachine:VirtualMachine", name: "vm", props: {} };
        const azure = await checkPolicy(budgetPresence, [vm]);
        expect(azure.violations).to.deep.equal([]);
        expect(azure.notApplicable.map((n) => n.policy)).to.deep.equal(["budget-presence"]);
        const mixed = await checkPolicy(budgetPresence, [vm, { type: "aws:s3/bucketV2:BucketV2", name: "b", props: {} }]);
        expect(mixed.violations.map((v) => v.level)).to.deep.equal(["mandatory"]);
    });
});

describe("budget-covers-estimate under pulumi preview", () => {
    it("prices resources that name no region at their provider's region (the engine passes the provider's inputs)", () => {
        const violations: string[] = [];
        const run = (provider?: { props: Record<string, unknown> }) => {
            violations.length = 0;
            const resources = [
                { ...budget("1"), urn: "urn:budget" },
                // An AWS NAT gateway names no region: only the provider knows it.
                { type: "aws:ec2/natGateway:NatGateway", name: "nat", urn: "urn:nat", props: {}, ...(provider ? { provider } : {}) },
            ];
            (budgetCoversEstimate.validateStack as any)(
                { resources, getConfig: () => ({}), notApplicable: (reason: string) => violations.push(`n/a: ${reason}`) },
                (message: string) => violations.push(message),
            );
            return violations.join("\n");
        };
        expect(run(), "no provider, no default region: cannot judge").to.match(/Cannot judge budget "budget": unpriced resources/);
        // 730 h × $0.045 + the solo tier's 1 GB of egress processed × $0.045 = $32.895 > $1
        expect(run({ props: { region: "us-east-1" } })).to.match(
            /Budget "budget" is 1\.00 USD\/month, below the estimated 32\.90 USD\/month/,
        );
    });
});
