/**
 * The trust simulator (issue #27): which cloud identity each generated job can become, on every
 * event, in every `sub` spelling GitHub issues — from the plans and the workflow files alone.
 */
import { expect } from "chai";
import { trustAllows } from "../rules/trust/aws";
import { CelError, evalCel, parseCel } from "../rules/trust/cel";
import { exchange, memberMatches, providerLimitProblems } from "../rules/trust/gcp";
import { branchMatches, githubClaims, jobRuns, githubContext, SUB_FORMATS } from "../rules/trust/github";
import { gcpCallScope, jobCalls, kubernetesJobCalls } from "../rules/trust/calls";
import { awsPoliciesOf, gcpGrantsOf, kubernetesGrantsOf, readsOnly } from "../rules/trust/grants";
import {
    AWS_READS,
    AWS_SECRET_READS,
    GCP_READS,
    GITHUB_READS,
    KUBERNETES_READS,
    awsReads,
    gcpProjectReads,
    kubernetesReads,
    readsNothing,
} from "../rules/trust/reads";
import { rbacRules, rulesAllow, rulesOnlyRead } from "../rules/kubernetes/rbac";
import {
    Identity,
    JobRun,
    PlannedStack,
    jobInstances,
    requestedIdentities,
    simulate,
    simulatedEvents,
    trustModel,
    untrustedWorkflow,
} from "../rules/trust/simulator";
import { renderTree } from "../plan";
import { planStack } from "./helpers/plans";
import { AWS, describeRun, EXAMPLE_REPOSITORY, NAME_SQUATTER, REPOSITORIES, repositoryView, workflowsOf } from "./helpers/trust";

const R = EXAMPLE_REPOSITORY;
const deployJob = { workflowPath: ".github/workflows/deploy-production.yml", environment: "production", idToken: true };
const HOST = "token.actions.githubusercontent.com";
const PROVIDER = `arn:aws:iam::123456789012:oidc-provider/${HOST}`;

