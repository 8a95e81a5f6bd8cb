/**
 * The offline plan as a command: `npx runway-iac plan --stack <name> …` (packaged) or
 * `npm run -s plan -- --stack <name> …` (in a clone). `runCli` is the whole command, in-process;
 * the last lines run it when this file is the process's entry point.
 * Exit codes: 0 planned, 1 a mandatory policy violation or deployability finding, 2 bad arguments, bad config or a program error.
 */
import { constants } from "buffer";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { RunwayInputError } from "../rules/problems";
import { mustHide } from "../rules/secretLike";
import { closestMatch } from "../rules/suggest";
import { compareDocuments, parseBaseDocument } from "./compare";
import {
    DEFAULT_TIMEOUT_SECONDS,
    mandatoryViolations,
    plan,
    ProgramError,
    PlanConfigError,
    RUNWAY_POLICY_PACK_DIR,
    PlanOptions,
    PlanResult,
    readPolicyConfigFile,
    renderComparison,
    renderTree,
} from "./index";
import { startWatchdog } from "./engine/watchdog";
import { renderMarkdown } from "./markdown";

interface Flag {
    readonly name: string;
    readonly short?: string;
    /** Placeholder of the value; none for a boolean switch. */
    readonly value?: string;
    readonly multiple?: boolean;
    readonly help: string;
}

/** Every flag of the command, once: the parser and `--help` are both made from this list. */
export const FLAGS: readonly Flag[] = [
    { name: "stack", short: "s", value: "name", help: "stack to plan: reads Pulumi.<name>.yaml (required)" },
    {
        name: "cwd",
        short: "C",
        value: "dir",
        help: "Pulumi project directory, relative to your shell's directory (default: the nearest directory with a Pulumi.yaml, from there up)",
    },
    { name: "config", short: "c", value: "key=value", multiple: true, help: "config value, like `pulumi up --config` (repeatable)" },
    {
        name: "secret",
        value: "key=value",
        multiple: true,
        help: "secret config value, like `pulumi config set --secret` (repeatable; never printed)",
    },
    { name: "policy-config", value: "file", help: "policy pack config, the format of `pulumi preview --policy-pack-config`" },
    { name: "json", help: "print the plan as a JSON document" },
    { name: "markdown", help: "print the pull-request comment (Markdown)" },
    { name: "compare", value: "base.json", help: "compare with a base plan written by --json: changes and the monthly cost delta" },
    {
        name: "comment-header",
        value: "header",
        help: "with --markdown: the sticky-comment header it is posted under; the comment is cut to fit GitHub's limit with that header's marker",
    },
    {
        name: "timeout",
        value: "seconds",
        help: `end a program still running after this many seconds (default ${DEFAULT_TIMEOUT_SECONDS}): exit 2 naming what never finished`,
    },
    { name: "verbose", short: "v", help: "print the stack trace of a program error" },
    { name: "help", short: "h", help: "print this help" },
];

/** `--help`: usage, every flag, the exit codes and two examples. */
export function helpText(): string {
    const left = (f: Flag) => `${f.short ? `-${f.short}, ` : "    "}--${f.name}${f.value ? ` <${f.value}>` : ""}`;
    const width = Math.max(...FLAGS.map((f) => left(f).length)) + 2;
    return [
        "Runway offline plan: runs a Pulumi Node.js program under mocks (no Pulumi CLI, no credentials, no network),",
        "then prints its resources, the policy pack's verdict and a monthly cost estimate.",
        "",
        "Usage:",
        "  npx runway-iac plan --stack <name> [options]        in a project that installed Runway",
        "  npm run -s plan -- --stack <name> [options]     in a clone of Runway (-s keeps npm's banner out of the output)",
        "",
        "Options:",
        ...FLAGS.map((f) => `  ${left(f).padEnd(width)}${f.help}`),
        "",
        "Exit codes:",
        "  0  planned, no mandatory policy violation or deployability finding",
        "  1  a mandatory policy violation (`pulumi preview --policy-pack` would fail too) or deployability finding (`pulumi up` would)",
        "  2  bad arguments, bad config or a program error",
        "",
        "Examples:",
        "  npx runway-iac plan --stack production --config runway:minInstances=2",
        "  npx runway-iac plan --stack staging --json > base.json && npx runway-iac plan --stack staging --markdown --compare base.json",
        "",
    ].join("\n");
}

