"use strict";
const http = require("http");
const server = http.createServer((req, res) => {
    const ok = req.url === "/healthz";
    res.writeHead(ok ? 200 : 404, { "content-type": "text/plain" });
    res.end(ok ? `${process.env.SERVICE} ok\n` : "not found\n");
});
server.listen(Number(process.env.PORT || 3000));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
