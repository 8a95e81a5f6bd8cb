/**
 * Issue #36: releases the way the seeds run them. The migration runs once with the scanned image
 * before any traffic moves; a canary share is judged by the service's 5xx ratio and p95 latency (the
 * alert thresholds) before it is promoted or rolled back; every service gets a dashboard. Proven on
 * the planned resources, on the generated workflow steps (order, calls, grants) and by running the
 * release scripts against stub CLIs.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import * as github from "../components/github";
import { dashboardLinkStep, releaseScript } from "../components/github/release";
import { SERVICE_ALERTS, TIER_PROFILES, resolveTier } from "../rules/profile";
import { CANARY_MINUTES, canaryPlan, ecsCommand, parseMigrationCommand } from "../rules/release";
import { gcpCallScope, jobCalls } from "../rules/trust/calls";
import { awsPoliciesOf } from "../rules/trust/grants";
import type { PlannedResource } from "../rules/trust/simulator";
import { cloudRunDashboard } from "../rules/gcp/dashboard";
import { awsDashboardBody } from "../rules/aws/dashboard";
import { resolveStack } from "../stacks/config";
import { actionlint } from "./helpers/actionlint";
import { planStack } from "./helpers/plans";
import { rawConfig } from "./helpers/raw";

const KEY = "runway:migrationCommand";
const MIGRATE = JSON.stringify(["npm", "run", "migrate"]);
/** The "done when" stack: production with a migration and a managed database. */
const DONE_WHEN = { "runway:migrationCommand": MIGRATE, "runway:database": "managed" };

