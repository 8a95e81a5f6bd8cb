/**
 * How a Kubernetes stack's deploy job checks a rollout. Pure data and functions.
 */
import type { CandidateCheck } from "../delivery";

/**
 * `kubectl rollout status --timeout`: as long as a Deployment's default progress deadline
 * (`progressDeadlineSeconds` 600, kubernetes.io/docs/concepts/workloads/controllers/deployment/#progress-deadline-seconds),
 * after which the rollout counts as failed and the rollback runs; the step's own limit is 2 minutes longer.
 */
export const KUBERNETES_ROLLOUT_MINUTES = 10;

/**
 * What the deploy job checks after the rollout: every new pod has passed its readiness probe on the
 * health path (an HTTP call from inside the cluster) once `rollout status` returns; then, when the
 * runner can reach the load balancer, the health path through it (`http`). An EKS load balancer that
 * admits only `runway:allowedCidrs` cannot be called from GitHub's runners (their addresses are many
 * and shared), so there the readiness probes decide (`revision-ready`).
 * @example kubernetesCheck({ allowListed: true }) === "revision-ready"
 */
export function kubernetesCheck(o: { allowListed: boolean }): CandidateCheck {
    return o.allowListed ? "revision-ready" : "http";
}
