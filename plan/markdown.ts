/**
 * The pull-request comment: summary, changes against the base, Mermaid diagram, policy and
 * deployability tables, cost, and the resource tree; every data-derived string escaped for its
 * context (plan/escape.ts) and the whole capped at what GitHub accepts.
 */
import { Comparison, ResourceChange } from "./compare";
import { ResourceRecord } from "./engine";
import {
    GITHUB_COMMENT_LIMIT,
    mdCell,
    mdCode,
    mdFence,
    mdHeading,
    mermaidLabel,
    oneLine,
    stickyMarker,
    withoutCommentMarkers,
} from "./escape";
import {
    OFFLINE_NOTICE,
    PlanDocument,
    countsText,
    estimateAmount,
    levelLabel,
    lookupLines,
    mandatoryViolations,
    quantityText,
    resourceCounts,
    treeLines,
    unitPriceText,
    unpricedNote,
    usd,
} from "./report";

/** Children a diagram leaves out as boxes: grants (shown as access edges instead), providers and helpers. */
const MINOR_TYPE = /^pulumi:providers:|^random:|^gcp:projects\/service:/;
const MINOR_NAME = /(Iam|IAM)(Member|Binding)$|^Actions(Environment)?Variable$/;
const isMinor = (type: string) => MINOR_TYPE.test(type) || MINOR_NAME.test(type.split(":").pop() ?? "");

const shortType = (type: string) => type.split(":").pop() ?? type;

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
        // A Cloud Run service with its invoker IAM check off admits anyone, with no grant to show it.
        if (r.type === "gcp:cloudrunv2/service:Service" && i.invokerIamDisabled === true)
            grants.push({ principal: "allUsers", role: "run.invoker", urn: r.urn, targets: [r.urn] });
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

/** Mermaid's defaults (packages/mermaid/src/schemas/config.schema.yaml: maxTextSize 50000, maxEdges 500): a larger diagram shows only an error. */
export const MERMAID_LIMITS = { maxTextSize: 50_000, maxEdges: 500 } as const;

/** Sticky-comment headers the cap leaves room for when the caller does not name theirs (`--comment-header`). */
export const HEADER_ROOM = 128;

/**
 * The longest body that still fits GitHub's limit once the sticky step appends the marker of
 * `header` and a shell step one line break (an `echo`, a file joined with another). Without a
 * header: room for any header of up to HEADER_ROOM characters (the Action's `runway-plan-<8 hex>`,
 * the generated `runway-preview-<stack>` with a stack name of up to 100 characters).
 */
export function commentMaxLength(header?: string): number {
    return GITHUB_COMMENT_LIMIT - stickyMarker(header ?? "h".repeat(HEADER_ROOM)).length - 1;
}

/** The longest body `--markdown` prints when not told its sticky header. */
export const COMMENT_MAX_LENGTH = commentMaxLength();

/**
 * Where a cut comment sends its reader. action/plan.sh looks for this phrase and then writes the
 * whole plan to the job summary and the artifact: keep the two in step.
 */
export const FULL_PLAN_AT = "the job summary and the plan artifact";

export interface MarkdownOptions {
    /** The sticky-comment header the body is posted under: the cap leaves room for exactly its marker. */
    commentHeader?: string;
    /** Longest body in characters; sections are shortened to fit. @default commentMaxLength(commentHeader) */
    maxLength?: number;
    /** Where a reader finds what a shortened comment leaves out. @default FULL_PLAN_AT */
    fullPlanAt?: string;
}

/**
 * A part of the comment: fixed lines around rows that may be cut to fit (a cut ends in one "N more"
 * line). `whole` rows are all shown or replaced by `omitted`. Sections are filled by `priority`
 * (lower first) and printed in the order given.
 */
interface Section {
    readonly priority: number;
    readonly head: readonly string[];
    readonly rows: readonly string[];
    readonly tail: readonly string[];
    readonly more: (hidden: number) => string;
    readonly whole?: { readonly fits: boolean; readonly omitted: string };
}

/** A line's length with its newline. */
const size = (line: string) => line.length + 1;
const lengthOf = (lines: readonly string[]) => lines.reduce((n, l) => n + size(l), 0);

