import { StackValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { matchesPattern } from "../lib/names";
import { Workflow, placeJobs, readWorkflows, scanChecks, uncoveredKinds, ungatedDeploys, unreadNote } from "../lib/scanCoverage";
import { UnknownCollector } from "../lib/unknowns";
import { AUDIT_LEVELS, AuditLevel, SCANNERS, Scanner } from "../lib/workflows";

export interface BlockingScansConfig {
    /** Scanners the workflows must run between them, each blocking a change on findings. */
    requiredScanners: Scanner[];
    /** The highest severity a scan may start failing at (npm --audit-level, trivy --severity, grype --fail-on, …). */
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

const PROTECTION_TYPES = [
    "github:index/branchProtection:BranchProtection",
    "github:index/branchProtectionV3:BranchProtectionV3",
    "github:index/repositoryRuleset:RepositoryRuleset",
];

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

/** Reports uncovered scanner kinds and ungated deploy jobs; returns the checks a merge must require. */
function checkWorkflows(workflows: Workflow[], config: BlockingScansConfig, reportViolation: (m: string, urn?: string) => void): string[] {
    const placed = placeJobs(workflows);
    const uncovered = uncoveredKinds(placed, config.requiredScanners);
    const neverRun = uncovered.filter((u) => u.reasons.length === 0).map((u) => u.kind);
    if (neverRun.length > 0) {
        reportViolation(
            `The workflows (${workflows.map((w) => w.path).join(", ")}) never run: ${neverRun.join(", ")}${unreadNote(placed)}. Add a blocking step for each.`,
            workflows[0].resource.urn,
        );
    }
    for (const { kind, reasons } of uncovered.filter((u) => u.reasons.length > 0)) {
        reportViolation(
            `No ${kind} blocks a change: ${reasons.join("; ")}. Add a scan that fails its job on findings and runs on pull requests or pushes.`,
            workflows[0].resource.urn,
        );
    }
    for (const { workflow, job } of ungatedDeploys(workflows)) {
        reportViolation(
            `${workflow.path}: deploy job "${job.id}" does not need a job whose scans block, so it can ship before (or despite) the scans. Add the scan job to its needs.`,
            workflow.resource.urn,
        );
    }
    return scanChecks(placed);
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
        "For each required kind run a scan that fails its job on findings, on pull requests or pushes: e.g. gitleaks, npm audit, hadolint and trivy (exit-code 1, severity HIGH,CRITICAL), without continue-on-error, `|| true`, no-fail or soft_fail (or follow a reporting scan with a step that fails on its findings).",
        "Make deploy jobs `needs:` the scan job, require the scan job's check on the default branch's protection or ruleset,",
        "and keep registry scanning on (ECR scanOnPush or registry scanning rules; Artifact Registry scanning not DISABLED).",
    ].join(" "),
    configSchema: schemaWithDefaults(BLOCKING_SCANS_DEFAULTS, {
        requiredScanners: {
            type: "array",
            items: { type: "string", enum: [...SCANNERS] },
            description: "Scanners the workflows must run between them, each blocking a change on findings.",
        },
        maxAuditLevel: {
            type: "string",
            enum: [...AUDIT_LEVELS],
            description:
                "The highest severity a scan may start failing at (npm --audit-level, trivy --severity, grype --fail-on, snyk --severity-threshold).",
        },
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
        let defaultBranch = config.defaultBranch;
        for (const r of args.resources.filter((x) => x.type === "github:index/branchDefault:BranchDefault")) {
            unknowns.check(() => {
                defaultBranch = String(r.props.branch);
            });
        }
        const workflows = readWorkflows(args.resources, config.maxAuditLevel, unknowns);
        for (const w of workflows) {
            if (w.analysis.parseError) reportViolation(`${w.path} is not a valid workflow: ${w.analysis.parseError}.`, w.resource.urn);
        }
        const checks = workflows.length > 0 ? checkWorkflows(workflows, config, reportViolation) : [];

        const required = [...new Set([...checks, ...config.requiredChecks])];
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
        if (checks.length > 0 && !defaultProtected) {
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
