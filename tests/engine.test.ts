import { expect } from "chai";
import { PolicyConfigSchema } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { recordProgram, recordedBeforeFailure } from "../plan/engine";
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
