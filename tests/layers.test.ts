/**
 * Issue #15: layers that say what they mean. The shared pure rules depend on nothing; the policy
 * pack and the plan's engine do not reach into Runway's components or program; the tier profile is
 * the only place that tells tiers apart.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { RunwayInputError } from "../rules/problems";

const ROOT = path.resolve(__dirname, "..");

/** Every .ts file under `dir` (relative to the repository). */
function sources(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
        for (const entry of fs.readdirSync(path.join(ROOT, d), { withFileTypes: true })) {
            const rel = path.join(d, entry.name);
            if (entry.isDirectory()) walk(rel);
            else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(rel);
        }
    };
    walk(dir);
    return out;
}

/** The module specifiers a file imports (import ... from, export ... from, require()). */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    return [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)["']([^"']+)["']/g)].map((m) => m[1]);
}

/** Where a relative specifier of `file` lands, relative to the repository (`rules/profile`), or the package name. */
function target(file: string, spec: string): string {
    return spec.startsWith(".") ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)) : spec;
}

function offending(dirs: string[], bad: (target: string) => boolean): string[] {
    return dirs.flatMap(sources).flatMap((f) =>
        importsOf(f)
            .filter((s) => bad(target(f, s)))
            .map((s) => `${f} imports ${s}`),
    );
}

/** The lines of the sources under `dirs` (but `except`) that match `pattern`, as `file:line: text`. */
function linesMatching(dirs: readonly string[], pattern: RegExp, except: string): string[] {
    return dirs
        .flatMap(sources)
        .filter((f) => f !== except)
        .flatMap((f) =>
            fs
                .readFileSync(path.join(ROOT, f), "utf8")
                .split("\n")
                .map((line, i) => [f, i + 1, line] as const),
        )
        .filter(([, , line]) => pattern.test(line))
        .map(([f, n, line]) => `${f}:${n}: ${line.trim()}`);
}

/** Where functions must read as outlines: at most `MAX_FUNCTION_LINES` lines each. */
const OUTLINED = ["stacks", "components", "plan", "rules", "policy", "bootstrap"];
const MAX_FUNCTION_LINES = 80;
/**
 * Functions still longer than `MAX_FUNCTION_LINES`, with their length today. The list only shrinks:
 * an entry may not grow, and one that fits (or is gone) must be removed from it.
 */
const LONG_FUNCTIONS: Readonly<Record<string, number>> = {};