/** How many rows of each section fit in `max` characters, by priority; a shortened section keeps room for its "more" line. */
function rowsThatFit(sections: readonly Section[], max: number): number[] {
    const shown = sections.map(() => 0);
    const moreLine = (s: Section) => (s.rows.length === 0 ? [] : [s.whole ? s.whole.omitted : s.more(s.rows.length)]);
    let left = max - lengthOf(sections.flatMap((s) => [...s.head, ...s.tail, ...moreLine(s)]));
    const order = sections.map((_, i) => i).sort((a, b) => sections[a].priority - sections[b].priority || a - b);
    for (const i of order) {
        const s = sections[i];
        if (s.whole) {
            const need = lengthOf(s.rows) - lengthOf(moreLine(s));
            if (s.whole.fits && need <= left) [shown[i], left] = [s.rows.length, left - need];
            continue;
        }
        let n = 0;
        while (n < s.rows.length) {
            // The last row replaces the "more" line instead of adding to it.
            const cost = size(s.rows[n]) - (n === s.rows.length - 1 ? size(s.more(1)) : 0);
            if (cost > left) break;
            left -= cost;
            n++;
        }
        shown[i] = n;
    }
    return shown;
}

/** The sections with as many rows as fit, in print order. */
function layout(sections: readonly Section[], max: number): string {
    const shown = rowsThatFit(sections, max);
    const lines = sections.flatMap((s, i) => {
        const hidden = s.rows.length - shown[i];
        const cut = hidden === 0 ? [] : [s.whole ? s.whole.omitted : s.more(hidden)];
        return [...s.head, ...s.rows.slice(0, shown[i]), ...cut, ...s.tail];
    });
    return `${lines.join("\n")}\n`;
}

/** How many changed values a "changed" row shows before "… and N more". */
const DETAILS_SHOWN = 6;

