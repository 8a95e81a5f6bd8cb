import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
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
        const preview = parse(files[".github/workflows/preview.yml"]);
        const previewSteps = Object.values<any>(preview.jobs).flatMap((j) => j.steps ?? []);
        const install = previewSteps.filter((s) => s.run === "npm ci");
        expect(install.length).to.be.greaterThan(0);
        for (const step of install) expect(step["working-directory"]).to.equal("infra");
        const setups = previewSteps.filter((s) => s.with?.["cache-dependency-path"] !== undefined);
        expect(setups.map((s) => s.with["cache-dependency-path"])).to.include("infra/package-lock.json");
        // The app keeps its project-relative build context (app), which sits at infra/app in the repository.
        const ci = parse(files[".github/workflows/ci.yml"]);
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
        const preview = parse(files[".github/workflows/preview.yml"]);
        const install = Object.values<any>(preview.jobs)
            .flatMap((j) => j.steps ?? [])
            .filter((s) => s.run === "npm ci");
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
});
