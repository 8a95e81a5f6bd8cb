#!/usr/bin/env node
// `npx runway-iac plan --stack <name> …`: Runway's offline plan as compiled JavaScript (dist/plan);
// `npx runway-iac init`: sets up an app repository (or an empty folder) to run Runway's program (dist/init).
// `runway-iac plan --help` and `runway-iac init --help` list every flag and the exit codes;
// `runway-iac --version` prints the installed version.
"use strict";

/** A package this command needs that is not installed: say which and how to install it (exit 2, no stack trace). */
function missingPackage(err) {
    const specifier = /Cannot find (?:module|package) '([^']+)'/.exec(err?.message)?.[1];
    if (err?.code !== "MODULE_NOT_FOUND" || !specifier || /^[./]/.test(specifier)) return undefined;
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

try {
    if (process.argv[2] === "--version" || process.argv[2] === "version") {
        process.stdout.write(`${require("../package.json").version}\n`);
        process.exit(0);
    }
    if (process.argv[2] === "init") require("../dist/init/cli.js").main();
    else {
        require("../dist/plan/engine/lazySdk.js");
        require("../dist/plan/cli.js").main();
    }
} catch (err) {
    const name = missingPackage(err);
    if (!name) throw err;
    process.stderr.write(
        `runway-iac needs ${name}, which is not installed: run \`npm install ${name}\` in the project that installed runway-iac.\n`,
    );
    process.exit(2);
}
