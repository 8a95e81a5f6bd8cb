/**
 * ES module programs (`"type": "module"`, `.mjs`, `.mts`), loaded as Pulumi's Node.js host loads
 * them (pulumi/pulumi sdk/nodejs/cmd/run/run.ts): `import()` of the entry, TypeScript compiled with
 * `target ES2022, module/moduleResolution nodenext` unless the program's own tsconfig.json says
 * otherwise (./transpile.ts: the project's `typescript`, else SWC), `./x.js` resolving to `./x.ts`
 * as ts-node's ESM resolver does, a default export used instead of the named exports.
 *
 * Offline differences: transpile only (`tsc` is the type check), and every run imports the
 * program's own files afresh (a `?runway-run=N` query on files outside node_modules), since ES
 * modules cannot be evicted from Node's cache the way `require.cache` entries can.
 */
import * as fs from "fs";
import * as nodeModule from "module";
import * as path from "path";
import { fileURLToPath, pathToFileURL } from "url";
import { MessageChannel, type MessagePort } from "worker_threads";
import { type Transpiler, transpilerFor } from "./transpile";

/**
 * Where a run's files resolve: a relative `./x.js` that does not exist is `./x.ts` (as ts-node's
 * ESM resolver does), and every file of the program outside node_modules carries the run's query.
 * `attempt` answers the same (specifier, context) with Node's own resolution; the same rule, once
 * synchronous (Node >= 22.15) and once asynchronous (the loader thread below).
 */
const RESOLVE_RULE = `
function runOf(context) {
    const parent = context.parentURL;
    return parent && parent.startsWith("file:") ? new URL(parent).searchParams.get("runway-run") : null;
}
function typeScriptTwin(specifier, run, err) {
    return run && /^\\.\\.?\\//.test(specifier) && /\\.[cm]?js$/.test(specifier) && err?.code === "ERR_MODULE_NOT_FOUND"
        ? specifier.replace(/js$/, "ts")
        : undefined;
}
function tagged(resolved, run) {
    return run && resolved.url.startsWith("file:") && !resolved.url.includes("/node_modules/") && !resolved.url.includes("?")
        ? { ...resolved, url: resolved.url + "?runway-run=" + run }
        : resolved;
}
function isRunTypeScript(url) {
    return url.includes("runway-run=") && /\\.[cm]?tsx?(\\?|$)/.test(url);
}
`;

/**
 * Runs in Node's loader thread (Node < 22.15, which has only `module.register`). TypeScript files of
 * a run are compiled by the main thread (which idles while it awaits the import), so one transpiler
 * per project serves CommonJS and ES modules. Node 20 runs require() outside these hooks, so the
 * main thread never waits synchronously on this thread.
 */
const THREAD_HOOKS = `
import { fileURLToPath } from "node:url";
${RESOLVE_RULE}
let port;
let next = 0;
const pending = new Map();
export function initialize(data) {
    port = data.port;
    port.on("message", ({ id, source, format, error }) => {
        const p = pending.get(id);
        pending.delete(id);
        if (error !== undefined) p.reject(Object.assign(new Error(error), { stack: "Error: " + error }));
        else p.resolve({ source, format });
    });
}
function compiled(file) {
    return new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        port.postMessage({ id, file });
    });
}
export async function resolve(specifier, context, nextResolve) {
    const run = runOf(context);
    try {
        return tagged(await nextResolve(specifier, context), run);
    } catch (err) {
        const ts = typeScriptTwin(specifier, run, err);
        if (!ts) throw err;
        return tagged(await nextResolve(ts, context), run);
    }
}
export async function load(url, context, nextLoad) {
    if (!isRunTypeScript(url)) return nextLoad(url, context);
    const file = new URL(url);
    file.search = "";
    const { source, format } = await compiled(fileURLToPath(file));
    // A CommonJS TypeScript file loads through require(), whose hook compiles it (see ensureTypeScript).
    return format === "module" ? { format, source, shortCircuit: true } : { format: "commonjs", shortCircuit: true };
}
`;

/** Project folder (nearest Pulumi.yaml) → its transpiler, for the files the loader thread asks about. */
const transpilers = new Map<string, Transpiler>();

function projectRoot(file: string): string {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml")) || fs.existsSync(path.join(dir, "Pulumi.yml"))) return dir;
        if (path.dirname(dir) === dir) return path.dirname(file);
    }
}

/** A TypeScript file of a run compiled as an ES module, or undefined when Node loads it as CommonJS. */
function compiledModule(file: string): string | undefined {
    if (!isEsModule(file)) return undefined;
    const root = projectRoot(file);
    if (!transpilers.has(root)) transpilers.set(root, transpilerFor(root));
    return transpilers.get(root)!.compile(fs.readFileSync(file, "utf8"), file, "esm");
}

/** Answers the loader thread: an ES module TypeScript file compiled, or "commonjs" for require() to load. */
function serveCompiles(port: MessagePort): void {
    port.on("message", ({ id, file }: { id: number; file: string }) => {
        try {
            const source = compiledModule(file);
            port.postMessage(source === undefined ? { id, format: "commonjs" } : { id, format: "module", source });
        } catch (err) {
            port.postMessage({ id, error: (err as Error).message });
        }
    });
    port.unref();
}

