"use strict";
/**
 * What the example workload needs on AWS Lambda, with no dependency:
 * - loadSecrets: the secrets Runway keeps in SSM Parameter Store (RUNWAY_SECRETS_PATH,
 *   RUNWAY_SECRET_NAMES), read with one signed GetParametersByPath call per page, before the
 *   server starts (Lambda cannot inject secrets into the environment).
 * - serveLambda: a Lambda Runtime API client (active only when AWS_LAMBDA_RUNTIME_API is set) that
 *   turns function URL invocations (payload format 2.0) into HTTP requests on the local server and
 *   its responses back into function URL responses, so the unchanged HTTP service answers them.
 * Runtime API: https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
 * Function URL payloads: https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
 * Signature Version 4: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
const crypto = require("crypto");
const fs = require("fs");
const http = require("http");

/** Where the AWS Lambda Web Adapter extension lives when an image carries it: it is then the runtime client. */
const ADAPTER_PATH = "/opt/extensions/lambda-adapter";
const RUNTIME_PATH = "/2018-06-01/runtime";

const sha256 = (data) => crypto.createHash("sha256").update(data).digest("hex");
const hmac = (key, data) => crypto.createHmac("sha256", key).update(data).digest();

/**
 * Signs a request with AWS Signature Version 4 (header form). `headers` must hold `host` and
 * `x-amz-date` (yyyymmddThhmmssZ); returns the Authorization header value.
 */
function signV4({ method, path = "/", query = "", headers, body = "", region, service, accessKeyId, secretAccessKey }) {
    const names = Object.keys(headers)
        .map((n) => n.toLowerCase())
        .sort();
    const lower = Object.fromEntries(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), String(v).trim().replace(/\s+/g, " ")]));
    const signedHeaders = names.join(";");
    const canonical = [method, path, query, ...names.map((n) => `${n}:${lower[n]}`), "", signedHeaders, sha256(body)].join("\n");
    const amzDate = lower["x-amz-date"];
    const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
    const key = [amzDate.slice(0, 8), region, service, "aws4_request"].reduce((k, part) => hmac(k, part), `AWS4${secretAccessKey}`);
    const signature = crypto.createHmac("sha256", key).update(stringToSign).digest("hex");
    return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** One SSM API call (JSON protocol) signed with the function's credentials from the environment. */
async function ssmCall(env, action, payload, now = new Date()) {
    const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
    const endpoint = new URL(env.AWS_ENDPOINT_URL_SSM || env.AWS_ENDPOINT_URL || `https://ssm.${region}.amazonaws.com`);
    const body = JSON.stringify(payload);
    const headers = {
        "content-type": "application/x-amz-json-1.1",
        host: endpoint.host,
        "x-amz-date": now
            .toISOString()
            .replace(/[-:]/g, "")
            .replace(/\.\d{3}/, ""),
        "x-amz-target": `AmazonSSM.${action}`,
        ...(env.AWS_SESSION_TOKEN ? { "x-amz-security-token": env.AWS_SESSION_TOKEN } : {}),
    };
    const authorization = signV4({
        method: "POST",
        path: endpoint.pathname || "/",
        headers,
        body,
        region,
        service: "ssm",
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    });
    const { host, ...sent } = headers; // fetch sets Host itself
    const res = await fetch(endpoint, { method: "POST", headers: { ...sent, authorization }, body });
    const text = await res.text();
    if (!res.ok) {
        let type = `HTTP ${res.status}`;
        try {
            type = JSON.parse(text).__type?.split("#").pop() || type;
        } catch {
            // not JSON: keep the status
        }
        throw new Error(`SSM ${action} failed: ${type}`);
    }
    return JSON.parse(text);
}

/**
 * Reads the secrets listed in RUNWAY_SECRET_NAMES from the SecureStrings under RUNWAY_SECRETS_PATH
 * (`<path>/<NAME>`, decrypted) and returns them as env name → value. Empty without RUNWAY_SECRETS_PATH.
 * Fails naming the missing parameters (never a value) when one is absent.
 */
async function loadSecrets(env = process.env) {
    const path = env.RUNWAY_SECRETS_PATH;
    if (!path) return {};
    const wanted = (env.RUNWAY_SECRET_NAMES || "")
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean);
    const found = {};
    let token;
    do {
        const page = await ssmCall(env, "GetParametersByPath", {
            Path: path,
            Recursive: false,
            WithDecryption: true,
            MaxResults: 10,
            ...(token ? { NextToken: token } : {}),
        });
        for (const p of page.Parameters || []) {
            const name = p.Name.slice(path.length + 1);
            if (wanted.includes(name)) found[name] = p.Value;
        }
        token = page.NextToken;
    } while (token);
    const missing = wanted.filter((n) => !(n in found));
    if (missing.length > 0) throw new Error(`secrets missing under ${path}: ${missing.join(", ")}`);
    return found;
}

