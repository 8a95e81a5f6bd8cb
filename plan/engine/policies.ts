/**
 * Runs a policy pack's policies on an offline plan exactly as the engine would: the same gRPC
 * request messages (`AnalyzeRequest` per custom resource, one `AnalyzeStackRequest` with parents,
 * dependencies and property dependencies), handed to @pulumi/policy's own request handlers, so
 * props go through its deserializer and `unknownCheckingProxy`, `notApplicable` and config work as
 * they do under `pulumi preview --policy-pack`.
 *
 * One difference: @pulumi/policy does not export its `configure` handler, so the resolved config
 * (level and properties, schema defaults filled as the engine fills them) is bound to a copy of
 * each policy instead of being sent in a `ConfigureAnalyzerRequest`.
 */
import * as fs from "fs";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { EnforcementLevel, Policies, PolicyPackConfig } from "@pulumi/policy";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import { ProgramRun, ResourceRecord } from "./index";
import { PlanConfigError } from "./project";

/** The request handlers @pulumi/policy registers on its gRPC server (exported, marked internal). */
const policyServer = require("@pulumi/policy/server") as {
    makeAnalyzeRpcFun(pack: string, version: string, level: EnforcementLevel, policies: Policies): RpcHandler;
    makeAnalyzeStackRpcFun(pack: string, version: string, level: EnforcementLevel, policies: Policies): RpcHandler;
};
type RpcHandler = (call: { request: unknown }, callback: (err: unknown, resp?: any) => void) => Promise<void> | void;

const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

export interface PolicyPackSpec {
    readonly name: string;
    readonly version: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly policies: Policies;
}

export interface PolicyViolation {
    readonly policy: string;
    /** `mandatory` for a policy that threw: the engine stops the preview with its error. */
    readonly level: EnforcementLevel;
    readonly urn?: string;
    readonly message: string;
    /** The policy threw instead of reporting (`pulumi preview` fails with this message). */
    readonly error?: true;
}

export interface PolicyReport {
    readonly pack: string;
    readonly version: string;
    /** Policies that ran (not disabled), in pack order. */
    readonly policies: { name: string; level: EnforcementLevel }[];
    readonly violations: PolicyViolation[];
    /** Policies that declared themselves not applicable, with the reason, per resource (or the stack). */
    readonly notApplicable: { policy: string; urn?: string; reason: string }[];
}

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

/** Reads a `--policy-pack-config` JSON file (`{ "all": "advisory", "<policy>": "mandatory" | { ... } }`). */
export function readPolicyConfigFile(file: string): PolicyPackConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new PlanConfigError(`--policy-config ${file}: cannot read it (${(err as NodeJS.ErrnoException).code})`);
    }
    try {
        const parsed = JSON.parse(text);
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("expected a JSON object");
        return parsed as PolicyPackConfig;
    } catch (err) {
        throw new PlanConfigError(`--policy-config ${file}: not valid policy pack config JSON (${(err as Error).message})`);
    }
}

const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });
/** Compiled validators by their schema's JSON: compiling generates code, and every plan validates the same schemas. */
const validators = new Map<string, ValidateFunction>();

/** The validator of `schema` (one compilation per distinct schema in a process). */
function validatorOf(schema: object): ValidateFunction {
    const key = JSON.stringify(schema);
    const known = validators.get(key);
    if (known) return known;
    const validate = ajv.compile(schema);
    validators.set(key, validate);
    return validate;
}

/**
 * Resolves the config the engine would send each policy: level (explicit, else `all`, else the
 * policy's, else the pack's) and properties validated against the policy's configSchema with its
 * defaults filled. `planDefaults` are Runway's offline defaults, used where the user set nothing.
 */
