/**
 * Managed data reachable from a Kubernetes stack's pods: which ports the namespace's default-deny
 * NetworkPolicy opens to private addresses. The URLs reach the pods as files like every secret.
 * Dependency-free.
 *
 * Ports (what the data components build):
 * - Cloud SQL for PostgreSQL and RDS for PostgreSQL listen on 5432.
 * - Memorystore for Redis with in-transit encryption (SERVER_AUTHENTICATION) serves TLS on 6378, not
 *   6379 (cloud.google.com/memorystore/docs/redis/connect-redis-instance-tls: the Stunnel example connects
 *   to <ip>:6378; the instance's `port` output says the same at run time and goes into REDIS_URL).
 * - ElastiCache for Valkey on the port its replication group sets: 6379 (components/aws/cache.ts).
 */

/** The managed data a stack asked for. */
export interface ManagedData {
    readonly database: boolean;
    readonly cache: boolean;
}

export const DATA_PORTS = {
    gcp: { database: 5432, cache: 6378 },
    aws: { database: 5432, cache: 6379 },
} as const;

/** The TCP ports the pods may open to private addresses for `data` on `cloud`, ascending. */
export function managedDataPorts(cloud: keyof typeof DATA_PORTS, data: ManagedData): number[] {
    const ports = [...(data.database ? [DATA_PORTS[cloud].database] : []), ...(data.cache ? [DATA_PORTS[cloud].cache] : [])];
    return [...new Set(ports)].sort((a, b) => a - b);
}
