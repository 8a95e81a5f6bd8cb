/**
 * Each run sees the provider packages its own program loaded, as in the process `pulumi preview`
 * starts for it, not those of an earlier run in the same process.
 *
 * A provider package registers its resource classes with the SDK when it loads
 * (`pulumi.runtime.registerResourceModule("random", "index", …)`), in a registry every copy of the
 * SDK in the process shares (`global.globalStore`, runtime/state.ts). The SDK turns a resource
 * reference it deserializes (the mock monitor echoing an input that is a resource) into an
 * instance of the FIRST registered class of that package and version (runtime/rpc.ts, `register`
 * skips a same-version copy). In one process that plans several projects (tests; a host planning
 * several programs), the first could be another project's copy of the package — bound to another
 * SDK copy, and gone with its folder: its lazy `require("./randomPet")` then failed inside the
 * registration, which never finished. So each registration remembers the file that made it and
 * the working directory of the run, and a lookup returns only the registrations the current run
 * can see: its own, and those of packages installed where Node resolves from its working
 * directory (its `node_modules` or an ancestor's).
 */
import * as path from "path";
import { fileURLToPath } from "url";
import * as internalState from "@pulumi/pulumi/runtime/state";

interface Origin {
    /** The module that registered (a package's index.js), when known. */
    file?: string;
    /** The working directory of the run (or host) that loaded it. */
    cwd: string;
}

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;
const THIS_FILE = __filename;

/**
 * The module whose loading registers (a package's index.js): on the stack, the first file after
 * this one and the SDK's file that called it (runtime/rpc.js of whichever SDK copy).
 */
function registeringFile(): string | undefined {
    const errorClass = Error as { prepareStackTrace?: unknown; stackTraceLimit: number };
    const saved = { prepare: errorClass.prepareStackTrace, limit: errorClass.stackTraceLimit };
    errorClass.stackTraceLimit = 20;
    errorClass.prepareStackTrace = (_: Error, sites: NodeJS.CallSite[]) => sites;
    try {
        const holder: { stack?: NodeJS.CallSite[] } = {};
        Error.captureStackTrace(holder);
        const files = (holder.stack ?? []).map((site) => site.getFileName() ?? "").filter((file) => file !== THIS_FILE);
        const sdk = files[0];
        const file = files.find((f) => f !== sdk && f !== "");
        // An ES module's frames name a URL.
        return file?.startsWith("file:") ? fileURLToPath(file) : file;
    } finally {
        errorClass.prepareStackTrace = saved.prepare;
        errorClass.stackTraceLimit = saved.limit;
    }
}

/**
 * Whether a run in `cwd` sees a registration: one its own working directory made, one whose module
 * is not an installed package, or one from a `node_modules` Node searches from `cwd`.
 */
export function visibleFrom(cwd: string, origin: Origin | undefined): boolean {
    if (!origin?.file || origin.cwd === cwd) return true;
    const at = origin.file.indexOf(NODE_MODULES);
    if (at < 0) return true;
    const root = origin.file.slice(0, at);
    return cwd === root || cwd.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** Marks a scoped registry (another copy of this module may have installed it). */
const SCOPED = Symbol.for("runway.plan.run-scoped-registry");

/** The SDK's registry (key → registrations), answering each lookup with what the current run sees. */
class RunScopedRegistry<T extends object> extends Map<string, T[]> {
    readonly [SCOPED] = true;
    private readonly origins = new WeakMap<T, Origin>();

    /** Makes `items` (the SDK's own array, pushed to after `set`) record where each registration comes from. */
    private track(items: T[]): T[] {
        if (Object.hasOwn(items, "push")) return items;
        const origins = this.origins;
        Object.defineProperty(items, "push", {
            configurable: true,
            value(...added: T[]) {
                const origin = { file: registeringFile(), cwd: process.cwd() };
                for (const item of added) if (typeof item === "object" && item !== null) origins.set(item, origin);
                return Array.prototype.push.apply(items, added);
            },
        });
        return items;
    }

    override set(key: string, items: T[]): this {
        const existing = super.get(key);
        if (existing && existing !== items && Array.isArray(items)) {
            // Registrations other runs made stay: the SDK's new array adds to them.
            Object.defineProperty(items, "push", { configurable: true, value: (...added: T[]) => existing.push(...added) });
            return this;
        }
        return super.set(key, Array.isArray(items) ? this.track(items) : items);
    }

    /** The registrations of `key` the current run sees; a same-version copy it cannot see no longer blocks its own. */
    override get(key: string): T[] | undefined {
        const items = super.get(key);
        if (!items) return undefined;
        const cwd = process.cwd();
        const seen = items.filter((item) => visibleFrom(cwd, this.origins.get(item)));
        if (seen.length === items.length) return items;
        // The SDK pushes a new registration onto what `get` returned: it goes to the registry.
        Object.defineProperty(seen, "push", { value: (...added: T[]) => items.push(...added) });
        return seen;
    }
}

type Store = { resourceModules?: Map<string, object[]>; resourcePackages?: Map<string, object[]> };
const state = internalState as unknown as { getGlobalStore(): Store };

/**
 * Makes the process-wide registries of resource modules and packages run-scoped (idempotent;
 * registrations made before keep their place and count as everyone's).
 */
export function scopeRegistriesToRuns(): void {
    const store = state.getGlobalStore();
    for (const key of ["resourceModules", "resourcePackages"] as const) {
        const current = store[key] as (Map<string, object[]> & { [SCOPED]?: true }) | undefined;
        if (current?.[SCOPED]) continue;
        const scoped = new RunScopedRegistry<object>();
        for (const [name, items] of current ?? []) scoped.set(name, items);
        store[key] = scoped;
    }
}
