/**
 * Kubernetes objects in the estimate. Objects inside a cluster cost nothing by themselves; what they
 * make the cloud run does: on GKE Autopilot every Pod is billed by its requests (vCPU-hour, GiB-hour)
 * and a GKE Ingress makes a Google external Application Load Balancer (forwarding rule + data). On a
 * cluster with nodes (EKS, GKE Standard) Pods are paid through the nodes, which are priced themselves.
 *
 * Sources: cloud.google.com/kubernetes-engine/pricing (Autopilot: Pods billed for their resource
 * requests; default requests 500m vCPU / 2 GiB when a container sets none),
 * cloud.google.com/kubernetes-engine/docs/concepts/ingress (an Ingress of class gce is an external
 * Application Load Balancer), cloud.google.com/vpc/network-pricing#lb (forwarding rules, data processed).
 */
import type { PricedResource } from "./estimate";
import { cpuOf, Draft, gibOf, num, Pricer } from "./draft";
import { HOURS_PER_MONTH as HOURS } from "./prices";

/** The cluster a stack's Kubernetes objects run on, when the stack creates one. */
export interface KubernetesHost {
    readonly cloud: "gcp" | "aws";
    /** The cluster resource (its location prices what its objects make the cloud run). */
    readonly cluster: PricedResource;
    readonly autopilot: boolean;
}

/** The one cluster of the stack; undefined when it creates none (or several: which runs what is unknown). */
export function kubernetesHost(resources: readonly PricedResource[]): KubernetesHost | undefined {
    const clusters = resources.filter((r) => r.type === "gcp:container/cluster:Cluster" || r.type === "aws:eks/cluster:Cluster");
    if (clusters.length !== 1) return undefined;
    const [cluster] = clusters;
    return cluster.type.startsWith("gcp:")
        ? { cloud: "gcp", cluster, autopilot: cluster.props.enableAutopilot === true }
        : { cloud: "aws", cluster, autopilot: false };
}

/** Objects that never make a cloud bill by themselves (RBAC, policy, configuration, scaling rules, certificates). */
export const KUBERNETES_NO_DIRECT_COST: readonly RegExp[] = [
    /^kubernetes:core\/v1:(Namespace|ServiceAccount|ConfigMap|Secret|LimitRange|ResourceQuota)$/,
    /^kubernetes:rbac\.authorization\.k8s\.io\/v1:/,
    /^kubernetes:networking\.k8s\.io\/v1:NetworkPolicy$/,
    /^kubernetes:policy\/v1:PodDisruptionBudget$/,
    /^kubernetes:autoscaling\/v2:HorizontalPodAutoscaler$/,
    /^kubernetes:networking\.gke\.io\/v1:ManagedCertificate$/,
    /^kubernetes:secrets-store\.(gke\.io|csi\.x-k8s\.io)\/v1:SecretProviderClass$/,
    /^pulumi:providers:kubernetes$/,
];

/** A Service costs nothing unless it asks the cloud for a load balancer. */
export function serviceIsFree(r: PricedResource): boolean {
    return r.type === "kubernetes:core/v1:Service" && r.props.spec?.type !== "LoadBalancer";
}

const POD_SPEC: Record<string, (p: Record<string, any>) => Record<string, any> | undefined> = {
    "kubernetes:apps/v1:Deployment": (p) => p.spec?.template?.spec,
    "kubernetes:apps/v1:StatefulSet": (p) => p.spec?.template?.spec,
};

/** Autopilot's requests for a container that sets none (the pricing source above). */
const AUTOPILOT_DEFAULT = { cpu: 0.5, gib: 2 };

