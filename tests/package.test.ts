import { expect } from "chai";
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { workflowFiles } from "../components/github";
import { mandatoryViolations, plan } from "../plan";
import { defaultDockerfileRoot } from "../policy/lib/dockerfileSource";
import { installConsumer, withNewestSdk, writeFiles } from "./helpers/consumer";
import { ROOT } from "./helpers/plans";

// The strict type-check, the build and the consumer's check run here, in one process, on one
// TypeScript host: the @pulumi/* declarations they all read are parsed once (scripts/typescript.js).
const { typeCheck, compile, compileWithin } = require("../scripts/typescript") as {
    typeCheck(tsconfig: string): string;
    compile(tsconfig: string): string;
    compileWithin(build: string, check: string): { build: string; check: string };
};
const { build } = require("../scripts/build") as { build(options: { alongside: string }): string };
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const NPX = process.platform === "win32" ? "npx.cmd" : "npx";
const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
/** Second projects composing two services, one budget and one CI identity per cloud (examples/<name>). */
const MULTI_SERVICE_EXAMPLES = ["two-services-gcp", "two-services-aws"];
/** The library page's table of entry points: import → the providers it needs besides @pulumi/pulumi. */
function readmeEntryPoints(): Record<string, string[]> {
    const readme = fs.readFileSync(path.join(ROOT, "docs", "library.md"), "utf8");
    const rows = [...readme.matchAll(/^\| `(runway-iac(?:\/[a-z]+)?)` \| [^|]+ \| ([^|]+) \|$/gm)];
    return Object.fromEntries(
        rows.map((m) => [m[1], m[2].trim() === "none" ? [] : [...m[2].matchAll(/`(@pulumi\/[a-z]+)`/g)].map((p) => p[1]).sort()]),
    );
}

/**
 * Builds and packs the library once, then installs the tarball into a project OUTSIDE the repository
 * (tests/helpers/consumer.ts: plain `npm install`, offline from npm's cache): a copy of
 * examples/consumer, with the multi-service examples in subfolders (one install serves them all).
 * The build is `npm run build`'s own function, run here; `npm pack` then skips its prepack (which
 * would run that same build again in a new process, parsing every declaration anew). The install
 * runs in a child process while this one type-checks.
 */
function packAndInstall(): { strictCheck: string; tarball: string; files: string[]; consumer: string; installed: Promise<void> } {
    // The build and the strict type-check of every file (tsconfig.json) are one program.
    const strictCheck = build({ alongside: path.join(ROOT, "tsconfig.json") });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "runway-pack-"));
    const packed = JSON.parse(
        execFileSync(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", out], {
            cwd: ROOT,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        }),
    );
    const tarball = path.join(out, packed[0].filename);
    const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
    const consumer = fs.mkdtempSync(path.join(os.tmpdir(), "runway-consumer-"));
    fs.cpSync(path.join(ROOT, "examples", "consumer"), consumer, { recursive: true });
    for (const example of MULTI_SERVICE_EXAMPLES)
        fs.cpSync(path.join(ROOT, "examples", example), path.join(consumer, example), { recursive: true });
    const installed = installConsumer(consumer, tarball, {
        dependencies: ["@pulumi/pulumi", "@pulumi/random", "@types/node", "typescript"],
        providers: ["@pulumi/gcp", "@pulumi/aws", "@pulumi/docker", "@pulumi/github", "@pulumi/kubernetes"],
    });
    return { strictCheck, tarball, files, consumer, installed };
}

/** Every package the installed package's JavaScript requires (not Node's own modules), with the files that require it. */
function requiredPackages(installed: string): Map<string, string[]> {
    const { builtinModules } = require("module") as typeof import("module");
    const out = new Map<string, string[]>();
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(file);
            else if (file.endsWith(".js"))
                for (const m of fs.readFileSync(file, "utf8").matchAll(/\brequire\("([^"]+)"\)/g)) {
                    const spec = m[1].replace(/^node:/, "");
                    if (spec.startsWith(".") || builtinModules.includes(spec.split("/")[0])) continue;
                    const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
                    out.set(name, [...(out.get(name) ?? []), path.relative(installed, file)]);
                }
        }
    };
    walk(path.join(installed, "dist"));
    walk(path.join(installed, "bin"));
    return out;
}

