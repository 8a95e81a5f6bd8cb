import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { recordedBeforeFailure, runProject } from "../plan/engine";
import { loadProjectConfig } from "../plan/engine/project";
import { placeholdersIn } from "../rules/placeholders";
import { RunwayInputError } from "../rules/problems";
import { REPOSITORY_DIRECTORY, repositoryPath } from "../rules/repository";
import { ROOT, cli, planStack } from "./helpers/plans";

/** The files the stack commits to the app repository, by path. */
async function repositoryFiles(stack: string, config: Record<string, string>): Promise<Record<string, string>> {
    const { document } = await planStack(stack, config);
    return Object.fromEntries(
        document.resources
            .filter((r) => r.type === "github:index/repositoryFile:RepositoryFile")
            .map((r) => [String(r.inputs.file), String(r.inputs.content)]),
    );
}

describe("a Runway project in a folder of the app repository (runway:infraDirectory)", function () {
    this.timeout(60000);

    it("maps project-relative paths to repository paths, never out of the repository", () => {
        expect(repositoryPath("infra", "..")).to.equal(".");
        expect(repositoryPath("infra", "../app/Dockerfile")).to.equal("app/Dockerfile");
        expect(repositoryPath(".", "app")).to.equal("app");
        expect(repositoryPath("deploy/pulumi", "../../web/")).to.equal("web");
        expect(repositoryPath("infra", "../..")).to.equal(undefined);
        expect(repositoryPath(".", "/srv/app")).to.equal(undefined);
        for (const ok of [".", "infra", "deploy/pulumi", "a.b_c-1"]) expect(REPOSITORY_DIRECTORY.test(ok), ok).to.equal(true);
        for (const bad of ["", "/infra", "../infra", "infra/..", "infra/./x", "infra/", "a//b"])
            expect(REPOSITORY_DIRECTORY.test(bad), bad).to.equal(false);
    });

    it("the generated workflows run Pulumi and npm ci in the project's folder and build the app from the repository path", async () => {
        const files = await repositoryFiles("production", { "runway:infraDirectory": "infra" });
        const previewSteps = [".github/workflows/runway-preview.yml", ".github/workflows/runway-pulumi-preview.yml"].flatMap((file) =>
            Object.values<any>(parse(files[file]).jobs).flatMap((j) => j.steps ?? []),
        );
        const install = previewSteps.filter((s) => s.run === "npm ci");
        expect(install.length).to.be.greaterThan(0);
        for (const step of install) expect(step["working-directory"]).to.equal("infra");
        const setups = previewSteps.filter((s) => s.with?.["cache-dependency-path"] !== undefined);
        expect(setups.map((s) => s.with["cache-dependency-path"])).to.include("infra/package-lock.json");
        // The app keeps its project-relative build context (app), which sits at infra/app in the repository.
        const ci = parse(files[".github/workflows/runway-ci.yml"]);
        const ciDirs = Object.values<any>(ci.jobs)
            .flatMap((j) => j.steps ?? [])
            .map((s) => s["working-directory"])
            .filter(Boolean);
        expect(ciDirs).to.include("infra/app");
        const dependabot = parse(files[".github/dependabot.yml"]);
        const npmDirs = dependabot.updates.filter((u: any) => u["package-ecosystem"] === "npm").map((u: any) => u.directory);
        expect(npmDirs.sort()).to.deep.equal(["/infra", "/infra/app"]);
    });

    it("at the repository root (the default), the paths are the project's own", async () => {
        const files = await repositoryFiles("production", {});
        const install = [".github/workflows/runway-preview.yml", ".github/workflows/runway-pulumi-preview.yml"]
            .flatMap((file) => Object.values<any>(parse(files[file]).jobs).flatMap((j) => j.steps ?? []))
            .filter((s) => s.run === "npm ci");
        expect(install.length).to.equal(2);
        for (const step of install) expect(step["working-directory"]).to.equal(".");
    });

    it("refuses a folder outside the repository, and a build context that leaves it, by name", async () => {
        const outside = await cli("--stack", "solo", "--config", "runway:infraDirectory=../infra");
        expect(outside.code).to.equal(2);
        expect(outside.stderr).to.include("runway:infraDirectory").and.include("../infra").and.include("no ..");
        const context = await cli("--stack", "solo", "--config", "runway:infraDirectory=infra", "--config", "runway:buildContext=../..");
        expect(context.code).to.equal(2);
        expect(context.stderr).to.include("runway:buildContext").and.include("leads out of it");
    });
});

