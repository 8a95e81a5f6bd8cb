/**
 * npm run readme: rewrites every block between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`
 * of README.md and docs/*.md from real offline plans, so each figure in the prose is one the plan
 * prints. tests/readme.test.ts fails when a page differs from what this would write.
 * Add a figure: add a generator to GENERATORS and the two markers around it in the page.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { PlanResult } from "../plan";
import { usd } from "../plan/report";
import { SCANNER_TABLE } from "../policy/lib/scanners";
import { PRICED_TYPES, type CostLine } from "../rules/cost/estimate";
import { priceTable } from "../rules/cost/prices";
import { GITHUB_FEATURES, deliveryShape, featuresOf, planList, requirementText } from "../rules/github";
import { KUBERNETES_INPUT_RULES } from "../rules/kubernetes/inputs";
import { TIERS, TIER_PROFILES, previewEnvironment } from "../rules/profile";

/** Plans a stack of this project (tests pass their cached planner). */
export type Planner = (stack: string, config?: Record<string, string>) => Promise<PlanResult>;

type Generator = (planner: Planner) => Promise<string>;

const MANAGED_DATA = { "runway:database": "managed", "runway:cache": "managed" };
const total = (lines: readonly CostLine[], match: (l: CostLine) => boolean) => lines.filter(match).reduce((sum, l) => sum + l.monthly, 0);
const runInstance = (l: CostLine) => l.type === "gcp:cloudrunv2/service:Service" && l.dimension.includes("always allocated");
const runInstanceFree = (l: CostLine) => l.urn === "" && /run\.instance\./.test(l.dimension);
const dataLine = (l: CostLine) =>
    l.urn !== "" && (l.type === "gcp:sql/databaseInstance:DatabaseInstance" || l.type === "gcp:redis/instance:Instance");
const scanLine = (l: CostLine) => l.dimension.startsWith("vulnerability scans");
const egressLine = (l: CostLine) => l.dimension.startsWith("internet egress") || l.dimension.endsWith("/network.internet-egress");
const edgeLine = (l: CostLine) => /::edge-/.test(l.urn);
const edgeBy = (lines: readonly CostLine[], type: string, dimension = "") =>
    total(lines, (l) => edgeLine(l) && l.type === type && l.dimension.includes(dimension));
const ARMOR = "gcp:compute/securityPolicy:SecurityPolicy";

/** The programs of tests/corpus (folders with a Pulumi.yaml), which tests/corpus.test.ts plans. */
export function corpusPrograms(): string[] {
    const dir = path.join(__dirname, "..", "tests", "corpus");
    return fs
        .readdirSync(dir)
        .filter((d) => fs.existsSync(path.join(dir, d, "Pulumi.yaml")))
        .sort();
}

/** The AWS stacks as the README's AWS section runs them (the example stack files are GCP ones). */
export const AWS_README_STACKS: readonly { stack: string; config: Record<string, string> }[] = [
    { stack: "solo", config: { "runway:cloud": "aws", "aws:region": "us-east-1" } },
    {
        stack: "staging",
        config: {
            "runway:cloud": "aws",
            "aws:region": "us-east-1",
            "runway:allowedCidrs": '["203.0.113.0/24"]',
            "runway:iapMembers": "[]",
        },
    },
    { stack: "production", config: { "runway:cloud": "aws", "aws:region": "us-east-1" } },
];

