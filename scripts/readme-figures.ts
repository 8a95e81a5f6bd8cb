/**
 * Rewrites the README's generated blocks, `<!-- generated:NAME -->` … `<!-- /generated:NAME -->`,
 * from real offline plans, so every figure in the prose is what the plan prints. `npm run readme`
 * writes README.md; tests/readme.test.ts fails when README.md differs from what this would write.
 * Add a block: a function from a planner to markdown, registered in BLOCKS.
 */
import * as fs from "fs";
import * as path from "path";
import { plan, PlanResult } from "../plan";

export type Planner = (stack: string, config: Record<string, string>) => Promise<PlanResult>;

const ROOT = path.resolve(__dirname, "..");
const defaultPlanner: Planner = (stack, config) => plan({ cwd: ROOT, stack, config });

/** The AWS stacks as the README's AWS section runs them (the example stack files are GCP ones). */
export const AWS_README_STACKS: readonly { stack: string; config: Record<string, string> }[] = [
    { stack: "solo", config: { "runway:cloud": "aws", "aws:region": "us-east-1" } },
    { stack: "staging", config: { "runway:cloud": "aws", "aws:region": "us-east-1", "runway:allowedCidrs": "[\"203.0.113.0/24\"]", "runway:iapMembers": "[]" } },
    { stack: "production", config: { "runway:cloud": "aws", "aws:region": "us-east-1" } },
];

const money = (n: number) => `$${n.toFixed(2)}`;

/** The AWS tier table: what runs, the idle and at-usage estimates, and the budget that covers them. */
async function awsTiers(planner: Planner): Promise<string> {
    // One at a time: the offline engine runs a program in-process under one global mock runtime.
    const docs: PlanResult["document"][] = [];
    for (const { stack, config } of AWS_README_STACKS) docs.push((await planner(stack, config)).document);
    const count = (doc: (typeof docs)[number], type: string) => doc.resources.filter((r) => r.type === type).length;
    const row = (label: string, cell: (doc: (typeof docs)[number]) => string) => `| ${label} | ${docs.map(cell).join(" | ")} |`;
    const budget = (doc: (typeof docs)[number]) => Number(doc.resources.find((r) => r.type === "aws:budgets/budget:Budget")?.inputs.limitAmount ?? 0);
    return [
        "| AWS, us-east-1 | solo | staging | production |",
        "|---|---|---|---|",
        row("runs on", (d) => (count(d, "aws:lambda/function:Function") > 0 ? "Lambda + function URL" : `Fargate, ${d.resources.find((r) => r.type === "aws:ecs/service:Service")?.inputs.desiredCount} task(s) behind an ALB`)),
        row("availability zones / NAT gateways", (d) => `${count(d, "aws:ec2/subnet:Subnet") / 2} / ${count(d, "aws:ec2/natGateway:NatGateway")}`),
        row("WAF web ACL", (d) => (count(d, "aws:wafv2/webAcl:WebAcl") > 0 ? "yes" : "no")),
        row("CloudWatch alarms", (d) => String(count(d, "aws:cloudwatch/metricAlarm:MetricAlarm"))),
        row("**estimate idle**", (d) => `**${money(d.cost.idleMonthly)}**`),
        row("**estimate at usage**", (d) => `**${money(d.cost.usageMonthly)}**`),
        row("unpriced resources", (d) => String(d.cost.unpriced.length)),
        row("budget (covers the estimate)", (d) => money(budget(d))),
    ].join("\n");
}

export const BLOCKS: Readonly<Record<string, (planner: Planner) => Promise<string>>> = {
    "aws-tiers": awsTiers,
};

/** `readme` with every registered block replaced by its fresh content; an unknown or unclosed marker is an error. */
export async function renderReadme(readme: string, planner: Planner = defaultPlanner): Promise<string> {
    let out = readme;
    for (const [name, render] of Object.entries(BLOCKS)) {
        const open = `<!-- generated:${name} -->`;
        const close = `<!-- /generated:${name} -->`;
        const start = out.indexOf(open);
        const end = out.indexOf(close);
        if (start < 0 || end < start) throw new Error(`README.md has no ${open} … ${close} block`);
        out = `${out.slice(0, start + open.length)}\n${await render(planner)}\n${out.slice(end)}`;
    }
    return out;
}

if (require.main === module) {
    const file = path.join(ROOT, "README.md");
    renderReadme(fs.readFileSync(file, "utf8")).then((text) => {
        fs.writeFileSync(file, text);
        console.log(`README.md: ${Object.keys(BLOCKS).join(", ")} regenerated`);
    }, (err) => {
        console.error(String(err));
        process.exit(1);
    });
}