/** A changed row's details: `path: old → new` per changed value (secrets masked), at most DETAILS_SHOWN. */
function changeDetails(r: ResourceChange): string {
    const details = r.details ?? r.changed.map((path) => ({ path, before: "?", after: "?" }));
    const lines = details.slice(0, DETAILS_SHOWN).map((d) => `${mdCode(d.path, 200)}: ${mdCell(d.before)} → ${mdCell(d.after)}`);
    if (details.length > DETAILS_SHOWN) lines.push(`… and ${details.length - DETAILS_SHOWN} more`);
    return lines.join("<br>");
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** "… 12 more rows: see the job summary and the plan artifact." */
const moreRows = (what: string, at: string) => (n: number) => `| … | ${plural(n, `more ${what}`)}: see ${at} | |`;

function summarySection(doc: PlanDocument, comparison: Comparison | undefined): Section {
    const mandatory = mandatoryViolations({ policies: doc.policies }).length;
    const advisory = doc.policies.length - mandatory;
    const unDeployable = (doc.deployability ?? []).filter((f) => f.level === "mandatory").length;
    const c = doc.cost;
    const head = [
        `## Runway plan: ${mdHeading(`${doc.project}/${doc.stack}`)}`,
        "",
        `**${countsText(resourceCounts(doc.resources)).replace(/^([\d,]+) to create/, "$1 resources")}** · ` +
            `policies: ${mandatory === 0 ? "✅" : "❌"} ${mandatory} mandatory, ${advisory} advisory · ` +
            `deployability: ${unDeployable === 0 ? "✅" : "❌"} ${unDeployable} mandatory · ` +
            (c.bound === "unknown"
                ? `**cost unknown** (${plural(c.unpricedResources, "resource")} unpriced)`
                : `**${c.bound === "at least" ? "≥" : "≈"} ${usd(c.usageMonthly)}/month** at stated usage (${estimateAmount(c, c.idleMonthly)} idle${c.bound === "at least" ? `; ${plural(c.unpricedResources, "resource")} unpriced` : ""})`) +
            (comparison
                ? ` · change: ${comparison.cost.deltaMonthly >= 0 ? "+" : ""}${usd(comparison.cost.deltaMonthly)}/month${comparison.cost.unpricedResources ? ` (not counting ${plural(comparison.cost.unpricedResources, "unpriced resource")})` : ""}`
                : ""),
        "",
        `> ${OFFLINE_NOTICE}`,
        "",
    ];
    const unexpanded = doc.notExpanded ?? [];
    if (unexpanded.length > 0) {
        const named = unexpanded.slice(0, 10).map((r) => `${mdCode(r.type, 100)} ${mdCell(r.name, 100)}`);
        head.push(
            `> ⚠️ ${plural(unexpanded.length, "multi-language component")} not expanded offline: ${named.join(", ")}${unexpanded.length > named.length ? `, and ${unexpanded.length - named.length} more` : ""}. Their plugins create their resources, which are neither listed nor priced here; their outputs are unknown.`,
            "",
        );
    }
    if ((doc.lookups ?? []).length > 0)
        head.push(
            `> Lookups answered offline with values of their declared types (placeholders, not the provider's data): ${lookupLines(
                doc.lookups,
            )
                .map((l) => mdCell(l, 300))
                .join("; ")}.`,
            "",
        );
    return { priority: 0, head, rows: [], tail: [], more: () => "" };
}

function changesSection(comparison: Comparison, at: string): Section {
    const head = ["### Changes against the base", ""];
    for (const w of comparison.warnings ?? []) head.push(`> ⚠️ Warning: ${mdCell(w)}.`, "");
    head.push("| change | resource | details |", "|---|---|---|");
    const row = (change: string, r: { type: string; name: string }, details = "") =>
        `| ${change} | ${mdCode(r.type, 200)} ${mdCell(r.name, 200)} | ${details} |`;
    const rows = [
        ...comparison.added.map((r) => row("➕ added", r)),
        ...comparison.removed.map((r) => row("➖ removed", r)),
        ...comparison.changed.map((r) => row("✏️ changed", r, changeDetails(r))),
    ];
    const c = comparison.cost;
    return {
        priority: 3,
        head: rows.length === 0 ? [...head, "| none | | |"] : head,
        rows,
        tail: [
            "",
            `Monthly estimate: ${usd(c.baseMonthly)} → ${usd(c.headMonthly)} (${c.deltaMonthly >= 0 ? "+" : ""}${usd(c.deltaMonthly)}).`,
            "",
        ],
        more: moreRows("change", at),
    };
}

function diagramSection(doc: PlanDocument): Section {
    const diagram = mermaidDiagram(doc.resources);
    const edges = diagram.split("\n").filter((l) => / -->|-\.->/.test(l)).length;
    const fits = diagram.length <= MERMAID_LIMITS.maxTextSize && edges <= MERMAID_LIMITS.maxEdges;
    return {
        priority: 6,
        head: ["### Diagram", ""],
        rows: ["```mermaid", diagram, "```", "", DIAGRAM_LEGEND],
        tail: [""],
        more: () => "",
        whole: {
            fits,
            omitted: `The diagram is left out: ${plural(diagram.length, "character")} and ${plural(edges, "edge")} (GitHub draws Mermaid diagrams up to ${MERMAID_LIMITS.maxTextSize.toLocaleString("en-US")} characters and ${MERMAID_LIMITS.maxEdges} edges) or more than the comment has room for.`,
        },
    };
}

function findingsSections(doc: PlanDocument, at: string): Section[] {
    const nameOf = new Map(doc.resources.map((r) => [r.urn, `${shortType(r.type)} ${r.name}`]));
    const where = (urn?: string) => mdCell(urn ? (nameOf.get(urn) ?? urn) : "stack", 200);
    // Mandatory first: a shortened table keeps what fails the plan.
    const first = <T extends { level: string }>(items: readonly T[]) =>
        [...items].sort((a, b) => Number(b.level !== "advisory") - Number(a.level !== "advisory"));
    const policyRows = first(doc.policies).map(
        (v) =>
            `| ${levelLabel(v)} | ${mdCell(v.policy, 100)} | ${where(v.urn)} | ${mdCell(v.message.split("\n").slice(1).join(" ") || v.message, 2000)} |`,
    );
    const policies: Section = {
        priority: 1,
        head: [
            `### Policies (${mdHeading(`${doc.policyPack.name}@${doc.policyPack.version}`)})`,
            "",
            ...(policyRows.length === 0
                ? [`All ${doc.policyPack.policies.length} policies passed.`]
                : ["| level | policy | resource | message |", "|---|---|---|---|"]),
        ],
        rows: policyRows,
        tail: [""],
        more: moreRows("policy violation", at),
    };
    const deployRows = first(doc.deployability ?? []).map(
        (f) => `| ${f.level} | ${mdCell(f.policy, 100)} | ${where(f.urn)} | ${mdCell(f.message, 2000)} |`,
    );
    const deployability: Section = {
        priority: 1,
        head: [
            "### Deployability (what `pulumi up` would refuse)",
            "",
            ...(deployRows.length === 0 ? ["No findings."] : ["| level | check | resource | message |", "|---|---|---|---|"]),
        ],
        rows: deployRows,
        tail: [""],
        more: moreRows("deployability finding", at),
    };
    return [policies, deployability];
}

function costSection(doc: PlanDocument, at: string): Section {
    const nameOf = new Map(doc.resources.map((r) => [r.urn, `${shortType(r.type)} ${r.name}`]));
    const c = doc.cost;
    const rows = c.lines.map(
        (l) =>
            `| ${mdCell(l.urn ? (nameOf.get(l.urn) ?? l.urn) : "billing account", 200)} | ${mdCell(l.dimension, 200)} | ${quantityText(l.quantity)} ${mdCell(l.unit, 100)} | ${unitPriceText(l.unitPrice)} | ${usd(l.monthly)} | ${l.confidence} |`,
    );
    const a = c.assumptions;
    const unpriced = c.unpriced.map((u) => `${mdCell(nameOf.get(u.urn) ?? u.urn, 200)} (${mdCell(u.reason, 300)})`);
    const shownUnpriced = unpriced.slice(0, 20);
    return {
        priority: 2,
        head: [
            "### Monthly cost (USD)",
            "",
            "| resource | dimension | quantity | unit price | monthly | confidence |",
            "|---|---|---:|---:|---:|---|",
        ],
        rows,
        tail: [
            `| **total** | at stated usage${unpricedNote(c)} | | | **${estimateAmount(c, c.usageMonthly)}** | |`,
            `| **total** | idle | | | **${estimateAmount(c, c.idleMonthly)}** | |`,
            "",
            `Assumptions: ${a.requestsPerMonth.toLocaleString("en-US")} requests/month of ${a.avgRequestSeconds} s, ${a.egressGb} GB egress, ${a.imageStorageGb} GB of images, ${a.logGb} GB of logs, ${a.secretAccessesPerMonth.toLocaleString("en-US")} secret reads, ${a.imagesPushedPerMonth} new images pushed; ${a.hoursPerMonth} h/month; free tier ${a.freeTier}. Override with \`pulumi config set --path runway:usage.<key> <value>\`.`,
            ...(unpriced.length === 0
                ? []
                : [
                      "",
                      `Unpriced: ${shownUnpriced.join("; ")}${unpriced.length > shownUnpriced.length ? `; and ${unpriced.length - shownUnpriced.length} more (see ${at})` : ""}.`,
                  ]),
            "",
        ],
        more: moreRows("cost line", at),
    };
}

/** The resource tree in a collapsed block, one line per resource as the text plan prints it. */
function treeSection(doc: PlanDocument, at: string): Section {
    const block = mdFence(treeLines(doc).map((l) => oneLine(l, 300)));
    return {
        priority: 5,
        head: [`<details><summary>Resources (${plural(block.lines.length, "line")})</summary>`, "", block.open],
        rows: block.lines,
        tail: [block.close, "", "</details>", ""],
        more: (n) => `… ${plural(n, "more resource")}: see ${at}`,
    };
}

/** The markdown document `--markdown` prints (what the Action posts), at most `maxLength` characters. */
export function renderMarkdown(doc: PlanDocument, comparison?: Comparison, options: MarkdownOptions = {}): string {
    const at = options.fullPlanAt ?? FULL_PLAN_AT;
    const sections = [
        summarySection(doc, comparison),
        ...(comparison ? [changesSection(comparison, at)] : []),
        diagramSection(doc),
        ...findingsSections(doc, at),
        costSection(doc, at),
        treeSection(doc, at),
    ];
    // No data-derived `<!--` survives escaping; the last pass is per line, so lengths are measured after it.
    const safe = (lines: readonly string[]) => lines.map(withoutCommentMarkers);
    const marked = sections.map((s) => ({ ...s, head: safe(s.head), rows: safe(s.rows), tail: safe(s.tail) }));
    return layout(marked, options.maxLength ?? commentMaxLength(options.commentHeader));
}
