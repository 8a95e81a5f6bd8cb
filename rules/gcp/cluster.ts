/**
 * GKE Autopilot per tier, as plain data (components/gcp/cluster.ts builds it). Dependency-free.
 *
 * Sources (checked against magic-modules `mmv1/third_party/terraform/services/container/resource_container_cluster.go.tmpl`
 * and pulumi-gcp's `container/cluster` types):
 * - Autopilot clusters are regional (`location` = a region); Workload Identity, Dataplane V2 (ADVANCED_DATAPATH)
 *   and Shielded nodes are always on (cloud.google.com/kubernetes-engine/docs/resources/autopilot-standard-feature-comparison).
 * - Release channels RAPID / REGULAR / STABLE / EXTENDED (pulumi-gcp `ClusterReleaseChannel`).
 * - Maintenance windows must allow at least 48 hours in any 32-day window (cloud.google.com/kubernetes-engine/docs/concepts/maintenance-windows-and-exclusions).
 * - Fee: $0.10 per cluster-hour; the GKE free tier credits $74.40 a month per billing account, which covers
 *   one Autopilot (or zonal) cluster's fee (cloud.google.com/kubernetes-engine/pricing#cluster_management_fee_and_free_tier).
 */

import type { KubernetesTierSettings } from "../profile";

export interface GkeClusterPlan {
    readonly releaseChannel: "REGULAR" | "STABLE";
    /** Nodes without external IPs; egress through Cloud NAT. */
    readonly privateNodes: boolean;
    /** Weekly window (RFC 5545 RRULE) and its daily span in UTC. */
    readonly maintenance: { readonly startTime: string; readonly endTime: string; readonly recurrence: string };
}

/** Weekend nights, 6 hours each: 12 hours a week, well above GKE's 48 hours per 32 days. */
const WEEKEND_WINDOW = { startTime: "2026-01-03T02:00:00Z", endTime: "2026-01-03T08:00:00Z", recurrence: "FREQ=WEEKLY;BYDAY=SA,SU" };

/** The cluster of a tier's Kubernetes settings (rules/profile.ts `kubernetes`). */
export function gkeClusterPlan(tier: Pick<KubernetesTierSettings, "releaseChannel" | "privateNodes">): GkeClusterPlan {
    return { releaseChannel: tier.releaseChannel, privateNodes: tier.privateNodes, maintenance: WEEKEND_WINDOW };
}

const DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/**
 * Hours a recurring maintenance window is open in the worst 32-day rolling window, counting only
 * occurrences of at least 4 contiguous hours (GKE refuses fewer than 48: "You must allow at least 48
 * hours of maintenance availability in a 32-day rolling window. Only contiguous availability windows
 * of at least four hours are considered", cloud.google.com/kubernetes-engine/docs/how-to/maintenance-window).
 * A weekly window is judged on its worst 32 days (4 weeks and the 4 days holding fewest of its days).
 * Undefined when the recurrence is not DAILY or WEEKLY (not judged).
 */
export function maintenanceHoursPer32Days(window: GkeClusterPlan["maintenance"]): number | undefined {
    const hours = (Date.parse(window.endTime) - Date.parse(window.startTime)) / 3_600_000;
    if (!(hours > 0)) return 0;
    const counted = hours >= 4 ? hours : 0;
    const rule = Object.fromEntries(
        window.recurrence
            .replace(/^RRULE:/, "")
            .split(";")
            .map((p) => p.split("=")),
    );
    if (rule.FREQ === "DAILY" && !rule.BYDAY) return 32 * counted;
    if (rule.FREQ !== "WEEKLY") return undefined;
    const days = rule.BYDAY ? String(rule.BYDAY).split(",") : [DAYS[new Date(window.startTime).getUTCDay()]];
    const fewestIn4Days = Math.min(...DAYS.map((_, start) => [0, 1, 2, 3].filter((i) => days.includes(DAYS[(start + i) % 7])).length));
    return (4 * days.length + fewestIn4Days) * counted;
}

/**
 * Cluster fields the provider refuses with `enable_autopilot` (magic-modules
 * `resource_container_cluster.go.tmpl`: `ConflictsWith: []string{"enable_autopilot"}`), as pulumi-gcp input paths.
 */
export const AUTOPILOT_CONFLICTS = [
    "addonsConfig.networkPolicyConfig",
    "addonsConfig.dnsCacheConfig",
    "addonsConfig.statefulHaConfig",
    "clusterAutoscaling.enabled",
    "clusterAutoscaling.resourceLimits",
    "enableShieldedNodes",
    "networkPolicy",
    "removeDefaultNodePool",
    "defaultMaxPodsPerNode",
    "enableIntranodeVisibility",
    "binaryAuthorization.enabled",
    "nodePools",
] as const;

/** The cluster's own VPC: nodes, then the pod and service secondary ranges (VPC-native, required by Autopilot). */
export const GKE_RANGES = { nodes: "10.10.0.0/20", pods: "10.64.0.0/14", services: "10.68.0.0/20" } as const;

/** The Workload Identity pool of a project, and the member a Kubernetes service account acts as. */
export function workloadPool(project: string): string {
    return `${project}.svc.id.goog`;
}
export function kubernetesServiceAccountMember(project: string, namespace: string, serviceAccount: string): string {
    return `serviceAccount:${workloadPool(project)}[${namespace}/${serviceAccount}]`;
}
