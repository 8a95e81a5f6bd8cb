/**
 * The recognised-scanner table: for each scanner, how a workflow step is recognised as running it
 * (an action by `owner/repo[/path]`, any ref; a command by the program actually executed), and
 * whether it fails the step on findings, by its own exit semantics at the version used. Sources
 * are cited per row (read 2026-12). Pure data and functions; `workflows.ts` applies it.
 */
import { flagValue, flagValues, hasFlag, positionals } from "./commandLine";

export const SCANNERS = ["secret-scan", "dependency-audit", "image-scan", "dockerfile-lint"] as const;
export type Scanner = (typeof SCANNERS)[number];
export const AUDIT_LEVELS = ["low", "moderate", "high", "critical"] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];

/** A `uses:` reference: `owner/repo[/path]@ref`, and the version the ref (or its `# vX.Y.Z` comment) names. */
export interface ActionRef {
    /** `owner/repo[/path]`, lower case. */
    readonly action: string;
    readonly ref: string;
    /** [major, minor, patch] when the ref or its comment is a version. */
    readonly version?: number[];
    /** A branch name (not a version, not a commit SHA). */
    readonly branch?: string;
}

export interface ScanContext {
    /** The highest severity a scan may start failing at (`maxAuditLevel`). */
    readonly threshold: AuditLevel;
    /** Environment of the step (workflow, job and step `env:` merged). */
    readonly env: Readonly<Record<string, string>>;
}

/** One scan a step runs, and whether it fails the step when it finds something. */
export interface Scan {
    readonly tool: string;
    readonly kinds: Scanner[];
    /** Why it passes on findings; undefined when it fails the step on them. */
    readonly soft?: string;
    /** Why the workflow alone cannot tell (a config file the pack cannot read): blocks, with an advisory. */
    readonly unverified?: string;
    /** Files it writes its findings to (a later command or step may gate on them). */
    readonly reports: string[];
}

export interface ScannerRow {
    readonly tool: string;
    /** How a step is recognised as running it. */
    readonly recognised: string;
    /** When it fails the step on findings (defaults by version). */
    readonly blocks: string;
    readonly source: string;
    readonly action?: (ref: ActionRef, inputs: Readonly<Record<string, string>>, ctx: ScanContext) => Scan[] | undefined;
    readonly command?: (exe: string, args: string[], ctx: ScanContext) => Scan[] | undefined;
}

const SEVERITY_ORDER = ["negligible", "info", "unknown", "low", "moderate", "medium", "high", "critical"];
const rank = (level: string) => {
    const l = level.trim().toLowerCase();
    return l === "medium" ? SEVERITY_ORDER.indexOf("moderate") : SEVERITY_ORDER.indexOf(l);
};

/** A minimum-severity setting (`--fail-on high`): too high when it is above the threshold. */
function minimumTooHigh(level: string | undefined, ctx: ScanContext, what: string): string | undefined {
    if (level === undefined || level === "") return undefined;
    if (level.toLowerCase() === "none") return `${what} none, which never fails`;
    const r = rank(level);
    if (r < 0) return undefined;
    return r > rank(ctx.threshold)
        ? `${what} ${level}, which lets ${ctx.threshold} findings through (maxAuditLevel is "${ctx.threshold}")`
        : undefined;
}

/** A severity list (`--severity LOW`): it must contain every level from the threshold up. */
function listMisses(list: string | undefined, ctx: ScanContext, what: string): string | undefined {
    if (list === undefined || list.trim() === "") return undefined;
    const levels = list.split(/[\s,]+/).map((l) => rank(l));
    const needed = ["high", "critical", "moderate", "low"].filter((l) => rank(l) >= rank(ctx.threshold));
    const missing = needed.filter((l) => !levels.includes(rank(l)));
    return missing.length > 0
        ? `${what} ${list}, which never fails on ${missing.map((m) => m.toUpperCase()).join(" or ")} findings`
        : undefined;
}

