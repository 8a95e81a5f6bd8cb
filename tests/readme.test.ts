import { expect } from "chai";
import * as fs from "fs";
import { README, renderReadme } from "../scripts/readme-figures";
import { planStack } from "./helpers/plans";

describe("README figures", function () {
    this.timeout(120000);

    it("equal what the plans print (npm run readme rewrites the generated blocks)", async () => {
        const text = fs.readFileSync(README, "utf8");
        expect(text, "README has generated blocks").to.match(/<!-- generated:gcp-cost-table -->/);
        const expected = await renderReadme(text, (stack, config = {}) => planStack(stack, config));
        expect(text === expected, "README.md figures differ from the plans: run `npm run readme`").to.equal(true);
    });

    it("refuses a block nobody generates", async () => {
        let message = "";
        await renderReadme("<!-- generated:nope --><!-- /generated:nope -->", () => Promise.reject(new Error("not called"))).catch((err: Error) => (message = err.message));
        expect(message).to.match(/"nope" has no generator/);
    });
});
