/**
 * ES module programs (`"type": "module"`, `.mjs`, `.mts`), loaded as Pulumi's Node.js host loads
 * them (pulumi/pulumi sdk/nodejs/cmd/run/run.ts): `import()` of the entry, TypeScript through
 * ts-node's ESM hooks with `target ES2022, module/moduleResolution nodenext` unless the program's
 * own tsconfig.json says otherwise, a default export used instead of the named exports.
 *
 * Offline differences: transpile only (`tsc` is the type check), and every run imports the
 * program's own files afresh (a `?runway-run=N` query on files outside node_modules), since ES
 * modules cannot be evicted from Node's cache the way `require.cache` entries can.
 */
import * as fs from "fs";
import { register } from "module";
import * as path from "path";
import { pathToFileURL } from "url";

/** Runs in Node's loader thread; one ts-node service per Pulumi project (nearest Pulumi.yaml). */
const HOOKS = `
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
let fallback = {};
const byRoot = new Map();
export function initialize(data) { fallback = data ?? {}; }
function rootOf(file) {
    for (let dir = dirname(file); ; dir = dirname(dir)) {
        if (existsSync(join(dir, "Pulumi.yaml")) || existsSync(join(dir, "Pulumi.yml"))) return dir;
        if (dirname(dir) === dir) return undefined;
    }
}
function resolveFrom(req, name) { try { return req.resolve(name); } catch { return fallback[name]; } }
function tsHooks(root) {
    const req = createRequire(join(root, "package.json"));
    const tsNode = resolveFrom(req, "ts-node");
    const compiler = resolveFrom(req, "typescript");
    if (!tsNode || !compiler) return undefined;
    const ts = req(compiler);
    const tsconfig = join(root, "tsconfig.json");
    const has = existsSync(tsconfig);
    const own = has ? ts.readConfigFile(tsconfig, ts.sys.readFile).config?.compilerOptions ?? {} : {};
    const defaults = { target: "ES2022", module: "nodenext", moduleResolution: "nodenext" };
    const compilerOptions = Object.fromEntries(Object.entries(defaults).filter(([k]) => !(k in own)));
    const tsn = req(tsNode);
    return tsn.createEsmHooks(tsn.create({ transpileOnly: true, compiler, ...(has ? { project: tsconfig } : { skipProject: true }), compilerOptions }));
}
function hooksFor(url) {
    if (!url || !url.startsWith("file:")) return undefined;
    const root = rootOf(fileURLToPath(url));
    if (!root) return undefined;
    if (!byRoot.has(root)) byRoot.set(root, tsHooks(root));
    return byRoot.get(root);
}
export async function resolve(specifier, context, next) {
    const parent = context.parentURL;
    const run = parent ? new URL(parent).searchParams.get("runway-run") : null;
    const hooks = run ? hooksFor(parent) : undefined;
    const resolved = hooks ? await hooks.resolve(specifier, context, next) : await next(specifier, context);
    if (run && resolved.url.startsWith("file:") && !resolved.url.includes("/node_modules/") && !resolved.url.includes("?")) {
        return { ...resolved, url: resolved.url + "?runway-run=" + run };
    }
    return resolved;
}
export async function load(url, context, next) {
    const hooks = url.includes("runway-run=") && /\\.[cm]?tsx?(\\?|$)/.test(url) ? hooksFor(url) : undefined;
    return hooks ? hooks.load(url, context, next) : next(url, context);
}
`;

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
        const fallback = Object.fromEntries(
            ["ts-node", "typescript"].flatMap((name) => {
                try {
                    return [[name, require.resolve(name)]];
                } catch {
                    return [];
                }
            }),
        );
        register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: fallback });
        registered = true;
    }
    runs += 1;
    const exported = await dynamicImport(`${pathToFileURL(fs.realpathSync(file)).href}?runway-run=${runs}`);
    if (Object.getOwnPropertyDescriptor(exported, "default") === undefined) return { ...exported };
    if (Object.keys(exported).length !== 1)
        throw new Error("expected entrypoint module to have either a default export or named exports but not both");
    return exported.default;
}