describe("trust simulator: evaluators", () => {
    it("CEL: a missing claim is an error, absorbed only by && false / || true, and has() tests for it", () => {
        const assertion = { repository_id: "2000002" };
        expect(evalCel("assertion.environment == 'production'", { assertion })).to.be.instanceOf(CelError);
        expect(evalCel("assertion.repository_id == '1' && assertion.environment == 'x'", { assertion })).to.equal(false);
        expect(evalCel("assertion.environment == 'x' && assertion.repository_id == '1'", { assertion })).to.equal(false);
        expect(evalCel("assertion.environment == 'x' && assertion.repository_id == '2000002'", { assertion })).to.be.instanceOf(CelError);
        expect(evalCel("assertion.repository_id == '2000002' || assertion.environment == 'x'", { assertion })).to.equal(true);
        expect(evalCel("has(assertion.environment) ? 'environment:' + assertion.environment : 'none'", { assertion })).to.equal("none");
        expect(evalCel("assertion.repository_id == 2000002", { assertion }), "no implicit string/int conversion").to.be.instanceOf(
            CelError,
        );
        expect(evalCel("assertion.repository_id in ['1', '2000002']", { assertion })).to.equal(true);
        expect(() => parseCel("assertion.repository_id.matches('2.*')")).not.to.throw();
        expect(
            evalCel("assertion.repository_id.matches('2.*')", { assertion }),
            "unsupported methods are errors, never true",
        ).to.be.instanceOf(CelError);
        expect(() => parseCel("assertion.ref = 'x'")).to.throw(SyntaxError);
    });

    it("WIF: the condition sees mapped attributes; google.subject over 127 characters fails the exchange; members match by pool", () => {
        const pool = "projects/1/locations/global/workloadIdentityPools/p";
        const claims = { sub: `repo:${"o".repeat(60)}/${"r".repeat(90)}:ref:refs/heads/main`, repository_id: "2", environment: "e" };
        expect(exchange({ pool, attributeMapping: { "google.subject": "assertion.sub" } }, claims)).to.deep.include({ ok: false });
        const ok = exchange(
            {
                pool,
                attributeMapping: { "google.subject": "assertion.repository_id", "attribute.env": "assertion.environment" },
                attributeCondition: "attribute.env == 'e'",
            },
            claims,
        );
        expect(ok.ok).to.equal(true);
        if (!ok.ok) return;
        expect(memberMatches(`principalSet://iam.googleapis.com/${pool}/attribute.env/e`, ok.principal)).to.equal(true);
        expect(memberMatches(`principalSet://iam.googleapis.com/${pool}x/attribute.env/e`, ok.principal)).to.equal(false);
        expect(memberMatches(`principal://iam.googleapis.com/${pool}/subject/2`, ok.principal)).to.equal(true);
        expect(memberMatches(`principalSet://iam.googleapis.com/${pool}/*`, ok.principal)).to.equal(true);
        const lenient = exchange(
            { pool, attributeMapping: { "google.subject": "assertion.repository_id", "attribute.env": "assertion.environment" } },
            { repository_id: "2" },
        );
        expect(
            lenient,
            "an attribute of a missing claim is left unset (the permissive reading), never a refusal to rely on",
        ).to.deep.include({ ok: true });
    });

    it("IAM: every key must match, any value may; an absent key fails StringEquals; claims STS does not expose never match; Deny wins", () => {
        const claims = githubClaims(R, deployJob, { name: "push", branch: "main" }, "ids-at", "sts.amazonaws.com")!;
        const trust = (condition: Record<string, unknown>, extra: unknown[] = []) =>
            trustAllows(
                {
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Federated: PROVIDER },
                            Action: "sts:AssumeRoleWithWebIdentity",
                            Condition: condition,
                        },
                        ...extra,
                    ],
                },
                PROVIDER,
                HOST,
                claims,
            );
        expect(
            trust({ StringEquals: { [`${HOST}:repository_id`]: ["1", R.repositoryId], [`${HOST}:environment`]: "production" } }),
        ).to.equal(true);
        expect(trust({ StringEquals: { [`${HOST}:repository_id`]: R.repositoryId, [`${HOST}:environment`]: "staging" } })).to.equal(false);
        expect(trust({ StringEquals: { [`${HOST}:repository_owner_id`]: R.ownerId } }), "not an STS condition key").to.equal(false);
        expect(trust({ StringLike: { [`${HOST}:sub`]: "repo:example-org@*/example-app@*:environment:production" } })).to.equal(true);
        expect(
            trust({ StringLike: { [`${HOST}:sub`]: "repo:example-org/example-app:*" } }),
            "the name-only subject misses the ID format",
        ).to.equal(false);
        const noEnvironment = githubClaims(R, { ...deployJob, environment: undefined }, { name: "push", branch: "main" }, "names", "x")!;
        expect(
            trustAllows(
                {
                    Statement: {
                        Effect: "Allow",
                        Principal: { Federated: PROVIDER },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: { [`${HOST}:environment`]: "production" } },
                    },
                },
                PROVIDER,
                HOST,
                noEnvironment,
            ),
        ).to.equal(false);
        const deny = {
            Effect: "Deny",
            Principal: { Federated: PROVIDER },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { [`${HOST}:ref`]: "refs/heads/main" } },
        };
        expect(trust({}, [deny])).to.equal(false);
        expect(() => trust({ "ForAnyValue:StringEquals": { [`${HOST}:environment`]: "production" } })).to.throw(
            /passes when the key is absent/,
        );
    });

    it("GitHub: forks and Dependabot get no token; pull requests run on the merge ref; environment jobs carry the environment", () => {
        expect(githubClaims(R, deployJob, { name: "pull_request", branch: "main", fork: true }, "names", "a")).to.equal(undefined);
        expect(githubClaims(R, deployJob, { name: "pull_request", branch: "main", actor: "dependabot[bot]" }, "names", "a")).to.equal(
            undefined,
        );
        expect(githubClaims(R, { ...deployJob, idToken: false }, { name: "push", branch: "main" }, "names", "a")).to.equal(undefined);
        const pr = githubClaims(R, { ...deployJob, environment: undefined }, { name: "pull_request", branch: "main" }, "names", "a")!;
        expect(pr).to.include({ sub: "repo:example-org/example-app:pull_request", ref: "refs/pull/7/merge", event_name: "pull_request" });
        expect(pr.job_workflow_ref).to.equal("example-org/example-app/.github/workflows/deploy-production.yml@refs/pull/7/merge");
        const subs = SUB_FORMATS.map((f) => githubClaims(R, deployJob, { name: "push", branch: "main" }, f, "a")!.sub);
        expect(subs).to.deep.equal([
            "repo:example-org/example-app:environment:production",
            "repo:example-org@1000001/example-app@2000002:environment:production",
            "repo:example-org-1000001/example-app-2000002:environment:production",
        ]);
        expect(branchMatches("release/*", "release/1")).to.equal(true);
        expect(branchMatches("release/*", "release/1/x")).to.equal(false);
        expect(branchMatches("release/**", "release/1/x")).to.equal(true);
        const fork = githubContext(R, { name: "pull_request", branch: "main", fork: true });
        expect(jobRuns("github.event.pull_request.head.repo.full_name == github.repository", fork)).to.equal(false);
        expect(
            jobRuns(
                "${{ github.actor != 'Dependabot[bot]' }}",
                githubContext(R, { name: "push", branch: "main", actor: "dependabot[bot]" }),
            ),
        ).to.equal(false);
    });
});

