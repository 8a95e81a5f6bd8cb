/** What a pricing function returns and reads: shared by the estimator and the per-type pricers. */
import type { PricedResource } from "./estimate";
import type { Usage } from "./usage";

/** One priced dimension of a resource, before its price is looked up. */
export interface Draft {
    readonly dimension: string;
    readonly priceKey: string;
    /** Quantity in the price's unit. */
    readonly quantity: number;
}

/** Prices one resource type: its dimensions at the stated usage. */
export type Pricer = (r: PricedResource, usage: Usage, counts: Counts) => Draft[];

/** Stack-wide counts some pricers share usage over (e.g. secret accesses across secrets). */
export interface Counts {
    readonly secretVersions: number;
    /** NAT gateways in the stack: egress is shared between them, not paid once per gateway. */
    readonly natGateways: number;
    /** ECS task definition family → CPU units and memory MiB (an ECS service's tasks are priced by them). */
    readonly taskShapes: ReadonlyMap<string, { cpu: number; memory: number }>;
    /** Global forwarding rules: the first five share one flat hourly fee. */
    readonly globalForwardingRules: number;
    /** CloudWatch log groups: the stack's logs are shared between them. */
    readonly logGroups: number;
    /** Kubernetes Deployments and StatefulSets in the stack: on Autopilot their Pods are priced themselves. @default 0 */
    readonly kubernetesWorkloads?: number;
}

/** A number from a number or numeric string, else the fallback. */
export function num(v: unknown, fallback: number): number {
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
    return Number.isFinite(n) ? n : fallback;
}

/** "1", "2", "1000m" → vCPUs. */
export function cpuOf(value: unknown, fallback = 1): number {
    const s = String(value ?? "").trim();
    if (/^\d+m$/.test(s)) return Number(s.slice(0, -1)) / 1000;
    return num(s, fallback);
}

/** "512Mi", "1Gi", "2G", "512M" → GiB. */
export function gibOf(value: unknown, fallbackGiB = 0.5): number {
    const m = /^(\d+(?:\.\d+)?)(Mi|Gi|M|G)?$/.exec(String(value ?? "").trim());
    if (!m) return fallbackGiB;
    const n = Number(m[1]);
    switch (m[2]) {
        case "Gi":
            return n;
        case "G":
            return (n * 1e9) / 2 ** 30;
        case "M":
            return (n * 1e6) / 2 ** 30;
        case "Mi":
            return n / 1024;
        default:
            return n / 2 ** 30; // bytes
    }
}