const truthy = (v: string | undefined) => v !== undefined && /^(true|1|yes)$/i.test(v.trim());
const scan = (tool: string, kinds: Scanner[], soft?: string, reports: string[] = [], unverified?: string): Scan => ({
    tool,
    kinds,
    ...(soft
        ? { soft: soft.startsWith("runs ") || soft.startsWith("calls ") || soft.startsWith("uses ") ? soft : `runs ${tool} with ${soft}` }
        : {}),
    ...(unverified && !soft ? { unverified } : {}),
    reports: reports.filter((r) => r !== ""),
});
const first = (...reasons: (string | undefined)[]) => reasons.find((r) => r !== undefined);
const atLeast = (v: number[] | undefined, min: number[]) =>
    v !== undefined && (v[0] !== min[0] ? v[0] > min[0] : v[1] !== min[1] ? (v[1] ?? 0) > min[1] : (v[2] ?? 0) >= min[2]);

/** trivy's scanners by subcommand: `--scanners` (or the old `--security-checks`), default vuln,secret. */
function trivyKinds(sub: string, scanners: string | undefined): Scanner[] {
    if (sub === "image") return ["image-scan"];
    if (sub === "config") return ["dockerfile-lint"];
    const list = (scanners ?? "vuln,secret").split(",").map((s) => s.trim());
    const kinds: Scanner[] = [];
    if (list.includes("vuln")) kinds.push("dependency-audit");
    if (list.includes("secret")) kinds.push("secret-scan");
    if (list.includes("misconfig") || list.includes("config")) kinds.push("dockerfile-lint");
    return kinds;
}

const TRIVY_SUBCOMMANDS: Record<string, string> = {
    image: "image",
    i: "image",
    fs: "fs",
    filesystem: "fs",
    rootfs: "fs",
    repo: "fs",
    repository: "fs",
    sbom: "fs",
    vm: "image",
    config: "config",
    conf: "config",
};

/** Trivy exits 0 on findings unless --exit-code (or TRIVY_EXIT_CODE) is non-zero. */
function trivyVerdict(
    exitCode: string | undefined,
    severity: string | undefined,
    config: string | undefined,
    ctx: ScanContext,
    how: string,
) {
    const soft =
        exitCode === undefined || exitCode.trim() === ""
            ? config
                ? undefined
                : `runs trivy without ${how} (trivy exits 0 on findings by default)`
            : Number(exitCode) === 0
              ? `runs trivy with ${how} 0`
              : listMisses(severity, ctx, "severity");
    const unverified =
        exitCode === undefined && config ? `trivy reads its exit code from ${config}, which the pack cannot read` : undefined;
    return { soft, unverified };
}

/** anchore/scan-action's fail-build default: "false" before v3.0.0 (commit 1b0138f, 2021-03), "true" since. */
function anchoreFailBuildDefault(ref: ActionRef): boolean | undefined {
    if (ref.version === undefined) return undefined;
    return ref.version[0] >= 3;
}

