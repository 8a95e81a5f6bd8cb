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
import { register } from "module";
import * as path from "path";
import { pathToFileURL } from "url";
import { MessageChannel, type MessagePort } from "worker_threads";
import { type Transpiler, transpilerFor } from "./transpile";

/**
 * Runs in Node's loader thread. TypeScript files of a run are compiled by the main thread (which
 * idles while it awaits the import), so one transpiler per project serves CommonJS and ES modules.
 */
const HOOKS = `
import { fileURLToPath } from "node:url";
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
    const parent = context.parentURL;
    const run = parent ? new URL(parent).searchParams.get("runway-run") : null;
    let resolved;
    try {
        resolved = await nextResolve(specifier, context);
    } catch (err) {
        const ts = run && /^\\.\\.?\\//.test(specifier) && /\\.[cm]?js$/.test(specifier) ? specifier.replace(/js$/, "ts") : undefined;
        if (!ts || err?.code !== "ERR_MODULE_NOT_FOUND") throw err;
        resolved = await nextResolve(ts, context);
    }
    if (run && resolved.url.startsWith("file:") && !resolved.url.includes("/node_modules/") && !resolved.url.includes("?")) {
        return { ...resolved, url: resolved.url + "?runway-run=" + run };
    }
    return resolved;
}
export async function load(url, context, nextLoad) {
    if (!url.includes("runway-run=") || !/\\.[cm]?tsx?(\\?|$)/.test(url)) return nextLoad(url, context);
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

/** Answers the loader thread: an ES module TypeScript file compiled, or "commonjs" for require() to load. */
function serveCompiles(port: MessagePort): void {
    port.on("message", ({ id, file }: { id: number; file: string }) => {
        try {
            if (!isEsModule(file)) return port.postMessage({ id, format: "commonjs" });
            const root = projectRoot(file);
            if (!transpilers.has(root)) transpilers.set(root, transpilerFor(root));
            const source = transpilers.get(root)!.compile(fs.readFileSync(file, "utf8"), file, "esm");
            port.postMessage({ id, format: "module", source });
        } catch (err) {
            port.postMessage({ id, error: (err as Error).message });
        }
    });
    port.unref();
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
    if (!registered) {
        const { port1, port2 } = new MessageChannel();
        serveCompiles(port1);
        register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { port: port2 }, transferList: [port2] });
        registered = true;
    }
    runs += 1;
    const exported = await dynamicImport(`${pathToFileURL(fs.realpathSync(file)).href}?runway-run=${runs}`);
    if (Object.getOwnPropertyDescriptor(exported, "default") === undefined) return { ...exported };
    if (Object.keys(exported).length !== 1)
        throw new Error("expected entrypoint module to have either a default export or named exports but not both");
    return exported.default;
}
