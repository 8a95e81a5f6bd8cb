import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { renderReadme } from "../scripts/readme-figures";
import { ROOT, planStack } from "./helpers/plans";

describe("README figures", function () {
    this.timeout(120000);

    it("every generated block equals what `npm run readme` would write from the plans", async () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const fresh = await renderReadme(readme, (stack, config) => planStack(stack, config));
        expect(readme, "README.md is stale: run `npm run readme`").to.equal(fresh);
    });
});