type Resource = { type: string; name: string; urn: string; inputs: Record<string, any>; dependencies?: string[] };
const byName = (resources: Resource[], type: string, name: string) => {
    const found = resources.filter((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name}`).to.have.length(1);
    return found[0];
};
const workflowOf = (resources: Resource[], file: string): any =>
    parse(String(resources.find((r) => r.type === "github:index/repositoryFile:RepositoryFile" && r.inputs.file === file)!.inputs.content));

describe("release: the migration command and the canary settings (pure)", () => {
    it("a migration command is a JSON list of words; each mistake names the key or item and the fix", () => {
        expect(parseMigrationCommand(MIGRATE, KEY)).to.deep.equal({ command: ["npm", "run", "migrate"], problems: [] });
        expect(parseMigrationCommand('["sh","-c","npm run migrate && npm run seed"]', KEY).command).to.have.length(3);
        const problem = (raw: string) => parseMigrationCommand(raw, KEY).problems.map((p) => `${p.key}: ${p.allowed}`);
        expect(problem("npm run migrate"))
            .to.have.length(1)
            .and.to.match(/^runway:migrationCommand: a JSON list of the command's words/);
        expect(problem("[]")[0]).to.match(/e\.g\. \["npm","run","migrate"\]/);
        expect(problem('{"cmd":"migrate"}')).to.have.length(1);
        expect(problem('["npm", "", 3]')).to.deep.equal([
            "runway:migrationCommand[1]: a non-empty string (each item is one word of the command)",
            "runway:migrationCommand[2]: a non-empty string (each item is one word of the command)",
        ]);
        expect(problem('["npm run migrate"]')).to.deep.equal([
            'runway:migrationCommand[0]: the program alone: split the command line into its words, e.g. ["npm","run","migrate"]',
        ]);
        expect(ecsCommand(["npm", "run", "migrate"])).to.deep.equal({ entryPoint: ["npm"], command: ["run", "migrate"] });
    });

    it("production ships through a canary judged by the alert thresholds; solo and staging ship at once", () => {
        const production = canaryPlan(TIER_PROFILES.production.settings)!;
        expect(production).to.include({ percent: 10, minutes: 10 });
        expect(production.maxErrorRatio).to.equal(SERVICE_ALERTS.errorRatio);
        expect(production.maxP95Ms).to.equal(SERVICE_ALERTS.latencyP95Ms);
        // One 5xx among fewer requests already exceeds the ratio: below it the gate cannot judge.
        expect(1 / production.minRequests).to.be.at.most(SERVICE_ALERTS.errorRatio);
        expect(1 / (production.minRequests - 1)).to.be.above(SERVICE_ALERTS.errorRatio);
        expect(canaryPlan(TIER_PROFILES.solo.settings)).to.equal(undefined);
        expect(canaryPlan(TIER_PROFILES.staging.settings)).to.equal(undefined);
        expect(canaryPlan(resolveTier("staging", { canaryPercent: 25 }))).to.include({ percent: 25, minutes: 10 });
    });

    it("config: bad values are named with the fix; a wait without a canary and a window Cloud Monitoring cannot fill are refused", () => {
        const refusal = (values: Record<string, string>) => {
            try {
                resolveStack(rawConfig(values));
            } catch (err) {
                return (err as Error).message;
            }
            return "";
        };
        expect(refusal({ [KEY]: "npm run migrate" })).to.match(/runway:migrationCommand = "npm run migrate": a JSON list/);
        expect(refusal({ [KEY]: '["npm run migrate"]' })).to.match(/runway:migrationCommand\[0\] = "npm run migrate": the program alone/);
        expect(refusal({ "runway:canaryMinutes": "15" })).to.match(/runway:canaryMinutes = 15: unset while runway:canaryPercent is 0/);
        expect(refusal({ "runway:canaryPercent": "10", "runway:canaryMinutes": "2" })).to.match(
            new RegExp(`runway:canaryMinutes = "2": a whole number from ${CANARY_MINUTES.min} to ${CANARY_MINUTES.max}`),
        );
        expect(refusal({ "runway:canaryPercent": "80" })).to.match(/runway:canaryPercent = "80": a whole number from 0 to 50/);
        const ok = resolveStack(rawConfig({ [KEY]: MIGRATE, "runway:canaryPercent": "5" }));
        expect(ok.release.migrationCommand).to.deep.equal(["npm", "run", "migrate"]);
        expect(ok.release.canary).to.include({ percent: 5, minutes: 10 });
        expect(resolveStack(rawConfig()).release).to.deep.equal({});
        expect(refusal({ "runway:runtime": "kubernetes", [KEY]: MIGRATE })).to.match(
            /runway:migrationCommand = "\[\\"npm\\",\\"run\\",\\"migrate\\"\]": unset with runway:runtime kubernetes/,
        );
    });

    it("the dashboard draws the alert thresholds and adds database, cache and edge panels only when they exist", () => {
        const titles = (d: ReturnType<typeof cloudRunDashboard>) => d.mosaicLayout.tiles.map((t: any) => t.widget.title);
        const plain = cloudRunDashboard({ serviceName: "app-production", displayName: "app" });
        expect(titles(plain)).to.deep.equal([
            "Requests per second, by response class",
            "5xx ratio",
            "Request latency p50 / p95 (ms)",
            "Instances, by state",
            "CPU utilisation p95",
            "Memory utilisation p95",
        ]);
        const thresholds = plain.mosaicLayout.tiles.flatMap((t: any) => t.widget.xyChart.thresholds ?? []).map((t: any) => t.value);
        expect(thresholds).to.deep.equal([SERVICE_ALERTS.errorRatio, SERVICE_ALERTS.latencyP95Ms]);
        const full = cloudRunDashboard({
            serviceName: "s",
            displayName: "s",
            databaseId: "p:db",
            cacheId: "projects/p/locations/r/instances/c",
            urlMap: "m",
        });
        expect(titles(full)).to.include.members([
            "Database connections",
            "Cache memory usage ratio",
            "Edge requests per second, by response class",
        ]);
        // Tiles never overlap, and zero positions are omitted (the API drops them: a stored 0 would diff forever).
        const cells = full.mosaicLayout.tiles.map((t: any) => `${t.xPos ?? 0},${t.yPos ?? 0}`);
        expect(new Set(cells).size).to.equal(cells.length);
        expect(JSON.stringify(full)).not.to.match(/"(xPos|yPos)":0/);
    });
});

describe("release on GCP: the issue's production stack (migration + managed database)", function () {
    this.timeout(120000);
    let resources: Resource[];
    before(async () => {
        resources = (await planStack("production", DONE_WHEN)).document.resources as unknown as Resource[];
    });

    it("the migration is a Cloud Run job with the service's image, identity, env, secrets and VPC egress; it waits for the secrets' values", () => {
        const job = byName(resources, "gcp:cloudrunv2/job:Job", "migrate-job");
        const service = byName(resources, "gcp:cloudrunv2/service:Service", "app-service");
        const task = job.inputs.template.template;
        const container = task.containers[0];
        const serviceContainer = service.inputs.template.containers[0];
        expect(job.inputs.name).to.equal(`${service.inputs.name}-migrate`);
        expect(container.image).to.equal(serviceContainer.image);
        expect(container.commands).to.deep.equal(["npm", "run", "migrate"]);
        expect(container.args, "no args: the image's CMD is replaced too").to.equal(undefined);
        expect(task.serviceAccount).to.equal(service.inputs.template.serviceAccount);
        expect(container.envs).to.deep.equal(serviceContainer.envs);
        expect(container.envs.map((e: any) => e.name)).to.include("DATABASE_URL");
        expect(task.vpcAccess).to.deep.equal(service.inputs.template.vpcAccess);
        expect(task.maxRetries, "a half-applied migration is never retried blindly").to.equal(0);
        expect(task.timeout).to.equal("900s");
        expect(job.inputs.template.taskCount).to.equal(1);
        const versions = resources.filter((r) => r.type === "gcp:secretmanager/secretVersion:SecretVersion").map((r) => r.urn);
        expect(versions).not.to.be.empty;
        expect(job.dependencies).to.include.members(versions);
    });

    it("the deploy job: scan → push → migrate → deploy without traffic → smoke test → canary share → gate → promote, with the rollback on failure", () => {
        const workflow = workflowOf(resources, ".github/workflows/deploy-production.yml");
        expect(workflow.jobs.deploy.needs, "nothing ships before the scan job").to.equal("security");
        const steps: any[] = workflow.jobs.deploy.steps;
        const at = (pattern: RegExp) => {
            const i = steps.findIndex((s) => pattern.test(String(s.name ?? "")));
            expect(i, String(pattern)).to.be.at.least(0);
            return i;
        };
        const order = [
            /^Push the scanned image/,
            /^Migrate the database/,
            /^Deploy a revision with no traffic/,
            /^Smoke test the new revision/,
            /^Canary: send 10 %/,
            /^Canary gate/,
            /^Shift traffic to the new revision/,
        ].map(at);
        expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
        const migrate = steps[at(/^Migrate the database/)];
        expect(migrate.env).to.include({ JOB: "${{ vars.RUNWAY_MIGRATION_JOB }}", DIGEST: "${{ steps.push.outputs.digest }}" });
        expect(
            steps.slice(0, order[1]).some((s) => /update-traffic/.test(String(s.run))),
            "no traffic moves before the migration",
        ).to.equal(false);
        const canary = steps[at(/^Canary: send/)];
        expect(canary.run).to.include('--to-revisions "${REVISION}=${CANARY_PERCENT}"');
        expect(canary.env.CANARY_PERCENT).to.equal("10");
        const gate = steps[at(/^Canary gate/)];
        expect(gate.env).to.include({
            MAX_ERROR_RATIO: String(SERVICE_ALERTS.errorRatio),
            MAX_P95_MS: String(SERVICE_ALERTS.latencyP95Ms),
        });
        expect(gate.run).to.include("https://monitoring.googleapis.com/v3/projects/${CLOUDSDK_CORE_PROJECT}/timeSeries");
        expect(gate["timeout-minutes"]).to.be.above(Number(gate.env.CANARY_MINUTES));
        const rollback = steps[steps.length - 1];
        expect(rollback.name).to.equal("Roll back to the previous revisions");
        expect(rollback.if).to.equal("failure() && steps.deploy.outcome == 'success'");
        // A failed migration fails before the deploy step: the rollback's condition keeps traffic untouched.
        expect(order[1]).to.be.below(steps.findIndex((s) => s.id === "deploy"));
    });

    it("the deployer holds exactly the release steps' calls: the job's on the job, the metric reads on the project", () => {
        const steps = workflowOf(resources, ".github/workflows/deploy-production.yml").jobs.deploy.steps;
        const { calls, unknown } = jobCalls(steps, "gcp");
        expect(unknown).to.deep.equal([]);
        expect(calls.filter((c) => gcpCallScope(c) === "job")).to.deep.equal([
            "run.executions.get",
            "run.jobs.get",
            "run.jobs.run",
            "run.jobs.update",
        ]);
        expect(calls.filter((c) => gcpCallScope(c) === "project")).to.deep.equal(["monitoring.timeSeries.list"]);
        const role = (name: string) => byName(resources, "gcp:projects/iAMCustomRole:IAMCustomRole", name).inputs.permissions;
        expect(role("release-migrate-role")).to.deep.equal(calls.filter((c) => gcpCallScope(c) === "job"));
        expect(role("release-gate-role")).to.deep.equal(["monitoring.timeSeries.list"]);
        const jobGrant = byName(resources, "gcp:cloudrunv2/jobIamMember:JobIamMember", "release-migrate");
        expect(jobGrant.inputs.name).to.equal(byName(resources, "gcp:cloudrunv2/job:Job", "migrate-job").inputs.name);
        expect(jobGrant.inputs.member).to.match(/^serviceAccount:app-production-deploy@/);
        // The service's own role gains nothing from the job or the gate.
        expect(role("ci-deploy-role").every((p: string) => gcpCallScope(p) === "service")).to.equal(true);
        const variable = resources.find(
            (r) => r.type.endsWith("ActionsEnvironmentVariable") && r.inputs.variableName === github.RELEASE_VARIABLES.migrationJob,
        );
        expect(variable?.inputs.value).to.equal("app-production-migrate");
    });

    it("a dashboard per service with its database panels, priced free, its URL a stack output", async () => {
        const board = byName(resources, "gcp:monitoring/dashboard:Dashboard", "dashboard-dashboard");
        const json = JSON.parse(board.inputs.dashboardJson);
        const text = JSON.stringify(json);
        for (const metric of [
            "request_count",
            "request_latencies",
            "container/instance_count",
            "container/cpu/utilizations",
            "container/memory/utilizations",
            "cloudsql.googleapis.com/database/cpu/utilization",
        ])
            expect(text, metric).to.include(metric);
        expect(text).to.include('resource.label.service_name=\\"app-production\\"');
        const { document } = await planStack("production", DONE_WHEN);
        expect(String(document.outputs?.dashboardUrl)).to.match(/^https:\/\/console\.cloud\.google\.com\/monitoring\/dashboards\/custom\//);
        // Every deploy links it from its job summary: the variable holds the same URL the output gives.
        const variable = resources.find(
            (r) => r.type.endsWith("ActionsEnvironmentVariable") && r.inputs.variableName === github.RELEASE_VARIABLES.dashboardUrl,
        );
        expect(variable?.inputs.value).to.equal(document.outputs?.dashboardUrl);
        const [first] = workflowOf(resources, ".github/workflows/deploy-production.yml").jobs.deploy.steps;
        expect(first.env).to.deep.equal({ DASHBOARD_URL: "${{ vars.RUNWAY_DASHBOARD_URL }}" });
        expect(document.cost?.unpriced ?? []).to.deep.equal([]);
    });

    it("the generated deploy workflow passes actionlint", async () => {
        const file = resources.find(
            (r) => r.type === "github:index/repositoryFile:RepositoryFile" && r.inputs.file === ".github/workflows/deploy-production.yml",
        )!;
        expect(await actionlint(String(file.inputs.content), "deploy-production.yml")).to.deep.equal([]);
    });

    it("without runway:migrationCommand there is no job, no step, no grant; staging ships without a canary", async () => {
        const staging = (await planStack("staging")).document.resources as unknown as Resource[];
        expect(staging.filter((r) => /cloudrunv2\/job|release-/.test(`${r.type} ${r.name}`))).to.deep.equal([]);
        const steps: any[] = workflowOf(staging, ".github/workflows/deploy-staging.yml").jobs.deploy.steps;
        expect(steps.filter((s) => /Migrate|Canary/.test(String(s.name)))).to.deep.equal([]);
    });
});

/** Runs a release script under bash with stub CLIs (shell functions) and returns its exit code, output and files. */
function runScript(script: string, stubs: string, env: Record<string, string>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-release-"));
    const files = { summary: path.join(dir, "summary"), output: path.join(dir, "output"), calls: path.join(dir, "calls") };
    for (const f of Object.values(files)) fs.writeFileSync(f, "");
    const result = spawnSync("bash", ["-c", `${stubs}\n${script}`], {
        encoding: "utf8",
        env: {
            PATH: process.env.PATH,
            RUNNER_TEMP: dir,
            GITHUB_STEP_SUMMARY: files.summary,
            GITHUB_OUTPUT: files.output,
            CALLS: files.calls,
            ...env,
        },
    });
    const read = (f: string) => fs.readFileSync(f, "utf8");
    const out = {
        code: result.status,
        stdout: result.stdout,
        stderr: result.stderr,
        summary: read(files.summary),
        output: read(files.output),
        calls: read(files.calls),
        leftovers: fs.readdirSync(dir),
    };
    fs.rmSync(dir, { recursive: true, force: true });
    return out;
}

describe("release scripts against stub CLIs", () => {
    const series = (classes: Record<string, number>) =>
        JSON.stringify({
            timeSeries: Object.entries(classes).map(([c, n]) => ({
                metric: { labels: { response_code_class: c } },
                points: [{ value: { int64Value: String(n) } }],
            })),
        });
    const gateStubs = (counts: string, p95: number, curlFails = false) =>
        [
            'sleep() { echo "sleep $*" >> "$CALLS"; }',
            'gcloud() { echo "gcloud $*" >> "$CALLS"; echo "ya29.secret-token"; }',
            "curl() {",
            '  echo "curl $*" >> "$CALLS"',
            curlFails ? '  echo "curl: (22) The requested URL returned error: 403" >&2; return 22' : "",
            `  case "$*" in *request_count*) echo '${counts}' ;; *) echo '{"timeSeries":[{"points":[{"value":{"doubleValue":${p95}}}]}]}' ;; esac`,
            "}",
        ].join("\n");
    const gateEnv: Record<string, string> = {
        REVISION: "app-production-00042-xyz",
        CANARY_MINUTES: "10",
        MAX_ERROR_RATIO: String(SERVICE_ALERTS.errorRatio),
        MAX_P95_MS: String(SERVICE_ALERTS.latencyP95Ms),
        MIN_REQUESTS: "20",
        CLOUDSDK_CORE_PROJECT: "shop-prod",
    };
    const gate = (counts: string, p95: number, curlFails = false) => {
        // The share started ten minutes ago (the script has just slept that long).
        gateEnv.SINCE = new Date(Date.now() - 600_000).toISOString().replace(/\.\d+Z$/, "Z");
        return runScript(releaseScript("cloud-run-gate"), gateStubs(counts, p95, curlFails), gateEnv);
    };

    it("gate: a healthy canary is promoted, and the decision is printed to the log and the job summary", () => {
        const r = gate(series({ "2xx": 290, "4xx": 7, "5xx": 3 }), 412.7);
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout).to.match(
            /^Canary app-production-00042-xyz: 300 requests, 3 5xx, p95 413 ms over 60\d s: \*\*promote\*\* \(5xx ratio 1% ≤ 5%, p95 413 ms ≤ 2000 ms\)$/m,
        );
        expect(r.summary).to.include("### Canary gate").and.include("**promote**");
        expect(r.output).to.equal("decision=promote\n");
        expect(r.calls).to.match(/^sleep 600$/m);
        // Both reads ask for the candidate revision only, over the canary window.
        const reads = r.calls.split("\n").filter((l) => l.startsWith("curl"));
        expect(reads).to.have.length(2);
        for (const read of reads)
            expect(read)
                .to.include('resource.label.revision_name="app-production-00042-xyz"')
                .and.include(`interval.startTime=${gateEnv.SINCE}`);
        expect(reads[0])
            .to.include("run.googleapis.com/request_count")
            .and.include("aggregation.groupByFields=metric.label.response_code_class");
        expect(reads[1]).to.include("run.googleapis.com/request_latencies").and.include("REDUCE_PERCENTILE_95");
        expect(r.calls, "the token never appears on a command line").not.to.include("ya29");
        expect(r.leftovers, "the token's header file is removed").to.deep.equal(["calls", "output", "summary"]);
    });

    it("gate: a 5xx ratio or a p95 above the alert thresholds rolls back (exit 1 runs the rollback step), naming the reason", () => {
        const errors = gate(series({ "2xx": 180, "5xx": 20 }), 300);
        expect(errors.code).to.equal(1);
        expect(errors.stdout).to.include("**rollback** (5xx ratio 10% above 5%)");
        expect(errors.stdout).to.include("::error title=Canary rolled back::app-production-00042-xyz: 5xx ratio 10% above 5%");
        expect(errors.output).to.equal("decision=rollback\n");
        const slow = gate(series({ "2xx": 200 }), 2450.2);
        expect(slow.code).to.equal(1);
        expect(slow.stdout).to.include("**rollback** (p95 latency 2450 ms above 2000 ms)");
        // Exactly at the threshold is not above it.
        expect(gate(series({ "2xx": 95, "5xx": 5 }), 2000).code).to.equal(0);
    });

    it("gate: too few requests to judge promotes with a warning; a failed metric read rolls back", () => {
        const quiet = gate(series({ "2xx": 12, "5xx": 2 }), 150);
        expect(quiet.code).to.equal(0);
        expect(quiet.stdout).to.include("**promote** (too few requests to judge (14 < 20); the smoke test passed)");
        expect(quiet.stdout).to.include("::warning title=Canary not judged::");
        expect(gate(series({}), 0).code, "no traffic at all").to.equal(0);
        const denied = gate(series({ "2xx": 100 }), 100, true);
        expect(denied.code).to.not.equal(0);
        expect(denied.output).to.equal("");
    });

    const migrateStubs = (state: "True" | "False" | "Unknown") =>
        [
            'sleep() { echo "sleep $*" >> "$CALLS"; }',
            "gcloud() {",
            '  echo "gcloud $*" >> "$CALLS"',
            '  case "$*" in',
            "    *'jobs execute'*) echo 'app-production-migrate-x7k2p' ;;",
            `    *'executions describe'*) echo '{"status":{"logUri":"https://console.cloud.google.com/logs/viewer?x=1","conditions":[{"type":"Completed","status":"${state}"}]}}' ;;`,
            "  esac",
            "}",
        ].join("\n");
    const migrateEnv = {
        JOB: "app-production-migrate",
        REGION: "us-central1",
        REPOSITORY: "us-central1-docker.pkg.dev/p/app/app-production",
        DIGEST: `sha256:${"b".repeat(64)}`,
        MIGRATION_MINUTES: "17",
    };

    it("migration: the job gets the scanned digest, one execution runs, its logs link goes to the job summary", () => {
        const r = runScript(releaseScript("cloud-run-migrate"), migrateStubs("True"), migrateEnv);
        expect(r.code, r.stderr).to.equal(0);
        const calls = r.calls.trim().split("\n");
        expect(calls[0]).to.equal(
            `gcloud run jobs update app-production-migrate --region us-central1 --image ${migrateEnv.REPOSITORY}@${migrateEnv.DIGEST} --quiet`,
        );
        expect(calls[1]).to.match(/^gcloud run jobs execute app-production-migrate --region us-central1 --async/);
        expect(r.summary).to.include("### Migration").and.include("[logs](https://console.cloud.google.com/logs/viewer?x=1)");
    });

    it("migration: a failed execution fails the step with its logs link; one that never ends is given up at the deadline", () => {
        const failed = runScript(releaseScript("cloud-run-migrate"), migrateStubs("False"), migrateEnv);
        expect(failed.code).to.equal(1);
        expect(failed.stdout).to.include(
            "::error title=Migration failed::Execution app-production-migrate-x7k2p failed: nothing was deployed",
        );
        const hung = runScript(releaseScript("cloud-run-migrate"), `${migrateStubs("Unknown")}\nSECONDS=100000`, {
            ...migrateEnv,
            MIGRATION_MINUTES: "0",
        });
        expect(hung.code).to.equal(1);
        expect(hung.stdout).to.include("::error title=Migration timed out::");
    });
});

/** The issue's AWS command: production with the docs' AWS flags, a migration and a managed database. */
const AWS_DONE_WHEN = {
    "runway:cloud": "aws",
    "aws:region": "us-east-1",
    "runway:domain": "app.example.com",
    ...DONE_WHEN,
};

describe("release on AWS: the issue's production stack (ECS, migration + managed database)", function () {
    this.timeout(120000);
    let resources: Resource[];
    let outputs: Record<string, unknown>;
    before(async () => {
        const { document } = await planStack("production", AWS_DONE_WHEN);
        resources = document.resources as unknown as Resource[];
        outputs = document.outputs;
    });
    const containers = (r: Resource) => JSON.parse(r.inputs.containerDefinitions);

    it("the migration is a task family with the service's image, roles, env, secrets and log group; the command replaces ENTRYPOINT and CMD", () => {
        const task = byName(resources, "aws:ecs/taskDefinition:TaskDefinition", "migrate-task");
        const service = byName(resources, "aws:ecs/taskDefinition:TaskDefinition", "app-task");
        const [migrate] = containers(task);
        const [app] = containers(service);
        expect(task.inputs.family).to.equal(`${service.inputs.family}-migrate`);
        expect(outputs.migrationTask).to.equal(task.inputs.family);
        expect(migrate).to.include({ name: app.name, image: app.image, user: "10001" });
        expect(migrate.entryPoint).to.deep.equal(["npm"]);
        expect(migrate.command).to.deep.equal(["run", "migrate"]);
        expect(migrate.secrets).to.deep.equal(app.secrets);
        expect(migrate.secrets.map((x: any) => x.name)).to.include("DATABASE_URL");
        expect(migrate.logConfiguration.options["awslogs-group"]).to.equal(app.logConfiguration.options["awslogs-group"]);
        expect(migrate.logConfiguration.options["awslogs-stream-prefix"]).to.equal("migrate");
        for (const role of ["executionRoleArn", "taskRoleArn"]) expect(task.inputs[role]).to.equal(service.inputs[role]);
        expect(task.inputs.requiresCompatibilities).to.deep.equal(["FARGATE"]);
        expect(task.inputs.networkMode).to.equal("awsvpc");
        const version = resources.find((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion")!;
        expect(task.dependencies).to.include(version.urn);
    });

    it("the service deploys through ECS's CANARY strategy: 10 % for 10 minutes, rolled back by per-target-group alarms at the alert thresholds", () => {
        const service = byName(resources, "aws:ecs/service:Service", "app-service");
        expect(service.inputs.deploymentConfiguration).to.deep.equal({
            strategy: "CANARY",
            canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: "10" },
            bakeTimeInMinutes: String(SERVICE_ALERTS.durationSeconds / 60),
        });
        expect(service.inputs.deploymentCircuitBreaker, "the circuit breaker is for rolling updates").to.deep.equal({
            enable: false,
            rollback: false,
        });
        expect(service.inputs.alarms).to.deep.equal({
            alarmNames: ["app-production-rollback-5xx", "app-production-rollback-p95"],
            enable: true,
            rollback: true,
        });
        const blue = byName(resources, "aws:lb/targetGroup:TargetGroup", "app-targets");
        const green = byName(resources, "aws:lb/targetGroup:TargetGroup", "app-targets-alternate");
        expect(green.inputs).to.deep.equal(blue.inputs);
        const rule = byName(resources, "aws:lb/listenerRule:ListenerRule", "app-production");
        const https = byName(resources, "aws:lb/listener:Listener", "app-https");
        expect(rule.inputs.conditions).to.deep.equal([{ pathPattern: { values: ["/*"] } }]);
        expect(rule.inputs.actions[0].forward.targetGroups.map((t: any) => t.weight)).to.deep.equal([100, 0]);
        expect(rule.dependencies).to.include(https.urn);
        const advanced = service.inputs.loadBalancers[0].advancedConfiguration;
        expect(Object.keys(advanced).sort()).to.deep.equal(["alternateTargetGroupArn", "productionListenerRule", "roleArn"]);
        const role = byName(resources, "aws:iam/role:Role", "app-ecs-infrastructure");
        expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({ Service: "ecs.amazonaws.com" });
        expect(byName(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "app-ecs-infrastructure").inputs.policyArn).to.equal(
            "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers",
        );
        const errors = byName(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "app-rollback-5xx");
        expect(errors.inputs).to.include({
            name: "app-production-rollback-5xx",
            threshold: SERVICE_ALERTS.errorRatio,
            comparisonOperator: "GreaterThanThreshold",
        });
        const groups = errors.inputs.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.dimensions.TargetGroup);
        expect(new Set(groups).size, "each target group's own ratio").to.equal(2);
        const latency = byName(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "app-rollback-p95");
        expect(latency.inputs.threshold).to.equal(SERVICE_ALERTS.latencyP95Ms / 1000);
        expect(latency.inputs.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.stat)).to.deep.equal(["p95", "p95"]);
    });

    it("the deploy job: push → migrate (run-task) → deploy the canary → ECS's decision → smoke test, with the rollback on failure", () => {
        const steps: any[] = workflowOf(resources, ".github/workflows/deploy-production.yml").jobs.deploy.steps;
        const at = (pattern: RegExp) => steps.findIndex((s) => pattern.test(String(s.name ?? "")));
        const order = [
            /^Push the scanned image/,
            /^Migrate the database/,
            /^Render the latest/,
            /^Deploy and wait/,
            /^Canary gate/,
            /^Smoke test/,
        ].map(at);
        expect(order.every((i) => i >= 0)).to.equal(true);
        expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
        const deploy = steps[at(/^Deploy and wait/)];
        expect(deploy.with["wait-for-minutes"], "the canary's share and the bake time fit in the wait").to.equal(15 + 10 + 5);
        expect(deploy["timeout-minutes"]).to.be.above(deploy.with["wait-for-minutes"]);
        const migrate = steps[at(/^Migrate the database/)];
        expect(migrate.env).to.include({
            MIGRATION_FAMILY: "${{ vars.RUNWAY_MIGRATION_TASK }}",
            SUBNETS: "${{ vars.RUNWAY_ECS_SUBNETS }}",
        });
        expect(migrate.run).to.include("aws ecs run-task").and.include("assignPublicIp=DISABLED");
        expect(steps[at(/^Canary gate/)].env.DEPLOYED).to.equal("${{ steps.ecs.outputs.task-definition-arn }}");
        const rollback = steps[steps.length - 1];
        expect(rollback.run).to.include('if [ "$running" != "$PREVIOUS" ]');
    });

    it("the generated deploy workflow, with its migration and ECS's decision, passes actionlint", async () => {
        const file = resources.find(
            (r) => r.type === "github:index/repositoryFile:RepositoryFile" && r.inputs.file === ".github/workflows/deploy-production.yml",
        )!;
        const content = String(file.inputs.content);
        expect(content).to.include("aws ecs run-task");
        expect(await actionlint(content, "deploy-production.yml")).to.deep.equal([]);
    });

    it("the variables point the migration at the service's private subnets and security group; the deployer may run only that family there", () => {
        const value = (name: string) =>
            resources.find((r) => r.type.endsWith("ActionsEnvironmentVariable") && r.inputs.variableName === name)?.inputs.value;
        const privateSubnets = resources
            .filter((r) => r.type === "aws:ec2/subnet:Subnet" && /private/.test(r.name))
            .map((r) => `${r.name}-id`);
        expect(String(value(github.RELEASE_VARIABLES.subnets)).split(",").sort()).to.deep.equal(privateSubnets.sort());
        expect(value(github.RELEASE_VARIABLES.rollbackAlarms)).to.equal("app-production-rollback-5xx,app-production-rollback-p95");
        const policy = JSON.parse(
            resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && /^ci-deploy/.test(r.name))!.inputs.policy,
        );
        const run = policy.Statement.find((s: any) => s.Action === "ecs:RunTask");
        expect(run.Resource).to.match(/:task-definition\/app-production-migrate:\*$/);
        expect(Object.keys(run.Condition.ArnEquals)).to.deep.equal(["ecs:cluster"]);
        const alarms = policy.Statement.find((s: any) => s.Action === "cloudwatch:DescribeAlarms");
        expect([alarms.Resource].flat().every((a: string) => /:alarm:app-production-rollback-(5xx|p95)$/.test(a))).to.equal(true);
    });

    it("the deployer holds exactly the calls of its deploy job: the migration's run-task on its family, ECS's alarms read", () => {
        const steps = workflowOf(resources, ".github/workflows/deploy-production.yml").jobs.deploy.steps;
        const { calls, unknown } = jobCalls(steps, "aws");
        expect(unknown, "every step's calls have a row in rules/trust/calls.ts").to.deep.equal([]);
        expect(calls).to.include.members(["ecs:RunTask", "ecs:DescribeTasks", "iam:PassRole", "cloudwatch:DescribeAlarms"]);
        const role = byName(resources, "aws:iam/role:Role", "ci-deploy-production");
        const plan = { stack: "production", resources: resources as unknown as PlannedResource[] };
        const { statements, managed } = awsPoliciesOf(plan, role.urn);
        expect(managed).to.deep.equal([]);
        expect([...new Set(statements.flatMap((s) => s.actions))].sort(), "no call more, no call less").to.deep.equal([...calls]);
        // Run-task reaches the migration family only (never the service's own family), in the service's cluster.
        const runTask = statements.filter((s) => s.actions.includes("ecs:RunTask"));
        expect(runTask.flatMap((s) => s.resources)).to.satisfy((r: string[]) =>
            r.every((a) => /:task-definition\/app-production-migrate:\*$/.test(a)),
        );
        const stop = statements.filter((s) => s.actions.includes("ecs:StopTask")).flatMap((s) => s.resources);
        expect(
            stop.every((a) => /:task\/app-production\/\*$/.test(a)),
            "tasks of its cluster only",
        ).to.equal(true);
    });

    it("a CloudWatch dashboard per service, priced $3 a month beyond the account's three free, its URL a stack output", async () => {
        const board = byName(resources, "aws:cloudwatch/dashboard:Dashboard", "dashboard-dashboard");
        expect(board.inputs.dashboardName).to.equal("app-production");
        // RDS names its instance at creation: with a managed database the body is known only then; plan one without.
        const bare = (await planStack("production", { ...AWS_DONE_WHEN, "runway:database": "none" })).document
            .resources as unknown as Resource[];
        const body = JSON.parse(byName(bare, "aws:cloudwatch/dashboard:Dashboard", "dashboard-dashboard").inputs.dashboardBody);
        expect(body.widgets.map((w: any) => w.properties.title)).to.deep.equal([
            "Requests per minute",
            "5xx ratio (targets and load balancer)",
            "Latency p50 / p95 (s)",
            "Healthy tasks per target group",
            "CPU utilisation (%)",
            "Memory utilisation (%)",
        ]);
        const healthy = body.widgets[3].properties.metrics.map((m: any[]) => m[3]);
        expect(new Set(healthy).size, "both target groups: ECS alternates them").to.equal(2);
        const withData = awsDashboardBody({ region: "us-east-1", lambda: { functionName: "f" }, database: "db-1", cacheNode: "c-001" });
        expect(withData.widgets.map((w: any) => w.properties.title)).to.include.members([
            "Database CPU (%)",
            "Cache engine CPU and memory (%)",
            "Concurrent executions (instances)",
        ]);
        expect(outputs.dashboardUrl).to.equal(
            "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/app-production",
        );
        const variable = resources.find(
            (r) => r.type.endsWith("ActionsEnvironmentVariable") && r.inputs.variableName === github.RELEASE_VARIABLES.dashboardUrl,
        );
        expect(variable?.inputs.value).to.equal(outputs.dashboardUrl);
        const { document } = await planStack("production", AWS_DONE_WHEN);
        const line = document.cost.lines.find((l) => l.urn === board.urn)!;
        expect(line).to.include({ unitPrice: 3, quantity: 1 });
        expect(document.cost.unpriced).to.deep.equal([]);
    });

    it("AWS solo (Lambda) refuses a migration and a canary, saying why and what works instead", () => {
        const aws = { "runway:cloud": "aws", "aws:region": "us-east-1", "gcp:project": undefined, "runway:billingAccount": undefined };
        const message = (values: Record<string, string | undefined>) => {
            try {
                resolveStack(rawConfig({ ...aws, ...values }));
            } catch (err) {
                return (err as Error).message;
            }
            return "";
        };
        expect(message({ [KEY]: MIGRATE })).to.match(
            /runway:migrationCommand = .*unset on AWS solo \(Lambda\): a function runs only its handler/,
        );
        expect(message({ "runway:canaryPercent": "10" })).to.match(/runway:canaryPercent = 10: 0 on AWS solo \(Lambda\)/);
    });
});

describe("the dashboard link step", () => {
    it("links the dashboard from the job summary, and writes nothing while the variable is unset", () => {
        const { run } = dashboardLinkStep();
        const url = "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/app-production";
        const linked = runScript(String(run), "", { DASHBOARD_URL: url });
        expect(linked.code).to.equal(0);
        expect(linked.summary).to.equal(`Dashboard (requests, 5xx ratio, p50/p95 latency, instances): [open](${url})\n`);
        const unset = runScript(String(run), "", { DASHBOARD_URL: "" });
        expect(unset.code).to.equal(0);
        expect(unset.summary).to.equal("");
        expect(jobCalls([dashboardLinkStep()], "aws"), "no cloud call").to.deep.equal({ calls: [], unknown: [] });
    });
});

describe("ECS release scripts against stub CLIs", () => {
    const ecsStubs = (exitCode: string) =>
        [
            'aws() { echo "aws $*" >> "$CALLS"; case "$1 $2" in',
            '  \'ecs describe-task-definition\') echo \'{"family":"app-production-migrate","revision":4,"taskDefinitionArn":"arn:x:4","status":"ACTIVE","containerDefinitions":[{"name":"app","image":"old"}]}\' ;;',
            "  'ecs register-task-definition') cp \"${4#file://}\" \"$RUNNER_TEMP/registered.json\"; echo 'arn:aws:ecs:us-east-1:123456789012:task-definition/app-production-migrate:5' ;;",
            "  'ecs run-task') echo 'arn:aws:ecs:us-east-1:123456789012:task/app-production/0f1e2d3c' ;;",
            "  'ecs wait') : ;;",
            `  'ecs describe-tasks') echo '{"code": ${exitCode}, "reason": "Essential container in task exited"}' ;;`,
            "esac; }",
        ].join("\n");
    const env = {
        CLUSTER: "app-production",
        MIGRATION_FAMILY: "app-production-migrate",
        CONTAINER: "app",
        IMAGE: `123456789012.dkr.ecr.us-east-1.amazonaws.com/app-production@sha256:${"c".repeat(64)}`,
        SUBNETS: "subnet-a,subnet-b",
        SECURITY_GROUP: "sg-1",
        LOG_GROUP: "/runway/app-production",
        MIGRATION_MINUTES: "17",
        AWS_REGION: "us-east-1",
        GITHUB_RUN_ID: "4242",
    };
    const migrate = (code: string) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-ecs-"));
        const result = runScript(
            releaseScript("ecs-migrate"),
            `${ecsStubs(code)}\nREGISTERED_COPY="${dir}"; trap 'cp "$RUNNER_TEMP/registered.json" "$REGISTERED_COPY/" 2>/dev/null || true' EXIT`,
            env,
        );
        const registered = fs.existsSync(path.join(dir, "registered.json"))
            ? JSON.parse(fs.readFileSync(path.join(dir, "registered.json"), "utf8"))
            : undefined;
        fs.rmSync(dir, { recursive: true, force: true });
        return { ...result, registered };
    };

    it("migration: registers the family with the scanned image, runs it in the service's network, links its log stream, passes on exit 0", () => {
        const r = migrate("0");
        expect(r.code, r.stderr + r.stdout).to.equal(0);
        expect(r.registered.containerDefinitions[0].image).to.equal(env.IMAGE);
        expect(r.registered, "read-only fields are dropped before registering").not.to.have.any.keys(
            "taskDefinitionArn",
            "revision",
            "status",
        );
        const run = r.calls.split("\n").find((l) => l.startsWith("aws ecs run-task"))!;
        expect(run).to.include("--task-definition arn:aws:ecs:us-east-1:123456789012:task-definition/app-production-migrate:5");
        expect(run).to.include("awsvpcConfiguration={subnets=[subnet-a,subnet-b],securityGroups=[sg-1],assignPublicIp=DISABLED}");
        expect(r.summary).to.include("log-groups/log-group/$252Frunway$252Fapp-production/log-events/migrate$252Fapp$252F0f1e2d3c");
    });

    it("migration: a non-zero exit fails the step, naming the exit code and reason", () => {
        const r = migrate("3");
        expect(r.code).to.equal(1);
        expect(r.stdout).to.include(
            "::error title=Migration failed::0f1e2d3c exited 3 (Essential container in task exited): nothing was deployed",
        );
    });

    const verdict = (running: string, state: string, fired: string) =>
        runScript(
            releaseScript("ecs-verdict"),
            [
                'aws() { echo "aws $*" >> "$CALLS"; case "$1 $2" in',
                `  'ecs describe-services') echo '{"taskDefinition":"${running}","deployments":[{"status":"PRIMARY","rolloutState":"${state}"}]}' ;;`,
                `  'cloudwatch describe-alarms') echo '${fired}' ;;`,
                "esac; }",
            ].join("\n"),
            {
                CLUSTER: "c",
                SERVICE: "s",
                DEPLOYED: "arn:td/app-production:9",
                ALARMS: "app-production-rollback-5xx,app-production-rollback-p95",
            },
        );

    it("ECS's decision: promoted when the service runs the new task definition to completion; a rollback names the alarm that fired", () => {
        const promoted = verdict("arn:td/app-production:9", "COMPLETED", "");
        expect(promoted.code).to.equal(0);
        expect(promoted.stdout).to.include("Canary of app-production:9: **promote**");
        expect(promoted.calls).to.include(
            "aws cloudwatch describe-alarms --alarm-names app-production-rollback-5xx app-production-rollback-p95 --state-value ALARM",
        );
        const rolledBack = verdict("arn:td/app-production:8", "COMPLETED", "app-production-rollback-5xx");
        expect(rolledBack.code).to.equal(1);
        expect(rolledBack.stdout).to.include(
            "**rollback** (the service runs app-production:8, deployment COMPLETED; alarms in ALARM: app-production-rollback-5xx)",
        );
    });
});
