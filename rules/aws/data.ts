/** RDS and ElastiCache decisions: cache node sizes, final snapshot names. */
import type { Problem } from "../problems";

/** ElastiCache (Valkey) node types by memory in GiB, smallest first: https://aws.amazon.com/elasticache/pricing/ */
export const CACHE_NODE_TYPES: readonly (readonly [string, number])[] = [
    ["cache.t4g.micro", 0.5],
    ["cache.t4g.small", 1.37],
    ["cache.t4g.medium", 3.09],
    ["cache.r7g.large", 13.07],
    ["cache.r7g.xlarge", 26.32],
    ["cache.r7g.2xlarge", 52.82],
    ["cache.r7g.4xlarge", 105.81],
    ["cache.r7g.8xlarge", 209.55],
    ["cache.r7g.12xlarge", 317.77],
];

/** The smallest node type holding `sizeGb` (runway:cacheSizeGb), or undefined above the largest. */
export function cacheNodeType(sizeGb: number): string | undefined {
    return CACHE_NODE_TYPES.find(([, gib]) => gib >= sizeGb)?.[0];
}

/** A final snapshot name unique per database incarnation (`suffix` is regenerated when the database is replaced). */
export function finalSnapshotIdentifier(name: string, suffix: string): string {
    return `${name}-final-${suffix}`
        .replace(/[^a-zA-Z0-9-]/g, "-")
        .replace(/-+/g, "-")
        .slice(0, 255);
}

/**
 * RDS storage autoscaling runs only with a maximum storage threshold (MaxAllocatedStorage): without one a
 * full disk stops writes (`storage-full`). The threshold must be at least 10% above the allocated storage
 * ("Invalid max storage size" otherwise) and at most 65,536 GiB for PostgreSQL on gp3.
 * Source: docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html (read 2026-12).
 */
export const RDS_STORAGE_LIMITS = { defaultFactor: 10, minAbovePercent: 10, maxGb: 65_536 } as const;

/** The autoscaling ceiling: the one asked for, else 10× the allocated storage (capped at RDS's maximum). */
export function rdsMaxStorageGb(allocatedGb: number, requestedGb?: number): number {
    return requestedGb ?? Math.min(RDS_STORAGE_LIMITS.maxGb, allocatedGb * RDS_STORAGE_LIMITS.defaultFactor);
}

/** A ceiling RDS refuses: under 10% above the allocated storage, or above 65,536 GB. */
export function rdsMaxStorageProblems(allocatedGb: number, maxGb: number, key: string): Problem[] {
    // Integer arithmetic: 100 GB allows 110 (1.1 × 100 is 110.00000000000001 in floating point).
    const least = Math.ceil((allocatedGb * (100 + RDS_STORAGE_LIMITS.minAbovePercent)) / 100);
    if (Number.isInteger(maxGb) && maxGb >= least && maxGb <= RDS_STORAGE_LIMITS.maxGb) return [];
    return [
        {
            key,
            value: maxGb,
            allowed: `${least}-${RDS_STORAGE_LIMITS.maxGb} GB: RDS storage autoscaling needs a ceiling at least 10% above the allocated ${allocatedGb} GB`,
        },
    ];
}
