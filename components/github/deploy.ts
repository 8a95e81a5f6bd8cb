/**
 * The `deploy-<stack>` workflow: a scan job without cloud credentials builds the image once and scans
 * it; the deploy job ships exactly that archive (checked by SHA-256), deploys the pushed digest, smoke
 * tests it and rolls back on failure. Every step of the deploy job has a time limit and the job's
 * limit is their sum (rules/delivery.ts), so a stuck rollout times out in its step and the rollback
 * runs. The deploy job runs no checkout and no third-party tool: only the clouds' own actions, the
 * runner's docker, the cloud CLIs and curl.
 */
import { WAITS, jobMinutes } from "../../rules/delivery";
import { ecsBakeMinutes } from "../../rules/release";
import { ACTIONS } from "./actions";
import { cloudRunCanarySteps, cloudRunMigrationStep, dashboardLinkStep, ecsMigrationStep, ecsVerdictStep } from "./release";
import { SHELL_DEFAULTS, Step, expr, pushImageStep, restoreImageSteps, securityJob, vars } from "./steps";
import { eksSteps, gkeSteps, kubernetesEnv } from "./kubernetes";
import {
    AWS_VARIABLES,
    DeliverySettings,
    DeployKind,
    EDGE_URL_VARIABLE,
    KUBERNETES_VARIABLES,
    VARIABLES,
    deliveryStack,
} from "./workflows";

type Workflow = Record<string, unknown>;

/** The scan job's id: the deploy job needs it and reads its archive digest. */
const SCAN_JOB = "security";
const DIGEST = expr("steps.push.outputs.digest");

/** Cloud Run: remember the traffic split (every revision with percent > 0), then a tagged revision with no traffic. */
const CLOUD_RUN_DEPLOY = [
    'describe() { gcloud run services describe "$SERVICE" --region "$REGION" --format=json; }',
    'previous="$(describe | jq -r \'[.status.traffic[]? | select((.percent // 0) > 0) | "\\(.revisionName)=\\(.percent)"] | join(",")\')"',
    'echo "previous=${previous}" >> "$GITHUB_OUTPUT"',
    'gcloud run deploy "$SERVICE" --image "${REPOSITORY}@${DIGEST}" --region "$REGION" --no-traffic --tag "$TAG" --quiet',
    // Assigned before they are written: a failed describe (or no such field: jq -e) fails the step here.
    "revision=\"$(describe | jq -er '.status.latestCreatedRevisionName')\"",
    'candidate="$(describe | jq -er --arg tag "$TAG" \'.status.traffic[] | select(.tag == $tag) | .url\')"',
    'echo "revision=${revision}" >> "$GITHUB_OUTPUT"',
    'echo "candidate=${candidate}" >> "$GITHUB_OUTPUT"',
].join("\n");

/** Removing the candidate tag drops its public URL and stops its revision counting as addressable. */
const REMOVE_TAG = 'gcloud run services update-traffic "$SERVICE" --region "$REGION" --remove-tags "$TAG" --quiet';

/**
 * Signs a JWT for IAP as the deployer (`$DEPLOYER`), for exactly the URL in `$url` (IAP compares `aud`
 * with the URL it serves), valid 10 minutes (IAP refuses more than an hour), and writes the header to a
 * file: the token never appears in a command line.
 */
const SIGN_IAP_JWT = [
    'now="$(date +%s)"',
    'printf \'{"iss":"%s","sub":"%s","aud":"%s","iat":%s,"exp":%s}\' "$DEPLOYER" "$DEPLOYER" "$url" "$now" "$((now + 600))" > "$RUNNER_TEMP/iap-claims.json"',
    'gcloud iam service-accounts sign-jwt "$RUNNER_TEMP/iap-claims.json" "$RUNNER_TEMP/iap.jwt" --iam-account "$DEPLOYER" --quiet',
    'printf \'Authorization: Bearer %s\\n\' "$(cat "$RUNNER_TEMP/iap.jwt")" > "$RUNNER_TEMP/iap.header"',
];
const CURL = "curl --fail --silent --show-error --retry 5 --retry-all-errors --max-time 10 --output /dev/null";

