"use strict";
/**
 * Runway's example workload: a tiny HTTP service with no framework.
 * GET /health answers 200 while the process accepts work and 503 once it is shutting down;
 * GET /redis (when REDIS_URL is set) pings Redis over TLS verified with REDIS_CA_PEM;
 * SIGTERM (what Cloud Run and ECS send) stops accepting connections, lets in-flight requests
 * finish, then exits. On AWS Lambda (AWS_LAMBDA_RUNTIME_API set) it first loads its secrets from
 * SSM and then serves function URL invocations through the same HTTP server (lambda.js). On
 * Kubernetes (RUNWAY_SECRETS_DIR set) it reads its secrets from the files the Secrets Store CSI
 * driver mounts there, one per variable.
 */
const http = require("http");
const tls = require("tls");
const net = require("net");
const fs = require("fs");
const path = require("path");
const { loadSecrets, serveLambda, reportInitError } = require("./lambda");

/**
 * Secrets mounted as files (Kubernetes: the Secrets Store CSI driver, one file per variable under
 * RUNWAY_SECRETS_DIR), as env name → value. Names that are not variable names (the driver's own
 * dot-files and folders) are skipped; a missing directory fails the start, naming it.
 */
function loadSecretFiles(env = process.env) {
    const dir = env.RUNWAY_SECRETS_DIR;
    if (!dir) return {};
    const values = {};
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(entry.name) || entry.isDirectory()) continue;
        values[entry.name] = fs.readFileSync(path.join(dir, entry.name), "utf8");
    }
    return values;
}

/**
 * How to reach Redis from the environment Runway gives the service: REDIS_URL
 * (`rediss://:<auth>@<host>:<port>` for Memorystore with in-transit encryption) and REDIS_CA_PEM
 * (the instance's server CAs). TLS always verifies the server: against REDIS_CA_PEM when present,
 * else against the system CAs (which do not include Memorystore's own CA). Undefined without REDIS_URL.
 */
function redisOptions(env = process.env) {
    if (!env.REDIS_URL) return undefined;
    const url = new URL(env.REDIS_URL);
    if (url.protocol !== "redis:" && url.protocol !== "rediss:")
        throw new Error(`REDIS_URL: expected redis:// or rediss://, got ${url.protocol}//`);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    return {
        host,
        port: Number(url.port || 6379),
        password: url.password ? decodeURIComponent(url.password) : undefined,
        tls:
            url.protocol === "rediss:"
                ? { ca: env.REDIS_CA_PEM || undefined, rejectUnauthorized: true, ...(net.isIP(host) ? {} : { servername: host }) }
                : undefined,
    };
}

/** Sends AUTH (when there is a password) and PING over one connection; resolves with Redis's answer to PING. */
function pingRedis(options, timeoutMs = 3000) {
    return new Promise((resolve, reject) => {
        const socket = options.tls
            ? tls.connect({ host: options.host, port: options.port, ...options.tls })
            : net.connect(options.port, options.host);
        const commands = [...(options.password ? [["AUTH", options.password]] : []), ["PING"]];
        const replies = [];
        let buffer = "";
        const fail = (err) => {
            socket.destroy();
            reject(err);
        };
        socket.setTimeout(timeoutMs, () => fail(new Error("redis: timed out")));
        socket.once("error", fail);
        socket.once(options.tls ? "secureConnect" : "connect", () => {
            socket.write(commands.map((c) => `*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`).join(""));
        });
        socket.on("data", (chunk) => {
            buffer += chunk;
            for (let end = buffer.indexOf("\r\n"); end >= 0; end = buffer.indexOf("\r\n")) {
                replies.push(buffer.slice(0, end));
                buffer = buffer.slice(end + 2);
            }
            if (replies.some((r) => r.startsWith("-"))) return fail(new Error(`redis: ${replies.find((r) => r.startsWith("-")).slice(1)}`));
            if (replies.length >= commands.length) {
                socket.end();
                resolve(replies[replies.length - 1].replace(/^\+/, ""));
            }
        });
    });
}

function createServer(env = process.env) {
    let shuttingDown = false;
    const redis = redisOptions(env);
    const server = http.createServer((req, res) => {
        const url = new URL(req.url, "http://localhost");
        if (url.pathname === "/redis" && redis) {
            // Checks the cache over verified TLS (REDIS_CA_PEM); never part of /health, so a cache
            // outage does not restart healthy instances.
            pingRedis(redis).then(
                (reply) => send(res, 200, { redis: reply }),
                (err) => send(res, 503, { redis: "unreachable", error: err.message.replace(/AUTH \S+/g, "AUTH [hidden]") }),
            );
            return;
        }
        if (url.pathname === "/health") {
            res.writeHead(shuttingDown ? 503 : 200, { "content-type": "application/json" });
            res.end(JSON.stringify({ status: shuttingDown ? "shutting-down" : "ok" }));
            return;
        }
        if (url.pathname === "/") {
            res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
            res.end(`Hello from ${env.K_SERVICE || env.AWS_LAMBDA_FUNCTION_NAME || "runway-app"}\n`);
            return;
        }
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        res.end("not found\n");
    });
    // Behind a load balancer that reuses idle connections (AWS ALB), idle connections must outlive its
    // idle timeout or a request can meet a closed socket (502): Runway sets RUNWAY_KEEP_ALIVE_SECONDS there.
    server.keepAliveTimeout = Number(env.RUNWAY_KEEP_ALIVE_SECONDS || 5) * 1000;

    /** Stops accepting connections and resolves once in-flight requests are done (or after graceMs). */
    server.shutdown = (graceMs = 10000) =>
        new Promise((resolve) => {
            shuttingDown = true;
            const timer = setTimeout(() => {
                server.closeAllConnections();
                resolve();
            }, graceMs);
            timer.unref();
            server.close(() => {
                clearTimeout(timer);
                resolve();
            });
            server.closeIdleConnections();
        });
    return server;
}

/**
 * Starts the service: secrets from SSM first when RUNWAY_SECRETS_PATH is set (Lambda), so `env`
 * holds them before the server reads it; then the HTTP server on `port`; then, on Lambda, the
 * Runtime API loop that forwards invocations to it. Resolves with the server and the loop (or undefined).
 */
async function start({ env = process.env, port = Number(env.PORT || 8080), host } = {}) {
    Object.assign(env, await loadSecrets(env), loadSecretFiles(env));
    const server = createServer(env);
    await new Promise((resolve) => server.listen(port, host, resolve));
    return { server, lambda: serveLambda(server.address().port, env) };
}

if (require.main === module) {
    start().then(
        ({ server, lambda }) => {
            console.log(JSON.stringify({ severity: "INFO", message: "listening", port: server.address().port }));
            lambda?.done.catch((err) => {
                console.error(JSON.stringify({ severity: "ERROR", message: err.message }));
                process.exit(1);
            });
            for (const signal of ["SIGTERM", "SIGINT"]) {
                process.once(signal, () => {
                    console.log(JSON.stringify({ severity: "INFO", message: `${signal}: draining` }));
                    server.shutdown().then(() => process.exit(0));
                });
            }
        },
        async (err) => {
            console.error(JSON.stringify({ severity: "ERROR", message: `start-up failed: ${err.message}` }));
            if (process.env.AWS_LAMBDA_RUNTIME_API) await reportInitError(process.env.AWS_LAMBDA_RUNTIME_API, err).catch(() => undefined);
            process.exit(1);
        },
    );
}

function send(res, status, body) {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
}

module.exports = { createServer, start, redisOptions, pingRedis, loadSecretFiles };
