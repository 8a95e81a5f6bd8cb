/**
 * Security scans across a stack's workflow files: which required kinds a change cannot get past
 * without a blocking scan, which deploy jobs do not wait for one, and which checks a merge must
 * require. A scan counts when it fails its job on findings and its job runs for a change (a pull
 * request, a push, the merge queue, a run after one, or a reusable workflow called from such a
 * job); a scan that only runs on `schedule` or `workflow_dispatch` gates nothing. Pure.
 */
import { PolicyResource } from "@pulumi/policy";
import { UnknownCollector } from "./unknowns";
import { AuditLevel, CHANGE_EVENTS, JobSummary, Scanner, StepScan, WorkflowAnalysis, analyzeWorkflow, transitiveNeeds } from "./workflows";

const WORKFLOW_FILE = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const ACTION_FILE = /^(?:(.*)\/)?action\.ya?ml$/;

export interface Workflow {
    readonly resource: PolicyResource;
    readonly path: string;
    readonly analysis: WorkflowAnalysis;
}

/** The stack's workflow files, analysed with the local actions the stack also holds. */
export function readWorkflows(resources: PolicyResource[], maxAuditLevel: AuditLevel, unknowns: UnknownCollector): Workflow[] {
    const files = resources.filter((r) => r.type === "github:index/repositoryFile:RepositoryFile");
    const localActions = new Map<string, string>();
    for (const r of files) {
        unknowns.check(() => {
            const file = String(r.props.file ?? "").replace(/^\.\//, "");
            const m = ACTION_FILE.exec(file);
            if (m && !WORKFLOW_FILE.test(file)) localActions.set(m[1] ?? "", String(r.props.content ?? ""));
        });
    }
    const workflows: Workflow[] = [];
    for (const r of files) {
        unknowns.check(() => {
            const path = String(r.props.file ?? "").replace(/^\.\//, "");
            if (!WORKFLOW_FILE.test(path)) return;
            workflows.push({
                resource: r,
                path,
                analysis: analyzed(String(r.props.content ?? ""), maxAuditLevel, localActions),
            });
        });
    }
    return workflows;
}

/**
 * Analyses of the last workflow texts, by text, level and local actions: a process that checks many
 * stacks (the offline plan in a test suite, a policy pack serving previews) sees the same generated
 * workflows again. A copy is handed out.
 */
const analyses = new Map<string, WorkflowAnalysis>();
const ANALYSES_KEPT = 64;

function analyzed(content: string, maxAuditLevel: AuditLevel, localActions: ReadonlyMap<string, string>): WorkflowAnalysis {
    const key = JSON.stringify([content, maxAuditLevel, [...localActions].sort(([a], [b]) => a.localeCompare(b))]);
    const known = analyses.get(key);
    if (known) return structuredClone(known);
    const analysis = analyzeWorkflow(content, { maxAuditLevel, localActions });
    if (analyses.size >= ANALYSES_KEPT) analyses.delete(analyses.keys().next().value as string);
    analyses.set(key, analysis);
    return structuredClone(analysis);
}

/** One job with what runs it, resolved through reusable-workflow calls. */
export interface PlacedJob {
    readonly workflow: Workflow;
    readonly job: JobSummary;
    /** Events that run it (a called workflow's are its callers'). */
    readonly events: string[];
    /** The check name GitHub reports (`caller / callee` for a called workflow's job). */
    readonly checkNames: string[];
}

const calledPath = (calls: string | undefined) => calls?.replace(/^\.\//, "").split("@")[0];

/** Every job, with its events and check names; a reusable workflow's jobs run on their callers' events. */
export function placeJobs(workflows: Workflow[]): PlacedJob[] {
    const callersOf = (path: string) =>
        workflows.flatMap((w) => w.analysis.jobs.filter((j) => calledPath(j.calls) === path).map((j) => ({ workflow: w, job: j })));
    const placed: PlacedJob[] = [];
    for (const w of workflows) {
        const callers = w.analysis.triggers.includes("workflow_call") ? callersOf(w.path) : [];
        for (const job of w.analysis.jobs) {
            const ownEvents = job.events.filter((e) => e !== "workflow_call");
            const callerEvents = callers.flatMap((c) => c.job.events);
            // Called from nowhere in this stack: another repository may call it; give it the benefit of the doubt.
            const uncalled = w.analysis.triggers.includes("workflow_call") && callers.length === 0 ? ["workflow_call"] : [];
            const names = [
                ...(ownEvents.length > 0 && job.checkName ? [job.checkName] : []),
                ...callers.flatMap((c) => (c.job.checkName && job.checkName ? [`${c.job.checkName} / ${job.checkName}`] : [])),
            ];
            placed.push({ workflow: w, job, events: [...new Set([...ownEvents, ...callerEvents, ...uncalled])], checkNames: names });
        }
    }
    return placed;
}

const gatesChanges = (events: string[]) => events.some((e) => CHANGE_EVENTS.includes(e) || e === "workflow_call");
const PR_EVENTS = ["pull_request", "pull_request_target", "merge_group"];

/** A scan with where it runs. */
interface PlacedScan {
    readonly placed: PlacedJob;
    readonly scan: StepScan;
}

function scansOf(placed: PlacedJob[]): PlacedScan[] {
    return placed.flatMap((p) => p.job.scans.map((scan) => ({ placed: p, scan })));
}

/** Required kinds no change gets past without a blocking scan, each with why the scans found do not count. */
export function uncoveredKinds(placed: PlacedJob[], required: Scanner[]): { kind: Scanner; reasons: string[] }[] {
    const scans = scansOf(placed);
    return required.flatMap((kind) => {
        const ofKind = scans.filter((s) => s.scan.kinds.includes(kind));
        if (ofKind.some((s) => s.scan.blocks && gatesChanges(s.placed.events))) return [];
        const reasons = ofKind.map(({ placed: p, scan }) =>
            !scan.blocks
                ? `${p.workflow.path}: ${scan.where} ${scan.soft}`
                : `${p.workflow.path}: ${scan.where} runs only on ${p.events.join(", ") || "no event"}, which never gates a change`,
        );
        return [{ kind, reasons }];
    });
}

/** Blocking scans that depend on something the workflow does not show; local actions and other repositories' workflows not read. */
export function unverifiedScans(placed: PlacedJob[]): { message: string; workflow: Workflow }[] {
    const out = scansOf(placed)
        .filter(({ scan }) => scan.blocks && scan.unverified)
        .map(({ placed: p, scan }) => ({
            workflow: p.workflow,
            message: `${p.workflow.path}: ${scan.where} blocks only if ${scan.unverified}`,
        }));
    for (const p of placed) {
        for (const uses of p.job.unreadActions)
            out.push({
                workflow: p.workflow,
                message: `${p.workflow.path}: job "${p.job.id}" uses the local action ${uses}, whose action.yml is not a file of this stack, so what it runs is not judged`,
            });
        for (const uses of p.job.unreadWorkflows)
            out.push({
                workflow: p.workflow,
                message: `${p.workflow.path}: job "${p.job.id}" calls ${uses}, a workflow of another repository that the pack does not read, so its scans are not counted`,
            });
    }
    return out;
}

/** Deploy jobs that can ship without waiting for a job whose scans block. */
export function ungatedDeploys(workflows: Workflow[]): { workflow: Workflow; job: JobSummary }[] {
    const blockingIn = (calls: string | undefined) =>
        workflows.find((w) => w.path === calledPath(calls))?.analysis.jobs.some((j) => j.scans.some((s) => s.blocks)) ?? false;
    const isScanJob = (job: JobSummary) => job.scans.some((s) => s.blocks) || blockingIn(job.calls);
    return workflows.flatMap((w) =>
        w.analysis.jobs
            .filter((job) => job.deploys)
            .filter(
                (job) =>
                    ![...transitiveNeeds(w.analysis.jobs, job.id)].some((id) => {
                        const needed = w.analysis.jobs.find((x) => x.id === id);
                        return needed !== undefined && isScanJob(needed);
                    }),
            )
            .map((job) => ({ workflow: w, job })),
    );
}

/** Checks a merge must require: every job with a blocking scan that runs on pull requests. */
export function scanChecks(placed: PlacedJob[]): string[] {
    return [
        ...new Set(
            placed
                .filter((p) => p.job.scans.some((s) => s.blocks) && p.events.some((e) => PR_EVENTS.includes(e)))
                .flatMap((p) => p.checkNames),
        ),
    ];
}

/** What the workflows use but the pack could not read, for a "never run" message. */
export function unreadNote(placed: PlacedJob[]): string {
    const actions = [...new Set(placed.flatMap((p) => p.job.unreadActions))];
    const workflows = [...new Set(placed.flatMap((p) => p.job.unreadWorkflows))];
    const parts = [
        ...(actions.length > 0 ? [`the stack does not hold the action.yml of ${actions.join(", ")}`] : []),
        ...(workflows.length > 0
            ? [
                  `${workflows.join(", ")} ${workflows.length > 1 ? "are workflows" : "is a workflow"} of another repository, which the pack does not read (leave the kinds it covers out of requiredScanners)`,
              ]
            : []),
    ];
    return parts.length > 0 ? ` (${parts.join("; ")})` : "";
}
