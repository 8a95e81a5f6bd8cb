/**
 * What a workflow step calls on a cloud: per action (`uses:` repository) and per CLI command in a
 * `run:` script, the IAM actions (AWS) or permissions (GCP) it needs. The trust simulator checks a
 * deploy job's identity against the union of its steps' calls (tests/trust.test.ts); a step whose
 * action or command no row covers is reported, never passed. Dependency-free.
 *
 * Sources:
 * - AWS actions: each action's code at the pinned commit (components/github/actions.ts):
 *   aws-actions/amazon-ecr-login `index.js` (GetAuthorizationToken), amazon-ecs-render-task-definition
 *   `index.js` (DescribeTaskDefinition when given an ARN), amazon-ecs-deploy-task-definition `index.js`
 *   (RegisterTaskDefinition, which needs iam:PassRole for the task's roles, UpdateService,
 *   DescribeServices while waiting).
 * - AWS CLI: `aws <service> <command>` calls the operation of the same name; waiters poll one
 *   operation (botocore `data/<service>/…/waiters-2.json`: ecs services-stable → DescribeServices,
 *   lambda function-updated-v2 → GetFunction).
 * - `docker push` to ECR: docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html; to
 *   Artifact Registry: cloud.google.com/artifact-registry/docs/access-control (push: uploadArtifacts
 *   and tag create/update; existing layers are checked with downloadArtifacts).
 * - gcloud: cloud.google.com/run/docs/reference/iam/permissions (services get/update, revisions get,
 *   jobs get/update/run, executions get) and run/docs/configuring/services/service-identity (deploying
 *   a revision, or updating a job, that runs as a service account needs `iam.serviceAccounts.actAs` on it).
 * - Cloud Monitoring's REST API: cloud.google.com/monitoring/access-control (projects.timeSeries.list
 *   needs monitoring.timeSeries.list on the project: metric reads have no narrower scope).
 * - ECS RunTask and RegisterTaskDefinition with task and execution roles need iam:PassRole on them
 *   (docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html, "pass role").
 *   `gcloud container clusters get-credentials` reads the cluster (endpoint, CA): container.clusters.get
 *   (cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl).
 * - `aws eks update-kubeconfig` calls DescribeCluster (AWS CLI reference, eks update-kubeconfig);
 *   the `aws eks get-token` it writes into the kubeconfig presigns sts:GetCallerIdentity locally,
 *   which needs no permission.
 * - kubectl: the Kubernetes API requests each command makes (kubernetes/kubectl `pkg/cmd/set/set_image.go`:
 *   the resource builder GETs the object, then a strategic-merge PATCH; `pkg/cmd/rollout/rollout_status.go`:
 *   GET, then LIST and WATCH with a `metadata.name` field selector; `pkg/polymorphichelpers/rollback.go`:
 *   GET the Deployment, LIST its ReplicaSets (`pkg/util/deployment` GetAllReplicaSets), PATCH), as
 *   Kubernetes RBAC `<apiGroup>/<resource>:<verb>` (the core group is `core`).
 */

export type Cloud = "gcp" | "aws";

/** Calls per action repository (`owner/repo` of `uses:`), per cloud; an action listed without a cloud calls nothing there. */
export const ACTION_CALLS: Readonly<Record<string, Partial<Record<Cloud, readonly string[]>>>> = {
    "actions/download-artifact": {},
    "actions/checkout": {},
    "actions/setup-node": {},
    "aws-actions/configure-aws-credentials": { aws: [] },
    "aws-actions/amazon-ecr-login": { aws: ["ecr:GetAuthorizationToken"] },
    "aws-actions/amazon-ecs-render-task-definition": { aws: ["ecs:DescribeTaskDefinition"] },
    "aws-actions/amazon-ecs-deploy-task-definition": {
        aws: ["ecs:RegisterTaskDefinition", "iam:PassRole", "ecs:UpdateService", "ecs:DescribeServices"],
    },
    "google-github-actions/auth": { gcp: [] },
    "google-github-actions/setup-gcloud": { gcp: [] },
};

/** `aws <service> wait <waiter>` → the one operation it polls. */
export const AWS_WAITER_CALLS: Readonly<Record<string, string>> = {
    "ecs services-stable": "ecs:DescribeServices",
    "ecs tasks-stopped": "ecs:DescribeTasks",
    "lambda function-updated-v2": "lambda:GetFunction",
};

/**
 * `aws <service> <command>` whose IAM action is not the command's name: `aws lambda invoke` calls the
 * Invoke API, which IAM names lambda:InvokeFunction (Service Authorization Reference, AWS Lambda).
 */
