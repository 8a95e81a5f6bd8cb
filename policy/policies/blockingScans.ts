import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { matchesPattern } from "../lib/names";
import { UnknownCollector } from "../lib/unknowns";
import { AUDIT_LEVELS, AuditLevel, JobSummary, SCANNERS, Scanner, analyzeWorkflow, transitiveNeeds } from "../lib/workflows";

export interface BlockingScansConfig {
    /** Scanners the workflows must run between them. */
    requiredScanners: Scanner[];
    /** Highest `npm audit --audit-level` allowed (a higher level lets more findings through). */
    maxAuditLevel: AuditLevel;
    /** The default branch, when the stack has no github BranchDefault resource. */
    defaultBranch: string;
    /** Checks branch protection must require besides the scan jobs found in the workflows. */
    requiredChecks: string[];
}

export const BLOCKING_SCANS_DEFAULTS: BlockingScansConfig = {
    requiredScanners: [...SCANNERS],
    maxAuditLevel: "high",
    defaultBranch: "main",
    requiredChecks: [],
};

const WORKFLOW_FILE = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const PROTECTION_TYPES = [
    "github:index/branchProtection:BranchProtection",
    "github:index/branchProtectionV3:BranchProtectionV3",
    "github:index/repositoryRuleset:RepositoryRuleset",
];

interface Workflow {
    readonly resource: PolicyResource;
    readonly path: string;
    readonly jobs: JobSummary[];
    readonly gatesPullRequests: boolean;
}

/** Branches a protection applies to and the status checks it requires. */
export function protectionOf(type: string, props: Record<string, any>): { branches: string[]; checks: string[] } {
    if (type === "github:index/branchProtection:BranchProtection") {
        const checks = (props.requiredStatusChecks ?? []).flatMap((c: Record<string, any>) => c.contexts ?? []);
        return { branches: [String(props.pattern ?? "")], checks };
    }
    if (type === "github:index/branchProtectionV3:BranchProtectionV3") {
        const rsc = props.requiredStatusChecks ?? {};
        const checks = [...(rsc.contexts ?? []), ...(rsc.checks ?? []).map((c: string) => c.split(":")[0])];
        return { branches: [String(props.branch ?? "")], checks };
    }
    if (props.target !== undefined && props.target !== "branch") return { branches: [], checks: [] };
    const includes: string[] = props.conditions?.refName?.includes ?? [];
    const checks = (props.rules?.requiredStatusChecks?.requiredChecks ?? []).map((c: Record<string, any>) => String(c.context));
    return { branches: includes, checks };
}

/** True when a protection's branch pattern covers the default branch. */
export function coversBranch(pattern: string, branch: string): boolean {
    return (
        pattern === "~DEFAULT_BRANCH" ||
        pattern === "~ALL" ||
        matchesPattern(branch, pattern) ||
        matchesPattern(`refs/heads/${branch}`, pattern)
    );
}

