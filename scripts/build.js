// npm run build: compiles the library (components/) and the policy pack (policy/) to dist/, then
// makes dist/policy a runnable pack (PulumiPolicy.yaml + package.json pointing at index.js).
// `build({ alongside: "tsconfig.json" })` is what the package test calls, in its own process: the
// build and the strict type-check of every file are one program (scripts/typescript.js compileWithin).
"use strict";
const fs = require("fs");
const path = require("path");
const { compile, compileWithin } = require("./typescript");

const root = path.join(__dirname, "..");

/**
 * Builds dist/; throws with tsc's diagnostics when the sources do not compile. With `alongside` (a
 * tsconfig.json whose files include the build's), also type-checks that project in the same program
 * and returns its diagnostics, as `tsc --noEmit -p` prints them ("" when there is none).
 */
function build({ alongside } = {}) {
    fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
    const buildConfig = path.join(root, "tsconfig.build.json");
    const result = alongside ? compileWithin(buildConfig, alongside) : { build: compile(buildConfig), check: undefined };
    if (result.build !== "") throw new Error(`npm run build: the sources do not compile:\n${result.build}`);
    const pack = JSON.parse(fs.readFileSync(path.join(root, "policy", "package.json"), "utf8"));
    // The price table is data read at run time (rules/cost/prices.ts), not compiled.
    fs.copyFileSync(
        path.join(root, "rules", "cost", "prices.generated.json"),
        path.join(root, "dist", "rules", "cost", "prices.generated.json"),
    );
    // The deploy workflows' release scripts are read when a workflow is generated (components/github/release.ts).
    fs.cpSync(path.join(root, "components", "github", "shell"), path.join(root, "dist", "components", "github", "shell"), {
        recursive: true,
    });
    fs.copyFileSync(path.join(root, "policy", "PulumiPolicy.yaml"), path.join(root, "dist", "policy", "PulumiPolicy.yaml"));
    fs.copyFileSync(path.join(root, "policy", "README.md"), path.join(root, "dist", "policy", "README.md"));
    fs.writeFileSync(path.join(root, "dist", "policy", "package.json"), `${JSON.stringify({ ...pack, main: "index.js" }, null, 2)}\n`);
    return result.check;
}

if (require.main === module) {
    try {
        build();
    } catch (err) {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
    }
}

module.exports = { build };
