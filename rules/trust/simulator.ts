/**
 * The trust simulator: from planned resources (workload identity providers and bindings, IAM role
 * trust policies, GitHub environments) and the generated workflows alone, which cloud identity each
 * job can become on each event, in each `sub` spelling. It answers "who can mint a credential", not
 * "who asks for one": a job's code can request any identity, so every identity is tried for every
 * token. Dependency-free: callers parse the workflow YAML.
 */
import { trustAllows } from "./aws";
import { exchange, FederatedPrincipal, isFederatedMember, memberMatches, WifProvider } from "./gcp";
import {
    environmentGate,
    EnvironmentRule,
    githubClaims,
    githubContext,
    jobRuns,
    RepositoryIdentity,
    RunEvent,
    SUB_FORMATS,
    SubFormat,
    triggers,
} from "./github";

/** A planned resource as the offline plan records it. */
export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** A stack's plan: its resources. Several plans make one repository's view (e.g. staging + production). */
export interface PlannedStack {
    readonly stack: string;
    readonly resources: readonly PlannedResource[];
}

/** A generated workflow file, parsed. */
export interface Workflow {
    readonly path: string;
    readonly doc: Record<string, unknown>;
}

/** A cloud identity a token may become. */
export interface Identity {
    readonly cloud: "gcp" | "aws";
    readonly stack: string;
    /** The resource that is the identity (service account, IAM role). */
    readonly urn: string;
    readonly name: string;
}

interface GcpTrust {
    readonly provider: WifProvider & { readonly name: string };
    readonly bindings: readonly { readonly identity: Identity; readonly member: string }[];
}

interface AwsTrust {
    readonly identity: Identity;
    readonly policy: string;
}

/** An Actions variable the stack sets, with the resources its value comes from. */
export interface PlannedVariable {
    readonly name: string;
    /** Environment it lives in; undefined: a repository variable. */
    readonly environment?: string;
    readonly value: string;
    readonly from: readonly string[];
}

export interface TrustModel {
    readonly gcp: readonly GcpTrust[];
    readonly aws: readonly AwsTrust[];
    readonly identities: readonly Identity[];
    readonly environments: readonly EnvironmentRule[];
    readonly variables: readonly PlannedVariable[];
    readonly workflows: readonly Workflow[];
}

const GITHUB_HOST = "token.actions.githubusercontent.com";
const WIF_PROVIDER = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider";
const SA = "gcp:serviceaccount/account:Account";
const SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";
const ROLE = "aws:iam/role:Role";
const ENVIRONMENT = "github:index/repositoryEnvironment:RepositoryEnvironment";
const ENVIRONMENT_POLICY = "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy";
/** Roles on a service account that let a federated principal act as it. */
const IMPERSONATION = new Set(["roles/iam.workloadIdentityUser", "roles/iam.serviceAccountTokenCreator"]);

const text = (v: unknown) => (typeof v === "string" ? v : "");

