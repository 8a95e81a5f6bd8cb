/**
 * The app repository's GitHub Actions workflows, generated from a stack's settings by pure
 * functions (objects first, YAML last). What the policy pack's blocking-scans policy expects is
 * documented in policy/README.md; these workflows are built to that contract: every scan fails its
 * job on findings, deploy jobs `needs` the scan job, and the job names below are the check names
 * branch protection requires.
 */
import type { CandidateCheck } from "../../rules/delivery";
import { TIERS, deployWorkflowPath, previewEnvironment } from "../../rules/profile";
import { ACTIONS } from "./actions";
import { ReleaseSteps, releaseVariablesFor } from "./release";
import { CHECKS, SETUP_GCLOUD_FOR_GKE, SHELL_DEFAULTS, Step, checkout, expr, securityJob, vars } from "./steps";

export { ACTIONS } from "./actions";

export { CHECKS, REQUIRED_CHECKS } from "./steps";

/** Actions variables the Cloud Run deploy workflow reads (set per environment, or per repository for solo). */
export const VARIABLES = {
    workloadIdentityProvider: "RUNWAY_WIF_PROVIDER",
    deployer: "RUNWAY_DEPLOYER_SA",
    project: "RUNWAY_GCP_PROJECT",
    region: "RUNWAY_GCP_REGION",
    registry: "RUNWAY_REGISTRY",
    service: "RUNWAY_SERVICE",
} as const;

/** The Cloud Run deploy workflow's edge URL (`https://<domain>`), set when the service is behind an edge it checks after the shift. */
export const EDGE_URL_VARIABLE = "RUNWAY_EDGE_URL";

/** Actions variables the AWS deploy workflows read (ECS for staging/production, Lambda for solo). */
export const AWS_VARIABLES = {
    roleArn: "RUNWAY_AWS_ROLE_ARN",
    region: "RUNWAY_AWS_REGION",
    repository: "RUNWAY_ECR_REPOSITORY",
    serviceUrl: "RUNWAY_SERVICE_URL",
    healthPath: "RUNWAY_HEALTH_PATH",
    cluster: "RUNWAY_ECS_CLUSTER",
    service: "RUNWAY_ECS_SERVICE",
    container: "RUNWAY_ECS_CONTAINER",
    function: "RUNWAY_LAMBDA_FUNCTION",
    alias: "RUNWAY_LAMBDA_ALIAS",
    smokeFunction: "RUNWAY_SMOKE_FUNCTION",
    servicePort: "RUNWAY_SERVICE_PORT",
} as const;

/**
 * Actions variables the Kubernetes deploy workflows read besides their cloud's login and registry
 * (GKE: `VARIABLES` but the service; EKS: the role, region and ECR repository). `serviceUrl` only
 * when the runner can call the load balancer (`smokeTest` "http").
 */
export const KUBERNETES_VARIABLES = {
    cluster: "RUNWAY_K8S_CLUSTER",
    namespace: "RUNWAY_K8S_NAMESPACE",
    deployment: "RUNWAY_K8S_DEPLOYMENT",
    serviceUrl: AWS_VARIABLES.serviceUrl,
} as const;

/** What a deploy workflow does besides shipping (which variables it reads). */
export interface VariableOptions {
    /** A Cloud Run workflow that checks the edge after the shift. */
    readonly edge?: boolean;
    /** A Kubernetes workflow that calls the load balancer. */
    readonly serviceUrl?: boolean;
    /** Its migration and canary steps. */
    readonly release?: ReleaseSteps;
}

/** The variables each deploy target's workflow reads. */
export function variablesFor(target: DeployKind, options: VariableOptions = {}): readonly string[] {
    return [...deployTargetVariables(target, options), ...releaseVariablesFor(target, options.release)];
}

function deployTargetVariables(target: DeployKind, options: VariableOptions): readonly string[] {
    const a = AWS_VARIABLES;
    const k = KUBERNETES_VARIABLES;
    const aws = [a.roleArn, a.region, a.repository, a.healthPath];
    const kubernetes = [k.cluster, k.namespace, k.deployment, ...(options.serviceUrl ? [k.serviceUrl] : [])];
    switch (target) {
        case "cloud-run":
            return [...Object.values(VARIABLES), ...(options.edge ? [EDGE_URL_VARIABLE] : [])];
        case "ecs":
            return [...aws, a.cluster, a.service, a.container, a.smokeFunction, a.servicePort];
        case "lambda":
            return [...aws, a.serviceUrl, a.function, a.alias];
        case "gke":
            return [
                VARIABLES.workloadIdentityProvider,
                VARIABLES.deployer,
                VARIABLES.project,
                VARIABLES.region,
                VARIABLES.registry,
                ...kubernetes,
            ];
        case "eks":
            return [a.roleArn, a.region, a.repository, ...kubernetes];
    }
}