/** vCPU and GiB one Pod requests (requests, else limits, else Autopilot's default). */
export function podRequests(spec: Record<string, any> | undefined): { cpu: number; gib: number } {
    const containers: Record<string, any>[] = Array.isArray(spec?.containers) ? spec.containers : [];
    return containers.reduce<{ cpu: number; gib: number }>(
        (sum, c) => {
            const r = c.resources?.requests ?? c.resources?.limits ?? {};
            return {
                cpu: sum.cpu + (r.cpu !== undefined ? cpuOf(r.cpu, AUTOPILOT_DEFAULT.cpu) : AUTOPILOT_DEFAULT.cpu),
                gib: sum.gib + (r.memory !== undefined ? gibOf(r.memory, AUTOPILOT_DEFAULT.gib) : AUTOPILOT_DEFAULT.gib),
            };
        },
        { cpu: 0, gib: 0 },
    );
}

/** Pods a workload runs at the least: an HPA's minReplicas when one scales it, else its replicas (1 when unset). */
export function baselineReplicas(r: PricedResource, resources: readonly PricedResource[]): number {
    const name = r.props.metadata?.name;
    const namespace = r.props.metadata?.namespace;
    const hpa = resources.find(
        (h) =>
            h.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler" &&
            h.props.spec?.scaleTargetRef?.name === name &&
            h.props.metadata?.namespace === namespace,
    );
    return Math.max(1, num(hpa?.props.spec?.minReplicas, num(r.props.spec?.replicas, 1)));
}

/** Autopilot Pods of a Deployment or StatefulSet at its baseline replica count, all month. */
export function autopilotPods(resources: readonly PricedResource[]): Pricer {
    return (r) => {
        const pods = baselineReplicas(r, resources);
        const { cpu, gib } = podRequests(POD_SPEC[r.type]?.(r.props));
        return [
            {
                dimension: `${pods} Pod(s) × ${cpu} vCPU requested (Autopilot)`,
                priceKey: "gke.autopilot.cpu",
                quantity: pods * cpu * HOURS,
            },
            {
                dimension: `${pods} Pod(s) × ${Math.round(gib * 100) / 100} GiB requested`,
                priceKey: "gke.autopilot.memory",
                quantity: pods * gib * HOURS,
            },
        ];
    };
}

/** A GKE Ingress: its load balancer's forwarding rule(s) (HTTP and HTTPS unless HTTP is off) and the data it processes. */
export const gkeIngress: Pricer = (r, usage) => {
    const annotations = r.props.metadata?.annotations ?? {};
    const https = annotations["networking.gke.io/managed-certificates"] !== undefined || Array.isArray(r.props.spec?.tls);
    const rules = https && annotations["kubernetes.io/ingress.allow-http"] !== "false" ? 2 : 1;
    const drafts: Draft[] = [
        {
            dimension: `${rules} forwarding rule(s) of the Ingress's load balancer (first 5 flat)`,
            priceKey: "lb.rules.first5",
            quantity: HOURS,
        },
        {
            dimension: "inbound data processed (2 KiB per request)",
            priceKey: "lb.data.inbound",
            quantity: (usage.requestsPerMonth * 2) / 2 ** 20,
        },
        { dimension: `outbound data processed (${usage.egressGb} GB egress)`, priceKey: "lb.data.outbound", quantity: usage.egressGb },
    ];
    return drafts;
};

/** Pricers of Kubernetes types on a GKE Autopilot cluster. */
export function autopilotPricers(resources: readonly PricedResource[]): Record<string, Pricer> {
    const pods = autopilotPods(resources);
    return {
        "kubernetes:apps/v1:Deployment": pods,
        "kubernetes:apps/v1:StatefulSet": pods,
        "kubernetes:networking.k8s.io/v1:Ingress": gkeIngress,
    };
}

/** Pods on a cluster with nodes are paid through the nodes. */
export const NODE_BILLED = [
    /^kubernetes:apps\/v1:(Deployment|StatefulSet|DaemonSet|ReplicaSet)$/,
    /^kubernetes:batch\/v1:(Job|CronJob)$/,
    /^kubernetes:core\/v1:Pod$/,
];