const reachedBy = (runs: JobRun[], pred: (r: JobRun) => boolean) => runs.filter((r) => pred(r) && r.reached.length > 0).map(describeRun);

describe("trust simulator: Runway's stacks", function () {
    this.timeout(120000);

    for (const [label, stacks] of REPOSITORIES) {
        describe(label, () => {
            it("every deploy job authenticates as the identity it asks for, in every sub spelling, on a push to its branch", async () => {
                const { model, runs } = await repositoryView(label, stacks);
                const deploys = model.workflows.filter((w) => /\/deploy-[A-Za-z0-9_.-]+\.yml$/.test(w.path));
                expect(deploys, "deploy workflows").not.to.be.empty;
                for (const workflow of deploys) {
                    const branch = ((workflow.doc.on as any).push.branches as string[])[0];
                    for (const instance of jobInstances(workflow).filter((j) => j.idToken)) {
                        const asked = requestedIdentities(model, instance);
                        expect(asked, `${workflow.path} ${instance.id} asks for`).to.have.length(1);
                        expect(asked[0], `${workflow.path} ${instance.id} asks for a planned identity`).to.have.property("urn");
                        const mine = runs.filter(
                            (r) =>
                                r.workflow === workflow.path &&
                                r.job === instance.id &&
                                r.event.name === "push" &&
                                r.event.branch === branch,
                        );
                        expect(mine.map((r) => r.format)).to.deep.equal([...SUB_FORMATS]);
                        for (const run of mine)
                            expect(
                                run.reached.map((i) => i.urn),
                                describeRun(run),
                            ).to.include((asked[0] as { urn: string }).urn);
                    }
                }
            });

            it("no pull-request job reaches an identity unless a required reviewer approves it; forks and Dependabot reach nothing", async () => {
                const { runs } = await repositoryView(label, stacks);
                const pr = runs.filter((r) => r.event.name === "pull_request");
                expect(pr, "pull request runs").not.to.be.empty;
                expect(reachedBy(pr, (r) => !r.approval)).to.deep.equal([]);
                expect(reachedBy(pr, (r) => r.event.fork === true || r.event.actor === "dependabot[bot]")).to.deep.equal([]);
            });

            it("a workflow a pull request adds (any job, naming any environment) reaches nothing without a reviewer; pushed to a feature branch, no deploy identity", async () => {
                const { model } = await repositoryView(label, stacks);
                const runs = simulate(
                    { ...model, workflows: [untrustedWorkflow(model.environments)] },
                    EXAMPLE_REPOSITORY,
                    simulatedEvents("main", ["staging"]),
                );
                expect(
                    runs.filter((r) => r.event.name === "pull_request" && r.token),
                    "it gets tokens",
                ).not.to.be.empty;
                expect(reachedBy(runs, (r) => r.event.name === "pull_request" && !r.approval)).to.deep.equal([]);
                const deployers = new Set(
                    model.workflows
                        .filter((w) => /\/deploy-[A-Za-z0-9_.-]+\.yml$/.test(w.path))
                        .flatMap((w) => jobInstances(w).flatMap((j) => requestedIdentities(model, j)))
                        .map((i) => (typeof i === "string" ? i : i.urn)),
                );
                expect(reachedBy(runs, (r) => r.event.branch === "feature/x" && r.reached.some((i) => deployers.has(i.urn)))).to.deep.equal(
                    [],
                );
            });

            it("the repository's names under other IDs (renamed away, old name taken) reach nothing on any event", async () => {
                const { model } = await repositoryView(label, stacks);
                const runs = simulate(model, NAME_SQUATTER, simulatedEvents("main", ["staging"]));
                expect(
                    runs.filter((r) => r.token),
                    "tokens issued",
                ).not.to.be.empty;
                expect(reachedBy(runs, () => true)).to.deep.equal([]);
            });

            it("a deploy identity is reachable only from its deploy workflow, on its deploy branch, after its environment admits it", async () => {
                const { model, runs } = await repositoryView(label, stacks);
                for (const workflow of model.workflows.filter((w) => /\/deploy-[A-Za-z0-9_.-]+\.yml$/.test(w.path))) {
                    const branch = ((workflow.doc.on as any).push.branches as string[])[0];
                    const deployers = new Set(
                        jobInstances(workflow)
                            .flatMap((j) => requestedIdentities(model, j))
                            .map((i) => (typeof i === "string" ? i : i.urn)),
                    );
                    const elsewhere = runs.filter(
                        (r) =>
                            r.reached.some((i) => deployers.has(i.urn)) &&
                            !(
                                r.workflow === workflow.path &&
                                ["push", "workflow_dispatch"].includes(r.event.name) &&
                                r.event.branch === branch
                            ),
                    );
                    expect(elsewhere.map(describeRun), workflow.path).to.deep.equal([]);
                }
            });

            it("any other workflow on the default or staging branch (a release job, a scheduled job) reaches no identity", async () => {
                const { model } = await repositoryView(label, stacks);
                const other = {
                    path: ".github/workflows/release.yml",
                    doc: {
                        on: { push: {}, schedule: [{ cron: "0 0 * * *" }], workflow_dispatch: {} },
                        permissions: { "id-token": "write" },
                        jobs: { release: { "runs-on": "ubuntu-latest", steps: [{ run: "true" }] } },
                    },
                };
                const runs = simulate({ ...model, workflows: [other] }, EXAMPLE_REPOSITORY, simulatedEvents("main", ["staging"]));
                expect(
                    runs.filter((r) => r.token && r.event.branch === "main"),
                    "it gets tokens",
                ).not.to.be.empty;
                expect(reachedBy(runs, () => true)).to.deep.equal([]);
            });

            it("each preview job asks for its stack's previewer and reaches it only after its environment's reviewer approves", async () => {
                const { model, runs, plans } = await repositoryView(label, stacks);
                const preview = model.workflows.find((w) => w.path === ".github/workflows/runway-pulumi-preview.yml")!;
                for (const instance of jobInstances(preview).filter((j) => j.idToken)) {
                    const stack = plans.find((p) => instance.environment === `runway-preview-${p.stack}`);
                    const asked = requestedIdentities(model, instance);
                    if (!stack?.resources.some((r) => r.name === "ci-preview")) {
                        expect(
                            asked.every((a) => typeof a === "string"),
                            `${instance.environment}: no previewer, no identity asked for`,
                        ).to.equal(true);
                        continue;
                    }
                    expect(asked.map((a) => (typeof a === "string" ? a : `${a.stack}/${a.name}`))).to.have.length(1);
                    const previewer = asked[0] as { urn: string; stack: string };
                    expect(previewer.stack).to.equal(stack.stack);
                    const mine = runs.filter(
                        (r) => r.workflow === preview.path && r.environment === instance.environment && r.event.name === "pull_request",
                    );
                    const reaching = mine.filter((r) => r.reached.some((i) => i.urn === previewer.urn));
                    expect(
                        reaching.length,
                        `${instance.environment} reaches its previewer from same-repository pull requests`,
                    ).to.be.greaterThan(0);
                    expect(reaching.every((r) => r.approval)).to.equal(true);
                    expect(reaching.flatMap((r) => r.reached.map((i) => i.urn))).to.deep.equal(reaching.map(() => previewer.urn));
                }
            });

            it("workflow_run and scheduled jobs reach nothing", async () => {
                const { runs } = await repositoryView(label, stacks);
                expect(reachedBy(runs, (r) => r.event.name === "workflow_run" || r.event.name === "schedule")).to.deep.equal([]);
            });
        });
    }
});