/** The cloud a deploy target runs on (its deploy job logs in there). */
export function deployCloud(target: DeployKind): "gcp" | "aws" {
    return target === "cloud-run" || target === "gke" ? "gcp" : "aws";
}

/** What an AWS stack hands its deploy workflow: where to push, which role to assume, what to update. */
export interface AwsDeployOutputs<T> {
    readonly roleArn: T;
    readonly region: T;
    /** ECR repository URL (no tag). */
    readonly repositoryUrl: T;
    readonly healthPath: T;
    /**
     * ECS service (staging, production) and how its tasks are smoke-tested: from inside the VPC, by
     * invoking `smokeFunctionName` (aws.SmokeTest) on each new task's `port`.
     */
    readonly ecs?: {
        readonly clusterName: T;
        readonly serviceName: T;
        readonly containerName: T;
        readonly smokeFunctionName: T;
        readonly port: T;
    };
    /** Lambda function, its alias and its public URL, which the smoke test calls (solo). */
    readonly lambda?: { readonly functionName: T; readonly aliasName: T; readonly url: T };
}

/** The deploy target and Actions variables of an AWS stack's deploy workflow (exactly one of `ecs` or `lambda`). */
export function awsDelivery<T>(o: AwsDeployOutputs<T>): { target: DeployKind; variables: Record<string, T> } {
    if ((o.ecs === undefined) === (o.lambda === undefined)) throw new Error("awsDelivery: exactly one of ecs or lambda");
    const a = AWS_VARIABLES;
    const common = {
        [a.roleArn]: o.roleArn,
        [a.region]: o.region,
        [a.repository]: o.repositoryUrl,
        [a.healthPath]: o.healthPath,
    };
    if (o.ecs) {
        const e = o.ecs;
        return {
            target: "ecs",
            variables: {
                ...common,
                [a.cluster]: e.clusterName,
                [a.service]: e.serviceName,
                [a.container]: e.containerName,
                [a.smokeFunction]: e.smokeFunctionName,
                [a.servicePort]: e.port,
            },
        };
    }
    const l = o.lambda!;
    return { target: "lambda", variables: { ...common, [a.serviceUrl]: l.url, [a.function]: l.functionName, [a.alias]: l.aliasName } };
}

/**
 * Variables for a real `pulumi preview` on pull requests, set by each stack in its preview
 * environment (`runway-preview-<stack>`, whose reviewers approve every run) for its read-only
 * previewer; the backend URL is the user's. Nothing trusts plain `pull_request` jobs.
 */
export const PREVIEW_VARIABLES = {
    workloadIdentityProvider: "RUNWAY_PREVIEW_WIF_PROVIDER",
    serviceAccount: "RUNWAY_PREVIEW_SERVICE_ACCOUNT",
    backendUrl: "RUNWAY_PULUMI_BACKEND_URL",
} as const;

/**
 * The one secret a real preview reads, from the stack's preview environment (so only after a
 * reviewer approves the run): a read-only GitHub token for refreshing the repository settings the
 * stack manages (the workflow's own token cannot read branch protection, environments or variables).
 * A fine-grained token for the one repository with Administration, Environments, Variables,
 * Contents and Metadata: read (`GITHUB_READS` in rules/trust/reads.ts).
 */
export const PREVIEW_SECRETS = { githubToken: "RUNWAY_PREVIEW_GITHUB_TOKEN" } as const;

/** Variables for the AWS `pulumi preview` job, in the stack's preview environment: the read-only previewer role and its region. */
export const AWS_PREVIEW_VARIABLES = {
    roleArn: "RUNWAY_PREVIEW_AWS_ROLE_ARN",
    region: "RUNWAY_PREVIEW_AWS_REGION",
} as const;

