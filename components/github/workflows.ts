/**
 * The app repository's GitHub Actions workflows, generated from a stack's settings by pure
 * functions (objects first, YAML last). What the policy pack's blocking-scans policy expects is
 * documented in policy/README.md; these workflows are built to that contract: every scan fails its
 * job on findings, deploy jobs `needs` the scan job, and the job names below are the check names
 * branch protection requires.
 */
import { stringify } from "yaml";

/** Third-party actions, each pinned to a full release (see README: pinning to commit SHAs). */
export const ACTIONS = {
    checkout: "actions/checkout@v4.2.2",
    setupNode: "actions/setup-node@v4.4.0",
    uploadArtifact: "actions/upload-artifact@v4.6.2",
    downloadArtifact: "actions/download-artifact@v4.3.0",
    gitleaks: "gitleaks/gitleaks-action@v2.3.9",
    hadolint: "hadolint/hadolint-action@v3.1.0",
    setupBuildx: "docker/setup-buildx-action@v3.11.1",
    buildPush: "docker/build-push-action@v6.18.0",
    trivy: "aquasecurity/trivy-action@v0.36.0",
    gcpAuth: "google-github-actions/auth@v2.1.10",
    setupGcloud: "google-github-actions/setup-gcloud@v2.1.4",
    stickyComment: "marocchino/sticky-pull-request-comment@v2.9.0",
    pulumi: "pulumi/actions@v6.6.1",
} as const;

/** Job names, which are also the status check names branch protection requires. */
export const CHECKS = { lint: "Lint", test: "Test", security: "Security" } as const;
/** The checks the default branch requires before merging. */
export const REQUIRED_CHECKS: readonly string[] = [CHECKS.lint, CHECKS.test, CHECKS.security];

/** Actions variables the deploy workflow reads (set per environment, or per repository for solo). */
export const VARIABLES = {
    workloadIdentityProvider: "RUNWAY_WIF_PROVIDER",
    deployer: "RUNWAY_DEPLOYER_SA",
    project: "RUNWAY_GCP_PROJECT",
    region: "RUNWAY_GCP_REGION",
    registry: "RUNWAY_REGISTRY",
    service: "RUNWAY_SERVICE",
} as const;

/**
 * Repository variables the user sets to let pull requests run `pulumi preview` with a read-only
 * identity of their own (Runway's deployers are bound to branches/environments, not pull requests).
 */
export const PREVIEW_VARIABLES = {
    workloadIdentityProvider: "RUNWAY_PREVIEW_WIF_PROVIDER",
    serviceAccount: "RUNWAY_PREVIEW_SERVICE_ACCOUNT",
    backendUrl: "RUNWAY_PULUMI_BACKEND_URL",
} as const;

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
    /**
     * How the deploy checks the new revision: `http` calls the health path on its tagged URL;
     * `revision-ready` (for services behind IAP, which reject the deployer's calls) waits for the
     * revision to be Ready, which its startup probe on the health path decides. @default "http"
     */
    readonly smokeTest?: "http" | "revision-ready";
}

type Job = Record<string, unknown>;
type Workflow = Record<string, unknown>;

const expr = (e: string) => "${{ " + e + " }}";
const vars = (name: string) => expr(`vars.${name}`);

function nodeSetup(s: DeliverySettings, directory: string): Job[] {
    return [
        { uses: ACTIONS.setupNode, with: { "node-version": s.nodeVersion, cache: "npm", "cache-dependency-path": `${directory}/package-lock.json` } },
        { name: "Install dependencies", run: "npm ci", "working-directory": directory },
    ];
}

