import { expect } from "chai";
import * as fc from "fast-check";
import { invocationOf } from "../policy/lib/commandLine";
import { SCANNER_TABLE, ScanContext, actionRef, scansOfAction, scansOfCommand } from "../policy/lib/scanners";
import { ShellSyntaxError, SimpleCommand, parseShell, simpleCommands } from "../policy/lib/shell";
import { failureOf, gateAfter } from "../policy/lib/shellStatus";
import { PolicyResource } from "@pulumi/policy";
import { readWorkflows } from "../policy/lib/scanCoverage";
import { UnknownCollector } from "../policy/lib/unknowns";
import { AuditLevel, analyzeWorkflow, eventsAllowedBy, shellMode, transitiveNeeds } from "../policy/lib/workflows";

const BASH_E = { errexit: true, pipefail: false };
const words = (c: SimpleCommand) => c.words.map((w) => w.text);
/** The first command of a script whose program is `exe`. */
function find(script: string, exe: string) {
    const root = parseShell(script);
    const command = simpleCommands(root).find((c) => invocationOf(words(c.command))?.exe === exe)!.command;
    return { root, command };
}
const fails = (script: string, exe: string, mode = BASH_E) => {
    const { root, command } = find(script, exe);
    return failureOf(root, command, mode);
};
const CTX: ScanContext = { threshold: "high", env: {} };
const cmd = (line: string) => {
    const inv = invocationOf(words(simpleCommands(parseShell(line))[0].command))!;
    return scansOfCommand(inv.exe, inv.args, CTX);
};
const act = (uses: string, inputs: Record<string, string> = {}, comment?: string) => scansOfAction(actionRef(uses, comment), inputs, CTX);

describe("shell parsing of run: scripts", () => {
    it("splits lists, and-or lists, pipelines and groups, and keeps quoted text together", () => {
        const commands = simpleCommands(parseShell('a "b c" && d | e; { f; } || (g)\nif h; then i; fi'));
        expect(commands.map((c) => words(c.command))).to.deep.equal([["a", "b c"], ["d"], ["e"], ["f"], ["g"], ["h"], ["i"]]);
    });

    it("follows continuations, comments, here-documents, $(…) and GitHub expressions", () => {
        const script = [
            "docker run --rm \\",
            '  -v "$PWD:/src" img # a comment with gitleaks in it',
            "cat <<EOF > notes.txt",
            "gitleaks detect",
            "EOF",
            'count=$(jq length "${{ steps.scan.outputs.report }}")',
        ].join("\n");
        const commands = simpleCommands(parseShell(script)).map((c) => words(c.command));
        expect(commands).to.deep.equal([
            ["docker", "run", "--rm", "-v", "$PWD:/src", "img"],
            ["cat"],
            [],
            ["jq", "length", "${{_steps.scan.outputs.report_}}"],
        ]);
    });

    it("reads bash array assignments as one word", () => {
        const commands = simpleCommands(
            parseShell('compare=(); if [ -s b.json ]; then compare=(--compare "b c.json"); fi\nnpm run plan "${compare[@]}"'),
        );
        expect(commands.map((c) => [...c.command.assignments, ...c.command.words].map((w) => w.raw))).to.deep.equal([
            ["compare=()"],
            ["[", "-s", "b.json", "]"],
            ['compare=(--compare "b c.json")'],
            ["npm", "run", "plan", '"${compare[@]}"'],
        ]);
    });

    it("reads [[ … ]] and process substitutions as bash does", () => {
        const commands = simpleCommands(parseShell('[[ -n "$A" && $B < 3 ]] && diff <(sort a) <(sort b)'));
        expect(commands.map((c) => words(c.command))).to.deep.equal([
            ["[[", "-n", "$A", "&&", "$B", "<", "3", "]]"],
            ["diff", "<(sort a)", "<(sort b)"],
            ["sort", "a"],
            ["sort", "b"],
        ]);
    });

    it("refuses what bash would refuse", () => {
        expect(() => parseShell('echo "unterminated')).to.throw(ShellSyntaxError);
        expect(() => parseShell("if true; then echo")).to.throw(ShellSyntaxError);
        expect(() => parseShell("a &&")).to.throw(ShellSyntaxError);
    });

    it("never throws anything but a syntax error on any input (property)", () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 40 }), (script) => {
                try {
                    simpleCommands(parseShell(script));
                } catch (err) {
                    expect(err).to.be.instanceOf(ShellSyntaxError);
                }
            }),
            { numRuns: 300 },
        );
    });
});

