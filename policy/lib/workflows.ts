/**
 * GitHub Actions workflow analysis for the blocking-scans policy: which scans each job runs (by the
 * recognised-scanner table, `scanners.ts`), whether each fails its job on findings, which events
 * run the job, and whether deploy jobs wait for the scans. `run:` scripts are parsed (`shell.ts`)
 * and judged by bash's rules for the shell GitHub starts them with: `bash -e {0}` when no shell is
 * given, `bash --noprofile --norc -eo pipefail {0}` for `shell: bash`, `sh -e {0}` for `sh`
 * (docs.github.com, workflow syntax, `jobs.<job_id>.steps[*].shell`). Everything here is pure.
 */
import { isMap, isScalar, parseDocument, visit } from "yaml";
import { invocationOf, scannerOfImage } from "./commandLine";
import { AUDIT_LEVELS, AuditLevel, SCANNERS, Scan, ScanContext, Scanner, actionRef, scansOfAction, scansOfCommand } from "./scanners";
import { Node, ShellSyntaxError, parseShell, simpleCommands } from "./shell";
import { ShellMode, failsExplicitly, failureOf, gateAfter, negatedInFailingIf, outputsOf } from "./shellStatus";

export { AUDIT_LEVELS, SCANNERS };
export type { AuditLevel, Scanner };

type Step = Record<string, any>;
type Job = Record<string, any>;

/** One scan in a job, with its verdict. */
export interface StepScan {
    readonly tool: string;
    readonly kinds: Scanner[];
    /** `job "x" step "y"`, for messages. */
    readonly where: string;
    /** Fails the job on findings. */
    readonly blocks: boolean;
    /** Why it does not block (when it does not). */
    readonly soft?: string;
    /** It blocks as far as the workflow shows, but depends on something the pack cannot read. */
    readonly unverified?: string;
}

export interface JobSummary {
    readonly id: string;
    /** The check name GitHub reports for the job (its `name`, else its id); undefined when computed. */
    readonly checkName?: string;
    /** Kinds of every scan the job runs, blocking or not. */
    readonly scanners: Scanner[];
    readonly scans: StepScan[];
    readonly deploys: boolean;
    readonly needs: string[];
    /** `uses:` of a local reusable-workflow job (`./.github/workflows/ci.yml`). */
    readonly calls?: string;
    /** The events that run the job: the workflow's, narrowed by a job `if:` on `github.event_name`. */
    readonly events: string[];
    /** Local actions (`uses: ./…`) whose action.yml the stack does not hold. */
    readonly unreadActions: string[];
    /** Reusable workflows of other repositories the job calls that the scanner table does not know. */
    readonly unreadWorkflows: string[];
}

export interface WorkflowAnalysis {
    readonly jobs: JobSummary[];
    /** Events in the workflow's `on:`. */
    readonly triggers: string[];
    /** True when the workflow runs on pull requests: its scan checks are what merges wait for. */
    readonly gatesPullRequests: boolean;
    /** Scans that pass on findings, one sentence each (informational; blocking-scans judges coverage). */
    readonly softFails: string[];
    /** Set when the file is not a workflow YAML document. */
    readonly parseError?: string;
}

export interface AnalyzeOptions {
    readonly maxAuditLevel: AuditLevel;
    /** Local actions by directory (`""` for the repository root, `.github/actions/x`): their action.yml text. */
    readonly localActions?: ReadonlyMap<string, string>;
}

/** Events that run a workflow for a change: a pull request, a push, the merge queue, or a run after one. */
export const CHANGE_EVENTS = ["pull_request", "pull_request_target", "merge_group", "push", "workflow_run"];
const PR_EVENTS = ["pull_request", "pull_request_target", "merge_group"];

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const record = (v: unknown): Record<string, string> =>
    v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x ?? "")]))
        : {};

/** `continue-on-error` is only safe when absent or literally `false`. */
function continuesOnError(node: Record<string, unknown>): boolean {
    return "continue-on-error" in node && node["continue-on-error"] !== false;
}

/** Events of a workflow's `on:` (string, list or mapping). */
function triggersOf(on: unknown): string[] {
    if (typeof on === "string") return [on];
    if (Array.isArray(on)) return on.filter((t): t is string => typeof t === "string");
    return on !== null && typeof on === "object" ? Object.keys(on) : [];
}

