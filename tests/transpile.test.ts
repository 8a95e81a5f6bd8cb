import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan } from "../plan";
import { cliCompilerOptions, parseJsonc, swcOptions, tdzSafeExports, transpilerFor } from "../plan/engine/transpile";
import { writeFiles } from "./helpers/consumer";
import { ROOT } from "./helpers/plans";

/**
 * A program that previews under the Pulumi CLI (TypeScript's transpiler through ts-node): an enum,
 * and two modules that import each other, one reading the other's class while that module is
 * still loading (TypeScript's CommonJS gives `undefined` there; a getter over the class binding
 * throws "Cannot access 'Base' before initialization").
 */
const PROGRAM: Record<string, string> = {
    "Pulumi.yaml": "name: circular\nruntime: nodejs\n",
    "Pulumi.dev.yaml": "config: {}\n",
    "package.json": JSON.stringify({ name: "circular", main: "index.ts" }),
    "a.ts": [
        'import { helper } from "./b";',
        'export enum Tier { Solo = "solo", Production = "production" }',
        'export class Base { kind = "base"; }',
        "export const fromB = helper();",
    ].join("\n"),
    "b.ts": [
        'import * as a from "./a";',
        'import { Base } from "./a";',
        "export const seenWhileLoading = typeof Base;",
        "export function helper(): string { return `${a.Tier.Solo}:${new Base().kind}`; }",
    ].join("\n"),
    "index.ts": [
        'import * as pulumi from "@pulumi/pulumi";',
        'import { Tier, fromB } from "./a";',
        'import { seenWhileLoading } from "./b";',
        "const tier: Tier = Tier.Production;",
        'const component = new pulumi.ComponentResource("demo:index:Tier", `svc-${tier}`);',
        "export const name = component.urn.apply((u) => u.split('::').pop());",
        "export const loaded = fromB;",
        "export const early = seenWhileLoading;",
    ].join("\n"),
};

/** The program in a folder outside the repository (nothing of Runway's resolves from it) with only the SDK linked in. */
function programOutside(withTypeScript: boolean): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-transpile-"));
    writeFiles(dir, PROGRAM);
    fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules", "@pulumi", "pulumi"), path.join(dir, "node_modules", "@pulumi", "pulumi"), "dir");
    if (withTypeScript) fs.symlinkSync(path.join(ROOT, "node_modules", "typescript"), path.join(dir, "node_modules", "typescript"), "dir");
    return dir;
}

describe("TypeScript programs compile as the Pulumi CLI compiles them", function () {
    this.timeout(60000);
    const dirs: string[] = [];
    after(() => {
        for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    for (const [label, withTypeScript, transpiler] of [
        ["with the project's typescript", true, /^typescript \d/],
        ["without typescript (SWC, this package's dependency)", false, /^swc \d/],
    ] as const) {
        it(`a circular import read early and an enum plan ${label}`, async () => {
            const dir = programOutside(withTypeScript);
            dirs.push(dir);
            expect(transpilerFor(dir).name).to.match(transpiler);
            const { document } = await plan({ cwd: dir, stack: "dev" });
            expect(document.outputs).to.deep.equal({ name: "svc-production", loaded: "solo:base", early: "undefined" });
        });
    }

    it('an ES module program ("type": "module", `./lib.js` for lib.ts, top-level await) plans without typescript', async () => {
        const dir = programOutside(false);
        dirs.push(dir);
        writeFiles(dir, {
            "package.json": JSON.stringify({ name: "esm", type: "module", main: "index.ts" }),
            "lib.ts": 'export enum Size { Small = "s" }\nexport const ready: Promise<string> = Promise.resolve("ok");\n',
            "index.ts": [
                'import * as pulumi from "@pulumi/pulumi";',
                'import { Size, ready } from "./lib.js";',
                "const r: string = await ready;",
                'new pulumi.ComponentResource("demo:index:Size", `size-${Size.Small}`);',
                "export const status = r;",
            ].join("\n"),
        });
        const { document } = await plan({ cwd: dir, stack: "dev" });
        expect(document.outputs).to.deep.equal({ status: "ok" });
        expect(document.resources.map((r) => r.name)).to.include("size-s");
    });

    it("a syntax error names the file and line (TypeScript) or the file (SWC)", () => {
        for (const withTypeScript of [true, false]) {
            const dir = programOutside(withTypeScript);
            dirs.push(dir);
            const file = path.join(dir, "bad.ts");
            expect(() => transpilerFor(dir).compile("const x = ;\n", file, "commonjs")).to.throw(
                withTypeScript ? `${file}:1:11` : `${file}:`,
            );
        }
    });
});

describe("transpiler options", () => {
    it("are the CLI's defaults under the project's own compilerOptions", () => {
        expect(cliCompilerOptions("5.9.3", "commonjs", {})).to.deep.equal({
            target: "ES2020",
            module: "nodenext",
            moduleResolution: "nodenext",
        });
        expect(cliCompilerOptions("4.6.4", "commonjs", { target: "ES2022" })).to.deep.equal({
            target: "ES2022",
            module: "commonjs",
            moduleResolution: "node",
        });
        expect(cliCompilerOptions("5.9.3", "esm", {})).to.deep.equal({
            target: "ES2022",
            module: "nodenext",
            moduleResolution: "nodenext",
        });
    });

    it("map to SWC: target, decorators, class fields and import interop as TypeScript would", () => {
        const cjs = swcOptions("/p/index.ts", "commonjs", { target: "ES2020", module: "commonjs", experimentalDecorators: true }) as any;
        expect(cjs.jsc.target).to.equal("es2020");
        expect(cjs.jsc.transform).to.deep.equal({ legacyDecorator: true, decoratorMetadata: false, useDefineForClassFields: false });
        expect(cjs.module).to.deep.equal({ type: "commonjs", importInterop: "none", ignoreDynamic: true });
        const esm = swcOptions("/p/index.mts", "esm", { target: "ES2022", module: "nodenext" }) as any;
        expect(esm.module).to.deep.equal({ type: "es6" });
        expect(esm.jsc.transform.useDefineForClassFields).to.equal(true);
        expect((swcOptions("/p/a.tsx", "commonjs", { esModuleInterop: true }) as any).jsc.parser.tsx).to.equal(true);
    });

    it("read tsconfig.json with comments and trailing commas, strings kept whole", () => {
        expect(parseJsonc('{\n  // a comment\n  "a": "http://x/*y*/",\n  /* b */ "b": [1, 2,],\n}')).to.deep.equal({
            a: "http://x/*y*/",
            b: [1, 2],
        });
    });

    it("make SWC's export getters read undefined, not throw, before the binding exists", () => {
        const code = tdzSafeExports(
            "_export(exports, {\n    get Base () {\n        return Base;\n    }\n});\nconst seen = exports.Base;\nclass Base {}",
        );
        const exports: Record<string, unknown> = {};
        const run = new Function("exports", "_export", `${code}\nreturn seen;`);
        const define = (target: object, all: object) => {
            for (const name in all)
                Object.defineProperty(target, name, { enumerable: true, get: Object.getOwnPropertyDescriptor(all, name)!.get });
        };
        expect(run(exports, define)).to.equal(undefined);
        expect(exports.Base).to.be.a("function");
    });
});
