/**
 * How a program's TypeScript becomes JavaScript: as `pulumi preview` compiles it. The Pulumi CLI's
 * Node.js host (@pulumi/pulumi cmd/run/run.ts, tsutils.ts) runs ts-node on TypeScript's own
 * transpiler, the project's `typescript` (or a copy vendored in the SDK), with its defaults
 * (`target ES2020`, `module nodenext` from TypeScript 4.7 on; `ES2022` for ES modules) under the
 * project's tsconfig.json. So, here:
 *
 * - the project has `typescript` (every `pulumi new typescript` project does): `ts.transpileModule`
 *   with exactly those options;
 * - it has not: SWC (`@swc/core`, a dependency of this package) with the same options. SWC's
 *   CommonJS exports are getters over `let`/`class` bindings, which throw "Cannot access 'X' before
 *   initialization" when a circular import reads them early; TypeScript's `exports.X = X` reads
 *   `undefined` there instead. `tdzSafeExports` makes SWC's getters do the same.
 *
 * Transpile only, never a type check (`tsc` is the type check). ts-node itself is not needed.
 */
import * as fs from "fs";
import * as path from "path";

export type ModuleFormat = "commonjs" | "esm";

export interface Transpiler {
    /** `typescript <version>` or `swc <version>`, for messages and tests. */
    readonly name: string;
    /** JavaScript for `file`'s source, as a CommonJS or ES module. Throws on a syntax error, naming the file and line. */
    compile(code: string, file: string, format: ModuleFormat): string;
}

/**
 * The compiler options the CLI hands ts-node (cmd/run/run.ts): its defaults, then the project's own
 * `compilerOptions` (as written in tsconfig.json, not its `extends` chain: those come underneath).
 */
export function cliCompilerOptions(tsVersion: string, format: ModuleFormat, own: Record<string, unknown>): Record<string, unknown> {
    const [major, minor] = tsVersion.split(".").map(Number);
    const nodeNext = major > 4 || (major === 4 && minor >= 7);
    const defaults =
        format === "esm"
            ? { target: "ES2022", module: "nodenext", moduleResolution: "nodenext" }
            : { target: "ES2020", module: nodeNext ? "nodenext" : "commonjs", moduleResolution: nodeNext ? "nodenext" : "node" };
    return { ...defaults, ...own };
}

/** A tsconfig.json's text as data: JSON with comments and trailing commas, as TypeScript reads it. */
export function parseJsonc(text: string): unknown {
    let out = "";
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"') {
            const end = closingQuote(text, i);
            out += text.slice(i, end + 1);
            i = end;
        } else if (c === "/" && text[i + 1] === "/") {
            while (i < text.length && text[i] !== "\n") i++;
            out += "\n";
        } else if (c === "/" && text[i + 1] === "*") {
            i = text.indexOf("*/", i + 2);
            if (i < 0) break;
            i++;
        } else out += c;
    }
    return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
}

function closingQuote(text: string, start: number): number {
    for (let i = start + 1; i < text.length; i++) {
        if (text[i] === "\\") i++;
        else if (text[i] === '"') return i;
    }
    return text.length - 1;
}

/**
 * SWC's CommonJS output exports each binding through a getter (`get X () { return X; }`); read
 * before its declaration ran (a circular import), the getter throws where TypeScript's output gives
 * `undefined`. Each getter returns `undefined` while its binding is uninitialised, and the binding after.
 */
export function tdzSafeExports(code: string): string {
    return code.replace(
        /\bget ([A-Za-z_$][\w$]*) \(\) \{\s*return ([A-Za-z_$][\w$]*);\s*\}/g,
        (_m, name: string, binding: string) => `get ${name} () { try { return ${binding}; } catch { return undefined; } }`,
    );
}

/** The project's tsconfig.json `compilerOptions` as written (empty without one). */
function ownCompilerOptions(tsconfig: string): Record<string, unknown> {
    if (!fs.existsSync(tsconfig)) return {};
    try {
        return ((parseJsonc(fs.readFileSync(tsconfig, "utf8")) as { compilerOptions?: Record<string, unknown> }).compilerOptions ??
            {}) as Record<string, unknown>;
    } catch (err) {
        throw new Error(`${tsconfig} is not valid JSON: ${(err as Error).message}`);
    }
}

type TypeScript = typeof import("typescript");

/**
 * Only a file's own syntax errors stop it: the CLI type-checks through ts-node's language service,
 * which reports no compiler-option diagnostics (e.g. `module: commonjs` under its default
 * `moduleResolution: nodenext`), so neither does this.
 */
const fileError = (ts: TypeScript, d: import("typescript").Diagnostic) =>
    d.category === ts.DiagnosticCategory.Error && d.file !== undefined;

