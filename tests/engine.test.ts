import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyConfigSchema } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { recordProgram, recordedBeforeFailure, runProject } from "../plan/engine";
import { generatedString } from "../plan/engine/mockOutputs";
import { resolvePolicyConfig } from "../plan/engine/policies";

const opts = { project: "t", stack: "t", config: { "gcp:project": "acme-test" }, secretKeys: [] };

describe("offline engine", () => {
    it("records resource options the engine would receive", async () => {
        const run = await recordProgram(() => {
            const a = new random.RandomPet("a", {}, { protect: true, retainOnDelete: true, ignoreChanges: ["prefix"] });
            new random.RandomPet("b", { prefix: a.id }, { dependsOn: [a], aliases: [{ name: "old-b" }] });
        }, opts);
        const [a, b] = run.resources.filter((r) => r.custom);
        expect(a).to.include({ protect: true, retainOnDelete: true });
        expect(a.ignoreChanges).to.deep.equal(["prefix"]);
        expect(b.dependencies).to.include(a.urn);
        expect(b.propertyDependencies.prefix).to.deep.equal([a.urn]);
        expect(b.aliases).to.have.length(1);
    });

    it("records secret inputs by path and secret outputs as [secret]", async () => {
        const run = await recordProgram(() => {
            new random.RandomPet("p", { prefix: pulumi.secret("hidden-sentinel") });
            return { out: pulumi.secret("out-sentinel"), plain: "visible" };
        }, opts);
        const pet = run.resources.find((r) => r.name === "p")!;
        expect(pet.secretInputs).to.deep.equal(["prefix"]);
        expect(run.outputs).to.deep.equal({ out: "[secret]", plain: "visible" });
        expect(JSON.stringify(run)).not.to.match(/sentinel/);
    });

    it("hands back what was registered before a program failed, and reports the failure once", async () => {
        try {
            await recordProgram(() => {
                new random.RandomPet("before", {});
                throw new Error("boom");
            }, opts);
            expect.fail("expected the program to fail");
        } catch (err) {
            expect((err as Error).message).to.equal("boom");
            expect(recordedBeforeFailure(err).map((r) => r.name)).to.include("before");
        }
        await new Promise((resolve) => setImmediate(resolve));
    });

    it("runs the same program twice with fresh records", async () => {
        const program = () => void new random.RandomPet("once", {});
        const first = await recordProgram(program, opts);
        const second = await recordProgram(program, opts);
        expect(first.resources.map((r) => r.name)).to.deep.equal(second.resources.map((r) => r.name));
        expect(second.resources.filter((r) => r.name === "once")).to.have.length(1);
    });

    it("runs plans started together one after another: each run records only its own resources", async () => {
        const program = (name: string) => () => {
            for (let i = 0; i < 20; i++) new random.RandomPet(`${name}-${i}`, {});
        };
        const runs = await Promise.all(["a", "b", "c"].map((stack) => recordProgram(program(stack), { ...opts, stack })));
        for (const [i, run] of runs.entries()) {
            const stack = ["a", "b", "c"][i];
            expect(run.resources.filter((r) => r.custom).map((r) => r.name)).to.deep.equal(
                Array.from({ length: 20 }, (_, n) => `${stack}-${n}`),
            );
            expect(run.resources[0].urn).to.equal(`urn:pulumi:${stack}::t::pulumi:pulumi:Stack::t-${stack}`);
        }
    });

    it("generates random values per stack and resource, in the alphabet and length the inputs allow", async () => {
        const suffixOf = async (stack: string) => {
            const run = await recordProgram(
                () => ({ s: new random.RandomString("suffix", { length: 6, special: false, upper: false }).result }),
                {
                    ...opts,
                    stack,
                },
            );
            return run.outputs.s as string;
        };
        const [dev, prod, devAgain] = [await suffixOf("dev"), await suffixOf("prod"), await suffixOf("dev")];
        expect(dev).to.match(/^[a-z0-9]{6}$/);
        expect(prod).to.not.equal(dev);
        expect(devAgain, "the same stack plans the same value").to.equal(dev);
        expect(generatedString({ length: 40, lower: false, upper: false, special: false }, "x")).to.match(/^\d{40}$/);
        expect(generatedString({ length: 5, numeric: false, special: false, lower: false }, "x")).to.match(/^[A-Z]{5}$/);
        expect(generatedString({ length: 12, overrideSpecial: "_", lower: false, upper: false, numeric: false }, "x")).to.equal(
            "_".repeat(12),
        );
    });
});

