/**
 * How the plan starts: `npm run plan` compiles Runway's TypeScript with SWC directly (scripts/register-ts.js)
 * and every entry defers the SDK's closure serializer (plan/engine/lazySdk.ts). Both only make it start
 * sooner: these tests hold them to doing exactly what they replace.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./helpers/plans";

const { SWC_OPTIONS } = require("../scripts/register-ts") as { SWC_OPTIONS: object };

/** Every TypeScript source `npm run plan` may compile (the program, the library, the plan, the pack). */
function sources(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(p);
        }
    };
    for (const dir of ["stacks", "components", "rules", "plan", "policy"]) walk(path.join(ROOT, dir));
    return out;
}

describe("how the plan starts", function () {
    this.timeout(60_000);

    it("npm run plan compiles each source exactly as ts-node's SWC mode does under tsconfig.json", () => {
        const swc = require("@swc/core");
        const tsNode = require("ts-node").create({ transpileOnly: true, swc: true, project: path.join(ROOT, "tsconfig.json") });
        const strip = (code: string) => code.replace(/\n\/\/# sourceMappingURL=.*$/s, "").trimEnd();
        const files = sources();
        expect(files.length).to.be.above(50);
        for (const file of files) {
            const code = fs.readFileSync(file, "utf8");
            expect(strip(swc.transformSync(code, { ...SWC_OPTIONS, filename: file }).code), path.relative(ROOT, file)).to.equal(
                strip(tsNode.compile(code, file)),
            );
        }
    });

    it("the SDK loads without TypeScript and Arborist; serializing a function loads TypeScript and works", () => {
        // Arborist loads when a CallbackFunction's packages are collected: the corpus plans one in-process (.mocharc.json defers too).
        const probe = [
            'require("./plan/engine/lazySdk.ts");',
            "const loaded = (name) => Object.keys(require.cache).some((f) => f.includes(`/node_modules/${name}/`));",
            'const pulumi = require("@pulumi/pulumi");',
            'const before = { typescript: loaded("typescript"), arborist: loaded("@npmcli/arborist") };',
            "const answer = 42;",
            "pulumi.runtime.serializeFunction(() => answer).then((s) => {",
            '  console.log(JSON.stringify({ before, after: { typescript: loaded("typescript"), arborist: loaded("@npmcli/arborist") }, captured: s.text.includes("42") }));',
            "});",
        ].join("\n");
        // (--no-warnings: serializing a function makes the SDK require every built-in module, sys and wasi among them)
        const run = spawnSync(process.execPath, ["--no-warnings", "-r", "./scripts/register-ts.js", "-e", probe], {
            cwd: ROOT,
            encoding: "utf8",
        });
        expect(run.stderr).to.equal("");
        const result = JSON.parse(run.stdout);
        expect(result.before).to.deep.equal({ typescript: false, arborist: false });
        expect(result.after.typescript).to.equal(true);
        expect(result.captured).to.equal(true);
    });
});
