/**
 * GitHub Actions workflow analysis for the blocking-scans policy: which scanners a workflow runs,
 * which of them could not fail the job, and whether deploy jobs wait for the scans. Parsed with the
 * `yaml` package; everything here is pure.
 */
import { parse } from "yaml";

export const SCANNERS = ["secret-scan", "dependency-audit", "image-scan", "dockerfile-lint"] as const;
export type Scanner = (typeof SCANNERS)[number];
export const AUDIT_LEVELS = ["low", "moderate", "high", "critical"] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];

type Step = Record<string, any>;
type Job = Record<string, any>;

export interface JobSummary {
    readonly id: string;
    /** The check name GitHub reports for the job (its `name`, else its id); undefined when computed. */
    readonly checkName?: string;
    readonly scanners: Scanner[];
    readonly deploys: boolean;
    readonly needs: string[];
    /** `uses:` of a reusable-workflow job (`./.github/workflows/ci.yml`). */
    readonly calls?: string;
}

export interface WorkflowAnalysis {
    readonly jobs: JobSummary[];
    /** True when the workflow runs on pull requests: its scan checks are what merges wait for. */
    readonly gatesPullRequests: boolean;
    /** Ways a scan could pass on findings, one sentence each. */
    readonly softFails: string[];
    /** Set when the file is not a workflow YAML document. */
    readonly parseError?: string;
}

/** `owner/repo/path@ref` → `owner/repo/path` (lower case). */
function actionOf(step: Step): string {
    return typeof step.uses === "string" ? step.uses.split("@")[0].toLowerCase() : "";
}

function runOf(step: Step): string {
    return typeof step.run === "string" ? step.run : "";
}

function withOf(step: Step): Record<string, unknown> {
    return step.with !== null && typeof step.with === "object" ? step.with : {};
}

const RUN_SCANNERS: Record<Scanner, RegExp> = {
    "secret-scan": /\b(gitleaks|trufflehog|detect-secrets)\b/,
    "dependency-audit":
        /\b(npm|pnpm) audit\b|\byarn (npm )?audit\b|\bpip-audit\b|\bosv-scanner\b|\bgovulncheck\b|\bcargo audit\b|\bbundle[- ]audit\b/,
    "image-scan": /\btrivy (image|i)\b|\bgrype\b|\bdocker scout cves\b/,
    "dockerfile-lint": /\bhadolint\b|\btrivy (config|conf)\b|\bcheckov\b[^\n]*dockerfile/i,
};

/** Scanners a step runs. */
export function scannersOfStep(step: Step): Scanner[] {
    const action = actionOf(step);
    const w = withOf(step);
    const found = new Set<Scanner>();
    if (/^(gitleaks\/gitleaks-action|trufflesecurity\/trufflehog)/.test(action)) found.add("secret-scan");
    if (/^(actions\/dependency-review-action|google\/osv-scanner-action|pypa\/gh-action-pip-audit)/.test(action))
        found.add("dependency-audit");
    if (action === "aquasecurity/trivy-action") {
        const scanType = String(w["scan-type"] ?? "image");
        if (scanType === "image") found.add("image-scan");
        if (scanType === "config") found.add("dockerfile-lint");
        if (scanType === "fs") found.add("dependency-audit");
    }
    if (/^(anchore\/scan-action|docker\/scout-action)/.test(action)) found.add("image-scan");
    if (action === "hadolint/hadolint-action") found.add("dockerfile-lint");
    if (action === "bridgecrewio/checkov-action" && /dockerfile|^$/.test(String(w.framework ?? ""))) found.add("dockerfile-lint");
    const run = runOf(step);
    for (const scanner of SCANNERS) if (RUN_SCANNERS[scanner].test(run)) found.add(scanner);
    return [...found];
}

/** `continue-on-error` is only safe when absent or literally `false`. */
function continuesOnError(node: Record<string, unknown>): boolean {
    return "continue-on-error" in node && node["continue-on-error"] !== false;
}

const SWALLOWED_EXIT = /\|\|\s*(true|:|exit 0)\b|;\s*exit 0\b|^\s*set \+e\b/m;