/** The AWS tier table: what runs, the idle and at-usage estimates, and the budget that covers them. */
async function awsTiers(planner: Planner): Promise<string> {
    const docs: PlanResult["document"][] = [];
    for (const { stack, config } of AWS_README_STACKS) docs.push((await planner(stack, config)).document);
    type Doc = (typeof docs)[number];
    const count = (doc: Doc, type: string) => doc.resources.filter((r) => r.type === type).length;
    const row = (label: string, cell: (doc: Doc) => string) => `| ${label} | ${docs.map(cell).join(" | ")} |`;
    const budget = (doc: Doc) => Number(doc.resources.find((r) => r.type === "aws:budgets/budget:Budget")?.inputs.limitAmount ?? 0);
    return [
        "| AWS, us-east-1 | solo | staging | production |",
        "|---|---|---|---|",
        row("runs on", (d) =>
            count(d, "aws:lambda/functionUrl:FunctionUrl") > 0
                ? "Lambda + function URL"
                : `Fargate, ${d.resources.find((r) => r.type === "aws:ecs/service:Service")?.inputs.desiredCount} task(s) behind an ALB`,
        ),
        row(
            "availability zones / NAT gateways",
            (d) => `${count(d, "aws:ec2/subnet:Subnet") / 2} / ${count(d, "aws:ec2/natGateway:NatGateway")}`,
        ),
        row("WAF web ACL", (d) => (count(d, "aws:wafv2/webAcl:WebAcl") > 0 ? "yes" : "no")),
        row("CloudWatch alarms", (d) => String(count(d, "aws:cloudwatch/metricAlarm:MetricAlarm"))),
        row("**estimate idle**", (d) => `**${usd(d.cost.idleMonthly)}**`),
        row("**estimate at usage**", (d) => `**${usd(d.cost.usageMonthly)}**`),
        row("unpriced resources", (d) => String(d.cost.unpriced.length)),
        row("budget (covers the estimate)", (d) => usd(budget(d))),
    ].join("\n");
}

