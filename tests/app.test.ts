import { expect } from "chai";
import { spawn, spawnSync } from "child_process";
import { DockerfileParser } from "dockerfile-ast";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as tls from "tls";
import { checkDockerfile } from "../policy/lib/dockerfile";
import { ROOT } from "./helpers/plans";

const APP = path.join(ROOT, "app");

async function get(port: number, pathname: string): Promise<{ status: number; body: string }> {
    const res = await fetch(`http://127.0.0.1:${port}${pathname}`);
    return { status: res.status, body: await res.text() };
}

describe("app/ (the example workload)", function () {
    this.timeout(20000);

    it("listens on $PORT, answers /health, and exits 0 after draining on SIGTERM", async () => {
        const child = spawn(process.execPath, [path.join(APP, "server.js")], { env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
        const port = await new Promise<number>((resolve, reject) => {
            child.stdout.once("data", (d) => resolve(JSON.parse(String(d).split("\n")[0]).port));
            child.once("exit", (code) => reject(new Error(`exited ${code}`)));
        });
        expect(await get(port, "/health")).to.deep.equal({ status: 200, body: JSON.stringify({ status: "ok" }) });
        expect((await get(port, "/nope")).status).to.equal(404);
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
        child.kill("SIGTERM");
        expect(await exited).to.equal(0);
    });

    it("answers a request in flight during shutdown with 503 on /health, then closes", async () => {
        const { createServer } = require(path.join(APP, "server.js"));
        const server = createServer();
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        // A request whose headers are still arriving when SIGTERM's shutdown starts.
        const socket = net.connect(server.address().port, "127.0.0.1");
        await new Promise((resolve) => socket.once("connect", resolve));
        socket.write("GET /health HTTP/1.1\r\nHost: x\r\n");
        await new Promise((resolve) => setTimeout(resolve, 50));
        const closed = server.shutdown(5000);
        let response = "";
        socket.on("data", (d) => (response += d));
        const ended = new Promise((resolve) => socket.once("close", resolve));
        socket.write("Connection: close\r\n\r\n");
        await ended;
        await closed;
        expect(response).to.match(/^HTTP\/1.1 503/);
        expect(response).to.include('{"status":"shutting-down"}');
        expect(server.listening).to.equal(false);
    });

    it("has a multi-stage, pinned, non-root Dockerfile with a HEALTHCHECK and a .dockerignore", () => {
        const content = fs.readFileSync(path.join(APP, "Dockerfile"), "utf8");
        expect(checkDockerfile(content)).to.deep.equal({ finalStageProblems: [], rootBuildStages: [] });
        const dockerfile = DockerfileParser.parse(content);
        expect(dockerfile.getFROMs()).to.have.length(2);
        expect(dockerfile.getHEALTHCHECKs()).to.have.length(1);
        const base = dockerfile.getInitialARGs().map((a) => a.getProperty()?.getValue()).find((v) => v?.startsWith("node:"));
        expect(base, "base image pinned to an exact release and digest").to.match(/^node:\d+\.\d+\.\d+-[\w-]+@sha256:[a-f0-9]{64}$/);
        const user = dockerfile.getInstructions().filter((i) => i.getKeyword() === "USER").pop()!.getArgumentsContent();
        expect(user).to.match(/^\d+:\d+$/);
        expect(content).to.match(/npm ci --omit=dev/);
        expect(fs.readFileSync(path.join(APP, ".dockerignore"), "utf8")).to.match(/^\*\*$/m);
    });
});

describe("app/ with Memorystore (REDIS_URL + REDIS_CA_PEM)", function () {
    this.timeout(20000);
    const { redisOptions, pingRedis } = require(path.join(APP, "server.js"));

    it("verifies the server with REDIS_CA_PEM for rediss:// and reads AUTH from the URL", () => {
        expect(redisOptions({})).to.equal(undefined);
        expect(redisOptions({ REDIS_URL: "rediss://:a%2Fb@10.0.0.3:6378", REDIS_CA_PEM: "PEM" })).to.deep.equal({
            host: "10.0.0.3", port: 6378, password: "a/b", tls: { ca: "PEM", rejectUnauthorized: true },
        });
        expect(redisOptions({ REDIS_URL: "redis://cache:6379" }).tls).to.equal(undefined);
        expect(() => redisOptions({ REDIS_URL: "http://x" })).to.throw(/redis:\/\/ or rediss:\/\//);
    });

    it("pings a TLS Redis whose CA comes from REDIS_CA_PEM, and refuses it without that CA", async function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-redis-tls-"));
        const ssl = (...args: string[]) => spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
        if (ssl("version").status !== 0) this.skip(); // openssl makes the throw-away CA; no key is kept in the repository
        ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=test redis CA");
        ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=redis");
        fs.writeFileSync(path.join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
        ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "1", "-extfile", "ext.cnf");
        const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
        // A Redis stand-in speaking just enough RESP: AUTH with the right password, then PING.
        const server = tls.createServer({ key: read("server.key"), cert: read("server.pem") }, (socket) => {
            socket.on("data", (d) => {
                const text = String(d);
                if (text.includes("AUTH")) socket.write(text.includes("s3cret") ? "+OK\r\n" : "-WRONGPASS invalid password\r\n");
                if (text.includes("PING")) socket.write("+PONG\r\n");
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const url = `rediss://:s3cret@127.0.0.1:${(server.address() as { port: number }).port}`;
        try {
            expect(await pingRedis(redisOptions({ REDIS_URL: url, REDIS_CA_PEM: read("ca.pem") }))).to.equal("PONG");
            let refused = "";
            await pingRedis(redisOptions({ REDIS_URL: url })).catch((err: Error) => (refused = err.message));
            expect(refused).to.match(/self[- ]signed|unable to (get|verify)/i);
        } finally {
            server.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
