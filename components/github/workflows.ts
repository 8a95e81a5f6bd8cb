/**
 * The app repository's GitHub Actions workflows, generated from a stack's settings by pure
 * functions (objects first, YAML last). What the policy pack's blocking-scans policy expects is
 * documented in policy/README.md; these workflows are built to that contract: every scan fails its
 * job on findings, deploy jobs `needs` the scan job, and the job names below are the check names
 * branch protection requires.
 */
import { stringify } from "yaml";
import { ACTIONS, GITLEAKS, annotatePins } from "./actions";
import { deployWorkflowPath, previewEnvironment } from "../../rules/profile";

export { ACTIONS } from "./actions";

/** Job names, which are also the status check names branch protection requires. */
export const CHECKS = { lint: "Lint", test: "Test", security: "Security" } as const;
/** The checks the default branch requires before merging. */
export const REQUIRED_CHECKS: readonly string[] = [CHECKS.lint, CHECKS.test, CHECKS.security];

/** Actions variables the Cloud Run deploy workflow reads (set per environment, or per repository for solo). */
export const VARIABLES = {
    workloadIdentityProvider: "RUNWAY_WIF_PROVIDER",
    deployer: "RUNWAY_DEPLOYER_SA",
    project: "RUNWAY_GCP_PROJECT",
    region: "RUNWAY_GCP_REGION",
    registry: "RUNWAY_REGISTRY",
    service: "RUNWAY_SERVICE",
} as const;

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
} as const;

/** The variables each deploy target's workflow reads. */
export function variablesFor(target: DeployKind): readonly string[] {
    const a = AWS_VARIABLES;
    const aws = [a.roleArn, a.region, a.repository, a.serviceUrl, a.healthPath];
    switch (target) {
        case "cloud-run":
            return Object.values(VARIABLES);
        case "ecs":
            return [...aws, a.cluster, a.service, a.container];
        case "lambda":
            return [...aws, a.function, a.alias];
    }
}

/** What an AWS stack hands its deploy workflow: where to push, which role to assume, what to update. */
export interface AwsDeployOutputs<T> {
    readonly roleArn: T;
    readonly region: T;
    /** ECR repository URL (no tag). */
    readonly repositoryUrl: T;
    /** Public URL the smoke test calls. */
    readonly url: T;
    readonly healthPath: T;
    /** ECS service (staging, production). */
    readonly ecs?: { readonly clusterName: T; readonly serviceName: T; readonly containerName: T };
    /** Lambda function and its alias (solo). */
    readonly lambda?: { readonly functionName: T; readonly aliasName: T };
}