/** The scan job: secret scan, dependency audit, Dockerfile lint, image build + scan. Every step fails on findings. */
export function securityJob(s: DeliverySettings, needs?: string): Job {
    return {
        name: CHECKS.security,
        ...(needs ? { needs } : {}),
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 20,
        permissions: { contents: "read" },
        steps: [
            { uses: ACTIONS.checkout, with: { "fetch-depth": 0 } },
            { name: "Secret scan", uses: ACTIONS.gitleaks, env: { GITHUB_TOKEN: expr("secrets.GITHUB_TOKEN") } },
            { name: "Dependency audit", run: "npm audit --omit=dev --audit-level=high", "working-directory": s.appDirectory },
            { name: "Dockerfile lint", uses: ACTIONS.hadolint, with: { dockerfile: s.dockerfile, "failure-threshold": "warning" } },
            { uses: ACTIONS.setupBuildx },
            {
                name: "Build image", uses: ACTIONS.buildPush,
                with: { context: s.appDirectory, file: s.dockerfile, platforms: "linux/amd64", load: true, push: false, tags: "app:scan", "cache-from": "type=gha", "cache-to": "type=gha,mode=max" },
            },
            {
                name: "Image scan", uses: ACTIONS.trivy,
                with: { "image-ref": "app:scan", "exit-code": "1", severity: "HIGH,CRITICAL", "ignore-unfixed": true, format: "table" },
            },
        ],
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
                name: CHECKS.lint, "runs-on": "ubuntu-latest", "timeout-minutes": 10, permissions: { contents: "read" },
                steps: [{ uses: ACTIONS.checkout }, ...nodeSetup(s, s.appDirectory), { name: "Lint", run: "npm run lint --if-present", "working-directory": s.appDirectory }],
            },
            test: {
                name: CHECKS.test, needs: "lint", "runs-on": "ubuntu-latest", "timeout-minutes": 15, permissions: { contents: "read" },
                steps: [{ uses: ACTIONS.checkout }, ...nodeSetup(s, s.appDirectory), { name: "Test", run: "npm test --if-present", "working-directory": s.appDirectory }],
            },
            security: securityJob(s, "test"),
        },
    };
}

/** The shell of the deploy job: no-traffic revision, smoke test, traffic shift, rollback on failure. */
const DEPLOY_SCRIPT = [
    'image="${REGISTRY}/${SERVICE}@${DIGEST}"',
    'previous="$(gcloud run services describe "$SERVICE" --region "$REGION" --format=\'value(status.traffic[0].revisionName)\')"',
    'echo "previous=${previous}" >> "$GITHUB_OUTPUT"',
    'gcloud run deploy "$SERVICE" --image "$image" --region "$REGION" --no-traffic --tag "$TAG" --quiet',
    'echo "revision=$(gcloud run services describe "$SERVICE" --region "$REGION" --format=\'value(status.latestCreatedRevisionName)\')" >> "$GITHUB_OUTPUT"',
    'url="$(gcloud run services describe "$SERVICE" --region "$REGION" --format=\'value(status.url)\')"',
    'echo "candidate=${url/https:\\/\\//https:\\/\\/${TAG}---}" >> "$GITHUB_OUTPUT"',
].join("\n");

/** The smoke test: the health path over HTTP, or (behind IAP) the revision's readiness, which its startup probe on the health path decides. */
function smokeTest(s: DeliverySettings): string {
    return s.smokeTest === "revision-ready"
        ? 'gcloud run revisions describe "$REVISION" --region "$REGION" --format=json | jq -e \'.status.conditions[] | select(.type == "Ready") | .status == "True"\''
        : `curl --fail --silent --show-error --retry 5 --retry-all-errors --max-time 10 "\${CANDIDATE}${s.healthPath}"`;
}

