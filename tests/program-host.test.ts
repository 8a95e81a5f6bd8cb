/**
 * Programs that misbehave as real ones do (tests/fixtures/unruly-program, one mode each) end as
 * `pulumi preview` would end them: their output never reaches the document, and hanging, exiting,
 * throwing late or failing an input is a program error (exit 2) that says what happened.
 */
import { expect } from "chai";
import { execFile } from "child_process";
import fs = require("fs");
import { syncBuiltinESMExports } from "module";
import * as path from "path";
import { SecretValues } from "../plan";
import { parseTimeout } from "../plan/cli";
import { writtenText } from "../plan/engine/descriptors";
import { type ProgramHost, watchRun } from "../plan/engine/host";
import { ROOT, cli } from "./helpers/plans";

const UNRULY = path.join(ROOT, "tests", "fixtures", "unruly-program");
const planUnruly = (mode: string, ...args: string[]) => cli("--cwd", UNRULY, "--stack", "dev", "--config", `unruly:mode=${mode}`, ...args);

/** Runs `fn` with the process's real stdout replaced by a recorder: what a program wrote there would corrupt `--json`. */
async function recordingStdout<T>(fn: () => Promise<T>): Promise<{ result: T; written: string }> {
    const stdout = process.stdout as unknown as { write: unknown };
    const own = Object.getOwnPropertyDescriptor(stdout, "write");
    let written = "";
    stdout.write = (chunk: unknown) => {
        written += String(chunk);
        return true;
    };
    try {
        return { result: await fn(), written };
    } finally {
        if (own) Object.defineProperty(stdout, "write", own);
        else delete (stdout as { write?: unknown }).write;
    }
}

