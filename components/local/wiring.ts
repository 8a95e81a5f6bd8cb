/**
 * Pure decisions of the local target: names on the Docker engine, loopback-only ports, health
 * checks, connection URLs and the app image's content tag. The components only create resources.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Host address every published port binds to: nothing on the LAN can reach the containers. */
export const LOOPBACK = "127.0.0.1";

/** Where secret files are written inside a container (never in its env or command line). */
export const SECRETS_DIR = "/run/secrets";

export { SECRET_ENV_LABEL } from "../../rules/secretLike";

/** A port published on the loopback address only. */
export function loopbackPort(internal: number, external = internal): { internal: number; external: number; ip: string; protocol: string } {
    return { internal, external, ip: LOOPBACK, protocol: "tcp" };
}

/** A Docker object name (containers, volumes, networks are unique per engine): lowercase, [a-z0-9_.-]. */
export function engineName(...parts: string[]): string {
    return parts
        .join("-")
        .toLowerCase()
        .replace(/[^a-z0-9_.-]+/g, "-")
        .replace(/-+/g, "-")
        .replace(/^[-.]+|[-.]+$/g, "")
        .slice(0, 63);
}

export interface Healthcheck {
    tests: string[];
    interval: string;
    timeout: string;
    retries: number;
    startPeriod: string;
}

/** Docker health check: a command, checked every 10 s, unhealthy after 5 failures. */
export function healthcheck(tests: string[], startPeriod = "10s"): Healthcheck {
    return { tests, interval: "10s", timeout: "5s", retries: 5, startPeriod };
}

/** Postgres is healthy once it accepts connections to the app database. */
export function postgresHealthcheck(user: string, database: string): Healthcheck {
    return healthcheck(["CMD", "pg_isready", "-h", "127.0.0.1", "-U", user, "-d", database]);
}

/** Redis is healthy once it answers PING with the password read from its config file. */
export function redisHealthcheck(configFile: string): Healthcheck {
    return healthcheck(["CMD-SHELL", `redis-cli --no-auth-warning -a "$(sed -n 's/^requirepass //p' ${configFile})" ping | grep -q PONG`]);
}

/** The app is healthy when its health path answers 200 (Node is in the image; no curl needed). */
export function appHealthcheck(port: number, healthPath: string): Healthcheck {
    const probe = `require('http').get('http://127.0.0.1:${port}${healthPath}',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))`;
    return healthcheck(["CMD", "node", "-e", probe], "15s");
}

/** `postgresql://user:password@host:port/db?sslmode=disable`: the same variable the cloud tiers set. */
export function postgresUrl(user: string, password: string, host: string, port: number, database: string): string {
    return `postgresql://${user}:${encodeURIComponent(password)}@${host}:${port}/${database}?sslmode=disable`;
}

/** `redis://:password@host:port`: plain TCP on the private Docker network (Memorystore uses rediss://). */
export function redisUrl(password: string, host: string, port: number): string {
    return `redis://:${encodeURIComponent(password)}@${host}:${port}`;
}

/** The Redis config file: a password and append-only persistence into the named volume. */
export function redisConfig(password: string): string {
    return [`requirepass ${password}`, "appendonly yes", "dir /data", "protected-mode yes", "bind 0.0.0.0", ""].join("\n");
}

/** `NAME=value` entries for Docker's `envs`, sorted by name so the container diff is stable. */
export function envList(env: Readonly<Record<string, string>>): string[] {
    return Object.keys(env)
        .sort()
        .map((name) => `${name}=${env[name]}`);
}

const SKIPPED = new Set(["node_modules", ".git"]);

/**
 * A short content hash of the build: every file under `context` (but node_modules and .git),
 * plus the Dockerfile and target. Used as the local image tag, so a changed source gives a new
 * tag, a new image and a replaced app container, and nothing else.
 */
export function buildHash(context: string, dockerfile: string, target = ""): string {
    const hash = createHash("sha256");
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            if (SKIPPED.has(entry.name)) continue;
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (entry.isFile())
                hash.update(`${path.relative(context, full)}\0`)
                    .update(fs.readFileSync(full))
                    .update("\0");
        }
    };
    walk(context);
    hash.update(`dockerfile:${dockerfile}\0`)
        .update(fs.existsSync(dockerfile) ? fs.readFileSync(dockerfile) : "")
        .update(`target:${target}`);
    return hash.digest("hex").slice(0, 12);
}