/** The deploy target and Actions variables of an AWS stack's deploy workflow (exactly one of `ecs` or `lambda`). */
export function awsDelivery<T>(o: AwsDeployOutputs<T>): { target: DeployKind; variables: Record<string, T> } {
    if ((o.ecs === undefined) === (o.lambda === undefined)) throw new Error("awsDelivery: exactly one of ecs or lambda");
    const a = AWS_VARIABLES;
    const common = {
        [a.roleArn]: o.roleArn,
        [a.region]: o.region,
        [a.repository]: o.repositoryUrl,
        [a.serviceUrl]: o.url,
        [a.healthPath]: o.healthPath,
    };
    return o.ecs
        ? {
              target: "ecs",
              variables: { ...common, [a.cluster]: o.ecs.clusterName, [a.service]: o.ecs.serviceName, [a.container]: o.ecs.containerName },
          }
        : { target: "lambda", variables: { ...common, [a.function]: o.lambda!.functionName, [a.alias]: o.lambda!.aliasName } };
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

/** Variables for the AWS `pulumi preview` job, in the stack's preview environment: the read-only previewer role and its region. */
export const AWS_PREVIEW_VARIABLES = {
    roleArn: "RUNWAY_PREVIEW_AWS_ROLE_ARN",
    region: "RUNWAY_PREVIEW_AWS_REGION",
} as const;

/** The variables the preview workflow reads for a deploy target (the backend URL is the user's; the stack sets the rest). */
export function previewVariablesFor(target: DeployKind): readonly string[] {
    return target === "cloud-run"
        ? Object.values(PREVIEW_VARIABLES)
        : [...Object.values(AWS_PREVIEW_VARIABLES), PREVIEW_VARIABLES.backendUrl];
}

/** Where the deploy job ships the image: Cloud Run, an ECS service, or a Lambda alias. */
export type DeployKind = "cloud-run" | "ecs" | "lambda";

export interface DeliverySettings {
    /** Tier this stack deploys: names the deploy workflow (`deploy-<tier>.yml`). */
    readonly tier: string;
    /** Default branch (pull requests target it). @example "main" */
    readonly defaultBranch: string;
    /** Branch whose pushes deploy this tier. @example "staging" */
    readonly deployBranch: string;
    /** GitHub environment the deploy job runs in (variables, reviewers, branch policy); none for solo. */
    readonly environment?: string;
    /** Directory of the service (npm project + Dockerfile context), relative to the repository root. @example "app" */
    readonly appDirectory: string;
    /** Dockerfile, relative to the repository root. @example "app/Dockerfile" */
    readonly dockerfile: string;
    /** Directory of the Runway (Pulumi) project in the repository. @example "." */
    readonly infraDirectory: string;
    /** Stacks the preview workflow plans on every pull request. @example ["staging", "production"] */
    readonly previewStacks: readonly string[];
    /** HTTP path the smoke test calls on the new revision. @example "/health" */
    readonly healthPath: string;
    /** Node.js major version for lint, test and the plan. @example "20" */
    readonly nodeVersion: string;
    /** What the deploy job updates. @default "cloud-run" */
    readonly target?: DeployKind;
    /**
     * How the Cloud Run deploy checks the new revision: `http` calls the health path on its tagged
     * URL; `revision-ready` (for services behind IAP, which reject the deployer's calls) waits for the
     * revision to be Ready, which its startup probe on the health path decides. @default "http"
     */
    readonly smokeTest?: "http" | "revision-ready";
}

type Job = Record<string, unknown>;
type Step = Record<string, unknown>;
type Workflow = Record<string, unknown>;

const expr = (e: string) => `\${{ ${e} }}`;
const vars = (name: string) => expr(`vars.${name}`);
/** Checkouts never leave the token in .git/config, where later steps (and PR code) could read it. */
const checkout = (extra: Record<string, unknown> = {}): Step => ({
    uses: ACTIONS.checkout,
    with: { "persist-credentials": false, ...extra },
});

function nodeSetup(s: DeliverySettings, directory: string): Step[] {
    return [
        {
            uses: ACTIONS.setupNode,
            with: { "node-version": s.nodeVersion, cache: "npm", "cache-dependency-path": `${directory}/package-lock.json` },
        },
        { name: "Install dependencies", run: "npm ci", "working-directory": directory },
    ];
}

/** The gitleaks binary, downloaded by version and checked against its SHA-256 before it runs (no licence needed). */
export function secretScanStep(): Step {
    return {
        name: "Secret scan",
        env: { GITLEAKS_URL: GITLEAKS.url, GITLEAKS_SHA256: GITLEAKS.sha256 },
        run: [
            'curl --fail --silent --show-error --location "$GITLEAKS_URL" -o "$RUNNER_TEMP/gitleaks.tar.gz"',
            'echo "${GITLEAKS_SHA256}  ${RUNNER_TEMP}/gitleaks.tar.gz" | sha256sum --check --strict',
            'tar -xzf "$RUNNER_TEMP/gitleaks.tar.gz" -C "$RUNNER_TEMP" gitleaks',
            '"$RUNNER_TEMP/gitleaks" git --redact --no-banner --verbose .',
        ].join("\n"),
    };
}

/** Scans of the source: secrets (whole history), dependencies, Dockerfile. Each fails its job on findings. */
function sourceScans(s: DeliverySettings): Step[] {
    return [
        checkout({ "fetch-depth": 0 }),
        secretScanStep(),
        { name: "Dependency audit", run: "npm audit --omit=dev --audit-level=high", "working-directory": s.appDirectory },
        { name: "Dockerfile lint", uses: ACTIONS.hadolint, with: { dockerfile: s.dockerfile, "failure-threshold": "warning" } },
    ];
}

/** Blocking trivy scan of one image reference. */
function imageScan(imageRef: string): Step {
    return {
        name: "Image scan",
        uses: ACTIONS.trivy,
        with: { "image-ref": imageRef, "exit-code": "1", severity: "HIGH,CRITICAL", "ignore-unfixed": true, format: "table" },
    };
}

/**
 * The scan job. In `ci` it also builds the image locally and scans it (nothing is pushed from pull
 * requests); in `deploy` the image is built once in the deploy job and its pushed digest is scanned there.
 */
export function securityJob(s: DeliverySettings, options: { needs?: string; buildImage: boolean }): Job {
    const image: Step[] = !options.buildImage
        ? []
        : [
              { uses: ACTIONS.setupBuildx },
              {
                  name: "Build image",
                  uses: ACTIONS.buildPush,
                  with: {
                      context: s.appDirectory,
                      file: s.dockerfile,
                      platforms: "linux/amd64",
                      load: true,
                      push: false,
                      tags: "app:scan",
                      "cache-from": "type=gha",
                      "cache-to": "type=gha,mode=max",
                  },
              },
              imageScan("app:scan"),
          ];
    return {
        name: CHECKS.security,
        ...(options.needs ? { needs: options.needs } : {}),
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 20,
        // Writes cache entries only: buildx's gha cache uses the runtime token, not `permissions`.
        permissions: { contents: "read" },
        steps: [...sourceScans(s), ...image],
    };
}

/** `ci`: lint → test → security on pull requests and pushes; superseded runs are cancelled. */
export function ciWorkflow(s: DeliverySettings): Workflow {
    return {
        name: "ci",
        on: { pull_request: {}, push: { "branches-ignore": [...new Set([s.defaultBranch, s.deployBranch])] } },
        permissions: { contents: "read" },
        concurrency: { group: `ci-${expr("github.ref")}`, "cancel-in-progress": true },
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
            security: securityJob(s, { needs: "test", buildImage: true }),
        },
    };
}