function gcpTrust(plan: PlannedStack): GcpTrust[] {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const accounts = plan.resources.filter((r) => r.type === SA);
    const identityOf = (binding: PlannedResource): Identity | undefined => {
        const urn = (binding.propertyDependencies.serviceAccountId ?? []).find((u) => byUrn.get(u)?.type === SA);
        const account = urn
            ? byUrn.get(urn)
            : accounts.find((a) => text(binding.inputs.serviceAccountId).includes(`/${text(a.inputs.accountId)}@`));
        return account && { cloud: "gcp", stack: plan.stack, urn: account.urn, name: text(account.inputs.accountId) || account.name };
    };
    const bindings = plan.resources
        .filter((r) => r.type === SA_MEMBER && IMPERSONATION.has(text(r.inputs.role)) && isFederatedMember(text(r.inputs.member)))
        .flatMap((r) => {
            const identity = identityOf(r);
            return identity ? [{ identity, member: text(r.inputs.member) }] : [];
        });
    return plan.resources
        .filter((r) => r.type === WIF_PROVIDER)
        .map((r) => {
            const poolId = text(r.inputs.workloadIdentityPoolId);
            // The pool's full name as the plan knows it: the prefix of the members that name this pool.
            const pool =
                bindings
                    .map((b) => /^principal(?:Set)?:\/\/iam\.googleapis\.com\/(.*?\/workloadIdentityPools\/[^/]+)\//.exec(b.member)?.[1])
                    .find((p) => p?.endsWith(`/workloadIdentityPools/${poolId}`)) ??
                `projects/_/locations/global/workloadIdentityPools/${poolId}`;
            return {
                provider: {
                    name: r.name,
                    pool,
                    attributeCondition: r.inputs.attributeCondition as string | undefined,
                    attributeMapping: (r.inputs.attributeMapping ?? {}) as Record<string, string>,
                },
                bindings: bindings.filter((b) => b.member.includes(`${pool}/`)),
            };
        });
}

function awsTrust(plan: PlannedStack): AwsTrust[] {
    return plan.resources
        .filter((r) => r.type === ROLE && text(r.inputs.assumeRolePolicy).includes(GITHUB_HOST))
        .map((r) => ({ identity: { cloud: "aws", stack: plan.stack, urn: r.urn, name: r.name }, policy: text(r.inputs.assumeRolePolicy) }));
}

function environmentRules(plans: readonly PlannedStack[]): EnvironmentRule[] {
    return plans.flatMap((plan) =>
        plan.resources
            .filter((r) => r.type === ENVIRONMENT)
            .map((r) => {
                const name = text(r.inputs.environment);
                const policy = r.inputs.deploymentBranchPolicy as
                    | { customBranchPolicies?: boolean; protectedBranches?: boolean }
                    | undefined;
                const patterns = plan.resources
                    .filter((p) => p.type === ENVIRONMENT_POLICY && text(p.inputs.environment) === name)
                    .map((p) => text(p.inputs.branchPattern));
                const reviewers = ((r.inputs.reviewers ?? []) as { users?: unknown[]; teams?: unknown[] }[]).flatMap((x) => [
                    ...(x.users ?? []),
                    ...(x.teams ?? []),
                ]);
                // protectedBranches admits the protected ones; Runway never uses it, so it is read as "no ref of a pull request".
                return { name, branches: policy?.customBranchPolicies ? patterns : policy?.protectedBranches ? [] : undefined, reviewers };
            }),
    );
}

const VARIABLE_TYPES = new Set([
    "github:index/actionsVariable:ActionsVariable",
    "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
]);

function plannedVariables(plans: readonly PlannedStack[]): PlannedVariable[] {
    return plans.flatMap((plan) =>
        plan.resources
            .filter((r) => VARIABLE_TYPES.has(r.type))
            .map((r) => ({
                name: text(r.inputs.variableName),
                ...(r.inputs.environment !== undefined ? { environment: text(r.inputs.environment) } : {}),
                value: text(r.inputs.value),
                from: r.propertyDependencies.value ?? [],
            })),
    );
}

/** Everything the simulator reads from a repository's plans and workflows. */
export function trustModel(plans: readonly PlannedStack[], workflows: readonly Workflow[]): TrustModel {
    const gcp = plans.flatMap(gcpTrust);
    const aws = plans.flatMap(awsTrust);
    const identities = [
        ...new Map(
            [...gcp.flatMap((g) => g.bindings.map((b) => b.identity)), ...aws.map((a) => a.identity)].map((i) => [i.urn, i]),
        ).values(),
    ];
    return { gcp, aws, identities, environments: environmentRules(plans), variables: plannedVariables(plans), workflows };
}

/** The login steps of a job and the identity each asks for (`service_account` / `role-to-assume`), as `${{ vars.X }}` resolves in the job's environment. */
export function requestedIdentities(model: TrustModel, instance: JobInstance): (Identity | string)[] {
    const steps = (instance.job.steps ?? []) as Record<string, any>[];
    return steps.flatMap((step) => {
        const asked = step.with?.service_account ?? step.with?.["role-to-assume"];
        if (typeof step.uses !== "string" || asked === undefined) return [];
        const name = /^\$\{\{\s*vars\.([A-Za-z_][\w]*)\s*\}\}$/.exec(String(asked))?.[1];
        if (!name) return [`${String(asked)} (not an Actions variable)`];
        const variable =
            model.variables.find((v) => v.name === name && v.environment !== undefined && v.environment === instance.environment) ??
            model.variables.find((v) => v.name === name && v.environment === undefined);
        if (!variable) return [`vars.${name} (not set by any stack${instance.environment ? ` in ${instance.environment}` : ""})`];
        const identity = model.identities.find(
            (i) => variable.from.includes(i.urn) || (i.cloud === "gcp" && variable.value.startsWith(`${i.name}@`)),
        );
        return [identity ?? `vars.${name} = ${variable.value} (no planned identity)`];
    });
}

/** The identities a token with `claims` can become (every provider and every role is tried). */
export function reachableIdentities(model: TrustModel, claims: (audience: string) => Record<string, string>): Identity[] {
    const reached = new Map<string, Identity>();
    for (const { provider, bindings } of model.gcp) {
        const result = exchange(provider, claims(`//iam.googleapis.com/${provider.pool}/providers/${provider.name}`));
        if (!result.ok) continue;
        const principal: FederatedPrincipal = result.principal;
        for (const b of bindings) if (memberMatches(b.member, principal)) reached.set(b.identity.urn, b.identity);
    }
    for (const role of model.aws) {
        const doc = JSON.parse(role.policy);
        const providers = [doc.Statement]
            .flat()
            .flatMap((s: any) => [s?.Principal?.Federated].flat())
            .filter((p: unknown): p is string => typeof p === "string" && p.endsWith(`oidc-provider/${GITHUB_HOST}`));
        if (providers.some((p) => trustAllows(doc, p, GITHUB_HOST, claims("sts.amazonaws.com"))))
            reached.set(role.identity.urn, role.identity);
    }
    return [...reached.values()];
}

/** One job of one workflow, expanded over its matrix (environment names may use `${{ matrix.x }}`). */
export interface JobInstance {
    readonly workflow: Workflow;
    readonly id: string;
    readonly job: Record<string, any>;
    readonly environment?: string;
    readonly idToken: boolean;
}

function expandMatrix(value: string, combo: Record<string, unknown>): string {
    return value.replace(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g, (_, k) => String(combo[k] ?? ""));
}

/** The jobs of a workflow with what decides their token: environment (per matrix entry) and `id-token` permission. */
export function jobInstances(workflow: Workflow): JobInstance[] {
    const jobs = (workflow.doc.jobs ?? {}) as Record<string, Record<string, any>>;
    return Object.entries(jobs).flatMap(([id, job]) => {
        if (typeof job.uses === "string") throw new Error(`trust simulator: ${workflow.path} job ${id} calls a reusable workflow`);
        const permissions = (job.permissions ?? workflow.doc.permissions) as Record<string, string> | string | undefined;
        const idToken = permissions === "write-all" || (typeof permissions === "object" && permissions["id-token"] === "write");
        const matrix = (job.strategy?.matrix ?? {}) as Record<string, unknown>;
        const keys = Object.keys(matrix).filter((k) => Array.isArray(matrix[k]));
        const combos = keys.reduce<Record<string, unknown>[]>(
            (acc, k) => acc.flatMap((c) => (matrix[k] as unknown[]).map((v) => ({ ...c, [k]: v }))),
            [{}],
        );
        const env = typeof job.environment === "string" ? job.environment : job.environment?.name;
        return combos.map((combo) => ({
            workflow,
            id,
            job,
            ...(env !== undefined ? { environment: expandMatrix(String(env), combo) } : {}),
            idToken,
        }));
    });
}

/** What one job instance can do on one event, in one `sub` spelling. */
export interface JobRun {
    readonly workflow: string;
    readonly job: string;
    readonly environment?: string;
    readonly event: RunEvent;
    readonly format: SubFormat;
    /** The job starts (trigger, `if:`, environment branch policy). */
    readonly runs: boolean;
    /** It waits for a required reviewer of its environment first. */
    readonly approval: boolean;
    /** GitHub issues it an OIDC token. */
    readonly token: boolean;
    readonly reached: readonly Identity[];
}

/** Runs every job of every workflow on every event in every `sub` spelling. */
export function simulate(model: TrustModel, repository: RepositoryIdentity, events: readonly RunEvent[]): JobRun[] {
    const runs: JobRun[] = [];
    for (const workflow of model.workflows) {
        for (const instance of jobInstances(workflow)) {
            for (const event of events) {
                if (!triggers(workflow.doc, event)) continue;
                const started = jobRuns(instance.job.if, githubContext(repository, event));
                const gate =
                    instance.environment !== undefined ? environmentGate(instance.environment, model.environments, event) : undefined;
                const runsNow = started && (gate?.runs ?? true);
                for (const format of SUB_FORMATS) {
                    const token =
                        runsNow &&
                        githubClaims(
                            repository,
                            { workflowPath: workflow.path, environment: instance.environment, idToken: instance.idToken },
                            event,
                            format,
                            "",
                        ) !== undefined;
                    const reached = token
                        ? reachableIdentities(
                              model,
                              (audience) =>
                                  githubClaims(
                                      repository,
                                      { workflowPath: workflow.path, environment: instance.environment, idToken: true },
                                      event,
                                      format,
                                      audience,
                                  )!,
                          )
                        : [];
                    runs.push({
                        workflow: workflow.path,
                        job: instance.id,
                        ...(instance.environment !== undefined ? { environment: instance.environment } : {}),
                        event,
                        format,
                        runs: runsNow,
                        approval: gate?.approval ?? false,
                        token,
                        reached,
                    });
                }
            }
        }
    }
    return runs;
}

/**
 * Workflows an untrusted change brings: a pull request runs the workflow files of its own merge ref
 * and a push runs those of the pushed branch (GitHub Security Lab, "Preventing pwn requests"), so its
 * author can add a job with `id-token: write` that names any environment. One job without an
 * environment and one per planned environment; GitHub still enforces each environment's branch policy
 * and reviewers.
 */
export function untrustedWorkflow(environments: readonly EnvironmentRule[]): Workflow {
    const job = (environment?: string) => ({
        "runs-on": "ubuntu-latest",
        permissions: { "id-token": "write" },
        ...(environment ? { environment } : {}),
        steps: [{ run: 'curl "$ACTIONS_ID_TOKEN_REQUEST_URL"' }],
    });
    return {
        path: ".github/workflows/added-by-the-change.yml",
        doc: {
            on: { pull_request: {}, push: {} },
            jobs: Object.fromEntries([["plain", job()], ...environments.map((e, i) => [`in-environment-${i}`, job(e.name)])]),
        },
    };
}

/**
 * The events the simulator fires for a repository: a push to every branch that matters (and an
 * unrelated one), same-repository, fork and Dependabot pull requests, a workflow_run after the
 * preview, a schedule, and a manual dispatch on every branch.
 */
export function simulatedEvents(defaultBranch: string, otherBranches: readonly string[]): RunEvent[] {
    const branches = [...new Set([defaultBranch, ...otherBranches, "feature/x"])];
    return [
        ...branches.map((branch) => ({ name: "push" as const, branch })),
        { name: "pull_request", branch: defaultBranch },
        { name: "pull_request", branch: defaultBranch, fork: true },
        { name: "pull_request", branch: defaultBranch, actor: "dependabot[bot]" },
        ...otherBranches.map((branch) => ({ name: "pull_request" as const, branch })),
        { name: "workflow_run", branch: defaultBranch, upstream: { workflow: "runway-preview", event: "pull_request" } },
        { name: "schedule", branch: defaultBranch },
        ...branches.map((branch) => ({ name: "workflow_dispatch" as const, branch })),
    ];
}
