import { PolicyPackConfig } from "@pulumi/policy";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { ResourceRecord } from "../../plan/engine";
import { PolicyPackSpec, PolicyReport, runPolicies } from "../../plan/engine/policies";

const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

/** The wire sentinel for a value that is unknown during preview. */
export const UNKNOWN = rpc.unknownValue;

export interface FakeResource {
    type: string;
    name: string;
    props?: Record<string, unknown>;
    protect?: boolean;
    /** Property → names of the resources it came from (within the same fake stack). */
    propertyDependencies?: Record<string, string[]>;
}

/** The URN the engine would give a top-level resource. */
export function urnOf(type: string, name: string, stack = "dev"): string {
    return `urn:pulumi:${stack}::test::${type}::${name}`;
}

/** A recorded run made of the given custom resources, as the policy analyzer would receive it. */
export function fakeRun(resources: FakeResource[], stack = "dev") {
    const urnByName = new Map(resources.map((r) => [r.name, urnOf(r.type, r.name, stack)]));
    const records: ResourceRecord[] = resources.map((r) => ({
        urn: urnOf(r.type, r.name, stack),
        type: r.type,
        name: r.name,
        custom: true,
        dependencies: [],
        protect: r.protect === true,
        ignoreChanges: [],
        retainOnDelete: false,
        aliases: [],
        propertyDependencies: Object.fromEntries(
            Object.entries(r.propertyDependencies ?? {}).map(([k, names]) => [k, names.map((n) => urnByName.get(n)!)]),
        ),
        inputs: r.props ?? {},
        secretInputs: [],
    }));
    const wireInputs = new Map(resources.map((r) => [urnOf(r.type, r.name, stack), Struct.fromJavaScript(r.props ?? {})]));
    return { resources: records, wireInputs };
}

/** Runs one policy over fake resources through the same handlers the engine calls. */
export function checkPolicy(
    policy: PolicyPackSpec["policies"][number],
    resources: FakeResource[],
    options: { config?: Record<string, unknown>; stack?: string } = {},
): Promise<PolicyReport> {
    const pack: PolicyPackSpec = { name: "test-pack", version: "0.0.1", enforcementLevel: "mandatory", policies: [policy] };
    const config: PolicyPackConfig = options.config ? { [policy.name]: options.config } : {};
    return runPolicies(pack, fakeRun(resources, options.stack), config);
}

/** Runs several policies over the same fake resources in one pass, each with its own config. */
export function checkPolicies(
    policies: PolicyPackSpec["policies"],
    resources: FakeResource[],
    configs: Record<string, Record<string, unknown>> = {},
): Promise<PolicyReport> {
    const pack: PolicyPackSpec = { name: "test-pack", version: "0.0.1", enforcementLevel: "mandatory", policies };
    return runPolicies(pack, fakeRun(resources), configs as PolicyPackConfig);
}

/** Violation messages, one per line, for readable assertions. */
export function messages(report: PolicyReport): string[] {
    return report.violations.map((v) => `[${v.level}] ${v.message.split("\n").slice(1).join(" ") || v.message}`);
}

/**
 * Calls a policy's validate function directly, the way a caller that does not fill schema
 * defaults would: `getConfig()` returns exactly `config`. Returns the reported messages.
 */
export async function callDirectly(
    policy: PolicyPackSpec["policies"][number],
    resources: FakeResource[],
    config: object = {},
    stackName = "dev",
): Promise<string[]> {
    const reported: string[] = [];
    const report = (message: string) => void reported.push(message);
    const notApplicable = (reason?: string): never => {
        throw new NotApplicable(reason);
    };
    const stack = fakeRun(resources, stackName);
    const asResource = (r: ResourceRecord) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.inputs,
        opts: {
            protect: r.protect,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    });
    const base = { stackTags: new Map<string, string>(), getConfig: <T>() => config as T, notApplicable };
    try {
        if ("validateStack" in policy) {
            await policy.validateStack({ ...base, resources: stack.resources.map(asResource) as never }, report);
        } else {
            for (const r of stack.resources) {
                for (const validate of [policy.validateResource ?? []].flat()) {
                    try {
                        await validate({ ...base, ...asResource(r) } as never, report);
                    } catch (err) {
                        if (!(err instanceof NotApplicable)) throw err;
                    }
                }
            }
        }
    } catch (err) {
        if (!(err instanceof NotApplicable)) throw err;
    }
    return reported;
}

class NotApplicable extends Error {}
