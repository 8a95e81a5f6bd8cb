import { expect } from "chai";
import * as path from "path";
import { OFFLINE_NOTICE } from "../plan";
import { ROOT, cli } from "./helpers/plans";

describe("plan CLI", function () {
    this.timeout(60000);

    it("prints the tree with the offline notice and exits 0", () => {
        const { code, stdout } = cli("--stack", "solo");
        expect(code).to.equal(0);
        expect(stdout).to.include(OFFLINE_NOTICE);
        expect(stdout).to.match(/\+ gcp:cloudrunv2\/service:Service {2}app-service {2}\(instances 0-25/);
        expect(stdout).to.match(/Resources: 49 to create/);
        expect(stdout).to.match(/9 policies: 9 passed, 0 mandatory violations/);
    });

    it("prints the stable JSON document with --json", () => {
        const { code, stdout } = cli("--stack", "staging", "--json");
        expect(code).to.equal(0);
        const doc = JSON.parse(stdout);
        expect(Object.keys(doc)).to.deep.equal(["project", "stack", "config", "resources", "outputs", "policyPack", "policies", "cost", "deployability"]);
        expect(Object.keys(doc.cost)).to.deep.equal(["currency", "idleMonthly", "usageMonthly", "freeTierMonthly", "lines", "assumptions", "unpriced", "noDirectCost"]);
        expect(Object.keys(doc.cost.lines[0])).to.deep.equal(["urn", "type", "dimension", "quantity", "unit", "unitPrice", "monthly", "confidence", "source"]);
        expect(Object.keys(doc.resources[1])).to.include.members(["urn", "type", "name", "parent", "custom", "dependencies", "propertyDependencies", "protect", "ignoreChanges", "retainOnDelete", "inputs", "secretInputs"]);
        expect(doc.outputs.serviceUrl).to.match(/^https:\/\//);
    });

    it("exits 2 with the problems and no stack trace on bad config", () => {
        const { code, stderr, stdout } = cli("--stack", "solo", "--config", "runway:tier=prod", "--config", "runway:cpu=0.5");
        expect(code).to.equal(2);
        expect(stdout).to.equal("");
        expect(stderr).to.include('runway:tier = "prod": one of solo, staging, production');
        expect(stderr).to.include("runway:concurrency = 80");
        expect(stderr).not.to.match(/\n\s+at /);
    });

    it("exits 2 on usage mistakes", () => {
        expect(cli().code).to.equal(2);
        expect(cli("--stack", "solo", "--config", "novalue").stderr).to.match(/expected key=value/);
        expect(cli("--stack", "solo", "--bogus").code).to.equal(2);
    });
});

describe("plan CLI on a failing program", function () {
    this.timeout(60000);

    it("exits 2 naming the program error, with the stack trace only under --verbose", () => {
        const cwd = path.join(ROOT, "tests", "fixtures", "broken-project");
        const quiet = cli("--stack", "dev", "--cwd", cwd);
        expect(quiet.code).to.equal(2);
        expect(quiet.stderr).to.match(/program error: .*undefinedFunction is not defined/);
        expect(quiet.stderr).not.to.match(/\n\s+at /);
        const verbose = cli("--stack", "dev", "--cwd", cwd, "--verbose");
        expect(verbose.code).to.equal(2);
        expect(verbose.stderr).to.match(/\n\s+at .*index\.js/);
    });
});
