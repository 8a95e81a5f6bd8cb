/**
 * npm run pulumi-yaml: writes Pulumi.yaml from stacks/keys.ts, the one list of config keys
 * (stacks/projectFile.ts, which `runway-iac init` also writes). A test fails when the two differ.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { runwayProject } from "../stacks/projectFile";

// One description for the package and the project (it names both clouds); package.json's main is
// the component library, the program is stacks/index.ts.
const description = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).description;
fs.writeFileSync(
    path.join(__dirname, "..", "Pulumi.yaml"),
    YAML.stringify(runwayProject(description, "stacks/index.ts"), { lineWidth: 0 }),
);
