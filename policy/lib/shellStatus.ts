/**
 * Whether a command's failure fails the script it is in, by bash's rules (the GNU Bash manual,
 * "The Set Builtin" (-e, -o pipefail) and "Pipelines"/"Lists of Commands"):
 *
 * - with `errexit` the shell exits when a command fails, except a command in an `if`/`while`
 *   condition, one followed by `&&` or `||`, or in a pipeline that is negated or whose status is
 *   another command's; a `{ }` group that failed that way does not exit either, a `( )` subshell does;
 * - a pipeline's status is its last command's, unless `pipefail`;
 * - `cmd || alternative` has the alternative's status;
 * - without `errexit` only the last command's status is the script's.
 *
 * Also: whether the script, after a scan, acts on what the scan found and fails (an explicit gate:
 * `exit 1` when the report has findings, `[ "$n" -gt 0 ] && exit 1`, `jq -e`, `exit $rc`).
 */
import { Node, SimpleCommand, simpleCommands } from "./shell";

export interface ShellMode {
    readonly errexit: boolean;
    readonly pipefail: boolean;
}

export type Propagation = { readonly fails: true } | { readonly fails: false; readonly reason: string };

const commandText = (c: SimpleCommand) => [...c.assignments, ...c.words].map((w) => w.raw).join(" ");