describe("whether a command's failure fails the step (bash -e, pipefail)", () => {
    it("fails the step under errexit, wherever the command is in a list", () => {
        expect(fails("npm audit\necho done", "npm")).to.deep.equal({ fails: true });
        expect(fails("npm audit; true", "npm")).to.deep.equal({ fails: true });
        expect(fails("echo start\nnpm audit", "npm", { errexit: false, pipefail: false })).to.deep.equal({ fails: true });
    });

    it("does not without errexit when something runs after it", () => {
        expect(fails("npm audit; true", "npm", { errexit: false, pipefail: false })).to.include({ fails: false });
        expect(fails("set +e\nnpm audit\necho done", "npm")).to.include({ fails: false });
        expect(fails("set -e\nnpm audit\necho done", "npm", { errexit: false, pipefail: false })).to.deep.equal({ fails: true });
    });

    it("is swallowed by || unless the alternative fails", () => {
        expect(fails("npm audit || true", "npm")).to.deep.include({ reason: '"|| true" swallows its exit code' });
        expect(fails("npm audit || echo found", "npm")).to.include({ fails: false });
        expect(fails("npm audit || exit 0", "npm")).to.include({ fails: false });
        expect(fails("npm audit || exit 1", "npm")).to.deep.equal({ fails: true });
        expect(fails('npm audit || { echo "found"; exit 1; }', "npm")).to.deep.equal({ fails: true });
        expect(fails("npm audit || exit", "npm"), "a bare exit keeps the failed status").to.deep.equal({ fails: true });
    });

    it("follows && lists: errexit ignores their non-final commands", () => {
        expect(fails("npm audit && echo clean", "npm"), "last line: the list's status is the script's").to.deep.equal({ fails: true });
        expect(fails("npm audit && echo clean\necho next", "npm")).to.include({ fails: false });
        expect(fails("echo start && npm audit\necho next", "npm")).to.deep.equal({ fails: true });
    });

    it("follows pipelines: only the last command's status counts without pipefail", () => {
        expect(fails("npm audit | tee a.txt", "npm")).to.include({ fails: false });
        expect(fails("npm audit | tee a.txt", "npm", { errexit: true, pipefail: true })).to.deep.equal({ fails: true });
        expect(fails("set -o pipefail\nnpm audit | tee a.txt", "npm")).to.deep.equal({ fails: true });
        expect(fails("set -euo pipefail\nnpm audit | tee a.txt", "npm")).to.deep.equal({ fails: true });
        expect(fails("cat x | npm audit", "npm")).to.deep.equal({ fails: true });
        expect(fails("! npm audit", "npm")).to.include({ fails: false });
    });

    it("follows conditions, groups, subshells and command substitutions", () => {
        expect(fails("if npm audit; then echo ok; fi", "npm")).to.include({ fails: false });
        expect(fails("if npm audit; then echo ok; else exit 1; fi", "npm")).to.deep.equal({ fails: true });
        expect(fails("(npm audit && echo ok)\necho next", "npm"), "a failed subshell trips errexit").to.deep.equal({ fails: true });
        expect(fails("{ npm audit && echo ok; }\necho next", "npm")).to.include({ fails: false });
        expect(fails("out=$(npm audit --json)\necho next", "npm"), "an assignment has the substitution's status").to.deep.equal({
            fails: true,
        });
        expect(fails('echo "$(npm audit)"\necho next', "npm")).to.include({ fails: false });
        expect(fails("while npm audit; do sleep 1; done", "npm")).to.include({ fails: false });
    });

    it("finds a gate after a reporting scan: a report read and an explicit failure on it", () => {
        const gate = (script: string, exe: string, reports: string[] = []) => {
            const { root, command } = find(script, exe);
            return gateAfter(root, command, { files: reports, vars: [] }, BASH_E);
        };
        expect(
            gate("grype app -o json > g.json\nn=$(jq '.matches|length' g.json)\nif [ \"$n\" -gt 0 ]; then exit 1; fi", "grype"),
        ).to.equal(3);
        expect(gate("grype app -o json > g.json\n[ \"$(jq '.matches|length' g.json)\" -eq 0 ] || exit 1", "grype")).to.equal(2);
        expect(gate("grype app -o json > g.json\njq -e '.matches|length == 0' g.json", "grype")).to.equal(2);
        expect(gate("set +e\nnpm audit\nrc=$?\necho report\nexit $rc", "npm")).to.equal(5);
        expect(gate("gitleaks git --exit-code 0 --report-path r.json\nif [ -s r.json ]; then exit 1; fi", "gitleaks", ["r.json"])).to.equal(
            2,
        );
        expect(
            gate('grype app -o json > g.json\njq . g.json\nif [ -z "$TOKEN" ]; then exit 1; fi', "grype"),
            "an unrelated check is no gate",
        ).to.equal(undefined);
        expect(gate("grype app -o json > g.json\necho done > g.txt", "grype")).to.equal(undefined);
    });
});