export const AWS_COMMAND_ACTIONS: Readonly<Record<string, string>> = {
    "lambda invoke": "lambda:InvokeFunction",
    "eks update-kubeconfig": "eks:DescribeCluster",
};

/** `aws <service> <command>`s that need more than their own operation: passing a task's roles to ECS. */
export const AWS_COMMAND_EXTRA_CALLS: Readonly<Record<string, readonly string[]>> = {
    "ecs register-task-definition": ["iam:PassRole"],
    "ecs run-task": ["iam:PassRole"],
};

/** `docker push` of an image to the cloud's registry. */
export const DOCKER_PUSH_CALLS: Readonly<Record<Cloud, readonly string[]>> = {
    aws: [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:CompleteLayerUpload",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
    ],
    gcp: [
        "artifactregistry.repositories.downloadArtifacts",
        "artifactregistry.repositories.uploadArtifacts",
        "artifactregistry.tags.create",
        "artifactregistry.tags.update",
    ],
};

/** `gcloud <group…> <command>` → permissions (the deploy of a revision also acts as its runtime service account). */
export const GCLOUD_CALLS: Readonly<Record<string, readonly string[]>> = {
    "auth configure-docker": [],
    "run services describe": ["run.services.get"],
    // getIamPolicy: gcloud reads the service's policy to keep its invoker setting (a read).
    "run deploy": ["run.services.get", "run.services.getIamPolicy", "run.services.update", "iam.serviceAccounts.actAs"],
    "run services update-traffic": ["run.services.get", "run.services.update"],
    "run revisions describe": ["run.revisions.get"],
    // The migration job: point it at the new digest (it runs as the runtime identity), then run it and wait.
    "run jobs update": ["run.jobs.get", "run.jobs.update", "iam.serviceAccounts.actAs"],
    "run jobs execute": ["run.jobs.run", "run.executions.get"],
    // The job's logs link: read from the execution.
    "run jobs executions describe": ["run.executions.get"],
    // The caller's own OAuth token, for the Cloud Monitoring REST call: no permission.
    "auth print-access-token": [],
    // Signs the JWT IAP accepts from a service account as itself (cloud.google.com/iap/docs/authentication-howto).
    "iam service-accounts sign-jwt": ["iam.serviceAccounts.signJwt"],
    "container clusters get-credentials": ["container.clusters.get"],
};

/** `kubectl <command>` on a Deployment → the Kubernetes RBAC calls it makes (`<apiGroup>/<resource>:<verb>`). */
export const KUBECTL_CALLS: Readonly<Record<string, readonly string[]>> = {
    "get deployment": ["apps/deployments:get"],
    "set image": ["apps/deployments:get", "apps/deployments:patch"],
    "rollout status": ["apps/deployments:get", "apps/deployments:list", "apps/deployments:watch"],
    "rollout undo": ["apps/deployments:get", "apps/deployments:patch", "apps/replicasets:list"],
};

