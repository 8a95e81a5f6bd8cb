/**
 * The offline engine: runs a Pulumi program in-process under a mock monitor that records the full
 * registration of every resource. No CLI, no credentials, no network.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { isUnknown } from "@pulumi/pulumi/output";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as publicSettings from "@pulumi/pulumi/runtime/settings";
import * as internalState from "@pulumi/pulumi/runtime/state";
import { analyzerInputs } from "./analyzerInputs";
import { MockDefaults, answerCall, mockDefaultsFrom, mockResource } from "./mockOutputs";
import { esEntryFile, importProgram, isEsModule } from "./esm";
import { ProgramHost, UnfinishedProgramError, thrownError, watchRun } from "./host";
import { SecretValues } from "./secrets";
import { PlanConfigError, ProjectConfig } from "./project";
import { scopeRegistriesToRuns } from "./registry";
import { type Transpiler, transpilerFor } from "./transpile";

/** What the engine would receive for one resource registration. */
export interface ResourceRecord {
    urn: string;
    type: string;
    name: string;
    /** Parent URN (undefined only for the root stack). */
    parent?: string;
    /** Type of the parent, for identity comparisons that do not depend on URN shape. */
    parentType?: string;
    custom: boolean;
    /** Read, not created (`Resource.get`, a `StackReference`): `pulumi preview` shows it with `>`. */
    read?: true;
    /**
     * A multi-language component (awsx, eks, aws-apigateway…): its plugin creates its resources, so
     * offline it is not expanded and its outputs are unknown.
     */
    remote?: true;
    /** The id a read resource is looked up by. */
    id?: string;
    provider?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    protect: boolean;
    ignoreChanges: string[];
    retainOnDelete: boolean;
    deletedWith?: string;
    aliases: unknown[];
    /** Inputs with secret values replaced by "[secret]" and unknowns by "[unknown]". */
    inputs: Record<string, unknown>;
    /** Property paths (e.g. `secretData`, `template.containers[0].envs`) whose value is secret. */
    secretInputs: string[];
}

export interface ProgramRun {
    resources: ResourceRecord[];
    /** Stack outputs, secrets replaced by "[secret]". */
    outputs: Record<string, unknown>;
    /** Warnings and errors the program logged. */
    diagnostics: string[];
    /**
     * Inputs as the engine hands them to a policy analyzer (protobuf Struct with unknown and secret
     * markers; resource references as ids or URNs, assets with hashes: see analyzerInputs.ts), by
     * URN. Never printed: it holds secret values.
     */
    wireInputs: ReadonlyMap<string, unknown>;
    /** Every secret value the run knows (secret config, values marked secret): to be masked in any output. */
    secrets: SecretValues;
    /** What the engine would refuse while registering (an asset file it cannot read): `pulumi preview` fails. */
    refusals: Refusal[];
    /** The lookups the program made, answered offline: each function's token and the result fields that got placeholders. */
    lookups: Lookup[];
}

/** What the engine refuses while registering a resource (`pulumi preview` fails with it). */
export interface Refusal {
    urn: string;
    message: string;
}

/** A provider function the program called, answered offline with placeholders in `placeholders` (top-level fields). */
export interface Lookup {
    token: string;
    placeholders: string[];
    /** How it was answered when not from its declared type (`parsed offline`, `not rendered offline …`). */
    note?: string;
}

/** SDK functions the offline engine needs that are exported at runtime but internal in the typings. */
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const providerproto = require("@pulumi/pulumi/proto/provider_pb");

const settings = publicSettings as typeof publicSettings & { waitForRPCs(): Promise<void> };
const state = internalState as unknown as { getStore(): object };

/** Resources registered before a program failed (attached to the thrown error). */
export function recordedBeforeFailure(err: unknown): ResourceRecord[] {
    return (err as { recordedResources?: ResourceRecord[] } | null)?.recordedResources ?? [];
}

export const SECRET_MARK = "[secret]";
export const UNKNOWN_MARK = "[unknown]";