/** Narrows events by an `if:` that only compares `github.event_name` (`==` joined by `||`, or `!=` joined by `&&`). */
export function eventsAllowedBy(condition: unknown, events: string[]): string[] {
    if (typeof condition !== "string") return events;
    const expr = condition.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, "$1").trim();
    const term = `github\\.event_name\\s*(==|!=)\\s*['"]([\\w-]+)['"]`;
    const parts = expr.split(/\s*(\|\||&&)\s*/);
    const comparisons = parts.filter((_, i) => i % 2 === 0).map((p) => new RegExp(`^\\(?${term}\\)?$`).exec(p));
    const joins = parts.filter((_, i) => i % 2 === 1);
    if (comparisons.some((c) => c === null)) return events;
    const ops = new Set(comparisons.map((c) => c![1]));
    if (ops.size !== 1) return events;
    const named = comparisons.map((c) => c![2]);
    if (ops.has("==") && joins.every((j) => j === "||")) return events.filter((e) => named.includes(e));
    if (ops.has("!=") && joins.every((j) => j === "&&")) return events.filter((e) => !named.includes(e));
    return events;
}

/** The bash flags a step's shell runs with; undefined for a shell whose scripts the pack does not judge. */
export function shellMode(shell: string | undefined, windows: boolean): ShellMode | undefined {
    if (shell === undefined) return windows ? undefined : { errexit: true, pipefail: false };
    if (shell === "bash") return { errexit: true, pipefail: true };
    if (shell === "sh") return { errexit: true, pipefail: false };
    const m = /^(bash|sh)\b(.*)$/.exec(shell.trim());
    if (!m) return undefined;
    const flags = m[2];
    return { errexit: /(^|\s)-[a-z]*e/.test(flags), pipefail: /-[a-z]*o\s+pipefail/.test(flags) };
}

interface JobContext {
    readonly id: string;
    readonly env: Record<string, string>;
    readonly shell?: string;
    readonly windows: boolean;
    readonly options: AnalyzeOptions;
    readonly versionComments: ReadonlyMap<string, string>;
}

/** A scan found in a step, before later steps are considered. */
interface Found extends Scan {
    readonly stepIndex: number;
    readonly where: string;
}

/** Scans of a `run:` script, each judged by the shell's rules and rescued by a gate later in the script. */
function scansOfRun(script: string, mode: ShellMode | undefined, ctx: ScanContext): { scans: Scan[]; files: string[] } {
    let root: Node;
    try {
        root = parseShell(script);
    } catch (err) {
        if (!(err instanceof ShellSyntaxError)) throw err;
        // Judge what can be read line by line, and say the script as a whole could not be followed.
        const lines = script.split("\n").filter((line) => {
            try {
                parseShell(line);
                return true;
            } catch {
                return false;
            }
        });
        const scans = lines.flatMap((line) => scansOfRun(line, undefined, ctx).scans);
        return {
            scans: scans.map((s) => ({ ...s, unverified: s.soft ? undefined : `the script does not parse (${err.message})` })),
            files: [],
        };
    }
    const scans: Scan[] = [];
    const files: string[] = [];
    for (const { command } of simpleCommands(root)) {
        const invocation = invocationOf(command.words.map((w) => w.text));
        if (!invocation) continue;
        for (const found of scansOfCommand(invocation.exe, invocation.args, ctx)) {
            const outputs = outputsOf(root, command);
            files.push(...found.reports, ...outputs.files);
            if (mode === undefined) {
                scans.push({
                    ...found,
                    unverified: found.soft
                        ? undefined
                        : "it runs in a shell other than bash or sh, whose exit rules the pack does not judge",
                });
                continue;
            }
            let soft = found.soft;
            if (!soft && !negatedInFailingIf(root, command)) {
                const propagation = failureOf(root, command, mode);
                if (!propagation.fails) soft = `runs ${found.tool}, but ${propagation.reason}`;
            }
            if (soft && gateAfter(root, command, { files: found.reports, vars: [] }, mode) !== undefined) soft = undefined;
            scans.push({ ...found, soft });
        }
    }
    return { scans, files };
}

