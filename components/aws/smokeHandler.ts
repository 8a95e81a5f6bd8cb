/**
 * The source of the smoke-test function (Node.js 22 on Lambda, no dependencies): GET each target URL
 * (`http://<task IP>:<port>/<health path>`), retrying while a task is still starting, and answer
 * `{ ok, results }`. It runs inside the VPC in the load balancer's security group, the one group the
 * tasks admit on their port, so it reaches exactly what the load balancer reaches and nothing else.
 */
export const SMOKE_HANDLER = `"use strict";
const ATTEMPTS = 5;
const TIMEOUT_MS = 5000;
const PAUSE_MS = 2000;
async function check(target) {
    let last = "not called";
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
            const response = await fetch(target, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "manual" });
            if (response.status >= 200 && response.status < 300) return { target, status: response.status, attempts: attempt };
            last = "HTTP " + response.status;
        } catch (err) {
            last = String((err && (err.cause && err.cause.code)) || (err && err.message) || err);
        }
        if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
    return { target, error: last, attempts: ATTEMPTS };
}
exports.handler = async (event) => {
    const targets = Array.isArray(event && event.targets) ? event.targets.filter((t) => typeof t === "string" && /^http:\\/\\//.test(t)) : [];
    if (targets.length === 0) return { ok: false, results: [], error: "no targets" };
    const results = await Promise.all(targets.map(check));
    return { ok: results.every((r) => r.status !== undefined), results };
};
`;
