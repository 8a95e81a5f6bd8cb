// npm test: the mocha suite on both cores (.mocharc.json), longest files first so that neither core
// idles at the end. The strict type-check runs inside it (tests/package.test.ts, sharing parsed
// declarations with the build and the consumer's check); `npm run typecheck` is the same check alone.
// Test files named on the command line replace the default list (.mocharc.json has no spec: mocha
// would add its spec to the files named, so `npx mocha tests/x.test.ts` runs just that file).
"use strict";
const fs = require("fs");
const path = require("path");
const { spawn } = require("child_process");

/**
 * The files that take longest (measured 2026-12-06 in the suite, Node 24: CPU seconds of the worker
 * plus the processes it waits for), started first: package 37, github 11, key-effects 5.6, release
 * 5.6, readme 4.7, edge 4.0, aws 2.5, gcp-direct-vpc 2.5, kubernetes 2.1, adoption 1.8, corpus 1.6,
 * prices 1.4; every other file under 1.2.
 */
const LONGEST = [
    "package",
    "github",
    "key-effects",
    "release",
    "readme",
    "edge",
    "aws",
    "gcp-direct-vpc",
    "kubernetes",
    "adoption",
    "corpus",
    "prices",
];

/** Every test file, the longest first, the rest in name order. */
function testFiles() {
    const rank = (f) => {
        const i = LONGEST.indexOf(f.replace(/\.test\.ts$/, ""));
        return i < 0 ? LONGEST.length : i;
    };
    const all = fs
        .readdirSync(path.join(__dirname, "..", "tests"))
        .filter((f) => f.endsWith(".test.ts"))
        .sort();
    return all.sort((a, b) => rank(a) - rank(b)).map((f) => path.join("tests", f));
}

if (require.main === module) {
    const args = process.argv.slice(2);
    const files = args.some((a) => /\.test\.ts$/.test(a)) ? [] : testFiles();
    const mocha = spawn(process.execPath, [require.resolve("mocha/bin/mocha.js"), ...files, ...args], { stdio: "inherit" });
    mocha.on("close", (code) => process.exit(code ?? 1));
}

module.exports = { LONGEST, testFiles };
