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
 * The files that take longest (measured 2026-12-06 04:00 in the suite, Node 24, average of 3 runs on
 * the shared machine under load 7-10, so about 1.7 times a quiet machine's figures: CPU seconds of the
 * worker plus the processes it waits for), started first: package 63, github 18, readme 11.5,
 * key-effects 6.5, release 5.5, aws 4.8, kubernetes 3.5, program-host 3.4, accuracy 3.0,
 * gcp-direct-vpc 2.9, keyed-children 2.8, corpus 2.6, prices 2.5; every other file under 2.4.
 */
const LONGEST = [
    "package",
    "github",
    "readme",
    "key-effects",
    "release",
    "aws",
    "kubernetes",
    "program-host",
    "accuracy",
    "gcp-direct-vpc",
    "keyed-children",
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
    // ts-node transpiles the test files through SWC (the @swc/core the plan already depends on): the same
    // transpile-only output for ~7-9 CPU seconds less per suite (2 paired runs). TS_NODE_SWC=false restores TypeScript's emitter.
    const env = { TS_NODE_SWC: "true", ...process.env };
    const mocha = spawn(process.execPath, [require.resolve("mocha/bin/mocha.js"), ...files, ...args], { stdio: "inherit", env });
    mocha.on("close", (code) => process.exit(code ?? 1));
}

module.exports = { LONGEST, testFiles };
