/**
 * EKS per tier, as plain data (components/aws/eks.ts builds it). Dependency-free.
 *
 * Compute: a managed node group on every tier. Fargate profiles cannot run Pod Identity, NetworkPolicy
 * enforcement or the Secrets Store CSI driver (DaemonSets), which the workload needs; Auto Mode picks
 * instances itself and adds a per-instance management fee, so its cost cannot be stated before it runs.
 * A managed node group of a fixed instance type is priced exactly, and the HPA's ceiling is what fits on it.
 *
 * Sources (checked against terraform-provider-aws `internal/service/eks/cluster.go`, `node_group.go`,
 * `addon.go`, `pod_identity_association.go`, `access_entry.go` and pulumi-aws's `eks` types):
 * - Control-plane log types api, audit, authenticator, controllerManager, scheduler (EKS "Control plane logs");
 *   the log group is /aws/eks/<cluster>/cluster: created here first, with retention, so EKS does not make one that never expires.
 * - Standard support is $0.10 per cluster-hour; a version in extended support costs $0.60 (EKS pricing):
 *   `upgradePolicy.supportType = STANDARD` makes EKS upgrade instead.
 * - Access entries need `authenticationMode` API or API_AND_CONFIG_MAP; access policies can be scoped to namespaces.
 * - Pod Identity roles trust `pods.eks.amazonaws.com` with sts:AssumeRole and sts:TagSession (EKS "Pod Identity").
 * - The VPC CNI enforces NetworkPolicy when its add-on sets `enableNetworkPolicy` (EKS "Network policies").
 */
import type { KubernetesTierSettings } from "../profile";

export interface EksClusterPlan {
    /** Kubernetes version, pinned: a change is an upgrade the user asks for. */
    readonly version: string;
    readonly instanceType: string;
    readonly vcpus: number;
    readonly memoryMiB: number;
    /** Fixed node count (no cluster autoscaler): one per availability zone from staging up. */
    readonly nodes: number;
    /** API server endpoint: private access for the nodes always; the public endpoint (IAM-authenticated) for CI. */
    readonly endpointPublicAccess: boolean;
    readonly logTypes: readonly string[];
    readonly logRetentionDays: number;
}

/**
 * The Kubernetes version Runway plans new clusters with: the newest EKS version whose standard support
 * is verified (1.35: released 2026-01-28, standard support until 2027-03-27; 1.34's ended 2026-12-02,
 * so a new 1.34 cluster would start in extended support). rules/aws/eksInputs.ts `eks-version-support`
 * says on every plan when a pinned version has left standard support.
 */
export const EKS_VERSION = "1.35";

/** The cluster of a tier's Kubernetes settings and its AWS log retention (rules/profile.ts). */
export function eksClusterPlan(tier: Pick<KubernetesTierSettings, "eksNodes" | "eksLogTypes">, logRetentionDays: number): EksClusterPlan {
    const n = tier.eksNodes;
    return {
        version: EKS_VERSION,
        instanceType: n.instanceType,
        vcpus: n.vcpus,
        memoryMiB: n.memoryMiB,
        nodes: n.count,
        endpointPublicAccess: true,
        logTypes: tier.eksLogTypes,
        logRetentionDays,
    };
}

/** What system pods (CNI, kube-proxy, CoreDNS, Pod Identity agent, CSI driver) and the kubelet keep per node. */
export const SYSTEM_RESERVE = { millicores: 500, memoryMiB: 1024 } as const;

/** How many pods of `millicores`/`memoryMiB` fit on the node group: the HPA's ceiling on EKS. */
export function podsThatFit(plan: EksClusterPlan, millicores: number, memoryMiB: number): number {
    const perNode = Math.min(
        Math.floor((plan.vcpus * 1000 - SYSTEM_RESERVE.millicores) / millicores),
        Math.floor((plan.memoryMiB - SYSTEM_RESERVE.memoryMiB) / memoryMiB),
    );
    return Math.max(0, perNode) * plan.nodes;
}

/** The cluster VPC's range (aws.Network's default, stated so the pods' ingress allow can name it). */
export const EKS_VPC_CIDR = "10.0.0.0/16";

/** Problems when the tier's pods do not fit the node group (they would stay Pending), naming the key to change. */
export function eksFitProblems(
    plan: EksClusterPlan,
    millicores: number,
    memoryMiB: number,
    minReplicas: number,
): { key: string; value: unknown; allowed: string }[] {
    const cpuRoom = plan.vcpus * 1000 - SYSTEM_RESERVE.millicores;
    const memoryRoom = plan.memoryMiB - SYSTEM_RESERVE.memoryMiB;
    if (millicores > cpuRoom)
        return [
            {
                key: "runway:cpu",
                value: `${millicores}m`,
                allowed: `at most ${cpuRoom}m: a ${plan.instanceType} node keeps ${SYSTEM_RESERVE.millicores}m for the system`,
            },
        ];
    if (memoryMiB > memoryRoom)
        return [
            {
                key: "runway:memory",
                value: `${memoryMiB}Mi`,
                allowed: `at most ${memoryRoom}Mi: a ${plan.instanceType} node keeps ${SYSTEM_RESERVE.memoryMiB}Mi for the system`,
            },
        ];
    const fit = podsThatFit(plan, millicores, memoryMiB);
    return fit >= minReplicas
        ? []
        : [
              {
                  key: "runway:minInstances",
                  value: minReplicas,
                  allowed: `at most ${fit}: ${fit} fit on ${plan.nodes} × ${plan.instanceType}`,
              },
          ];
}

/** The fixed NodePort the Pulumi-owned load balancer targets on every node. */
export const EKS_NODE_PORT = 30080;

/**
 * Managed add-ons, each pinned to the version EKS names default for the cluster's Kubernetes version.
 * The last mounts Secrets Manager / Parameter Store values as files through Pod Identity (the Secrets
 * Store CSI driver with the AWS provider, an EKS add-on since 2025-11: aws.amazon.com/about-aws/whats-new/2025/11/).
 */
export const EKS_ADDONS = ["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "aws-secrets-store-csi-driver-provider"] as const;

/** The VPC CNI's configuration: NetworkPolicy enforcement on. */
export const VPC_CNI_CONFIGURATION = JSON.stringify({ enableNetworkPolicy: "true" });