/** A usage mistake: reported with a pointer to `--help`, exit 2. */
class UsageError extends Error {}

const npmLifecycleHint = "npm took it for itself: put `--` before the plan's flags, e.g. npm run -s plan -- --stack solo";

/** Hint for flags npm swallowed (`npm run plan --stack solo` without `--`): npm turns them into npm_config_* variables. */
export function forgottenDoubleDash(env: NodeJS.ProcessEnv): string | undefined {
    if (!env.npm_lifecycle_event) return undefined;
    const swallowed = FLAGS.filter((f) => env[`npm_config_${f.name.replace(/-/g, "_")}`] !== undefined).map((f) => `--${f.name}`);
    return swallowed.length > 0 ? `${swallowed.join(", ")}: ${npmLifecycleHint}` : undefined;
}

/** A flag the parser refused, with the closest known flag when it looks like a typo. */
function unknownFlagMessage(message: string): string {
    const given = /option '([^']+)'/.exec(message)?.[1];
    const name = given?.replace(/^-+/, "");
    const guess = name
        ? closestMatch(
              name,
              FLAGS.map((f) => f.name),
          )
        : undefined;
    return guess ? `unknown flag ${given} (did you mean --${guess}?)` : message;
}

function parse(argv: string[]) {
    const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
    for (const f of FLAGS)
        options[f.name] = {
            type: f.value ? "string" : "boolean",
            ...(f.short ? { short: f.short } : {}),
            ...(f.multiple ? { multiple: true } : {}),
        };
    try {
        return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    } catch (err) {
        throw new UsageError(unknownFlagMessage((err as Error).message));
    }
}

