/** The local target: the same service, Postgres and Redis on the local Docker engine. */
export { App, AppArgs } from "./app";
export { Postgres, PostgresArgs } from "./postgres";
export { Redis, RedisArgs } from "./redis";
export { PINNED_IMAGES, POSTGRES_IMAGE, REDIS_IMAGE, PinnedImage, isPinnedByDigest } from "./images";
export * from "./wiring";