/** Substitutes `${{ inputs.x }}` in a local action with the caller's `with:` values or the input defaults. */
function withInputs(text: string, inputs: Record<string, string>): string {
    return text.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_m, name) => inputs[name] ?? "");
}

/** Scans of a local action (`uses: ./…`) read from the stack's files: composite steps, or a Docker image and its args. */
function scansOfLocalAction(path: string, inputs: Record<string, string>, job: JobContext, ctx: ScanContext): Scan[] | undefined {
    const dir = path.replace(/^\.\/?/, "").replace(/\/$/, "");
    const text = job.options.localActions?.get(dir);
    if (text === undefined) return undefined;
    const doc = parseDocument(text).toJS() as Record<string, any> | null;
    const declared = record(Object.fromEntries(Object.entries(doc?.inputs ?? {}).map(([k, v]: [string, any]) => [k, v?.default ?? ""])));
    const values = { ...declared, ...inputs };
    const runs = doc?.runs ?? {};
    if (Array.isArray(runs.steps)) {
        return runs.steps.flatMap((step: Step) => {
            const resolved = JSON.parse(withInputs(JSON.stringify(step ?? {}), values)) as Step;
            return scansOfStep(resolved, job, ctx, step.shell ?? "bash").scans;
        });
    }
    if (typeof runs.image === "string" && runs.image.startsWith("docker://")) {
        const args = (Array.isArray(runs.args) ? runs.args : []).map((a: unknown) => withInputs(String(a), values));
        return scansOfDockerAction(runs.image.slice("docker://".length), args.join(" "), runs.entrypoint, ctx);
    }
    return [];
}

/** `uses: docker://<image>` with `args`: the image's program with those arguments. */
function scansOfDockerAction(image: string, args: string, entrypoint: string | undefined, ctx: ScanContext): Scan[] {
    const words = args.trim() === "" ? [] : (simpleCommands(parseShell(args))[0]?.command.words.map((w) => w.text) ?? []);
    const exe = entrypoint ?? scannerOfImage(image);
    if (!exe) return [];
    const invocation = invocationOf([exe, ...(words[0] === exe ? words.slice(1) : words)]);
    return invocation ? scansOfCommand(invocation.exe, invocation.args, ctx) : [];
}

/** Scans one step runs, and the files it writes findings to. */
function scansOfStep(
    step: Step,
    job: JobContext,
    ctx: ScanContext,
    shell = job.shell,
): { scans: Scan[]; files: string[]; unread?: string } {
    const inputs = record(step.with);
    if (typeof step.uses === "string") {
        const uses = step.uses.trim();
        if (uses.startsWith("docker://"))
            return { scans: scansOfDockerAction(uses.slice(9), inputs.args ?? "", inputs.entrypoint, ctx), files: [] };
        if (uses.startsWith("./")) {
            const local = scansOfLocalAction(uses, inputs, job, ctx);
            return local ? { scans: local, files: [] } : { scans: [], files: [], unread: uses };
        }
        const scans = scansOfAction(actionRef(uses, job.versionComments.get(uses)), inputs, ctx);
        return { scans, files: scans.flatMap((s) => s.reports) };
    }
    if (typeof step.run !== "string") return { scans: [], files: [] };
    return scansOfRun(step.run, shellMode(str(step.shell) ?? shell, job.windows), ctx);
}

/** A later step that fails the job on what a soft step found: `if: steps.<id>.outcome == 'failure'`, or a gate on its report. */
function rescuedByLaterStep(steps: Step[], index: number, files: string[], mode: ShellMode): boolean {
    const id = str(steps[index]?.id);
    for (const later of steps.slice(index + 1)) {
        if (!later || typeof later !== "object") continue;
        const condition = str(later.if) ?? "";
        const onScan = id !== undefined && new RegExp(`steps\\.${id.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")}\\.`).test(condition);
        if (typeof later.run === "string") {
            let root: Node;
            try {
                root = parseShell(later.run);
            } catch {
                continue;
            }
            if (onScan && failsExplicitly(root)) return true;
            if (files.length > 0 && gateAfter(root, undefined, { files, vars: [] }, mode) !== undefined) return true;
        }
        if (
            onScan &&
            typeof later.uses === "string" &&
            /^actions\/github-script@/.test(later.uses) &&
            /core\.setFailed/.test(String(later.with?.script ?? ""))
        )
            return true;
    }
    return false;
}

