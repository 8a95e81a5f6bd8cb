/**
 * The strict type-check of the repository and of the policy pack, in-process on one TypeScript host
 * (scripts/typescript.js: the pack's check reuses the declarations the first one parsed). It runs
 * beside the package test (which builds on a host of its own) so that the two halves of the
 * TypeScript work share the two cores.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./helpers/plans";

const { typeCheck } = require("../scripts/typescript") as { typeCheck(tsconfig: string): string };

describe("the TypeScript sources", function () {
    this.timeout(420000); // a guard against a hang, not a speed check: a full type-check on a busy machine

    it("type-check under strict with no error (tsconfig.json, as `npm run typecheck`)", () => {
        expect(typeCheck(path.join(ROOT, "tsconfig.json"))).to.equal("");
    });

    it("the policy pack type-checks as `pulumi preview --policy-pack policy` compiles it (policy/tsconfig.json)", () => {
        // The CLI's runner (@pulumi/pulumi/cmd/run-policy-pack) loads policy/package.json's main through
        // ts-node with typeCheck on and the pack's own tsconfig.json over its defaults; that the pack then
        // serves is tested on its compiled copy (tests/package.test.ts: started from node_modules by that runner).
        const runner = fs.readFileSync(require.resolve("@pulumi/pulumi/cmd/run-policy-pack/run.js"), "utf8");
        expect(runner).to.match(/typeCheck: true,[\s\S]*?\.\.\.compilerOptions,/);
        expect(JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "package.json"), "utf8")).main).to.equal("index.ts");
        expect(typeCheck(path.join(ROOT, "policy", "tsconfig.json"))).to.equal("");
    });
});