/** The custom resource types a stack plans (what its refreshing preview reads). */
const plannedTypesOf = (resources: readonly { type: string; custom?: boolean }[]) =>
    [...new Set(resources.filter((r) => r.custom !== false && !r.type.startsWith("pulumi:")).map((r) => r.type))].sort();

describe("trust simulator: permissions of the identities each job reaches", function () {
    this.timeout(120000);

    for (const [label, stacks] of REPOSITORIES) {
        describe(label, () => {
            it("every planned resource type has a refresh-read row (or reads nothing)", async () => {
                const { plans } = await repositoryView(label, stacks);
                for (const plan of plans) {
                    const missing = plannedTypesOf(plan.resources as any).filter(
                        (t) =>
                            !GCP_READS[t] &&
                            !AWS_READS[t] &&
                            !AWS_SECRET_READS[t] &&
                            !GITHUB_READS[t] &&
                            !KUBERNETES_READS[t] &&
                            !readsNothing(t),
                    );
                    expect(missing, `${plan.stack}: add these types to rules/trust/reads.ts`).to.deep.equal([]);
                }
            });

            it("each previewer can read exactly what a refreshing preview of its stack reads, and write nothing", async () => {
                const { plans, model, runs } = await repositoryView(label, stacks);
                const previewers = model.identities.filter((i) =>
                    runs.some(
                        (r) => r.workflow === ".github/workflows/runway-pulumi-preview.yml" && r.reached.some((x) => x.urn === i.urn),
                    ),
                );
                expect(previewers.length, "previewers reached by preview jobs").to.equal(
                    plans.filter((p) => p.resources.some((r) => r.name === "ci-preview")).length,
                );
                for (const previewer of previewers) {
                    const plan = plans.find((p) => p.stack === previewer.stack)!;
                    const types = plannedTypesOf(plan.resources as any);
                    if (previewer.cloud === "gcp") expectGcpPreviewReads(plan, previewer.name, types);
                    else expectAwsPreviewReads(plan, previewer.urn, types);
                    expectKubernetesPreviewReads(plan, previewer.urn, types);
                }
            });

            it("each deployer is granted what its deploy job's steps call, on the deployed resources only", async () => {
                const { plans, model } = await repositoryView(label, stacks);
                for (const workflow of model.workflows.filter((w) => /\/deploy-[A-Za-z0-9_.-]+\.yml$/.test(w.path))) {
                    for (const instance of jobInstances(workflow).filter((j) => j.idToken)) {
                        const deployer = requestedIdentities(model, instance)[0] as Identity;
                        const plan = plans.find((p) => p.stack === deployer.stack)!;
                        const { calls, unknown } = jobCalls(instance.job.steps, deployer.cloud);
                        expect(unknown, `${workflow.path}: steps no row of rules/trust/calls.ts covers`).to.deep.equal([]);
                        if (deployer.cloud === "gcp") expectGcpDeployGrants(plan, deployer.name, calls);
                        else expectAwsDeployGrants(plan, deployer.urn, calls);
                        expectKubernetesDeployGrants(plan, deployer.urn, instance.job.steps);
                    }
                }
            });
        });
    }

    it("the preview job gives the GitHub provider the environment's read-only token, never the workflow's", async () => {
        const { model } = await repositoryView("gcp solo", REPOSITORIES[0][1]);
        const preview = model.workflows.find((w) => w.path === ".github/workflows/runway-pulumi-preview.yml")!;
        const steps = (preview.doc as any).jobs["pulumi-preview"].steps as any[];
        const pulumi = steps.find((s) => String(s.uses).startsWith("pulumi/actions@"));
        expect(pulumi.env).to.deep.equal({ GITHUB_TOKEN: "${{ secrets.RUNWAY_PREVIEW_GITHUB_TOKEN }}" });
        expect(JSON.stringify(steps)).not.to.include("github.token");
    });
});