/** The variables the preview workflow reads for a deploy target (the backend URL is the user's; the stack sets the rest). */
export function previewVariablesFor(target: DeployKind): readonly string[] {
    return deployCloud(target) === "gcp"
        ? Object.values(PREVIEW_VARIABLES)
        : [...Object.values(AWS_PREVIEW_VARIABLES), PREVIEW_VARIABLES.backendUrl];
}

/** Where the deploy job ships the image: Cloud Run, an ECS service, a Lambda alias, or a Kubernetes Deployment on GKE or EKS. */
export type DeployKind = "cloud-run" | "ecs" | "lambda" | "gke" | "eks";

export interface DeliverySettings {
    /** Tier this stack deploys (its branch, environment and checks). */
    readonly tier: string;
    /**
     * The stack (`pulumi.getStack()`): names its deploy workflow (`deploy-<stack>.yml`), which the
     * solo deployer trusts by path, so two stacks of one tier in one repository never share a file.
     * @default the tier (`deploy-<tier>.yml`)
     */
    readonly stack?: string;
    /** Default branch (pull requests target it). @example "main" */
    readonly defaultBranch: string;
    /** Branch whose pushes deploy this tier. @example "staging" */
    readonly deployBranch: string;
    /** GitHub environment the deploy job runs in (variables, reviewers, branch policy); none for solo. */
    readonly environment?: string;
    /**
     * The deploy job waits for a required reviewer in `environment`: the scanned image is kept for
     * GitHub's 30-day approval window instead of one day (rules/delivery.ts `imageRetentionDays`).
     * `github.Repository` sets it from its reviewers. @default false
     */
    readonly reviewedDeploy?: boolean;
    /** Directory of the service (npm project + Dockerfile context), relative to the repository root. @example "app" */
    readonly appDirectory: string;
    /** Dockerfile, relative to the repository root. @example "app/Dockerfile" */
    readonly dockerfile: string;
    /** Directory of the Runway (Pulumi) project in the repository. @example "." */
    readonly infraDirectory: string;
    /** Stacks (their real names) the preview workflows plan on every pull request. @example ["staging", "production"] */
    readonly previewStacks: readonly string[];
    /** HTTP path the smoke test calls on the new revision. @example "/health" */
    readonly healthPath: string;
    /** Node.js major version for lint, test and the plan. @example "20" */
    readonly nodeVersion: string;
    /** What the deploy job updates. @default "cloud-run" */
    readonly target?: DeployKind;
    /**
     * How the Cloud Run deploy checks the new revision before it gets traffic (`cloudRunChecks` in
     * rules/delivery.ts decides it from the service's access): `http` calls the health path on its
     * tagged URL, `iap` does so with a JWT the deployer signs for that URL, `revision-ready` (ingress
     * admits only the load balancer) waits for its startup probe on the health path. Kubernetes
     * (`kubernetesCheck` in rules/kubernetes/delivery.ts): `http` calls the health path through the
     * load balancer after the rollout, `revision-ready` trusts the pods' readiness probes. @default "http"
     */
    readonly smokeTest?: CandidateCheck;
    /**
     * After the traffic shift, call the health path through the edge (`RUNWAY_EDGE_URL`), plainly or
     * with a signed JWT (IAP on the load balancer); a failure rolls the traffic back. @default none
     */
    readonly edgeCheck?: "http" | "iap";
    /** The migration before traffic moves and the canary with its gate (components/github/release.ts). @default none */
    readonly release?: ReleaseSteps;
}

type Workflow = Record<string, unknown>;

/** The stack a delivery deploys (its deploy workflow's name): `stack`, or the tier when unset. */
export function deliveryStack(s: Pick<DeliverySettings, "tier" | "stack">): string {
    return s.stack ?? s.tier;
}

function nodeSetup(s: DeliverySettings, directory: string): Step[] {
    return [
        {
            uses: ACTIONS.setupNode,
            with: { "node-version": s.nodeVersion, cache: "npm", "cache-dependency-path": `${directory}/package-lock.json` },
        },
        { name: "Install dependencies", run: "npm ci", "working-directory": directory },
    ];
}

