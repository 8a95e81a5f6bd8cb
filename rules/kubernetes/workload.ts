/**
 * The Kubernetes workload as plain data: what `components/kubernetes/workload.ts` builds, decided
 * here so each rule is a tested function. Dependency-free.
 *
 * Sources (checked against pulumi/pulumi-kubernetes's generated types and the Kubernetes API reference):
 * - Pod security: kubernetes.io/docs/concepts/security/pod-security-standards ("restricted": runAsNonRoot,
 *   allowPrivilegeEscalation false, capabilities drop ALL, seccompProfile RuntimeDefault).
 * - Autopilot resource rules: cloud.google.com/kubernetes-engine/docs/concepts/autopilot-resource-requests
 *   (general-purpose: at least 250m CPU and 512 MiB, a CPU:memory ratio between 1:1 and 1:6.5 vCPU:GiB;
 *   Autopilot raises what is below, which would show as drift, so Runway asks for the raised values).
 * - HPA autoscaling/v2 (minReplicas ≥ 1: Kubernetes has no scale to zero without extra components),
 *   PodDisruptionBudget policy/v1 (`unhealthyPodEvictionPolicy: AlwaysAllow`, GA in 1.31),
 *   NetworkPolicy networking.k8s.io/v1.
 */

/** Where the cluster runs: the allows a default-deny namespace needs differ by cloud. */
export type KubernetesHost = "gke" | "eks";

/** What the workload needs decided: all explicit values, resolved from config by the caller. */
export interface WorkloadInput {
    readonly host: KubernetesHost;
    /** Namespace, Deployment, ServiceAccount and Service name (the service's name). */
    readonly name: string;
    readonly port: number;
    readonly healthPath: string;
    /** CPU request as a Kubernetes quantity ("1", "500m"). */
    readonly cpu: string;
    /** Memory request as a Kubernetes quantity ("512Mi", "1Gi"). */
    readonly memory: string;
    readonly minReplicas: number;
    readonly maxReplicas: number;
    /** CIDRs the load balancer reaches the pods from (its proxies / health checks, or the VPC). */
    readonly loadBalancerCidrs: readonly string[];
    /** Ports of managed data the service connects to (private addresses), e.g. 5432, 6378. */
    readonly dataPorts: readonly number[];
    /** GKE: the hostname of the Ingress's Google-managed certificate. @default none */
    readonly domain?: string;
}

/** The UID and GID Runway's Dockerfile switches to (`USER 10001:10001`); used when the image sets none. */
export const NON_ROOT_UID = 10001;

/** Where mounted secrets appear in the container (one file per secret, named by its env name). */
/** The name of the service's one container (the deploy job sets its image by this name). */
export const CONTAINER_NAME = "app";

export const SECRETS_DIR = "/var/run/secrets/runway";

/** Pod-level security context: non-root, the runtime's default seccomp profile (PSS "restricted"). */
export function podSecurityContext() {
    return {
        runAsNonRoot: true,
        runAsUser: NON_ROOT_UID,
        runAsGroup: NON_ROOT_UID,
        fsGroup: NON_ROOT_UID,
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** Container-level security context (PSS "restricted" plus a read-only root filesystem). */
export function containerSecurityContext() {
    return {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
    };
}

/** A Kubernetes CPU quantity in millicores; NaN when it is not one. */
export function millicores(q: string): number {
    const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q.trim());
    if (!m) return NaN;
    return m[2] === "m" ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
}

const MEMORY_UNITS: Record<string, number> = {
    Ki: 1 / 1024,
    Mi: 1,
    Gi: 1024,
    Ti: 1024 * 1024,
    k: 1e3 / 2 ** 20,
    M: 1e6 / 2 ** 20,
    G: 1e9 / 2 ** 20,
};

/** A Kubernetes memory quantity in MiB; NaN when it is not one. */
export function mebibytes(q: string): number {
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G)?$/.exec(q.trim());
    if (!m) return NaN;
    return m[2] === undefined ? Number(m[1]) / 2 ** 20 : Number(m[1]) * MEMORY_UNITS[m[2]];
}

/** Autopilot general-purpose limits (see the header's source). */
export const AUTOPILOT = { minMillicores: 250, minMiB: 512, minGiBPerCpu: 1, maxGiBPerCpu: 6.5 } as const;

/**
 * Requests = limits for the container (Guaranteed QoS: Autopilot bills requests, and equal limits
 * keep one noisy pod from starving its neighbours on EKS nodes). On GKE Autopilot the values are
 * raised to Autopilot's minimums and ratio, so what is planned is what runs and is billed.
 */
export function containerResources(host: KubernetesHost, cpu: string, memory: string) {
    let mc = millicores(cpu);
    let mib = mebibytes(memory);
    if (!(mc > 0)) throw new Error(`CPU "${cpu}" is not a Kubernetes quantity such as "1" or "500m"`);
    if (!(mib > 0)) throw new Error(`memory "${memory}" is not a Kubernetes quantity such as "512Mi" or "1Gi"`);
    if (host === "gke") {
        mc = Math.max(mc, AUTOPILOT.minMillicores);
        mib = Math.max(mib, AUTOPILOT.minMiB, Math.ceil((mc / 1000) * AUTOPILOT.minGiBPerCpu * 1024));
        mc = Math.max(mc, Math.ceil((mib / 1024 / AUTOPILOT.maxGiBPerCpu) * 1000));
    }
    const quantities = { cpu: `${Math.ceil(mc)}m`, memory: `${Math.ceil(mib)}Mi` };
    return { requests: quantities, limits: quantities };
}