function expectGcpPreviewReads(plan: PlannedStack, accountId: string, types: string[]): void {
    const grants = gcpGrantsOf(plan, accountId);
    const label = `${plan.stack}/${accountId}`;
    for (const g of grants) {
        expect(g.permissions, `${label}: ${g.via} grants ${g.role}, which the simulator does not know`).to.be.an("array");
        expect(
            g.permissions!.filter((p) => !readsOnly(p)),
            `${label}: ${g.via} writes`,
        ).to.deep.equal([]);
    }
    const project = grants.filter((g) => g.scope === "project");
    expect(
        project.map((g) => g.role),
        `${label}: one custom project role`,
    )
        .to.have.length(1)
        .and.match(/^custom:/);
    const withQuota = gcpProjectReads(types, true).permissions;
    const without = gcpProjectReads(types, false).permissions;
    const granted = [...project[0].permissions!].sort();
    expect(
        [withQuota, without].map((p) => JSON.stringify(p)),
        `${label}: project reads`,
    ).to.include(JSON.stringify(granted));
    const versionSecrets = plan.resources
        .filter((r) => r.type === "gcp:secretmanager/secretVersion:SecretVersion")
        .map((r) => String(r.inputs.secret));
    const secretGrants = grants.filter((g) => g.scope === "secret");
    expect(secretGrants.map((g) => g.on).sort(), `${label}: the payload of each of its stack's secrets, no other`).to.deep.equal(
        [...new Set(versionSecrets)].sort(),
    );
    expect(secretGrants.every((g) => g.role === "roles/secretmanager.secretAccessor")).to.equal(true);
    // A grant on the billing account would read the cost of every project on it: the single-project
    // budget is read with project permissions instead (review item 11).
    expect(
        grants.filter((g) => g.scope === "billingAccount").map((g) => g.role),
        `${label}: nothing on the billing account`,
    ).to.deep.equal([]);
    expect(
        grants.filter((g) => !["project", "secret", "billingAccount"].includes(g.scope)).map((g) => g.via),
        `${label}: nothing else`,
    ).to.deep.equal([]);
}

