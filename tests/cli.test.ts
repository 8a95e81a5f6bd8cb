import { expect } from "chai";
import { spawn } from "child_process";
import * as path from "path";
import { OFFLINE_NOTICE } from "../plan";
import { FLAGS, forgottenDoubleDash, helpText, projectDirectory, shellDirectory } from "../plan/cli";
import { closestMatch, editDistance } from "../rules/suggest";
import { policies } from "../policy/policies";
import { ROOT, cli, cliIn } from "./helpers/plans";

const OTHER = path.join(ROOT, "tests", "fixtures", "other-project");

describe("plan CLI", function () {
    this.timeout(60000);

    it("prints the tree with the offline notice and exits 0", async () => {
        const { code, stdout } = await cli("--stack", "solo");
        expect(code).to.equal(0);
        expect(stdout).to.include(OFFLINE_NOTICE);
        expect(stdout).to.match(/\+ gcp:cloudrunv2\/service:Service {2}app-service {2}\(instances 0-25/);
        expect(stdout).to.match(/Resources: 53 to create/);
        expect(stdout).to.include(`${policies.length} policies: ${policies.length} passed, 0 mandatory violations`);
    });

    it("accepts the subcommand form of the packaged command (runway plan …)", async () => {
        const { code, stdout } = await cli("plan", "--stack", "solo");
        expect(code).to.equal(0);
        expect(stdout).to.equal((await cli("--stack", "solo")).stdout);
    });

    it("prints the stable JSON document with --json", async () => {
        const { code, stdout } = await cli("--stack", "staging", "--json");
        expect(code).to.equal(0);
        const doc = JSON.parse(stdout);
        expect(Object.keys(doc)).to.deep.equal([
            "project",
            "stack",
            "config",
            "resources",
            "outputs",
            "policyPack",
            "policies",
            "cost",
            "deployability",
            "lookups",
            "notExpanded",
        ]);
        expect(Object.keys(doc.cost)).to.deep.equal([
            "currency",
            "idleMonthly",
            "usageMonthly",
            "freeTierMonthly",
            "lines",
            "assumptions",
            "unpriced",
            "noDirectCost",
            "unpricedResources",
            "bound",
        ]);
        expect(Object.keys(doc.cost.lines[0])).to.deep.equal([
            "urn",
            "type",
            "dimension",
            "quantity",
            "unit",
            "unitPrice",
            "monthly",
            "confidence",
            "source",
        ]);
        expect(Object.keys(doc.resources[1])).to.include.members([
            "urn",
            "type",
            "name",
            "parent",
            "custom",
            "dependencies",
            "propertyDependencies",
            "protect",
            "ignoreChanges",
            "retainOnDelete",
            "inputs",
            "secretInputs",
        ]);
        expect(doc.outputs.serviceUrl).to.match(/^https:\/\//);
    });

    it("exits 2 with the problems and no stack trace on bad config", async () => {
        const { code, stderr, stdout } = await cli("--stack", "solo", "--config", "runway:tier=prod", "--config", "runway:cpu=0.5");
        expect(code).to.equal(2);
        expect(stdout).to.equal("");
        expect(stderr).to.include('runway:tier = "prod": one of solo, staging, production');
        expect(stderr).to.include("runway:concurrency = 80");
        expect(stderr).not.to.match(/\n\s+at /);
    });

    it("names the tier only when the stack asked for a valid one", async () => {
        const bogus = await cli("--stack", "production", "--config", "runway:tier=bogus");
        expect(bogus.code).to.equal(2);
        expect(bogus.stderr)
            .to.match(/^Invalid Runway configuration: 1 problem/)
            .and.not.include("for tier solo");
        const valid = await cli("--stack", "production", "--config", "runway:minInstances=5", "--config", "runway:maxInstances=2");
        expect(valid.stderr).to.match(/^Invalid Runway configuration for tier production:/);
    });

    it("refuses a config key named __proto__ like any unknown key, instead of dropping it", async () => {
        const { code, stderr } = await cli("--stack", "solo", "--config", "__proto__=x");
        expect(code).to.equal(2);
        expect(stderr).to.include('runway:__proto__ = "x": not a Runway key');
    });

    it("suggests the key meant by a mistyped config key", async () => {
        const { code, stderr } = await cli("--stack", "solo", "--config", "runway:minInstance=1");
        expect(code).to.equal(2);
        expect(stderr).to.include('runway:minInstance = "1": not a Runway key (did you mean runway:minInstances?)');
    });

    it("exits 2 on usage mistakes, suggesting the flag meant", async () => {
        expect((await cli()).code).to.equal(2);
        expect((await cli()).stderr).to.match(/^--stack is required\nRun with --help/);
        expect((await cli("--stack", "solo", "--config", "novalue")).stderr).to.match(/expected key=value/);
        const typo = await cli("--stak", "solo");
        expect(typo.code).to.equal(2);
        expect(typo.stderr).to.match(/^unknown flag --stak \(did you mean --stack\?\)/);
        expect((await cli("--stack", "solo", "--markdwn")).stderr).to.include("did you mean --markdown?");
        expect((await cli("--stack", "solo", "--bogus")).stderr).to.match(/^Unknown option '--bogus'/);
        expect((await cli("--stack", "solo", "--json", "--markdown")).stderr).to.match(/choose one output format/);
        const header = await cli("--stack", "solo", "--comment-header", "runway-preview-solo");
        expect([header.code, header.stderr]).to.deep.equal([
            2,
            "--comment-header sizes the --markdown comment: add --markdown\nRun with --help for every flag.\n",
        ]);
        for (const bad of ["a-->b", "two\nlines", "h".repeat(257)])
            expect((await cli("--stack", "solo", "--markdown", "--comment-header", bad)).stderr, bad).to.match(
                /^--comment-header ".*": the sticky step's header, one line of at most 256 characters without "-->"/,
            );
    });

    it("tells a user who forgot `--` after npm run that npm took the flags", async () => {
        // `npm run plan --stack solo` runs the script with argv ["solo"] and npm_config_stack=true.
        const npmEnv = { npm_lifecycle_event: "plan", npm_config_stack: "true" };
        const { code, stderr } = await cliIn(ROOT, npmEnv, "solo");
        expect(code).to.equal(2);
        expect(stderr).to.include(
            'unexpected argument "solo" (--stack: npm took it for itself: put `--` before the plan\'s flags, e.g. npm run -s plan -- --stack solo)',
        );
        expect(forgottenDoubleDash({ npm_lifecycle_event: "plan", npm_config_json: "true", npm_config_policy_config: "x" })).to.match(
            /^--policy-config, --json: npm took/,
        );
        expect(forgottenDoubleDash({ npm_config_stack: "true" }), "outside npm run").to.equal(undefined);
    });

    it("--help lists every flag, the exit codes and two examples", async () => {
        const { code, stdout } = await cli("--help");
        expect(code).to.equal(0);
        expect(stdout).to.equal(helpText());
        for (const f of FLAGS) expect(stdout, f.name).to.match(new RegExp(`${f.short ? `-${f.short}, ` : ""}--${f.name}\\b.*\\S`));
        for (const exit of ["0", "1", "2"]) expect(stdout).to.match(new RegExp(`^  ${exit}  \\w`, "m"));
        expect(stdout.split("Examples:\n")[1].trim().split("\n")).to.have.length(2);
    });

    it("--secret key=value is a secret like `pulumi config set --secret`: planned, never printed", async () => {
        const url = "postgres://app:s3cr3t-pw@db.example.com/app";
        const { code, stdout, stderr } = await cli(
            "--stack",
            "solo",
            "--config",
            "runway:database=external",
            "--secret",
            `runway:databaseUrl=${url}`,
            "--json",
        );
        // Only the example stack's placeholder advisory: nothing else, and never the secret.
        expect(stderr.split("\n")[0]).to.match(/^warning: \d+ placeholder values from an example stack file/);
        expect(stderr).not.to.include("s3cr3t-pw").and.not.include("databaseUrl");
        expect(code).to.equal(0);
        expect(stdout).not.to.include("s3cr3t-pw");
        const doc = JSON.parse(stdout);
        expect(doc.config["runway:databaseUrl"]).to.equal("[secret]");
        const version = doc.resources.find(
            (r: { type: string; name: string }) =>
                r.type === "gcp:secretmanager/secretVersion:SecretVersion" && r.name === "secrets-database-url-version",
        );
        expect(version, "a Secret Manager version for DATABASE_URL").to.not.equal(undefined);
        expect(version.secretInputs).to.include("secretData");
        // The same key as plain --config is refused (it must be encrypted), naming the key only.
        const plain = await cli("--stack", "solo", "--config", "runway:database=external", "--config", `runway:databaseUrl=${url}`);
        expect(plain.code).to.equal(2);
        expect(plain.stderr).to.include("runway:databaseUrl").and.not.include("s3cr3t-pw");
        expect((await cli("--stack", "solo", "--secret", "runway:databaseUrl")).stderr).to.match(
            /^--secret \(value hidden\): expected key=value/,
        );
        expect((await cli("--stack", "solo", "--secret", "s3cr3t-pw")).stderr).not.to.include("s3cr3t-pw");
    });
});

describe("plan CLI --cwd and the shell's directory", function () {
    this.timeout(60000);

    it("resolves a relative --cwd from the shell's directory, not the repository root", async () => {
        const fromTests = await cliIn(path.join(ROOT, "tests"), {}, "--stack", "dev", "--cwd", "fixtures/other-project", "--json");
        expect(fromTests.stderr).not.to.match(/Pulumi\.yaml|--cwd/);
        expect(JSON.parse(fromTests.stdout).project).to.equal("other");
        expect(projectDirectory(path.join(ROOT, "tests"), "fixtures/other-project")).to.equal(OTHER);
    });

    it("takes the shell's directory from npm's INIT_CWD only while npm's package root is the working directory", () => {
        const npmRun = { INIT_CWD: path.join(ROOT, "tests"), npm_package_json: path.join(ROOT, "package.json") };
        expect(shellDirectory(ROOT, npmRun), "npm run plan from tests/").to.equal(path.join(ROOT, "tests"));
        expect(shellDirectory(OTHER, npmRun), "a process a script started elsewhere").to.equal(OTHER);
        expect(shellDirectory(OTHER, {}), "no npm").to.equal(OTHER);
    });

    it("without --cwd plans the nearest project from the shell's directory up", () => {
        expect(projectDirectory(path.join(OTHER))).to.equal(OTHER);
        expect(projectDirectory(path.join(ROOT, "plan"))).to.equal(ROOT);
    });

    it("a --cwd without Pulumi.yaml names the flag and the resolved directory", async () => {
        const { code, stderr } = await cliIn(path.join(ROOT, "tests"), {}, "--stack", "dev", "--cwd", "fixtures/nothing-here");
        expect(code).to.equal(2);
        expect(stderr).to.equal(
            `--cwd fixtures/nothing-here: no Pulumi.yaml in ${path.join(ROOT, "tests", "fixtures", "nothing-here")} (no such directory)\n`,
        );
    });
});

describe("plan CLI on a failing program", function () {
    this.timeout(60000);

    it("exits 2 naming the program error, with the stack trace only under --verbose", async () => {
        const cwd = path.join(ROOT, "tests", "fixtures", "broken-project");
        const quiet = await cli("--stack", "dev", "--cwd", cwd);
        expect(quiet.code).to.equal(2);
        expect(quiet.stderr).to.match(/program error: .*undefinedFunction is not defined/);
        expect(quiet.stderr).not.to.match(/\n\s+at /);
        const verbose = await cli("--stack", "dev", "--cwd", cwd, "--verbose");
        expect(verbose.code).to.equal(2);
        expect(verbose.stderr).to.match(/\n\s+at .*index\.js/);
    });
});

describe("plan CLI as a process whose reader stops reading", function () {
    this.timeout(60000);

    it("exits with the plan's own code when stdout and stderr are closed pipes (`2>&1 | head -1`), never 1", async () => {
        // One real process: only Node's own streams raise EPIPE. The program logs while it runs and
        // after, and the tree follows: each write meets a closed pipe.
        const child = spawn(
            process.execPath,
            [
                "scripts/plan.js",
                "--stack",
                "dev",
                "--cwd",
                path.join(ROOT, "tests", "fixtures", "unruly-program"),
                "-c",
                "unruly:mode=logs",
            ],
            { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
        );
        child.stdout.destroy();
        child.stderr.destroy();
        const code = await new Promise((resolve) => child.on("exit", (c) => resolve(c)));
        expect(code).to.equal(0);
    });
});

describe("did you mean", () => {
    it("counts edits, with a swap of neighbours as one", () => {
        expect(editDistance("stack", "stack")).to.equal(0);
        expect(editDistance("stak", "stack")).to.equal(1);
        expect(editDistance("satck", "stack")).to.equal(1);
        expect(editDistance("", "abc")).to.equal(3);
    });

    it("suggests only a close candidate, case-insensitively", () => {
        expect(closestMatch("jsno", ["json", "markdown"])).to.equal("json");
        expect(closestMatch("Stack", ["stack"])).to.equal("stack");
        expect(closestMatch("bogus", ["stack", "json", "cwd"])).to.equal(undefined);
        expect(closestMatch("ab", ["cd"]), "short words need a near-exact match").to.equal(undefined);
    });
});