/** `ci`: lint → test → security on pull requests and pushes; superseded runs are cancelled. */
export function ciWorkflow(s: DeliverySettings): Workflow {
    return {
        name: GENERATED_WORKFLOW_NAMES.ci,
        on: { pull_request: {}, push: { "branches-ignore": [...new Set([s.defaultBranch, s.deployBranch])] } },
        permissions: { contents: "read" },
        concurrency: { group: `runway-ci-${expr("github.ref")}`, "cancel-in-progress": true },
        defaults: SHELL_DEFAULTS,
        jobs: {
            lint: {
                name: CHECKS.lint,
                "runs-on": "ubuntu-latest",
                "timeout-minutes": 10,
                permissions: { contents: "read" },
                steps: [
                    checkout(),
                    ...nodeSetup(s, s.appDirectory),
                    { name: "Lint", run: "npm run lint --if-present", "working-directory": s.appDirectory },
                ],
            },
            test: {
                name: CHECKS.test,
                needs: "lint",
                "runs-on": "ubuntu-latest",
                "timeout-minutes": 15,
                permissions: { contents: "read" },
                steps: [
                    checkout(),
                    ...nodeSetup(s, s.appDirectory),
                    { name: "Test", run: "npm test --if-present", "working-directory": s.appDirectory },
                ],
            },
            security: securityJob(s, { needs: "test", ship: false }),
        },
    };
}

/**
 * `runway-preview`: on pull requests, the offline plan of each stack (no credentials, so it runs for
 * forks too and never waits for an approval), run with the installed package's bin in the project's
 * folder. Each stack's comment is its own file (`<stack>.md`, cut for its own sticky header), also
 * written to the job summary; `runway-preview-comment` posts them from the base repository.
 */
export function previewWorkflow(s: DeliverySettings): Workflow {
    // The base branch's plans (JSON) make the comment show what this pull request changes.
    const baseStep = {
        name: "Plan the base branch",
        env: { BASE_REF: expr("github.base_ref") },
        run: [
            'git worktree add "$RUNNER_TEMP/base" "origin/$BASE_REF"',
            `cd "$RUNNER_TEMP/base/${s.infraDirectory}"`,
            "npm ci --ignore-scripts --no-audit --no-fund",
            `for stack in ${s.previewStacks.join(" ")}; do`,
            '  npx --no-install runway-iac plan --stack "$stack" --json > "$RUNNER_TEMP/base-$stack.json" 2>/dev/null || echo "::notice::the base plan of $stack exited $?"',
            "done",
        ].join("\n"),
    };
    // Each stack's comment is one file; a plan that could not run still gets one (escaped, bounded) saying why.
    const planStep = {
        name: "Plan this pull request",
        "working-directory": s.infraDirectory,
        env: { PR_NUMBER: expr("github.event.pull_request.number") },
        run: [
            'out="$RUNNER_TEMP/preview"',
            'echo "$PR_NUMBER" > "$out/pr-number"',
            `for stack in ${s.previewStacks.join(" ")}; do`,
            '  compare=(); if [ -s "$RUNNER_TEMP/base-$stack.json" ]; then compare=(--compare "$RUNNER_TEMP/base-$stack.json"); fi',
            `  code=0; npx --no-install runway-iac plan --stack "$stack" --markdown --comment-header "${previewCommentHeader("$stack")}" "\${compare[@]}" > "$out/$stack.md" 2> "$RUNNER_TEMP/$stack.err" || code=$?`,
            '  cat "$RUNNER_TEMP/$stack.err" >&2',
            '  if [ "$code" -ge 2 ] || [ ! -s "$out/$stack.md" ]; then node node_modules/runway-iac/action/crash.js "$stack" < "$RUNNER_TEMP/$stack.err" > "$out/$stack.md"; fi',
            '  cat "$out/$stack.md" >> "$GITHUB_STEP_SUMMARY"',
            // A comment cut to GitHub's size says where the rest is: the whole plan goes to the job summary (text, in a
            // fence longer than any run of backticks in it) and the artifact (--json), as the Action does.
            `  if grep -qF "${CUT_COMMENT_POINTER}" "$out/$stack.md"; then`,
            '    npx --no-install runway-iac plan --stack "$stack" > "$RUNNER_TEMP/$stack.txt" 2> /dev/null || echo "the text plan of $stack exited $?"',
            '    npx --no-install runway-iac plan --stack "$stack" --json > "$out/$stack.json" 2> /dev/null || echo "the JSON plan of $stack exited $?"',
            '    longest="$(awk \'{ while (match($0, /`+/)) { if (RLENGTH > m) m = RLENGTH; $0 = substr($0, RSTART + RLENGTH) } } END { print m + 0 }\' "$RUNNER_TEMP/$stack.txt")"',
            "    fence=\"$(printf '%*s' \"$((longest < 3 ? 3 : longest + 1))\" '' | tr ' ' '`')\"",
            '    { printf \'\\n### The whole plan of %s\\n\\n%s\\n\' "$stack" "$fence"; cat "$RUNNER_TEMP/$stack.txt"; printf \'%s\\n\' "$fence"; } >> "$GITHUB_STEP_SUMMARY"',
            "  fi",
            '  echo "$code" >> "$RUNNER_TEMP/plan-codes"',
            "done",
        ].join("\n"),
    };
    return {
        name: GENERATED_WORKFLOW_NAMES.preview,
        on: { pull_request: {} },
        permissions: { contents: "read" },
        concurrency: { group: `runway-preview-${expr("github.ref")}`, "cancel-in-progress": true },
        defaults: SHELL_DEFAULTS,
        jobs: {
            plan: {
                name: "Offline plan",
                "runs-on": "ubuntu-latest",
                "timeout-minutes": 15,
                permissions: { contents: "read" },
                steps: [
                    // Full history: the base branch is there without a credentialed fetch.
                    checkout({ "fetch-depth": 0 }),
                    ...nodeSetup(s, s.infraDirectory),
                    { name: "Start the comments", run: 'mkdir -p "$RUNNER_TEMP/preview"' },
                    baseStep,
                    planStep,
                    {
                        uses: ACTIONS.uploadArtifact,
                        with: { name: "runway-preview", path: `${expr("runner.temp")}/preview/`, "retention-days": 5 },
                    },
                    {
                        name: "Fail when a plan failed (bad config or a mandatory policy violation)",
                        run: '! grep -qv "^0$" "$RUNNER_TEMP/plan-codes"',
                    },
                ],
            },
        },
    };
}