/**
 * A project in its own folder outside the repository with its own copy of a small provider package
 * (as after `npm install` there): the package registers its resource module when it loads and, as
 * generated providers do, loads its resource class lazily. @pulumi/pulumi is this checkout's.
 */
function projectWithOwnProvider(root: string, name: string): string {
    const dir = path.join(root, name);
    const provider = path.join(dir, "node_modules", "runway-test-provider");
    fs.mkdirSync(provider, { recursive: true });
    fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"));
    fs.symlinkSync(
        path.dirname(require.resolve("@pulumi/pulumi/package.json")),
        path.join(dir, "node_modules", "@pulumi", "pulumi"),
        "dir",
    );
    const files: Record<string, string> = {
        [path.join(provider, "package.json")]: JSON.stringify({ name: "runway-test-provider", version: "1.0.0", main: "index.js" }),
        [path.join(provider, "index.js")]: [
            'const pulumi = require("@pulumi/pulumi");',
            'Object.defineProperty(exports, "Thing", { enumerable: true, get: () => require("./thing").Thing });',
            'pulumi.runtime.registerResourceModule("runwaytest", "index", {',
            '    version: "1.0.0",',
            "    construct: (name, type, urn) => new exports.Thing(name, undefined, { urn }),",
            "});",
        ].join("\n"),
        [path.join(provider, "thing.js")]: [
            'const pulumi = require("@pulumi/pulumi");',
            "class Thing extends pulumi.CustomResource {",
            '    constructor(name, args, opts) { super("runwaytest:index:Thing", name, { ref: undefined, ...args }, opts); }',
            "}",
            "exports.Thing = Thing;",
        ].join("\n"),
        [path.join(dir, "index.js")]: [
            'const { Thing } = require("runway-test-provider");',
            'const first = new Thing("first", {});',
            'const second = new Thing("second", { ref: first });',
            "exports.ownClass = second.ref.apply((ref) => ref instanceof Thing);",
        ].join("\n"),
    };
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(file, text);
    return dir;
}

