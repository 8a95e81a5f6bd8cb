// npm test: the strict type-check (`npm run typecheck`, incremental) and the mocha suite side by side,
// one on each core, then one verdict. The type-check's output is printed after the tests.
// Test files named on the command line replace the default spec (.mocharc.json has none: mocha
// would add its spec to the files named, so `npx mocha tests/x.test.ts` runs just that file).
"use strict";
const { spawn } = require("child_process");

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const exited = (child) => new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));

const args = process.argv.slice(2);
const spec = args.some((a) => /\.test\.ts$/.test(a)) ? [] : ["tests/**/*.test.ts"];
const tsc = spawn(npm, ["run", "-s", "typecheck"], { stdio: ["ignore", "pipe", "pipe"] });
let typeErrors = "";
tsc.stdout.on("data", (d) => (typeErrors += d));
tsc.stderr.on("data", (d) => (typeErrors += d));
const mocha = spawn(process.execPath, [require.resolve("mocha/bin/mocha.js"), ...spec, ...args], { stdio: "inherit" });

Promise.all([exited(tsc), exited(mocha)]).then(([tscCode, mochaCode]) => {
    process.stdout.write(tscCode === 0 ? "type-check: no errors\n" : `${typeErrors}type-check: failed\n`);
    process.exit(tscCode !== 0 ? tscCode : mochaCode);
});
