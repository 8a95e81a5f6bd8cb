import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { rewriteReadme } from "../scripts/readme-figures";
import { ROOT } from "./helpers/plans";

describe("README figures", () => {
    it("equal what `npm run readme` would write from the repository", async () => {
        const text = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        expect(text, "README.md is stale: run npm run readme").to.equal(await rewriteReadme(text));
    });

    it("rewrites a block and refuses a block it has no generator for", async () => {
        expect(await rewriteReadme("holds <!-- generated:corpus-count -->1<!-- /generated:corpus-count --> programs"))
            .to.match(/^holds <!-- generated:corpus-count -->\d+<!-- \/generated:corpus-count --> programs$/);
        let error: unknown;
        await rewriteReadme("<!-- generated:nope -->x<!-- /generated:nope -->").catch((err) => (error = err));
        expect((error as Error).message).to.match(/no generator for block "nope"/);
    });
});
