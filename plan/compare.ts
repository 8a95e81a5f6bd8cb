/** Differences between two plan documents (e.g. the base branch's `--json` and this one's). */
import { identityOf, ResourceRecord } from "./engine";
import { PlanConfigError } from "./engine/project";
import { PlanDocument } from "./report";
import { cents } from "../rules/cost/estimate";

/** One changed value: its path inside the inputs (`template.scaling.minInstanceCount`), before and after. */
export interface ValueChange {
    readonly path: string;
    /** The value before, as compact JSON (`[secret]` for a secret input; `(none)` when absent). */
    readonly before: string;
    readonly after: string;
}

export interface ResourceChange {
    readonly identity: string;
    readonly type: string;
    readonly name: string;
    /** Top-level inputs (and options) whose values differ. */
    readonly changed: string[];
    /** The changed values, deepest path first found, secrets masked. */
    readonly details: ValueChange[];
}

export interface Comparison {
    readonly added: { identity: string; type: string; name: string }[];
    readonly removed: { identity: string; type: string; name: string }[];
    readonly changed: ResourceChange[];
    readonly cost: {
        baseMonthly: number;
        headMonthly: number;
        deltaMonthly: number;
        baseIdle: number;
        headIdle: number;
        /** Unpriced resources in either plan: the amounts are lower bounds and the delta leaves them out. */
        unpricedResources?: number;
    };
    /** What a reviewer must know before trusting the diff (e.g. the base is another stack's plan). */
    readonly warnings: string[];
}

/** A plan document as `--compare` reads it (older documents may lack project and stack). */
export type BaseDocument = Pick<PlanDocument, "resources" | "cost"> & Partial<Pick<PlanDocument, "project" | "stack">>;

const MASK = "[secret]";
const NONE = "(none)";

/** Compact JSON of a value for a diff line, cut at `max` characters. */
export function shownValue(value: unknown, max = 80): string {
    if (value === undefined) return NONE;
    const text = JSON.stringify(value) ?? String(value);
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** A key's own value: a key named `constructor`, `toString` or `__proto__` is data, never what an object inherits. */
const own = (o: Record<string, unknown> | undefined, key: string): unknown => (o && Object.hasOwn(o, key) ? o[key] : undefined);

/** Leaf differences between two values, by path; secret top-level keys show as `[secret]`. */
export function valueChanges(before: unknown, after: unknown, at = "", secret = false): ValueChange[] {
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    if (secret) return [{ path: at, before: before === undefined ? NONE : MASK, after: after === undefined ? NONE : MASK }];
    if (isPlainObject(before) && isPlainObject(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((k) => valueChanges(own(before, k), own(after, k), at ? `${at}.${k}` : k));
    }
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
        return before.flatMap((b, i) => valueChanges(b, after[i], `${at}[${i}]`));
    }
    return [{ path: at, before: shownValue(before), after: shownValue(after) }];
}

const brief = (r: ResourceRecord) => ({ identity: identityOf(r), type: r.type, name: r.name });

/** Inputs and the options a reviewer cares about, by key, for comparison. */
function comparable(r: ResourceRecord): Map<string, string> {
    const out = new Map<string, string>();
    for (const [k, v] of Object.entries(r.inputs ?? {})) out.set(k, JSON.stringify(v));
    out.set("(protect)", String(r.protect ?? false));
    out.set("(ignoreChanges)", JSON.stringify(r.ignoreChanges ?? []));
    return out;
}

/** A resource's inputs and compared options as one object with own keys only (Object.fromEntries keeps `__proto__` as data). */
function comparedValues(r: ResourceRecord): Record<string, unknown> {
    return Object.fromEntries([
        ...Object.entries(r.inputs ?? {}),
        ["(protect)", r.protect ?? false],
        ["(ignoreChanges)", r.ignoreChanges ?? []],
    ]);
}

/** Added, removed and changed resources by (type, name, parent type), and the monthly cost delta. */
export function compareDocuments(base: BaseDocument, head: BaseDocument): Comparison {
    const baseById = new Map(base.resources.map((r) => [identityOf(r), r]));
    const headById = new Map(head.resources.map((r) => [identityOf(r), r]));
    const changed: ResourceChange[] = [];
    for (const [id, r] of headById) {
        const before = baseById.get(id);
        if (!before) continue;
        const a = comparable(before);
        const b = comparable(r);
        const keys = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
        if (keys.length === 0) continue;
        const secretKeys = new Set([...(before.secretInputs ?? []), ...(r.secretInputs ?? [])]);
        const [was, now] = [comparedValues(before), comparedValues(r)];
        const details = keys.flatMap((k) => valueChanges(own(was, k), own(now, k), k, secretKeys.has(k)));
        changed.push({ ...brief(r), changed: keys, details });
    }
    const baseMonthly = base.cost?.usageMonthly ?? 0;
    const headMonthly = head.cost?.usageMonthly ?? 0;
    return {
        added: head.resources.filter((r) => !baseById.has(identityOf(r))).map(brief),
        removed: base.resources.filter((r) => !headById.has(identityOf(r))).map(brief),
        changed,
        cost: {
            baseMonthly,
            headMonthly,
            deltaMonthly: cents(headMonthly - baseMonthly),
            baseIdle: base.cost?.idleMonthly ?? 0,
            headIdle: head.cost?.idleMonthly ?? 0,
            unpricedResources: Math.max(unpricedIn(base), unpricedIn(head)),
        },
        warnings: baseWarnings(base, head),
    };
}

/** Unpriced resources of a plan document (older documents carry only the list). */
function unpricedIn(d: BaseDocument): number {
    const c = d.cost as { unpricedResources?: number; unpriced?: { urn: string }[] } | undefined;
    return c?.unpricedResources ?? new Set((c?.unpriced ?? []).map((u) => u.urn)).size;
}

/** A base plan of another project or stack differs by that stack's own settings, not only by this change. */
export function baseWarnings(base: BaseDocument, head: BaseDocument): string[] {
    const id = (d: BaseDocument) => `${d.project ?? "?"}/${d.stack ?? "?"}`;
    if (base.project === undefined || base.stack === undefined)
        return [`the base plan does not say which stack it is of: compare plans of the same stack`];
    if (base.project !== head.project || base.stack !== head.stack)
        return [`the base plan is of ${id(base)}, this plan is of ${id(head)}: the differences include the two stacks' own settings`];
    return [];
}

const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : `a ${typeof v}`);

