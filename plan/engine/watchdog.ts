/**
 * The last resort of `--timeout`: a program stuck in a synchronous loop (`while (true) {}`) never
 * lets the plan's own timer run, so a worker thread ends the process instead. At the deadline it
 * connects to the main thread through the inspector, whose messages V8 runs even inside a busy
 * loop, and calls a function that prints the message and exits with code 2. Used only by the
 * `runway plan` process itself (never in-process, where exiting would end the host).
 */
import * as fs from "fs";
import { Worker } from "worker_threads";

const CALLBACK = "__runwayPlanWatchdog";

// Taken at load, before a program runs: while it runs, `fs.writeSync(2, …)` is routed to its output.
const { writeSync, closeSync } = fs;

/** Runs in the worker: waits, then asks the main thread (via the inspector) to call the callback. */
const WORKER = `
const { workerData } = require("worker_threads");
setTimeout(() => {
    let inspector;
    try { inspector = require("inspector"); } catch { process.kill(workerData.pid, "SIGTERM"); return; }
    const session = new inspector.Session();
    session.connectToMainThread();
    session.post("Runtime.evaluate", { expression: "globalThis." + workerData.callback + "()" }, () => undefined);
}, workerData.ms);
`;

/**
 * Ends the process with exit code 2 and `message` on stderr if it is still running after `ms`.
 * Returns a function that disarms it.
 */
export function startWatchdog(ms: number, message: string): () => void {
    const reallyExit = (process as unknown as { reallyExit(code: number): never }).reallyExit.bind(process);
    (globalThis as Record<string, unknown>)[CALLBACK] = () => {
        try {
            writeSync(2, message.endsWith("\n") ? message : `${message}\n`);
        } catch {
            // A closed stderr (`| head`) must not keep a stuck program running: the exit code says it.
        }
        // Node prints "Waiting for the debugger to disconnect..." on exit while an inspector session
        // is open; the message above is the last thing the user should read.
        closeSync(2);
        reallyExit(2);
    };
    const worker = new Worker(WORKER, { eval: true, workerData: { ms, pid: process.pid, callback: CALLBACK } });
    worker.unref();
    return () => {
        delete (globalThis as Record<string, unknown>)[CALLBACK];
        void worker.terminate();
    };
}
