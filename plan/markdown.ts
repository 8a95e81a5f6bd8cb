/** The pull-request comment: summary, Mermaid diagram, policy table, cost table, changes. */
import { Comparison, ResourceChange } from "./compare";
import { ResourceRecord } from "./engine";
import {
    OFFLINE_NOTICE,
    PlanDocument,
    countsText,
    estimateAmount,
    levelLabel,
    mandatoryViolations,
    plural,
    quantityText,
    resourceCounts,
    unitPriceText,
    unpricedNote,
    usd,
} from "./report";

/** Children a diagram leaves out as boxes: grants (shown as access edges instead), providers and helpers. */
const MINOR_TYPE = /^pulumi:providers:|^random:|^gcp:projects\/service:/;
const MINOR_NAME = /(Iam|IAM)(Member|Binding)$|^Actions(Environment)?Variable$/;
const isMinor = (type: string) => MINOR_TYPE.test(type) || MINOR_NAME.test(type.split(":").pop() ?? "");

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
const shortType = (type: string) => type.split(":").pop() ?? type;

/** Text for a Mermaid label: quotes, angle brackets and ampersands as Mermaid entity codes, so names cannot inject markup. */
export function mermaidLabel(s: string): string {
    return s
        .replace(/&/g, "#amp;")
        .replace(/"/g, "#quot;")
        .replace(/</g, "#lt;")
        .replace(/>/g, "#gt;")
        .replace(/[\r\n]+/g, " ");
}

/** Who is granted what on which resource: an IAM member/binding (`role` + `member(s)`) or a Lambda permission. */
export interface AccessGrant {
    readonly principal: string;
    readonly role: string;
    /** The grant resource. */
    readonly urn: string;
    /** URNs the grant refers to (the resource access is granted on), from its property dependencies. */
    readonly targets: string[];
}

/** Principals as a reviewer reads them: `serviceAccount:app@p.iam.gserviceaccount.com` → `serviceAccount:app`, a workload identity subject → `subject:<sub>`. */
export function shortPrincipal(member: string): string {
    return member
        .replace(/^(serviceAccount:[^@]+)@.*$/, "$1")
        .replace(/^principal:\/\/.*\/subject\/(.*)$/, "subject:$1")
        .replace(/^principalSet:\/\/.*\/attribute\.([^/]+)\/(.*)$/, "principalSet:$1=$2");
}

/** Access grants among the resources, with the principal and role shortened for a diagram. */
export function accessGrants(resources: readonly ResourceRecord[]): AccessGrant[] {
    const grants: AccessGrant[] = [];
    for (const r of resources.filter((x) => x.custom)) {
        const i = r.inputs as Record<string, unknown>;
        const members =
            typeof i.member === "string"
                ? [i.member]
                : Array.isArray(i.members)
                  ? i.members.filter((m): m is string => typeof m === "string")
                  : [];
        const role = typeof i.role === "string" ? i.role : typeof i.action === "string" ? i.action : undefined;
        const principals =
            members.length > 0 ? members : typeof i.principal === "string" && typeof i.action === "string" ? [i.principal] : [];
        if (!role || principals.length === 0) continue;
        const targets = [
            ...new Set(
                Object.entries(r.propertyDependencies)
                    .filter(([k]) => !/^(member|members|role|principal|condition)$/.test(k))
                    .flatMap(([, deps]) => deps),
            ),
        ];
        for (const p of principals)
            grants.push({
                principal: shortPrincipal(p === "*" ? "* (anyone)" : p),
                role: role.replace(/^roles\//, ""),
                urn: r.urn,
                targets,
            });
    }
    return grants;
}

/** The one-line legend printed under the diagram. */
export const DIAGRAM_LEGEND =
    "Boxes: components and their main resources · solid arrow A → B: B uses A's outputs · dotted arrow: a principal granted a role on a resource (public access shows as allUsers / allAuthenticatedUsers / *).";

/**
 * A Mermaid flowchart: each component with its main children (components with none are plain
 * boxes), top-level resources as boxes, dependencies between them, and every access grant as a
 * dotted edge from the principal to what it may use.
 */
export function mermaidDiagram(resources: readonly ResourceRecord[]): string {
    const ids = new Map<string, string>();
    const idOf = (key: string) => {
        if (!ids.has(key)) ids.set(key, `n${ids.size}`);
        return ids.get(key)!;
    };
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const isStack = (r: ResourceRecord | undefined) => r?.type === "pulumi:pulumi:Stack";
    const lines = ["flowchart LR"];
    const shown = new Set<string>();
    const box = (r: ResourceRecord) => `["${mermaidLabel(`${shortType(r.type)}: ${r.name}`)}"]`;
    const components = resources.filter((r) => !r.custom && !isStack(r));
    for (const c of components) {
        const children = resources.filter((r) => r.parent === c.urn && r.custom && !isMinor(r.type));
        if (!resources.some((r) => r.parent === c.urn)) continue; // an empty component: nothing to show
        if (children.length === 0) {
            lines.push(`    ${idOf(c.urn)}${box(c)}`);
        } else {
            lines.push(`    subgraph ${idOf(c.urn)}["${mermaidLabel(`${c.name} (${c.type})`)}"]`);
            for (const child of children) {
                lines.push(`        ${idOf(child.urn)}${box(child)}`);
                shown.add(child.urn);
            }
            lines.push("    end");
        }
        shown.add(c.urn);
    }
    // A program without components: its top-level resources are the picture.
    for (const r of resources.filter(
        (x) => x.custom && !x.type.startsWith("pulumi:providers:") && (x.parent === undefined || isStack(byUrn.get(x.parent))),
    )) {
        lines.push(`    ${idOf(r.urn)}${box(r)}`);
        shown.add(r.urn);
    }
    /** The nearest shown box for a resource: itself, else its nearest shown ancestor. */
    const shownOf = (urn: string): string | undefined => {
        for (let r = byUrn.get(urn); r && !isStack(r); r = r.parent ? byUrn.get(r.parent) : undefined) if (shown.has(r.urn)) return r.urn;
        return undefined;
    };
    /** The component a resource belongs to (its nearest component ancestor), or the top-level resource itself. */
    const componentOf = (urn: string): string | undefined => {
        let r = byUrn.get(urn);
        while (r?.custom && r.parent && !isStack(byUrn.get(r.parent))) r = byUrn.get(r.parent);
        return r && !isStack(r) ? r.urn : undefined;
    };
    const edges = new Set<string>();
    for (const r of resources.filter((x) => x.custom && !isMinor(x.type))) {
        const from = componentOf(r.urn);
        for (const dep of Object.values(r.propertyDependencies).flat()) {
            const to = componentOf(dep);
            if (from && to && from !== to) edges.add(`    ${idOf(to)} --> ${idOf(from)}`);
        }
    }
    const access: string[] = [];
    for (const g of accessGrants(resources)) {
        const target = shownOf(g.targets.find((t) => shownOf(t) !== undefined) ?? g.urn);
        if (!target) continue;
        const principal = `p:${g.principal}`;
        if (!ids.has(principal)) access.push(`    ${idOf(principal)}(("${mermaidLabel(g.principal)}"))`);
        access.push(`    ${idOf(principal)} -.->|"${mermaidLabel(g.role)}"| ${idOf(target)}`);
    }
    return [...lines, ...[...edges].sort(), ...[...new Set(access)]].join("\n");
}

/** How many changed values a "changed" row shows before "… and N more". */
const DETAILS_SHOWN = 6;

/** A changed row's details: `path: old → new` per changed value (secrets masked), at most DETAILS_SHOWN. */
function changeDetails(r: ResourceChange): string {
    const details = r.details ?? r.changed.map((path) => ({ path, before: "?", after: "?" }));
    const lines = details.slice(0, DETAILS_SHOWN).map((d) => `\`${d.path}\`: ${cell(d.before)} → ${cell(d.after)}`);
    if (details.length > DETAILS_SHOWN) lines.push(`… and ${details.length - DETAILS_SHOWN} more`);
    return lines.join("<br>");
}

/** The markdown document `--markdown` prints (what the preview workflow posts). */
export function renderMarkdown(doc: PlanDocument, comparison?: Comparison): string {
    const mandatory = mandatoryViolations({ policies: doc.policies }).length;
    const advisory = doc.policies.length - mandatory;
    const unDeployable = (doc.deployability ?? []).filter((f) => f.level === "mandatory").length;
    const nameOf = new Map(doc.resources.map((r) => [r.urn, `${shortType(r.type)} ${r.name}`]));
    const c = doc.cost;
    const out: string[] = [
        `## Runway plan: \`${doc.project}/${doc.stack}\``,
        "",
        `**${countsText(resourceCounts(doc.resources)).replace(/^(\d+) to create/, "$1 resources")}** · ` +
            `policies: ${mandatory === 0 ? "✅" : "❌"} ${mandatory} mandatory, ${advisory} advisory · ` +
            `deployability: ${unDeployable === 0 ? "✅" : "❌"} ${unDeployable} mandatory · ` +
            (c.bound === "unknown"
                ? `**cost unknown** (${plural(c.unpricedResources, "resource")} unpriced)`
                : `**${c.bound === "at least" ? "≥" : "≈"} ${usd(c.usageMonthly)}/month** at stated usage (${estimateAmount(c, c.idleMonthly)} idle${c.bound === "at least" ? `; ${plural(c.unpricedResources, "resource")} unpriced` : ""})`) +
            (comparison ? ` · change: ${comparison.cost.deltaMonthly >= 0 ? "+" : ""}${usd(comparison.cost.deltaMonthly)}/month` : ""),
        "",
        `> ${OFFLINE_NOTICE}`,
        "",
    ];
    if (comparison) {
        out.push("### Changes against the base", "");
        for (const w of comparison.warnings ?? []) out.push(`> ⚠️ Warning: ${w}.`, "");
        out.push("| change | resource | details |", "|---|---|---|");
        for (const r of comparison.added) out.push(`| ➕ added | \`${cell(r.type)}\` ${cell(r.name)} | |`);
        for (const r of comparison.removed) out.push(`| ➖ removed | \`${cell(r.type)}\` ${cell(r.name)} | |`);
        for (const r of comparison.changed) out.push(`| ✏️ changed | \`${cell(r.type)}\` ${cell(r.name)} | ${changeDetails(r)} |`);
        if (comparison.added.length + comparison.removed.length + comparison.changed.length === 0) out.push("| none | | |");
        out.push(
            "",
            `Monthly estimate: ${usd(comparison.cost.baseMonthly)} → ${usd(comparison.cost.headMonthly)} (${comparison.cost.deltaMonthly >= 0 ? "+" : ""}${usd(comparison.cost.deltaMonthly)}).`,
            "",
        );
    }
    out.push("### Diagram", "", "```mermaid", mermaidDiagram(doc.resources), "```", "", DIAGRAM_LEGEND, "");
    out.push(`### Policies (${doc.policyPack.name}@${doc.policyPack.version})`, "");
    if (doc.policies.length === 0) {
        out.push(`All ${doc.policyPack.policies.length} policies passed.`, "");
    } else {
        out.push("| level | policy | resource | message |", "|---|---|---|---|");
        for (const v of doc.policies)
            out.push(
                `| ${levelLabel(v)} | ${v.policy} | ${cell(v.urn ? (nameOf.get(v.urn) ?? v.urn) : "stack")} | ${cell(v.message.split("\n").slice(1).join(" ") || v.message)} |`,
            );
        out.push("");
    }
    const deployability = doc.deployability ?? [];
    out.push("### Deployability (what `pulumi up` would refuse)", "");
    if (deployability.length === 0) {
        out.push("No findings.", "");
    } else {
        out.push("| level | check | resource | message |", "|---|---|---|---|");
        for (const f of deployability)
            out.push(`| ${f.level} | ${f.policy} | ${cell(f.urn ? (nameOf.get(f.urn) ?? f.urn) : "stack")} | ${cell(f.message)} |`);
        out.push("");
    }
    out.push(
        "### Monthly cost (USD)",
        "",
        "| resource | dimension | quantity | unit price | monthly | confidence |",
        "|---|---|---:|---:|---:|---|",
    );
    for (const l of c.lines) {
        out.push(
            `| ${cell(l.urn ? (nameOf.get(l.urn) ?? l.urn) : "billing account")} | ${cell(l.dimension)} | ${quantityText(l.quantity)} ${cell(l.unit)} | ${unitPriceText(l.unitPrice)} | ${usd(l.monthly)} | ${l.confidence} |`,
        );
    }
    out.push(
        `| **total** | at stated usage${unpricedNote(c)} | | | **${estimateAmount(c, c.usageMonthly)}** | |`,
        `| **total** | idle | | | **${estimateAmount(c, c.idleMonthly)}** | |`,
        "",
    );
    const a = c.assumptions;
    out.push(
        `Assumptions: ${a.requestsPerMonth.toLocaleString("en-US")} requests/month of ${a.avgRequestSeconds} s, ${a.egressGb} GB egress, ${a.imageStorageGb} GB of images, ${a.logGb} GB of logs, ${a.secretAccessesPerMonth.toLocaleString("en-US")} secret reads, ${a.imagesPushedPerMonth} new images pushed; ${a.hoursPerMonth} h/month; free tier ${a.freeTier}. Override with \`pulumi config set --path runway:usage.<key> <value>\`.`,
    );
    if (c.unpriced.length > 0)
        out.push("", `Unpriced: ${c.unpriced.map((u) => `${cell(nameOf.get(u.urn) ?? u.urn)} (${cell(u.reason)})`).join("; ")}.`);
    return `${out.join("\n")}\n`;
}
