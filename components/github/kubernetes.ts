/**
 * The deploy job's steps for a Kubernetes stack (GKE Autopilot, EKS): push the scanned archive,
 * connect to the cluster, remember the Deployment's revision, set its container image to the pushed
 * digest, wait for the rollout (every new pod passes its readiness probe on the health path), call the
 * health path through the load balancer where the runner can reach it, and roll back to the
 * remembered revision on any failure. The deployer's Kubernetes RBAC is generated from these
 * commands (rules/trust/calls.ts `KUBECTL_CALLS` → rules/kubernetes/rbac.ts), so it may touch this
 * one Deployment and read its ReplicaSets, nothing else. kubectl is the runner image's
 * (actions/runner-images `install-kubernetes-tools.sh`); GKE's credential plugin comes with gcloud.
 */
import { CONTAINER_NAME } from "../../rules/kubernetes/workload";
import { KUBERNETES_ROLLOUT_MINUTES } from "../../rules/kubernetes/delivery";
import { ACTIONS } from "./actions";
import { SETUP_GCLOUD_FOR_GKE, Step, expr, pushImageStep, restoreImageSteps, vars } from "./steps";
import { AWS_VARIABLES, DeliverySettings, KUBERNETES_VARIABLES, VARIABLES } from "./workflows";

const DIGEST = expr("steps.push.outputs.digest");
const K = KUBERNETES_VARIABLES;
const IN_NAMESPACE = '--namespace "$NAMESPACE"';

/** Remember the running revision (what a rollback returns to), then point the container at the scanned digest. */
const ROLL_OUT = [
    `previous="$(kubectl get deployment "$DEPLOYMENT" ${IN_NAMESPACE} --output jsonpath='{.metadata.annotations.deployment\\.kubernetes\\.io/revision}')"`,
    'test -n "$previous"',
    'echo "previous=${previous}" >> "$GITHUB_OUTPUT"',
    `kubectl set image deployment/"$DEPLOYMENT" "${CONTAINER_NAME}=\${REPOSITORY}@\${DIGEST}" ${IN_NAMESPACE}`,
].join("\n");

const WAIT = `kubectl rollout status deployment/"$DEPLOYMENT" ${IN_NAMESPACE} --timeout ${KUBERNETES_ROLLOUT_MINUTES}m`;

/** The steps after the cloud login and push: connect, roll out, wait, check, roll back. */
function rolloutSteps(s: DeliverySettings, connect: Step, frontCheck: (s: DeliverySettings) => Step): Step[] {
    return [
        connect,
        { name: "Roll out the scanned digest", id: "rollout", "timeout-minutes": 2, env: { DIGEST }, run: ROLL_OUT },
        {
            name: "Wait for every new pod to pass its readiness probe",
            "timeout-minutes": KUBERNETES_ROLLOUT_MINUTES + 2,
            run: WAIT,
        },
        ...(s.smokeTest === "http" ? [frontCheck(s)] : []),
        {
            name: "Roll back to the previous revision",
            if: "failure() && steps.rollout.outputs.previous != ''",
            "timeout-minutes": KUBERNETES_ROLLOUT_MINUTES + 2,
            env: { PREVIOUS: expr("steps.rollout.outputs.previous") },
            run: [
                `kubectl rollout undo deployment/"$DEPLOYMENT" ${IN_NAMESPACE} --to-revision "$PREVIOUS"`,
                WAIT,
                'echo "::error title=Deploy rolled back::The new pods failed; deployment ${DEPLOYMENT} runs revision ${PREVIOUS} again."',
                "exit 1",
            ].join("\n"),
        },
    ];
}

/** GKE: Workload Identity Federation login as the deployer, push to Artifact Registry, `get-credentials`. */
export function gkeSteps(s: DeliverySettings, frontCheck: (s: DeliverySettings) => Step): Step[] {
    return [
        ...restoreImageSteps("security"),
        {
            name: "Authenticate to Google Cloud (OIDC, no keys)",
            uses: ACTIONS.gcpAuth,
            "timeout-minutes": 3,
            with: { workload_identity_provider: vars(VARIABLES.workloadIdentityProvider), service_account: vars(VARIABLES.deployer) },
        },
        SETUP_GCLOUD_FOR_GKE,
        {
            name: "Log in to Artifact Registry",
            "timeout-minutes": 2,
            run: 'gcloud auth configure-docker "${REPOSITORY%%/*}" --quiet',
        },
        pushImageStep(),
        ...rolloutSteps(
            s,
            {
                name: "Connect to the cluster",
                "timeout-minutes": 2,
                run: 'gcloud container clusters get-credentials "$CLUSTER" --location "$REGION" --quiet',
            },
            frontCheck,
        ),
    ];
}

/** EKS: the archive, OIDC login as the deploy role and push to ECR (`awsShip`), `update-kubeconfig` (kubectl then runs `aws eks get-token`). */
export function eksSteps(s: DeliverySettings, frontCheck: (s: DeliverySettings) => Step, awsShip: () => Step[]): Step[] {
    return [
        ...awsShip(),
        ...rolloutSteps(
            s,
            { name: "Connect to the cluster", "timeout-minutes": 2, run: 'aws eks update-kubeconfig --name "$CLUSTER" > /dev/null' },
            frontCheck,
        ),
    ];
}

/** The deploy job's environment for a Kubernetes target (the image repository is named after the Deployment on GKE). */
export function kubernetesEnv(target: "gke" | "eks", imageTag: Record<string, string>): Record<string, string> {
    const common = { ...imageTag, CLUSTER: vars(K.cluster), NAMESPACE: vars(K.namespace), DEPLOYMENT: vars(K.deployment) };
    return target === "gke"
        ? {
              ...common,
              CLOUDSDK_CORE_PROJECT: vars(VARIABLES.project),
              REGION: vars(VARIABLES.region),
              REPOSITORY: `${vars(VARIABLES.registry)}/${vars(K.deployment)}`,
          }
        : { ...common, REPOSITORY: vars(AWS_VARIABLES.repository) };
}
