// npm run build: compiles the library (components/) and the policy pack (policy/) to dist/, then
// makes dist/policy a runnable pack (PulumiPolicy.yaml + package.json pointing at index.js).
// `build()` is also what the package test calls, in its own process, so the build shares parsed
// declarations with the strict type-check (scripts/typescript.js).
"use strict";
const fs = require("fs");
const path = require("path");
const { compile } = require("./typescript");

const root = path.join(__dirname, "..");

/** Builds dist/; throws with tsc's diagnostics when the sources do not compile. */
function build() {
    fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
    const errors = compile(path.join(root, "tsconfig.build.json"));
    if (errors !== "") throw new Error(`npm run build: the sources do not compile:\n${errors}`);
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
