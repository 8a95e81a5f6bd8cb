import { expect } from "chai";
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { mandatoryViolations, plan } from "../plan";
import { defaultDockerfileRoot } from "../policy/lib/dockerfileSource";
import { ROOT } from "./helpers/plans";

// The strict type-check, the build and the consumer's check run here, in one process, on one
// TypeScript host: the @pulumi/* declarations they all read are parsed once (scripts/typescript.js).
const { typeCheck } = require("../scripts/typescript") as { typeCheck(tsconfig: string): string };
const { build } = require("../scripts/build") as { build(): void };
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

/**
 * Builds and packs the library once and installs it into a temporary copy of the consumer. The build
 * is `npm run build`'s own function, run here; `npm pack` then skips its prepack (which would run that
 * same build again in a new process, parsing every declaration anew).
 */
function packAndInstall(): { tarball: string; files: string[]; consumer: string } {
    build();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "runway-pack-"));
    const packed = JSON.parse(execFileSync(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", out], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
    const tarball = path.join(out, packed[0].filename);
    const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
    // Inside the repository, so the consumer's @pulumi/* peers resolve to the same installed versions
    // it pins (and the test needs no network); its package.json keeps only the packed tarball.
    const consumer = fs.mkdtempSync(path.join(ROOT, ".consumer-test-"));
    fs.cpSync(path.join(ROOT, "examples", "consumer"), consumer, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(consumer, "package.json"), "utf8"));
    fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ ...manifest, dependencies: { runway: `file:${tarball}` }, devDependencies: {} }, null, 2));
    execFileSync(NPM, ["install", "--no-audit", "--no-fund", "--legacy-peer-deps", "--prefer-offline"], { cwd: consumer, stdio: ["ignore", "pipe", "pipe"] });
    return { tarball, files, consumer };
}