function expectAwsPreviewReads(plan: PlannedStack, roleUrn: string, types: string[]): void {
    const { statements, managed } = awsPoliciesOf(plan, roleUrn);
    expect(managed, "no managed policy (ReadOnlyAccess reads every secret)").to.deep.equal([]);
    const everywhere = statements.filter((s) => s.resources.includes("*"));
    expect(everywhere).to.have.length(1);
    expect([...everywhere[0].actions].sort()).to.deep.equal(awsReads(types).actions);
    for (const s of statements)
        expect(
            s.actions.filter((a) => !readsOnly(a)),
            "writes",
        ).to.deep.equal([]);
    const scoped = statements.filter((s) => !s.resources.includes("*"));
    const parameters = plan.resources.filter((r) => r.type === "aws:ssm/parameter:Parameter").map((r) => String(r.inputs.name));
    const ssm = scoped.filter((s) => s.actions.includes("ssm:GetParameter"));
    if (parameters.length === 0) expect(ssm).to.deep.equal([]);
    else {
        expect(ssm).to.have.length(1);
        const prefix = ssm[0].resources[0].replace(/^arn:aws:ssm:[^:]+:\d+:parameter/, "").replace(/\*$/, "");
        expect(
            parameters.every((p) => p.startsWith(prefix)),
            `parameters under ${prefix}`,
        ).to.equal(true);
        expect(prefix, "its own stack's path only").to.match(/^\/[^/]+\/[^/]+\/$/);
    }
    const secrets = scoped.filter((s) => s.actions.includes("secretsmanager:GetSecretValue")).flatMap((s) => s.resources);
    expect(secrets.length, "each Secrets Manager secret of its stack, no other").to.equal(
        plan.resources.filter((r) => r.type === "aws:secretsmanager/secret:Secret").length,
    );
}

function expectGcpDeployGrants(plan: PlannedStack, accountId: string, calls: readonly string[]): void {
    const grants = gcpGrantsOf(plan, accountId);
    const label = `${plan.stack}/${accountId}`;
    for (const call of calls) {
        const holders = grants.filter((g) => g.scope === gcpCallScope(call) && g.permissions?.includes(call));
        expect(
            holders.map((g) => g.via),
            `${label}: ${call}`,
        ).not.to.be.empty;
    }
    // Project-wide: only the canary gate's metric reads (Cloud Monitoring has no narrower scope) and connecting to the GKE
    // cluster (GKE has no per-cluster IAM), exactly as the job calls them.
    for (const g of grants.filter((x) => x.scope === "project")) {
        expect(g.role, `${label}: ${g.via}: a custom project role`).to.match(/^custom:/);
        expect([...g.permissions!].sort(), `${label}: ${g.via}: only the project calls the deploy job makes`).to.deep.equal(
            calls.filter((c) => gcpCallScope(c) === "project"),
        );
        expect(g.permissions!.every(readsOnly), `${label}: ${g.via} only reads`).to.equal(true);
    }
    for (const scope of ["service", "job"] as const)
        for (const g of grants.filter((x) => x.scope === scope)) {
            expect(g.role, `${label}: a custom role on the ${scope}`).to.match(/^custom:/);
            expect([...g.permissions!].sort(), `${label}: exactly the deploy job's calls on the ${scope}`).to.deep.equal(
                calls.filter((c) => gcpCallScope(c) === scope),
            );
        }
}

/** A Deployment the stack plans, by its name (the deploy job's target). */
const deploymentsOf = (plan: PlannedStack) =>
    plan.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment").map((r) => String((r.inputs.metadata as any).name));

/**
 * A deployer's Kubernetes RBAC: none without kubectl in its job; else one Role in the Deployment's
 * namespace holding exactly the calls of the job's kubectl commands, on that Deployment only, and nothing cluster-wide.
 */
