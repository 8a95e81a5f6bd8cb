// npm run build: compiles the library (components/) and the policy pack (policy/) to dist/, then
// makes dist/policy a runnable pack (PulumiPolicy.yaml + package.json pointing at index.js).
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
const pack = JSON.parse(fs.readFileSync(path.join(root, "policy", "package.json"), "utf8"));
fs.copyFileSync(path.join(root, "policy", "PulumiPolicy.yaml"), path.join(root, "dist", "policy", "PulumiPolicy.yaml"));
fs.copyFileSync(path.join(root, "policy", "README.md"), path.join(root, "dist", "policy", "README.md"));
fs.writeFileSync(path.join(root, "dist", "policy", "package.json"), JSON.stringify({ ...pack, main: "index.js" }, null, 2) + "\n");