/** `key=value` pairs of a repeatable flag; never echoes a secret's value. */
export function parsePairs(flag: "config" | "secret", pairs: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const pair of pairs) {
        const eq = pair.indexOf("=");
        const shown =
            flag === "secret"
                ? eq > 0
                    ? `${pair.slice(0, eq)}=…`
                    : "(value hidden)"
                : mustHide("", pair)
                  ? "(hidden)"
                  : JSON.stringify(pair);
        if (eq <= 0)
            throw new UsageError(
                `--${flag} ${shown}: expected key=value, e.g. --${flag} ${flag === "secret" ? "runway:databaseUrl=postgres://…" : "runway:tier=production"}`,
            );
        // Defined, not assigned: a key named __proto__ is a key like any other (and refused as one).
        Object.defineProperty(out, pair.slice(0, eq), { value: pair.slice(eq + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
}

/**
 * The Pulumi project to plan: `--cwd` relative to the shell's directory, or the nearest directory
 * with a Pulumi.yaml from the shell's directory up (as the Pulumi CLI looks for it).
 */
export function projectDirectory(shellDir: string, cwdFlag?: string): string {
    const hasProject = (dir: string) => ["Pulumi.yaml", "Pulumi.yml"].some((f) => fs.existsSync(path.join(dir, f)));
    if (cwdFlag !== undefined) {
        const dir = path.resolve(shellDir, cwdFlag);
        if (!hasProject(dir))
            throw new PlanConfigError(`--cwd ${cwdFlag}: no Pulumi.yaml in ${dir}${fs.existsSync(dir) ? "" : " (no such directory)"}`);
        return dir;
    }
    for (let dir = path.resolve(shellDir); ; dir = path.dirname(dir)) {
        if (hasProject(dir)) return dir;
        if (path.dirname(dir) === dir)
            throw new PlanConfigError(
                `no Pulumi.yaml in ${shellDir} or above it: run from a Pulumi project or pass its directory with --cwd`,
            );
    }
}

/** `--timeout`: seconds, a number above 0 (at most a day). */
export function parseTimeout(value: string | undefined): number {
    if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
    const seconds = Number(value);
    if (value.trim() === "" || !Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400)
        throw new UsageError(`--timeout ${JSON.stringify(value)}: a number of seconds above 0 and at most 86400, e.g. --timeout 600`);
    return seconds;
}

/**
 * `--comment-header`: a sticky step's `header` (one line, no `-->`, which would end its marker early),
 * only with `--markdown`.
 */
export function parseCommentHeader(value: string | undefined, markdown: boolean): string | undefined {
    if (value === undefined) return undefined;
    if (!markdown) throw new UsageError("--comment-header sizes the --markdown comment: add --markdown");
    if (value.length > 256 || /[\r\n]|-->/.test(value))
        throw new UsageError(
            `--comment-header ${JSON.stringify(value.slice(0, 80))}: the sticky step's header, one line of at most 256 characters without "-->", e.g. --comment-header runway-preview-production`,
        );
    return value;
}

function readBase(file: string, shown: string) {
    let text: string;
    try {
        // A file longer than the longest string Node can hold is no plan document: said before reading it.
        const { size } = fs.statSync(file);
        if (size > constants.MAX_STRING_LENGTH)
            throw new PlanConfigError(
                `--compare ${shown}: ${Math.round(size / 2 ** 20).toLocaleString("en-US")} MiB, more than Node can read as one text (${Math.floor(constants.MAX_STRING_LENGTH / 2 ** 20)} MiB): not a plan document from \`runway plan --json\``,
            );
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        if (err instanceof PlanConfigError) throw err;
        throw new PlanConfigError(`--compare ${shown}: cannot read it (${(err as NodeJS.ErrnoException).code})`);
    }
    try {
        return parseBaseDocument(text, shown);
    } catch (err) {
        throw new PlanConfigError((err as Error).message);
    }
}

export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
    /** The shell's directory (npm sets INIT_CWD to it when `npm run` moves to the package root). */
    shellDir: string;
    env: NodeJS.ProcessEnv;
    /** The planner. @default plan */
    plan?: (options: PlanOptions) => Promise<PlanResult>;
    /**
     * Ends the whole process with exit code 2 and a message if it is still running after the given
     * seconds (a program in a synchronous loop never lets the plan's own timeout run); returns a
     * function that disarms it. Only for a process of its own: `processIo` has it, in-process callers do not.
     */
    watchdog?: (seconds: number, message: string) => () => void;
}

/**
 * The directory the user typed the command in. `npm run` moves to the package root and leaves the
 * shell's directory in INIT_CWD; a process started elsewhere by a script inherits a stale INIT_CWD,
 * so it counts only while the working directory is still the running script's package root.
 */
export function shellDirectory(cwd: string, env: NodeJS.ProcessEnv): string {
    const npmRoot = env.npm_package_json ? path.dirname(env.npm_package_json) : undefined;
    return env.INIT_CWD && npmRoot && path.resolve(npmRoot) === path.resolve(cwd) ? env.INIT_CWD : cwd;
}

/**
 * The process's streams and directories. The plan's document goes through the stdout `write` taken
 * here; whatever the program writes to `process.stdout` (during or after the run) is sent to stderr
 * by the engine and by `main`.
 */
export function processIo(): CliIo {
    const write = process.stdout.write.bind(process.stdout);
    return {
        stdout: (t) => write(t),
        stderr: (t) => process.stderr.write(t),
        shellDir: shellDirectory(process.cwd(), process.env),
        env: process.env,
        watchdog: (seconds, message) => startWatchdog(seconds * 1000, message),
    };
}

/** Extra time the watchdog gives the plan's own timeout before it ends the process. */
const WATCHDOG_GRACE_SECONDS = 1;

/** The whole command, in-process: returns the exit code. A leading `plan` (as in `runway plan`) is optional. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
    const args = argv[0] === "plan" ? argv.slice(1) : [...argv];
    let verbose = false;
    try {
        const { values, positionals } = parse(args);
        verbose = values.verbose === true;
        if (values.help) {
            io.stdout(helpText());
            return 0;
        }
        const forgotten = forgottenDoubleDash(io.env);
        if (positionals.length > 0)
            throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}${forgotten ? ` (${forgotten})` : ""}`);
        if (values.stack === undefined) throw new UsageError(`--stack is required${forgotten ? ` (${forgotten})` : ""}`);
        if (values.json && values.markdown) throw new UsageError("--json and --markdown: choose one output format");
        const commentHeader = parseCommentHeader(values["comment-header"] as string | undefined, values.markdown === true);
        const fromShell = (file: string) => path.resolve(io.shellDir, file);
        const policyFile = values["policy-config"] as string | undefined;
        const policyConfig = policyFile ? readPolicyConfigFile(fromShell(policyFile)) : undefined;
        const compareFile = values.compare as string | undefined;
        const base = compareFile ? readBase(fromShell(compareFile), compareFile) : undefined;
        const timeoutSeconds = parseTimeout(values.timeout as string | undefined);
        const disarm = io.watchdog?.(
            timeoutSeconds + WATCHDOG_GRACE_SECONDS,
            `program error: the program did not finish within ${timeoutSeconds} s (--timeout) and never paused (a synchronous loop?): the plan ended it`,
        );
        const cwd = projectDirectory(io.shellDir, values.cwd as string | undefined);
        const result = await (io.plan ?? plan)({
            cwd,
            stack: values.stack as string,
            config: parsePairs("config", (values.config as string[] | undefined) ?? []),
            secretConfig: parsePairs("secret", (values.secret as string[] | undefined) ?? []),
            verbose,
            policyConfig,
            timeoutSeconds,
            output: io.stderr,
        }).finally(() => disarm?.());
        const comparison = base ? compareDocuments(base, result.document) : undefined;
        if (values.json) io.stdout(`${JSON.stringify(comparison ? { ...result.document, comparison } : result.document, null, 2)}\n`);
        else if (values.markdown) io.stdout(renderMarkdown(result.document, comparison, { commentHeader }));
        else io.stdout(`${renderTree(result.document)}\n${comparison ? `\n${renderComparison(comparison)}\n` : ""}`);
        for (const line of result.diagnostics) io.stderr(`${line}\n`);
        const policy = mandatoryViolations({ policies: result.document.policies }).length;
        const deployability = mandatoryViolations({ policies: [], deployability: result.document.deployability }).length;
        if (policy > 0)
            io.stderr(
                `${policy} mandatory policy violation${policy === 1 ? "" : "s"}: this change would fail pulumi preview --policy-pack ${path.relative(cwd, RUNWAY_POLICY_PACK_DIR) || "."}\n`,
            );
        if (deployability > 0)
            io.stderr(`${deployability} mandatory deployability finding${deployability === 1 ? "" : "s"}: pulumi up would fail\n`);
        return policy + deployability > 0 ? 1 : 0;
    } catch (err) {
        if (err instanceof UsageError) {
            io.stderr(`${err.message}\nRun with --help for every flag.\n`);
            return 2;
        }
        const userMistake = err instanceof PlanConfigError || RunwayInputError.isInstance(err) || (err as Error)?.name === "RunError";
        io.stderr(`${userMistake ? "" : "program error: "}${(err as Error)?.message ?? String(err)}\n`);
        // A ProgramError is the plan's own account of the failure: the stack worth showing is the program's.
        let traced: unknown = err;
        while (traced instanceof ProgramError) traced = traced.original;
        const stack = traced instanceof Error ? traced.stack : undefined;
        if (verbose && stack) io.stderr(`${stack}\n`);
        else if (!userMistake && stack) io.stderr("(run with --verbose for the stack trace)\n");
        return 2;
    }
}

/**
 * A reader that stops reading (`runway-iac plan … 2>&1 | head -1`) closes the pipe: the next write
 * to it fails with EPIPE, which Node raises as an uncaught exception (exit 1, the code of a policy
 * violation). Writes to a closed stdout or stderr are dropped instead, the plan runs on and exits
 * with its own code; any other write error on them ends the process with exit 2.
 */
export function toleratePipes(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
    for (const stream of streams)
        stream.on("error", (err: NodeJS.ErrnoException) => {
            if (err.code === "EPIPE") return;
            // Where to say it is unknown (the failed stream may be stderr): the exit code says it.
            (process as unknown as { reallyExit(code: number): never }).reallyExit(2);
        });
}

/** Runs the command on the process's arguments and exits with its code (bin/runway-iac.js, `npm run plan`). */
export function main(): void {
    toleratePipes();
    const io = processIo();
    // The document is written through `io`; anything else that reaches stdout (a program's late
    // console.log, a library's banner) goes to stderr, as under the Pulumi CLI.
    const stdout = process.stdout.write.bind(process.stdout);
    process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    // Exit only once stdout is flushed: a pipe takes a large --json document in several writes.
    const exit = (code: number) => stdout("", () => process.stderr.write("", () => process.exit(code)));
    runCli(process.argv.slice(2), io).then(exit, (err) => {
        process.stderr.write(`${String(err)}\n`);
        exit(2);
    });
}

if (require.main === module) main();