/** `deploy-<tier>`: on pushes to the tier's branch, after the scans pass. */
export function deployWorkflow(s: DeliverySettings): Workflow {
    const tag = `rev-${expr("github.run_number")}-${expr("github.run_attempt")}`;
    return {
        name: `deploy-${s.tier}`,
        on: { push: { branches: [s.deployBranch] }, workflow_dispatch: {} },
        permissions: { contents: "read" },
        // Never cancel a deployment half-way; queue the next one instead.
        concurrency: { group: `deploy-${s.tier}`, "cancel-in-progress": false },
        jobs: {
            security: securityJob(s),
            deploy: {
                name: "Deploy",
                needs: "security",
                ...(s.environment ? { environment: s.environment } : {}),
                "runs-on": "ubuntu-latest",
                "timeout-minutes": 30,
                permissions: { contents: "read", "id-token": "write" },
                env: {
                    REGISTRY: vars(VARIABLES.registry), SERVICE: vars(VARIABLES.service), REGION: vars(VARIABLES.region), TAG: tag,
                },
                steps: [
                    { uses: ACTIONS.checkout },
                    { name: "Authenticate to Google Cloud (OIDC, no keys)", uses: ACTIONS.gcpAuth, with: { workload_identity_provider: vars(VARIABLES.workloadIdentityProvider), service_account: vars(VARIABLES.deployer) } },
                    { uses: ACTIONS.setupGcloud },
                    { name: "Log in to Artifact Registry", run: 'gcloud auth configure-docker "${REGION}-docker.pkg.dev" --quiet' },
                    { uses: ACTIONS.setupBuildx },
                    {
                        name: "Build and push", id: "build", uses: ACTIONS.buildPush,
                        with: { context: s.appDirectory, file: s.dockerfile, platforms: "linux/amd64", push: true, tags: `${vars(VARIABLES.registry)}/${vars(VARIABLES.service)}:${expr("github.sha")}`, "cache-from": "type=gha", "cache-to": "type=gha,mode=max" },
                    },
                    { name: "Deploy a revision with no traffic", id: "deploy", env: { DIGEST: expr("steps.build.outputs.digest") }, run: DEPLOY_SCRIPT },
                    {
                        name: "Smoke test the new revision",
                        env: { CANDIDATE: expr("steps.deploy.outputs.candidate"), REVISION: expr("steps.deploy.outputs.revision") },
                        run: smokeTest(s),
                    },
                    {
                        name: "Shift traffic to the new revision",
                        env: { REVISION: expr("steps.deploy.outputs.revision") },
                        run: 'gcloud run services update-traffic "$SERVICE" --region "$REGION" --to-revisions "${REVISION}=100" --quiet',
                    },
                    {
                        name: "Roll back to the previous revision",
                        if: `failure() && steps.deploy.outcome == 'success' && steps.deploy.outputs.previous != ''`,
                        env: { PREVIOUS: expr("steps.deploy.outputs.previous") },
                        run: [
                            'gcloud run services update-traffic "$SERVICE" --region "$REGION" --to-revisions "${PREVIOUS}=100" --quiet',
                            'echo "::error title=Deploy rolled back::The new revision failed; traffic is back on ${PREVIOUS}."',
                            "exit 1",
                        ].join("\n"),
                    },
                ],
            },
        },
    };
}

/**
 * `preview`: on pull requests, the offline plan (no secrets, so it runs for forks too) uploaded as
 * an artifact; `preview-comment` posts it as a sticky comment from the base repository. When a
 * read-only previewer identity is configured, `pulumi preview --policy-pack policy` runs as well.
 */