interface Ran {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Runs a process without blocking this one (spawnSync would idle this process until it exits). */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Ran> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

/** The environment npm gives a script, less npm's own variables (a consumer runs these from its shell). */
const shellEnv = (drop: RegExp) => Object.fromEntries(Object.entries(process.env).filter(([k]) => !drop.test(k)));

/** The consumer's commands, started as soon as it is installed: they run while this process type-checks. */
function startConsumerCommands(consumer: string) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "runway-action-"));
    // The Action as a workflow runs it: its script from the installed package, GitHub's files in env.
    const actionDir = path.join(consumer, "node_modules", "runway-iac");
    const actionEnv = (stack: string, dir: string) => ({
        ...shellEnv(/^(npm_|INIT_CWD$|GITHUB_)/i),
        STACK: stack,
        CONFIG: "shop:alertEmail=ops@example.com\n",
        PR_NUMBER: "42",
        OUT: path.join(out, dir),
        ACTION_DIR: actionDir,
        GITHUB_OUTPUT: path.join(out, `${dir}.output`),
        GITHUB_STEP_SUMMARY: path.join(out, `${dir}.summary`),
    });
    const action = (stack: string, dir: string) =>
        run("bash", [path.join(actionDir, "action", "plan.sh")], { cwd: consumer, env: actionEnv(stack, dir) });
    return {
        npx: run(NPX, ["--no-install", "runway-iac", "plan", "--stack", "dev"], {
            cwd: consumer,
            env: shellEnv(/^(npm_|INIT_CWD$)/i),
        }),
        action: { out, ran: action("dev", "dev"), crashed: action("no-such-stack", "crash") },
        probe: run(process.execPath, ["-e", sideEffectProbe()], { cwd: consumer }),
    };
}

/**
 * A script that imports each entry point of the installed package from a clean module cache, recording
 * any config read or resource registered and the @pulumi packages each one loads.
 */
function sideEffectProbe(): string {
    return [
        'const config = require("@pulumi/pulumi/runtime/config");',
        'const resource = require("@pulumi/pulumi/runtime/resource");',
        "const calls = [];",
        'for (const [mod, names] of [[config, ["getConfig", "allConfig", "getAllConfig"]], [resource, ["registerResource", "readResource"]]]) {',
        '  for (const n of names) if (typeof mod[n] === "function") { const f = mod[n]; mod[n] = (...a) => { calls.push(n); return f(...a); }; }',
        "}",
        // Which @pulumi packages each entry point loads, each from a clean module cache.
        "const provider = (f) => /[\\\\/]node_modules[\\\\/](@pulumi[\\\\/][a-z]+)[\\\\/]/.exec(f)?.[1].replace(/\\\\/g, '/');",
        "const providers = () => [...new Set(Object.keys(require.cache).map(provider).filter((p) => p && p !== '@pulumi/pulumi'))].sort();",
        "const loads = {};",
        `for (const entry of ${JSON.stringify(Object.keys(readmeEntryPoints()))}) {`,
        "  for (const f of Object.keys(require.cache)) if (!/[\\\\/]@pulumi[\\\\/]pulumi[\\\\/]/.test(f)) delete require.cache[f];",
        "  const before = calls.length; require(entry); loads[entry] = providers();",
        "  if (calls.length > before) loads[entry].push('side effect: ' + calls.slice(before).join());",
        "}",
        'const lib = require("runway-iac");',
        "setImmediate(() => console.log(JSON.stringify({ calls, exports: Object.keys(lib).sort(), loads })));",
    ].join("\n");
}

