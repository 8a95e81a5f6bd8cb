import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * The Kubernetes provider of a cluster this program creates, from its kubeconfig output (unknown
 * until the cluster exists: the provider then plans without contacting it), never the machine's
 * ~/.kube/config or context. Client-side apply: an update patches only what changed between the old
 * and new inputs, so fields other managers own keep their values — the HPA's replica count, and the
 * image CI set with `kubectl set image`. Under server-side apply, Pulumi re-applies every field it
 * declares without force, and `ignoreChanges` cannot name a field inside a list
 * (pulumi/pulumi-kubernetes `provider/pkg/await/await.go` handleSSAIgnoreFields, patchForce), so the
 * next `up` after a CI deploy would fail with a field-manager conflict on the container image.
 */
export function kubernetesProvider(name: string, kubeconfig: pulumi.Input<string>, opts?: pulumi.ResourceOptions): k8s.Provider {
    return new k8s.Provider(name, { kubeconfig, enableServerSideApply: false, deleteUnreachable: false }, opts);
}