export function previewWorkflow(s: DeliverySettings): Workflow {
    // The base branch's plans (JSON) make the comment show what this pull request changes.
    const baseStep = {
        name: "Plan the base branch",
        env: { BASE_REF: expr("github.base_ref") },
        run: [
            'git fetch --no-tags --depth=1 origin "$BASE_REF"',
            'git worktree add "$RUNNER_TEMP/base" FETCH_HEAD',
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
        run: [
            'echo "${{ github.event.pull_request.number }}" > "$RUNNER_TEMP/preview/pr-number"',
            `for stack in ${s.previewStacks.join(" ")}; do`,
            '  compare=(); if [ -s "$RUNNER_TEMP/base-$stack.json" ]; then compare=(--compare "$RUNNER_TEMP/base-$stack.json"); fi',
            '  code=0; npm run --silent plan -- --stack "$stack" --markdown "${compare[@]}" > "$RUNNER_TEMP/plan.md" 2> "$RUNNER_TEMP/plan.err" || code=$?',
            '  { cat "$RUNNER_TEMP/plan.md"; if [ "$code" -ne 0 ]; then echo; echo "**Exit $code**"; echo \'```\'; cat "$RUNNER_TEMP/plan.err"; echo \'```\'; fi; echo; } >> "$RUNNER_TEMP/preview/plan.md"',
            '  echo "$code" >> "$RUNNER_TEMP/plan-codes"',
            "done",
        ].join("\n"),
    };
    return {
        name: "preview",
        on: { pull_request: {} },
        permissions: { contents: "read" },
        concurrency: { group: `preview-${expr("github.ref")}`, "cancel-in-progress": true },
        jobs: {
            plan: {
                name: "Offline plan", "runs-on": "ubuntu-latest", "timeout-minutes": 15, permissions: { contents: "read" },
                steps: [
                    { uses: ACTIONS.checkout },
                    ...nodeSetup(s, s.infraDirectory),
                    { name: "Start the comment", run: 'mkdir -p "$RUNNER_TEMP/preview" && : > "$RUNNER_TEMP/preview/plan.md"' },
                    baseStep,
                    planStep,
                    { uses: ACTIONS.uploadArtifact, with: { name: "runway-preview", path: `${expr("runner.temp")}/preview/`, "retention-days": 5 } },
                    { name: "Fail when a plan failed (bad config or a mandatory policy violation)", run: '! grep -qv "^0$" "$RUNNER_TEMP/plan-codes"' },
                ],
            },
            "pulumi-preview": {
                name: "Pulumi preview",
                // Forks get no credentials: their pull requests rely on the offline plan.
                if: "github.event.pull_request.head.repo.full_name == github.repository",
                "runs-on": "ubuntu-latest", "timeout-minutes": 20,
                permissions: { contents: "read", "id-token": "write", "pull-requests": "write" },
                strategy: { matrix: { stack: [...s.previewStacks] }, "fail-fast": false },
                steps: [
                    {
                        name: "Check for a previewer identity", id: "gate",
                        env: { PROVIDER: vars(PREVIEW_VARIABLES.workloadIdentityProvider) },
                        run: `if [ -n "$PROVIDER" ]; then echo "enabled=true" >> "$GITHUB_OUTPUT"; else echo "::notice::Set the ${Object.values(PREVIEW_VARIABLES).join(", ")} variables to run pulumi preview here."; fi`,
                    },
                    ...[
                        { uses: ACTIONS.checkout },
                        ...nodeSetup(s, s.infraDirectory),
                        { uses: ACTIONS.gcpAuth, with: { workload_identity_provider: vars(PREVIEW_VARIABLES.workloadIdentityProvider), service_account: vars(PREVIEW_VARIABLES.serviceAccount) } },
                        {
                            uses: ACTIONS.pulumi,
                            with: { command: "preview", "stack-name": expr("matrix.stack"), "work-dir": s.infraDirectory, policyPacks: "policy", "comment-on-pr": true, "cloud-url": vars(PREVIEW_VARIABLES.backendUrl) },
                            env: { PULUMI_ACCESS_TOKEN: expr("secrets.PULUMI_ACCESS_TOKEN"), PULUMI_CONFIG_PASSPHRASE: expr("secrets.PULUMI_CONFIG_PASSPHRASE") },
                        },
                    ].map((step) => ({ if: "steps.gate.outputs.enabled == 'true'", ...step })),
                ],
            },
        },
    };
}

/** `preview-comment`: posts the preview artifact on its pull request with the base repository's token. */
export function previewCommentWorkflow(): Workflow {
    return {
        name: "preview-comment",
        on: { workflow_run: { workflows: ["preview"], types: ["completed"] } },
        permissions: { contents: "read" },
        concurrency: { group: `preview-comment-${expr("github.event.workflow_run.head_branch")}`, "cancel-in-progress": true },
        jobs: {
            comment: {
                name: "Comment", if: "github.event.workflow_run.event == 'pull_request'",
                "runs-on": "ubuntu-latest", "timeout-minutes": 5,
                permissions: { actions: "read", "pull-requests": "write" },
                steps: [
                    { uses: ACTIONS.downloadArtifact, with: { name: "runway-preview", "run-id": expr("github.event.workflow_run.id"), "github-token": expr("github.token"), path: "preview" } },
                    // The number comes from an untrusted run: accept digits only.
                    { name: "Read the pull request number", id: "pr", run: 'n="$(tr -cd 0-9 < preview/pr-number)"; test -n "$n"; echo "number=$n" >> "$GITHUB_OUTPUT"' },
                    { uses: ACTIONS.stickyComment, with: { header: "runway-preview", number: expr("steps.pr.outputs.number"), path: "preview/plan.md" } },
                ],
            },
        },
    };
}

/** Workflow files (path → content) a stack manages. Repository-wide files only when `manageRepository`. */
export function workflowFiles(s: DeliverySettings, manageRepository: boolean): Record<string, string> {
    const files: Record<string, string> = { [`.github/workflows/deploy-${s.tier}.yml`]: renderWorkflow(deployWorkflow(s)) };
    if (manageRepository) {
        files[".github/workflows/ci.yml"] = renderWorkflow(ciWorkflow(s));
        files[".github/workflows/preview.yml"] = renderWorkflow(previewWorkflow(s));
        files[".github/workflows/preview-comment.yml"] = renderWorkflow(previewCommentWorkflow());
    }
    return files;
}

/** YAML with a header saying where the file comes from. */
export function renderWorkflow(workflow: Workflow): string {
    return `# Generated by Runway (components/github/workflows.ts). Edit the stack's settings, not this file.\n${stringify(workflow, { lineWidth: 0 })}`;
}
