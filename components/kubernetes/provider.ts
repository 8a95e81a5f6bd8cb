import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * The Kubernetes provider of a cluster this program creates, from its kubeconfig output (unknown
 * until the cluster exists: the provider then plans without contacting it). Server-side apply, and
 * no fallback to the machine's ~/.kube/config or context.
 */
export function kubernetesProvider(name: string, kubeconfig: pulumi.Input<string>, opts?: pulumi.ResourceOptions): k8s.Provider {
    return new k8s.Provider(name, { kubeconfig, enableServerSideApply: true, deleteUnreachable: false }, opts);
}