/**
 * Build once and push with a tag that is never reused (production repositories are immutable); the digest is the build step's output.
 * `singleManifest`: push one image manifest, no attestations. Lambda refuses an image index ("The image manifest, config or layer
 * media type ... is not supported"), which build-push-action's default provenance attestation makes (aws/aws-lambda-roadmap#82).
 */
function buildAndPush(s: DeliverySettings, repository: string, { singleManifest = false } = {}): Step[] {
    return [
        { uses: ACTIONS.setupBuildx },
        {
            name: "Build and push",
            id: "build",
            uses: ACTIONS.buildPush,
            with: {
                context: s.appDirectory,
                file: s.dockerfile,
                platforms: "linux/amd64",
                push: true,
                tags: `${repository}:${expr("github.sha")}-${expr("github.run_id")}-${expr("github.run_attempt")}`,
                "cache-from": "type=gha",
                "cache-to": "type=gha,mode=max",
                ...(singleManifest ? { provenance: false, sbom: false } : {}),
            },
        },
    ];
}

const DIGEST = expr("steps.build.outputs.digest");

/** Cloud Run: remember the traffic split (every revision with percent > 0), then a tagged revision with no traffic. */
const CLOUD_RUN_DEPLOY = [
    'describe() { gcloud run services describe "$SERVICE" --region "$REGION" --format=json; }',
    'previous="$(describe | jq -r \'[.status.traffic[]? | select((.percent // 0) > 0) | "\\(.revisionName)=\\(.percent)"] | join(",")\')"',
    'echo "previous=${previous}" >> "$GITHUB_OUTPUT"',
    'gcloud run deploy "$SERVICE" --image "${REGISTRY}/${SERVICE}@${DIGEST}" --region "$REGION" --no-traffic --tag "$TAG" --quiet',
    'echo "revision=$(describe | jq -r \'.status.latestCreatedRevisionName\')" >> "$GITHUB_OUTPUT"',
    'echo "candidate=$(describe | jq -r --arg tag "$TAG" \'.status.traffic[] | select(.tag == $tag) | .url\')" >> "$GITHUB_OUTPUT"',
].join("\n");

/** Removing the candidate tag drops its public URL and stops its revision counting as addressable. */
const REMOVE_TAG = 'gcloud run services update-traffic "$SERVICE" --region "$REGION" --remove-tags "$TAG" --quiet';