/** Ways one scanning step could pass on findings. */
export function softFailsOfStep(step: Step, maxAuditLevel: AuditLevel): string[] {
    const out: string[] = [];
    const action = actionOf(step);
    const w = withOf(step);
    const run = runOf(step);
    if (continuesOnError(step))
        out.push(`has continue-on-error: ${JSON.stringify(step["continue-on-error"])} (remove it, or set it to false)`);
    if (SWALLOWED_EXIT.test(run)) out.push(`swallows the scanner's exit code (${SWALLOWED_EXIT.exec(run)![0].trim()})`);
    if (action === "aquasecurity/trivy-action" && String(w["exit-code"] ?? "0") !== "1") {
        out.push(`runs trivy-action without exit-code: 1 (it reports findings and passes; set exit-code: "1")`);
    }
    if (/\btrivy (image|i|config|conf|fs)\b/.test(run) && !/--exit-code[= ]1\b/.test(run)) out.push("runs trivy without --exit-code 1");
    if (action === "hadolint/hadolint-action" && String(w["no-fail"] ?? "false") !== "false") out.push("runs hadolint-action with no-fail");
    if (/\bhadolint\b[^\n]*--no-fail/.test(run)) out.push("runs hadolint with --no-fail");
    if (action === "bridgecrewio/checkov-action" && String(w.soft_fail ?? "false") !== "false")
        out.push("runs checkov-action with soft_fail");
    if (/\bcheckov\b[^\n]*--soft-fail/.test(run)) out.push("runs checkov with --soft-fail");
    if (action === "anchore/scan-action" && String(w["fail-build"] ?? "true") === "false")
        out.push("runs anchore/scan-action with fail-build: false");
    if (/\bgrype\b/.test(run) && !/(--fail-on|-f)[= ]\w+/.test(run)) out.push("runs grype without --fail-on (grype exits 0 on findings)");
    if (action === "docker/scout-action" && String(w["exit-code"] ?? "false") !== "true")
        out.push("runs docker/scout-action without exit-code: true");
    if (/\bdocker scout cves\b/.test(run) && !/--exit-code\b/.test(run)) out.push("runs docker scout cves without --exit-code");
    if (/\bgitleaks\b[^\n]*--exit-code[= ]0\b/.test(run)) out.push("runs gitleaks with --exit-code 0");
    const audit = /\b(?:npm|pnpm) audit\b[^\n]*--audit-level[= ](\w+)/.exec(run);
    if (audit) {
        const level = audit[1] as AuditLevel;
        if (!AUDIT_LEVELS.includes(level) || AUDIT_LEVELS.indexOf(level) > AUDIT_LEVELS.indexOf(maxAuditLevel)) {
            out.push(`runs the dependency audit at --audit-level=${level}, above the allowed maximum "${maxAuditLevel}"`);
        }
    }
    return out;
}

const DEPLOY_ACTIONS =
    /^(google-github-actions\/deploy-cloudrun|aws-actions\/amazon-ecs-deploy-(task-definition|express-service)|azure\/webapps-deploy)/;
const DEPLOY_RUN =
    /\bgcloud run (deploy|services (update|update-traffic|replace))\b|\baws ecs (update-service|update-express-gateway-service|create-express-gateway-service)\b|\bpulumi up\b|\bkubectl (apply|set image|rollout)\b|\bhelm upgrade\b/;

const deploysIn = (s: Step) =>
    DEPLOY_ACTIONS.test(actionOf(s)) || DEPLOY_RUN.test(runOf(s)) || (actionOf(s) === "pulumi/actions" && withOf(s).command === "up");
const previewsIn = (s: Step) =>
    (actionOf(s) === "pulumi/actions" && withOf(s).command === "preview") || /\bpulumi preview\b/.test(runOf(s));

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

/** Analyses one workflow file. */
export function analyzeWorkflow(content: string, maxAuditLevel: AuditLevel): WorkflowAnalysis {
    let doc: unknown;
    try {
        doc = parse(content);
    } catch (err) {
        return { jobs: [], gatesPullRequests: false, softFails: [], parseError: (err as Error).message.split("\n")[0] };
    }
    const jobsNode = (doc as Record<string, unknown> | null)?.jobs;
    if (jobsNode === null || typeof jobsNode !== "object" || Array.isArray(jobsNode)) {
        return { jobs: [], gatesPullRequests: false, softFails: [], parseError: "the file has no jobs mapping" };
    }
    const jobs: JobSummary[] = [];
    const softFails: string[] = [];
    for (const [id, raw] of Object.entries(jobsNode as Record<string, Job>)) {
        const job: Job = raw ?? {};
        const steps: Step[] = Array.isArray(job.steps) ? job.steps : [];
        const scanners = new Set<Scanner>();
        steps.forEach((step, index) => {
            const stepScanners = scannersOfStep(step ?? {});
            if (stepScanners.length === 0) return;
            for (const s of stepScanners) scanners.add(s);
            const label = `job "${id}" step "${step.name ?? step.uses ?? `#${index + 1}`}"`;
            for (const problem of softFailsOfStep(step, maxAuditLevel)) softFails.push(`${label} ${problem}`);
        });
        if (scanners.size > 0 && continuesOnError(job)) {
            softFails.push(`job "${id}" runs scans with continue-on-error: ${JSON.stringify(job["continue-on-error"])}`);
        }
        const name = typeof job.name === "string" && !job.name.includes("${{") ? job.name : job.name === undefined ? id : undefined;
        jobs.push({
            id,
            checkName: name,
            scanners: [...scanners],
            deploys: isDeployJob(job),
            needs: needsOf(job),
            ...(typeof job.uses === "string" ? { calls: job.uses } : {}),
        });
    }
    return { jobs, gatesPullRequests: triggersOf((doc as Record<string, unknown>).on).some((t) => PR_TRIGGERS.includes(t)), softFails };
}

const PR_TRIGGERS = ["pull_request", "pull_request_target", "merge_group"];

/** Event names of a workflow's `on:` (string, list or mapping). */
function triggersOf(on: unknown): string[] {
    if (typeof on === "string") return [on];
    if (Array.isArray(on)) return on.filter((t): t is string => typeof t === "string");
    return on !== null && typeof on === "object" ? Object.keys(on) : [];
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
