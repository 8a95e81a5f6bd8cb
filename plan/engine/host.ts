/**
 * What Pulumi's Node.js language host does around a program (sdk/nodejs/cmd/run/run.ts), done
 * in-process for the offline plan: the program's stdout (also a child process's it inherits)
 * goes to stderr (so `--json` and `--markdown` stay documents), secrets masked as on stderr, an uncaught exception or unhandled rejection fails the run (the
 * host logs "Running program … failed with an unhandled exception" and the preview fails),
 * `process.exit` cannot end the plan early, a registration whose inputs failed is named, and a
 * program that never finishes is caught — when nothing is left that could settle what it waits
 * for (the host's own check happens when Node's event loop empties), or when `--timeout` passes.
 */
import * as pulumi from "@pulumi/pulumi";
import * as internalState from "@pulumi/pulumi/runtime/state";
import { inspect } from "util";
import { redirectChildOutput } from "./children";
import { redirectDescriptorWrites } from "./descriptors";

/** A program error (exit 2): what failed and, when known, which resources and outputs it took with it. */
export class ProgramError extends Error {
    /** The program's own error, for `--verbose`. */
    readonly original?: unknown;
    constructor(message: string, original?: unknown) {
        super(message);
        this.name = "ProgramError";
        this.original = original;
    }
}

/** The program never finished, or was still busy at the timeout: its registrations may never complete. */
export class UnfinishedProgramError extends ProgramError {}

/** A registration the SDK is still working on (runtime/state.ts, pendingResourceRegistrations). */
interface PendingRegistration {
    name?: string;
    type?: string;
    label?: string;
    phase?: string;
    inputProperty?: string;
}

const state = internalState as unknown as {
    getStore(): { pendingResourceRegistrations?: Map<object, PendingRegistration> };
    failPendingRegistration(res: object, err: unknown): void;
};

const described = (r: PendingRegistration) => (r.name && r.type ? `"${r.name}" [${r.type}]` : (r.label ?? "a resource"));

/** What a registration still waits for, in the SDK's phases (runtime/resource.ts, prepareResource). */
function waitingFor(r: PendingRegistration): string {
    switch (r.phase) {
        case "inputs":
            return r.inputProperty ? `its input "${r.inputProperty}"` : "its inputs";
        case "parent":
            return "its parent";
        case "provider":
            return "its provider";
        case "dependencies":
            return "a resource in its dependsOn";
        default:
            return "its dependencies";
    }
}

/**
 * What a program threw, as text: an error's message, a string as it is, anything else as Node shows
 * an uncaught value (`{ code: 42 }`, never `[object Object]`).
 */
export function thrownText(thrown: unknown): string {
    if (thrown instanceof Error) return thrown.message;
    if (typeof thrown === "string") return thrown;
    if (thrown === null || typeof thrown !== "object") return String(thrown);
    const message = (thrown as { message?: unknown }).message;
    return typeof message === "string" ? message : inspect(thrown, { depth: 3, breakLength: Number.POSITIVE_INFINITY });
}

/**
 * What the program's run failed with, as an error: an Error as it is; anything else a ProgramError
 * saying what was thrown (`throw undefined`: "the program threw undefined").
 */
export function thrownError(thrown: unknown): Error {
    if (thrown instanceof Error) return thrown;
    const primitive = thrown === null || (typeof thrown !== "object" && typeof thrown !== "string");
    return new ProgramError(primitive ? `the program threw ${String(thrown)}` : thrownText(thrown), thrown);
}