function cloudRunSmokeTest(s: DeliverySettings): string {
    return s.smokeTest === "revision-ready"
        ? 'gcloud run revisions describe "$REVISION" --region "$REGION" --format=json | jq -e \'.status.conditions[] | select(.type == "Ready") | .status == "True"\''
        : `curl --fail --silent --show-error --retry 5 --retry-all-errors --max-time 10 "\${CANDIDATE}${s.healthPath}"`;
}

function cloudRunSteps(s: DeliverySettings): Step[] {
    return [
        checkout(),
        {
            name: "Authenticate to Google Cloud (OIDC, no keys)",
            uses: ACTIONS.gcpAuth,
            with: { workload_identity_provider: vars(VARIABLES.workloadIdentityProvider), service_account: vars(VARIABLES.deployer) },
        },
        { uses: ACTIONS.setupGcloud },
        { name: "Log in to Artifact Registry", run: 'gcloud auth configure-docker "${REGION}-docker.pkg.dev" --quiet' },
        ...buildAndPush(s, `${vars(VARIABLES.registry)}/${vars(VARIABLES.service)}`),
        imageScan(`${vars(VARIABLES.registry)}/${vars(VARIABLES.service)}@${DIGEST}`),
        { name: "Deploy a revision with no traffic", id: "deploy", env: { DIGEST }, run: CLOUD_RUN_DEPLOY },
        {
            name: "Smoke test the new revision",
            env: { CANDIDATE: expr("steps.deploy.outputs.candidate"), REVISION: expr("steps.deploy.outputs.revision") },
            run: cloudRunSmokeTest(s),
        },
        {
            name: "Shift traffic to the new revision and remove its tag",
            env: { REVISION: expr("steps.deploy.outputs.revision") },
            run: [
                'gcloud run services update-traffic "$SERVICE" --region "$REGION" --to-revisions "${REVISION}=100" --quiet',
                REMOVE_TAG,
            ].join("\n"),
        },
        {
            name: "Roll back to the previous revisions",
            if: "failure() && steps.deploy.outcome == 'success'",
            env: { PREVIOUS: expr("steps.deploy.outputs.previous") },
            run: [
                'if [ -n "$PREVIOUS" ]; then gcloud run services update-traffic "$SERVICE" --region "$REGION" --to-revisions "$PREVIOUS" --quiet; fi',
                REMOVE_TAG,
                'echo "::error title=Deploy rolled back::The new revision failed; traffic is back on ${PREVIOUS:-the previous revisions}."',
                "exit 1",
            ].join("\n"),
        },
    ];
}

function awsLogin(): Step[] {
    return [
        checkout(),
        {
            name: "Authenticate to AWS (OIDC, no keys)",
            uses: ACTIONS.awsCredentials,
            with: { "role-to-assume": vars(AWS_VARIABLES.roleArn), "aws-region": vars(AWS_VARIABLES.region) },
        },
        { name: "Log in to Amazon ECR", uses: ACTIONS.ecrLogin },
    ];
}

const AWS_SMOKE_TEST = 'curl --fail --silent --show-error --retry 5 --retry-all-errors --max-time 10 "${SERVICE_URL}${HEALTH_PATH}"';

/**
 * The running task definition (`arn`, what a rollback returns to) and the family's LATEST revision
 * (`latest`, what the deploy renders): with `ignoreImageChanges`, `pulumi up` registers a new
 * revision for a config change (env, secrets, size) that the service does not move to; rendering
 * from the latest revision ships that change with the next deploy instead of dropping it.
 */
const ECS_TASK_DEFINITIONS = [
    'running="$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" --query \'services[0].taskDefinition\' --output text)"',
    'family="${running##*/}"',
    'family="${family%:*}"',
    'echo "arn=${running}" >> "$GITHUB_OUTPUT"',
    'echo "latest=$(aws ecs describe-task-definition --task-definition "$family" --query taskDefinition.taskDefinitionArn --output text)" >> "$GITHUB_OUTPUT"',
].join("\n");