/** The text of a node as a user would recognise it (first command, shortened). */
export function describe(node: Node): string {
    const first = simpleCommands(node)[0]?.command;
    const text = first ? commandText(first) : node.type;
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `exit N` (N ≠ 0, a variable, or none after a failure), `return N`, or `false`. */
function isExplicitFailure(node: Node): boolean {
    if (node.type !== "simple" || node.words.length === 0) return false;
    const [name, arg] = node.words.map((w) => w.text);
    if (name === "false") return true;
    if (name !== "exit" && name !== "return") return false;
    return arg === undefined || arg.startsWith("$") || (/^\d+$/.test(arg) && Number(arg) !== 0);
}

/** True when running the node certainly ends in failure. */
export function failsExplicitly(node: Node): boolean {
    switch (node.type) {
        case "simple":
            return isExplicitFailure(node);
        case "list":
            return node.items.some(failsExplicitly);
        case "group":
            return failsExplicitly(node.body);
        case "andor":
            return node.ops.every((op) => op === "&&") && failsExplicitly(node.items[node.items.length - 1]);
        case "pipeline":
            return !node.negated && failsExplicitly(node.items[node.items.length - 1]);
        default:
            return false;
    }
}

/** errexit and pipefail at a command, after the shell's flags and the `set` commands before it. */
export function modeAt(root: Node, target: SimpleCommand, initial: ShellMode): ShellMode {
    let { errexit, pipefail } = initial;
    for (const { command } of simpleCommands(root)) {
        if (command === target) break;
        const words = command.words.map((w) => w.text);
        if (words[0] !== "set") continue;
        for (let i = 1; i < words.length; i++) {
            const flag = words[i];
            if (!/^[-+]/.test(flag)) continue;
            const on = flag.startsWith("-");
            if (flag.slice(1).includes("e")) errexit = on;
            if (flag.slice(1).includes("o")) {
                const option = words[i + 1];
                if (option === "pipefail") pipefail = on;
                if (option === "errexit") errexit = on;
            }
        }
    }
    return { errexit, pipefail };
}

/** The path (root first) from the root to the node directly holding `target`. */
function pathTo(root: Node, target: SimpleCommand): Node[] {
    return simpleCommands(root).find((c) => c.command === target)?.path ?? [];
}

/** How a failing `||` / `&&` chain ends, from the failing item at `index`. */
function andOrOutcome(node: Extract<Node, { type: "andor" }>, index: number): Propagation | "continue" {
    const orAt = node.ops.indexOf("||", index);
    if (orAt < 0) return "continue"; // skipped `&&` commands: the chain's status is the failure
    const alternative = node.items[orAt + 1];
    return failsExplicitly(alternative)
        ? { fails: true }
        : { fails: false, reason: `"|| ${describe(alternative)}" swallows its exit code` };
}

/** Whether `target` failing fails the script, and if not, why. */
export function failureOf(root: Node, target: SimpleCommand, initial: ShellMode): Propagation {
    const mode = modeAt(root, target, initial);
    const path = pathTo(root, target);
    let failing: Node = target;
    let suppressed = false;
    for (let i = path.length - 1; i >= 0; i--) {
        const parent = path[i];
        const step = climb(parent, failing, mode, suppressed);
        if (step.result) return step.result;
        failing = parent;
        suppressed = step.suppressed;
    }
    return { fails: true };
}

function climb(parent: Node, failing: Node, mode: ShellMode, suppressed: boolean): { result?: Propagation; suppressed: boolean } {
    const swallowed = (reason: string) => ({ result: { fails: false as const, reason }, suppressed });
    switch (parent.type) {
        case "simple":
            return parent.words.length === 0 ? { suppressed } : swallowed(`its exit code is lost inside the $(…) of "${describe(parent)}"`);
        case "pipeline": {
            const index = parent.items.indexOf(failing);
            if (parent.negated) return swallowed("it is negated with !");
            if (index < parent.items.length - 1 && !mode.pipefail)
                return swallowed(
                    `it is piped into "${describe(parent.items[parent.items.length - 1])}" without pipefail, so the pipe's status is that command's`,
                );
            return { suppressed };
        }
        case "andor": {
            const index = parent.items.indexOf(failing);
            if (index === parent.items.length - 1) return { suppressed };
            const outcome = andOrOutcome(parent, index);
            return outcome === "continue" ? { suppressed: true } : { result: outcome, suppressed };
        }
        case "list": {
            const index = parent.items.indexOf(failing);
            if (index === parent.items.length - 1) return { suppressed };
            if (mode.errexit && !suppressed) return { result: { fails: true }, suppressed };
            return swallowed(
                mode.errexit
                    ? `errexit does not stop at a command followed by && or ||, and "${describe(parent.items[index + 1])}" runs after it`
                    : `the shell has no errexit (set -e) and "${describe(parent.items[index + 1])}" runs after it, so it is not the last command`,
            );
        }
        case "group":
            return { suppressed: parent.subshell ? false : suppressed };
        case "if": {
            const clause = parent.clauses.findIndex((c) => c.cond === failing);
            if (clause < 0) return { suppressed };
            const next = parent.clauses[clause + 1]?.body ?? parent.otherwise;
            return next && failsExplicitly(next) && clause === parent.clauses.length - 1
                ? { result: { fails: true }, suppressed }
                : swallowed("it is an if condition");
        }
        case "loop":
            return parent.cond === failing ? swallowed("it is a loop condition") : { suppressed };
        case "case":
            return { suppressed };
        case "function":
            return swallowed("it is inside a function definition");
    }
}

/** `if ! scan; then exit 1; fi`: a negated scan as an if condition whose then-branch fails. */
export function negatedInFailingIf(root: Node, target: SimpleCommand): boolean {
    const path = pathTo(root, target);
    const pipeline = path[path.length - 1];
    if (pipeline?.type !== "pipeline" || !pipeline.negated || pipeline.items[pipeline.items.length - 1] !== target) return false;
    const cond = path[path.length - 2];
    const statement = path[path.length - 3];
    if (cond?.type !== "list" || cond.items[cond.items.length - 1] !== pipeline || statement?.type !== "if") return false;
    const clause = statement.clauses.find((c) => c.cond === cond);
    return clause !== undefined && failsExplicitly(clause.body);
}

export interface Taint {
    /** Files the scan wrote its findings to. */
    readonly files: readonly string[];
    /** Shell variables holding its output or status. */
    readonly vars: readonly string[];
}

const CHECKERS = /^(test|\[|\[\[|grep|egrep|diff|cmp)$/;

function reads(command: SimpleCommand, files: Set<string>, vars: Set<string>, statusNext: boolean): boolean {
    const texts = [...command.assignments, ...command.words, ...command.redirects.map((r) => r.target)].map((w) => w.raw);
    return texts.some(
        (t) =>
            [...files].some((f) => f !== "" && t.includes(f)) ||
            [...vars].some((v) => new RegExp(`\\$\\{?${v}\\b`).test(t)) ||
            (statusNext && t.includes("$?")),
    );
}

/** Is a command that reads the scan's findings a gate: its failure (or a failing branch it chooses) fails the script? */
function isGate(root: Node, command: SimpleCommand, path: Node[], mode: ShellMode): boolean {
    const words = command.words.map((w) => w.text);
    if (isExplicitFailure(command)) return true;
    const statement = [...path].reverse().find((n) => n.type === "if");
    if (statement?.type === "if" && statement.clauses.some((c) => simpleCommands(c.cond).some((s) => s.command === command)))
        return [...statement.clauses.map((c) => c.body), ...(statement.otherwise ? [statement.otherwise] : [])].some(failsExplicitly);
    const parent = path[path.length - 1];
    if (parent?.type === "andor") {
        const index = parent.items.indexOf(command);
        if (index < parent.ops.length && failsExplicitly(parent.items[index + 1])) return true;
    }
    const checker = CHECKERS.test(words[0] ?? "") || (words[0] === "jq" && words.some((w) => w === "-e" || w === "--exit-status"));
    return checker && failureOf(root, command, mode).fails;
}

/** Where a command's output goes: files it writes (`>`, `| tee f`), and `$var` for `var=$(command)`. */
function outputsAt(path: Node[], command: SimpleCommand): string[] {
    const out = command.redirects.filter((r) => r.op.includes(">")).map((r) => r.target.text);
    const parent = path[path.length - 1];
    if (parent?.type === "pipeline") {
        for (const item of parent.items.slice(parent.items.indexOf(command) + 1)) {
            if (item.type !== "simple") continue;
            if (item.words[0]?.text === "tee")
                out.push(
                    ...item.words
                        .slice(1)
                        .filter((w) => !w.text.startsWith("-"))
                        .map((w) => w.text),
                );
            out.push(...item.redirects.filter((r) => r.op.includes(">")).map((r) => r.target.text));
        }
    }
    const holder = [...path].reverse().find((n): n is SimpleCommand => n.type === "simple");
    if (holder && holder.words.length === 0) out.push(...holder.assignments.map((a) => `$${a.text.slice(0, a.text.indexOf("="))}`));
    return out;
}

/** The files a command writes (`>`, `| tee`) and the variables that hold its output (`x=$(command)`). */
export function outputsOf(root: Node, command: SimpleCommand): { files: string[]; vars: string[] } {
    const outputs = outputsAt(pathTo(root, command), command);
    return { files: outputs.filter((o) => !o.startsWith("$")), vars: outputs.filter((o) => o.startsWith("$")).map((o) => o.slice(1)) };
}

/**
 * The line of a command after `after` (or anywhere, when undefined) that reads what the scan found
 * (its report files or variables, or `$?` right after it) and fails the script on it.
 */
export function gateAfter(root: Node, after: SimpleCommand | undefined, taint: Taint, initial: ShellMode): number | undefined {
    const files = new Set(taint.files);
    const vars = new Set(taint.vars);
    const commands = simpleCommands(root);
    const start = after ? commands.findIndex((c) => c.command === after) + 1 : 0;
    if (after) for (const f of outputsAt(commands[start - 1].path, after)) f.startsWith("$") ? vars.add(f.slice(1)) : files.add(f);
    for (let i = start; i < commands.length; i++) {
        const { command, path } = commands[i];
        if (!reads(command, files, vars, after !== undefined && i === start)) continue;
        for (const a of command.assignments) vars.add(a.text.slice(0, a.text.indexOf("=")).replace(/\+$/, ""));
        for (const r of command.redirects) if (r.op.includes(">")) files.add(r.target.text);
        // `x=$(reader)`: the assignment around a reading command holds what it read.
        const holder = [...path].reverse().find((n): n is SimpleCommand => n.type === "simple");
        if (holder) for (const a of holder.assignments) vars.add(a.text.slice(0, a.text.indexOf("=")));
        if (isGate(root, command, path, modeAt(root, command, initial))) return command.line;
    }
    return undefined;
}