/** What managed data (RDS and ElastiCache) adds to AWS production, priced from the plan. */
async function awsManagedData(planner: Planner): Promise<string> {
    const production = AWS_README_STACKS.find((s) => s.stack === "production")!;
    const doc = (await planner("production", { ...production.config, ...MANAGED_DATA })).document;
    const db = doc.resources.find((r) => r.type === "aws:rds/instance:Instance")!.inputs;
    const cache = doc.resources.find((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup")!.inputs;
    const of = (type: string) => total(doc.cost.lines, (l) => l.type === type);
    const budget = Number(doc.resources.find((r) => r.type === "aws:budgets/budget:Budget")!.inputs.limitAmount);
    // Storage autoscaling bills what it has grown to: at the ceiling, the extra GB at the storage line's rate.
    const storage = doc.cost.lines.find((l) => l.type === "aws:rds/instance:Instance" && l.dimension.includes("GB gp3"))!;
    const ceilingExtra = (Number(db.maxAllocatedStorage) - Number(db.allocatedStorage)) * (db.multiAz ? 2 : 1) * storage.unitPrice;
    return [
        `With \`runway:database=managed\` and \`runway:cache=managed\`, production adds RDS PostgreSQL (\`${db.instanceClass}\`${db.multiAz ? ", Multi-AZ" : ""},`,
        `${db.allocatedStorage} GB gp3 growing by storage autoscaling to at most ${db.maxAllocatedStorage} GB, i.e. at most ${usd(ceilingExtra)}/month more; \`runway:databaseMaxDiskGb\`) for ${usd(of("aws:rds/instance:Instance"))} (of which ${usd(total(doc.cost.lines, (l) => l.dimension.startsWith("surplus CPU credits")))} surplus CPU credits: RDS runs`,
        `burstable classes in Unlimited mode, priced at the tier's ${Math.round(doc.cost.assumptions.dbCpuUtilization * 100)}% average CPU, \`runway:usage.dbCpuUtilization\`) and ElastiCache for Valkey (${cache.numCacheClusters} × \`${cache.nodeType}\`; node prices marked \`check\`)`,
        `for ${usd(of("aws:elasticache/replicationGroup:ReplicationGroup"))}: ${usd(doc.cost.usageMonthly)} at usage, ${doc.cost.unpriced.length} unpriced, within the ${usd(budget)} budget.`,
    ].join("\n");
}

/** runway:runtime kubernetes per tier and cloud: cluster fee, pods / nodes, the rest, totals (docs/kubernetes.md). */
async function kubernetesCost(planner: Planner): Promise<string> {
    const KUBE = { "runway:runtime": "kubernetes" };
    const stacks: { label: string; doc: PlanResult["document"] }[] = [];
    for (const stack of ["solo", "staging", "production"]) {
        // GCP staging's IAP is not built on GKE: its Kubernetes plan needs runway:access=public (docs/kubernetes.md).
        const config = stack === "staging" ? { ...KUBE, "runway:access": "public" } : KUBE;
        stacks.push({ label: `GCP ${stack}`, doc: (await planner(stack, config)).document });
    }
    for (const { stack, config } of AWS_README_STACKS)
        stacks.push({ label: `AWS ${stack}`, doc: (await planner(stack, { ...config, ...KUBE })).document });
    const cluster = (l: CostLine) => l.type === "gcp:container/cluster:Cluster" || l.type === "aws:eks/cluster:Cluster";
    const fee = (l: CostLine) => cluster(l) && l.urn !== "";
    const credit = (l: CostLine) => cluster(l) && l.urn === "";
    const compute = (l: CostLine) => l.type === "kubernetes:apps/v1:Deployment" || l.type === "aws:eks/nodeGroup:NodeGroup";
    const row = (label: string, cell: (d: PlanResult["document"]) => string) =>
        `| ${label} | ${stacks.map((s) => cell(s.doc)).join(" | ")} |`;
    return [
        `| runway:runtime kubernetes | ${stacks.map((s) => s.label).join(" | ")} |`,
        `|---|${stacks.map(() => "---").join("|")}|`,
        row("cluster fee", (d) => usd(total(d.cost.lines, fee))),
        row("GKE free-tier credit (one cluster per billing account)", (d) => usd(total(d.cost.lines, credit))),
        row("pods (Autopilot) / nodes (EKS)", (d) => usd(total(d.cost.lines, compute))),
        row("load balancer, NAT, registry, logs, rest", (d) =>
            usd(d.cost.usageMonthly - total(d.cost.lines, cluster) - total(d.cost.lines, compute)),
        ),
        row("**estimate at usage**", (d) => `**${usd(d.cost.usageMonthly)}**`),
        row("unpriced resources", (d) => String(d.cost.unpriced.length)),
    ].join("\n");
}

/** Each generated block, by name. */
export const GENERATORS: Readonly<Record<string, Generator>> = {
    /** How many real-world-style programs the suite plans (the offline plan section). */
    "corpus-count": async () => String(corpusPrograms().length),

    /** One warm production instance, before free tier (the tier section). */
    "gcp-warm-instance": async (planner) => usd(total((await planner("production")).document.cost.lines, runInstance)),

    /** The GCP cost table: usage assumptions and totals per tier, and production with managed data. */
    "gcp-cost-table": async (planner) => {
        const stacks = [
            { label: "solo", doc: (await planner("solo")).document },
            { label: "staging", doc: (await planner("staging")).document },
            { label: "production", doc: (await planner("production")).document },
            { label: "production + managed data", doc: (await planner("production", MANAGED_DATA)).document },
        ];
        const row = (name: string, cell: (d: (typeof stacks)[number]["doc"]) => string) =>
            `| ${name} | ${stacks.map((s) => cell(s.doc)).join(" | ")} |`;
        const a = (d: (typeof stacks)[number]["doc"]) => d.cost.assumptions;
        return [
            `| GCP, us-central1 | ${stacks.map((s) => s.label).join(" | ")} |`,
            `|---|${stacks.map(() => "---").join("|")}|`,
            row("requests / month × busy time", (d) => `${a(d).requestsPerMonth.toLocaleString("en-US")} × ${a(d).avgRequestSeconds} s`),
            row("images stored / logs", (d) => `${a(d).imageStorageGb} GB / ${a(d).logGb} GB`),
            row("new images scanned", (d) => `${a(d).imagesPushedPerMonth}`),
            row("**estimate at usage**", (d) => `**${usd(d.cost.usageMonthly)}**`),
            row("**idle**", (d) => `**${usd(d.cost.idleMonthly)}**`),
        ].join("\n");
    },

    /** What production's figure is made of, and what managed data adds. */
    "gcp-cost-production": async (planner) => {
        const prod = (await planner("production")).document.cost;
        const data = (await planner("production", MANAGED_DATA)).document.cost;
        const free = -total(prod.lines, runInstanceFree);
        return [
            `Production is one always-on 2 vCPU / 1 GiB instance (${usd(total(prod.lines, runInstance))} less the ${usd(free)} instance-based`,
            `free tier), ${prod.assumptions.imageStorageGb} GB of images, ${prod.assumptions.imagesPushedPerMonth} image scans (${usd(total(prod.lines, scanLine))}),`,
            `${prod.assumptions.egressGb} GB of internet egress (${usd(total(prod.lines, egressLine))}) and the edge (${usd(total(prod.lines, edgeLine))}, see "Your domain and the edge"):`,
            `${usd(prod.usageMonthly)} at usage.`,
            `With \`runway:database=managed\` and \`runway:cache=managed\`, the regional HA Cloud SQL \`db-custom-2-7680\``,
            `and the 1 GB STANDARD_HA Memorystore add ${usd(total(data.lines, dataLine))} (secondary-source prices): ${usd(data.usageMonthly)} in all.`,
            `Free tiers are per billing account: they are applied once per stack, so two stacks on one billing`,
            `account each count them (the estimate is then low by up to ${usd(free)} for production's instance).`,
        ].join("\n");
    },

    /** What production's edge costs at the stated usage, by dimension (the edge section). */
    "edge-cost": async (planner) => {
        const { lines, assumptions } = (await planner("production")).document.cost;
        const rules = lines.find((l) => edgeLine(l) && l.type === ARMOR && l.dimension.includes("rules"));
        return [
            `The edge adds ${usd(total(lines, edgeLine))}/month to production at the stated usage: ${usd(edgeBy(lines, "gcp:compute/globalForwardingRule:GlobalForwardingRule"))} for`,
            `its two forwarding rules (the first five share one flat hourly fee), ${usd(edgeBy(lines, ARMOR, "policy") + edgeBy(lines, ARMOR, "rules"))} for the Cloud Armor policy`,
            `and its ${rules?.quantity ?? "?"} rules, ${usd(edgeBy(lines, ARMOR, "requests"))} for ${(assumptions.requestsPerMonth / 1e6).toLocaleString("en-US")} M requests evaluated, and ${usd(edgeBy(lines, "gcp:compute/backendService:BackendService"))}`,
            `for load balancer data and sampled request logs. The managed certificate and the address in use are free.`,
        ].join("\n");
    },

    /** The AWS tier table (the AWS section). */
    "aws-tiers": awsTiers,

    /** runway:runtime kubernetes per tier and cloud (docs/kubernetes.md). */
    "kubernetes-cost": kubernetesCost,

    /** The GKE, EKS and Kubernetes object input rules (rules/kubernetes/inputs.ts), one row each, with the test that proves it. */
    "kubernetes-input-rules": async () =>
        [
            "| rule | level | what must hold | source | test (tests/kubernetes.test.ts) |",
            "|---|---|---|---|---|",
            ...KUBERNETES_INPUT_RULES.map(
                (r) =>
                    `| \`${r.id}\` | ${r.level} | ${[r.rule, r.source].map((c) => c.replace(/\|/g, "\\|")).join(" | ")} | input rule ${r.id} |`,
            ),
        ].join("\n"),

    /** What managed data adds to AWS production (the AWS section). */
    "aws-managed-data": awsManagedData,

    /** Production in several regions per cloud (docs/cost.md). */
    "regional-cost": regionalCost,

    /** The price table's snapshot, sources, dates and coverage (docs/cost.md). */
    "price-sources": async () => priceSources(),

    /** Regions per priced service (price-key family) in the committed table: what a stack elsewhere leaves unpriced. */
    "price-coverage": async () => priceCoverage(),

    /** What each tier's delivery creates in the repository and what GitHub must sell it (rules/github.ts, as config checks it). */
    "github-requirements": async () => githubRequirements(),

    /** The recognised-scanner table of blocking-scans (policy/lib/scanners.ts), one row per scanner. */
    "scanner-table": async () =>
        [
            "| scanner | recognised as | fails the job on findings when | source |",
            "|---|---|---|---|",
            ...SCANNER_TABLE.map(
                (r) => `| ${[r.tool, r.recognised, r.blocks, r.source].map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`,
            ),
        ].join("\n"),

    /** The policy corpus (tests/fixtures/policy-corpus/cases.yaml): how many cases, compliant and not. */
    "policy-corpus": async () => {
        const cases = parse(
            fs.readFileSync(path.join(__dirname, "..", "tests", "fixtures", "policy-corpus", "cases.yaml"), "utf8"),
        ) as Record<"dockerfiles" | "workflows", { expect: string }[]>;
        const part = (list: { expect: string }[], what: string) =>
            `${list.length} ${what} (${list.filter((c) => c.expect !== "fail").length} compliant, ${list.filter((c) => c.expect === "fail").length} violations)`;
        return `${part(cases.dockerfiles, "Dockerfiles")} and ${part(cases.workflows, "workflow cases")}`;
    },
};

/** One row per tier, with and without runway:githubReviewers where the tier allows both. */
function githubRequirements(): string {
    const rows = TIERS.flatMap((tier) => {
        const d = TIER_PROFILES[tier].delivery;
        return (d.reviewersRequired ? [true] : [false, true]).map((reviewers) => {
            const shape = deliveryShape(tier, reviewers);
            const environments = [...(d.environment ? [d.environment] : []), ...(reviewers ? [previewEnvironment(tier)] : [])];
            const creates = [
                ...(shape.protectsDefaultBranch ? ["default-branch protection"] : []),
                ...(shape.protectsDeployBranch ? ["protection of the staging branch"] : []),
                ...(environments.length > 0
                    ? [`environment${environments.length > 1 ? "s" : ""} ${environments.map((e) => `\`${e}\``).join(", ")}`]
                    : []),
                ...(shape.reviewers ? ["required reviewers"] : []),
            ];
            const label = `${tier}${reviewers && !d.reviewersRequired ? " with `runway:githubReviewers`" : ""}`;
            return `| ${label} | ${creates.join(", ")} | ${requirementText(featuresOf(shape))} |`;
        });
    });
    return [
        "| stack (named after its tier here; otherwise its own name is in `runway-preview-<stack>`) | creates in the repository | the repository must be |",
        "|---|---|---|",
        ...rows,
        "",
        ...Object.values(GITHUB_FEATURES).map(
            (f) => `- ${f.what}: every plan for a public repository; a private one needs ${planList(f.nonPublic)} (${f.source}).`,
        ),
    ].join("\n");
}

/** Production's estimate per region: the regions the issue names and the US reference. */
async function regionalCost(planner: Planner): Promise<string> {
    const rows: string[] = ["| cloud | region | production at usage | idle | unpriced resources |", "|---|---|---:|---:|---:|"];
    const cases: [string, string, Record<string, string>][] = [
        ...["us-central1", "europe-west1", "asia-northeast1", "southamerica-east1", "europe-north2"].map(
            (r): [string, string, Record<string, string>] => ["GCP", r, { "gcp:region": r }],
        ),
        ...["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2", "sa-east-1", "ap-south-1"].map(
            (r): [string, string, Record<string, string>] => ["AWS", r, { "runway:cloud": "aws", "aws:region": r }],
        ),
    ];
    for (const [cloud, region, config] of cases) {
        const { cost } = (await planner("production", config)).document;
        const amount = (v: number) => (cost.bound === "exact" ? usd(v) : cost.bound === "at least" ? `≥ ${usd(v)}` : "unknown");
        rows.push(`| ${cloud} | ${region} | ${amount(cost.usageMonthly)} | ${amount(cost.idleMonthly)} | ${cost.unpricedResources} |`);
    }
    return rows.join("\n");
}

/** Where the prices come from: one row per source with its date and confidence, and what the table covers. */
function priceSources(): string {
    const t = priceTable();
    const count = (rows: Record<string, Record<string, unknown>>) => Object.values(rows).reduce((n, r) => n + Object.keys(r).length, 0);
    const used = new Map<number, number>();
    for (const cloud of [t.gcp, t.aws]) {
        for (const rows of Object.values(cloud)) for (const row of Object.values(rows)) used.set(row[1], (used.get(row[1]) ?? 0) + 1);
    }
    const lines = [
        `Snapshot **${t.snapshot}**: GCP ${Object.keys(t.gcp).length} regions (${count(t.gcp)} prices), AWS ${Object.keys(t.aws).length} regions (${count(t.aws)} prices); ${PRICED_TYPES.gcp.length} GCP and ${PRICED_TYPES.aws.length} AWS resource types priced.`,
        "",
        "| source | date | confidence | prices |",
        "|---|---|---|---:|",
        ...t.sources.map((s, i) => `| ${s.source.replace(/\|/g, "\\|")} | ${s.read} | ${s.confidence} | ${used.get(i) ?? 0} |`),
    ];
    return lines.join("\n");
}

/** Per cloud and price-key family (`rds.*`, `run.*`, …): how many regions price it, naming them when few. */
function priceCoverage(): string {
    const t = priceTable();
    const rows: string[] = [];
    for (const cloud of ["gcp", "aws"] as const) {
        const regionsOf = new Map<string, Map<string, Set<string>>>();
        for (const [region, keys] of Object.entries(t[cloud])) {
            for (const key of Object.keys(keys)) {
                const family = key.split(".")[0];
                const byKey = regionsOf.get(family) ?? new Map<string, Set<string>>();
                byKey.set(key, (byKey.get(key) ?? new Set()).add(region));
                regionsOf.set(family, byKey);
            }
        }
        for (const [family, byKey] of [...regionsOf].sort(([a], [b]) => a.localeCompare(b))) {
            const sizes = [...byKey.values()].map((r) => r.size);
            const widest = [...byKey.values()].reduce((a, b) => (b.size > a.size ? b : a));
            const range = Math.min(...sizes) === widest.size ? `${widest.size}` : `${Math.min(...sizes)}–${widest.size}`;
            const names = widest.size <= 7 ? ` (${[...widest].sort().join(", ")})` : "";
            rows.push(`| ${cloud.toUpperCase()} | \`${family}.*\` (${byKey.size}) | ${range}${names} |`);
        }
    }
    return ["| cloud | prices (keys) | regions |", "|---|---|---|", ...rows].join("\n");
}

const BLOCK = /<!-- generated:([a-z0-9-]+) -->([\s\S]*?)<!-- \/generated:\1 -->/g;

/** A page's text with every generated block rewritten; a block without a generator is an error. */
export async function renderReadme(text: string, planner: Planner): Promise<string> {
    const values = new Map<string, string>();
    for (const match of text.matchAll(BLOCK)) {
        const generator = GENERATORS[match[1]];
        if (!generator) throw new Error(`block "${match[1]}" has no generator in scripts/readme-figures.ts`);
        if (!values.has(match[1])) values.set(match[1], await generator(planner));
    }
    return text.replace(BLOCK, (_whole, name: string, body: string) => {
        const value = values.get(name)!;
        // Block markers on their own lines keep the value on its own lines; inline markers stay inline.
        const multiline = body.startsWith("\n");
        return `<!-- generated:${name} -->${multiline ? `\n${value}\n` : value}<!-- /generated:${name} -->`;
    });
}

export const README = path.join(__dirname, "..", "README.md");

/** The documentation: the README (the front page) and the pages of docs/ (not docs/api/, which TypeDoc writes). */
export function docFiles(): string[] {
    const dir = path.join(__dirname, "..", "docs");
    const pages = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".md"))
        .sort()
        .map((f) => path.join(dir, f));
    return [README, ...pages];
}

if (require.main === module) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { plan } = require("../plan") as typeof import("../plan");
    const root = path.join(__dirname, "..");
    const cache = new Map<string, Promise<PlanResult>>();
    const planner: Planner = (stack, config = {}) => {
        const key = JSON.stringify([stack, config]);
        if (!cache.has(key)) cache.set(key, plan({ cwd: root, stack, config }));
        return cache.get(key)!;
    };
    (async () => {
        for (const file of docFiles()) {
            const before = fs.readFileSync(file, "utf8");
            const after = await renderReadme(before, planner);
            if (after !== before) fs.writeFileSync(file, after);
            process.stdout.write(`${path.relative(root, file)}: ${after === before ? "unchanged" : "generated blocks rewritten"}\n`);
        }
    })().catch((err) => {
        process.stderr.write(`${(err as Error).message}\n`);
        process.exit(2);
    });
}