/** An error's message; the SDK repeats `error serializing property "x": ` once per level it passes through. */
const messageOf = (err: unknown) => thrownText(err).replace(/(error serializing property "[^"]*": )\1+/g, "$1");

/** How many pending items a message lists before "and N more". */
const LISTED = 10;

function listed(items: readonly string[]): string {
    const more = items.length > LISTED ? `\n  - and ${items.length - LISTED} more` : "";
    return `${items
        .slice(0, LISTED)
        .map((i) => `  - ${i}`)
        .join("\n")}${more}`;
}

/** The run as the host sees it while the program works: failures so far, and what has not finished. */
export class ProgramHost {
    private readonly failures: { error: unknown; resources: string[]; how?: string }[] = [];
    private readonly restorers: (() => void)[] = [];
    private returned = false;
    private readonly unsettledOutputs = new Set<string>();
    private exitCodeBefore: typeof process.exitCode;

    /** Installs the host; `output` receives what the program writes to stdout. */
    constructor(output: (text: string) => void) {
        this.exitCodeBefore = process.exitCode;
        this.redirectOutput(output);
        this.trapExit();
        this.catchStrayErrors();
        this.nameFailedRegistrations();
    }

    /** Records a program failure (each error once, however many promises carry it). */
    fail(error: unknown, resource?: PendingRegistration, how?: string): void {
        let entry = this.failures.find((f) => f.error === error);
        if (!entry) {
            entry = { error, resources: [], how };
            this.failures.push(entry);
        }
        if (resource) entry.resources.push(described(resource));
    }

    /** The program's main function returned `value`: its promise and Output values are the stack outputs still to settle. */
    returnedWith(value: unknown): void {
        this.returned = true;
        if (value === null || typeof value !== "object") return;
        for (const [key, v] of Object.entries(value)) {
            const promise = pulumi.Output.isInstance(v) ? (v as unknown as { promise(): Promise<unknown> }).promise() : v;
            if (!(promise instanceof Promise)) continue;
            this.unsettledOutputs.add(key);
            const settled = () => void this.unsettledOutputs.delete(key);
            promise.then(settled, settled);
        }
    }

    /** The first failure as a `ProgramError` naming the resources it stopped, or undefined when the run is clean. */
    error(): ProgramError | undefined {
        if (process.exitCode !== this.exitCodeBefore && process.exitCode !== undefined && Number(process.exitCode) !== 0) {
            this.fail(new Error(`the program set process.exitCode = ${process.exitCode}; pulumi preview fails with it`));
        }
        const first = this.failures[0];
        if (!first) return undefined;
        const [root, ...dependents] = first.resources;
        const where = root
            ? `resource ${root} was not registered: ${messageOf(first.error)}${dependents.length > 0 ? ` (and ${dependents.length} resource${dependents.length === 1 ? "" : "s"} depending on it: ${dependents.slice(0, LISTED).join(", ")})` : ""}`
            : `${first.how ?? ""}${messageOf(first.error)}`;
        const others =
            this.failures.length > 1
                ? `\n${this.failures.length - 1} more error(s): ${this.failures
                      .slice(1, 4)
                      .map((f) => messageOf(f.error))
                      .join("; ")}`
                : "";
        return new ProgramError(`${where}${others}`, first.error);
    }

    /**
     * What the program has not finished: a main function that never returned, pending registrations,
     * unresolved stack outputs, and what still keeps it running (`active`: handle kinds of its own).
     */
    unfinished(active: readonly string[] = []): string {
        const pending = [...(state.getStore().pendingResourceRegistrations?.values() ?? [])];
        const kinds = [...new Set(active)].map((k) => `${active.filter((a) => a === k).length} ${HANDLE_KINDS[k] ?? k}`);
        const items = [
            ...(this.returned ? [] : ["the program's main function never returned (an awaited promise never settles)"]),
            ...pending.map((r) => `resource ${described(r)} is waiting for ${waitingFor(r)}`),
            ...[...this.unsettledOutputs].map((k) => `stack output "${k}" never resolved`),
            ...(kinds.length > 0 ? [`the program still has work scheduled: ${kinds.join(", ")}`] : []),
        ];
        return listed(items.length > 0 ? items : ["nothing the plan can name (no resource, output or handle is pending)"]);
    }

    /** Uninstalls everything the constructor installed. */
    restore(): void {
        for (const undo of this.restorers.splice(0).reverse()) undo();
    }

    /**
     * The program's stdout and stderr (console, `process.stdout.write`, child processes that inherit
     * them, `fs.writeSync(1 or 2, …)`) go to `output`: stderr, with secrets masked. A write `output` itself makes to stderr goes
     * straight through.
     */
    private redirectOutput(output: (text: string) => void): void {
        let inside = false;
        const emit = (text: string) => {
            inside = true;
            try {
                output(text);
            } finally {
                inside = false;
            }
        };
        for (const stream of [process.stdout, process.stderr]) {
            const target = stream as unknown as { write: (...args: unknown[]) => boolean };
            const own = Object.getOwnPropertyDescriptor(target, "write");
            const original = target.write;
            target.write = (chunk: unknown, encoding?: unknown, callback?: unknown) => {
                if (inside) return original.call(stream, chunk, encoding, callback);
                emit(
                    typeof chunk === "string"
                        ? chunk
                        : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"),
                );
                const done = typeof encoding === "function" ? encoding : callback;
                if (typeof done === "function") process.nextTick(done as () => void);
                return true;
            };
            this.restorers.push(() => (own ? Object.defineProperty(target, "write", own) : delete (target as { write?: unknown }).write));
        }
        this.restorers.push(redirectChildOutput((text) => output(text)));
        this.restorers.push(redirectDescriptorWrites(emit, () => inside));
    }

    private trapExit(): void {
        const exit = process.exit;
        process.exit = ((code?: number | string | null) => {
            const error = new ProgramError(
                `the program called process.exit(${code ?? ""}) before it finished: pulumi preview ends with "Program exited with non-zero exit code" or without the rest of the program's resources`,
            );
            this.fail(error);
            throw error;
        }) as typeof process.exit;
        this.restorers.push(() => {
            process.exit = exit;
            process.exitCode = this.exitCodeBefore;
        });
    }

    /** The host's uncaughtException / unhandledRejection handlers replace the process's own while the program runs. */
    private catchStrayErrors(): void {
        for (const event of ["uncaughtException", "unhandledRejection"] as const) {
            const how = event === "uncaughtException" ? "uncaught exception: " : "unhandled promise rejection: ";
            const onError = (err: unknown) => this.fail(err, undefined, err instanceof ProgramError ? undefined : how);
            const saved = process.listeners(event as "uncaughtException");
            process.removeAllListeners(event);
            process.on(event as "uncaughtException", onError);
            this.restorers.push(() => {
                process.off(event as "uncaughtException", onError);
                for (const l of saved) process.on(event as "uncaughtException", l);
            });
        }
    }

    /** The SDK fails a registration whose inputs, parent or dependencies failed: the failure is recorded with the resource's name. */
    private nameFailedRegistrations(): void {
        const original = state.failPendingRegistration;
        state.failPendingRegistration = (res: object, err: unknown) => {
            const pending = state.getStore().pendingResourceRegistrations?.get(res);
            this.fail(err, pending ?? { label: (res as { __name?: string }).__name });
            return original(res, err);
        };
        this.restorers.push(() => (state.failPendingRegistration = original));
    }
}

/** Node's names for what keeps the event loop alive (process.getActiveResourcesInfo), as people say them. */
const HANDLE_KINDS: Readonly<Record<string, string>> = {
    Timeout: "timer(s)",
    Immediate: "immediate callback(s)",
    TCPSocketWrap: "network socket(s)",
    TCPWrap: "network socket(s)",
    TCPServerWrap: "server(s)",
    UDPWrap: "UDP socket(s)",
    FSReqCallback: "file operation(s)",
    FSReqPromise: "file operation(s)",
    FileHandle: "open file(s)",
    ProcessWrap: "child process(es)",
    PipeWrap: "pipe(s)",
    GetAddrInfoReqWrap: "DNS lookup(s)",
    StatWatcher: "file watcher(s)",
    FSEventWrap: "file watcher(s)",
};

/** The kinds the program added beyond `baseline`, one entry per handle. */
function addedResources(now: Map<string, number>, baseline: Map<string, number>): string[] {
    return [...now].flatMap(([kind, n]) => Array(Math.max(0, n - (baseline.get(kind) ?? 0))).fill(kind));
}

/** Counts of the handles and requests keeping the event loop alive (timers, sockets, files, child processes), by kind. */
function activeResources(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    return counts;
}

const within = (now: Map<string, number>, baseline: Map<string, number>) => [...now].every(([kind, n]) => n <= (baseline.get(kind) ?? 0));

/** Consecutive idle checks (one every 50 ms when the machine keeps up) before a program counts as stuck. */
const STALL_CHECKS = 20;

export interface WatchOptions {
    /** End a program still busy after this long (`--timeout`). */
    readonly timeoutMs: number;
    /** How long nothing may be left that could settle a program that has not finished before it counts as stuck. @default 1000 */
    readonly stallMs?: number;
}

/**
 * The error of a run that stopped with nothing left to settle it: what failed, when something did
 * (an unhandled rejection inside a registration leaves it unfinished; Pulumi's host would have
 * ended the program with that error), else what it still waits for.
 */
function stalled(host: ProgramHost): UnfinishedProgramError {
    const failed = host.error();
    if (failed) return new UnfinishedProgramError(failed.message, failed.original);
    return new UnfinishedProgramError(
        `the program never finished: it waits for something nothing will ever settle (a promise that never resolves, or resources waiting on each other). Not finished:\n${host.unfinished()}`,
    );
}

/**
 * Waits, as Pulumi's host does, until `run` has finished and the program has no work left — no
 * timer, socket, file or child process of its own (only what was there before it started): a
 * timer the program set still runs, and an error it throws still fails the run. Fails the run when
 * the program has nothing left that could settle what it waits for, for `stallMs` (the host's
 * process would exit there with "the program exited before … could complete"), or when it is still
 * busy after `timeoutMs`.
 */
export function watchRun(run: Promise<unknown>, host: ProgramHost, options: WatchOptions): Promise<void> {
    const started = Date.now();
    const stallMs = options.stallMs ?? 1000;
    return new Promise<void>((resolve, reject) => {
        let done = false;
        let idleSince: number | undefined;
        let idleChecks = 0;
        const timer = setInterval(() => check(), 50);
        // Taken after the interval exists, so the watcher's own timer is part of the baseline.
        const baseline = activeResources();
        // A run that failed with a falsy value (`throw undefined`, `throw null`) failed all the same.
        const end = (...failure: [] | [error: unknown]) => {
            clearInterval(timer);
            if (failure.length > 0) reject(failure[0]);
            else resolve();
        };
        const check = () => {
            const active = activeResources();
            const idle = within(active, baseline);
            const now = Date.now();
            if (done && idle) return end();
            if (now - started >= options.timeoutMs)
                return end(
                    new UnfinishedProgramError(
                        `the program did not finish within ${options.timeoutMs / 1000} s (--timeout): it is still busy (a timer, a loop or a slow call keeps it running). Not finished:\n${host.unfinished(addedResources(active, baseline))}`,
                    ),
                );
            if (done || !idle) {
                idleSince = undefined;
                idleChecks = 0;
            } else if (idleSince === undefined) {
                idleSince = now;
                idleChecks = 1;
            } else if (++idleChecks >= STALL_CHECKS && now - idleSince >= stallMs)
                // Both a time and a number of turns of the event loop: on a starved machine (CI, a busy
                // laptop) a few late checks must not read as a second of nothing happening.
                end(stalled(host));
        };
        run.then(
            () => {
                done = true;
                setImmediate(check); // after this turn's microtasks: the program's last synchronous work is done
            },
            (err) => end(err),
        );
    });
}
