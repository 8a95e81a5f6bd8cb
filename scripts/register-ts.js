// Compiles Runway's own TypeScript on require for `npm run plan` and `npm run bench` with SWC, using
// the options ts-node's SWC mode derives from tsconfig.json (ES2022, CommonJS, esModuleInterop,
// class fields defined), without loading ts-node and TypeScript (about 0.5 s of every plan). No
// type-check: that is the suite's. Falls back to ts-node when @swc/core (optional) is missing.
"use strict";
const fs = require("fs");
const path = require("path");

const TSCONFIG = path.join(__dirname, "..", "tsconfig.json");
const SWC_OPTIONS = {
    sourceMaps: true,
    module: { type: "commonjs", noInterop: false, strictMode: true, ignoreDynamic: false },
    swcrc: false,
    jsc: {
        parser: { syntax: "typescript", tsx: false, dynamicImport: true },
        target: "es2022",
        transform: { legacyDecorator: true, useDefineForClassFields: true },
        keepClassNames: true,
    },
};
/** Read by plan/engine: files under this tsconfig are compiled here, as they would be by ts-node. */
const INSTANCE = Symbol.for("runway.register-ts.instance");

function register() {
    if (process[INSTANCE] || process[Symbol.for("ts-node.register.instance")]) return;
    let swc;
    try {
        swc = require("@swc/core");
    } catch {
        require("ts-node").register({ transpileOnly: true, project: TSCONFIG });
        return;
    }
    const maps = new Map();
    let mapped = false;
    const previous = require.extensions[".ts"];
    require.extensions[".ts"] = (module, file) => {
        if (file.includes(`${path.sep}node_modules${path.sep}`)) return (previous ?? require.extensions[".js"])(module, file);
        const { code, map } = swc.transformSync(fs.readFileSync(file, "utf8"), { ...SWC_OPTIONS, filename: file });
        maps.set(file, map);
        if (!mapped) {
            // Stack traces name TypeScript lines, as under ts-node (the plan formats them only with --verbose).
            mapped = true;
            require("source-map-support").install({
                environment: "node",
                retrieveSourceMap: (f) => (maps.has(f) ? { url: f, map: maps.get(f) } : null),
            });
        }
        module._compile(code, file);
    };
    process[INSTANCE] = { config: { options: { configFilePath: TSCONFIG } } };
}

register();
module.exports = { SWC_OPTIONS, TSCONFIG };
