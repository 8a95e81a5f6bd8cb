/** The pull-request comment: summary, Mermaid diagram, policy table, cost table, changes. */
import { Comparison } from "./compare";
import { ResourceRecord } from "./engine";
import { OFFLINE_NOTICE, PlanDocument, mandatoryViolations, usd } from "./report";

/** Children a diagram leaves out: grants, providers and helpers, which would drown the picture. */
const MINOR_TYPE = /^pulumi:providers:|^random:|^gcp:projects\/service:/;
const MINOR_NAME = /(Iam|IAM)(Member|Binding)$|^Actions(Environment)?Variable$/;
const isMinor = (type: string) => MINOR_TYPE.test(type) || MINOR_NAME.test(type.split(":").pop() ?? "");

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
const label = (s: string) => s.replace(/"/g, "'");
const shortType = (type: string) => type.split(":").pop() ?? type;

/** A Mermaid flowchart: each component with its main children; dependencies between components. */
export function mermaidDiagram(resources: readonly ResourceRecord[]): string {
    const ids = new Map<string, string>();
    const idOf = (urn: string) => {
        if (!ids.has(urn)) ids.set(urn, `n${ids.size}`);
        return ids.get(urn)!;
    };
    const lines = ["flowchart LR"];
    const components = resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack");
    for (const c of components) {
        lines.push(`    subgraph ${idOf(c.urn)}["${label(`${c.name} (${c.type})`)}"]`);
        for (const child of resources.filter((r) => r.parent === c.urn && r.custom && !isMinor(r.type))) {
            lines.push(`        ${idOf(child.urn)}["${label(`${shortType(child.type)}: ${child.name}`)}"]`);
        }
        lines.push("    end");
    }
    const componentOf = (urn: string): string | undefined => {
        let r = resources.find((x) => x.urn === urn);
        while (r && r.custom) r = resources.find((x) => x.urn === r!.parent);
        return r && r.type !== "pulumi:pulumi:Stack" ? r.urn : undefined;
    };
    const edges = new Set<string>();
    for (const r of resources.filter((x) => x.custom)) {
        const from = componentOf(r.urn);
        for (const dep of Object.values(r.propertyDependencies).flat()) {
            const to = componentOf(dep);
            if (from && to && from !== to) edges.add(`    ${idOf(to)} --> ${idOf(from)}`);
        }
    }
    return [...lines, ...[...edges].sort()].join("\n");
}

/** The markdown document `--markdown` prints (what the preview workflow posts). */
export function renderMarkdown(doc: PlanDocument, comparison?: Comparison): string {
    const custom = doc.resources.filter((r) => r.custom).length;
    const mandatory = mandatoryViolations({ policies: doc.policies }).length;
    const advisory = doc.policies.length - mandatory;
    const unDeployable = (doc.deployability ?? []).filter((f) => f.level === "mandatory").length;
    const nameOf = new Map(doc.resources.map((r) => [r.urn, `${shortType(r.type)} ${r.name}`]));
    const c = doc.cost;
    const out: string[] = [
        `## Runway plan: \`${doc.project}/${doc.stack}\``,
        "",
        `**${doc.resources.length} resources** (${custom} cloud, ${doc.resources.length - custom} components) · ` +
            `policies: ${mandatory === 0 ? "✅" : "❌"} ${mandatory} mandatory, ${advisory} advisory · ` +
            `deployability: ${unDeployable === 0 ? "✅" : "❌"} ${unDeployable} mandatory · ` +
            `**≈ ${usd(c.usageMonthly)}/month** at stated usage (${usd(c.idleMonthly)} idle)` +
            (comparison ? ` · change: ${comparison.cost.deltaMonthly >= 0 ? "+" : ""}${usd(comparison.cost.deltaMonthly)}/month` : ""),
        "",
        `> ${OFFLINE_NOTICE}`,
        "",
    ];
    if (comparison) {
        out.push("### Changes against the base", "", "| change | resource | details |", "|---|---|---|");
        for (const r of comparison.added) out.push(`| ➕ added | \`${cell(r.type)}\` ${cell(r.name)} | |`);
        for (const r of comparison.removed) out.push(`| ➖ removed | \`${cell(r.type)}\` ${cell(r.name)} | |`);
        for (const r of comparison.changed) out.push(`| ✏️ changed | \`${cell(r.type)}\` ${cell(r.name)} | ${cell(r.changed.join(", "))} |`);
        if (comparison.added.length + comparison.removed.length + comparison.changed.length === 0) out.push("| none | | |");
        out.push("", `Monthly estimate: ${usd(comparison.cost.baseMonthly)} → ${usd(comparison.cost.headMonthly)} (${comparison.cost.deltaMonthly >= 0 ? "+" : ""}${usd(comparison.cost.deltaMonthly)}).`, "");
    }
    out.push("### Diagram", "", "```mermaid", mermaidDiagram(doc.resources), "```", "");
    out.push(`### Policies (${doc.policyPack.name}@${doc.policyPack.version})`, "");
    if (doc.policies.length === 0) {
        out.push(`All ${doc.policyPack.policies.length} policies passed.`, "");
    } else {
        out.push("| level | policy | resource | message |", "|---|---|---|---|");
        for (const v of doc.policies) out.push(`| ${v.level} | ${v.policy} | ${cell(v.urn ? nameOf.get(v.urn) ?? v.urn : "stack")} | ${cell(v.message.split("\n").slice(1).join(" ") || v.message)} |`);
        out.push("");
    }
    const deployability = doc.deployability ?? [];
    out.push("### Deployability (what `pulumi up` would refuse)", "");
    if (deployability.length === 0) {
        out.push("No findings.", "");
    } else {
        out.push("| level | check | resource | message |", "|---|---|---|---|");
        for (const f of deployability) out.push(`| ${f.level} | ${f.policy} | ${cell(f.urn ? nameOf.get(f.urn) ?? f.urn : "stack")} | ${cell(f.message)} |`);
        out.push("");
    }
    out.push("### Monthly cost (USD)", "", "| resource | dimension | quantity | unit price | monthly | confidence |", "|---|---|---:|---:|---:|---|");
    for (const l of c.lines) {
        out.push(`| ${cell(l.urn ? nameOf.get(l.urn) ?? l.urn : "billing account")} | ${cell(l.dimension)} | ${+l.quantity.toFixed(4)} ${cell(l.unit)} | $${l.unitPrice} | ${usd(l.monthly)} | ${l.confidence} |`);
    }
    out.push(`| **total** | at stated usage | | | **${usd(c.usageMonthly)}** | |`, `| **total** | idle | | | **${usd(c.idleMonthly)}** | |`, "");
    const a = c.assumptions;
    out.push(`Assumptions: ${a.requestsPerMonth.toLocaleString("en-US")} requests/month of ${a.avgRequestSeconds} s, ${a.egressGb} GB egress, ${a.imageStorageGb} GB of images, ${a.logGb} GB of logs, ${a.secretAccessesPerMonth.toLocaleString("en-US")} secret reads, ${a.imagesPushedPerMonth} new images pushed; ${a.hoursPerMonth} h/month; free tier ${a.freeTier}. Override with \`pulumi config set --path runway:usage.<key> <value>\`.`);
    if (c.unpriced.length > 0) out.push("", `Unpriced: ${c.unpriced.map((u) => `${cell(nameOf.get(u.urn) ?? u.urn)} (${cell(u.reason)})`).join("; ")}.`);
    return out.join("\n") + "\n";
}