/** Content types returned as text; everything else goes back base64-encoded (binary-safe). */
const TEXT = /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

/** A function URL event (payload format 2.0) → the HTTP request it stands for. */
function requestFromEvent(event) {
    const headers = { ...(event.headers || {}) };
    if (event.cookies && event.cookies.length > 0) headers.cookie = event.cookies.join("; ");
    const body =
        event.body === undefined || event.body === null
            ? Buffer.alloc(0)
            : Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8");
    delete headers["content-length"];
    delete headers["transfer-encoding"];
    if (body.length > 0) headers["content-length"] = String(body.length);
    const query = event.rawQueryString ? `?${event.rawQueryString}` : "";
    return { method: event.requestContext?.http?.method || "GET", path: `${event.rawPath || "/"}${query}`, headers, body };
}

/** Headers of one hop (and the length, which Lambda sets for the decoded body): never passed on. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "content-length"]);

/** An HTTP response (status, Node's lower-case headers, body bytes) → a function URL response. */
function responseToResult(status, headers, body) {
    const out = {};
    let cookies = [];
    for (const [name, value] of Object.entries(headers)) {
        if (value === undefined || HOP_BY_HOP.has(name)) continue;
        if (name === "set-cookie") cookies = [].concat(value);
        else out[name] = [].concat(value).join(", ");
    }
    const text = body.length === 0 || TEXT.test(out["content-type"] || "");
    return {
        statusCode: status,
        headers: out,
        ...(cookies.length > 0 ? { cookies } : {}),
        body: body.toString(text ? "utf8" : "base64"),
        isBase64Encoded: !text,
    };
}

/** Sends one request to the local server and resolves with its function URL response. */
function forward(port, event) {
    const req = requestFromEvent(event);
    return new Promise((resolve, reject) => {
        const call = http.request({ host: "127.0.0.1", port, method: req.method, path: req.path, headers: req.headers }, (res) => {
            const chunks = [];
            res.on("data", (c) => chunks.push(c));
            res.on("end", () => resolve(responseToResult(res.statusCode, res.headers, Buffer.concat(chunks))));
            res.on("error", reject);
        });
        call.on("error", reject);
        call.end(req.body);
    });
}

/** One call to the Runtime API; resolves with status, headers and body text. No timeout: `next` waits as long as Lambda likes. */
function runtimeCall(api, method, path, body, agent, signal) {
    const [host, port] = api.split(":");
    return new Promise((resolve, reject) => {
        const req = http.request(
            {
                host,
                port: Number(port || 80),
                method,
                path: `${RUNTIME_PATH}${path}`,
                agent,
                signal,
                headers: body === undefined ? {} : { "content-type": "application/json" },
            },
            (res) => {
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (c) => (text += c));
                res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
            },
        );
        req.on("error", reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
    });
}

/** Reports a failed start to Lambda (the invocation then fails with this error type, never a secret). */
function reportInitError(api, err) {
    return runtimeCall(api, "POST", "/init/error", { errorType: "Runtime.InitError", errorMessage: err.message });
}

/**
 * Serves Lambda invocations by forwarding each to the HTTP server on `port`, until `stop()`.
 * Returns undefined (nothing to do) off Lambda or when the image carries the AWS Lambda Web Adapter.
 */
function serveLambda(port, env = process.env, { adapterPath = ADAPTER_PATH } = {}) {
    const api = env.AWS_LAMBDA_RUNTIME_API;
    if (!api || fs.existsSync(adapterPath)) return undefined;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const abort = new AbortController();
    const loop = (async () => {
        while (!abort.signal.aborted) {
            const next = await runtimeCall(api, "GET", "/invocation/next", undefined, agent, abort.signal).catch((err) => {
                if (abort.signal.aborted) return undefined;
                throw err;
            });
            if (!next) return;
            const id = next.headers["lambda-runtime-aws-request-id"];
            // The Runtime API failing is not an invocation error: stop, and let Lambda replace the environment.
            if (next.status !== 200 || !id) throw new Error(`Runtime API: next invocation answered ${next.status}`);
            if (next.headers["lambda-runtime-trace-id"]) process.env._X_AMZN_TRACE_ID = next.headers["lambda-runtime-trace-id"];
            try {
                const result = await forward(port, JSON.parse(next.body));
                await runtimeCall(api, "POST", `/invocation/${id}/response`, result, agent);
            } catch (err) {
                await runtimeCall(
                    api,
                    "POST",
                    `/invocation/${id}/error`,
                    { errorType: "Runtime.HandlerError", errorMessage: err.message },
                    agent,
                );
            }
        }
    })();
    return {
        done: loop,
        stop() {
            abort.abort();
            agent.destroy();
            return loop.catch(() => undefined);
        },
    };
}

module.exports = { signV4, loadSecrets, requestFromEvent, responseToResult, serveLambda, reportInitError, ADAPTER_PATH };