/**
 * `runway-pulumi-preview`: for same-repository pull requests, a real `pulumi preview` with the
 * installed policy pack of each stack, which waits in that stack's preview environment until a
 * reviewer approves it, then runs as the stack's read-only previewer (trusted only for jobs of that
 * environment) against a cloud-bucket backend: unapproved pull-request code never mints a
 * credential. A workflow of its own, so the offline plan's comment never waits for that approval.
 */
export function pulumiPreviewWorkflow(s: DeliverySettings): Workflow {
    const target = s.target ?? "cloud-run";
    const aws = deployCloud(target) === "aws";
    const gated = (step: Step): Step => ({ if: "steps.gate.outputs.enabled == 'true'", ...step });
    return {
        name: GENERATED_WORKFLOW_NAMES.pulumiPreview,
        on: { pull_request: {} },
        permissions: { contents: "read" },
        concurrency: { group: `runway-pulumi-preview-${expr("github.ref")}`, "cancel-in-progress": true },
        defaults: SHELL_DEFAULTS,
        jobs: {
            "pulumi-preview": {
                name: "Pulumi preview",
                // Forks and Dependabot get no OIDC token: they rely on the offline plan. Everyone else's run
                // waits in the stack's preview environment until a reviewer approves it.
                if: "github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'",
                environment: previewEnvironment(expr("matrix.stack")),
                "runs-on": "ubuntu-latest",
                "timeout-minutes": 20,
                permissions: { contents: "read", "id-token": "write" },
                strategy: { matrix: { stack: [...s.previewStacks] }, "fail-fast": false },
                steps: [
                    {
                        name: "Check for a previewer identity",
                        id: "gate",
                        env: {
                            PROVIDER: vars(aws ? AWS_PREVIEW_VARIABLES.roleArn : PREVIEW_VARIABLES.workloadIdentityProvider),
                            BACKEND: vars(PREVIEW_VARIABLES.backendUrl),
                            GITHUB_READ_TOKEN: expr(`secrets.${PREVIEW_SECRETS.githubToken}`),
                        },
                        run: `if [ -n "$PROVIDER" ] && [ -n "$BACKEND" ] && [ -n "$GITHUB_READ_TOKEN" ]; then echo "enabled=true" >> "$GITHUB_OUTPUT"; else echo "::notice::Set the ${previewVariablesFor(target).join(", ")} variables and the ${PREVIEW_SECRETS.githubToken} secret of this environment to run pulumi preview here."; fi`,
                    },
                    ...[
                        checkout(),
                        ...nodeSetup(s, s.infraDirectory),
                        previewerLogin(aws),
                        ...(target === "gke" ? [SETUP_GCLOUD_FOR_GKE] : []),
                    ].map(gated),
                    gated({
                        uses: ACTIONS.pulumi,
                        // The GitHub provider refreshes the repository settings the stack manages with this read-only token.
                        env: { GITHUB_TOKEN: expr(`secrets.${PREVIEW_SECRETS.githubToken}`) },
                        with: {
                            command: "preview",
                            "stack-name": expr("matrix.stack"),
                            "work-dir": s.infraDirectory,
                            // Relative to work-dir: the pack the project installed with runway-iac (its own package.json has none).
                            policyPacks: INSTALLED_POLICY_PACK,
                            "cloud-url": vars(PREVIEW_VARIABLES.backendUrl),
                        },
                    }),
                ],
            },
        },
    };
}