describe("what a command runs (wrappers)", () => {
    it("sees through sudo, env, npx, pipx, go run, python -m, xargs and docker run of a scanner image", () => {
        const exe = (line: string) => invocationOf(words(simpleCommands(parseShell(line))[0].command));
        expect(exe('"$RUNNER_TEMP/gitleaks" git .')).to.deep.equal({ exe: "gitleaks", args: ["git", "."] });
        expect(exe("sudo -E env FOO=1 trivy image x")).to.deep.equal({ exe: "trivy", args: ["image", "x"] });
        expect(exe("npx --yes audit-ci --high")).to.deep.equal({ exe: "audit-ci", args: ["--high"] });
        expect(exe("go run golang.org/x/vuln/cmd/govulncheck@v1.1.3 ./...")).to.deep.equal({ exe: "govulncheck", args: ["./..."] });
        expect(exe("python -m pip_audit -r requirements.txt")?.exe).to.equal("pip-audit");
        expect(exe("git ls-files -z | xargs -0 detect-secrets-hook --baseline b")?.exe).to.equal("git");
        expect(exe("xargs -0 detect-secrets-hook --baseline b")?.exe).to.equal("detect-secrets-hook");
        expect(exe("docker run --rm -v $PWD:/src -w /src aquasec/trivy:0.58.1 fs .")).to.deep.equal({ exe: "trivy", args: ["fs", "."] });
        expect(exe("docker run --rm -i hadolint/hadolint")).to.deep.equal({ exe: "hadolint", args: [] });
        expect(exe("docker run --rm alpine:3 sh -c 'echo hi'")?.exe).to.equal("sh");
        expect(exe("curl -sSfL https://x/install.sh | sh -s -- -b /usr/local/bin")?.exe).to.equal("curl");
    });
});