function ecsSteps(s: DeliverySettings): Step[] {
    const image = `${vars(AWS_VARIABLES.repository)}@${DIGEST}`;
    return [
        ...awsLogin(),
        ...buildAndPush(s, vars(AWS_VARIABLES.repository)),
        imageScan(image),
        { name: "Remember the running task definition and find its family's latest revision", id: "current", run: ECS_TASK_DEFINITIONS },
        {
            name: "Render the latest task definition with the scanned digest",
            id: "render",
            uses: ACTIONS.ecsRender,
            with: { "task-definition-arn": expr("steps.current.outputs.latest"), "container-name": vars(AWS_VARIABLES.container), image },
        },
        {
            name: "Deploy and wait for a steady state",
            id: "ecs",
            uses: ACTIONS.ecsDeploy,
            with: {
                "task-definition": expr("steps.render.outputs.task-definition"),
                cluster: vars(AWS_VARIABLES.cluster),
                service: vars(AWS_VARIABLES.service),
                "wait-for-service-stability": true,
            },
        },
        { name: "Smoke test the service", run: AWS_SMOKE_TEST },
        {
            name: "Roll back to the previous task definition",
            if: "failure() && steps.current.outcome == 'success'",
            env: { PREVIOUS: expr("steps.current.outputs.arn") },
            run: [
                'aws ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --task-definition "$PREVIOUS" > /dev/null',
                'aws ecs wait services-stable --cluster "$CLUSTER" --services "$SERVICE"',
                'echo "::error title=Deploy rolled back::The new task definition failed; the service runs ${PREVIOUS} again."',
                "exit 1",
            ].join("\n"),
        },
    ];
}

const LAMBDA_DEPLOY = [
    'echo "previous=$(aws lambda get-alias --function-name "$FUNCTION" --name "$ALIAS" --query FunctionVersion --output text)" >> "$GITHUB_OUTPUT"',
    'aws lambda update-function-code --function-name "$FUNCTION" --image-uri "${REPOSITORY}@${DIGEST}" > /dev/null',
    'aws lambda wait function-updated-v2 --function-name "$FUNCTION"',
    'version="$(aws lambda publish-version --function-name "$FUNCTION" --query Version --output text)"',
    'aws lambda update-alias --function-name "$FUNCTION" --name "$ALIAS" --function-version "$version" > /dev/null',
    'echo "version=${version}" >> "$GITHUB_OUTPUT"',
].join("\n");

function lambdaSteps(s: DeliverySettings): Step[] {
    return [
        ...awsLogin(),
        ...buildAndPush(s, vars(AWS_VARIABLES.repository), { singleManifest: true }),
        imageScan(`${vars(AWS_VARIABLES.repository)}@${DIGEST}`),
        { name: "Publish a version and point the alias at it", id: "deploy", env: { DIGEST }, run: LAMBDA_DEPLOY },
        { name: "Smoke test the service", run: AWS_SMOKE_TEST },
        {
            name: "Roll back the alias to the previous version",
            if: "failure() && steps.deploy.outputs.previous != ''",
            env: { PREVIOUS: expr("steps.deploy.outputs.previous") },
            run: [
                'aws lambda update-alias --function-name "$FUNCTION" --name "$ALIAS" --function-version "$PREVIOUS" > /dev/null',
                'echo "::error title=Deploy rolled back::The new version failed; alias ${ALIAS} points at version ${PREVIOUS} again."',
                "exit 1",
            ].join("\n"),
        },
    ];
}

/** The deploy job's environment variables (each read from an Actions variable) for a target. */
function deployEnv(target: DeployKind): Record<string, string> {
    const a = AWS_VARIABLES;
    const aws = { REPOSITORY: vars(a.repository), SERVICE_URL: vars(a.serviceUrl), HEALTH_PATH: vars(a.healthPath) };
    switch (target) {
        case "cloud-run":
            // gcloud reads its project from CLOUDSDK_CORE_PROJECT.
            return {
                CLOUDSDK_CORE_PROJECT: vars(VARIABLES.project),
                REGISTRY: vars(VARIABLES.registry),
                SERVICE: vars(VARIABLES.service),
                REGION: vars(VARIABLES.region),
                TAG: `rev-${expr("github.run_number")}-${expr("github.run_attempt")}`,
            };
        case "ecs":
            return { ...aws, CLUSTER: vars(a.cluster), SERVICE: vars(a.service) };
        case "lambda":
            return { ...aws, FUNCTION: vars(a.function), ALIAS: vars(a.alias) };
    }
}

const DEPLOY_STEPS: Record<DeployKind, (s: DeliverySettings) => Step[]> = {
    "cloud-run": cloudRunSteps,
    ecs: ecsSteps,
    lambda: lambdaSteps,
};