/** Replaces secret wrappers and unknowns, collecting the paths of secrets (and their values into `secrets`). */
export function redact(value: unknown, at: string, secretPaths: string[], secrets?: SecretValues): unknown {
    if (value === rpc.unknownValue || isUnknown(value)) return UNKNOWN_MARK;
    if (Array.isArray(value)) return value.map((v, i) => redact(v, `${at}[${i}]`, secretPaths, secrets));
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[rpc.specialSigKey] === rpc.specialSecretSig) {
            secretPaths.push(at);
            secrets?.addMarked(obj.value);
            return SECRET_MARK;
        }
        if (obj[rpc.specialSigKey] !== undefined) {
            return { kind: obj[rpc.specialSigKey] === rpc.specialResourceSig ? "resource" : "asset", urn: obj.urn, id: obj.id };
        }
        if (pulumi.Resource.isInstance(value)) return { kind: "resource" };
        if (pulumi.asset.Asset.isInstance(value)) return { kind: "asset" };
        if (pulumi.asset.Archive.isInstance(value)) return { kind: "archive" };
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(obj)) out[k] = redact(v, at ? `${at}.${k}` : k, secretPaths, secrets);
        return out;
    }
    return value;
}

/** Identity independent of URN shape: (type, name, parent type). */
export function identityOf(r: Pick<ResourceRecord, "type" | "name" | "parentType">): string {
    return `${r.type}::${r.name}::${r.parentType ?? ""}`;
}

/** `state` with `keys` wrapped as secrets, as the engine returns a provider's secret outputs. */
function markSecret(state: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
    if (keys.length === 0) return state;
    const out = { ...state };
    for (const key of keys) if (key in out) out[key] = { [rpc.specialSigKey]: rpc.specialSecretSig, value: out[key] };
    return out;
}

/** A MockMonitor that keeps the whole RegisterResourceRequest of every resource. */
class RecordingMonitor extends MockMonitor {
    readonly records: ResourceRecord[] = [];
    readonly wireInputs = new Map<string, unknown>();
    readonly typesByUrn = new Map<string, string>();
    /** URN → its own transform callbacks and its parent, to walk up to the stack. */
    private readonly transformsByUrn = new Map<string, { own: string[]; parent: string }>();
    /** Callbacks of `pulumi.runtime.registerResourceTransform`: they apply to every later resource, after its parents'. */
    private readonly stackTransforms: string[] = [];
    /** What the engine would refuse at registration (an asset it cannot hash), by resource. */
    readonly refusals: Refusal[] = [];
    stackOutputs: Record<string, unknown> = {};

    /** Outputs the provider marks secret (`additionalSecretOutputs`, e.g. a generated password), by type and name. */
    private readonly secretOutputs: Map<string, string[]>;

    constructor(
        defaults: MockDefaults,
        /** Collects every value the program marked secret. */
        private readonly secrets: SecretValues,
    ) {
        const secretOutputs = new Map<string, string[]>();
        super({
            newResource: async (args) => {
                const mocked = mockResource(args.type, args.name, args.inputs, defaults);
                return { ...mocked, state: markSecret(mocked.state, secretOutputs.get(`${args.type}::${args.name}`) ?? []) };
            },
            call: async (args) => this.answer(args.token, args.inputs),
        });
        this.secretOutputs = secretOutputs;
        this.defaults = defaults;
    }

    /** Lookups the program made (data-source invokes, resource methods), by token, with the fields answered by placeholders. */
    readonly lookups = new Map<string, { fields: Set<string>; note?: string }>();
    private readonly defaults: MockDefaults;

    private answer(token: string, inputs: Record<string, unknown>, method = false): Record<string, unknown> {
        const answer = answerCall(token, inputs, this.defaults, process.cwd(), method);
        const seen = this.lookups.get(token) ?? { fields: new Set<string>(), note: answer.note };
        for (const f of answer.placeholders) seen.fields.add(f);
        this.lookups.set(token, seen);
        return answer.value;
    }

    /** A method of a resource (`cluster.getKubeconfig()`): the SDK's mock monitor has none; answered like a lookup. */
    async call(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        try {
            const value = this.answer(req.getTok(), {}, true);
            const response = new providerproto.CallResponse();
            response.setReturn(Struct.fromJavaScript(await rpc.serializeProperties("", value)));
            callback(null, response);
        } catch (err) {
            // The SDK reports a failed call with the error's `details`, as gRPC gives them.
            callback(Object.assign(err as Error, { details: (err as Error).message }), undefined);
        }
    }

