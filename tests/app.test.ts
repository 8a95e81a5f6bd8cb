import { expect } from "chai";
import { spawn, spawnSync } from "child_process";
import { DockerfileParser } from "dockerfile-ast";
import * as fs from "fs";
import * as http from "http";
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
        const child = spawn(process.execPath, [path.join(APP, "server.js")], {
            env: { ...process.env, PORT: "0" },
            stdio: ["ignore", "pipe", "pipe"],
        });
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

    it("on Kubernetes reads its secrets from the files mounted under RUNWAY_SECRETS_DIR, skipping the driver's own entries", () => {
        const { loadSecretFiles } = require(path.join(APP, "server.js"));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-secrets-"));
        try {
            fs.writeFileSync(path.join(dir, "API_KEY"), "s3cret");
            fs.writeFileSync(path.join(dir, ".metadata"), "x");
            fs.mkdirSync(path.join(dir, "..data"));
            expect(loadSecretFiles({ RUNWAY_SECRETS_DIR: dir })).to.deep.equal({ API_KEY: "s3cret" });
            expect(loadSecretFiles({})).to.deep.equal({});
            expect(() => loadSecretFiles({ RUNWAY_SECRETS_DIR: path.join(dir, "missing") })).to.throw(/missing/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("keeps idle connections 5 s by default, or RUNWAY_KEEP_ALIVE_SECONDS (longer than a load balancer's idle timeout)", () => {
        const { createServer } = require(path.join(APP, "server.js"));
        expect(createServer({}).keepAliveTimeout).to.equal(5000);
        expect(createServer({ RUNWAY_KEEP_ALIVE_SECONDS: "305" }).keepAliveTimeout).to.equal(305000);
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
        const report = checkDockerfile(content);
        expect([report.finalStageProblems, report.baseImageAdvisories, report.rootBuildStages]).to.deep.equal([[], [], []]);
        const dockerfile = DockerfileParser.parse(content);
        const froms = dockerfile.getFROMs().map((f) => (f.getImageName() === undefined ? "" : f.getArgumentsContent()!));
        expect(froms).to.deep.equal([froms[0], "base AS deps", "base AS runtime"]);
        expect(dockerfile.getHEALTHCHECKs()).to.have.length(1);
        // On a FROM line, not an ARG default: Dependabot's docker ecosystem reads only FROM lines (dependabot-core#2057).
        expect(dockerfile.getInitialARGs()).to.deep.equal([]);
        expect(froms[0], "base image pinned to an exact release and digest").to.match(
            /^node:\d+\.\d+\.\d+-[\w-]+@sha256:[a-f0-9]{64} AS base$/,
        );
        const user = dockerfile
            .getInstructions()
            .filter((i) => i.getKeyword() === "USER")
            .pop()!
            .getArgumentsContent();
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
            host: "10.0.0.3",
            port: 6378,
            password: "a/b",
            tls: { ca: "PEM", rejectUnauthorized: true },
        });
        expect(redisOptions({ REDIS_URL: "redis://cache:6379" }).tls).to.equal(undefined);
        expect(() => redisOptions({ REDIS_URL: "http://x" })).to.throw(/redis:\/\/ or rediss:\/\//);
    });

    it("pings a TLS Redis whose CA comes from REDIS_CA_PEM, and refuses it without that CA", async function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-redis-tls-"));
        const ssl = (...args: string[]) => spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
        if (ssl("version").status !== 0) this.skip(); // openssl makes the throw-away CA; no key is kept in the repository
        ssl(
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "1",
            "-subj",
            "/CN=test redis CA",
        );
        ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=redis");
        fs.writeFileSync(path.join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
        ssl(
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "1",
            "-extfile",
            "ext.cnf",
        );
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

describe("app/ on AWS Lambda (Runtime API loop, secrets from SSM)", function () {
    this.timeout(20000);
    const lambda = require(path.join(APP, "lambda.js"));
    const { start } = require(path.join(APP, "server.js"));

    /** An HTTP stand-in answering with `handle`; resolves with its base URL host:port and a close function. */
    async function fake(handle: (req: import("http").IncomingMessage, body: string, res: import("http").ServerResponse) => void) {
        const server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c) => (body += c));
            req.on("end", () => handle(req, body, res));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        return {
            hostPort: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
            close: () => {
                server.closeAllConnections();
                server.close();
            },
        };
    }

    it("signs like AWS's own Signature Version 4 example (S3 GET, docs' example keys)", () => {
        // https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html (Example: GET Object)
        const authorization = lambda.signV4({
            method: "GET",
            path: "/test.txt",
            region: "us-east-1",
            service: "s3",
            accessKeyId: "AKIAIOSFODNN7EXAMPLE",
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            headers: {
                Host: "examplebucket.s3.amazonaws.com",
                Range: "bytes=0-9",
                "x-amz-date": "20130524T000000Z",
                "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            },
        });
        expect(authorization).to.equal(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
                "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
        );
    });

    it("maps function URL events (payload 2.0) to HTTP requests and responses back, binary-safe", () => {
        const req = lambda.requestFromEvent({
            version: "2.0",
            rawPath: "/items",
            rawQueryString: "a=1&b=2",
            cookies: ["s=1", "t=2"],
            headers: { "content-type": "application/octet-stream", "content-length": "999", host: "abc.lambda-url.us-east-1.on.aws" },
            requestContext: { http: { method: "POST" } },
            body: Buffer.from([0, 1, 2]).toString("base64"),
            isBase64Encoded: true,
        });
        expect(req).to.deep.include({ method: "POST", path: "/items?a=1&b=2" });
        expect(req.headers).to.deep.include({ cookie: "s=1; t=2", "content-length": "3", host: "abc.lambda-url.us-east-1.on.aws" });
        expect([...req.body]).to.deep.equal([0, 1, 2]);
        expect(
            lambda.responseToResult(
                200,
                { "content-type": "application/json", "set-cookie": ["a=1", "b=2"], vary: ["x", "y"] },
                Buffer.from("{}"),
            ),
        ).to.deep.equal({
            statusCode: 200,
            headers: { "content-type": "application/json", vary: "x, y" },
            cookies: ["a=1", "b=2"],
            body: "{}",
            isBase64Encoded: false,
        });
        expect(lambda.responseToResult(200, { "content-type": "image/png" }, Buffer.from([255, 0]))).to.deep.include({
            body: "/wA=",
            isBase64Encoded: true,
        });
        const hop = lambda.responseToResult(
            200,
            {
                "content-type": "text/plain",
                connection: "keep-alive",
                "keep-alive": "timeout=5",
                "transfer-encoding": "chunked",
                "content-length": "2",
            },
            Buffer.from("ok"),
        );
        expect(hop.headers, "hop-by-hop headers stay on the local hop").to.deep.equal({ "content-type": "text/plain" });
    });

    it("loads its SSM secrets before the server starts and answers function URL invocations through it", async () => {
        // Redis stand-in (plain TCP): proves REDIS_URL, a secret from SSM, was in the env the server was created with.
        const redis = net.createServer((socket) =>
            socket.on("data", (d) => {
                const text = String(d);
                if (text.includes("AUTH")) socket.write(text.includes("from-ssm") ? "+OK\r\n" : "-WRONGPASS\r\n");
                if (text.includes("PING")) socket.write("+PONG\r\n");
            }),
        );
        await new Promise<void>((resolve) => redis.listen(0, "127.0.0.1", resolve));
        const redisUrl = `redis://:from-ssm@127.0.0.1:${(redis.address() as net.AddressInfo).port}`;
        const ssmCalls: { target: string; authorization: string; body: { Path: string; WithDecryption: boolean; NextToken?: string } }[] =
            [];
        const ssm = await fake((req, body, res) => {
            ssmCalls.push({
                target: String(req.headers["x-amz-target"]),
                authorization: String(req.headers.authorization),
                body: JSON.parse(body),
            });
            const page =
                JSON.parse(body).NextToken === undefined
                    ? {
                          Parameters: [
                              { Name: "/shop/solo/API_KEY", Type: "SecureString", Value: "k-123" },
                              { Name: "/shop/solo/OTHER", Value: "x" },
                          ],
                          NextToken: "p2",
                      }
                    : { Parameters: [{ Name: "/shop/solo/REDIS_URL", Type: "SecureString", Value: redisUrl }] };
            res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(page));
        });
        const events = [
            {
                version: "2.0",
                rawPath: "/redis",
                rawQueryString: "",
                headers: { host: "u.lambda-url.us-east-1.on.aws" },
                requestContext: { http: { method: "GET" } },
                isBase64Encoded: false,
            },
            {
                version: "2.0",
                rawPath: "/",
                rawQueryString: "",
                headers: {},
                requestContext: { http: { method: "GET" } },
                isBase64Encoded: false,
            },
        ];
        const posted: { path: string; body: Record<string, unknown> }[] = [];
        let answered: () => void;
        const allAnswered = new Promise<void>((resolve) => (answered = resolve));
        const runtime = await fake((req, body, res) => {
            if (req.url === "/2018-06-01/runtime/invocation/next") {
                const event = events.shift();
                if (event) res.writeHead(200, { "lambda-runtime-aws-request-id": `req-${2 - events.length}` }).end(JSON.stringify(event));
                return; // no more invocations: hold the long poll, as Lambda does
            }
            posted.push({ path: String(req.url), body: JSON.parse(body) });
            res.writeHead(202).end("{}");
            if (posted.length === 2) answered();
        });
        const env: Record<string, string> = {
            AWS_LAMBDA_RUNTIME_API: runtime.hostPort,
            AWS_ENDPOINT_URL_SSM: `http://${ssm.hostPort}`,
            AWS_REGION: "us-east-1",
            AWS_ACCESS_KEY_ID: "ASIAEXAMPLE",
            AWS_SECRET_ACCESS_KEY: "secret",
            AWS_SESSION_TOKEN: "session",
            AWS_LAMBDA_FUNCTION_NAME: "shop-solo",
            RUNWAY_SECRETS_PATH: "/shop/solo",
            RUNWAY_SECRET_NAMES: "API_KEY,REDIS_URL",
        };
        const { server, lambda: loop } = await start({ env, port: 0, host: "127.0.0.1" });
        try {
            await allAnswered;
            expect(env).to.include({ API_KEY: "k-123", REDIS_URL: redisUrl });
            expect(env).to.not.have.property("OTHER");
            expect(ssmCalls.map((c) => [c.target, c.body.Path, c.body.WithDecryption, c.body.NextToken])).to.deep.equal([
                ["AmazonSSM.GetParametersByPath", "/shop/solo", true, undefined],
                ["AmazonSSM.GetParametersByPath", "/shop/solo", true, "p2"],
            ]);
            expect(ssmCalls[0].authorization).to.match(
                /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE\/\d{8}\/us-east-1\/ssm\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
            );
            expect(posted).to.deep.equal([
                {
                    path: "/2018-06-01/runtime/invocation/req-1/response",
                    body: { statusCode: 200, headers: posted[0].body.headers, body: '{"redis":"PONG"}', isBase64Encoded: false },
                },
                {
                    path: "/2018-06-01/runtime/invocation/req-2/response",
                    body: { statusCode: 200, headers: posted[1].body.headers, body: "Hello from shop-solo\n", isBase64Encoded: false },
                },
            ]);
            expect(posted[0].body.headers).to.include({ "content-type": "application/json" });
        } finally {
            await loop.stop();
            server.close();
            ssm.close();
            runtime.close();
            redis.close();
        }
    });

    it("refuses to start without its secrets, naming what is missing and never a value; reports it to Lambda", async () => {
        let denied = false;
        const ssm = await fake((_req, _body, res) => {
            if (denied) return res.writeHead(400).end(JSON.stringify({ __type: "AccessDeniedException", message: "not authorized" }));
            res.writeHead(200).end(JSON.stringify({ Parameters: [{ Name: "/shop/solo/API_KEY", Value: "k-123" }] }));
        });
        const env = {
            AWS_ENDPOINT_URL_SSM: `http://${ssm.hostPort}`,
            AWS_REGION: "us-east-1",
            AWS_ACCESS_KEY_ID: "A",
            AWS_SECRET_ACCESS_KEY: "s",
            RUNWAY_SECRETS_PATH: "/shop/solo",
        };
        try {
            let message = "";
            await start({ env: { ...env, RUNWAY_SECRET_NAMES: "API_KEY,DATABASE_URL" }, port: 0 }).catch(
                (e: Error) => (message = e.message),
            );
            expect(message).to.equal("secrets missing under /shop/solo: DATABASE_URL");
            denied = true;
            await lambda.loadSecrets({ ...env, RUNWAY_SECRET_NAMES: "API_KEY" }).catch((e: Error) => (message = e.message));
            expect(message).to.equal("SSM GetParametersByPath failed: AccessDeniedException");
            expect(await lambda.loadSecrets({})).to.deep.equal({});
        } finally {
            ssm.close();
        }
        const reports: { url?: string; body: string }[] = [];
        const runtime = await fake((req, body, res) => {
            reports.push({ url: req.url, body });
            res.writeHead(202).end();
        });
        await lambda.reportInitError(runtime.hostPort, new Error("secrets missing under /shop/solo: DATABASE_URL"));
        runtime.close();
        expect(reports).to.deep.equal([
            {
                url: "/2018-06-01/runtime/init/error",
                body: JSON.stringify({ errorType: "Runtime.InitError", errorMessage: "secrets missing under /shop/solo: DATABASE_URL" }),
            },
        ]);
    });

    it("stops (and lets Lambda replace the environment) when the Runtime API itself fails, instead of spinning", async () => {
        const runtime = await fake((_req, _body, res) => res.writeHead(500).end("{}"));
        const loop = lambda.serveLambda(0, { AWS_LAMBDA_RUNTIME_API: runtime.hostPort }, { adapterPath: "/nonexistent" });
        let message = "";
        await loop.done.catch((e: Error) => (message = e.message));
        runtime.close();
        expect(message).to.equal("Runtime API: next invocation answered 500");
    });

    it("stays out of the way off Lambda and when the image carries the AWS Lambda Web Adapter", () => {
        expect(lambda.serveLambda(8080, {})).to.equal(undefined);
        expect(
            lambda.serveLambda(8080, { AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" }, { adapterPath: path.join(APP, "lambda.js") }),
        ).to.equal(undefined);
        expect(lambda.ADAPTER_PATH).to.equal("/opt/extensions/lambda-adapter");
    });

    it("ships lambda.js in the image (Dockerfile COPY and .dockerignore)", () => {
        const dockerfile = fs.readFileSync(path.join(APP, "Dockerfile"), "utf8");
        expect(dockerfile).to.match(/^COPY --chown=10001:10001 [^\n]*\blambda\.js\b/m);
        expect(fs.readFileSync(path.join(APP, ".dockerignore"), "utf8")).to.match(/^!lambda\.js$/m);
    });
});
