"use strict";
/**
 * Runway's example workload: a tiny HTTP service with no framework.
 * GET /health answers 200 while the process accepts work and 503 once it is shutting down;
 * SIGTERM (what Cloud Run and ECS send) stops accepting connections, lets in-flight requests
 * finish, then exits.
 */
const http = require("http");

function createServer() {
    let shuttingDown = false;
    const server = http.createServer((req, res) => {
        const url = new URL(req.url, "http://localhost");
        if (url.pathname === "/health") {
            res.writeHead(shuttingDown ? 503 : 200, { "content-type": "application/json" });
            res.end(JSON.stringify({ status: shuttingDown ? "shutting-down" : "ok" }));
            return;
        }
        if (url.pathname === "/") {
            res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
            res.end(`Hello from ${process.env.K_SERVICE || "runway-app"}\n`);
            return;
        }
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        res.end("not found\n");
    });
    server.keepAliveTimeout = 5000;

    /** Stops accepting connections and resolves once in-flight requests are done (or after graceMs). */
    server.shutdown = (graceMs = 10000) => new Promise((resolve) => {
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

if (require.main === module) {
    const port = Number(process.env.PORT || 8080);
    const server = createServer();
    server.listen(port, () => console.log(JSON.stringify({ severity: "INFO", message: "listening", port: server.address().port })));
    for (const signal of ["SIGTERM", "SIGINT"]) {
        process.once(signal, () => {
            console.log(JSON.stringify({ severity: "INFO", message: `${signal}: draining` }));
            server.shutdown().then(() => process.exit(0));
        });
    }
}

module.exports = { createServer };
