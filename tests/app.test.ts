import { expect } from "chai";
import { spawn } from "child_process";
import { DockerfileParser } from "dockerfile-ast";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
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