export function resolvePolicyConfig(
    pack: PolicyPackSpec,
    given: PolicyPackConfig,
    planDefaults: Record<string, Record<string, unknown>> = {},
): Map<string, { level: EnforcementLevel; properties: Record<string, unknown> }> {
    const problems: string[] = [];
    const names = new Set(pack.policies.map((p) => p.name));
    for (const key of Object.keys(given)) {
        if (key !== "all" && !names.has(key))
            problems.push(`"${key}" is not a policy of pack ${pack.name} (policies: ${[...names].join(", ")})`);
    }
    const levelOf = (value: unknown, where: string): EnforcementLevel | undefined => {
        if (value === undefined) return undefined;
        if (typeof value === "string" && (LEVELS as string[]).includes(value)) return value as EnforcementLevel;
        problems.push(`${where}: enforcement level ${JSON.stringify(value)} is not one of ${LEVELS.join(", ")}`);
        return undefined;
    };
    const all = levelOf(given.all as unknown, "all");
    const resolved = new Map<string, { level: EnforcementLevel; properties: Record<string, unknown> }>();
    for (const policy of pack.policies) {
        const entry = given[policy.name] as unknown;
        const explicit =
            typeof entry === "string"
                ? levelOf(entry, policy.name)
                : levelOf((entry as { enforcementLevel?: unknown } | undefined)?.enforcementLevel, `${policy.name}.enforcementLevel`);
        const { enforcementLevel: _ignored, ...userProps } = (typeof entry === "object" && entry !== null ? entry : {}) as Record<
            string,
            unknown
        >;
        const properties: Record<string, unknown> = { ...(planDefaults[policy.name] ?? {}), ...userProps };
        const schema = policy.configSchema;
        if (schema) {
            const validate = validatorOf({
                type: "object",
                properties: schema.properties,
                required: schema.required ?? [],
                additionalProperties: false,
            });
            if (!validate(properties)) {
                for (const e of validate.errors ?? [])
                    problems.push(describeSchemaError(policy.name, properties, e, Object.keys(schema.properties)));
            }
        } else if (Object.keys(userProps).length > 0) {
            problems.push(`${policy.name}: takes no config properties (given ${Object.keys(userProps).join(", ")})`);
        }
        resolved.set(policy.name, { level: explicit ?? all ?? policy.enforcementLevel ?? pack.enforcementLevel, properties });
    }
    if (problems.length > 0)
        throw new PlanConfigError(
            `policy config: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
    return resolved;
}

/** A copy of `policy` at the resolved level whose `getConfig()` returns the resolved properties. */
function bindConfig(policy: Policies[number], config: { level: EnforcementLevel; properties: Record<string, unknown> }): Policies[number] {
    const getConfig = <T extends object>() => ({ ...config.properties }) as T;
    if ("validateStack" in policy) {
        const validate = policy.validateStack;
        return { ...policy, enforcementLevel: config.level, validateStack: (args, report) => validate({ ...args, getConfig }, report) };
    }
    const validations = policy.validateResource === undefined ? [] : [policy.validateResource].flat();
    return {
        ...policy,
        enforcementLevel: config.level,
        validateResource: validations.map(
            (validate) => (args: Parameters<typeof validate>[0], report: Parameters<typeof validate>[1]) =>
                validate({ ...args, getConfig }, report),
        ),
    };
}

/** One schema error as `policy.key = value: what is allowed`. */
function describeSchemaError(policy: string, properties: Record<string, unknown>, e: ErrorObject, keys: string[]): string {
    const params = e.params as Record<string, unknown>;
    if (params.additionalProperty !== undefined)
        return `${policy}.${params.additionalProperty}: not a setting of this policy (settings: ${keys.join(", ")})`;
    const segments = e.instancePath.split("/").filter(Boolean);
    const value = segments.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], properties);
    const allowed = Array.isArray(params.allowedValues) ? `one of ${params.allowedValues.join(", ")}` : String(e.message);
    return `${policy}.${segments.join(".")} = ${JSON.stringify(value)}: ${allowed}`;
}

function resourceOptions(r: ResourceRecord): analyzerProto.AnalyzerResourceOptions {
    const opts = new analyzerProto.AnalyzerResourceOptions();
    opts.setProtect(r.protect);
    opts.setIgnorechangesList(r.ignoreChanges);
    opts.setAliasesList(r.aliases.filter((a): a is string => typeof a === "string"));
    if (r.parent) opts.setParent(r.parent);
    opts.setCustomtimeouts(new analyzerProto.AnalyzerResourceOptions.CustomTimeouts());
    return opts;
}

/** Fills what `AnalyzeRequest` and the stack request's `AnalyzerResource` have in common. */
function describe<M extends analyzerProto.AnalyzeRequest | analyzerProto.AnalyzerResource>(
    message: M,
    r: ResourceRecord,
    properties: unknown,
): M {
    message.setType(r.type);
    message.setName(r.name);
    message.setUrn(r.urn);
    message.setProperties(properties as never);
    message.setOptions(resourceOptions(r));
    return message;
}

function call(handler: RpcHandler, request: unknown): Promise<any> {
    return new Promise((resolve, reject) => {
        void handler({ request }, (err, resp) => (err ? reject(err) : resolve(resp)));
    });
}

function violationsOf(response: analyzerProto.AnalyzeResponse): PolicyViolation[] {
    return response.getDiagnosticsList().map((d) => ({
        policy: d.getPolicyname(),
        level: LEVELS[d.getEnforcementlevel()] ?? "advisory",
        ...(d.getUrn() ? { urn: d.getUrn() } : {}),
        message: d.getMessage(),
    }));
}

/** The error a policy threw, as the engine prints it: the header and the error line, no stack frames. */
function thrownMessage(err: unknown): string {
    const lines = String((err as Error)?.message ?? err).split("\n");
    return lines
        .filter((line) => !/^\s+at /.test(line))
        .join("\n")
        .trim();
}

/**
 * Runs every enabled policy of `pack` over the custom resources of `run`. Each policy runs on its
 * own, so one that throws is reported as its own failure on that resource (or the stack), an error
 * that fails `pulumi preview`, while every other policy still runs.
 */
export async function runPolicies(
    pack: PolicyPackSpec,
    run: Pick<ProgramRun, "resources" | "wireInputs">,
    config: PolicyPackConfig = {},
    planDefaults: Record<string, Record<string, unknown>> = {},
): Promise<PolicyReport> {
    const resolved = resolvePolicyConfig(pack, config, planDefaults);
    const configured = pack.policies.map((p) => bindConfig(p, resolved.get(p.name)!)).filter((p) => p.enforcementLevel !== "disabled");
    // The engine analyzes registrations: not providers, not resources the program only reads.
    const custom = run.resources.filter((r) => r.custom && !r.read && !r.type.startsWith("pulumi:providers:"));
    const violations: PolicyViolation[] = [];
    const notApplicable: PolicyReport["notApplicable"] = [];
    // A resource policy's diagnostics belong to the resource analyzed, as the engine shows them.
    const collect = (response: analyzerProto.AnalyzeResponse, urn?: string) => {
        violations.push(...violationsOf(response).map((v) => (v.urn || !urn ? v : { ...v, urn })));
        for (const na of response.getNotApplicableList())
            notApplicable.push({ policy: na.getPolicyName(), ...(urn ? { urn } : {}), reason: na.getReason() });
    };
    const stackRequest = new analyzerProto.AnalyzeStackRequest();
    const requests = custom.map((r) => {
        const properties = run.wireInputs.get(r.urn) ?? Struct.fromJavaScript({});
        const resource = describe(new analyzerProto.AnalyzerResource(), r, properties);
        if (r.parent) resource.setParent(r.parent);
        resource.setDependenciesList(r.dependencies);
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
            const deps = new analyzerProto.AnalyzerPropertyDependencies();
            deps.setUrnsList(urns);
            resource.getPropertydependenciesMap().set(key, deps);
        }
        stackRequest.addResources(resource);
        return { urn: r.urn, request: describe(new analyzerProto.AnalyzeRequest(), r, properties) };
    });
    const failed = (policy: string, err: unknown, urn?: string) =>
        violations.push({ policy, level: "mandatory", ...(urn ? { urn } : {}), message: thrownMessage(err), error: true });
    const handlers = configured.map((policy) => ({
        policy,
        analyze: policyServer.makeAnalyzeRpcFun(pack.name, pack.version, pack.enforcementLevel, [policy]),
        analyzeStack: policyServer.makeAnalyzeStackRpcFun(pack.name, pack.version, pack.enforcementLevel, [policy]),
    }));
    const resourcePolicies = handlers.filter((h) => !("validateStack" in h.policy));
    for (const { urn, request } of requests) {
        for (const h of resourcePolicies)
            await call(h.analyze, request).then(
                (response) => collect(response, urn),
                (err) => failed(h.policy.name, err, urn),
            );
    }
    for (const h of handlers.filter((x) => "validateStack" in x.policy)) {
        await call(h.analyzeStack, stackRequest).then(
            (response) => collect(response),
            (err) => failed(h.policy.name, err),
        );
    }
    return {
        pack: pack.name,
        version: pack.version,
        policies: pack.policies.map((p) => ({ name: p.name, level: resolved.get(p.name)!.level })).filter((p) => p.level !== "disabled"),
        violations,
        notApplicable,
    };
}
