import { expect } from "chai";
import { ProgramRun, ResourceRecord, recordProgram, recordedBeforeFailure } from "../../plan/engine";

/** Runs `program` under the recording mock monitor with a fixed project/stack. */
export function record(program: () => unknown): Promise<ProgramRun> {
    return recordProgram(program, { project: "test", stack: "test", config: { "gcp:project": "acme-test" }, secretKeys: [] });
}

/** The single resource of `type` named `name`. */
export function one(run: ProgramRun, type: string, name: string): ResourceRecord {
    const found = run.resources.filter((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name} among ${run.resources.map((r) => r.name).join(", ")}`).to.have.length(1);
    return found[0];
}

export function ofType(run: ProgramRun, type: string): ResourceRecord[] {
    return run.resources.filter((r) => r.type === type);
}

/** Expects `program` to fail with a RunwayInputError whose message matches `pattern`, before any child registers. */
export async function expectRejected(program: () => unknown, pattern: RegExp): Promise<void> {
    let registered: string[] = [];
    try {
        const run = await record(program);
        registered = run.resources.map((r) => r.type);
    } catch (err) {
        expect((err as Error).message).to.match(pattern);
        const cloudResources = recordedBeforeFailure(err)
            .filter((r) => r.custom)
            .map((r) => `${r.type} ${r.name}`);
        expect(cloudResources, "cloud resources registered before the error").to.deep.equal([]);
        return;
    }
    throw new Error(`expected a failure, but registered ${registered.join(", ")}`);
}

/** A recorded resource with only what a check reads (`extra` fills in the rest, e.g. `inputs`). */
export function fakeRecord(type: string, name: string, extra: Partial<ResourceRecord> = {}): ResourceRecord {
    return {
        urn: `urn:pulumi:dev::p::${type}::${name}`,
        type,
        name,
        custom: true,
        dependencies: [],
        propertyDependencies: {},
        protect: false,
        ignoreChanges: [],
        retainOnDelete: false,
        aliases: [],
        inputs: {},
        secretInputs: [],
        ...extra,
    };
}
