import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { recordProgram, recordedBeforeFailure } from "../plan/engine";

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
});