function checkWorkflows(workflows: Workflow[], config: BlockingScansConfig, reportViolation: (m: string, urn?: string) => void): string[] {
    const scannersIn = (calls: string | undefined) => {
        const path = calls?.replace(/^\.\//, "").split("@")[0];
        return workflows.find((w) => w.path === path)?.jobs.flatMap((j) => j.scanners) ?? [];
    };
    const isScanJob = (job: JobSummary) => job.scanners.length > 0 || scannersIn(job.calls).length > 0;
    const present = new Set<Scanner>(workflows.flatMap((w) => w.jobs.flatMap((j) => j.scanners)));
    const missing = config.requiredScanners.filter((s) => !present.has(s));
    if (missing.length > 0) {
        reportViolation(
            `The workflows (${workflows.map((w) => w.path).join(", ")}) never run: ${missing.join(", ")}. Add a blocking step for each.`,
            workflows[0].resource.urn,
        );
    }
    for (const w of workflows) {
        for (const job of w.jobs.filter((j) => j.deploys)) {
            const waitsFor = transitiveNeeds(w.jobs, job.id);
            if (
                ![...waitsFor].some((id) => {
                    const j = w.jobs.find((x) => x.id === id);
                    return j !== undefined && isScanJob(j);
                })
            ) {
                reportViolation(
                    `${w.path}: deploy job "${job.id}" does not need a scan job, so it can ship before the scans finish. Add the scan job to its needs.`,
                    w.resource.urn,
                );
            }
        }
    }
    // Merges wait for the checks of workflows that run on pull requests.
    return workflows
        .filter((w) => w.gatesPullRequests)
        .flatMap((w) => w.jobs.filter(isScanJob).flatMap((j) => (j.checkName ? [j.checkName] : [])));
}

/**
 * Mandatory: security scans block. Workflow files run the required scanners and none can pass on
 * findings; deploy jobs wait for them; the default branch requires the scan checks; registries scan
 * images.
 */
export const blockingScans: StackValidationPolicy = {
    name: "blocking-scans",
    description:
        "Security scans run in CI, fail the build on findings, gate deployments and merges, and registries scan every pushed image.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: [
        "Run gitleaks, npm audit, hadolint and trivy (exit-code 1, severity HIGH,CRITICAL) as ordinary steps: no continue-on-error, `|| true`, no-fail or soft_fail.",
        "Make deploy jobs `needs:` the scan job, require the scan job's check on the default branch's protection or ruleset,",
        "and keep registry scanning on (ECR scanOnPush or registry scanning rules; Artifact Registry scanning not DISABLED).",
    ].join(" "),
    configSchema: schemaWithDefaults(BLOCKING_SCANS_DEFAULTS, {
        requiredScanners: {
            type: "array",
            items: { type: "string", enum: [...SCANNERS] },
            description: "Scanners the workflows must run between them.",
        },
        maxAuditLevel: { type: "string", enum: [...AUDIT_LEVELS], description: "Highest npm audit --audit-level allowed." },
        defaultBranch: { type: "string", description: "Default branch when the stack has no github.BranchDefault." },
        requiredChecks: {
            type: "array",
            items: { type: "string" },
            description: "Checks the default branch must require besides the scan jobs found in the workflows.",
        },
    }),
    validateStack: (args, reportViolation) => {
        const config = withDefaults(BLOCKING_SCANS_DEFAULTS, args.getConfig<Partial<BlockingScansConfig>>());
        const unknowns = new UnknownCollector();
        const workflows: Workflow[] = [];
        let defaultBranch = config.defaultBranch;
        for (const r of args.resources) {
            unknowns.check(() => {
                if (r.type === "github:index/branchDefault:BranchDefault") defaultBranch = String(r.props.branch);
                if (r.type !== "github:index/repositoryFile:RepositoryFile" || !WORKFLOW_FILE.test(String(r.props.file))) return;
                const analysis = analyzeWorkflow(String(r.props.content ?? ""), config.maxAuditLevel);
                if (analysis.parseError) reportViolation(`${r.props.file} is not a valid workflow: ${analysis.parseError}.`, r.urn);
                for (const softFail of analysis.softFails)
                    reportViolation(`${r.props.file}: ${softFail}; scans must fail the job on findings.`, r.urn);
                workflows.push({
                    resource: r,
                    path: String(r.props.file),
                    jobs: analysis.jobs,
                    gatesPullRequests: analysis.gatesPullRequests,
                });
            });
        }
        const scanChecks = workflows.length > 0 ? checkWorkflows(workflows, config, reportViolation) : [];

        const required = [...new Set([...scanChecks, ...config.requiredChecks])];
        const protections = args.resources.filter((r) => PROTECTION_TYPES.includes(r.type));
        let defaultProtected = false;
        for (const p of protections) {
            unknowns.check(() => {
                const { branches, checks } = protectionOf(p.type, p.props);
                if (!branches.some((b) => coversBranch(b, defaultBranch))) return;
                defaultProtected = true;
                const missing = required.filter((c) => !checks.includes(c));
                if (missing.length > 0)
                    reportViolation(
                        `"${p.name}" protects ${defaultBranch} but does not require the scan check(s) ${missing.map((c) => `"${c}"`).join(", ")}, so a failing scan can still be merged.`,
                        p.urn,
                    );
            });
        }
        if (scanChecks.length > 0 && !defaultProtected) {
            reportViolation(
                `The workflows scan pull requests but no branch protection or ruleset in the stack protects "${defaultBranch}", so failing scans do not block merges.`,
            );
        }

        const registries = args.resources.filter(
            (r) => r.type === "aws:ecr/repository:Repository" || r.type === "gcp:artifactregistry/repository:Repository",
        );
        const registryScanning = args.resources.some((r) => {
            if (r.type !== "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration") return false;
            let on = false;
            unknowns.check(() => {
                on =
                    r.props.scanType === "ENHANCED" ||
                    (r.props.rules ?? []).some((rule: Record<string, any>) =>
                        ["SCAN_ON_PUSH", "CONTINUOUS_SCAN"].includes(rule.scanFrequency),
                    );
            });
            return on;
        });
        for (const r of registries) {
            unknowns.check(() => {
                if (
                    r.type === "aws:ecr/repository:Repository" &&
                    r.props.imageScanningConfiguration?.scanOnPush !== true &&
                    !registryScanning
                ) {
                    reportViolation(
                        `ECR repository "${r.name}" does not scan on push: set imageScanningConfiguration.scanOnPush = true or add registry scanning rules.`,
                        r.urn,
                    );
                }
                if (
                    r.type === "gcp:artifactregistry/repository:Repository" &&
                    String(r.props.format ?? "").toUpperCase() === "DOCKER" &&
                    r.props.vulnerabilityScanningConfig?.enablementConfig === "DISABLED"
                ) {
                    reportViolation(`Artifact Registry repository "${r.name}" has vulnerability scanning DISABLED.`, r.urn);
                }
            });
        }
        unknowns.finish();
        if (workflows.length === 0 && protections.length === 0 && registries.length === 0) {
            args.notApplicable("the stack has no workflow files, branch protection or container registries");
        }
    },
};