function expectKubernetesDeployGrants(plan: PlannedStack, identityUrn: string, steps: readonly Record<string, unknown>[]): void {
    const { calls, unknown } = kubernetesJobCalls(steps);
    expect(unknown, "kubectl commands no row of rules/trust/calls.ts covers").to.deep.equal([]);
    const grants = kubernetesGrantsOf(plan, identityUrn);
    expect(grants.cluster, `${plan.stack}: nothing cluster-wide`).to.deep.equal([]);
    if (calls.length === 0) {
        expect(grants.namespaced, `${plan.stack}: no Kubernetes access without kubectl`).to.deep.equal([]);
        return;
    }
    const [deployment] = deploymentsOf(plan);
    expect(
        grants.namespaced.map((g) => g.namespace),
        `${plan.stack}: one Role, in the Deployment's namespace`,
    ).to.deep.equal([deployment]);
    const { rules } = grants.namespaced[0];
    for (const call of calls) expect(rulesAllow(rules, call, deployment), `${plan.stack}: ${call} on ${deployment}`).to.equal(true);
    expect(rulesAllow(rules, "apps/deployments:patch", "another"), "another Deployment").to.equal(false);
    expect(rules, `${plan.stack}: exactly the job's kubectl calls`).to.deep.equal(rbacRules(calls, { "apps/deployments": deployment }));
}

/** A previewer's Kubernetes RBAC: reads only, covering the refresh of every Kubernetes object of its stack; cluster-wide only by name. */
function expectKubernetesPreviewReads(plan: PlannedStack, identityUrn: string, types: string[]): void {
    const grants = kubernetesGrantsOf(plan, identityUrn);
    const reads = kubernetesReads(types);
    expect(reads.unknown).to.deep.equal([]);
    if (reads.namespaced.length === 0) {
        expect(grants).to.deep.equal({ namespaced: [], cluster: [] });
        return;
    }
    const rules = grants.namespaced.flatMap((g) => g.rules);
    expect(rulesOnlyRead(rules) && rulesOnlyRead(grants.cluster), `${plan.stack}: the previewer only reads`).to.equal(true);
    for (const call of reads.namespaced) expect(rulesAllow(rules, call, "any"), `${plan.stack}: ${call}`).to.equal(true);
    expect(rules, `${plan.stack}: exactly the refresh reads`).to.deep.equal(rbacRules(reads.namespaced));
    const namespaces = plan.resources
        .filter((r) => r.type === "kubernetes:core/v1:Namespace")
        .map((r) => String((r.inputs.metadata as any).name));
    for (const ns of namespaces) expect(rulesAllow(grants.cluster, "core/namespaces:get", ns), `namespace ${ns}`).to.equal(true);
    expect(rulesAllow(grants.cluster, "core/namespaces:get", "kube-system"), "another namespace").to.equal(false);
    expect(
        grants.cluster.every((r) => (r.resourceNames ?? []).length > 0),
        "cluster-wide objects by name only",
    ).to.equal(true);
}

function expectAwsDeployGrants(plan: PlannedStack, roleUrn: string, calls: readonly string[]): void {
    const { statements, managed } = awsPoliciesOf(plan, roleUrn);
    expect(managed).to.deep.equal([]);
    const allowed = [...new Set(statements.flatMap((s) => s.actions))].sort();
    expect(allowed, "exactly the calls of the deploy job's steps").to.deep.equal([...calls]);
    // Only actions without resource-level permissions may name every resource; ecs:ListTasks is scoped by its
    // ecs:cluster condition to the service's cluster (it takes no task resource).
    const unscoped = statements
        .filter(
            (s) => s.resources.includes("*") && !(s.actions.join() === "ecs:ListTasks" && (s.condition as any)?.ArnEquals?.["ecs:cluster"]),
        )
        .flatMap((s) => s.actions);
    expect(
        unscoped.filter((a) => !["ecr:GetAuthorizationToken", "ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"].includes(a)),
    ).to.deep.equal([]);
}

describe("the offline plan shows what each CI identity trusts (issue #27 item 1)", function () {
    this.timeout(60000);
    it("GCP: the provider's condition names the immutable IDs; each binding its environment or workflow run. AWS: each role's trust keys", async () => {
        const gcp = renderTree((await planStack("solo")).document);
        expect(gcp).to.include(
            "ci-github  (condition: assertion.repository_owner_id == '1000001' && assertion.repository_id == '2000002')",
        );
        expect(gcp).to.match(
            /ci-deploy-solo-wif {2}\(roles\/iam\.workloadIdentityUser → principalSet:\/\/[^)]*\/attribute\.runway_trust\/workflow:example-org\/example-app\/\.github\/workflows\/deploy-solo\.yml@refs\/heads\/main\)/,
        );
        const aws = renderTree((await planStack("production", AWS)).document);
        expect(aws).to.include(
            "ci-deploy-production  (trusts token.actions.githubusercontent.com if aud=sts.amazonaws.com, repository_id=2000002, environment=production)",
        );
    });
});