const DEPLOY_ACTIONS =
    /^(google-github-actions\/deploy-cloudrun|aws-actions\/amazon-ecs-deploy-(task-definition|express-service)|azure\/webapps-deploy)/;
const DEPLOY_RUN =
    /\bgcloud run (deploy|services (update|update-traffic|replace))\b|\baws ecs (update-service|update-express-gateway-service|create-express-gateway-service)\b|\bpulumi up\b|\bkubectl (apply|set image|rollout)\b|\bhelm upgrade\b/;

const usesOf = (s: Step) => (typeof s?.uses === "string" ? s.uses.split("@")[0].toLowerCase() : "");
const runOf = (s: Step) => (typeof s?.run === "string" ? s.run : "");
const deploysIn = (s: Step) =>
    DEPLOY_ACTIONS.test(usesOf(s)) || DEPLOY_RUN.test(runOf(s)) || (usesOf(s) === "pulumi/actions" && s.with?.command === "up");
const previewsIn = (s: Step) => (usesOf(s) === "pulumi/actions" && s.with?.command === "preview") || /\bpulumi preview\b/.test(runOf(s));

/**
 * A job deploys when it runs a deploy action or command, or targets an environment, unless all it
 * does there is a `pulumi preview` (an approval-gated preview environment ships nothing).
 */
function isDeployJob(job: Job): boolean {
    const steps: Step[] = Array.isArray(job.steps) ? job.steps : [];
    if (steps.some(deploysIn)) return true;
    return job.environment !== undefined && !steps.some(previewsIn);
}

function needsOf(job: Job): string[] {
    if (typeof job.needs === "string") return [job.needs];
    return Array.isArray(job.needs) ? job.needs.filter((n: unknown): n is string => typeof n === "string") : [];
}

/** A step as its log shows it: its name, else its action or the first line of its script. */
function stepLabel(step: Step, index: number): string {
    if (typeof step.name === "string") return step.name;
    if (typeof step.uses === "string") return step.uses;
    const line = typeof step.run === "string" ? step.run.trim().split("\n")[0] : "";
    return line ? (line.length > 50 ? `${line.slice(0, 47)}...` : line) : `#${index + 1}`;
}

/** The scans of one job's steps (or of the remote reusable workflow it calls), each with its final verdict. */
function jobScans(job: Job, context: JobContext): { scans: StepScan[]; unread: string[]; remote: string[] } {
    const env = { ...context.env, ...record(job.env) };
    const ctx = (step: Step): ScanContext => ({ threshold: context.options.maxAuditLevel, env: { ...env, ...record(step?.env) } });
    if (typeof job.uses === "string" && !job.uses.startsWith("./")) {
        const scans = scansOfAction(actionRef(job.uses, context.versionComments.get(job.uses)), record(job.with), ctx({}));
        return {
            scans: scans.map((s) => verdict(s, `job "${context.id}"`, job)),
            unread: [],
            remote: scans.length === 0 ? [job.uses] : [],
        };
    }
    const steps: Step[] = Array.isArray(job.steps) ? job.steps : [];
    const found: Found[] = [];
    const unread: string[] = [];
    steps.forEach((raw, stepIndex) => {
        const step: Step = raw ?? {};
        const { scans, files, unread: missing } = scansOfStep(step, context, ctx(step));
        if (missing) unread.push(missing);
        const where = `job "${context.id}" step "${stepLabel(step, stepIndex)}"`;
        for (const s of scans) {
            let soft =
                s.soft ??
                (continuesOnError(step)
                    ? `has continue-on-error: ${JSON.stringify(step["continue-on-error"])} (remove it, or set it to false)`
                    : undefined);
            const mode = shellMode(str(step.shell) ?? context.shell, context.windows) ?? { errexit: true, pipefail: false };
            if (soft && rescuedByLaterStep(steps, stepIndex, [...files, ...s.reports], mode)) soft = undefined;
            found.push({ ...s, soft, stepIndex, where });
        }
    });
    return { scans: found.map((s) => verdict(s, s.where, job)), unread, remote: [] };
}