describe("the TypeScript build, type-check and package", function () {
    this.timeout(420000); // a guard against a hang, not a speed check: a build, npm pack + install and a type-check on a busy machine
    let pkg: ReturnType<typeof packAndInstall>;
    let commands: ReturnType<typeof startConsumerCommands>;

    before(() => {
        pkg = packAndInstall();
    });

    after(async () => {
        if (commands) await Promise.allSettled([commands.npx, commands.action.ran, commands.action.crashed, commands.probe]);
        if (commands) fs.rmSync(commands.action.out, { recursive: true, force: true });
        if (pkg) await pkg.installed.catch(() => undefined);
        if (pkg) for (const dir of [pkg.consumer, path.dirname(pkg.tarball)]) fs.rmSync(dir, { recursive: true, force: true });
    });

    describe("the TypeScript sources", () => {
        it("type-check under strict with no error (tsconfig.json, as `npm run typecheck`)", () => {
            expect(pkg.strictCheck).to.equal("");
        });

        it("the policy pack type-checks as `pulumi preview --policy-pack policy` compiles it (policy/tsconfig.json)", () => {
            // The CLI's runner (@pulumi/pulumi/cmd/run-policy-pack) loads policy/package.json's main through
            // ts-node with typeCheck on and the pack's own tsconfig.json over its defaults; that the pack then
            // serves is tested on its compiled copy below (started from node_modules by the same runner).
            const runner = fs.readFileSync(require.resolve("@pulumi/pulumi/cmd/run-policy-pack/run.js"), "utf8");
            expect(runner).to.match(/typeCheck: true,[\s\S]*?\.\.\.compilerOptions,/);
            expect(JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "package.json"), "utf8")).main).to.equal("index.ts");
            expect(typeCheck(path.join(ROOT, "policy", "tsconfig.json"))).to.equal("");
        });
    });

    describe("the npm package", () => {
        before(async () => {
            await pkg.installed;
            commands = startConsumerCommands(pkg.consumer);
        });

        it("npm pack builds first: prepack is `npm run build`, whose script runs the build this test ran", () => {
            expect(MANIFEST.scripts.prepack).to.equal("npm run build");
            expect(MANIFEST.scripts.build).to.equal("node scripts/build.js");
        });

        it("ships compiled code, types, the policy pack, the docs, the example app and bootstrap init writes and the Action only", () => {
            const allowed =
                /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|docs\/[\w-]+\.md|bin\/runway-iac\.js|dist\/(components|policy|rules|stacks|bootstrap)\/.+\.(js|d\.ts)|dist\/(plan|plan\/engine|init)\/[\w]+\.js|bootstrap\/(Pulumi(\.gcp|\.aws)?\.yaml|policy-config\.json)|dist\/policy\/(PulumiPolicy\.yaml|package\.json|README\.md)|dist\/rules\/cost\/prices\.generated\.json|dist\/components\/github\/shell\/[\w-]+\.sh|app\/(Dockerfile|\.dockerignore|package\.json|package-lock\.json|server\.js|lambda\.js)|action\.yml|action\/(plan\.sh|comment\.sh|crash\.js))$/;
            expect(
                pkg.files.filter((f) => !allowed.test(f)),
                "unexpected files",
            ).to.deep.equal([]);
            expect(
                pkg.files.filter(
                    (f) =>
                        /(^|\/)(tests?|fixtures|examples|scripts|api)\//.test(f) ||
                        /^(stacks|init|components|rules|policy)\//.test(f) ||
                        /^plan\//.test(f) ||
                        // Stack files: none but the bootstrap's two examples (placeholders only), which init copies.
                        (/\.map$|Pulumi\.[\w-]+\.yaml$|\.env$/.test(f) && !/^bootstrap\/Pulumi\.(gcp|aws)\.yaml$/.test(f)) ||
                        (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)),
                ),
            ).to.deep.equal([]);
            expect(pkg.files).to.include.members([
                "dist/components/index.js",
                "dist/components/index.d.ts",
                "dist/policy/index.js",
                "dist/policy/PulumiPolicy.yaml",
                "CHANGELOG.md",
                "bin/runway-iac.js",
                "dist/plan/cli.js",
                "dist/init/cli.js",
                "dist/stacks/index.js",
                "dist/bootstrap/index.js",
                "bootstrap/Pulumi.yaml",
                "app/Dockerfile",
                "docs/keys.md",
                "action.yml",
                "action/comment.sh",
            ]);
        });

        it("following the consumer steps (npm install in examples/consumer) leaves no untracked file", () => {
            // What this harness writes besides npm's own output: the lockfile it installs from and the tarball copy.
            const harness = new Set(["package-lock.json", path.basename(pkg.tarball)]);
            const original = new Set([...fs.readdirSync(path.join(ROOT, "examples", "consumer")), ...MULTI_SERVICE_EXAMPLES]);
            const written = fs.readdirSync(pkg.consumer).filter((f) => !original.has(f) && !harness.has(f));
            expect(written).to.include("node_modules");
            expect(fs.readFileSync(path.join(ROOT, "examples", "consumer", ".npmrc"), "utf8")).to.match(/^package-lock=false$/m);
            const asInExample = written.map(
                (f) => `examples/consumer/${f}${fs.statSync(path.join(pkg.consumer, f)).isDirectory() ? "/" : ""}`,
            );
            const ignored = spawnSync("git", ["check-ignore", "--no-index", ...asInExample], { cwd: ROOT, encoding: "utf8" });
            expect(ignored.stdout.trim().split("\n").sort()).to.deep.equal(asInExample.sort());
            expect(
                spawnSync("git", ["check-ignore", "--no-index", "runway-iac-0.1.0.tgz", "docs/api/index.html"], {
                    cwd: ROOT,
                    encoding: "utf8",
                })
                    .stdout.trim()
                    .split("\n"),
            ).to.have.length(2);
        });

        it("declares every package its compiled code requires: the command's as dependencies or installed peers", () => {
            const installed = path.join(pkg.consumer, "node_modules", "runway-iac");
            const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
            const required = requiredPackages(installed);
            required.delete(manifest.name); // its own name: the index.ts init writes (`require("runway-iac/program")`)
            const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
            expect(
                [...required.keys()].filter((p) => !declared.has(p)),
                "required, not declared",
            ).to.deep.equal([]);
            expect(
                Object.keys(manifest.dependencies).filter((p) => !required.has(p)),
                "declared, never required",
            ).to.deep.equal([]);
            // The command (bin, plan, policy pack) runs whatever the project imports: what it needs is always installed.
            const optionalPeer = (p: string) => manifest.peerDependenciesMeta?.[p]?.optional === true;
            const library = (f: string) => /^dist\/(components|stacks|bootstrap)\//.test(f); // entry points: their providers are the project's
            const command = [...required].filter(([p, files]) => optionalPeer(p) && files.some((f) => !library(f)));
            expect(command.map(([p, files]) => `${p}: ${files.filter((f) => !library(f)).join(", ")}`)).to.deep.equal([]);
            expect(manifest.dependencies["@swc/core"], "SWC is a dependency, not optional").to.match(/^\d/);
            expect(manifest.optionalDependencies).to.equal(undefined);
            expect(manifest.private, "publishable").to.equal(undefined);
        });

        it("declares the @pulumi packages as peers with the ranges the tests run, and an exports map", () => {
            const manifest = JSON.parse(fs.readFileSync(path.join(pkg.consumer, "node_modules", "runway-iac", "package.json"), "utf8"));
            expect(Object.keys(manifest.peerDependencies).sort()).to.deep.equal([
                "@pulumi/aws",
                "@pulumi/docker",
                "@pulumi/gcp",
                "@pulumi/github",
                "@pulumi/kubernetes",
                "@pulumi/policy",
                "@pulumi/pulumi",
                "@pulumi/random",
            ]);
            for (const [name, range] of Object.entries<string>(manifest.peerDependencies)) {
                const installed = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
                expect(range, name).to.equal(`^${String(installed).replace(/^v/, "")}`);
            }
            expect(Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith("@pulumi/"))).to.deep.equal([]);
            // Required (npm installs them): the SDK and the policy SDK the plan command runs the pack with; a project
            // installs the providers of the entry points it imports.
            expect(
                Object.keys(manifest.peerDependencies).filter((p) => manifest.peerDependenciesMeta?.[p]?.optional !== true),
            ).to.deep.equal(["@pulumi/policy", "@pulumi/pulumi"]);
            expect(manifest.exports["."]).to.deep.equal({ types: "./dist/components/index.d.ts", default: "./dist/components/index.js" });
            // Every entry point: in the exports map, in typesVersions (for "moduleResolution": "node"), in the library page's table, in the tarball.
            const subpaths = Object.keys(manifest.exports)
                .filter((k) => k !== "." && k !== "./package.json")
                .map((k) => k.slice(2));
            expect(Object.keys(readmeEntryPoints()).sort()).to.deep.equal(["runway-iac", ...subpaths.map((k) => `runway-iac/${k}`)].sort());
            for (const entry of subpaths) {
                const target = manifest.exports[`./${entry}`];
                expect(manifest.typesVersions["*"][entry], entry).to.deep.equal([target.types.slice(2)]);
                expect(pkg.files, entry).to.include.members([target.types.slice(2), target.default.slice(2)]);
            }
            const typedoc = JSON.parse(fs.readFileSync(path.join(ROOT, "typedoc.json"), "utf8")).entryPoints.map((e: string) =>
                e.replace(/\.ts$/, ".js"),
            );
            expect(typedoc.sort(), "typedoc documents every entry point").to.deep.equal(
                [".", ...subpaths.map((k) => `./${k}`)].map((k) => manifest.exports[k].default.replace(/^\.\/dist\//, "")).sort(),
            );
        });

        // The examples' sources are type-checked by the strict type-check above (tsconfig.json maps runway/* to components/);
        // this run proves the packaged entry points' types resolve as a consumer's tsconfig finds them.
        it("type-checks the consumer under strict against the installed package's entry points", () => {
            expect(typeCheck(path.join(pkg.consumer, "tsconfig.json"))).to.equal("");
        });

        it("plans the consumer offline with its own names and zero mandatory violations", async () => {
            const { document } = await plan({ cwd: pkg.consumer, stack: "dev" });
            expect(
                document.resources
                    .filter((r) => r.type.startsWith("runway:"))
                    .map((r) => `${r.type} ${r.name}`)
                    .sort(),
            ).to.deep.equal([
                "runway:docker:Image shop-web",
                "runway:gcp:Monitoring shop-ops",
                "runway:gcp:Registry shop-images",
                "runway:gcp:Service shop-web",
            ]);
            expect(document.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service")?.inputs.name).to.equal("shop-web");
            expect(mandatoryViolations(document)).to.deep.equal([]);
        });

        it("the multi-service examples plan offline: two services deployable by one CI identity, one budget, no name shared", async () => {
            const gcpPlan = (await plan({ cwd: path.join(pkg.consumer, "two-services-gcp"), stack: "dev" })).document;
            const awsPlan = (await plan({ cwd: path.join(pkg.consumer, "two-services-aws"), stack: "dev" })).document;
            for (const document of [gcpPlan, awsPlan]) {
                expect(mandatoryViolations(document)).to.deep.equal([]);
                expect(document.deployability.filter((f) => f.level === "mandatory")).to.deep.equal([]);
            }
            const ofType = (d: typeof gcpPlan, type: string) => d.resources.filter((r) => r.type === type);

            // GCP: two Cloud Run services with their own runtime identities, both deployable by the one deployer.
            const services = ofType(gcpPlan, "gcp:cloudrunv2/service:Service")
                .map((r) => r.inputs.name)
                .sort();
            expect(services).to.deep.equal(["shop-api", "shop-web"]);
            const runtimeIds = ofType(gcpPlan, "gcp:serviceaccount/account:Account").map((r) => r.inputs.accountId);
            expect(new Set(runtimeIds).size, "distinct service account ids").to.equal(runtimeIds.length);
            const deployers = ofType(gcpPlan, "gcp:serviceaccount/account:Account").filter((r) => /^ci-deploy-/.test(r.name));
            expect(deployers).to.have.length(1);
            const deployer = `serviceAccount:${deployers[0].inputs.accountId}@`;
            const developerOn = ofType(gcpPlan, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember")
                .filter((r) => String(r.inputs.member).startsWith(deployer))
                .map((r) => r.inputs.name)
                .sort();
            expect(developerOn).to.deep.equal(services);
            const actAs = ofType(gcpPlan, "gcp:serviceaccount/iAMMember:IAMMember").filter(
                (r) => r.inputs.role === "roles/iam.serviceAccountUser" && String(r.inputs.member).startsWith(deployer),
            );
            expect(actAs).to.have.length(2);
            expect(ofType(gcpPlan, "gcp:projects/iAMMember:IAMMember"), "no project-wide grant").to.deep.equal([]);
            const pushers = ofType(gcpPlan, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember").filter(
                (r) => r.inputs.role === "roles/artifactregistry.writer",
            );
            expect(pushers.map((r) => String(r.inputs.member).startsWith(deployer))).to.deep.equal([true]);
            expect(ofType(gcpPlan, "gcp:billing/budget:Budget")).to.have.length(1);
            // The example's transform reached the registry's repository.
            expect(ofType(gcpPlan, "gcp:artifactregistry/repository:Repository")[0].inputs.labels).to.deep.equal({
                "managed-by": "runway",
                team: "shop",
            });

            // AWS: an ECS service and a Lambda function, each with its own repository, deployable by the one role.
            const ecs = ofType(awsPlan, "aws:ecs/service:Service");
            const fn = ofType(awsPlan, "aws:lambda/function:Function");
            expect([ecs.length, fn.length]).to.deep.equal([1, 1]);
            const roles = ofType(awsPlan, "aws:iam/rolePolicy:RolePolicy").filter((r) => /^ci-deploy-/.test(r.name));
            expect(roles).to.have.length(1);
            const granted = JSON.parse(String(roles[0].inputs.policy)).Statement.flatMap((st: any) => [st.Resource].flat());
            const repositories = ofType(awsPlan, "aws:ecr/repository:Repository").map((r) => r.inputs.name);
            expect(repositories.sort()).to.deep.equal(["shop-api-dev", "shop-hooks-dev"]);
            expect(granted).to.include.members([
                ...repositories.map((name) => `arn:aws:ecr:us-east-1:123456789012:repository/${name}`),
                "arn:aws:ecs:us-east-1:123456789012:service/shop-api-dev/shop-api-dev",
                "arn:aws:lambda:us-east-1:123456789012:function:shop-hooks-dev",
            ]);
            expect(ofType(awsPlan, "aws:budgets/budget:Budget")).to.have.length(1);
            // Names unique per account and region are not shared by the two services.
            const accountUnique = [
                ...ofType(awsPlan, "aws:cloudwatch/logGroup:LogGroup"),
                ...ofType(awsPlan, "aws:ecr/repository:Repository"),
                ...ecs,
                ...fn,
            ].map((r) => `${r.type} ${r.inputs.name}`);
            expect(new Set(accountUnique).size).to.equal(accountUnique.length);
        });

        it("`npx runway-iac plan --stack dev` in the consumer plans it with the compiled command (its TypeScript transpiled, not type-checked)", async () => {
            const npx = await commands.npx;
            expect(npx.status, npx.stderr).to.equal(0);
            expect(npx.stdout)
                .to.match(/^Offline plan of shop\/dev\n/)
                .and.match(/\+ runway:gcp:Service {2}shop-web/)
                .and.match(/policies: \d+ passed, 0 mandatory violations/);
            const bin = fs.realpathSync(path.join(pkg.consumer, "node_modules", ".bin", "runway-iac"));
            expect(bin).to.equal(fs.realpathSync(path.join(pkg.consumer, "node_modules", "runway-iac", "bin", "runway-iac.js")));
            expect(
                fs.existsSync(path.join(pkg.consumer, "node_modules", "runway-iac", "plan")),
                "no TypeScript sources of the plan",
            ).to.equal(false);
            const help = await run(process.execPath, [bin, "plan", "--help"], { cwd: pkg.consumer, env: shellEnv(/^(npm_|INIT_CWD$)/i) });
            expect(help.stdout).to.include("npx runway-iac plan --stack <name> [options]");
        });

        it("outside the repository, with no ts-node: a TypeScript program with an enum and a circular import plans with npx", async () => {
            expect(fs.existsSync(path.join(pkg.consumer, "node_modules", "ts-node")), "ts-node is not installed").to.equal(false);
            const dir = path.join(pkg.consumer, "enum-program");
            writeFiles(dir, {
                "Pulumi.yaml": "name: enums\nruntime: nodejs\nmain: index.ts\n",
                "Pulumi.dev.yaml": "config:\n  gcp:project: enums-example\n",
                "policy-config.json": '{ "budget-presence": "disabled" }\n', // a registry alone bills no budget
                "tiers.ts":
                    'import { regionOf } from "./index";\nexport enum Tier { Staging = "staging" }\nexport const region = () => regionOf;\n',
                "index.ts": [
                    'import * as gcp from "runway-iac/gcp";',
                    'import { Tier, region } from "./tiers";',
                    'export const regionOf = "us-central1";',
                    'const registry = new gcp.Registry("images", { location: region(), tier: Tier.Staging });',
                    "export const url = registry.url;",
                ].join("\n"),
            });
            const result = await run(
                NPX,
                ["--no-install", "runway-iac", "plan", "--stack", "dev", "--policy-config", "policy-config.json"],
                {
                    cwd: dir,
                    env: shellEnv(/^(npm_|INIT_CWD$)/i),
                },
            );
            expect(result.status, result.stderr).to.equal(0);
            expect(result.stdout).to.match(/\+ runway:gcp:Registry {2}images/);
        });

        it("`npx runway-iac init` in an empty folder writes a project that plans with `npx runway-iac plan`", async () => {
            // The commands as the README and docs/adoption.md write them.
            for (const page of ["README.md", "docs/adoption.md"])
                expect(fs.readFileSync(path.join(ROOT, page), "utf8"), page)
                    .to.include("npx runway-iac init ")
                    .and.include("npx runway-iac plan --stack solo ");
            const repo = path.join(pkg.consumer, "empty-repo");
            fs.mkdirSync(repo);
            const env = shellEnv(/^(npm_|INIT_CWD$)/i);
            const init = await run(NPX, ["--no-install", "runway-iac", "init"], { cwd: repo, env });
            expect(init.status, init.stderr).to.equal(0);
            expect(init.stdout).to.include("infra/Pulumi.yaml").and.include("app/Dockerfile");
            // What it asks npm for is what this test has installed (the consumer's node_modules, up the tree): runway-iac
            // from the tarball the consumer installed it from (not on npm yet), relative to infra/ as npm writes it.
            const written = JSON.parse(fs.readFileSync(path.join(repo, "infra", "package.json"), "utf8"));
            expect(written.dependencies["runway-iac"]).to.equal(`file:../../${path.basename(pkg.tarball)}`);
            expect(init.stdout).to.include("outside this folder: CI's npm ci cannot reach it");
            // Its tsconfig.json type-checks the program against the installed package (nodenext, as the Pulumi CLI runs it).
            expect(typeCheck(path.join(repo, "infra", "tsconfig.json"))).to.equal("");
            for (const dep of Object.keys({ ...written.dependencies, ...written.devDependencies }))
                expect(fs.existsSync(path.join(pkg.consumer, "node_modules", dep, "package.json")), dep).to.equal(true);
            const planned = await run(NPX, ["--no-install", "runway-iac", "plan", "--stack", "solo"], {
                cwd: path.join(repo, "infra"),
                env,
            });
            expect(planned.status, planned.stderr).to.equal(0);
            expect(planned.stdout)
                .to.match(/^Offline plan of runway\/solo\n/)
                .and.match(/\+ runway:gcp:Service {2}/);
            expect(planned.stderr).to.include("placeholder values from an example stack file");
            // The bootstrap it writes runs from the installed package (runway-iac/bootstrap), with its policy config.
            const bootstrap = await run(
                NPX,
                ["--no-install", "runway-iac", "plan", "--stack", "gcp", "--policy-config", "policy-config.json", "--json"],
                { cwd: path.join(repo, "infra", "bootstrap"), env },
            );
            expect(bootstrap.status, bootstrap.stderr).to.equal(0);
            const document = JSON.parse(bootstrap.stdout);
            expect(document.project).to.equal("runway-bootstrap");
            expect(document.resources.map((r: { type: string }) => r.type)).to.include("gcp:kms/cryptoKey:CryptoKey");
            expect(document.outputs.stackInitCommands.solo).to.match(/^pulumi stack init solo --secrets-provider 'gcpkms:\/\//);
        });

        it("at the newest end of the @pulumi/pulumi peer range, the packaged command plans the consumer alike", async () => {
            const newest = path.join(path.dirname(pkg.tarball), "newest");
            const version = withNewestSdk(pkg.consumer, newest);
            expect(version).to.equal(MANIFEST.devDependencies["pulumi-peer-newest"].replace(/^npm:@pulumi\/pulumi@/, ""));
            expect(MANIFEST.peerDependencies["@pulumi/pulumi"]).to.equal(`^${MANIFEST.devDependencies["@pulumi/pulumi"]}`);
            const bin = path.join(newest, "node_modules", "runway-iac", "bin", "runway-iac.js");
            const result = await run(process.execPath, [bin, "plan", "--stack", "dev", "--json"], { cwd: newest });
            expect(result.status, result.stderr).to.equal(0);
            const lowest = await commands.npx;
            const names = (text: string) => text.match(/[+>] \S+ {2}\S+/g)?.sort();
            const document = JSON.parse(result.stdout);
            expect(document.resources.map((r: { type: string; name: string }) => `+ ${r.type}  ${r.name}`).sort()).to.deep.equal(
                names(lowest.stdout),
            );
            // A package the command needs, missing: exit 2 naming it and the command that installs it, no stack trace.
            fs.rmSync(path.join(newest, "node_modules", "@pulumi", "policy"), { recursive: true });
            const missing = await run(process.execPath, [bin, "plan", "--stack", "dev"], { cwd: newest });
            expect(missing.status).to.equal(2);
            expect(missing.stderr).to.equal(
                "runway-iac needs @pulumi/policy, which is not installed: run `npm install @pulumi/policy` in the project that installed runway-iac.\n",
            );
        });

        it("the GitHub Action's plan script (from the installed package) writes the comment, the PR number, the exit code and the step summary", async () => {
            const { out } = commands.action;
            const action = await commands.action.ran;
            expect(action.status, action.stderr).to.equal(0);
            const comment = fs.readFileSync(path.join(out, "dev", "plan.md"), "utf8");
            expect(comment)
                .to.match(/^## Runway plan: shop\/dev\n/)
                .and.include("```mermaid");
            expect(fs.readFileSync(path.join(out, "dev", "pr-number"), "utf8")).to.equal("42\n");
            expect(fs.readFileSync(path.join(out, "dev.output"), "utf8")).to.equal("exit-code=0\n");
            expect(fs.readFileSync(path.join(out, "dev.summary"), "utf8")).to.equal(comment);
            expect(fs.readdirSync(path.join(out, "dev")).sort(), "the artifact: the comment and the PR number only").to.deep.equal([
                "plan.md",
                "pr-number",
            ]);
        });

        it("a plan that cannot run still comments 'The plan could not run: <message>' and fails the job with 2", async () => {
            const { out } = commands.action;
            const crashed = await commands.action.crashed;
            expect(crashed.status, crashed.stderr).to.equal(0); // the script never fails before the upload
            const comment = fs.readFileSync(path.join(out, "crash", "plan.md"), "utf8");
            expect(comment).to.match(
                /^## Runway plan: no-such-stack\n\n\*\*The plan could not run:\*\* no stack file Pulumi\.no-such-stack\.yaml/,
            );
            expect(comment).to.include("Exit code 2");
            expect(fs.readFileSync(path.join(out, "crash.output"), "utf8")).to.equal("exit-code=2\n");
            expect(fs.readFileSync(path.join(out, "crash.summary"), "utf8")).to.equal(comment);
        });

        it("has no side effects on import: no resources registered, no config read", async () => {
            const result = await commands.probe;
            expect(result.stderr).to.equal("");
            const { calls, exports, loads } = JSON.parse(result.stdout);
            expect({ calls, exports }).to.deep.equal({ calls: [], exports: ["RunwayInputError", "cost", "formatProblem", "tiers"] });
            // The root entry loads no cloud SDK, and each entry point only the providers the library page lists for it.
            expect(loads).to.deep.equal(readmeEntryPoints());
        });

        it("its policy pack starts from node_modules as the Pulumi CLI starts it", async () => {
            const packDir = path.join(pkg.consumer, "node_modules", "runway-iac", "dist", "policy");
            const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
            const child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
            const port = await new Promise<string>((resolve, reject) => {
                let out = "";
                let err = "";
                child.stderr.on("data", (d) => (err += d));
                child.stdout.on("data", (d) => {
                    out += d;
                    if (out.includes("\n")) resolve(out.split("\n")[0]);
                });
                child.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
            });
            expect(port).to.match(/^\d+$/);
            expect(Number(port)).to.be.within(1, 65535);
            const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
            process.kill(child.pid!, "SIGTERM"); // the CLI stops a pack by PID
            expect(await exited).to.equal("SIGTERM");
            // Dockerfile paths of the consumer resolve against the consumer project, not the package.
            expect(defaultDockerfileRoot(packDir)).to.equal(pkg.consumer);
        });

        it("the generated preview workflows call what a project that installs the package has: its bin, crash.js and policy pack", () => {
            // The consumer stands for the user's infra/ folder (runway:infraDirectory): the workflows run there.
            const files = workflowFiles(
                {
                    tier: "production",
                    defaultBranch: "main",
                    deployBranch: "main",
                    appDirectory: "app",
                    dockerfile: "app/Dockerfile",
                    infraDirectory: "infra",
                    previewStacks: ["staging", "production"],
                    healthPath: "/health",
                    nodeVersion: "24",
                },
                true,
            );
            const steps = (file: string) => Object.values<any>(parse(files[file]).jobs).flatMap((j) => j.steps);
            const scripts = steps(".github/workflows/runway-preview.yml")
                .map((s) => String(s.run ?? ""))
                .join("\n");
            const bins = [...scripts.matchAll(/npx --no-install (\S+)/g)].map((m) => m[1]);
            expect(bins).to.include("runway-iac");
            for (const bin of bins) expect(fs.existsSync(path.join(pkg.consumer, "node_modules", ".bin", bin)), bin).to.equal(true);
            const scriptsRun = [...scripts.matchAll(/\bnode (node_modules\/\S+)/g)].map((m) => m[1]);
            expect(scriptsRun).to.have.length.greaterThan(0);
            for (const file of scriptsRun) expect(fs.existsSync(path.join(pkg.consumer, file)), file).to.equal(true);
            expect(scripts).to.not.match(/npm run/);
            const pulumi = steps(".github/workflows/runway-pulumi-preview.yml").find((s) => String(s.uses).startsWith("pulumi/actions@"));
            expect(pulumi.with["work-dir"]).to.equal("infra");
            // pulumi/actions runs the CLI in work-dir, so the pack's path is relative to the project.
            expect(fs.existsSync(path.join(pkg.consumer, pulumi.with.policyPacks, "PulumiPolicy.yaml"))).to.equal(true);
        });
    });
});

describe("default Dockerfile root of the policy pack", () => {
    it("is the nearest directory above the pack with a Pulumi.yaml, else the pack's parent", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-root-"));
        const pack = path.join(dir, "project", "node_modules", "runway-iac", "dist", "policy");
        fs.mkdirSync(pack, { recursive: true });
        expect(defaultDockerfileRoot(pack)).to.equal(path.join(dir, "project", "node_modules", "runway-iac", "dist"));
        fs.writeFileSync(path.join(dir, "project", "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
        expect(defaultDockerfileRoot(pack)).to.equal(path.join(dir, "project"));
        expect(defaultDockerfileRoot(path.join(ROOT, "policy"))).to.equal(ROOT);
    });
});

describe("the shared TypeScript host (scripts/typescript.js)", () => {
    it("builds and type-checks in one program: a build file using a global only the check's types declare fails the build, as in its own program", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-tswithin-"));
        const write = (file: string, text: string) => fs.writeFileSync(path.join(dir, file), text);
        // As the repository's own (target, module): the lib files' parses are shared with its check.
        const compilerOptions = {
            strict: true,
            noEmit: true,
            target: "ES2022",
            module: "commonjs",
            lib: ["ES2022"],
            skipLibCheck: true,
            outDir: "out",
        };
        const typeRoots = [path.join(ROOT, "node_modules", "@types")];
        write("tsconfig.json", JSON.stringify({ compilerOptions: { ...compilerOptions, typeRoots, types: ["mocha"] }, include: ["*.ts"] }));
        write(
            "tsconfig.build.json",
            JSON.stringify({
                extends: "./tsconfig.json",
                compilerOptions: { types: [], noEmit: false, declaration: true, rootDir: "." },
                include: ["lib.ts"],
            }),
        );
        write("lib.test.ts", 'describe("lib", () => it("runs", () => undefined));\n');
        const [buildConfig, checkConfig] = ["tsconfig.build.json", "tsconfig.json"].map((f) => path.join(dir, f));
        write("lib.ts", 'export const suite = () => describe("x", () => undefined);\n');
        const used = compileWithin(buildConfig, checkConfig);
        expect(used.check).to.equal("");
        expect(used.build).to.match(/lib\.ts\(1,28\): error TS2304: Cannot find name 'describe': only @types\/mocha declares it/);
        expect(compile(buildConfig), "the build's own program").to.match(/lib\.ts\(1,28\): error TS2593: Cannot find name 'describe'/);
        // A function of its own by that name is not mocha's.
        write(
            "lib.ts",
            'function describe(name: string, body: () => void) {\n    return [name, body];\n}\nexport const suite = () => describe("x", () => undefined);\n',
        );
        const own = compileWithin(buildConfig, checkConfig);
        expect(own, JSON.stringify(own)).to.deep.equal({ build: "", check: "" });
        expect(fs.readFileSync(path.join(dir, "out", "lib.d.ts"), "utf8")).to.include(
            "export declare const suite: () => (string | (() => void))[];",
        );
        expect(fs.existsSync(path.join(dir, "out", "lib.test.js")), "only the build's files are emitted").to.equal(false);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("one parse of a declaration file serves its copies at other paths, each checked under its own name, two in one program too", () => {
        const project = (dir: string) => {
            for (const copy of ["one", "two"]) {
                fs.mkdirSync(path.join(dir, "node_modules", copy), { recursive: true });
                fs.writeFileSync(path.join(dir, "node_modules", copy, "index.d.ts"), "export declare const size: Missing;\n");
            }
            fs.writeFileSync(
                path.join(dir, "index.ts"),
                'import { size as a } from "one";\nimport { size as b } from "two";\nexport const ab = [a, b];\n',
            );
            fs.writeFileSync(
                path.join(dir, "tsconfig.json"),
                JSON.stringify({ compilerOptions: { noLib: true, noEmit: true, types: [] }, files: ["index.ts"] }),
            );
            return path.join(dir, "tsconfig.json");
        };
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "runway-tshost-"));
        for (const name of ["first", "second"]) {
            const errors = typeCheck(project(path.join(root, name)))
                .split("\n")
                .filter((l) => l.includes("Missing"))
                .map((l) => path.resolve(l.replace(/\(.*$/, "")));
            expect(errors, name).to.deep.equal(["one", "two"].map((copy) => path.join(root, name, "node_modules", copy, "index.d.ts")));
        }
        fs.rmSync(root, { recursive: true, force: true });
    });
});