/** A `curl` to Cloud Monitoring's `projects.timeSeries.list` (the canary gate's metric reads). */
const MONITORING_TIME_SERIES = /\bcurl\b[^\n]*https:\/\/monitoring\.googleapis\.com\/v3\/projects\/[^/\s"]+\/timeSeries\b/;
export const MONITORING_READ_CALLS: readonly string[] = ["monitoring.timeSeries.list"];

/**
 * Where a GCP permission of a deploy job is granted: on the resource it acts on, never wider, except
 * metric reads (Cloud Monitoring grants them per project only) and connecting to a GKE cluster.
 */
export type GcpCallScope = "service" | "job" | "serviceAccount" | "iap" | "repository" | "project";
export function gcpCallScope(permission: string): GcpCallScope {
    if (/^run\.(jobs|executions)\./.test(permission)) return "job";
    if (permission.startsWith("run.")) return "service";
    if (permission.startsWith("iam.")) return "serviceAccount";
    if (permission.startsWith("iap.")) return "iap";
    if (permission.startsWith("monitoring.")) return "project";
    // GKE has no per-cluster IAM: connecting to a cluster is a project grant; Kubernetes RBAC scopes the rest.
    if (permission.startsWith("container.")) return "project";
    return "repository";
}

/** A request that carries the IAP JWT header passes IAP only with `iap.webServiceVersions.accessViaIAP` (roles/iap.httpsResourceAccessor). */
export const IAP_REQUEST_CALLS: readonly string[] = ["iap.webServiceVersions.accessViaIAP"];

export interface StepCalls {
    readonly calls: readonly string[];
    /** Actions or commands no row covers (the simulator reports them). */
    readonly unknown: readonly string[];
}

/** The `aws` commands of a script: `aws ecs update-service` → `ecs:UpdateService`, waiters by their table. */
function awsCommandCalls(run: string, unknown: string[]): string[] {
    const calls: string[] = [];
    for (const m of run.matchAll(/\baws ([a-z0-9-]+) (wait )?([a-z0-9-]+)/g)) {
        if (m[2]) {
            const call = AWS_WAITER_CALLS[`${m[1]} ${m[3]}`];
            if (call) calls.push(call);
            else unknown.push(m[0]);
            continue;
        }
        const renamed = AWS_COMMAND_ACTIONS[`${m[1]} ${m[3]}`];
        if (renamed) {
            calls.push(renamed);
            continue;
        }
        const operation = m[3]
            .split("-")
            .map((w) => w[0].toUpperCase() + w.slice(1))
            .join("");
        calls.push(`${m[1]}:${operation}`, ...(AWS_COMMAND_EXTRA_CALLS[`${m[1]} ${m[3]}`] ?? []));
    }
    return calls;
}

/** The `gcloud` commands of a script, matched against `GCLOUD_CALLS` by their longest known prefix. */
function gcloudCommandCalls(run: string, unknown: string[]): string[] {
    const calls: string[] = [];
    for (const m of run.matchAll(/\bgcloud ((?:[a-z][a-z0-9-]* ?){1,4})/g)) {
        const words = m[1].trim().split(" ");
        const known = [4, 3, 2].map((n) => words.slice(0, n).join(" ")).find((c) => GCLOUD_CALLS[c] !== undefined);
        if (known) calls.push(...GCLOUD_CALLS[known]);
        else unknown.push(`gcloud ${m[1].trim()}`);
    }
    return calls;
}

/** The `kubectl` commands of a script, by their first two words (`KUBECTL_CALLS`); others are unknown. */
function kubectlCommandCalls(run: string, unknown: string[]): string[] {
    const calls: string[] = [];
    for (const m of run.matchAll(/\bkubectl ([a-z-]+) ([a-z-]+)/g)) {
        const row = KUBECTL_CALLS[`${m[1]} ${m[2]}`];
        if (row) calls.push(...row);
        else unknown.push(m[0]);
    }
    return calls;
}

/**
 * The Kubernetes API calls (RBAC `<apiGroup>/<resource>:<verb>`) a job's steps make with kubectl,
 * sorted and unique, and the kubectl commands no row covers.
 */
export function kubernetesJobCalls(steps: readonly Record<string, unknown>[]): StepCalls {
    const unknown: string[] = [];
    const calls = steps.flatMap((s) => kubectlCommandCalls(typeof s.run === "string" ? s.run : "", unknown));
    return { calls: [...new Set(calls)].sort(), unknown };
}

/** What one workflow step calls on `cloud`. */
export function stepCalls(step: Record<string, unknown>, cloud: Cloud): StepCalls {
    const unknown: string[] = [];
    const calls: string[] = [];
    if (typeof step.uses === "string") {
        const repo = step.uses.split("@")[0];
        const row = ACTION_CALLS[repo];
        if (row === undefined) unknown.push(`uses: ${repo}`);
        else calls.push(...(row[cloud] ?? []));
    }
    const run = typeof step.run === "string" ? step.run : "";
    if (/\bdocker push\b/.test(run)) calls.push(...DOCKER_PUSH_CALLS[cloud]);
    if (cloud === "gcp" && /\bcurl\b[^\n]*--header @"?\$RUNNER_TEMP\/iap\.header/.test(run)) calls.push(...IAP_REQUEST_CALLS);
    if (cloud === "gcp" && MONITORING_TIME_SERIES.test(run)) calls.push(...MONITORING_READ_CALLS);
    if (cloud === "aws") calls.push(...awsCommandCalls(run, unknown));
    else calls.push(...gcloudCommandCalls(run, unknown));
    if (cloud === "gcp" && /\baws /.test(run)) unknown.push("aws CLI in a GCP job");
    if (cloud === "aws" && /\bgcloud /.test(run)) unknown.push("gcloud in an AWS job");
    return { calls: [...new Set(calls)].sort(), unknown };
}

/** What a job's steps call on `cloud`, all together. */
export function jobCalls(steps: readonly Record<string, unknown>[], cloud: Cloud): StepCalls {
    const per = steps.map((s) => stepCalls(s, cloud));
    return { calls: [...new Set(per.flatMap((p) => p.calls))].sort(), unknown: per.flatMap((p) => p.unknown) };
}