    async registerResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        try {
            await this.applyTransforms(req);
            const secret: string[] = req.getAdditionalsecretoutputsList?.() ?? [];
            if (secret.length > 0) this.secretOutputs.set(`${req.getType()}::${req.getName()}`, secret);
            const record = this.record(req);
            this.records.push(record);
            // The program's working directory is the engine's, for asset paths.
            const analyzed = analyzerInputs(req.getObject().toJavaScript(), process.cwd());
            this.wireInputs.set(record.urn, Struct.fromJavaScript(analyzed.properties));
            this.refusals.push(...analyzed.problems.map((message) => ({ urn: record.urn, message })));
            if (record.remote) return this.unexpanded(record, callback);
        } catch (err) {
            callback(err, undefined);
            return;
        }
        return super.registerResource(req, callback);
    }

    /**
     * A multi-language component's plugin would construct its children and return its outputs;
     * offline there is no plugin: it gets no outputs, so every output is unknown in the preview (and
     * values computed from them serialise as unknowns) rather than its inputs echoed as outputs.
     */
    private unexpanded(record: ResourceRecord, callback: (err: any, resp: any) => void): void {
        const registered = (this as unknown as { resources: Map<string, unknown> }).resources;
        registered.set(record.urn, { urn: record.urn, id: null, state: {} });
        const response = new resproto.RegisterResourceResponse();
        response.setUrn(record.urn);
        response.setId("");
        response.setObject(Struct.fromJavaScript({}));
        callback(null, response);
    }

    /**
     * Runs the `transforms` resource option as the engine does: a resource's own transforms, then its
     * parent's, walking up to the stack (so a component's transforms reach every child), then the
     * stack transforms (`pulumi.runtime.registerResourceTransform`). Their
     * props and the protect / ignoreChanges / retainOnDelete options replace the registration's.
     */
    private async applyTransforms(req: any): Promise<void> {
        const parent: string = req.getParent();
        const urn = (this as unknown as { newUrn(p: string, t: string, n: string): string }).newUrn(parent, req.getType(), req.getName());
        this.transformsByUrn.set(urn, { own: req.getTransformsList().map((cb: any) => cb.getToken()), parent });
        const chain: string[] = [];
        for (let at: string | undefined = urn; at; at = this.transformsByUrn.get(at)?.parent)
            chain.push(...(this.transformsByUrn.get(at)?.own ?? []));
        chain.push(...this.stackTransforms);
        if (chain.length === 0) return;
        const callbacks = (this as unknown as { transformCallbacks: Map<string, pulumi.ResourceTransform> }).transformCallbacks;
        let props = rpc.deserializeProperties(req.getObject(), true) as Record<string, unknown>;
        let opts: pulumi.ResourceOptions & { protect?: boolean; ignoreChanges?: string[]; retainOnDelete?: boolean } = {
            protect: req.getProtect() === true,
            ignoreChanges: req.getIgnorechangesList(),
            retainOnDelete: req.getRetainondelete() === true,
        };
        for (const token of chain) {
            const transform = callbacks.get(token);
            const result =
                transform && (await transform({ custom: req.getCustom(), type: req.getType(), name: req.getName(), props, opts }));
            if (result) ({ props, opts } = { props: result.props as Record<string, unknown>, opts: { ...opts, ...result.opts } });
        }
        req.setObject(
            Struct.fromJavaScript(await rpc.serializeProperties(`transform of ${req.getName()}`, props, { keepOutputValues: false })),
        );
        req.setProtect(opts.protect === true);
        req.setIgnorechangesList(opts.ignoreChanges ?? []);
        req.setRetainondelete(opts.retainOnDelete === true);
    }

    registerStackTransform(req: any, callback: (err: any, resp: any) => void): void {
        this.stackTransforms.push(req.getToken());
        callback(null, {});
    }

    async readResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        try {
            this.records.push(this.recordRead(req));
        } catch (err) {
            callback(err, undefined);
            return;
        }
        return super.readResource(req, callback);
    }

    registerResourceOutputs(req: any, callback: (err: any, resp: any) => void): void {
        if (this.typesByUrn.get(req.getUrn()) === "pulumi:pulumi:Stack") {
            const outputs = rpc.deserializeProperties(req.getOutputs(), true) as Record<string, unknown>;
            this.stackOutputs = redact(outputs, "", [], this.secrets) as Record<string, unknown>;
        }
        super.registerResourceOutputs(req, callback);
    }

    /** The URN, type, name and parent of a registration or read, and its inputs with secrets redacted. */
    private identify(req: any, properties: any) {
        const type: string = req.getType();
        const name: string = req.getName();
        const parent: string = req.getParent();
        const urn: string = (this as unknown as { newUrn(p: string, t: string, n: string): string }).newUrn(parent, type, name);
        this.typesByUrn.set(urn, type);
        const secretInputs: string[] = [];
        const inputs = redact(rpc.deserializeProperties(properties, true), "", secretInputs, this.secrets) as Record<string, unknown>;
        return { type, name, parent, urn, inputs, secretInputs };
    }

    private recordRead(req: any): ResourceRecord {
        const { type, name, parent, urn, inputs, secretInputs } = this.identify(req, req.getProperties());
        return {
            urn,
            type,
            name,
            ...(parent ? { parent, parentType: this.typesByUrn.get(parent) } : {}),
            custom: true,
            read: true,
            id: req.getId(),
            ...(req.getProvider() ? { provider: req.getProvider() } : {}),
            dependencies: req.getDependenciesList(),
            propertyDependencies: {},
            protect: false,
            ignoreChanges: [],
            retainOnDelete: false,
            aliases: [],
            inputs,
            secretInputs: secretInputs.sort(),
        };
    }

    private record(req: any): ResourceRecord {
        const { type, name, parent, urn, inputs, secretInputs } = this.identify(req, req.getObject());
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
            propertyDependencies[key] = deps.getUrnsList();
        });
        const aliases = req.getAliasesList().map((a: any) => {
            const spec = a.getSpec?.();
            return spec
                ? {
                      name: spec.getName(),
                      type: spec.getType(),
                      project: spec.getProject(),
                      stack: spec.getStack(),
                      parentUrn: spec.getParenturn(),
                      noParent: spec.getNoparent(),
                  }
                : a.getUrn();
        });
        return {
            urn,
            type,
            name,
            ...(parent ? { parent, parentType: this.typesByUrn.get(parent) } : {}),
            custom: req.getCustom(),
            ...(req.getRemote() && !req.getCustom() ? { remote: true as const } : {}),
            ...(req.getProvider() ? { provider: req.getProvider() } : {}),
            dependencies: req.getDependenciesList(),
            propertyDependencies,
            protect: req.getProtect() === true,
            ignoreChanges: req.getIgnorechangesList(),
            retainOnDelete: req.getRetainondelete() === true,
            ...(req.getDeletedwith() ? { deletedWith: req.getDeletedwith() } : {}),
            aliases,
            inputs,
            secretInputs: secretInputs.sort(),
        };
    }
}

