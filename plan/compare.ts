/** Differences between two plan documents (e.g. the base branch's `--json` and this one's). */
import { identityOf, ResourceRecord } from "./engine";
import { PlanDocument } from "./report";
import { cents } from "../components/cost/estimate";

export interface ResourceChange {
    readonly identity: string;
    readonly type: string;
    readonly name: string;
    /** Top-level inputs (and options) whose values differ. */
    readonly changed: string[];
}

export interface Comparison {
    readonly added: { identity: string; type: string; name: string }[];
    readonly removed: { identity: string; type: string; name: string }[];
    readonly changed: ResourceChange[];
    readonly cost: { baseMonthly: number; headMonthly: number; deltaMonthly: number; baseIdle: number; headIdle: number };
}

const brief = (r: ResourceRecord) => ({ identity: identityOf(r), type: r.type, name: r.name });

/** Inputs and the options a reviewer cares about, by key, for comparison. */
function comparable(r: ResourceRecord): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.inputs)) out[k] = JSON.stringify(v);
    out["(protect)"] = String(r.protect);
    out["(ignoreChanges)"] = JSON.stringify(r.ignoreChanges);
    return out;
}

/** Added, removed and changed resources by (type, name, parent type), and the monthly cost delta. */
export function compareDocuments(base: Pick<PlanDocument, "resources" | "cost">, head: Pick<PlanDocument, "resources" | "cost">): Comparison {
    const baseById = new Map(base.resources.map((r) => [identityOf(r), r]));
    const headById = new Map(head.resources.map((r) => [identityOf(r), r]));
    const changed: ResourceChange[] = [];
    for (const [id, r] of headById) {
        const before = baseById.get(id);
        if (!before) continue;
        const a = comparable(before);
        const b = comparable(r);
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
        if (keys.length > 0) changed.push({ ...brief(r), changed: keys });
    }
    const baseMonthly = base.cost?.usageMonthly ?? 0;
    const headMonthly = head.cost?.usageMonthly ?? 0;
    return {
        added: head.resources.filter((r) => !baseById.has(identityOf(r))).map(brief),
        removed: base.resources.filter((r) => !headById.has(identityOf(r))).map(brief),
        changed,
        cost: { baseMonthly, headMonthly, deltaMonthly: cents(headMonthly - baseMonthly), baseIdle: base.cost?.idleMonthly ?? 0, headIdle: head.cost?.idleMonthly ?? 0 },
    };
}

/** Reads a previous `--json` document; says what is wrong with it. */
export function parseBaseDocument(text: string, file: string): Pick<PlanDocument, "resources" | "cost"> {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new Error(`--compare ${file}: not JSON (${(err as Error).message})`);
    }
    const resources = (doc as { resources?: unknown })?.resources;
    if (!Array.isArray(resources)) throw new Error(`--compare ${file}: not a plan document from \`npm run plan -- --json\` (no resources list)`);
    return doc as Pick<PlanDocument, "resources" | "cost">;
}