describe("runs in one process (several projects planned by one host)", function () {
    this.timeout(30000);
    let root: string;
    before(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), "runway-registry-"))));
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    const run = (cwd: string) =>
        runProject({ project: "p", stack: "dev", cwd, main: path.join(cwd, "index.js"), config: {}, secretKeys: [] }, "dev");

    it("each see the provider packages of their own program: an earlier project's copy, even deleted, is not used", async () => {
        const earlier = projectWithOwnProvider(root, "earlier");
        expect((await run(earlier)).outputs).to.deep.equal({ ownClass: true });
        fs.rmSync(earlier, { recursive: true });
        // Its package registered the same module and version first; the SDK would build this
        // project's resource references with that copy's class (whose files are gone).
        const later = projectWithOwnProvider(root, "later");
        const first = await run(later);
        expect(first.outputs).to.deep.equal({ ownClass: true });
        const second = first.resources.find((r) => r.name === "second")!;
        expect(second.dependencies).to.deep.equal([first.resources.find((r) => r.name === "first")!.urn]);
        // Planned again (its package is not loaded again): the same class.
        expect((await run(later)).outputs).to.deep.equal({ ownClass: true });
    });

    it("a provider package that is an ES module is seen from a program below its node_modules, as a JavaScript one is", async () => {
        const shared = path.join(root, "esm");
        const provider = path.join(shared, "node_modules", "runway-test-esm-provider");
        fs.mkdirSync(provider, { recursive: true });
        fs.symlinkSync(
            path.dirname(path.dirname(require.resolve("@pulumi/pulumi/package.json"))),
            path.join(shared, "node_modules", "@pulumi"),
            "dir",
        );
        const files: Record<string, string> = {
            [path.join(provider, "package.json")]: JSON.stringify({
                name: "runway-test-esm-provider",
                version: "1.0.0",
                type: "module",
                main: "index.js",
            }),
            [path.join(provider, "index.js")]: [
                'import * as pulumi from "@pulumi/pulumi";',
                "export class Thing extends pulumi.CustomResource {",
                '    constructor(name, args, opts) { super("runwayesm:index:Thing", name, { ref: undefined, ...args }, opts); }',
                "}",
                'pulumi.runtime.registerResourceModule("runwayesm", "index", { version: "1.0.0", construct: (name, type, urn) => new Thing(name, undefined, { urn }) });',
            ].join("\n"),
        };
        const program = [
            'import { Thing } from "runway-test-esm-provider";',
            'const first = new Thing("first", {});',
            'const second = new Thing("second", { ref: first });',
            "export const ownClass = second.ref.apply((ref) => ref instanceof Thing);",
        ].join("\n");
        for (const dir of [shared, path.join(shared, "sub")]) files[path.join(dir, "index.mjs")] = program;
        fs.mkdirSync(path.join(shared, "sub"));
        for (const [file, text] of Object.entries(files)) fs.writeFileSync(file, text);
        const runIn = (cwd: string) =>
            runProject({ project: "p", stack: "dev", cwd, main: path.join(cwd, "index.mjs"), config: {}, secretKeys: [] }, "dev");
        expect((await runIn(shared)).outputs).to.deep.equal({ ownClass: true });
        // The package loaded once, by the first run: the program in sub/ resolves the same one.
        expect((await runIn(path.join(shared, "sub"))).outputs).to.deep.equal({ ownClass: true });
    });

    it("a registration that fails inside the SDK is reported with its error, not as a program that never finished", async () => {
        const error = await recordProgram(() => {
            pulumi.runtime.registerResourceModule("runwaybroken", "index", {
                version: "1.0.0",
                construct: () => {
                    throw new Error("this copy of the package cannot build its resources");
                },
            });
            class Broken extends pulumi.CustomResource {
                constructor(name: string, args: Record<string, unknown>) {
                    super("runwaybroken:index:Broken", name, { ref: undefined, ...args });
                }
            }
            new Broken("b", { ref: new Broken("a", {}) });
        }, opts).catch((e: Error) => e);
        expect(String(error)).to.match(/this copy of the package cannot build its resources/);
        expect(String(error)).not.to.match(/never finished/);
    });
});

describe("policy config resolution (validators compiled once per process)", () => {
    const schema: PolicyConfigSchema = {
        properties: {
            level: { type: "string", enum: ["low", "high"], default: "low" },
            limit: { type: "number", default: 10 },
        },
    };
    const pack = (name: string) => ({
        name,
        version: "1.0.0",
        enforcementLevel: "advisory" as const,
        policies: [
            { name: "first", description: "d", configSchema: schema, validateStack: () => undefined },
            { name: "second", description: "d", configSchema: { ...schema }, validateStack: () => undefined },
        ],
    });

    it("validates each call on its own: errors, then none, then errors again; defaults filled every time", () => {
        const bad = () => resolvePolicyConfig(pack("p"), { first: { level: "severe" }, second: { limit: "many" } as never });
        expect(bad).to.throw('first.level = "severe": one of low, high');
        expect(bad).to.throw(/second\.limit = "many": must be number/);
        const good = resolvePolicyConfig(pack("p"), { first: { level: "high" } });
        expect(good.get("first")).to.deep.equal({ level: "advisory", properties: { level: "high", limit: 10 } });
        expect(good.get("second")).to.deep.equal({ level: "advisory", properties: { level: "low", limit: 10 } });
        expect(() => resolvePolicyConfig(pack("q"), { second: { level: "severe" } })).to.throw(
            /1 problem\n {2}- second\.level = "severe": one of low, high$/,
        );
    });
});