describe("Runway's own workflows and the ones its stacks generate", function () {
    this.timeout(120000);

    it("never share a file or a name, and trigger only their own kind (every tier, both clouds)", async () => {
        const dir = path.join(ROOT, ".github", "workflows");
        const own = fs
            .readdirSync(dir)
            .map((file) => ({ file: `.github/workflows/${file}`, ...parse(fs.readFileSync(path.join(dir, file), "utf8")) }));
        const aws = { "runway:cloud": "aws", "aws:region": "us-east-1" };
        const generated = new Map<string, any>();
        for (const [stack, config] of [
            ["solo", {}],
            ["staging", {}],
            ["production", {}],
            ["solo", aws],
            ["staging", { ...aws, "runway:allowedCidrs": '["203.0.113.0/24"]', "runway:iapMembers": "[]" }],
            ["production", aws],
        ] as const)
            for (const [file, content] of Object.entries(await repositoryFiles(stack, config)))
                if (file.startsWith(".github/workflows/")) generated.set(file, parse(content));
        expect(generated.size).to.be.greaterThan(4);
        const ownFiles = own.map((w) => w.file);
        const ownNames = own.map((w) => w.name);
        expect(
            [...generated.keys()].filter((f) => ownFiles.includes(f)),
            "shared paths",
        ).to.deep.equal([]);
        const generatedNames = [...generated.values()].map((w) => w.name);
        expect(
            generatedNames.filter((n) => ownNames.includes(n)),
            "shared names",
        ).to.deep.equal([]);
        // workflow_run triggers name workflows: each kind names only its own kind.
        const triggered = (w: any): string[] => w.on?.workflow_run?.workflows ?? [];
        for (const w of own) for (const name of triggered(w)) expect(ownNames, `${w.file} → ${name}`).to.include(name);
        for (const [file, w] of generated) for (const name of triggered(w)) expect(generatedNames, `${file} → ${name}`).to.include(name);
    });

    it("self-up deploys with its own environments and variables, which no stack managing this repository creates", async () => {
        const up = parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", "self-up.yml"), "utf8"));
        const job = up.jobs.up;
        const environments = job.strategy.matrix.stack.map((s: string) => job.environment.replace("${{ matrix.stack }}", s));
        expect(environments).to.deep.equal(["runway-self-staging", "runway-self-production"]);
        const variables = [...JSON.stringify(job).matchAll(/vars\.([A-Z_]+)/g)].map((m) => m[1]);
        expect(variables).to.include("RUNWAY_SELF_WIF_PROVIDER");
        expect(JSON.stringify(job)).not.to.include("PULUMI_CONFIG_PASSPHRASE");
        const created = { environments: new Set<string>(), variables: new Set<string>() };
        for (const [stack, config] of [
            ["solo", {}],
            ["staging", {}],
            ["production", {}],
        ] as const) {
            for (const r of (await planStack(stack, config)).document.resources) {
                if (r.type === "github:index/repositoryEnvironment:RepositoryEnvironment")
                    created.environments.add(String(r.inputs.environment));
                if (/^github:index\/actions(Environment)?Variable:/.test(r.type)) created.variables.add(String(r.inputs.variableName));
            }
        }
        expect(created.environments.size, "the stacks create environments").to.be.greaterThan(0);
        expect(environments.filter((e: string) => created.environments.has(e))).to.deep.equal([]);
        // The backend URL is the one value both read on purpose: the repository variable the user sets, not a stack's.
        expect(variables.filter((v) => created.variables.has(v))).to.deep.equal([]);
    });
});