/** Readiness (traffic), liveness (restart) and startup (slow first start) probes on the health path. */
export function probes(port: number, healthPath: string) {
    const httpGet = { path: healthPath, port };
    return {
        startupProbe: { httpGet, periodSeconds: 2, failureThreshold: 60 },
        readinessProbe: { httpGet, periodSeconds: 5, failureThreshold: 2 },
        livenessProbe: { httpGet, periodSeconds: 10, failureThreshold: 6, timeoutSeconds: 5 },
    };
}

/** Replica bounds: at least the tier's `minPods` (≥ 1: no scale to zero), never a maximum below the minimum. */
export function replicas(min: number, max: number, minPods: number): { min: number; max: number } {
    const lower = Math.max(min, minPods, 1);
    return { min: lower, max: Math.max(lower, max) };
}

/** HPA spec (autoscaling/v2): scale on CPU use against the request. */
export function autoscalerSpec(name: string, min: number, max: number) {
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        minReplicas: min,
        maxReplicas: max,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    };
}

/**
 * PDB spec: at most one pod evicted at a time. `maxUnavailable: 1` never blocks a node drain (a
 * `minAvailable` equal to the replica count would stall cluster upgrades), and not-ready pods may
 * always be evicted.
 */
export function disruptionBudgetSpec(labels: Record<string, string>) {
    return { maxUnavailable: 1, selector: { matchLabels: labels }, unhealthyPodEvictionPolicy: "AlwaysAllow" };
}

/** Link-local endpoints the pod's cloud identity is served from. */
const IDENTITY_ENDPOINTS: Record<KubernetesHost, { cidr: string; port: number; why: string }[]> = {
    // GKE Workload Identity: the GKE metadata server (169.254.169.254:80, and :988 on Dataplane V2).
    gke: [
        { cidr: "169.254.169.254/32", port: 80, why: "GKE metadata server (Workload Identity tokens)" },
        { cidr: "169.254.169.252/32", port: 988, why: "GKE metadata server on Dataplane V2" },
    ],
    // EKS Pod Identity agent (docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html: 169.254.170.23:80).
    eks: [{ cidr: "169.254.170.23/32", port: 80, why: "EKS Pod Identity agent" }],
};

/** Child role (keyed by value) → NetworkPolicy spec (networking.k8s.io/v1). */
export type NetworkPolicyPlan = Record<
    string,
    { podSelector: { matchLabels?: Record<string, string> }; policyTypes: string[]; ingress?: unknown[]; egress?: unknown[] }
>;

/**
 * Default deny in both directions for the namespace, then the allows the service needs: ingress on
 * its port from the load balancer; egress to DNS, to the cloud identity endpoint, to HTTPS (cloud
 * APIs: Secret Manager / Secrets Manager, logging) and to its managed data's ports on private ranges.
 */
export function networkPolicies(input: WorkloadInput, labels: Record<string, string>): NetworkPolicyPlan {
    const pods = { matchLabels: labels };
    const tcp = (port: number) => ({ protocol: "TCP", port });
    const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
    return {
        "default-deny": { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        "allow-load-balancer": {
            podSelector: pods,
            policyTypes: ["Ingress"],
            ingress: [{ from: input.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(input.port)] }],
        },
        "allow-egress": {
            podSelector: pods,
            policyTypes: ["Egress"],
            egress: [
                { ports: [{ protocol: "UDP", port: 53 }, tcp(53)] },
                ...IDENTITY_ENDPOINTS[input.host].map((e) => ({ to: [{ ipBlock: { cidr: e.cidr } }], ports: [tcp(e.port)] })),
                { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(443)] },
                ...(input.dataPorts.length > 0
                    ? [{ to: privateRanges.map((cidr) => ({ ipBlock: { cidr } })), ports: input.dataPorts.map(tcp) }]
                    : []),
            ],
        },
    };
}

/**
 * Google front ends and health checkers reach the pods of a GKE Ingress (container-native load
 * balancing) from these ranges (cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges).
 */
export const GOOGLE_LOAD_BALANCER_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;

/** Problems with the workload input, as key/value/allowed, before anything is built. */
export function workloadProblems(input: WorkloadInput): { key: string; value: unknown; allowed: string }[] {
    const problems: { key: string; value: unknown; allowed: string }[] = [];
    // A DNS-1123 label: namespaces, Deployments and Services are named by it.
    if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(input.name))
        problems.push({
            key: "runway:serviceName",
            value: input.name,
            allowed: "a DNS label: lowercase letters, digits and hyphens, at most 63",
        });
    if (!(millicores(input.cpu) > 0))
        problems.push({ key: "runway:cpu", value: input.cpu, allowed: 'a Kubernetes CPU quantity such as "1" or "500m"' });
    if (!(mebibytes(input.memory) > 0))
        problems.push({ key: "runway:memory", value: input.memory, allowed: 'a Kubernetes memory quantity such as "512Mi" or "1Gi"' });
    if (!input.healthPath.startsWith("/"))
        problems.push({ key: "runway:healthPath", value: input.healthPath, allowed: "a path starting with /" });
    // GKE's ManagedCertificate: non-wildcard domains of at most 63 characters
    // (cloud.google.com/kubernetes-engine/docs/how-to/managed-certs, limitations).
    if (input.host === "gke" && input.domain !== undefined && (input.domain.length > 63 || input.domain.includes("*")))
        problems.push({
            key: "runway:domain",
            value: input.domain,
            allowed: "on GKE a hostname of at most 63 characters without a wildcard (a Google-managed certificate's limit)",
        });
    return problems;
}
