/** What the generated deploy job calls on its cloud: the calls table (rules/trust/calls.ts) applied to the job itself. */
import { jobCalls, kubernetesJobCalls } from "../../rules/trust/calls";
import { deployWorkflow } from "./deploy";
import { DeliverySettings, deployCloud } from "./workflows";

/**
 * The permissions (GCP) or IAM actions (AWS) the deploy job of `s` calls, so a deployer can be granted
 * exactly those. Throws when a step runs an action or command the calls table does not know: a new
 * step must say what it calls before any identity is granted it.
 * @example deployJobCalls(settings).filter((p) => p.startsWith("run."))  // the Cloud Run service grant
 */
export function deployJobCalls(s: DeliverySettings): string[] {
    const cloud = deployCloud(s.target ?? "cloud-run");
    const jobs = deployWorkflow(s).jobs as Record<string, { permissions?: Record<string, string>; steps: Record<string, unknown>[] }>;
    const credentialed = Object.values(jobs).filter((j) => j.permissions?.["id-token"] === "write");
    const { calls, unknown } = jobCalls(
        credentialed.flatMap((j) => j.steps),
        cloud,
    );
    if (unknown.length > 0) throw new Error(`deployJobCalls: rules/trust/calls.ts does not know ${unknown.join(", ")}`);
    return [...calls];
}

/**
 * The Kubernetes API calls (RBAC `<apiGroup>/<resource>:<verb>`) the kubectl commands of the deploy
 * job of `s` make, so its namespace Role can hold exactly those (a GKE or EKS target). Throws when a
 * kubectl command has no row in rules/trust/calls.ts `KUBECTL_CALLS`.
 * @example rbacRules(deployJobKubernetesCalls(settings), { "apps/deployments": "shop" })
 */
export function deployJobKubernetesCalls(s: DeliverySettings): string[] {
    const jobs = deployWorkflow(s).jobs as Record<string, { permissions?: Record<string, string>; steps: Record<string, unknown>[] }>;
    const credentialed = Object.values(jobs).filter((j) => j.permissions?.["id-token"] === "write");
    const { calls, unknown } = kubernetesJobCalls(credentialed.flatMap((j) => j.steps));
    if (unknown.length > 0) throw new Error(`deployJobKubernetesCalls: rules/trust/calls.ts does not know ${unknown.join(", ")}`);
    return [...calls];
}
