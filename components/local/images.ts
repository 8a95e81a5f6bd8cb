/**
 * Official images the local target runs, pinned by the digest of their multi-platform index (so
 * the same bytes on amd64 and arm64 machines). Bump tag, digest and source together.
 * Source: docker-library/repo-info, `repos/<image>/remote/<tag>.md` at the commit named below.
 */
export interface PinnedImage {
    /** `name:tag@sha256:<digest>`: the reference a container runs. */
    readonly ref: string;
    /** Upstream version inside the image. */
    readonly version: string;
    /** Where the digest was read. */
    readonly source: string;
    /** Numeric user:group the image's own entrypoint switches to; the container starts as it directly. */
    readonly user: string;
}

export const POSTGRES_IMAGE: PinnedImage = {
    ref: "postgres:16-alpine@sha256:721873c34ceb9f8d8fc265984940dc982404c105f19ad51be9fdc5970a6080ea",
    version: "PostgreSQL 16.15 (Alpine 3.24), the major version of runway:databaseVersion's default",
    source: "https://github.com/docker-library/repo-info/blob/14ad5cc17dd0e9a01079feefc7a59c24536f5291/repos/postgres/remote/16-alpine.md",
    // `adduser -u 70 ... postgres` in the image; PGDATA is owned by it, so initdb runs without root.
    user: "70:70",
};

export const REDIS_IMAGE: PinnedImage = {
    ref: "redis:7.2-alpine@sha256:ccd6aa8d45ff3f033d6fa15b8cc1a50579f65c89f38cf9bb607a954c4f2128ed",
    version: "Redis 7.2.16 (Alpine 3.21), the version Memorystore runs for runway:cache=managed",
    source: "https://github.com/docker-library/repo-info/blob/1742085aa3304e996a45e00271d6b8308029b6e3/repos/redis/remote/7.2-alpine.md",
    // `addgroup -g 1000 redis; adduser -u 999 redis` in the image; /data is owned by it.
    user: "999:1000",
};

/** The images above, for checks over all of them. */
export const PINNED_IMAGES: readonly PinnedImage[] = [POSTGRES_IMAGE, REDIS_IMAGE];

/** True when `ref` names an image by digest (`...@sha256:<64 hex>`). */
export function isPinnedByDigest(ref: string): boolean {
    return /@sha256:[a-f0-9]{64}$/.test(ref);
}