/** GET `${base}` + the health path (exactly one `/` between them), with an IAP JWT when `iap`. */
function httpCheck(base: string, healthPath: string, iap: boolean): string[] {
    const url = `url="\${${base}%/}/${healthPath.replace(/^\/+/, "")}"`;
    return iap ? [url, ...SIGN_IAP_JWT, `${CURL} --header @"$RUNNER_TEMP/iap.header" "$url"`] : [url, `${CURL} "$url"`];
}

function cloudRunSmokeTest(s: DeliverySettings): string {
    return s.smokeTest === "revision-ready"
        ? 'gcloud run revisions describe "$REVISION" --region "$REGION" --format=json | jq -e \'.status.conditions[] | select(.type == "Ready") | .status == "True"\''
        : httpCheck("CANDIDATE", s.healthPath, s.smokeTest === "iap").join("\n");
}

const EDGE_FRONT = { name: "Smoke test through the edge", variable: EDGE_URL_VARIABLE };

/** Kubernetes: after the rollout, the health path through the load balancer (plain HTTP(S); IAP is not built for GKE). */
const kubernetesFrontCheck = (s: DeliverySettings): Step =>
    edgeCheckStep({ ...s, edgeCheck: "http" }, { name: "Smoke test through the load balancer", variable: KUBERNETES_VARIABLES.serviceUrl });

/**
 * After the shift, the health path through the edge. An HTTP failure fails the step (and the rollback
 * runs); an edge that cannot be resolved or whose certificate is not issued yet (curl 6, 35, 60: the
 * DNS record or the managed certificate of a new edge) only warns, since the revision passed its checks.
 */
function edgeCheckStep(s: DeliverySettings, front: { name: string; variable: string } = EDGE_FRONT): Step {
    const [url, ...call] = httpCheck("EDGE_URL", s.healthPath, s.edgeCheck === "iap");
    return {
        name: front.name,
        "timeout-minutes": 3,
        env: { EDGE_URL: vars(front.variable) },
        run: [
            url,
            ...call.slice(0, -1),
            `code=0; ${call[call.length - 1]} || code=$?`,
            'case "$code" in',
            "  0) ;;",
            '  6|35|60) echo "::warning title=Edge not reachable yet::${url} (curl exit ${code}): its DNS record or managed certificate is not ready; the revision passed its own checks." ;;',
            '  *) echo "::error title=Edge check failed::${url} (curl exit ${code})"; exit "$code" ;;',
            "esac",
        ].join("\n"),
    };
}

/**
 * The candidate passed: all traffic to the LATEST ready revision (`--to-latest`), so the service
 * tracks LATEST again, as the stack plans it: a later `pulumi up` that changes the template (env,
 * secrets, size) creates a revision that then gets the traffic. Pinning the candidate by name would
 * leave such a revision at 0 % until the next deploy (gcloud run services update-traffic). Refused
 * when another revision was created since the candidate (a `pulumi up` meanwhile): LATEST would be
 * that one, which nothing checked.
 */
const CLOUD_RUN_PROMOTE = [
    'latest="$(gcloud run services describe "$SERVICE" --region "$REGION" --format=json | jq -er \'.status.latestCreatedRevisionName\')"',
    'if [ "$latest" != "$REVISION" ]; then',
    '  echo "::error title=Another revision was created::${latest} was created after ${REVISION} (a pulumi up during the deploy?); traffic stays where it was."',
    "  exit 1",
    "fi",
    'gcloud run services update-traffic "$SERVICE" --region "$REGION" --to-latest --quiet',
    REMOVE_TAG,
].join("\n");