export const SCANNER_TABLE: readonly ScannerRow[] = [
    {
        tool: "gitleaks",
        recognised: "`gitleaks/gitleaks-action`; `gitleaks detect|protect|git|dir|stdin` run in any form (path, docker image)",
        blocks: "exits 1 on leaks (the action fails the job); `--exit-code 0` does not",
        source: "gitleaks README (exit codes, --exit-code); gitleaks/gitleaks-action src/index.js (exit 2 → process.exit(1))",
        action: (ref) =>
            /^(gitleaks|zricethezav)\/gitleaks-action$/.test(ref.action) ? [scan("gitleaks-action", ["secret-scan"])] : undefined,
        command: (exe, args) => {
            if (exe !== "gitleaks" || !["detect", "protect", "git", "dir", "directory", "stdin"].includes(args[0])) return undefined;
            const code = flagValue(args, ["--exit-code"]);
            const soft = code !== undefined && Number(code) === 0 ? "runs gitleaks with --exit-code 0" : undefined;
            return [scan("gitleaks", ["secret-scan"], soft, [flagValue(args, ["--report-path", "-r"]) ?? ""])];
        },
    },
    {
        tool: "trufflehog",
        recognised: "`trufflesecurity/trufflehog` (the repository's action); `trufflehog <source>` run in any form",
        blocks: "the CLI exits 183 on results only with `--fail`; the action passes `--fail` since v3.4.0 (added to action.yml 2022-04-21), `@main` is that; older versions only with `--fail` in extra_args",
        source: "trufflesecurity/trufflehog main.go (--fail: exit 183), action.yml history (commit 1540ab9)",
        action: (ref, inputs) => {
            if (ref.action !== "trufflesecurity/trufflehog") return undefined;
            const passesFail = atLeast(ref.version, [3, 4, 0]) || ref.branch === "main" || /(^|\s)--fail\b/.test(inputs.extra_args ?? "");
            const soft = passesFail
                ? undefined
                : `uses trufflesecurity/trufflehog@${ref.ref}, which ${ref.version ? "before v3.4.0 does not pass" : "may be a version that does not pass"} --fail (trufflehog exits 0 on results); add --fail to extra_args`;
            return [scan("trufflehog-action", ["secret-scan"], soft)];
        },
        command: (exe, args) => {
            if (exe !== "trufflehog" || args.length === 0 || args[0].startsWith("-")) return undefined;
            const soft = hasFlag(args, ["--fail"]) ? undefined : "runs trufflehog without --fail (trufflehog exits 0 on results)";
            return [scan("trufflehog", ["secret-scan"], soft)];
        },
    },
    {
        tool: "ggshield",
        recognised:
            "`GitGuardian/ggshield-action`, `GitGuardian/ggshield/actions/secret`; `ggshield secret scan …` (and the older `ggshield scan …`)",
        blocks: "exits 1 when it finds secrets; `--exit-zero` or GITGUARDIAN_EXIT_ZERO does not",
        source: "docs.gitguardian.com ggshield reference (exit codes; secret scan --exit-zero)",
        action: (ref, inputs, ctx) => {
            if (ref.action !== "gitguardian/ggshield-action" && ref.action !== "gitguardian/ggshield/actions/secret") return undefined;
            const soft =
                /--exit-zero\b/.test(inputs.args ?? "") || truthy(ctx.env.GITGUARDIAN_EXIT_ZERO)
                    ? "runs ggshield with --exit-zero"
                    : undefined;
            return [scan("ggshield-action", ["secret-scan"], soft)];
        },
        command: (exe, args, ctx) => {
            if (exe !== "ggshield" || !((args[0] === "secret" && args[1] === "scan") || args[0] === "scan")) return undefined;
            const soft =
                hasFlag(args, ["--exit-zero"]) || truthy(ctx.env.GITGUARDIAN_EXIT_ZERO) ? "runs ggshield with --exit-zero" : undefined;
            return [scan("ggshield", ["secret-scan"], soft, [flagValue(args, ["--output", "-o"]) ?? ""])];
        },
    },
    {
        tool: "detect-secrets",
        recognised: "`detect-secrets-hook`, `detect-secrets audit`, `detect-secrets scan` (also as `python -m detect_secrets`)",
        blocks: "detect-secrets-hook exits 1 on secrets not in the baseline; `audit --report` fails with --fail-on-*; `scan` only writes a baseline and exits 0",
        source: "Yelp/detect-secrets README (pre-commit hook, audit --report --fail-on-unaudited)",
        command: (exe, args) => {
            if (exe === "detect-secrets-hook") return [scan("detect-secrets-hook", ["secret-scan"])];
            if (exe !== "detect-secrets") return undefined;
            if (args[0] === "scan")
                return [
                    scan(
                        "detect-secrets",
                        ["secret-scan"],
                        "runs detect-secrets scan, which writes a baseline and exits 0 (use detect-secrets-hook --baseline)",
                    ),
                ];
            if (args[0] === "audit" && hasFlag(args, ["--report"]))
                return [
                    scan(
                        "detect-secrets",
                        ["secret-scan"],
                        args.some((a) => a.startsWith("--fail-on")) ? undefined : "runs detect-secrets audit --report without --fail-on-*",
                    ),
                ];
            return undefined;
        },
    },
    {
        tool: "npm-audit",
        recognised: "`npm audit`, `pnpm audit`, `yarn audit` (v1), `yarn npm audit` (v2+), `bun audit`, `audit-ci`",
        blocks: "exit non-zero on vulnerabilities at or above --audit-level (default: any); `none` never fails; a level above maxAuditLevel lets findings through",
        source: "docs.npmjs.com npm-audit (audit-level); pnpm, yarn and bun audit docs; IBM/audit-ci README",
        command: (exe, args, ctx) => {
            const level = (what: string, value: string | undefined) => minimumTooHigh(value, ctx, what);
            if ((exe === "npm" || exe === "pnpm" || exe === "bun") && args[0] === "audit" && !["fix", "signatures"].includes(args[1])) {
                const value = flagValue(args, ["--audit-level"]) ?? ctx.env.npm_config_audit_level;
                return [scan(`${exe} audit`, ["dependency-audit"], level("--audit-level", value), [])];
            }
            if (exe === "yarn" && args[0] === "audit")
                return [scan("yarn audit", ["dependency-audit"], level("--level", flagValue(args, ["--level"])))];
            if (exe === "yarn" && args[0] === "npm" && args[1] === "audit")
                return [scan("yarn npm audit", ["dependency-audit"], level("--severity", flagValue(args, ["--severity"])))];
            if (exe === "audit-ci") {
                const flag = ["low", "moderate", "high", "critical"].find((l) => hasFlag(args, [`--${l}`, `-${l[0]}`]));
                return [scan("audit-ci", ["dependency-audit"], level("--", flag))];
            }
            return undefined;
        },
    },
    {
        tool: "pip-audit",
        recognised: "`pypa/gh-action-pip-audit`; `pip-audit` (also `python -m pip_audit`)",
        blocks: "exits 1 on known vulnerabilities; the action's internal-be-careful-allow-failure: true does not",
        source: "pypa/pip-audit README (exit codes); pypa/gh-action-pip-audit action.yml",
        action: (ref, inputs) =>
            ref.action === "pypa/gh-action-pip-audit"
                ? [
                      scan(
                          "pip-audit-action",
                          ["dependency-audit"],
                          truthy(inputs["internal-be-careful-allow-failure"])
                              ? "runs pip-audit with internal-be-careful-allow-failure: true"
                              : undefined,
                      ),
                  ]
                : undefined,
        command: (exe, args) =>
            exe === "pip-audit"
                ? [scan("pip-audit", ["dependency-audit"], undefined, [flagValue(args, ["--output", "-o"]) ?? ""])]
                : undefined,
    },
    {
        tool: "osv-scanner",
        recognised:
            "`google/osv-scanner-action/.github/workflows/osv-scanner-reusable(-pr).yml` (job `uses:`), `google/osv-scanner-action/osv-scanner-action`, `…/osv-reporter-action`; `osv-scanner [scan] [source|image]`",
        blocks: "exits 1 on vulnerabilities; the reusable workflows' fail-on-vuln defaults to true (the reporter fails), fail-on-vuln: false does not",
        source: "google/osv-scanner-action .github/workflows/osv-scanner-reusable.yml (fail-on-vuln default true), osv-scanner docs (exit codes)",
        action: (ref, inputs) => {
            if (/^google\/osv-scanner-action\/\.github\/workflows\/osv-scanner-reusable(-pr)?\.yml$/.test(ref.action)) {
                const soft =
                    inputs["fail-on-vuln"] !== undefined && !truthy(inputs["fail-on-vuln"])
                        ? "calls the OSV-Scanner workflow with fail-on-vuln: false"
                        : undefined;
                return [scan("osv-scanner-workflow", ["dependency-audit"], soft)];
            }
            if (ref.action === "google/osv-scanner-action/osv-scanner-action" || ref.action === "google/osv-scanner-action")
                return [
                    scan("osv-scanner-action", ["dependency-audit"], undefined, [
                        /--output[= ](\S+)/.exec(inputs["scan-args"] ?? "")?.[1] ?? "",
                    ]),
                ];
            if (ref.action === "google/osv-scanner-action/osv-reporter-action") {
                const soft = /--fail-on-vuln[= ]false/.test(inputs["scan-args"] ?? "")
                    ? "runs the OSV reporter with --fail-on-vuln=false"
                    : undefined;
                return [scan("osv-reporter", ["dependency-audit"], soft)];
            }
            return undefined;
        },
        command: (exe, args) => {
            if (exe !== "osv-scanner" || ["fix", "update"].includes(args[0]) || hasFlag(args, ["--version", "-v", "--help"]))
                return undefined;
            const image = args[0] === "scan" && args[1] === "image";
            return [scan("osv-scanner", [image ? "image-scan" : "dependency-audit"], undefined, [flagValue(args, ["--output"]) ?? ""])];
        },
    },
    {
        tool: "govulncheck",
        recognised: "`golang/govulncheck-action`; `govulncheck` (also `go run golang.org/x/vuln/cmd/govulncheck@…`, `go tool govulncheck`)",
        blocks: "exits 3 when vulnerabilities affect the code with text output; `-json` and `-format json|sarif|openvex` exit 0",
        source: "golang.org/x/vuln cmd/govulncheck doc (exit codes; CL 432236 and CL 474795); golang/govulncheck-action action.yml (output-format default text)",
        action: (ref, inputs) => {
            if (ref.action !== "golang/govulncheck-action") return undefined;
            const format = inputs["output-format"] ?? "text";
            return [
                scan(
                    "govulncheck-action",
                    ["dependency-audit"],
                    format === "text" ? undefined : `runs govulncheck-action with output-format: ${format} (govulncheck exits 0)`,
                    [inputs["output-file"] ?? ""],
                ),
            ];
        },
        command: (exe, args) => {
            if (exe !== "govulncheck" || hasFlag(args, ["-version", "--version"])) return undefined;
            const format = hasFlag(args, ["-json", "--json"]) ? "json" : (flagValue(args, ["-format", "--format"]) ?? "text");
            return [
                scan(
                    "govulncheck",
                    ["dependency-audit"],
                    format === "text" ? undefined : `runs govulncheck -format ${format}, which exits 0 on findings`,
                ),
            ];
        },
    },
    {
        tool: "cargo-audit",
        recognised: "`cargo audit`, `cargo deny check [advisories]`, `bundle-audit check`, `composer audit`, `safety check|scan`",
        blocks: "each exits non-zero when it finds a vulnerable dependency",
        source: "rustsec cargo-audit, EmbarkStudios cargo-deny, rubysec bundler-audit, composer, safety: documented exit codes",
        command: (exe, args) => {
            if (exe === "cargo" && args[0] === "audit" && args[1] !== "fix") return [scan("cargo audit", ["dependency-audit"])];
            if (exe === "cargo" && args[0] === "deny" && args.includes("check")) {
                const checks = positionals(args.slice(args.indexOf("check") + 1));
                return checks.length === 0 || checks.includes("advisories") ? [scan("cargo deny", ["dependency-audit"])] : undefined;
            }
            if ((exe === "bundle-audit" || exe === "bundler-audit") && !["update", "version", "help"].includes(args[0]))
                return [scan("bundle-audit", ["dependency-audit"])];
            if (exe === "composer" && args[0] === "audit") return [scan("composer audit", ["dependency-audit"])];
            if (exe === "safety" && (args[0] === "check" || args[0] === "scan")) return [scan("safety", ["dependency-audit"])];
            return undefined;
        },
    },
    {
        tool: "dependency-review",
        recognised: "`actions/dependency-review-action`",
        blocks: "fails on vulnerable additions at or above fail-on-severity (default low); warn-only: true always succeeds",
        source: "actions/dependency-review-action action.yml (warn-only, fail-on-severity)",
        action: (ref, inputs, ctx) => {
            if (ref.action !== "actions/dependency-review-action") return undefined;
            const soft = truthy(inputs["warn-only"])
                ? "runs dependency-review-action with warn-only: true"
                : minimumTooHigh(inputs["fail-on-severity"], ctx, "fail-on-severity");
            return [scan("dependency-review-action", ["dependency-audit"], soft)];
        },
    },
    {
        tool: "trivy",
        recognised:
            "`aquasecurity/trivy-action` (scan-type, default image); `trivy image|fs|rootfs|repo|sbom|vm|config` run in any form; `--download-db-only` is not a scan",
        blocks: "exits 0 on findings unless --exit-code (trivy-action exit-code, TRIVY_EXIT_CODE) is non-zero; only for the listed --severity levels",
        source: "aquasecurity/trivy docs (--exit-code default 0, --severity, --scanners); aquasecurity/trivy-action action.yaml (exit-code has no default) and entrypoint.sh",
        action: (ref, inputs, ctx) => {
            if (ref.action !== "aquasecurity/trivy-action") return undefined;
            const sub = TRIVY_SUBCOMMANDS[inputs["scan-type"] ?? "image"] ?? "fs";
            // With format sarif the action reports every severity unless limit-severities-for-sarif (entrypoint.sh).
            const allSeverities = inputs.format === "sarif" && !truthy(inputs["limit-severities-for-sarif"]);
            const severity = allSeverities ? undefined : inputs.severity;
            const { soft, unverified } = trivyVerdict(inputs["exit-code"], severity, inputs["trivy-config"], ctx, "exit-code");
            return [
                scan(
                    "trivy-action",
                    trivyKinds(sub, inputs.scanners),
                    soft?.replace("runs trivy ", "runs trivy-action "),
                    [inputs.output ?? ""],
                    unverified,
                ),
            ];
        },
        command: (exe, args, ctx) => {
            if (exe !== "trivy") return undefined;
            const sub = TRIVY_SUBCOMMANDS[positionals(args, ["--cache-dir", "--config", "-c", "--timeout"])[0] ?? ""];
            if (!sub || hasFlag(args, ["--download-db-only", "--download-java-db-only"])) return undefined;
            const exitCode = flagValue(args, ["--exit-code"]) ?? ctx.env.TRIVY_EXIT_CODE;
            const severity = flagValue(args, ["--severity", "-s"]) ?? ctx.env.TRIVY_SEVERITY;
            const { soft, unverified } = trivyVerdict(exitCode, severity, flagValue(args, ["--config", "-c"]), ctx, "--exit-code 1");
            const kinds = trivyKinds(sub, flagValue(args, ["--scanners", "--security-checks"]));
            return [scan("trivy", kinds, soft, [flagValue(args, ["--output", "-o"]) ?? ""], unverified)];
        },
    },
    {
        tool: "grype",
        recognised: "`anchore/scan-action` (image → image scan; path/sbom → dependency audit); `grype <target>` run in any form",
        blocks: "grype exits 0 unless --fail-on (GRYPE_FAIL_ON_SEVERITY); scan-action fails at severity-cutoff when fail-build is true: default false before v3.0.0, true since (anchore/scan-action commit 1b0138f, first released in v3.0.0); a branch or unlabelled SHA is judged as unknown",
        source: "anchore/grype README (--fail-on); anchore/scan-action action.yml at v1.0.10, v2.0.4, v3.0.0",
        action: (ref, inputs, ctx) => {
            if (ref.action !== "anchore/scan-action") return undefined;
            const kinds: Scanner[] = inputs.image ? ["image-scan"] : ["dependency-audit"];
            const explicit = inputs["fail-build"];
            const fails = explicit !== undefined ? truthy(explicit) : anchoreFailBuildDefault(ref);
            const soft = first(
                fails === false
                    ? explicit !== undefined
                        ? "runs anchore/scan-action with fail-build: false"
                        : `runs anchore/scan-action@${ref.ref}, whose fail-build defaults to false before v3.0.0; set fail-build: true`
                    : fails === undefined
                      ? `runs anchore/scan-action@${ref.ref}, a ref whose fail-build default cannot be told (false before v3.0.0, true since); pin a version or set fail-build: true`
                      : undefined,
                minimumTooHigh(inputs["severity-cutoff"] ?? "medium", ctx, "severity-cutoff"),
            );
            return [scan("anchore/scan-action", kinds, soft, [inputs["output-file"] ?? ""])];
        },
        command: (exe, args, ctx) => {
            if (exe !== "grype") return undefined;
            const target = positionals(args, [
                "-o",
                "--output",
                "-c",
                "--config",
                "--file",
                "-f",
                "--fail-on",
                "--scope",
                "-s",
                "--platform",
                "--exclude",
            ])[0];
            if (target === undefined || ["db", "version", "explain", "config", "completion", "help"].includes(target)) return undefined;
            const dir = /^(dir|file|sbom|purl|cpe):|^\.{0,2}\/|^\.$/.test(target);
            const failOn = flagValue(args, ["--fail-on", "-f"]) ?? ctx.env.GRYPE_FAIL_ON_SEVERITY;
            const config = flagValue(args, ["--config", "-c"]);
            const soft =
                failOn === undefined
                    ? config
                        ? undefined
                        : "runs grype without --fail-on (grype exits 0 on findings)"
                    : minimumTooHigh(failOn, ctx, "--fail-on");
            const unverified =
                failOn === undefined && config ? `grype reads fail-on-severity from ${config}, which the pack cannot read` : undefined;
            return [scan("grype", [dir ? "dependency-audit" : "image-scan"], soft, [flagValue(args, ["--file"]) ?? ""], unverified)];
        },
    },
    {
        tool: "docker-scout",
        recognised: "`docker/scout-action` with command cves or compare; `docker scout cves|compare|quickview`",
        blocks: "fails only with exit-code (action `exit-code: true`, CLI `--exit-code`/`-e`) on cves or compare; quickview only reports",
        source: "docker/scout-action action.yaml (exit-code, only-severities); docs.docker.com docker scout cves (--exit-code)",
        action: (ref, inputs, ctx) => {
            if (ref.action !== "docker/scout-action") return undefined;
            const commands = (inputs.command ?? "").split(",").map((c) => c.trim());
            if (!commands.some((c) => ["cves", "compare", "quickview"].includes(c))) return undefined;
            const gating = commands.some((c) => c === "cves" || c === "compare");
            const soft = !gating
                ? "runs docker/scout-action quickview, which only reports"
                : truthy(inputs["exit-code"])
                  ? listMisses(inputs["only-severities"], ctx, "only-severities")
                  : "runs docker/scout-action without exit-code: true";
            return [scan("docker/scout-action", ["image-scan"], soft, [inputs["sarif-file"] ?? ""])];
        },
        command: (exe, args, ctx) => {
            if (exe !== "docker" || args[0] !== "scout" || !["cves", "cve", "compare", "quickview", "qv"].includes(args[1]))
                return undefined;
            const gating = !["quickview", "qv"].includes(args[1]);
            const soft = !gating
                ? "runs docker scout quickview, which only reports"
                : hasFlag(args, ["--exit-code", "-e"])
                  ? listMisses(flagValue(args, ["--only-severity"]), ctx, "--only-severity")
                  : "runs docker scout without --exit-code";
            return [scan("docker scout", ["image-scan"], soft, [flagValue(args, ["--output", "-o"]) ?? ""])];
        },
    },
    {
        tool: "snyk",
        recognised:
            "`snyk/actions/<language>` and `snyk/actions/docker` (not setup or iac); `snyk test`, `snyk container test`, `snyk monitor`",
        blocks: "`snyk test` exits 1 on vulnerabilities at or above --severity-threshold; `monitor` uploads a snapshot and exits 0",
        source: "docs.snyk.io CLI exit codes; snyk/actions <language>/action.yml (command default test)",
        action: (ref, inputs, ctx) => {
            const m = /^snyk\/actions\/([\w.-]+)$/.exec(ref.action);
            if (!m || m[1] === "setup" || m[1] === "iac") return undefined;
            const args = (inputs.args ?? "").split(/\s+/);
            return snykVerdict(inputs.command ?? "test", m[1] === "docker" ? "image-scan" : "dependency-audit", args, ctx, "snyk/actions");
        },
        command: (exe, args, ctx) => {
            if (exe !== "snyk") return undefined;
            if (args[0] === "container") return snykVerdict(args[1] ?? "", "image-scan", args, ctx, "snyk container");
            return snykVerdict(args[0] ?? "", "dependency-audit", args, ctx, "snyk");
        },
    },
    {
        tool: "hadolint",
        recognised: "`hadolint/hadolint-action`; `hadolint` run in any form (the hadolint/hadolint image lints stdin)",
        blocks: "exits 1 on rules at or above failure-threshold (default info); --no-fail and the codeclimate/codacy formats exit 0",
        source: "hadolint app/Main.hs (exitProgram), hadolint/hadolint-action action.yml",
        action: (ref, inputs) => {
            if (ref.action !== "hadolint/hadolint-action" && ref.action !== "brpaz/hadolint-action") return undefined;
            const soft = truthy(inputs["no-fail"])
                ? "runs hadolint-action with no-fail"
                : ["codeclimate", "codacy"].includes(inputs.format ?? "")
                  ? `runs hadolint-action with format ${inputs.format}, which exits 0`
                  : undefined;
            return [scan("hadolint-action", ["dockerfile-lint"], soft, [inputs["output-file"] ?? ""])];
        },
        command: (exe, args) => {
            if (exe !== "hadolint" || hasFlag(args, ["--version", "-v", "--help", "-h"])) return undefined;
            const format = flagValue(args, ["--format", "-f"]);
            const soft = hasFlag(args, ["--no-fail"])
                ? "runs hadolint with --no-fail"
                : ["codeclimate", "codacy"].includes(format ?? "")
                  ? `runs hadolint -f ${format}, which exits 0`
                  : undefined;
            return [scan("hadolint", ["dockerfile-lint"], soft)];
        },
    },
    {
        tool: "checkov",
        recognised:
            "`bridgecrewio/checkov-action`, `checkov` run in any form, when the dockerfile framework is included (the default is all frameworks)",
        blocks: "exits 1 on failed checks; soft_fail / --soft-fail do not",
        source: "bridgecrewio/checkov-action action.yml (soft_fail, framework); checkov CLI reference",
        action: (ref, inputs) => {
            if (ref.action !== "bridgecrewio/checkov-action") return undefined;
            const framework = inputs.framework ?? "";
            if (framework !== "" && !/\b(dockerfile|all)\b/.test(framework)) return undefined;
            return [
                scan("checkov-action", ["dockerfile-lint"], truthy(inputs.soft_fail) ? "runs checkov-action with soft_fail" : undefined),
            ];
        },
        command: (exe, args) => {
            if (exe !== "checkov") return undefined;
            const frameworks = flagValues(args, ["--framework"]).join(",");
            if (frameworks !== "" && !/\b(dockerfile|all)\b/.test(frameworks)) return undefined;
            return [scan("checkov", ["dockerfile-lint"], hasFlag(args, ["--soft-fail"]) ? "runs checkov with --soft-fail" : undefined)];
        },
    },
    {
        tool: "on-demand-scanning",
        recognised: "`gcloud artifacts docker images scan`",
        blocks: "never: it starts a scan and prints its id; a later `list-vulnerabilities` check that exits non-zero is the gate",
        source: "cloud.google.com/artifact-analysis/docs/ods-cloudbuild (scan, then gate on list-vulnerabilities)",
        command: (exe, args) => {
            const words = args[0] === "beta" ? args.slice(1) : args;
            if (exe !== "gcloud" || words.slice(0, 4).join(" ") !== "artifacts docker images scan") return undefined;
            return [
                scan(
                    "gcloud artifacts docker images scan",
                    ["image-scan"],
                    "runs gcloud artifacts docker images scan, which reports and exits 0",
                ),
            ];
        },
    },
];