describe("the trust simulator fails on the mistakes it exists to catch", function () {
    this.timeout(60000);
    const mutate = (plans: PlannedStack[], edit: (r: any) => void): PlannedStack[] =>
        plans.map((p) => ({
            ...p,
            resources: p.resources.map((r) => {
                const c = JSON.parse(JSON.stringify(r));
                edit(c);
                return c;
            }),
        }));
    const runsOf = (plans: PlannedStack[], repository = EXAMPLE_REPOSITORY) =>
        simulate(trustModel(plans, workflowsOf(plans)), repository, simulatedEvents("main", ["staging"]));

    it("a name-only GCP condition lets the repository's old name in other hands reach the deployer", async () => {
        const { plans } = await repositoryView("gcp solo", REPOSITORIES[0][1]);
        const named = mutate(plans, (r) => {
            if (r.type === "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider")
                r.inputs.attributeCondition = "assertion.repository == 'example-org/example-app'";
        });
        expect(runsOf(named, NAME_SQUATTER).filter((r) => r.reached.length > 0)).not.to.be.empty;
    });

    it("an AWS role that trusts the name-only pull_request subject is reached by unapproved pull requests", async () => {
        const { plans } = await repositoryView("aws solo", REPOSITORIES[2][1]);
        const opened = mutate(plans, (r) => {
            if (r.type === "aws:iam/role:Role" && r.name === "ci-deploy-solo") {
                const doc = JSON.parse(r.inputs.assumeRolePolicy);
                doc.Statement[0].Condition = {
                    StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com", [`${HOST}:sub`]: "repo:example-org/example-app:pull_request" },
                };
                r.inputs.assumeRolePolicy = JSON.stringify(doc);
            }
        });
        const model = trustModel(opened, [untrustedWorkflow([])]);
        const pr = simulate(model, EXAMPLE_REPOSITORY, simulatedEvents("main", ["staging"])).filter(
            (r) => r.event.name === "pull_request" && !r.approval && r.reached.length > 0,
        );
        expect(pr.map(describeRun)).not.to.be.empty;
        expect(
            pr.every((r) => r.format === "names"),
            "and only for repositories on the old sub format",
        ).to.equal(true);
    });

    it("a missing refresh read, a write in the previewer's role, or a missing deploy call is reported", async () => {
        const { plans } = await repositoryView("gcp staging + production", REPOSITORIES[1][1]);
        const production = plans.find((p) => p.stack === "production")!;
        const types = plannedTypesOf(production.resources as any);
        const withRole = (edit: (permissions: string[]) => string[]) =>
            mutate([production], (r) => {
                if (r.type === "gcp:projects/iAMCustomRole:IAMCustomRole" && r.name === "ci-preview-reads")
                    r.inputs.permissions = edit(r.inputs.permissions);
            })[0];
        expect(() =>
            expectGcpPreviewReads(
                withRole((p) => p.filter((x) => x !== "run.services.get")),
                "app-production-preview",
                types,
            ),
        ).to.throw(/project reads/);
        expect(() =>
            expectGcpPreviewReads(
                withRole((p) => [...p, "run.services.update"]),
                "app-production-preview",
                types,
            ),
        ).to.throw(/writes/);
        const deployer = mutate([production], (r) => {
            if (r.type === "gcp:projects/iAMCustomRole:IAMCustomRole" && r.name === "ci-deploy-role")
                r.inputs.permissions = ["run.services.get"];
        })[0];
        expect(() => expectGcpDeployGrants(deployer, "app-production-deploy", ["run.services.get", "run.services.update"])).to.throw(
            /run\.services\.update/,
        );
    });

    it("every planned provider stays within Google's documented mapping and condition limits", async () => {
        for (const [label, stacks] of REPOSITORIES.filter(([l]) => l.startsWith("gcp"))) {
            const { model } = await repositoryView(label, stacks);
            for (const { provider } of model.gcp) expect(providerLimitProblems(provider), `${label} ${provider.name}`).to.deep.equal([]);
        }
        expect(providerLimitProblems({ pool: "p", attributeMapping: { "attribute.Repo": "assertion.repository" } })).to.deep.equal([
            "an OIDC provider's mapping must set google.subject",
            'attribute key "attribute.Repo" (only [a-z0-9_], at most 100)',
        ]);
    });
});