/** What a plan comment cut to GitHub's size limit says (`see ` + plan/markdown.ts FULL_PLAN_AT): the workflow then keeps the whole plan. */
export const CUT_COMMENT_POINTER = "see the job summary and the plan artifact";

/** Where the policy pack sits in a project that installs runway-iac (relative to the project's folder). */
export const INSTALLED_POLICY_PACK = "node_modules/runway-iac/dist/policy";

/** The read-only previewer's login step (the stack's Kubernetes provider on GKE also needs gcloud's plugin). */
function previewerLogin(aws: boolean): Step {
    return aws
        ? {
              name: "Authenticate as the read-only previewer",
              uses: ACTIONS.awsCredentials,
              with: { "role-to-assume": vars(AWS_PREVIEW_VARIABLES.roleArn), "aws-region": vars(AWS_PREVIEW_VARIABLES.region) },
          }
        : {
              name: "Authenticate as the read-only previewer",
              uses: ACTIONS.gcpAuth,
              with: {
                  workload_identity_provider: vars(PREVIEW_VARIABLES.workloadIdentityProvider),
                  service_account: vars(PREVIEW_VARIABLES.serviceAccount),
              },
          };
}

/** The sticky header of a stack's preview comment: one comment per stack, each cut for its own header. */
export function previewCommentHeader(stack: string): string {
    return `runway-preview-${stack}`;
}

/**
 * `runway-preview-comment`: posts each stack's preview comment on its pull request with the base
 * repository's token. The artifact comes from code it must not trust: the pull request number is
 * accepted only when that pull request's head is the commit the preview run built.
 */
export function previewCommentWorkflow(s: Pick<DeliverySettings, "previewStacks">): Workflow {
    return {
        name: GENERATED_WORKFLOW_NAMES.previewComment,
        on: { workflow_run: { workflows: [GENERATED_WORKFLOW_NAMES.preview], types: ["completed"] } },
        permissions: { contents: "read" },
        concurrency: {
            group: `runway-preview-comment-${expr("github.event.workflow_run.head_repository.full_name")}-${expr("github.event.workflow_run.head_branch")}`,
            "cancel-in-progress": true,
        },
        defaults: SHELL_DEFAULTS,
        jobs: {
            comment: {
                name: "Comment",
                // A superseded run (cancelled by a newer push) has nothing to post: the newer run comments.
                if: "github.event.workflow_run.event == 'pull_request' && github.event.workflow_run.conclusion != 'cancelled'",
                "runs-on": "ubuntu-latest",
                "timeout-minutes": 5,
                permissions: { actions: "read", "pull-requests": "write" },
                steps: [
                    {
                        uses: ACTIONS.downloadArtifact,
                        with: {
                            name: "runway-preview",
                            "run-id": expr("github.event.workflow_run.id"),
                            "github-token": expr("github.token"),
                            path: "preview",
                        },
                    },
                    {
                        name: "Match the pull request to the run's head commit",
                        id: "pr",
                        env: {
                            GH_TOKEN: expr("github.token"),
                            REPO: expr("github.repository"),
                            HEAD_SHA: expr("github.event.workflow_run.head_sha"),
                            HEAD_REPOSITORY: expr("github.event.workflow_run.head_repository.full_name"),
                        },
                        run: [
                            'n="$(tr -cd 0-9 < preview/pr-number)"',
                            'test -n "$n"',
                            'head="$(gh api "repos/${REPO}/pulls/${n}" --jq \'.head.sha + " " + .head.repo.full_name\')"',
                            // A pull request that moved on is not an error (a newer run comments); one that never had this head is not posted either.
                            'if [ "$head" != "${HEAD_SHA} ${HEAD_REPOSITORY}" ]; then',
                            '  echo "::notice title=Not posted::pull request #${n} is not at ${HEAD_SHA} of ${HEAD_REPOSITORY} (a newer push, or not this run\'s pull request)"',
                            "  exit 0",
                            "fi",
                            'echo "number=$n" >> "$GITHUB_OUTPUT"',
                        ].join("\n"),
                    },
                    ...s.previewStacks.map((stack) => ({
                        name: `Comment the plan of ${stack}`,
                        if: "steps.pr.outputs.number != ''",
                        uses: ACTIONS.stickyComment,
                        with: { header: previewCommentHeader(stack), number: expr("steps.pr.outputs.number"), path: `preview/${stack}.md` },
                    })),
                ],
            },
        },
    };
}