function snykVerdict(command: string, kind: Scanner, args: string[], ctx: ScanContext, what: string): Scan[] | undefined {
    if (command === "monitor") return [scan("snyk", [kind], `runs ${what} monitor, which uploads a snapshot and exits 0`)];
    if (command !== "test") return undefined;
    const threshold =
        args.map((a) => /^--severity-threshold=(\w+)/.exec(a)?.[1]).find((x) => x) ?? flagValue(args, ["--severity-threshold"]);
    return [
        scan("snyk", [kind], minimumTooHigh(threshold, ctx, "--severity-threshold"), [
            flagValue(args, ["--json-file-output", "--sarif-file-output"]) ?? "",
        ]),
    ];
}

/** Parses `owner/repo[/path]@ref` with the version its tag (or trailing `# v1.2.3` comment) names. */
export function actionRef(uses: string, comment?: string): ActionRef {
    const at = uses.lastIndexOf("@");
    const action = (at < 0 ? uses : uses.slice(0, at)).toLowerCase();
    const ref = at < 0 ? "" : uses.slice(at + 1);
    const parse = (text: string | undefined) => {
        const m = /(?:^|[^\w.])v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\b/.exec(text ?? "");
        return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
    };
    if (/^v?\d+(\.\d+){0,2}$/.test(ref)) return { action, ref, version: parse(ref) };
    if (/^[0-9a-f]{40}$/i.test(ref)) {
        const version = parse(comment);
        return version ? { action, ref, version } : { action, ref };
    }
    return { action, ref, branch: ref };
}

/** Scans a `uses:` step runs, by the table. */
export function scansOfAction(ref: ActionRef, inputs: Readonly<Record<string, string>>, ctx: ScanContext): Scan[] {
    for (const row of SCANNER_TABLE) {
        const found = row.action?.(ref, inputs, ctx);
        if (found) return found;
    }
    return [];
}

/** Scans a command (already unwrapped to its program) runs, by the table. */
export function scansOfCommand(exe: string, args: string[], ctx: ScanContext): Scan[] {
    for (const row of SCANNER_TABLE) {
        const found = row.command?.(exe, args, ctx);
        if (found) return found;
    }
    return [];
}
