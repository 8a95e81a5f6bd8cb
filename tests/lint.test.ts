/**
 * Issue #15: the formatter and the linter (Biome, biome.json) run with the suite. One fast native
 * tool (about half a second for the tree); a failure prints what to change, and
 * `npx biome check --write .` applies the safe fixes.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

describe("formatting and lint (Biome)", () => {
    it("the tree passes `biome check` (format and lint) with no error and no warning", function () {
        this.timeout(60_000);
        const biome = require.resolve("@biomejs/biome/bin/biome");
        const run = spawnSync(process.execPath, [biome, "check", "--error-on-warnings", "--colors=off", "."], {
            cwd: ROOT,
            encoding: "utf8",
        });
        expect(run.status, `${run.stdout}\n${run.stderr}`).to.equal(0);
    });
});
