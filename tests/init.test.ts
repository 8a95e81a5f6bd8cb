import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { spawnSync } from "child_process";
import { InitIo, runInit } from "../init/cli";
import { plan, readPolicyConfigFile } from "../plan";
import { cliCompilerOptions } from "../plan/engine/transpile";
import { BOOTSTRAP_STACKS, SCAFFOLD_STACKS, runwayDependency, scaffoldStack, specKind } from "../rules/scaffold";
import { ROOT } from "./helpers/plans";

/** Runs `runway-iac init <args>` in `cwd`, in-process (installed from `installed`, as npx records it; default: npm's registry). */
function init(cwd: string, ...args: string[]) {
    return initFrom(cwd, null, ...args);
}

function initFrom(cwd: string, installed: InitIo["installed"], ...args: string[]) {
    let stdout = "";
    let stderr = "";
    const code = runInit(args, { cwd, installed, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
}

/** Every file under `dir`, relative to it. */
function tree(dir: string): string[] {
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort();
}

const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

describe("runway-iac init", function () {
    this.timeout(60000);
    const dirs: string[] = [];
    const tmp = () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-init-"));
        dirs.push(dir);
        return dir;
    };
    after(() => {
        for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("in an empty folder: an infra/ project running Runway's program, stack files for GCP and AWS, and the example app", () => {
        const dir = tmp();
        const result = init(dir);
        expect(result.code, result.stderr).to.equal(0);
        expect(tree(dir)).to.deep.equal(
            [
                "app/.dockerignore",
                "app/Dockerfile",
                "app/lambda.js",
                "app/package-lock.json",
                "app/package.json",
                "app/server.js",
                "infra/.gitignore",
                "infra/bootstrap/.gitignore",
                "infra/bootstrap/Pulumi.aws.yaml",
                "infra/bootstrap/Pulumi.gcp.yaml",
                "infra/bootstrap/Pulumi.yaml",
                "infra/bootstrap/index.ts",
                "infra/bootstrap/policy-config.json",
                "infra/bootstrap/tsconfig.json",
                "infra/Pulumi.aws-solo.yaml",
                "infra/Pulumi.solo.yaml",
                "infra/Pulumi.yaml",
                "infra/index.ts",
                "infra/package.json",
                "infra/tsconfig.json",
            ].sort(),
        );
        expect(result.stdout).to.include("cd infra && npm install").and.include("npx runway-iac plan --stack solo");
        // The project file: Runway's typed keys, exactly as this repository declares them; the program is index.ts.
        const project = parse(fs.readFileSync(path.join(dir, "infra", "Pulumi.yaml"), "utf8"));
        const own = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
        expect(project.name).to.equal("runway");
        expect(project.main).to.equal("index.ts");
        expect(project.config).to.deep.equal(own.config);
        expect(project.options).to.deep.equal(own.options);
        expect(fs.readFileSync(path.join(dir, "infra", "index.ts"), "utf8")).to.include('import runway = require("runway-iac/program");');
        // It depends on this package and on the providers the program loads (their versions: this package's peer ranges).
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "infra", "package.json"), "utf8"));
        expect(pkg.dependencies).to.deep.equal({
            "runway-iac": `^${MANIFEST.version}`,
            ...Object.fromEntries(
                [
                    "@pulumi/aws",
                    "@pulumi/docker",
                    "@pulumi/gcp",
                    "@pulumi/github",
                    "@pulumi/policy",
                    "@pulumi/pulumi",
                    "@pulumi/random",
                ].map((p) => [p, MANIFEST.peerDependencies[p]]),
            ),
        });
        expect(Object.keys(pkg.devDependencies).sort()).to.deep.equal(["@types/node", "typescript"]);
        for (const file of ["Dockerfile", "server.js", "lambda.js"])
            expect(fs.readFileSync(path.join(dir, "app", file), "utf8"), file).to.equal(
                fs.readFileSync(path.join(ROOT, "app", file), "utf8"),
            );
        const solo = parse(fs.readFileSync(path.join(dir, "infra", "Pulumi.solo.yaml"), "utf8")).config;
        expect([solo["runway:infraDirectory"], solo["runway:buildContext"]]).to.deep.equal(["infra", "../app"]);
    });

    it("its stacks plan offline at once, each placeholder listed with its `pulumi config set`", async () => {
        const dir = tmp();
        expect(init(dir).code).to.equal(0);
        // The installed package, as `npm install` leaves it: runway-iac/program resolves to the program.
        const pkg = path.join(dir, "infra", "node_modules", "runway-iac");
        fs.mkdirSync(pkg, { recursive: true });
        fs.writeFileSync(
            path.join(pkg, "package.json"),
            JSON.stringify({ name: "runway-iac", exports: { "./program": "./program.js", "./bootstrap": "./bootstrap.js" } }),
        );
        fs.writeFileSync(
            path.join(pkg, "program.js"),
            `module.exports = require(${JSON.stringify(path.join(ROOT, "stacks", "index.ts"))});\n`,
        );
        fs.writeFileSync(
            path.join(pkg, "bootstrap.js"),
            `module.exports = require(${JSON.stringify(path.join(ROOT, "bootstrap", "index.ts"))});\n`,
        );
        for (const stack of Object.values(SCAFFOLD_STACKS)) {
            const result = await plan({ cwd: path.join(dir, "infra"), stack });
            const types = result.document.resources.map((r) => r.type);
            expect(types, stack).to.include(stack === "solo" ? "gcp:cloudrunv2/service:Service" : "aws:lambda/function:Function");
            expect(result.diagnostics.join("\n"), stack).to.include("placeholder values from an example stack file");
            const workflows = result.document.resources.filter((r) => r.type === "github:index/repositoryFile:RepositoryFile");
            expect(workflows.length, stack).to.be.greaterThan(0);
        }
        // The bootstrap (infra/bootstrap/, runway-iac/bootstrap): each cloud's example stack plans with its policy config, no violation.
        const bootstrap = path.join(dir, "infra", "bootstrap");
        for (const stack of Object.values(BOOTSTRAP_STACKS)) {
            const result = await plan({
                cwd: bootstrap,
                stack,
                policyConfig: readPolicyConfigFile(path.join(bootstrap, "policy-config.json")),
            });
            expect(result.document.project, stack).to.equal("runway-bootstrap");
            expect(result.document.policies, stack).to.deep.equal([]);
            expect(Object.keys(result.document.outputs), stack).to.include.members(["loginCommand", "stackInitCommands"]);
        }
    });

    it("in a repository with a Dockerfile: builds it (context ..), writes no app, and says to keep infra/ out of the build context", () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\n");
        const result = init(dir, "--cloud", "aws", "--dir", "deploy/pulumi");
        expect(result.code, result.stderr).to.equal(0);
        expect(tree(dir).filter((f) => !f.startsWith("deploy/"))).to.deep.equal(["Dockerfile"]);
        expect(fs.existsSync(path.join(dir, "deploy", "pulumi", "Pulumi.solo.yaml")), "GCP stack").to.equal(false);
        expect(fs.readdirSync(path.join(dir, "deploy", "pulumi", "bootstrap")).filter((f) => f.startsWith("Pulumi."))).to.deep.equal([
            "Pulumi.aws.yaml",
            "Pulumi.yaml",
        ]);
        const stack = parse(fs.readFileSync(path.join(dir, "deploy", "pulumi", "Pulumi.aws-solo.yaml"), "utf8")).config;
        expect([stack["runway:infraDirectory"], stack["runway:buildContext"]]).to.deep.equal(["deploy/pulumi", "../.."]);
        expect(result.stdout).to.include("Add deploy/pulumi/ to .dockerignore");
        expect(JSON.parse(fs.readFileSync(path.join(dir, "deploy", "pulumi", "package.json"), "utf8")).dependencies).to.have.property(
            "@pulumi/aws",
        );
    });

    it("never overwrites a file it did not write: refuses, naming it, and writes nothing; a second run changes nothing", () => {
        const dir = tmp();
        fs.mkdirSync(path.join(dir, "infra"));
        fs.writeFileSync(path.join(dir, "infra", "Pulumi.yaml"), "name: mine\nruntime: nodejs\n");
        const refused = init(dir);
        expect(refused.code).to.equal(2);
        expect(refused.stderr).to.include("refused").and.include("  infra/Pulumi.yaml\n").and.include("Nothing was written");
        expect(tree(dir)).to.deep.equal(["infra/Pulumi.yaml"]);
        expect(fs.readFileSync(path.join(dir, "infra", "Pulumi.yaml"), "utf8")).to.equal("name: mine\nruntime: nodejs\n");

        const fresh = tmp();
        expect(init(fresh).code).to.equal(0);
        const again = init(fresh);
        expect(again.code).to.equal(0);
        expect(again.stdout).to.match(/^Nothing to write/);
    });

    it("refuses bad arguments with exit 2 and what is allowed", () => {
        const dir = tmp();
        for (const [args, message] of [
            [["--cloud", "azure"], '--cloud "azure": one of gcp, aws'],
            [["--dir", "../elsewhere"], '--dir "../elsewhere": a folder inside this one'],
            [
                ["--dir", "/tmp/x"],
                '--dir "/tmp/x": a folder inside this one, such as infra (no .., no leading /); to write elsewhere, cd there first',
            ],
            [["--force"], "Unknown option '--force'"],
        ] as const) {
            const result = init(dir, ...args);
            expect(result.code, args.join(" ")).to.equal(2);
            expect(result.stderr, args.join(" ")).to.include(message);
        }
        expect(tree(dir)).to.deep.equal([]);
        expect(init(dir, "--help").stdout).to.include("npx runway-iac init [--dir infra] [--cloud gcp|aws] [--package <spec>]");
    });

    it("depends on runway-iac where it was run from: a tarball or git spec before it is on npm, ^version from npm", () => {
        const depends = (dir: string) => ({
            spec: JSON.parse(fs.readFileSync(path.join(dir, "infra", "package.json"), "utf8")).dependencies["runway-iac"],
        });
        // `npx ../runway-iac-0.1.0.tgz init` in /tmp/newcomer/app1: npx's own package.json (under ~/.npm/_npx/<hash>) records the tarball.
        const root = tmp();
        const repo = path.join(root, "app1");
        const npxDir = path.join(root, "home", ".npm", "_npx", "fcbf33af76ebd6e3");
        fs.mkdirSync(repo);
        const fromNpx = { spec: `file:${path.relative(npxDir, path.join(root, "runway-iac-0.1.0.tgz"))}`, from: npxDir };
        const outside = initFrom(repo, fromNpx, "--cloud", "aws");
        expect(outside.code, outside.stderr).to.equal(0);
        expect(depends(repo).spec).to.equal("file:../../runway-iac-0.1.0.tgz");
        expect(outside.stdout)
            .to.include("infra/package.json depends on runway-iac file:../../runway-iac-0.1.0.tgz")
            .and.include("outside this folder: CI's npm ci cannot reach it");
        // The tarball in the repository (committed, so CI installs it too): relative to infra/, no note.
        const inside = tmp();
        const local = initFrom(inside, { spec: `file:${path.relative(npxDir, path.join(inside, "runway-iac-0.1.0.tgz"))}`, from: npxDir });
        expect(depends(inside).spec).to.equal("file:../runway-iac-0.1.0.tgz");
        expect(local.stdout).not.to.include("outside this folder");
        // --package wins; a path is relative to where init runs; git and URLs are written as given.
        const given = tmp();
        initFrom(given, fromNpx, "--package", "./vendor/runway-iac-0.1.0.tgz");
        expect(depends(given).spec).to.equal("file:../vendor/runway-iac-0.1.0.tgz");
        const git = tmp();
        initFrom(git, fromNpx, "--package", "github:acme/runway#v0.1.0");
        expect(depends(git).spec).to.equal("github:acme/runway#v0.1.0");
        // Installed from npm (or run from this checkout): the version range.
        const registry = tmp();
        initFrom(registry, { spec: "^0.1.0", from: npxDir });
        expect(depends(registry).spec).to.equal(`^${MANIFEST.version}`);
        expect(init(tmp()).code).to.equal(0);
        for (const [spec, kind] of [
            ["file:../x.tgz", "file"],
            ["../runway-iac-0.1.0.tgz", "file"],
            ["/abs/runway", "file"],
            ["runway-iac-0.1.0.tgz", "file"],
            ["link:../runway", "file"],
            ["git+https://github.com/acme/runway.git#v1", "location"],
            ["https://example.com/runway-iac-0.1.0.tgz", "location"],
            ["acme/runway#v0.1.0", "location"],
            ["github:acme/runway", "location"],
            ["^0.1.0", "registry"],
            ["0.1.0", "registry"],
            ["latest", "registry"],
            ["npm:runway-iac@0.1.0", "registry"],
        ] as const)
            expect(specKind(spec), spec).to.equal(kind);
        expect(runwayDependency({ version: "0.1.0", cwd: "/r", projectDir: "/r/infra", given: "^0.2.0" }).spec).to.equal("^0.2.0");
        expect(initFrom(tmp(), null, "--package", "a b").stderr).to.include('--package "a b": one npm spec without spaces');
    });

    it("writes a tsconfig.json that resolves modules as the Pulumi CLI runs the program (nodenext), which TypeScript 5 and 6 accept", () => {
        const dir = tmp();
        init(dir);
        const options = JSON.parse(fs.readFileSync(path.join(dir, "infra", "tsconfig.json"), "utf8")).compilerOptions;
        // TypeScript 6 refuses moduleResolution node/node10 (TS5107); the CLI's ts-node defaults are nodenext from TypeScript 4.7 on.
        const cli = cliCompilerOptions(require("typescript").version, "commonjs", {});
        expect([options.module, options.moduleResolution]).to.deep.equal([cli.module, cli.moduleResolution]);
        expect(options.moduleResolution).not.to.be.oneOf(["node", "node10", "classic"]);
    });

    it("`runway-iac --version` prints the package's version", () => {
        const result = spawnSync(process.execPath, [path.join(ROOT, "bin", "runway-iac.js"), "--version"], { encoding: "utf8" });
        expect([result.status, result.stdout]).to.deep.equal([0, `${MANIFEST.version}\n`]);
    });

    it("writes the same config as this repository's example stack files (plus where the project and app are)", () => {
        const config = (text: string) => {
            const c = parse(text).config;
            delete c["runway:infraDirectory"];
            delete c["runway:buildContext"];
            return c;
        };
        expect(config(scaffoldStack("gcp", "infra", ".."))).to.deep.equal(
            config(fs.readFileSync(path.join(ROOT, "Pulumi.solo.yaml"), "utf8")),
        );
        expect(config(scaffoldStack("aws", "infra", ".."))).to.deep.equal(
            config(fs.readFileSync(path.join(ROOT, "Pulumi.aws-solo.yaml"), "utf8")),
        );
    });
});