/**
 * The names (`name:`) of the workflows every stack managing the repository generates, prefixed so
 * they never meet a user's own `ci` or `preview` (a `workflow_run` trigger names workflows by name).
 */
export const GENERATED_WORKFLOW_NAMES = {
    ci: "runway-ci",
    preview: "runway-preview",
    pulumiPreview: "runway-pulumi-preview",
    previewComment: "runway-preview-comment",
} as const;

/** Paths of the workflow files Runway generates (committed by the stacks, owned by Pulumi). */
export const GENERATED_WORKFLOWS = {
    ci: ".github/workflows/runway-ci.yml",
    preview: ".github/workflows/runway-preview.yml",
    pulumiPreview: ".github/workflows/runway-pulumi-preview.yml",
    previewComment: ".github/workflows/runway-preview-comment.yml",
    /** A stack's deploy workflow (`deploy-<stack>.yml`): the solo deployer trusts exactly this file (`job_workflow_ref`). */
    deploy: deployWorkflowPath,
} as const;

/** A repository-relative directory as dependabot.yml writes it: `/`, `/app`. */
function repositoryDirectory(directory: string): string {
    const parts = directory.split("/").filter((p) => p !== "" && p !== ".");
    return `/${parts.join("/")}`;
}

/**
 * `.github/dependabot.yml`, agreeing with Pulumi on who owns what. The generated workflows are
 * Pulumi's: Dependabot skips them (`exclude-paths`, GA 2025-08-26: github.blog/changelog
 * "Dependabot can now exclude automatic pull requests for manifests in selected subdirectories"),
 * since a bump merged there would be reverted by the next `up`. Their pins move with the Runway
 * package, which Dependabot updates in the infrastructure directory's npm manifest; it also updates
 * the user's own workflows, the app's npm packages and the Dockerfile's base image (docker).
 * `stacks`: whose deploy workflows to skip (by default every tier's, this stack's and the previewed
 * stacks': another stack may own one).
 */
export function dependabotConfig(s: DeliverySettings, stacks?: readonly string[]): Record<string, unknown> {
    const weekly = { schedule: { interval: "weekly" } };
    const deployers = stacks ?? [...new Set([...TIERS, deliveryStack(s), ...s.previewStacks])];
    const generated = [
        GENERATED_WORKFLOWS.ci,
        GENERATED_WORKFLOWS.preview,
        GENERATED_WORKFLOWS.pulumiPreview,
        GENERATED_WORKFLOWS.previewComment,
        ...deployers.map(GENERATED_WORKFLOWS.deploy),
    ];
    const npmDirectories = [...new Set([repositoryDirectory(s.appDirectory), repositoryDirectory(s.infraDirectory)])];
    const dockerDirectory = repositoryDirectory(s.dockerfile.split("/").slice(0, -1).join("/"));
    return {
        version: 2,
        updates: [
            {
                "package-ecosystem": "github-actions",
                directory: "/",
                "exclude-paths": generated,
                ...weekly,
                groups: { actions: { patterns: ["*"] } },
            },
            ...npmDirectories.map((directory) => ({ "package-ecosystem": "npm", directory, ...weekly })),
            { "package-ecosystem": "docker", directory: dockerDirectory, ...weekly },
        ],
    };
}