describe("a program's own output", function () {
    this.timeout(60000);

    it("goes to stderr, so --json stays one JSON document and --markdown starts with the comment", async () => {
        const json = await recordingStdout(() => planUnruly("logs", "--json"));
        expect(json.written, "written to the real stdout").to.equal("");
        expect(json.result.code).to.equal(0);
        expect(JSON.parse(json.result.stdout).project).to.equal("unruly");
        expect(json.result.stderr)
            .to.include("Syncing contents from ./site …\n")
            .and.include("info via console.info\n")
            .and.include("raw write to stdout\n")
            .and.include("a late line, after the stack is registered\n")
            .and.include("info: via pulumi.log\n")
            .and.include("built by a child process\n");
        const md = await recordingStdout(() => planUnruly("logs", "--markdown"));
        expect(md.written).to.equal("");
        expect(md.result.stdout).to.match(/^## Runway plan: unruly\/dev\n/);
    });
});

/** Runs `fn` recording (not making) writes to descriptors 1 and 2 through fs.writeSync / fs.write: they would bypass the plan's stdout. */
async function recordingDescriptors<T>(fn: () => Promise<T>): Promise<{ result: T; written: string }> {
    const target = fs as unknown as Record<"writeSync" | "write", (...args: unknown[]) => unknown>;
    const saved = { writeSync: target.writeSync, write: target.write };
    let written = "";
    const record = (args: unknown[]) => {
        written += String(args[1]);
        return 0;
    };
    target.writeSync = (...args) => (args[0] === 1 || args[0] === 2 ? record(args) : saved.writeSync(...args));
    target.write = (...args) => {
        if (args[0] !== 1 && args[0] !== 2) return saved.write(...args);
        record(args);
        (args[args.length - 1] as (err: null, n: number) => void)(null, 0);
    };
    syncBuiltinESMExports();
    try {
        return { result: await fn(), written };
    } finally {
        Object.assign(target, saved);
        syncBuiltinESMExports();
    }
}

describe("a program's writes to descriptors 1 and 2", function () {
    this.timeout(60000);

    it("go to stderr, masked, as the program's other output; the calls return the bytes written; other descriptors are untouched", async () => {
        const TOKEN = "fd-s3cret-value";
        const { result, written } = await recordingDescriptors(() =>
            planUnruly("fd-writes", "--json", "--secret", `unruly:token=${TOKEN}`),
        );
        expect(written, "written to the real descriptors").to.equal("");
        expect(result.code, result.stderr).to.equal(0);
        expect(JSON.parse(result.stdout).outputs).to.deep.equal({
            syncBytes: 23,
            asyncBytes: 22,
            viaEsm: 30,
            file: "kept in the file",
        });
        for (const line of [
            "fd 1 through writeSync",
            "fd 2 from part of a buffer",
            "token [secret]",
            "fd 1 through fs.write",
            "fd 1 from an ES module import",
        ])
            expect(result.stderr).to.include(`${line}\n`);
        expect(result.stderr).not.to.include(TOKEN);
    });

    it("reads what fs.writeSync and fs.write would write in each of their argument forms", () => {
        const bytes = Buffer.from("abcdef");
        expect(writtenText(["héllo"])).to.deep.equal({ text: "héllo", bytes: 6 });
        expect(writtenText(["68690a", null, "hex"])).to.deep.equal({ text: "hi\n", bytes: 3 });
        expect(writtenText([bytes, 2])).to.deep.equal({ text: "cdef", bytes: 4 });
        expect(writtenText([bytes, 1, 3])).to.deep.equal({ text: "bcd", bytes: 3 });
        expect(writtenText([bytes, { offset: 4 }])).to.deep.equal({ text: "ef", bytes: 2 });
        expect(writtenText([new Uint8Array([104, 105])])).to.deep.equal({ text: "hi", bytes: 2 });
        // What Node refuses is left to Node (the original call throws its own error).
        expect(writtenText([bytes, 4, 9])).to.equal(undefined);
        expect(writtenText(["x", null, "no-such-encoding"])).to.equal(undefined);
        expect(writtenText([{ toString: () => "x" }])).to.equal(undefined);
    });
});

describe("child processes a program starts", function () {
    this.timeout(60000);

    it("write what they would print on the terminal to stderr, secrets masked; the program gets what it asked for", async () => {
        const TOKEN = "hunter2-s3cret";
        const { code, stdout, stderr } = await planUnruly("children", "--json", "--secret", `unruly:token=${TOKEN}`);
        expect(code, stderr).to.equal(0);
        expect(JSON.parse(stdout).outputs).to.deep.equal({
            captured: "captured by the program", // its own pipe: the output is the program's
            inherited: "null", // inherited: execSync returns null, as it does under Node
            viaEsm: "ok",
            spawned: 0,
            forked: "over ipc", // fork keeps its IPC channel
        });
        expect(stderr).not.to.include(TOKEN);
        for (const line of [
            "spawnSync out [secret]",
            "spawnSync err [secret]",
            "execFileSync out",
            "inherited",
            "imported as an ES module",
            "spawn out",
            "fork out",
        ])
            expect(stderr).to.include(`${line}\n`);
        expect(stderr).not.to.include("captured by the program");
    });
});

describe("a program that does not finish, exits or fails late", function () {
    this.timeout(60000);

    const cases: [mode: string, message: RegExp, extra?: string[]][] = [
        [
            "never-input",
            /^program error: the program never finished: .*\n {2}- resource "stuck" \[random:index\/randomPet:RandomPet\] is waiting for its input "prefix"\n$/,
        ],
        ["never-export", /^program error: the program never finished: .*\n {2}- stack output "pending" never resolved\n$/],
        [
            "busy",
            /^program error: the program did not finish within 1 s \(--timeout\): .*\n {2}- the program still has work scheduled: 1 timer\(s\)\n$/,
            ["--timeout", "1"],
        ],
        ["throws-undefined", /^program error: the program threw undefined\n/],
        ["exit", /^program error: the program called process\.exit\(3\) before it finished/],
        ["exit-later", /^program error: the program called process\.exit\(0\) before it finished/],
        ["exit-code", /^program error: the program set process\.exitCode = 1; pulumi preview fails with it\n/],
        ["late-rejection", /^program error: unhandled promise rejection: late failure in a background task\n/],
        ["callback-throws", /^program error: uncaught exception: thrown from a timer callback\n/],
        [
            "apply-throws",
            /^program error: resource "failing" \[random:index\/randomPet:RandomPet\] was not registered: error serializing property "prefix": cannot compute the prefix \(and 1 resource depending on it: "dependent" \[random:index\/randomPet:RandomPet\]\)\n/,
        ],
    ];
    for (const [mode, message, extra] of cases)
        it(`${mode}: exit 2, nothing on stdout, and what happened on stderr`, async () => {
            const { code, stdout, stderr } = await planUnruly(mode, "--json", ...(extra ?? []));
            expect(stderr).to.match(message);
            expect(code).to.equal(2);
            expect(stdout).to.equal("");
            expect(process.exitCode ?? 0, "the host's exit code is left as it was").to.equal(0);
        });

    it("a wait the watcher cannot see is not called stuck before 20 idle turns of the event loop; a real stall still is", async () => {
        const host = { unfinished: () => "  - (nothing)", error: () => undefined } as unknown as ProgramHost;
        // The run's timer exists before the watcher takes its baseline, as a handle of an earlier test or run would.
        const run = new Promise<void>((resolve) => setTimeout(resolve, 700));
        await watchRun(run, host, { timeoutMs: 10000, stallMs: 200 });
        const started = Date.now();
        const stuck = await watchRun(new Promise<void>(() => undefined), host, { timeoutMs: 10000, stallMs: 200 }).catch((e: Error) => e);
        expect(String(stuck)).to.match(/the program never finished/);
        expect(Date.now() - started, "a stall is 20 idle checks, not one late check").to.be.at.least(950);
    });

    it("--timeout takes seconds above 0, and says so otherwise", async () => {
        expect(parseTimeout(undefined)).to.equal(300);
        expect(parseTimeout("0.5")).to.equal(0.5);
        for (const bad of ["0", "-1", "ten", "", "1e9"])
            expect(() => parseTimeout(bad), bad).to.throw(/^--timeout ".*": a number of seconds above 0/);
        const usage = await planUnruly("logs", "--timeout", "soon");
        expect(usage.code).to.equal(2);
        expect(usage.stderr).to.equal(
            '--timeout "soon": a number of seconds above 0 and at most 86400, e.g. --timeout 600\nRun with --help for every flag.\n',
        );
    });
});

describe("what the engine itself would refuse", function () {
    this.timeout(60000);

    it("an asset file that cannot be hashed is a mandatory finding naming the resource in every mode (exit 1), not a line lost on stderr", async () => {
        const json = await planUnruly("missing-asset", "--json");
        expect(json.code).to.equal(1);
        const finding = JSON.parse(json.stdout).deployability.find((f: { policy: string }) => f.policy === "refused-by-engine");
        expect(finding).to.deep.include({
            level: "mandatory",
            urn: "urn:pulumi:dev::unruly::pulumi:pulumi:Stack$aws:s3/bucketObject:BucketObject::page",
        });
        expect(finding.message).to.match(
            /^source: the asset file no-such-page\.html cannot be read \(ENOENT\); pulumi preview fails with "failed to compute asset hash"$/,
        );
        expect(json.stderr).to.include("1 mandatory deployability finding: pulumi up would fail");
        const md = await planUnruly("missing-asset", "--markdown");
        expect(md.stdout).to.include(
            "| mandatory | refused-by-engine | BucketObject page | source: the asset file no-such-page.html cannot be read",
        );
        const text = await planUnruly("missing-asset");
        expect(text.stdout).to.include("[mandatory] refused-by-engine  aws:s3/bucketObject:BucketObject (page)");
    });
});

describe("secrets the program leaks", function () {
    this.timeout(60000);
    const TOKEN = "hunter2-s3cret";

    it("are masked as [secret] in the text, --json and --markdown, the program's output, diagnostics and errors", async () => {
        const runs = await Promise.all(
            [[], ["--json"], ["--markdown"]].map((format) => planUnruly("leaks-secrets", "--secret", `unruly:token=${TOKEN}`, ...format)),
        );
        for (const run of runs) {
            expect(run.code, run.stderr).to.equal(0);
            for (const text of [run.stdout, run.stderr]) {
                expect(text).not.to.include(TOKEN);
                expect(text).not.to.include("inline-secret-1234");
            }
        }
        const [text, json] = runs;
        expect(text.stderr).to.include("token is [secret]\n").and.include("on stderr: [secret]\n").and.include("warning: using [secret]");
        expect(text.stdout).to.include("+ random:index/randomPet:RandomPet  pet-[secret]").and.include("plainToken: [secret]");
        const doc = JSON.parse(json.stdout);
        expect(doc.outputs).to.deep.equal({ plainToken: "[secret]", unwrapped: "[secret]" });
        expect(doc.config["unruly:token"]).to.equal("[secret]");
        for (const [mode, said] of [
            ["throws-secret", "refusing token [secret]"],
            ["throws-secret-string", "refusing token [secret]"],
            ["throws-object", "{ code: 42, token: '[secret]' }"],
        ]) {
            const thrown = await planUnruly(mode, "--secret", `unruly:token=${TOKEN}`);
            expect(thrown.code, mode).to.equal(2);
            expect(thrown.stderr.split("\n")[0], mode).to.equal(`program error: ${said}`);
        }
    });

    it("short values and true/false are not masked (as the Pulumi CLI filters them), a JSON-escaped value is; marked values from 8 characters", () => {
        const secrets = new SecretValues();
        for (const v of ["ab", "true", "FALSE", 'quo"te-value']) secrets.add(v);
        expect(secrets.text("ab true FALSE")).to.equal("ab true FALSE");
        expect(secrets.text(JSON.stringify({ v: 'quo"te-value' }))).to.equal('{"v":"[secret]"}');
        secrets.add('{"nested":"deep-value"}');
        expect(secrets.mask({ a: ["x deep-value y"], "deep-value": 1 })).to.deep.equal({ a: ["x [secret] y"], "[secret]": 1 });
        // What a program marks secret: a string of 8 characters or more; an object's parts stay readable.
        secrets.addMarked("AWS");
        secrets.addMarked({ server: "us-docker.pkg.dev", username: "AWS" });
        secrets.addMarked("a-generated-token");
        expect(secrets.text("AWS us-docker.pkg.dev a-generated-token")).to.equal("AWS us-docker.pkg.dev [secret]");
    });
});

describe("the runway plan process", function () {
    this.timeout(60000);

    /** The real command (`npm run plan`'s script): exit code, stdout, stderr. */
    const run = (...args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
            execFile(process.execPath, [path.join(ROOT, "scripts", "plan.js"), ...args], { cwd: ROOT }, (err, stdout, stderr) =>
                resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
            ),
        );

    it("ends a program stuck in a synchronous loop at --timeout with exit 2, and keeps a talking program's stdout a document", async () => {
        const [spin, logs] = await Promise.all([
            run("--cwd", UNRULY, "--stack", "dev", "--config", "unruly:mode=spin", "--timeout", "0.5", "--json"),
            run("--cwd", UNRULY, "--stack", "dev", "--json"),
        ]);
        expect(spin.stdout).to.equal("");
        expect(spin.stderr).to.equal(
            "program error: the program did not finish within 0.5 s (--timeout) and never paused (a synchronous loop?): the plan ended it\n",
        );
        expect(spin.code).to.equal(2);
        expect(logs.code, logs.stderr).to.equal(0);
        expect(JSON.parse(logs.stdout).project).to.equal("unruly");
        expect(logs.stderr)
            .to.include("Syncing contents from ./site …")
            .and.include("a late line, after the stack is registered")
            .and.include("built by a child process");
    });
});
