import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./helpers/plans";

const { LONGEST, testFiles } = require("../scripts/test") as { LONGEST: string[]; testFiles(): string[] };

describe("npm test (scripts/test.js)", () => {
    it("runs every test file once, the measured longest first", () => {
        const files = testFiles();
        const onDisk = fs
            .readdirSync(path.join(ROOT, "tests"))
            .filter((f) => f.endsWith(".test.ts"))
            .map((f) => path.join("tests", f));
        expect([...files].sort()).to.deep.equal(onDisk.sort());
        expect(files.slice(0, LONGEST.length)).to.deep.equal(LONGEST.map((name) => path.join("tests", `${name}.test.ts`)));
    });

    it("a test file named to mocha runs alone: .mocharc.json has no spec (mocha would add it to the files named)", () => {
        const rc = JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.json"), "utf8"));
        expect(rc).to.not.have.property("spec");
    });
});
