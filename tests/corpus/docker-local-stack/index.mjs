import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const password = config.requireSecret("postgresPassword");

const network = new docker.Network("app-net", { name: "app-net" });
const data = new docker.Volume("pg-data", { name: "pg-data" });

const postgresImage = new docker.RemoteImage("postgres", { name: "postgres:16-alpine", keepLocally: true });
const redisImage = new docker.RemoteImage("redis", { name: "redis:7-alpine", keepLocally: true });

const db = new docker.Container("db", {
    image: postgresImage.imageId,
    envs: [pulumi.interpolate`POSTGRES_PASSWORD=${password}`],
    volumes: [{ volumeName: data.name, containerPath: "/var/lib/postgresql/data" }],
    networksAdvanced: [{ name: network.name, aliases: ["db"] }],
});
const cache = new docker.Container("cache", {
    image: redisImage.imageId,
    networksAdvanced: [{ name: network.name, aliases: ["cache"] }],
});

new docker.Container("app", {
    image: "ghcr.io/acme/api:latest",
    ports: [{ internal: 8080, external: 8080 }],
    envs: [pulumi.interpolate`DATABASE_URL=postgres://postgres:${password}@db:5432/postgres`, "REDIS_URL=redis://cache:6379"],
    networksAdvanced: [{ name: network.name }],
}, { dependsOn: [db, cache] });

export const appUrl = "http://localhost:8080";
