/** RDS and ElastiCache decisions: cache node sizes, final snapshot names. */

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