/** Store flags the SDK's own `setMocks` turns on; outputValues stays off as in the SDK. */
function enableMockFeatures(): void {
    const store = state.getStore() as unknown as Record<string, boolean>;
    for (const flag of [
        "supportsSecrets",
        "supportsResourceReferences",
        "supportsDeletedWith",
        "supportsAliasSpecs",
        "supportsTransforms",
        "supportsInvokeTransforms",
        "supportsParameterization",
        "supportsResourceHooks",
        "supportsErrorHooks",
    ]) {
        store[flag] = true;
    }
    store.supportsOutputValues = false;
    store.supportsInvokeDependsOn = false;
}

export interface RunOptions {
    project: string;
    stack: string;
    config: Record<string, string>;
    secretKeys: readonly string[];
    /** Run as a preview (`pulumi.runtime.isDryRun()` true). @default true */
    preview?: boolean;
    /** Keep source-mapped stack traces (slow: every resource captures one). @default false */
    sourceMappedStacks?: boolean;
    /** Where the program's stdout goes (console.log, process.stdout). @default process.stderr */
    output?: (text: string) => void;
    /** End a program still running after this many seconds. @default DEFAULT_TIMEOUT_SECONDS */
    timeoutSeconds?: number;
    /** Collects the secret values the run sees (config secrets are added from `config`). @default a new SecretValues */
    secrets?: SecretValues;
}

/** How long a program may run before the plan ends it (`--timeout`, seconds). */
export const DEFAULT_TIMEOUT_SECONDS = 300;