type SyncHooks = {
    resolve(specifier: string, context: { parentURL?: string }, next: (s: string, c?: unknown) => { url: string }): { url: string };
    load(url: string, context: unknown, next: (u: string, c?: unknown) => unknown): unknown;
};
type RegisterHooks = (hooks: SyncHooks) => { deregister?: () => void } | undefined;

/**
 * The same hooks in the main thread (Node >= 22.15 `module.registerHooks`). Node 22.12+ and 24 run
 * require() through registered hooks and wait for the loader thread synchronously, so a loader
 * thread that asks the main thread to compile would deadlock: in-thread hooks compile directly.
 */
function registerInThread(registerHooks: RegisterHooks): (() => void) | undefined {
    const rule = new Function(`${RESOLVE_RULE}; return { runOf, typeScriptTwin, tagged, isRunTypeScript };`)() as {
        runOf(context: unknown): string | null;
        typeScriptTwin(specifier: string, run: string | null, err: unknown): string | undefined;
        tagged(resolved: { url: string }, run: string | null): { url: string };
        isRunTypeScript(url: string): boolean;
    };
    const hooks = registerHooks({
        resolve(specifier, context, nextResolve) {
            const run = rule.runOf(context);
            try {
                return rule.tagged(nextResolve(specifier, context), run);
            } catch (err) {
                const ts = rule.typeScriptTwin(specifier, run, err);
                if (!ts) throw err;
                return rule.tagged(nextResolve(ts, context), run);
            }
        },
        load(url, context, nextLoad) {
            if (!rule.isRunTypeScript(url)) return nextLoad(url, context);
            const file = new URL(url);
            file.search = "";
            const source = compiledModule(fileURLToPath(file));
            return source === undefined ? { format: "commonjs", shortCircuit: true } : { format: "module", source, shortCircuit: true };
        },
    });
    return hooks?.deregister?.bind(hooks);
}

let registered = false;
let runs = 0;

/** True when Node loads `file` as an ES module: `.mjs`/`.mts`, or `.js`/`.ts` under `"type": "module"`. */
export function isEsModule(file: string): boolean {
    if (/\.m[jt]s$/.test(file)) return true;
    if (/\.c[jt]s$/.test(file)) return false;
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
        const pkg = path.join(dir, "package.json");
        if (fs.existsSync(pkg)) {
            try {
                return JSON.parse(fs.readFileSync(pkg, "utf8")).type === "module";
            } catch {
                return false;
            }
        }
        if (path.dirname(dir) === dir) return false;
    }
}

/** The entry file of a directory, in the order Pulumi's host tries them for ES modules. */
export function esEntryFile(main: string): string {
    if (!fs.existsSync(main) || !fs.statSync(main).isDirectory()) return main;
    const index = ["index.js", "index.mjs", "index.ts", "index.mts"].find((f) => fs.existsSync(path.join(main, f)));
    if (!index) throw new Error(`No entrypoint found in ${main}`);
    return path.join(main, index);
}

// `import()` as written: TypeScript compiles it to `require` when emitting CommonJS.
const dynamicImport = new Function("url", "return import(url)") as (url: string) => Promise<Record<string, unknown>>;

/** Imports an ES module program; what it exports, as Pulumi's host reads it. */
export async function importProgram(file: string): Promise<unknown> {
    const registerHooks = (nodeModule as unknown as { registerHooks?: RegisterHooks }).registerHooks;
    if (registerHooks) return importInThread(file, registerHooks);
    if (!registered) {
        const { port1, port2 } = new MessageChannel();
        serveCompiles(port1);
        nodeModule.register(`data:text/javascript,${encodeURIComponent(THREAD_HOOKS)}`, { data: { port: port2 }, transferList: [port2] });
        registered = true;
    }
    return exportsOf(await nextRun(file));
}

/** The program's own files of this run carry `?runway-run=N`, so each run imports them afresh. */
function nextRun(file: string): Promise<Record<string, unknown>> {
    runs += 1;
    return dynamicImport(`${pathToFileURL(fs.realpathSync(file)).href}?runway-run=${runs}`);
}

/**
 * The in-thread hooks hold only while the program's module graph loads (its top-level awaits
 * included): registered for the import, removed after, so the rest of the process — later
 * CommonJS programs, their own SDK copies — loads as Node loads it.
 */
async function importInThread(file: string, registerHooks: RegisterHooks): Promise<unknown> {
    const deregister = registerInThread(registerHooks);
    try {
        return exportsOf(await nextRun(file));
    } finally {
        deregister?.();
    }
}

/** What an ES module program exports, as Pulumi's host reads it. */
function exportsOf(exported: Record<string, unknown>): unknown {
    if (Object.getOwnPropertyDescriptor(exported, "default") === undefined) return { ...exported };
    if (Object.keys(exported).length !== 1)
        throw new Error("expected entrypoint module to have either a default export or named exports but not both");
    return exported.default;
}