describe("the recognised-scanner table", () => {
    it("has one row per tool, each with how it is recognised, when it blocks and a source", () => {
        expect(new Set(SCANNER_TABLE.map((r) => r.tool)).size).to.equal(SCANNER_TABLE.length);
        for (const row of SCANNER_TABLE) {
            expect(row.recognised, row.tool).to.have.length.above(10);
            expect(row.blocks, row.tool).to.have.length.above(10);
            expect(row.source, row.tool).to.have.length.above(10);
            expect(row.action ?? row.command, row.tool).to.be.a("function");
        }
    });

    it("reads versions from tags and from the comment after a SHA pin", () => {
        expect(actionRef("anchore/scan-action@v3")).to.deep.equal({ action: "anchore/scan-action", ref: "v3", version: [3, 0, 0] });
        expect(actionRef("aquasecurity/trivy-action@0.28.0").version).to.deep.equal([0, 28, 0]);
        const sha = "3343887d815d7b07465f6fdcd395bd66508d486a";
        expect(actionRef(`anchore/scan-action@${sha}`, " v3.6.4").version).to.deep.equal([3, 6, 4]);
        expect(actionRef(`anchore/scan-action@${sha}`)).to.deep.equal({ action: "anchore/scan-action", ref: sha });
        expect(actionRef("anchore/scan-action@master")).to.include({ branch: "master" });
    });

    it("judges anchore/scan-action's fail-build by version: false before v3, true since, unknown on a branch", () => {
        expect(act("anchore/scan-action@v2", { image: "x" })[0].soft).to.match(/defaults to false before v3.0.0/);
        expect(act("anchore/scan-action@v1.0.10", { image: "x", "fail-build": "true" })[0].soft).to.equal(undefined);
        expect(act("anchore/scan-action@v3.0.0", { image: "x" })[0])
            .to.deep.include({ kinds: ["image-scan"] })
            .and.not.have.property("soft");
        expect(act("anchore/scan-action@main", { image: "x" })[0].soft).to.match(/cannot be told/);
        expect(act("anchore/scan-action@v6", { path: "." })[0].kinds).to.deep.equal(["dependency-audit"]);
        expect(act("anchore/scan-action@v6", { image: "x", "severity-cutoff": "critical" })[0].soft).to.match(/severity-cutoff critical/);
        expect(act("anchore/scan-action/download-grype@v6")).to.deep.equal([]);
    });

    it("judges the trufflehog action by version: --fail since v3.4.0", () => {
        expect(act("trufflesecurity/trufflehog@v3.3.0")[0].soft).to.match(/before v3.4.0/);
        expect(act("trufflesecurity/trufflehog@v3.3.0", { extra_args: "--fail --only-verified" })[0].soft).to.equal(undefined);
        expect(act("trufflesecurity/trufflehog@v3.82.6")[0].soft).to.equal(undefined);
        expect(act("trufflesecurity/trufflehog@main")[0].soft).to.equal(undefined);
        expect(act("trufflesecurity/trufflehog@3d2c4e1a3b2c4e1a3b2c4e1a3b2c4e1a3b2c4e1a")[0].soft).to.match(/may be a version/);
    });

    it("judges trivy by exit code, severity and subcommand; the database download is not a scan", () => {
        expect(cmd("trivy image --exit-code 1 --severity HIGH,CRITICAL app")[0])
            .to.deep.include({ kinds: ["image-scan"] })
            .and.not.have.property("soft");
        expect(cmd("trivy image app")[0].soft).to.match(/without --exit-code 1/);
        expect(cmd("trivy image --exit-code 1 --severity CRITICAL app")[0].soft).to.match(/never fails on HIGH/);
        expect(cmd("trivy fs --exit-code 1 .")[0].kinds).to.deep.equal(["dependency-audit", "secret-scan"]);
        expect(cmd("trivy fs --scanners misconfig --exit-code 1 .")[0].kinds).to.deep.equal(["dockerfile-lint"]);
        expect(cmd("trivy config --exit-code 1 .")[0].kinds).to.deep.equal(["dockerfile-lint"]);
        expect(cmd("trivy image --download-db-only")).to.deep.equal([]);
        expect(cmd("trivy --version")).to.deep.equal([]);
        expect(cmd("trivy image --config trivy.yaml app")[0])
            .to.deep.include({ unverified: "trivy reads its exit code from trivy.yaml, which the pack cannot read" })
            .and.not.have.property("soft");
        expect(scansOfCommand("trivy", ["image", "app"], { threshold: "high", env: { TRIVY_EXIT_CODE: "1" } })[0].soft).to.equal(undefined);
        expect(act("aquasecurity/trivy-action@0.28.0", { "scan-type": "fs", "exit-code": "1" })[0].kinds).to.deep.equal([
            "dependency-audit",
            "secret-scan",
        ]);
        expect(act("aquasecurity/trivy-action@0.28.0", { "image-ref": "x", "exit-code": "1", severity: "LOW" })[0].soft).to.match(
            /severity LOW/,
        );
        const sarif = { "image-ref": "x", "exit-code": "1", severity: "LOW", format: "sarif" };
        expect(act("aquasecurity/trivy-action@v0.36.0", sarif)[0].soft, "SARIF output keeps every severity").to.equal(undefined);
        expect(act("aquasecurity/trivy-action@v0.36.0", { ...sarif, "limit-severities-for-sarif": "true" })[0].soft).to.match(
            /severity LOW/,
        );
        expect(act("aquasecurity/setup-trivy@v0.2.2")).to.deep.equal([]);
    });

    it("judges the other CLIs by their own exit rules", () => {
        expect(cmd("gitleaks detect --redact")[0])
            .to.deep.include({ kinds: ["secret-scan"] })
            .and.not.have.property("soft");
        expect(cmd("gitleaks detect --exit-code=0")[0].soft).to.match(/--exit-code 0/);
        expect(cmd("gitleaks version")).to.deep.equal([]);
        expect(cmd("trufflehog git file://. --fail")[0].soft).to.equal(undefined);
        expect(cmd("trufflehog filesystem .")[0].soft).to.match(/without --fail/);
        expect(cmd("ggshield secret scan ci")[0].soft).to.equal(undefined);
        expect(cmd("ggshield secret scan --exit-zero path -r .")[0].soft).to.match(/--exit-zero/);
        expect(
            scansOfCommand("ggshield", ["secret", "scan", "ci"], { threshold: "high", env: { GITGUARDIAN_EXIT_ZERO: "true" } })[0].soft,
        ).to.match(/exit-zero/);
        expect(cmd("npm audit --audit-level=critical")[0].soft).to.match(/--audit-level critical, which lets high findings through/);
        expect(cmd("npm audit --audit-level none")[0].soft).to.match(/never fails/);
        expect(cmd("npm audit fix")).to.deep.equal([]);
        expect(cmd("npm audit signatures")).to.deep.equal([]);
        expect(cmd("yarn npm audit --severity high")[0].soft).to.equal(undefined);
        expect(cmd("govulncheck -json ./...")[0].soft).to.match(/exits 0/);
        expect(cmd("go tool govulncheck ./...")[0].soft).to.equal(undefined);
        expect(cmd("osv-scanner scan image app:ci")[0].kinds).to.deep.equal(["image-scan"]);
        expect(cmd("grype dir:. --fail-on high")[0])
            .to.deep.include({ kinds: ["dependency-audit"] })
            .and.not.have.property("soft");
        expect(cmd("grype app:ci --fail-on critical")[0].soft).to.match(/--fail-on critical/);
        expect(cmd("grype db update")).to.deep.equal([]);
        expect(cmd("docker scout cves app --exit-code --only-severity critical")[0].soft).to.match(/never fails on HIGH/);
        expect(cmd("docker scout quickview app")[0].soft).to.match(/only reports/);
        expect(cmd("snyk container test app:ci")[0])
            .to.deep.include({ kinds: ["image-scan"] })
            .and.not.have.property("soft");
        expect(cmd("snyk test --severity-threshold=critical")[0].soft).to.match(/--severity-threshold critical/);
        expect(cmd("snyk code test")).to.deep.equal([]);
        expect(cmd("hadolint --no-fail Dockerfile")[0].soft).to.match(/--no-fail/);
        expect(cmd("checkov -d . --framework terraform")).to.deep.equal([]);
        expect(cmd("checkov -d . --framework dockerfile --soft-fail")[0].soft).to.match(/--soft-fail/);
        expect(cmd("cargo deny check licenses")).to.deep.equal([]);
        expect(cmd("cargo deny check advisories")[0].kinds).to.deep.equal(["dependency-audit"]);
        expect(cmd("detect-secrets audit --report --fail-on-unaudited .secrets.baseline")[0].soft).to.equal(undefined);
    });

    it("recognises actions by owner/repo whatever the ref, and nothing else", () => {
        expect(act("gitleaks/gitleaks-action@v2")[0].kinds).to.deep.equal(["secret-scan"]);
        expect(act("GitGuardian/ggshield/actions/secret@v1.32.0")[0].kinds).to.deep.equal(["secret-scan"]);
        expect(act("golang/govulncheck-action@v1", { "output-format": "sarif" })[0].soft).to.match(/output-format: sarif/);
        expect(act("google/osv-scanner-action/osv-reporter-action@v2.0.2", { "scan-args": "--fail-on-vuln=false" })[0].soft).to.match(
            /fail-on-vuln=false/,
        );
        expect(act("docker/scout-action@v1", { command: "compare", "exit-code": "true" })[0].soft).to.equal(undefined);
        expect(act("docker/scout-action@v1", { command: "recommendations" })).to.deep.equal([]);
        expect(act("snyk/actions/setup@master")).to.deep.equal([]);
        expect(act("snyk/actions/docker@master", { image: "x", args: "--severity-threshold=high" })[0].kinds).to.deep.equal(["image-scan"]);
        expect(act("hadolint/hadolint-action@v3.1.0", { format: "codacy" })[0].soft).to.match(/codacy/);
        expect(act("bridgecrewio/checkov-action@v12", { framework: "terraform" })).to.deep.equal([]);
        expect(act("actions/dependency-review-action@v4", { "fail-on-severity": "critical" })[0].soft).to.match(
            /fail-on-severity critical/,
        );
        expect(act("github/codeql-action/upload-sarif@v3", { sarif_file: "grype.sarif" })).to.deep.equal([]);
        expect(act("acme/grype-wrapper@v1")).to.deep.equal([]);
    });
});

