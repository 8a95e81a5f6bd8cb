/**
 * Child processes a program starts. A build step run with `execSync("npm run build", { stdio:
 * "inherit" })` writes to the plan's own stdout and stderr file descriptors, past the hooks on
 * `process.stdout`: its lines would open the `--json` document or the PR comment, and a secret it
 * prints would not be masked. Pulumi's language host captures the whole program's output (the
 * CLI shows it as diagnostics); here an inherited stdout or stderr becomes a pipe whose output goes
 * where the program's own does: to stderr, secrets masked. Everything else about the child is as
 * the program asked (stdin, other descriptors, the `ipc` channel of `fork`, return values).
 */
import childProcess = require("child_process");
import { syncBuiltinESMExports } from "module";

/** Where the output of a child's inherited stdout (1) and stderr (2) goes. */
export type ChildOutput = (text: string, fd: 1 | 2) => void;

type Options = Record<string, unknown> & { stdio?: unknown; silent?: boolean; maxBuffer?: number };

/** True when a stdio slot hands the child this process's own descriptor `fd`. */
function inherits(slot: unknown, fd: 1 | 2): boolean {
    return slot === "inherit" || slot === fd || slot === (fd === 1 ? process.stdout : process.stderr);
}

/**
 * The stdio to use instead of `options.stdio` (undefined: nothing is inherited, leave it), and which
 * of stdout/stderr became pipes. `fork` inherits both unless `silent`, and keeps its `ipc` channel.
 */
export function pipedStdio(
    options: Options | undefined,
    forked: boolean,
    stderrToo = true,
): { stdio?: unknown[]; piped: [boolean, boolean] } {
    const given = options?.stdio ?? (forked && !options?.silent ? "inherit" : undefined);
    if (given === undefined) return { piped: [false, false] };
    const list: unknown[] = typeof given === "string" ? [given, given, given, ...(forked ? ["ipc"] : [])] : [...(given as unknown[])];
    const piped: [boolean, boolean] = [inherits(list[1], 1), stderrToo && inherits(list[2], 2)];
    if (!piped[0] && !piped[1]) return { piped };
    if (piped[0]) list[1] = "pipe";
    if (piped[1]) list[2] = "pipe";
    return { stdio: list, piped };
}

/** The call's arguments with its options (the last plain object, or a new one at `at`) replaced by `options`. */
function withOptions(args: unknown[], at: number, options: Options): unknown[] {
    const last = args.length - 1;
    const isOptions = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
    if (last >= 0 && isOptions(args[last])) return [...args.slice(0, last), options];
    const out = [...args];
    while (out.length < at) out.push(undefined);
    return [...out.slice(0, at), options, ...out.slice(at)];
}

/** The options argument a call was given (the last plain object), if any. */
function optionsOf(args: unknown[]): Options | undefined {
    const last = args[args.length - 1];
    return last !== null && typeof last === "object" && !Array.isArray(last) ? (last as Options) : undefined;
}

const text = (chunk: unknown) => (typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : "");

type Fn = (...args: unknown[]) => unknown;

/** spawn / fork: the piped streams are forwarded as they arrive; the child is returned as is. */
function asyncVariant(original: Fn, forked: boolean, optionsAt: number, output: ChildOutput): Fn {
    return function (this: unknown, ...args: unknown[]) {
        const options = optionsOf(args);
        const { stdio, piped } = pipedStdio(options, forked);
        if (!stdio) return original.apply(this, args);
        const child = original.apply(this, withOptions(args, optionsAt, { ...options, stdio })) as childProcess.ChildProcess;
        if (piped[0]) child.stdout?.on("data", (d) => output(text(d), 1));
        if (piped[1]) child.stderr?.on("data", (d) => output(text(d), 2));
        return child;
    };
}

/**
 * spawnSync / execSync / execFileSync: the captured output is forwarded when the child ends (no
 * buffer limit, as an inherited stream has none), and what the call returns or throws carries no
 * output for a stream the program had inherited (null, as Node gives then). execSync and
 * execFileSync return only stdout, so their stderr stays inherited (it never reaches a document).
 */
function syncVariant(original: Fn, optionsAt: number, output: ChildOutput, stderrToo: boolean): Fn {
    return function (this: unknown, ...args: unknown[]) {
        const options = optionsOf(args);
        const { stdio, piped } = pipedStdio(options, false, stderrToo);
        if (!stdio) return original.apply(this, args);
        const forward = (r: { stdout?: unknown; stderr?: unknown; output?: unknown[] | null } | null | undefined) => {
            if (!r || typeof r !== "object") return;
            for (const [i, key] of [
                [0, "stdout"],
                [1, "stderr"],
            ] as const) {
                if (!piped[i]) continue;
                output(text(r[key]), (i + 1) as 1 | 2);
                r[key] = null;
                if (Array.isArray(r.output)) r.output[i + 1] = null;
            }
        };
        try {
            const result = original.apply(this, withOptions(args, optionsAt, { maxBuffer: Infinity, ...options, stdio }));
            if (Buffer.isBuffer(result) || typeof result === "string") {
                // execSync / execFileSync return the child's stdout: an inherited one returns null.
                if (piped[0]) output(text(result), 1);
                return piped[0] ? null : result;
            }
            forward(result as Parameters<typeof forward>[0]);
            return result;
        } catch (err) {
            forward(err as Parameters<typeof forward>[0]);
            throw err;
        }
    };
}

/** Installs the redirection on `child_process` (also for ES module imports of it); returns the undo. */
export function redirectChildOutput(output: ChildOutput): () => void {
    // The module's own exports object (an `import * as` namespace would be a copy): what a program's require returns.
    const cp = childProcess as unknown as Record<string, Fn>;
    const saved = { spawn: cp.spawn, fork: cp.fork, spawnSync: cp.spawnSync, execSync: cp.execSync, execFileSync: cp.execFileSync };
    cp.spawn = asyncVariant(saved.spawn, false, 2, output);
    cp.fork = asyncVariant(saved.fork, true, 2, output);
    cp.spawnSync = syncVariant(saved.spawnSync, 2, output, true);
    cp.execSync = syncVariant(saved.execSync, 1, output, false);
    cp.execFileSync = syncVariant(saved.execFileSync, 2, output, false);
    syncBuiltinESMExports();
    return () => {
        Object.assign(cp, saved);
        syncBuiltinESMExports();
    };
}