/** Two turns of the event loop: Node reports an unhandled rejection only after the microtasks of its turn. */
const settleRejections = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * Runs `program` (the body of a Pulumi program) under the recording monitor, hosted as Pulumi's
 * Node.js host would run it (plan/engine/host.ts): its stdout goes to `opts.output`, and an
 * uncaught error, a failed registration, `process.exit`, a program that never finishes or one
 * still busy after the timeout fails the run with a `ProgramError`.
 */
export function recordProgram(program: () => unknown, opts: RunOptions): Promise<ProgramRun> {
    return oneAtATime(() => recordAlone(program, opts));
}

/**
 * The SDK's runtime state (its monitor, config, stack resource) is one per process, like the
 * working directory: runs started together (a `Promise.all` of plans) run one after another.
 */
let lastRun: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
    const next = lastRun.then(run, run);
    lastRun = next.catch(() => undefined);
    return next;
}

async function recordAlone(program: () => unknown, opts: RunOptions): Promise<ProgramRun> {
    // Like Pulumi's host, the run owns the event loop: whatever the caller arms as this turn ends
    // (a test runner's timeout, armed once the test function returns its promise) is not the program's.
    await new Promise((resolve) => setImmediate(resolve));
    scopeRegistriesToRuns();
    const secrets = opts.secrets ?? new SecretValues();
    secrets.addConfig(opts.config, opts.secretKeys);
    const monitor = new RecordingMonitor(mockDefaultsFrom(opts.config, opts.stack), secrets);
    settings.setMockOptions(monitor, opts.project, opts.stack, opts.preview ?? true, "organization");
    enableMockFeatures();
    pulumi.runtime.setAllConfig(opts.config, [...opts.secretKeys]);
    const diagnostics: string[] = [];
    const logged = captureLogs(diagnostics);
    const restoreStacks = opts.sourceMappedStacks ? () => undefined : skipStackCaptures();
    const output = opts.output ?? ((text: string) => process.stderr.write(text));
    const host = new ProgramHost((text) => output(secrets.text(text)));
    try {
        const run = (async () => {
            await pulumi.runtime.runInPulumiStack(async () => {
                const value = await program();
                host.returnedWith(value);
                return value;
            });
            await settings.waitForRPCs();
        })();
        await watchRun(run, host, { timeoutMs: (opts.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000 });
        await drainBeforeExit(monitor.records);
        await settleRejections();
        const error = host.error();
        if (error) throw error;
    } catch (caught) {
        // A thrown string or object has no message to mask: it becomes an error saying what was thrown.
        const err = thrownError(caught);
        // What was registered before the failure, so callers can prove nothing slipped through.
        if (!(err instanceof UnfinishedProgramError)) await settings.waitForRPCs().catch(() => undefined);
        // What it left pending is this error; the SDK would report it again as the host process exits (and set exit code 1).
        else (state.getStore() as { leakCandidates?: Set<unknown> }).leakCandidates = new Set();
        Object.defineProperty(err, "recordedResources", { value: monitor.records, enumerable: false });
        secrets.maskError(err);
        throw err;
    } finally {
        // The SDK rejects its own promises with a program's error too: they must reach the host, not the process.
        await settleRejections();
        host.restore();
        restoreStacks();
        logged.restore();
    }
    return {
        resources: monitor.records,
        outputs: monitor.stackOutputs,
        diagnostics: diagnostics.map((d) => secrets.text(d)),
        refusals: monitor.refusals,
        wireInputs: monitor.wireInputs,
        secrets,
        lookups: [...monitor.lookups]
            .map(([token, { fields, note }]) => ({ token, placeholders: [...fields].sort(), ...(note ? { note } : {}) }))
            .sort((a, b) => a.token.localeCompare(b.token)),
    };
}

/**
 * The SDK captures a full stack trace for every resource (its source position) and every promise
 * (for leak reports); the plan reads neither, and capturing them, let alone source-mapping them
 * (ts-node's hook), costs about a fifth of a plan. Until the returned function restores them, stacks
 * are not captured: a program error keeps its message (its stack is printed only under --verbose,
 * which keeps them).
 */
function skipStackCaptures(): () => void {
    const errorClass = Error as { prepareStackTrace?: unknown; stackTraceLimit: number };
    const resource = pulumi.Resource as unknown as { callsites(): unknown[] };
    const saved = {
        prepareStackTrace: errorClass.prepareStackTrace,
        stackTraceLimit: errorClass.stackTraceLimit,
        callsites: resource.callsites,
    };
    errorClass.prepareStackTrace = undefined;
    errorClass.stackTraceLimit = 0;
    resource.callsites = () => [];
    return () => {
        errorClass.prepareStackTrace = saved.prepareStackTrace;
        errorClass.stackTraceLimit = saved.stackTraceLimit;
        resource.callsites = saved.callsites;
    };
}

/**
 * Under `pulumi preview` the program's process reaches `beforeExit` once its work is done, and some
 * libraries declare resources there (@pulumi/aws creates one BucketNotification per bucket from
 * all its `onObjectCreated` subscriptions). In-process that moment never comes: emit it, as Node
 * would, until it declares nothing more.
 */
async function drainBeforeExit(records: readonly ResourceRecord[]): Promise<void> {
    for (let round = 0; round < 10; round++) {
        const before = records.length;
        process.emit("beforeExit", typeof process.exitCode === "number" ? process.exitCode : 0);
        await settings.waitForRPCs();
        if (records.length === before) return;
    }
}

/** Pulumi's log functions write to the engine; offline they are collected instead (debug is dropped, as preview does). */
function captureLogs(into: string[]): { restore(): void } {
    const log = pulumi.log as unknown as Record<string, (msg: string) => Promise<void>>;
    const saved = { debug: log.debug, info: log.info, warn: log.warn, error: log.error };
    log.debug = async () => undefined;
    log.info = async (msg: string) => void into.push(`info: ${msg}`);
    log.warn = async (msg: string) => void into.push(`warning: ${msg}`);
    log.error = async (msg: string) => void into.push(`error: ${msg}`);
    return { restore: () => Object.assign(log, saved) };
}

const TS_NODE_INSTANCE = Symbol.for("ts-node.register.instance");
/** Runway's own SWC hook (scripts/register-ts.js), standing in for ts-node under `npm run plan`. */
const REGISTER_TS_INSTANCE = Symbol.for("runway.register-ts.instance");
/** Program folders whose TypeScript files have their own compile hook. */
const scopedPrograms = new Set<string>();

/**
 * Compiles a CommonJS TypeScript program as `pulumi preview` would (./transpile.ts: the project's
 * `typescript` with the CLI's options and its tsconfig.json, else SWC; transpile only). The hook
 * covers the program's own files; every other file is left to whatever hook was there (Runway's
 * own, under `npm run plan` or mocha, which also compiles Runway's own project in place).
 */
function ensureTypeScript(cwd: string): void {
    const tsconfig = path.join(cwd, "tsconfig.json");
    const registered = process as unknown as Record<symbol, { config?: { options?: { configFilePath?: string } } } | undefined>;
    const current = registered[TS_NODE_INSTANCE] ?? registered[REGISTER_TS_INSTANCE];
    if (current?.config?.options?.configFilePath === tsconfig || scopedPrograms.has(cwd)) return;
    scopedPrograms.add(cwd);
    let transpiler: Transpiler | undefined; // loaded on the first TypeScript file: a JavaScript program needs none
    const prefix = cwd + path.sep;
    const extensions = require.extensions as Record<string, (m: NodeJS.Module, file: string) => void>;
    for (const ext of [".ts", ".tsx", ".cts"]) {
        const previous = extensions[ext] ?? extensions[".js"];
        extensions[ext] = (m, file) => {
            if (!file.startsWith(prefix) || file.includes(`${path.sep}node_modules${path.sep}`)) return previous(m, file);
            transpiler ??= transpilerFor(cwd, tsconfig);
            (m as unknown as { _compile(code: string, file: string): void })._compile(
                transpiler.compile(fs.readFileSync(file, "utf8"), file, "commonjs"),
                file,
            );
        };
    }
}

/** Per project folder: the project's own modules its last run loaded (node_modules excluded). */
const loadedByRun = new Map<string, string[]>();

/**
 * Forgets the modules the project's last run loaded, so a second run executes the program again.
 * Modules the host had loaded before (a test importing the library, the plan itself when it lies
 * inside the planned folder) are shared like packages: re-running them would recompile them and
 * reset the host's own state on every plan.
 */
function forgetProjectModules(cwd: string): void {
    for (const file of loadedByRun.get(cwd) ?? []) delete require.cache[file];
    loadedByRun.delete(cwd);
}

/** Remembers which of the project's own modules `run` loaded (forgotten before the next run). */
async function trackProjectModules<T>(cwd: string, run: () => Promise<T>): Promise<T> {
    const before = new Set(Object.keys(require.cache));
    const prefix = cwd.endsWith(path.sep) ? cwd : cwd + path.sep;
    try {
        return await run();
    } finally {
        const own = (file: string) => file.startsWith(prefix) && !file.includes(`${path.sep}node_modules${path.sep}`);
        loadedByRun.set(
            cwd,
            Object.keys(require.cache).filter((file) => !before.has(file) && own(file)),
        );
    }
}

/** Loads the program as Pulumi's Node.js host does: a default-exported function is called. */
async function runEntry(main: string): Promise<unknown> {
    if (isEsModule(main)) {
        const exported = await importProgram(main);
        return typeof exported === "function" ? await exported() : exported;
    }
    let exported: any = require(main);
    if (exported instanceof Promise) exported = await exported;
    if (exported?.__esModule && typeof exported.default === "function") return await exported.default();
    if (typeof exported === "function") return await exported();
    return exported;
}

/** The file Node runs for `main` (a file or a directory, CommonJS or ES module). */
function entryOf(main: string): string {
    try {
        return require.resolve(main);
    } catch {
        try {
            const file = esEntryFile(main);
            if (fs.existsSync(file)) return file;
        } catch {
            // reported below
        }
        throw new Error(`cannot find the program's entry point at ${main}: set "main" in package.json or Pulumi.yaml`);
    }
}

/** The package a "cannot find module/package" error names, when it is a package (not a relative file). */
export function missingPackageName(err: unknown): string | undefined {
    const e = err as NodeJS.ErrnoException | null;
    if (e?.code !== "MODULE_NOT_FOUND" && e?.code !== "ERR_MODULE_NOT_FOUND") return undefined;
    const specifier = /Cannot find (?:module|package) '([^']+)'/.exec(e.message)?.[1];
    if (!specifier || specifier.startsWith(".") || path.isAbsolute(specifier) || specifier.startsWith("file:")) return undefined;
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** A clear error for a package the program needs but cannot find: name it and say how to install it. */
function missingPackage(err: unknown, cwd: string): PlanConfigError | undefined {
    const name = missingPackageName(err);
    if (!name) return undefined;
    let declared = false;
    try {
        const pkg = JSON.parse(fs.readFileSync(path.join(cwd, "package.json"), "utf8"));
        declared = [pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies].some((deps) => deps && name in deps);
    } catch {
        // no package.json: the advice below still applies
    }
    const fix = declared ? `run \`npm install\` in ${cwd}` : `add it with \`npm install ${name}\` in ${cwd}`;
    return new PlanConfigError(
        `the program imports ${name}, which is not installed for the program in ${cwd}: ${fix} (packages resolve from the program's own node_modules)`,
    );
}

/** Runs the project described by `project` (from `loadProjectConfig`). */
export function runProject(
    project: ProjectConfig,
    stack: string,
    options: Pick<RunOptions, "preview" | "sourceMappedStacks" | "output" | "timeoutSeconds"> = {},
): Promise<ProgramRun> {
    return oneAtATime(() => runProjectAlone(project, stack, options));
}

async function runProjectAlone(
    project: ProjectConfig,
    stack: string,
    options: Pick<RunOptions, "preview" | "sourceMappedStacks" | "output" | "timeoutSeconds">,
): Promise<ProgramRun> {
    ensureTypeScript(project.cwd);
    forgetProjectModules(project.cwd);
    const previousCwd = process.cwd();
    process.chdir(project.cwd);
    try {
        const entry = entryOf(project.main);
        try {
            const opts = { project: project.project, stack, config: project.config, secretKeys: project.secretKeys, ...options };
            return await trackProjectModules(project.cwd, () => recordAlone(() => runEntry(entry), opts));
        } catch (err) {
            throw missingPackage(err, project.cwd) ?? err;
        }
    } finally {
        process.chdir(previousCwd);
    }
}