describe("workflow analysis", () => {
    const ci = (steps: string, extra = "") =>
        `on: [pull_request]\njobs:\n  security:\n    runs-on: ubuntu-latest\n${extra}    steps:\n${steps}`;

    it("knows the shell each step runs in", () => {
        expect(shellMode(undefined, false)).to.deep.equal({ errexit: true, pipefail: false });
        expect(shellMode("bash", false)).to.deep.equal({ errexit: true, pipefail: true });
        expect(shellMode("bash -l {0}", false)).to.deep.equal({ errexit: false, pipefail: false });
        expect(shellMode("bash -el {0}", false)).to.deep.equal({ errexit: true, pipefail: false });
        expect(shellMode("bash --noprofile --norc -eo pipefail {0}", false)).to.deep.equal({ errexit: true, pipefail: true });
        expect(shellMode(undefined, true)).to.equal(undefined);
        expect(shellMode("pwsh", false)).to.equal(undefined);
    });

    it("narrows a job's events by an if: on github.event_name only", () => {
        const events = ["push", "pull_request", "schedule"];
        expect(eventsAllowedBy("github.event_name == 'schedule'", events)).to.deep.equal(["schedule"]);
        expect(eventsAllowedBy("${{ github.event_name == 'push' || github.event_name == 'schedule' }}", events)).to.deep.equal([
            "push",
            "schedule",
        ]);
        expect(eventsAllowedBy("github.event_name != 'schedule'", events)).to.deep.equal(["push", "pull_request"]);
        expect(eventsAllowedBy("github.event_name == 'push' && github.ref == 'refs/heads/main'", events)).to.deep.equal(events);
        expect(eventsAllowedBy(undefined, events)).to.deep.equal(events);
    });

    it("reports each scan with its job, step and verdict, job-level continue-on-error included", () => {
        const analysis = analyzeWorkflow(
            ci(
                "      - name: Image scan\n        uses: aquasecurity/trivy-action@v0.36.0\n        with:\n          exit-code: '1'\n",
                "    continue-on-error: true\n",
            ),
            "high",
        );
        expect(analysis.softFails).to.deep.equal(['job "security" step "Image scan" runs in a job with continue-on-error: true']);
        expect(analysis.jobs[0]).to.deep.include({
            id: "security",
            checkName: "security",
            deploys: false,
            scanners: ["image-scan"],
            events: ["pull_request"],
        });
    });

    it("reads the version from the comment after a SHA pin", () => {
        const pinned = (comment: string) =>
            analyzeWorkflow(
                ci(
                    `      - uses: anchore/scan-action@3343887d815d7b07465f6fdcd395bd66508d486a${comment}\n        with:\n          image: app\n`,
                ),
                "high",
            ).softFails;
        expect(pinned(" # v3.6.4")).to.deep.equal([]);
        expect(pinned(" # v2.0.4")[0]).to.match(/before v3.0.0/);
        expect(pinned("")[0]).to.match(/cannot be told/);
    });

    it("rescues a soft scan by a later step that fails on its outcome or its report, and only then", () => {
        const steps = (gate: string) =>
            analyzeWorkflow(
                ci(["      - id: audit", "        continue-on-error: true", "        run: npm audit --json > audit.json", gate].join("\n")),
                "high",
            ).softFails;
        expect(steps("      - if: steps.audit.outcome == 'failure'\n        run: exit 1\n")).to.deep.equal([]);
        expect(steps("      - if: steps.audit.outcome == 'failure'\n        run: echo 'found'\n")).to.have.length(1);
        expect(steps("      - run: jq -e '.metadata.vulnerabilities.high == 0' audit.json\n")).to.deep.equal([]);
        expect(steps("      - run: jq . other.json\n")).to.have.length(1);
        expect(
            steps(
                "      - if: ${{ steps.audit.outcome == 'failure' }}\n        uses: actions/github-script@v7\n        with:\n          script: core.setFailed('vulnerable')\n",
            ),
        ).to.deep.equal([]);
    });

    it("reads local actions the stack holds, and lists those it does not", () => {
        const workflow = ci("      - uses: ./.github/actions/scan\n        with:\n          level: high\n");
        const action =
            "inputs:\n  level:\n    default: low\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: npm audit --audit-level=${{ inputs.level }}\n";
        const held = analyzeWorkflow(workflow, { maxAuditLevel: "high", localActions: new Map([[".github/actions/scan", action]]) });
        expect(held.jobs[0].scans).to.deep.equal([
            { tool: "npm audit", kinds: ["dependency-audit"], where: 'job "security" step "./.github/actions/scan"', blocks: true },
        ]);
        const low = analyzeWorkflow(workflow.replace("level: high", "level: critical"), {
            maxAuditLevel: "high",
            localActions: new Map([[".github/actions/scan", action]]),
        });
        expect(low.softFails[0]).to.match(/--audit-level critical/);
        expect(analyzeWorkflow(workflow, "high").jobs[0].unreadActions).to.deep.equal(["./.github/actions/scan"]);
        const docker =
            "runs:\n  using: docker\n  image: docker://zricethezav/gitleaks:v8.18.0\n  args: [detect, --source, ., --exit-code, '${{ inputs.code }}']\ninputs:\n  code:\n    default: '1'\n";
        const viaDocker = analyzeWorkflow(ci("      - uses: ./\n"), { maxAuditLevel: "high", localActions: new Map([["", docker]]) });
        expect(viaDocker.jobs[0].scans[0]).to.deep.include({ tool: "gitleaks", blocks: true });
    });

    it("a stack's workflows analysed again follow their own local actions and level each time (analyses are kept by all three)", () => {
        const workflow = ci("      - uses: ./.github/actions/scan\n");
        const action = (level: string) =>
            `runs:\n  using: composite\n  steps:\n    - shell: bash\n      run: npm audit --audit-level=${level}\n`;
        const file = (path: string, content: string) =>
            ({ type: "github:index/repositoryFile:RepositoryFile", props: { file: path, content } }) as unknown as PolicyResource;
        const verdict = (level: AuditLevel, ...actions: string[]) => {
            const files = [file(".github/workflows/ci.yml", workflow), ...actions.map((a) => file(".github/actions/scan/action.yml", a))];
            const [read] = readWorkflows(files, level, new UnknownCollector());
            const scan = read.analysis.jobs[0].scans[0];
            read.analysis.jobs[0].scans.length = 0; // what a caller does to its copy stays there
            return scan ? scan.blocks : read.analysis.jobs[0].unreadActions.join();
        };
        for (let round = 0; round < 3; round++) {
            expect(verdict("high", action("high"))).to.equal(true);
            expect(verdict("high", action("critical"))).to.equal(false);
            expect(verdict("critical", action("critical"))).to.equal(true);
            expect(verdict("high")).to.equal("./.github/actions/scan");
        }
    });

    it("finds deploy jobs and what they wait for", () => {
        const analysis = analyzeWorkflow(
            [
                "on: push",
                "jobs:",
                "  scan:",
                "    name: Security",
                "    runs-on: ubuntu-latest",
                "    steps:",
                "      - run: npm audit",
                "  build:",
                "    needs: scan",
                "    runs-on: ubuntu-latest",
                "    steps:",
                "      - run: docker build .",
                "  deploy:",
                "    needs: [build]",
                "    environment: production",
                "    runs-on: ubuntu-latest",
                "    steps:",
                "      - run: gcloud run deploy app --image x",
            ].join("\n"),
            "high",
        );
        expect(analysis.jobs.map((j) => [j.id, j.checkName, j.deploys])).to.deep.equal([
            ["scan", "Security", false],
            ["build", "build", false],
            ["deploy", "deploy", true],
        ]);
        expect([...transitiveNeeds(analysis.jobs, "deploy")].sort()).to.deep.equal(["build", "scan"]);
    });

    it("an environment job that only runs pulumi preview (an approval-gated preview) deploys nothing; one that also runs up does", () => {
        const job = (steps: string[]) =>
            analyzeWorkflow(
                [
                    "on: pull_request",
                    "jobs:",
                    "  preview:",
                    "    environment: runway-preview-production",
                    "    runs-on: ubuntu-latest",
                    "    steps:",
                    ...steps,
                ].join("\n"),
                "high",
            ).jobs[0].deploys;
        expect(job(["      - uses: pulumi/actions@v6", "        with:", "          command: preview"])).to.equal(false);
        expect(job(["      - run: pulumi preview --stack production"])).to.equal(false);
        expect(job(["      - run: pulumi preview", "      - run: pulumi up --yes"])).to.equal(true);
        expect(job(["      - run: ./ship.sh"]), "an environment job doing anything else still counts").to.equal(true);
    });

    it("reports a file that is not a workflow", () => {
        expect(analyzeWorkflow("jobs: [", "high").parseError).to.be.a("string");
        expect(analyzeWorkflow("name: x", "high").parseError).to.equal("the file has no jobs mapping");
    });
});