/** `deploy-<tier>`: on pushes to the tier's branch, after the source scans pass; builds once, scans the pushed digest, deploys that digest. */
export function deployWorkflow(s: DeliverySettings): Workflow {
    const target = s.target ?? "cloud-run";
    return {
        name: `deploy-${s.tier}`,
        on: { push: { branches: [s.deployBranch] }, workflow_dispatch: {} },
        permissions: { contents: "read" },
        // Never cancel a deployment half-way; queue the next one instead.
        concurrency: { group: `deploy-${s.tier}`, "cancel-in-progress": false },
        jobs: {
            security: securityJob(s, { buildImage: false }),
            deploy: {
                name: "Deploy",
                needs: "security",
                ...(s.environment ? { environment: s.environment } : {}),
                "runs-on": "ubuntu-latest",
                "timeout-minutes": 30,
                permissions: { contents: "read", "id-token": "write" },
                env: deployEnv(target),
                steps: DEPLOY_STEPS[target](s),
            },
        },
    };
}

/**
 * `preview`: on pull requests, the offline plan (no credentials, so it runs for forks too) uploaded
 * as an artifact, which `preview-comment` posts from the base repository. For same-repository pull
 * requests a real `pulumi preview --policy-pack policy` of each stack waits in that stack's preview
 * environment until a reviewer approves it, then runs as the stack's read-only previewer (trusted
 * only for jobs of that environment) against a cloud-bucket backend: unapproved pull-request code
 * never mints a credential.
 */
export function previewWorkflow(s: DeliverySettings): Workflow {
    const target = s.target ?? "cloud-run";
    const aws = target !== "cloud-run";
    // The base branch's plans (JSON) make the comment show what this pull request changes.
    const baseStep = {
        name: "Plan the base branch",
        env: { BASE_REF: expr("github.base_ref") },
        run: [
            'git worktree add "$RUNNER_TEMP/base" "origin/$BASE_REF"',
            `cd "$RUNNER_TEMP/base/${s.infraDirectory}"`,
            "npm ci --no-audit --no-fund",
            `for stack in ${s.previewStacks.join(" ")}; do`,
            '  npm run --silent plan -- --stack "$stack" --json > "$RUNNER_TEMP/base-$stack.json" 2>/dev/null || echo "::notice::the base plan of $stack exited $?"',
            "done",
        ].join("\n"),
    };
    // Each plan's markdown goes into the comment; the job fails afterwards if any plan failed.
    const planStep = {
        name: "Plan this pull request",
        "working-directory": s.infraDirectory,
        env: { PR_NUMBER: expr("github.event.pull_request.number") },
        run: [
            'echo "$PR_NUMBER" > "$RUNNER_TEMP/preview/pr-number"',
            `for stack in ${s.previewStacks.join(" ")}; do`,
            '  compare=(); if [ -s "$RUNNER_TEMP/base-$stack.json" ]; then compare=(--compare "$RUNNER_TEMP/base-$stack.json"); fi',
            '  code=0; npm run --silent plan -- --stack "$stack" --markdown "${compare[@]}" > "$RUNNER_TEMP/plan.md" 2> "$RUNNER_TEMP/plan.err" || code=$?',
            '  { cat "$RUNNER_TEMP/plan.md"; if [ "$code" -ne 0 ]; then echo; echo "**Exit $code**"; echo \'```\'; cat "$RUNNER_TEMP/plan.err"; echo \'```\'; fi; echo; } >> "$RUNNER_TEMP/preview/plan.md"',
            '  echo "$code" >> "$RUNNER_TEMP/plan-codes"',
            "done",
        ].join("\n"),
    };
    const gated = (step: Step): Step => ({ if: "steps.gate.outputs.enabled == 'true'", ...step });
    return {
        name: "preview",
        on: { pull_request: {} },
        permissions: { contents: "read" },
        concurrency: { group: `preview-${expr("github.ref")}`, "cancel-in-progress": true },
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
                    { name: "Start the comment", run: 'mkdir -p "$RUNNER_TEMP/preview" && : > "$RUNNER_TEMP/preview/plan.md"' },
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
                        },
                        run: `if [ -n "$PROVIDER" ] && [ -n "$BACKEND" ]; then echo "enabled=true" >> "$GITHUB_OUTPUT"; else echo "::notice::Set the ${previewVariablesFor(target).join(", ")} variables to run pulumi preview here."; fi`,
                    },
                    ...[
                        checkout(),
                        ...nodeSetup(s, s.infraDirectory),
                        aws
                            ? {
                                  name: "Authenticate as the read-only previewer",
                                  uses: ACTIONS.awsCredentials,
                                  with: {
                                      "role-to-assume": vars(AWS_PREVIEW_VARIABLES.roleArn),
                                      "aws-region": vars(AWS_PREVIEW_VARIABLES.region),
                                  },
                              }
                            : {
                                  name: "Authenticate as the read-only previewer",
                                  uses: ACTIONS.gcpAuth,
                                  with: {
                                      workload_identity_provider: vars(PREVIEW_VARIABLES.workloadIdentityProvider),
                                      service_account: vars(PREVIEW_VARIABLES.serviceAccount),
                                  },
                              },
                        {
                            uses: ACTIONS.pulumi,
                            with: {
                                command: "preview",
                                "stack-name": expr("matrix.stack"),
                                "work-dir": s.infraDirectory,
                                policyPacks: "policy",
                                "cloud-url": vars(PREVIEW_VARIABLES.backendUrl),
                            },
                        },
                    ].map(gated),
                ],
            },
        },
    };
}