describe("the TypeScript sources", function () {
    this.timeout(420000); // a guard against a hang, not a speed check: a full type-check on a busy machine

    it("type-check under strict with no error (tsconfig.json, as `npm run typecheck`)", () => {
        expect(typeCheck(path.join(ROOT, "tsconfig.json"))).to.equal("");
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

describe("the npm package", function () {
    this.timeout(420000); // a guard against a hang, not a speed check: npm pack + install + tsc on a busy machine
    let pkg: ReturnType<typeof packAndInstall>;

    before(() => {
        pkg = packAndInstall();
    });

    after(() => {
        if (pkg) fs.rmSync(pkg.consumer, { recursive: true, force: true });
    });

    it("npm pack builds first: prepack is `npm run build`, whose script runs the build this test ran", () => {
        expect(MANIFEST.scripts.prepack).to.equal("npm run build");
        expect(MANIFEST.scripts.build).to.equal("node scripts/build.js");
    });

    it("ships compiled code, types, the policy pack and docs only", () => {
        const allowed = /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|bin\/runway\.js|dist\/(components|policy)\/.+\.(js|d\.ts)|dist\/plan\/[\w]+\.js|dist\/policy\/(PulumiPolicy\.yaml|package\.json|README\.md))$/;
        expect(pkg.files.filter((f) => !allowed.test(f)), "unexpected files").to.deep.equal([]);
        expect(pkg.files.filter((f) => /(^|\/)(tests?|fixtures|stacks|examples|app|scripts)\//.test(f) || /^plan\//.test(f) || /\.map$|Pulumi\.[\w-]+\.yaml$|\.env$/.test(f) || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)))).to.deep.equal([]);
        expect(pkg.files).to.include.members(["dist/components/index.js", "dist/components/index.d.ts", "dist/policy/index.js", "dist/policy/PulumiPolicy.yaml", "CHANGELOG.md", "bin/runway.js", "dist/plan/cli.js"]);
    });

    it("following the consumer steps (npm install in examples/consumer) leaves no untracked file", () => {
        const original = new Set(fs.readdirSync(path.join(ROOT, "examples", "consumer")));
        const written = fs.readdirSync(pkg.consumer).filter((f) => !original.has(f));
        expect(written).to.include("node_modules").and.not.include("package-lock.json");
        const asInExample = written.map((f) => `examples/consumer/${f}${fs.statSync(path.join(pkg.consumer, f)).isDirectory() ? "/" : ""}`);
        const ignored = spawnSync("git", ["check-ignore", "--no-index", ...asInExample], { cwd: ROOT, encoding: "utf8" });
        expect(ignored.stdout.trim().split("\n").sort()).to.deep.equal(asInExample.sort());
        expect(spawnSync("git", ["check-ignore", "--no-index", "runway-0.1.0.tgz", "docs/api/index.html"], { cwd: ROOT, encoding: "utf8" }).stdout.trim().split("\n")).to.have.length(2);
    });

    it("declares the @pulumi packages as peers with the ranges the tests run, and an exports map", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(pkg.consumer, "node_modules", "runway", "package.json"), "utf8"));
        expect(Object.keys(manifest.peerDependencies).sort()).to.deep.equal(["@pulumi/aws", "@pulumi/docker", "@pulumi/gcp", "@pulumi/github", "@pulumi/policy", "@pulumi/pulumi", "@pulumi/random"]);
        for (const [name, range] of Object.entries<string>(manifest.peerDependencies)) {
            const installed = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
            expect(range, name).to.equal(`^${String(installed).replace(/^v/, "")}`);
        }
        expect(Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith("@pulumi/"))).to.deep.equal([]);
        expect(manifest.exports["."]).to.deep.equal({ types: "./dist/components/index.d.ts", default: "./dist/components/index.js" });
    });

    it("type-checks the consumer under strict against the installed package", () => {
        expect(typeCheck(path.join(pkg.consumer, "tsconfig.json"))).to.equal("");
    });

    it("plans the consumer offline with its own names and zero mandatory violations", async () => {
        const { document } = await plan({ cwd: pkg.consumer, stack: "dev" });
        expect(document.resources.filter((r) => r.type.startsWith("runway:")).map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal([
            "runway:docker:Image shop-web", "runway:gcp:Monitoring shop-ops", "runway:gcp:Registry shop-images", "runway:gcp:Service shop-web",
        ]);
        expect(document.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service")?.inputs.name).to.equal("shop-web");
        expect(mandatoryViolations(document)).to.deep.equal([]);
    });

    it("`npx runway plan --stack dev` in the consumer plans it with the compiled command (its TypeScript transpiled, not type-checked)", () => {
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|INIT_CWD$)/i.test(k)));
        const run = spawnSync(process.platform === "win32" ? "npx.cmd" : "npx", ["--no-install", "runway", "plan", "--stack", "dev"], { cwd: pkg.consumer, encoding: "utf8", env });
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.match(/^Offline plan of shop\/dev\n/).and.match(/\+ runway:gcp:Service {2}shop-web/).and.match(/policies: \d+ passed, 0 mandatory violations/);
        const bin = fs.realpathSync(path.join(pkg.consumer, "node_modules", ".bin", "runway"));
        expect(bin).to.equal(fs.realpathSync(path.join(pkg.consumer, "node_modules", "runway", "bin", "runway.js")));
        expect(fs.existsSync(path.join(pkg.consumer, "node_modules", "runway", "plan")), "no TypeScript sources of the plan").to.equal(false);
        const help = spawnSync(process.execPath, [bin, "plan", "--help"], { cwd: pkg.consumer, encoding: "utf8", env });
        expect(help.stdout).to.include("npx runway plan --stack <name> [options]");
    });

    it("the GitHub Action's plan script writes the comment, the PR number and the exit code in the consumer", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "runway-action-"));
        const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|INIT_CWD$|GITHUB_)/i.test(k))), STACK: "dev", CONFIG: "shop:alertEmail=ops@example.com\n", PR_NUMBER: "42", OUT: out, GITHUB_OUTPUT: path.join(out, "github-output") };
        const run = spawnSync("bash", [path.join(ROOT, "action", "plan.sh")], { cwd: pkg.consumer, encoding: "utf8", env });
        expect(run.status, run.stderr).to.equal(0);
        expect(fs.readFileSync(path.join(out, "plan.md"), "utf8")).to.match(/^## Runway plan: `shop\/dev`/).and.include("```mermaid");
        expect(fs.readFileSync(path.join(out, "pr-number"), "utf8")).to.equal("42\n");
        expect(fs.readFileSync(path.join(out, "github-output"), "utf8")).to.equal("exit-code=0\n");
        fs.rmSync(out, { recursive: true, force: true });
    });

    it("has no side effects on import: no resources registered, no config read", () => {
        const probe = [
            'const config = require("@pulumi/pulumi/runtime/config");',
            'const resource = require("@pulumi/pulumi/runtime/resource");',
            "const calls = [];",
            'for (const [mod, names] of [[config, ["getConfig", "allConfig", "getAllConfig"]], [resource, ["registerResource", "readResource"]]]) {',
            "  for (const n of names) if (typeof mod[n] === \"function\") { const f = mod[n]; mod[n] = (...a) => { calls.push(n); return f(...a); }; }",
            "}",
            'const lib = require("runway");',
            "setImmediate(() => console.log(JSON.stringify({ calls, exports: Object.keys(lib).sort() })));",
        ].join("\n");
        const result = spawnSync(process.execPath, ["-e", probe], { cwd: pkg.consumer, encoding: "utf8" });
        expect(result.stderr).to.equal("");
        expect(JSON.parse(result.stdout)).to.deep.equal({ calls: [], exports: ["RunwayInputError", "aws", "cost", "docker", "formatProblem", "gcp", "github", "local", "tiers"] });
    });

    it("its policy pack starts from node_modules as the Pulumi CLI starts it", async () => {
        const packDir = path.join(pkg.consumer, "node_modules", "runway", "dist", "policy");
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
});

describe("default Dockerfile root of the policy pack", () => {
    it("is the nearest directory above the pack with a Pulumi.yaml, else the pack's parent", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-root-"));
        const pack = path.join(dir, "project", "node_modules", "runway", "dist", "policy");
        fs.mkdirSync(pack, { recursive: true });
        expect(defaultDockerfileRoot(pack)).to.equal(path.join(dir, "project", "node_modules", "runway", "dist"));
        fs.writeFileSync(path.join(dir, "project", "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
        expect(defaultDockerfileRoot(pack)).to.equal(path.join(dir, "project"));
        expect(defaultDockerfileRoot(path.join(ROOT, "policy"))).to.equal(ROOT);
    });
});
