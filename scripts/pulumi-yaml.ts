/**
 * npm run pulumi-yaml: writes Pulumi.yaml from stacks/keys.ts, the one list of config keys.
 * A test fails when the two differ.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CONFIG_KEYS } from "../stacks/keys";

const config: Record<string, unknown> = {};
for (const key of CONFIG_KEYS) {
    config[key.name] = {
        type: key.type,
        ...(key.type === "array" ? { items: { type: "string" } } : {}),
        description: key.description,
        default: key.default,
    };
}
const project = {
    name: "runway",
    // One description for the package and the project (it names both clouds).
    description: JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).description,
    runtime: { name: "nodejs", options: { typescript: true, packagemanager: "npm" } },
    // package.json's main is the component library; the program is stacks/index.ts.
    main: "stacks/index.ts",
    // Every up/preview/destroy reads the live resources first: CI deploys images and moves traffic
    // between ups, and ignoreChanges only keeps what state holds (see docs/day-two.md, "Who changes what").
    options: { refresh: "always" },
    config,
};
fs.writeFileSync(path.join(__dirname, "..", "Pulumi.yaml"), YAML.stringify(project, { lineWidth: 0 }));