describe("placeholders never reach the cloud", function () {
    this.timeout(120000);
    const stackValues = (file: string): Record<string, string> => {
        const config: Record<string, unknown> = parse(fs.readFileSync(path.join(ROOT, file), "utf8")).config;
        return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    };

    it("finds every placeholder of the example stack files, and no look-alike real value", () => {
        const keys = (file: string, ns = "runway") => placeholdersIn(stackValues(file), ns).map((p) => p.key);
        expect(keys("Pulumi.production.yaml")).to.have.members([
            "gcp:project",
            "gcp:billingProject",
            "runway:domain",
            "runway:billingAccount",
            "runway:alertEmails[0]",
            "runway:githubRepository",
            "runway:githubOwnerId",
            "runway:githubRepositoryId",
            "runway:githubReviewers[0]",
        ]);
        expect(keys("Pulumi.staging.yaml")).to.include.members(["runway:iapMembers[0]", "runway:alertEmails[0]"]);
        expect(keys("Pulumi.aws-solo.yaml")).to.have.members([
            "runway:alertEmails[0]",
            "runway:githubRepository",
            "runway:githubRepositoryId",
        ]);
        expect(keys("bootstrap/Pulumi.gcp.yaml", "runway-bootstrap")).to.have.members([
            "gcp:project",
            "runway-bootstrap:deployers[0]",
            "runway-bootstrap:deployers[1]",
        ]);
        expect(keys("bootstrap/Pulumi.aws.yaml", "runway-bootstrap")).to.deep.equal(["runway-bootstrap:deployers[0]"]);
        // Real values that merely look alike.
        const real = {
            "gcp:project": "example-shop-prod",
            "runway:billingAccount": "012345-6789AB-CDEF01",
            "runway:alertEmails": '["ops@example.co","ops@myexample.com"]',
            "runway:domain": "shop.examples.dev",
            "runway:githubRepository": "example-org-2/app",
            "runway:githubRepositoryId": "2000003",
            "runway:allowedCidrs": '["203.0.114.0/24"]',
        };
        expect(placeholdersIn(real, "runway")).to.deep.equal([]);
        expect(placeholdersIn({ "runway:allowedCidrs": '["198.51.100.7/32"]' }, "runway")[0].replace).to.equal(
            "pulumi config set --path 'runway:allowedCidrs[0]' <your-office-cidr>",
        );
        // A secret value is never read, let alone printed.
        expect(placeholdersIn({ "runway:domain": "app.example.com" }, "runway", new Set(["runway:domain"]))).to.deep.equal([]);
    });

    it("the offline plan warns once, listing each with its `pulumi config set`, and still plans (exit 0)", async () => {
        const result = await cli("--stack", "solo");
        expect(result.code).to.equal(0);
        expect(result.stderr)
            .to.include("placeholder values from an example stack file")
            .and.include(
                'runway:billingAccount = "000000-000000-000000": a real value, not the example\'s placeholder: pulumi config set runway:billingAccount <your-billing-account-id>',
            );
    });

    it("a real `pulumi up` (not a dry run) refuses them by name, before any resource; real values deploy", async () => {
        const up = (cwd: string, stack: string, config: Record<string, string> = {}) =>
            runProject(loadProjectConfig(cwd, stack, config), stack, { preview: false });
        let error: any;
        await up(ROOT, "solo").catch((err) => (error = err));
        expect(RunwayInputError.isInstance(error), String(error)).to.equal(true);
        expect(error.message).to.match(/^Placeholder values cannot be deployed: 7 problems/);
        expect(error.message).to.include(
            'gcp:project = "runway-solo-example": a real value, not the example\'s placeholder: pulumi config set gcp:project <your-project-id>',
        );
        expect(recordedBeforeFailure(error).filter((r) => r.custom)).to.deep.equal([]);
        const replaced = {
            "gcp:project": "acme-shop",
            "gcp:billingProject": "acme-shop",
            "runway:billingAccount": "012345-6789AB-CDEF01",
            "runway:alertEmails": '["ops@acme.dev"]',
            "runway:githubRepository": "acme/shop",
            "runway:githubOwnerId": "5550001",
            "runway:githubRepositoryId": "5550002",
        };
        const run = await up(ROOT, "solo", replaced);
        expect(run.resources.length).to.be.greaterThan(10);
        // The bootstrap's sample project and deployers too.
        let bootstrap: any;
        await up(path.join(ROOT, "bootstrap"), "aws").catch((err) => (bootstrap = err));
        expect(bootstrap?.message).to.include('runway-bootstrap:deployers[0] = "arn:aws:iam::123456789012:role/app-solo-deploy"');
    });
});
