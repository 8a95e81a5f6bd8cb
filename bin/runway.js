#!/usr/bin/env node
// `npx runway plan --stack <name> …`: Runway's offline plan as compiled JavaScript (dist/plan).
// `runway plan --help` lists every flag, the exit codes and examples.
"use strict";
require("../dist/plan/engine/lazySdk.js");
require("../dist/plan/cli.js").main();
