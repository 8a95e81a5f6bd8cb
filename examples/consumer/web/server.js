"use strict";
const http = require("http");
const server = http.createServer((req, res) => {
    res.writeHead(req.url === "/healthz" ? 200 : 404, { "content-type": "text/plain" });
    res.end(req.url === "/healthz" ? "ok\n" : "not found\n");
});
server.listen(Number(process.env.PORT || 3000));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