/** TypeScript's transpiler with the CLI's options under the project's tsconfig.json (its `extends` chain included). */
function typeScriptTranspiler(ts: TypeScript, tsconfig: string): Transpiler {
    const dir = path.dirname(tsconfig);
    const own = ownCompilerOptions(tsconfig);
    let base: import("typescript").CompilerOptions = {};
    if (fs.existsSync(tsconfig)) {
        const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
        if (read.config) base = ts.parseJsonConfigFileContent(read.config, ts.sys, dir, undefined, tsconfig).options;
    }
    const options = (format: ModuleFormat) => {
        const converted = ts.convertCompilerOptionsFromJson(cliCompilerOptions(ts.version, format, own), dir).options;
        const merged = { ...base, ...converted, sourceMap: false, inlineSourceMap: false, declaration: false, noEmit: false };
        // An ES module file under `nodenext` emits as written; transpileModule cannot see package.json's "type".
        if (format === "esm" && (merged.module === ts.ModuleKind.Node16 || merged.module === ts.ModuleKind.NodeNext)) {
            merged.module = ts.ModuleKind.ESNext;
            delete merged.moduleResolution;
        }
        return merged;
    };
    const byFormat = { commonjs: options("commonjs"), esm: options("esm") };
    return {
        name: `typescript ${ts.version}`,
        compile(code, file, format) {
            const out = ts.transpileModule(code, { fileName: file, compilerOptions: byFormat[format], reportDiagnostics: true });
            const error = out.diagnostics?.find((d) => fileError(ts, d));
            if (error) throw new Error(`${file}${position(error)}: ${ts.flattenDiagnosticMessageText(error.messageText, "\n")}`);
            return out.outputText;
        },
    };
}

function position(d: import("typescript").Diagnostic): string {
    if (!d.file || d.start === undefined) return "";
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `:${line + 1}:${character + 1}`;
}

/** SWC options equivalent to the CLI's compiler options (no TypeScript installed to read them). */
export function swcOptions(file: string, format: ModuleFormat, compilerOptions: Record<string, unknown>): Record<string, unknown> {
    const target = String(compilerOptions.target ?? "ES2020").toLowerCase();
    const year = target === "esnext" ? 9999 : Number(/^es(\d{4})$/.exec(target)?.[1] ?? (target === "es6" ? 2015 : 2020));
    const defineFields = compilerOptions.useDefineForClassFields ?? year >= 2022;
    const moduleKind = String(compilerOptions.module ?? "").toLowerCase();
    const interop = compilerOptions.esModuleInterop ?? /^node(16|next)$/.test(moduleKind);
    return {
        filename: file,
        swcrc: false,
        configFile: false,
        sourceMaps: false,
        module: format === "esm" ? { type: "es6" } : { type: "commonjs", importInterop: interop ? "swc" : "none", ignoreDynamic: true },
        jsc: {
            parser: { syntax: "typescript", tsx: /\.[cm]?tsx$/.test(file), decorators: compilerOptions.experimentalDecorators === true },
            target: year >= 9999 ? "esnext" : year < 2015 ? "es5" : `es${year}`,
            transform: {
                legacyDecorator: compilerOptions.experimentalDecorators === true,
                decoratorMetadata: compilerOptions.emitDecoratorMetadata === true,
                useDefineForClassFields: defineFields,
            },
            keepClassNames: true,
        },
    };
}

type Swc = { version: string; transformSync(code: string, options: object): { code: string } };

function swcTranspiler(swc: Swc, tsconfig: string): Transpiler {
    const own = ownCompilerOptions(tsconfig);
    // Without TypeScript the CLI falls back to its vendored TypeScript 3.8, which predates `nodenext`.
    const options = (format: ModuleFormat) => cliCompilerOptions("3.8.3", format, own);
    const byFormat = { commonjs: options("commonjs"), esm: options("esm") };
    return {
        name: `swc ${swc.version}`,
        compile(code, file, format) {
            let out: string;
            try {
                out = swc.transformSync(code, swcOptions(file, format, byFormat[format])).code;
            } catch (err) {
                throw new Error(`${file}: ${String((err as Error).message ?? err).trim()}`);
            }
            return format === "commonjs" ? tdzSafeExports(out) : out;
        },
    };
}

/** Resolves `name` as the project would (its own node_modules), or undefined. */
function fromProject(name: string, projectDir: string): string | undefined {
    try {
        return require.resolve(name, { paths: [projectDir] });
    } catch {
        return undefined;
    }
}

/** The transpiler for a project: its own `typescript` when it has one, else SWC. */
export function transpilerFor(projectDir: string, tsconfig = path.join(projectDir, "tsconfig.json")): Transpiler {
    const typescript = fromProject("typescript", projectDir);
    if (typescript) return typeScriptTranspiler(require(typescript) as TypeScript, tsconfig);
    return swcTranspiler(require("@swc/core") as Swc, tsconfig);
}