/** A function's name as the list spells it: `name`, `Class.method`, `Class.constructor`, or `(anonymous)@line`. */
function functionName(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
    const owner = ts.isClassLike(node.parent) && node.parent.name ? `${node.parent.name.text}.` : "";
    if (ts.isConstructorDeclaration(node)) return `${owner}constructor`;
    if (node.name) return `${owner}${node.name.getText(source)}`;
    const holder = node.parent;
    if (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder))
        return holder.name.getText(source);
    return `(anonymous)@${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
}

/** Every function (declaration, method, arrow, function expression) with a body, by "file name", with its length in lines. */
function functionLengths(dirs: readonly string[]): Map<string, number> {
    const lengths = new Map<string, number>();
    for (const file of dirs.flatMap(sources)) {
        const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
        const visit = (node: ts.Node) => {
            if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
                const fn = node as ts.FunctionLikeDeclaration;
                const first = source.getLineAndCharacterOfPosition(fn.getStart(source)).line;
                const last = source.getLineAndCharacterOfPosition(fn.getEnd()).line;
                const key = `${file.split(path.sep).join("/")} ${functionName(fn, source)}`;
                lengths.set(key, Math.max(lengths.get(key) ?? 0, last - first + 1));
            }
            ts.forEachChild(node, visit);
        };
        visit(source);
    }
    return lengths;
}

describe("layers", () => {
    it("rules/ depends on nothing: no package, nothing outside rules/", () => {
        expect(offending(["rules"], (t) => !t.startsWith("rules/") && t !== "rules")).to.deep.equal([]);
    });

    it("policy/ imports nothing from components/, stacks/ or plan/ (shared rules come from rules/)", () => {
        expect(offending(["policy"], (t) => /^(components|stacks|plan)(\/|$)/.test(t))).to.deep.equal([]);
    });

    it("the plan's engine (plan/engine) runs any program: it imports no Runway component, program or pack and knows no runway: key", () => {
        expect(
            offending(["plan/engine"], (t) => /^(components|stacks|policy|bootstrap)(\/|$)/.test(t) || /^plan\/(?!engine)/.test(t)),
        ).to.deep.equal([]);
        const keyed = sources("plan/engine").filter((f) => /["'`]runway:/.test(fs.readFileSync(path.join(ROOT, f), "utf8")));
        expect(keyed).to.deep.equal([]);
    });

    it("only the tier profile compares tier names", () => {
        const comparison =
            /(===|!==)\s*["'](solo|staging|production)["']|["'](solo|staging|production)["']\s*(===|!==)|case\s+["'](solo|staging|production)["']/;
        const found = linesMatching(
            ["components", "stacks", "plan", "policy", "rules", "bootstrap"],
            comparison,
            path.join("rules", "profile.ts"),
        );
        expect(found).to.deep.equal([]);
    });

    it("the tier table is read only in rules/ and the one resolver (stacks/config.ts): everything else takes resolved values or asks a rules function", () => {
        const found = linesMatching(
            ["components", "stacks", "plan", "policy", "bootstrap"],
            /\bTIER_PROFILES\b/,
            path.join("stacks", "config.ts"),
        );
        expect(
            found,
            "read the spec (stacks/), take an explicit argument, or use componentProfile / profileFor / tiersWhere",
        ).to.deep.equal([]);
    });

    it('no `?? "<tier>"` default outside rules/: an unset tier argument is filled by rules/profile.ts (componentTier / componentProfile)', () => {
        const defaulted = /(\?\?|\|\|)\s*["'`](solo|staging|production)["'`]/;
        const found = linesMatching(["components", "stacks", "plan", "policy", "bootstrap", "scripts"], defaulted, "");
        expect(found).to.deep.equal([]);
    });

    it(`functions read as outlines: none over ${MAX_FUNCTION_LINES} lines in ${OUTLINED.join(", ")}/ (the allow-list only shrinks)`, () => {
        const lengths = functionLengths(OUTLINED);
        const tooLong = [...lengths].filter(([key, lines]) => lines > (LONG_FUNCTIONS[key] ?? MAX_FUNCTION_LINES));
        expect(
            tooLong.map(([key, lines]) => `${key}: ${lines} lines`),
            "split it into named steps (allowed: the LONG_FUNCTIONS length, else 80)",
        ).to.deep.equal([]);
        const fits = Object.keys(LONG_FUNCTIONS).filter((key) => (lengths.get(key) ?? 0) <= MAX_FUNCTION_LINES);
        expect(fits, "now fits (or is gone): remove it from LONG_FUNCTIONS").to.deep.equal([]);
    });

    it("defaults are written once: stacks/ takes a runway: key's default from its declaration (keys.ts), never `?? <literal>` after reading it", () => {
        const readThenDefault = /\br\.(text|int|bool|list|key|get)\("[^"]+"[^)]*\)\s*\?\?/;
        const found = linesMatching(["stacks"], readThenDefault, path.join("stacks", "keys.ts"));
        expect(found, "read it with r.valueOr(key): the declaration's default").to.deep.equal([]);
    });

    it("the function-length measure counts a long function, and names constructors and methods by their class", () => {
        const body = Array.from({ length: 85 }, (_, i) => `        const v${i} = ${i};`).join("\n");
        const text = `class Big {\n    constructor() {\n${body}\n    }\n    small(): void {}\n}\nfunction tiny() {}\n`;
        const source = ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, true);
        const found: string[] = [];
        const visit = (node: ts.Node) => {
            if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body)
                found.push(functionName(node as ts.FunctionLikeDeclaration, source));
            ts.forEachChild(node, visit);
        };
        visit(source);
        expect(found).to.deep.equal(["Big.constructor", "Big.small", "tiny"]);
    });

    it("the one input-error type needs no SDK, yet the Pulumi CLI treats it as a RunError (printed without a stack trace)", () => {
        const err = new RunwayInputError("Invalid", [{ key: "runway:tier", value: "prod", allowed: "one of solo, staging, production" }]);
        expect(pulumi.RunError.isInstance(err)).to.equal(true);
        expect(RunwayInputError.isInstance(err)).to.equal(true);
        expect(err.message).to.equal('Invalid: 1 problem\n  - runway:tier = "prod": one of solo, staging, production');
    });
});