function cloudRunSteps(s: DeliverySettings): Step[] {
    return [
        ...restoreImageSteps(SCAN_JOB),
        {
            name: "Authenticate to Google Cloud (OIDC, no keys)",
            uses: ACTIONS.gcpAuth,
            "timeout-minutes": 3,
            with: { workload_identity_provider: vars(VARIABLES.workloadIdentityProvider), service_account: vars(VARIABLES.deployer) },
        },
        { uses: ACTIONS.setupGcloud, "timeout-minutes": 5 },
        {
            name: "Log in to Artifact Registry",
            "timeout-minutes": 2,
            // The registry's own host (REGION-docker.pkg.dev, or a multi-region us-docker.pkg.dev), not the service's region.
            run: 'gcloud auth configure-docker "${REPOSITORY%%/*}" --quiet',
        },
        pushImageStep(),
        ...(s.release?.migration ? [cloudRunMigrationStep(DIGEST)] : []),
        { name: "Deploy a revision with no traffic", id: "deploy", "timeout-minutes": 10, env: { DIGEST }, run: CLOUD_RUN_DEPLOY },
        {
            name: "Smoke test the new revision",
            "timeout-minutes": 3,
            env: { CANDIDATE: expr("steps.deploy.outputs.candidate"), REVISION: expr("steps.deploy.outputs.revision") },
            run: cloudRunSmokeTest(s),
        },
        ...(s.release?.canary ? cloudRunCanarySteps(s.release.canary, expr("steps.deploy.outputs.revision")) : []),
        {
            name: "Shift traffic to the new revision and remove its tag",
            "timeout-minutes": 5,
            env: { REVISION: expr("steps.deploy.outputs.revision") },
            run: CLOUD_RUN_PROMOTE,
        },
        ...(s.edgeCheck ? [edgeCheckStep(s)] : []),
        {
            name: "Roll back to the previous revisions",
            if: "failure() && steps.deploy.outcome == 'success'",
            "timeout-minutes": 5,
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

/** AWS: the scanned archive, loaded, then the OIDC login and the push to ECR. */
function awsShip(): Step[] {
    return [
        ...restoreImageSteps(SCAN_JOB),
        {
            name: "Authenticate to AWS (OIDC, no keys)",
            uses: ACTIONS.awsCredentials,
            "timeout-minutes": 3,
            with: { "role-to-assume": vars(AWS_VARIABLES.roleArn), "aws-region": vars(AWS_VARIABLES.region) },
        },
        { name: "Log in to Amazon ECR", uses: ACTIONS.ecrLogin, "timeout-minutes": 2 },
        pushImageStep(),
    ];
}

/** `${SERVICE_URL}` may end in `/` (a Lambda function URL does) and the path starts with one: join them with exactly one. */
const AWS_SMOKE_TEST = 'curl --fail --silent --show-error --retry 5 --retry-all-errors --max-time 10 "${SERVICE_URL%/}/${HEALTH_PATH#/}"';

/**
 * ECS: the new tasks, checked from inside the VPC. The load balancer may admit only
 * `runway:allowedCidrs`, which GitHub's runners are not in (and must not be: their addresses are many
 * and shared), so the job lists the service's running tasks of the deployed task definition and
 * invokes the stack's smoke-test function (aws.SmokeTest, in the load balancer's security group) to
 * GET the health path on each task's address. It fails unless every task answers 2xx.
 */
const ECS_SMOKE_TEST = [
    'tasks="$(aws ecs list-tasks --cluster "$CLUSTER" --service-name "$SERVICE" --desired-status RUNNING --query taskArns --output text)"',
    'if [ -z "$tasks" ] || [ "$tasks" = None ]; then echo "::error title=No running tasks::${SERVICE} in ${CLUSTER} runs no task"; exit 1; fi',
    'aws ecs describe-tasks --cluster "$CLUSTER" --tasks $tasks --output json > "$RUNNER_TEMP/tasks.json"',
    'jq --arg td "$TASK_DEFINITION" --arg port "$PORT" --arg path "${HEALTH_PATH#/}" \'{targets: [.tasks[] | select(.taskDefinitionArn == $td) | .attachments[].details[] | select(.name == "privateIPv4Address") | "http://\\(.value):\\($port)/\\($path)"]}\' "$RUNNER_TEMP/tasks.json" > "$RUNNER_TEMP/smoke-payload.json"',
    "jq -e '.targets | length > 0' \"$RUNNER_TEMP/smoke-payload.json\" > /dev/null",
    'aws lambda invoke --function-name "$SMOKE_FUNCTION" --cli-binary-format raw-in-base64-out --payload "file://$RUNNER_TEMP/smoke-payload.json" "$RUNNER_TEMP/smoke.json" > /dev/null',
    'jq . "$RUNNER_TEMP/smoke.json"',
    "jq -e '.ok == true' \"$RUNNER_TEMP/smoke.json\" > /dev/null",
].join("\n");

/**
 * The running task definition (`arn`, what a rollback returns to) and the family's LATEST revision
 * (`latest`, what the deploy renders): with `ignoreImageChanges`, `pulumi up` registers a new
 * revision for a config change (env, secrets, size) that the service does not move to; rendering
 * from the latest revision ships that change with the next deploy instead of dropping it.
 */
const ECS_TASK_DEFINITIONS = [
    // The CLI prints None (and exits 0) for a service it does not find: only an ARN is an answer.
    'arn_or_fail() { case "$1" in arn:*) ;; *) echo "::error title=$2::answered \'$1\'"; exit 1 ;; esac; }',
    'running="$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" --query \'services[0].taskDefinition\' --output text)"',
    'arn_or_fail "$running" "No ECS service ${SERVICE} in ${CLUSTER}"',
    'family="${running##*/}"',
    'family="${family%:*}"',
    'latest="$(aws ecs describe-task-definition --task-definition "$family" --query taskDefinition.taskDefinitionArn --output text)"',
    'arn_or_fail "$latest" "No task definition family ${family}"',
    'echo "arn=${running}" >> "$GITHUB_OUTPUT"',
    'echo "latest=${latest}" >> "$GITHUB_OUTPUT"',
].join("\n");

function ecsSteps(s: DeliverySettings): Step[] {
    const image = `${vars(AWS_VARIABLES.repository)}@${DIGEST}`;
    const canary = s.release?.canary;
    // A CANARY deployment also serves its share for the canary minutes and keeps the old tasks for the bake time.
    const waitMinutes = WAITS.ecsStable + (canary ? canary.minutes + ecsBakeMinutes() : 0);
    return [
        ...awsShip(),
        ...(s.release?.migration ? [ecsMigrationStep(image, vars(AWS_VARIABLES.container))] : []),
        {
            name: "Remember the running task definition and find its family's latest revision",
            id: "current",
            "timeout-minutes": 2,
            run: ECS_TASK_DEFINITIONS,
        },
        {
            name: "Render the latest task definition with the scanned digest",
            id: "render",
            uses: ACTIONS.ecsRender,
            "timeout-minutes": 2,
            with: { "task-definition-arn": expr("steps.current.outputs.latest"), "container-name": vars(AWS_VARIABLES.container), image },
        },
        {
            name: "Deploy and wait for a steady state",
            id: "ecs",
            uses: ACTIONS.ecsDeploy,
            // The action gives up (and fails the step) before the step's own limit.
            "timeout-minutes": waitMinutes + 2,
            with: {
                "task-definition": expr("steps.render.outputs.task-definition"),
                cluster: vars(AWS_VARIABLES.cluster),
                service: vars(AWS_VARIABLES.service),
                "wait-for-service-stability": true,
                "wait-for-minutes": waitMinutes,
                "wait-max-delay-seconds": 15,
            },
        },
        ...(canary ? [ecsVerdictStep(expr("steps.ecs.outputs.task-definition-arn"))] : []),
        {
            name: "Smoke test the new tasks from inside the VPC",
            "timeout-minutes": 3,
            env: { TASK_DEFINITION: expr("steps.ecs.outputs.task-definition-arn") },
            run: ECS_SMOKE_TEST,
        },
        {
            name: "Roll back to the previous task definition",
            if: "failure() && steps.current.outcome == 'success'",
            "timeout-minutes": WAITS.ecsCliStable + 2,
            env: { PREVIOUS: expr("steps.current.outputs.arn") },
            run: [
                // A CANARY deployment that ECS rolled back already runs PREVIOUS: another update would start a new deployment.
                'running="$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" --query \'services[0].taskDefinition\' --output text)"',
                'if [ "$running" != "$PREVIOUS" ]; then',
                '  aws ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --task-definition "$PREVIOUS" > /dev/null',
                '  aws ecs wait services-stable --cluster "$CLUSTER" --services "$SERVICE"',
                "fi",
                'echo "::error title=Deploy rolled back::The new task definition failed; the service runs ${PREVIOUS} again."',
                "exit 1",
            ].join("\n"),
        },
    ];
}

const LAMBDA_PUBLISH = [
    'previous="$(aws lambda get-alias --function-name "$FUNCTION" --name "$ALIAS" --query FunctionVersion --output text)"',
    'case "$previous" in "" | None) echo "::error title=No alias::${FUNCTION}:${ALIAS} has no version"; exit 1 ;; esac',
    'echo "previous=${previous}" >> "$GITHUB_OUTPUT"',
    'aws lambda update-function-code --function-name "$FUNCTION" --image-uri "${REPOSITORY}@${DIGEST}" > /dev/null',
    'aws lambda wait function-updated-v2 --function-name "$FUNCTION"',
    'version="$(aws lambda publish-version --function-name "$FUNCTION" --query Version --output text)"',
    'case "$version" in "" | None) echo "::error title=No version::publish-version answered \'${version}\'"; exit 1 ;; esac',
    'echo "version=${version}" >> "$GITHUB_OUTPUT"',
].join("\n");

/**
 * Lambda: the new version answers the health path before any request reaches it. The job invokes
 * that version directly (`--qualifier`) with a function URL event (payload format 2.0, what the
 * alias's URL sends: docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html) and requires a 2xx
 * answer and no function error; only then does the alias (and so the URL) move to it.
 */
const LAMBDA_PRE_TRAFFIC_CHECK = [
    'jq -n --arg path "/${HEALTH_PATH#/}" \'{version: "2.0", routeKey: "$default", rawPath: $path, rawQueryString: "", headers: {"user-agent": "runway-smoke-test"}, requestContext: {http: {method: "GET", path: $path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "runway-smoke-test"}}, isBase64Encoded: false}\' > "$RUNNER_TEMP/event.json"',
    'aws lambda invoke --function-name "$FUNCTION" --qualifier "$VERSION" --cli-binary-format raw-in-base64-out --payload "file://$RUNNER_TEMP/event.json" "$RUNNER_TEMP/answer.json" > "$RUNNER_TEMP/invoke.json"',
    'if jq -e \'.FunctionError\' "$RUNNER_TEMP/invoke.json" > /dev/null; then echo "::error title=Version ${VERSION} failed::$(head -c 500 "$RUNNER_TEMP/answer.json")"; exit 1; fi',
    // A function URL answer without statusCode is a 200 (the URL's own rule for a non-object answer).
    'status="$(jq -r \'if type == "object" and has("statusCode") then .statusCode else 200 end\' "$RUNNER_TEMP/answer.json")"',
    'case "$status" in 2??) echo "version ${VERSION} answered ${status} on /${HEALTH_PATH#/}" ;; *) echo "::error title=Version ${VERSION} answered ${status}::on /${HEALTH_PATH#/}, before any traffic"; exit 1 ;; esac',
].join("\n");

function lambdaSteps(): Step[] {
    return [
        ...awsShip(),
        {
            name: "Publish a version (no traffic yet)",
            id: "deploy",
            "timeout-minutes": WAITS.lambdaUpdated + 3,
            env: { DIGEST },
            run: LAMBDA_PUBLISH,
        },
        {
            name: "Check the new version before it gets traffic",
            "timeout-minutes": 3,
            env: { VERSION: expr("steps.deploy.outputs.version") },
            run: LAMBDA_PRE_TRAFFIC_CHECK,
        },
        {
            name: "Point the alias at the new version",
            "timeout-minutes": 2,
            env: { VERSION: expr("steps.deploy.outputs.version") },
            run: 'aws lambda update-alias --function-name "$FUNCTION" --name "$ALIAS" --function-version "$VERSION" > /dev/null',
        },
        { name: "Smoke test the service", "timeout-minutes": 3, run: AWS_SMOKE_TEST },
        {
            name: "Roll back the alias to the previous version",
            if: "failure() && steps.deploy.outputs.previous != ''",
            "timeout-minutes": 3,
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
    // Never reused: production registries refuse to overwrite a tag.
    const imageTag = { IMAGE_TAG: `${expr("github.sha")}-${expr("github.run_id")}-${expr("github.run_attempt")}` };
    const aws = { ...imageTag, REPOSITORY: vars(a.repository), HEALTH_PATH: vars(a.healthPath) };
    switch (target) {
        case "cloud-run":
            // gcloud reads its project from CLOUDSDK_CORE_PROJECT.
            return {
                ...imageTag,
                CLOUDSDK_CORE_PROJECT: vars(VARIABLES.project),
                DEPLOYER: vars(VARIABLES.deployer),
                REPOSITORY: `${vars(VARIABLES.registry)}/${vars(VARIABLES.service)}`,
                SERVICE: vars(VARIABLES.service),
                REGION: vars(VARIABLES.region),
                TAG: `rev-${expr("github.run_number")}-${expr("github.run_attempt")}`,
            };
        case "ecs":
            return {
                ...aws,
                CLUSTER: vars(a.cluster),
                SERVICE: vars(a.service),
                SMOKE_FUNCTION: vars(a.smokeFunction),
                PORT: vars(a.servicePort),
            };
        case "lambda":
            return { ...aws, SERVICE_URL: vars(a.serviceUrl), FUNCTION: vars(a.function), ALIAS: vars(a.alias) };
        case "gke":
        case "eks":
            return kubernetesEnv(target, imageTag);
    }
}

const DEPLOY_STEPS: Record<DeployKind, (s: DeliverySettings) => Step[]> = {
    "cloud-run": cloudRunSteps,
    ecs: ecsSteps,
    lambda: lambdaSteps,
    gke: (s) => gkeSteps(s, kubernetesFrontCheck),
    eks: (s) => eksSteps(s, kubernetesFrontCheck, awsShip),
};

/** `deploy-<stack>`: on pushes to the tier's branch; the scan job builds and scans once, the deploy job ships that archive. */
export function deployWorkflow(s: DeliverySettings): Workflow {
    const steps = [...(s.release?.dashboard ? [dashboardLinkStep()] : []), ...DEPLOY_STEPS[s.target ?? "cloud-run"](s)];
    return {
        name: `deploy-${deliveryStack(s)}`,
        on: { push: { branches: [s.deployBranch] }, workflow_dispatch: {} },
        permissions: { contents: "read" },
        // Never cancel a deployment half-way; queue the next one instead.
        concurrency: { group: `deploy-${deliveryStack(s)}`, "cancel-in-progress": false },
        defaults: SHELL_DEFAULTS,
        jobs: {
            [SCAN_JOB]: securityJob(s, { ship: true }),
            deploy: {
                name: "Deploy",
                needs: SCAN_JOB,
                ...(s.environment ? { environment: s.environment } : {}),
                "runs-on": "ubuntu-latest",
                "timeout-minutes": jobMinutes(steps.map((step) => step["timeout-minutes"] as number | undefined)),
                // No checkout: the job reads nothing from the repository, only the scanned archive.
                permissions: { "id-token": "write" },
                env: deployEnv(s.target ?? "cloud-run"),
                steps,
            },
        },
    };
}