/**
 * `preview-comment`: posts the preview artifact on its pull request with the base repository's
 * token. The artifact comes from code it must not trust: the pull request number is accepted only
 * when that pull request's head is the commit the preview run built.
 */
export function previewCommentWorkflow(): Workflow {
    return {
        name: "preview-comment",
        on: { workflow_run: { workflows: ["preview"], types: ["completed"] } },
        permissions: { contents: "read" },
        concurrency: {
            group: `preview-comment-${expr("github.event.workflow_run.head_repository.full_name")}-${expr("github.event.workflow_run.head_branch")}`,
            "cancel-in-progress": true,
        },
        jobs: {
            comment: {
                name: "Comment",
                if: "github.event.workflow_run.event == 'pull_request'",
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
                        },
                        run: [
                            'n="$(tr -cd 0-9 < preview/pr-number)"',
                            'test -n "$n"',
                            'test "$(gh api "repos/${REPO}/pulls/${n}" --jq .head.sha)" = "$HEAD_SHA"',
                            'echo "number=$n" >> "$GITHUB_OUTPUT"',
                        ].join("\n"),
                    },
                    {
                        uses: ACTIONS.stickyComment,
                        with: { header: "runway-preview", number: expr("steps.pr.outputs.number"), path: "preview/plan.md" },
                    },
                ],
            },
        },
    };
}

/** `.github/dependabot.yml`: weekly updates of the pinned actions (SHA and version comment) and the app's npm dependencies. */
export function dependabotConfig(s: DeliverySettings): Record<string, unknown> {
    return {
        version: 2,
        updates: [
            {
                "package-ecosystem": "github-actions",
                directory: "/",
                schedule: { interval: "weekly" },
                groups: { actions: { patterns: ["*"] } },
            },
            { "package-ecosystem": "npm", directory: `/${s.appDirectory}`, schedule: { interval: "weekly" } },
        ],
    };
}

/** Files (path → content) a stack manages: its deploy workflow; the repository-wide ones only when `manageRepository`. */
export function workflowFiles(s: DeliverySettings, manageRepository: boolean): Record<string, string> {
    const files: Record<string, string> = { [deployWorkflowPath(s.tier)]: renderWorkflow(deployWorkflow(s)) };
    if (manageRepository) {
        files[".github/workflows/ci.yml"] = renderWorkflow(ciWorkflow(s));
        files[".github/workflows/preview.yml"] = renderWorkflow(previewWorkflow(s));
        files[".github/workflows/preview-comment.yml"] = renderWorkflow(previewCommentWorkflow());
        files[".github/dependabot.yml"] = renderWorkflow(dependabotConfig(s));
    }
    return files;
}

/** YAML with a header saying where the file comes from; every pinned `uses:` carries its release as a comment. */
export function renderWorkflow(workflow: Record<string, unknown>): string {
    return annotatePins(
        `# Generated by Runway (components/github/workflows.ts). Edit the stack's settings, not this file.\n${stringify(workflow, { lineWidth: 0 })}`,
    );
}