function verdict(s: Scan, where: string, job: Job): StepScan {
    const soft =
        s.soft ?? (continuesOnError(job) ? `runs in a job with continue-on-error: ${JSON.stringify(job["continue-on-error"])}` : undefined);
    return {
        tool: s.tool,
        kinds: s.kinds,
        where,
        blocks: soft === undefined,
        ...(soft ? { soft } : {}),
        ...(s.unverified && !soft ? { unverified: s.unverified } : {}),
    };
}

/** `uses:` values with the version a trailing comment names (`@<sha> # v4.1.2`, as Dependabot and pinning tools write). */
function versionComments(doc: ReturnType<typeof parseDocument>): Map<string, string> {
    const comments = new Map<string, string>();
    visit(doc, {
        Pair(_key, pair) {
            if (isScalar(pair.key) && pair.key.value === "uses" && isScalar(pair.value) && pair.value.comment)
                comments.set(String(pair.value.value), pair.value.comment);
        },
    });
    return comments;
}

/** Analyses one workflow file. */
export function analyzeWorkflow(content: string, options: AuditLevel | AnalyzeOptions): WorkflowAnalysis {
    const opts: AnalyzeOptions = typeof options === "string" ? { maxAuditLevel: options } : options;
    let doc: ReturnType<typeof parseDocument>;
    try {
        doc = parseDocument(content);
        if (doc.errors.length > 0) throw doc.errors[0];
    } catch (err) {
        return { jobs: [], triggers: [], gatesPullRequests: false, softFails: [], parseError: (err as Error).message.split("\n")[0] };
    }
    const root = doc.toJS() as Record<string, unknown> | null;
    const jobsNode = root?.jobs;
    if (!isMap(doc.get("jobs", true)) || jobsNode === null || typeof jobsNode !== "object" || Array.isArray(jobsNode)) {
        return { jobs: [], triggers: [], gatesPullRequests: false, softFails: [], parseError: "the file has no jobs mapping" };
    }
    const triggers = triggersOf(root?.on);
    const comments = versionComments(doc);
    const workflowEnv = record(root?.env);
    const defaultShell = str((root?.defaults as Record<string, any> | undefined)?.run?.shell);
    const jobs = Object.entries(jobsNode as Record<string, Job>).map(([id, raw]) => {
        const job: Job = raw ?? {};
        const context: JobContext = {
            id,
            env: workflowEnv,
            shell: str(job.defaults?.run?.shell) ?? defaultShell,
            windows: /windows/i.test(JSON.stringify(job["runs-on"] ?? "")),
            options: opts,
            versionComments: comments,
        };
        const { scans, unread, remote } = jobScans(job, context);
        const name = typeof job.name === "string" && !job.name.includes("${{") ? job.name : job.name === undefined ? id : undefined;
        const summary: JobSummary = {
            id,
            checkName: name,
            scanners: [...new Set(scans.flatMap((s) => s.kinds))],
            scans,
            deploys: isDeployJob(job),
            needs: needsOf(job),
            events: eventsAllowedBy(job.if, triggers),
            unreadActions: unread,
            unreadWorkflows: remote,
            ...(typeof job.uses === "string" && job.uses.startsWith("./") ? { calls: job.uses } : {}),
        };
        return summary;
    });
    const softFails = jobs.flatMap((j) => j.scans.filter((s) => !s.blocks).map((s) => `${s.where} ${s.soft}`));
    return { jobs, triggers, gatesPullRequests: triggers.some((t) => PR_EVENTS.includes(t)), softFails };
}

/** Jobs a job waits for, directly or through other jobs. */
export function transitiveNeeds(jobs: readonly JobSummary[], id: string): Set<string> {
    const byId = new Map(jobs.map((j) => [j.id, j]));
    const seen = new Set<string>();
    const stack = [...(byId.get(id)?.needs ?? [])];
    while (stack.length > 0) {
        const next = stack.pop()!;
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(...(byId.get(next)?.needs ?? []));
    }
    return seen;
}