/** What is wrong with one resource of a base document (the fields `compareDocuments` reads), if anything. */
function resourceProblem(r: unknown): string | undefined {
    if (!isPlainObject(r)) return `is ${kindOf(r)}, not a resource (an object with type, name and inputs)`;
    const wrong: string[] = [];
    for (const key of ["type", "name"]) if (typeof r[key] !== "string") wrong.push(`${key} is ${kindOf(r[key])}, not a string`);
    if (r.parentType !== undefined && typeof r.parentType !== "string") wrong.push(`parentType is ${kindOf(r.parentType)}, not a string`);
    if (r.inputs !== undefined && !isPlainObject(r.inputs)) wrong.push(`inputs is ${kindOf(r.inputs)}, not an object`);
    for (const key of ["ignoreChanges", "secretInputs"])
        if (r[key] !== undefined && !Array.isArray(r[key])) wrong.push(`${key} is ${kindOf(r[key])}, not a list`);
    if (r.protect !== undefined && typeof r.protect !== "boolean") wrong.push(`protect is ${kindOf(r.protect)}, not true or false`);
    const deep = isPlainObject(r.inputs) ? tooDeep(r.inputs, "inputs") : undefined;
    if (deep) wrong.push(`${deep} nests deeper than ${MAX_DEPTH.toLocaleString("en-US")} levels`);
    return wrong.length > 0 ? wrong.join(", ") : undefined;
}

/**
 * Plan documents nest a few dozen levels (resource inputs); 1,000 is far beyond any and well within
 * what JSON.stringify and the comparison's recursion handle on Node's default stack.
 */
const MAX_DEPTH = 1000;

/** The path of the first value nested deeper than MAX_DEPTH levels inside `value` (searched without recursion), if any. */
function tooDeep(value: unknown, at: string): string | undefined {
    const stack: [unknown, string, number][] = [[value, at, 0]];
    // The path shown stops at 60 characters ("…"): it says where the nesting starts, not all of it.
    const child = (path: string, step: string) => (path.endsWith("…") ? path : path.length > 60 ? `${path}…` : `${path}${step}`);
    while (stack.length > 0) {
        const [v, path, depth] = stack.pop()!;
        if (v === null || typeof v !== "object") continue;
        if (depth >= MAX_DEPTH) return path;
        const list = Array.isArray(v);
        for (const [k, x] of Object.entries(v)) stack.push([x, child(path, list ? `[${k}]` : `.${k}`), depth + 1]);
    }
    return undefined;
}

/** How many problems a refused base document lists before "and N more". */
const PROBLEMS_SHOWN = 5;

/**
 * Reads a previous `--json` document; a file that is not one is refused with what is wrong with it
 * (the first few problems, by JSON path), so `--compare` never fails half-way through a comparison.
 */
export function parseBaseDocument(text: string, file: string): BaseDocument {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new PlanConfigError(`--compare ${file}: not JSON (${(err as Error).message})`);
    }
    const notPlan = `not a plan document from \`runway plan --json\``;
    if (!isPlainObject(doc)) throw new PlanConfigError(`--compare ${file}: ${notPlan} (the file holds ${kindOf(doc)})`);
    if (!Array.isArray(doc.resources)) throw new PlanConfigError(`--compare ${file}: ${notPlan} (no resources list)`);
    const problems: string[] = [];
    doc.resources.forEach((r: unknown, i: number) => {
        const problem = resourceProblem(r);
        if (problem) problems.push(`resources[${i}] ${problem}`);
    });
    for (const key of ["project", "stack"])
        if (doc[key] !== undefined && typeof doc[key] !== "string") problems.push(`${key} is ${kindOf(doc[key])}, not a string`);
    if (doc.cost !== undefined) {
        if (!isPlainObject(doc.cost)) problems.push(`cost is ${kindOf(doc.cost)}, not an object`);
        else
            for (const key of ["usageMonthly", "idleMonthly"])
                if (doc.cost[key] !== undefined && !Number.isFinite(doc.cost[key]))
                    problems.push(`cost.${key} is ${kindOf(doc.cost[key])}, not a number`);
    }
    if (problems.length > 0) {
        const more = problems.length > PROBLEMS_SHOWN ? `\n  and ${problems.length - PROBLEMS_SHOWN} more` : "";
        throw new PlanConfigError(
            `--compare ${file}: ${notPlan}, or one edited by hand:\n${problems
                .slice(0, PROBLEMS_SHOWN)
                .map((p) => `  - ${p}`)
                .join("\n")}${more}`,
        );
    }
    return doc as unknown as BaseDocument;
}
