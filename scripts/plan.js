// npm run plan: the offline plan from the TypeScript sources, compiled on require by SWC
// (scripts/register-ts.js), with the SDK's closure serializer loaded only if a program needs it.
"use strict";
require("./register-ts");
require("../plan/engine/lazySdk.ts");
require("../plan/cli.ts").main();
