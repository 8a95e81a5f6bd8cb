/**
 * npm run bench: wall time, CPU time and peak memory of the offline plan, each case in fresh processes (median
 * of BENCH_RUNS, default 3), with the ratio to loading @pulumi/pulumi alone in the same run: the
 * floor of any plan, and a yardstick that holds on a noisy machine. Cases: Runway's three stacks as
 * `npm run plan` runs them, generated projects with 1, 10 and 50 services, a stack file with 20,000
 * keys, and the packaged command
 * (`runway plan`) in a consumer project installed from the packed tarball.
 * A measurement, not a test: nothing here fails on a number.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RSS = path.join(__dirname, "rss.js");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
/** The package's own name (the consumer installs it under that name, as a user would). */
const PACKAGE: string = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).name;

interface Sample {
    ms: number;
    cpuMs: number;
    maxRssMiB: number;
    resources?: number;
}

/** Runs `node -r rss.js ...args` in `cwd` RUNS times; the median wall time and its peak memory. */
function measure(cwd: string, args: string[], expectExit = [0, 1]): Sample {
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
        const started = process.hrtime.bigint();
        const result = spawnSync(process.execPath, ["-r", RSS, ...args], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (!expectExit.includes(result.status ?? -1))
            throw new Error(`${args.join(" ")} in ${cwd} exited ${result.status}: ${result.stderr}`);
        const kib = Number(/RUNWAY_BENCH_MAXRSS_KIB=(\d+)/.exec(result.stderr)?.[1] ?? 0);
        let resources: number | undefined;
        try {
            resources = JSON.parse(result.stdout).resources?.length;
        } catch {
            resources = undefined;
        }
        const cpuMs = Number(/RUNWAY_BENCH_CPU_MS=(\d+)/.exec(result.stderr)?.[1] ?? 0);
        samples.push({ ms, cpuMs, maxRssMiB: kib / 1024, resources });
    }
    samples.sort((a, b) => a.ms - b.ms);
    return samples[Math.floor(samples.length / 2)];
}

/** Writes a Pulumi project composing `count` services (Service + Registry each) from the library. */
function generatedProject(count: number): string {
    const dir = path.join(ROOT, ".bench", `services-${count}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bench-${count}\nruntime: nodejs\n`);
    fs.writeFileSync(path.join(dir, "Pulumi.bench.yaml"), "config:\n  gcp:project: bench-project\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `bench-${count}`, private: true, main: "index.ts" }));
    fs.writeFileSync(
        path.join(dir, "index.ts"),
        [
            `import * as gcp from "../../components/gcp";`,
            `export const urls: unknown[] = [];`,
            `for (let i = 0; i < ${count}; i++) {`,
            `    const svc = new gcp.Service(\`svc-\${i}\`, { region: "us-central1", image: "us-docker.pkg.dev/p/r/app:1", tier: i % 3 === 0 ? "production" : "solo" });`,
            `    new gcp.Registry(\`reg-\${i}\`, { location: "us-central1" }).grantPull("runtime", svc.runtimeMember);`,
            `    urls.push(svc.url);`,
            `}`,
        ].join("\n"),
    );
    return dir;
}

/** A one-resource project whose stack file sets `keys` config keys: reading it must stay linear (no pairwise key check). */
function largeStackFileProject(keys: number): string {
    const dir = path.join(ROOT, ".bench", `stack-file-${keys}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bench-stack-file\nruntime: nodejs\n`);
    const lines = Array.from({ length: keys }, (_, i) => `  bench-stack-file:key${i}: value-${i}`);
    fs.writeFileSync(path.join(dir, "Pulumi.bench.yaml"), `config:\n${lines.join("\n")}\n`);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-stack-file", private: true, main: "index.js" }));
    fs.writeFileSync(path.join(dir, "index.js"), `const random = require("@pulumi/random");\nnew random.RandomPet("pet", {});\n`);
    return dir;
}

/** Packs Runway and installs it into a copy of examples/consumer (inside the repository, so its peers resolve here). */
function packagedConsumer(): string {
    const dir = path.join(ROOT, ".bench", "consumer");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(ROOT, ".bench"), { recursive: true });
    const packed = JSON.parse(
        execFileSync(NPM, ["pack", "--json", "--pack-destination", path.join(ROOT, ".bench")], {
            cwd: ROOT,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        }),
    );
    fs.cpSync(path.join(ROOT, "examples", "consumer"), dir, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify(
            { ...manifest, dependencies: { [PACKAGE]: `file:${path.join(ROOT, ".bench", packed[0].filename)}` }, devDependencies: {} },
            null,
            2,
        ),
    );
    execFileSync(NPM, ["install", "--no-audit", "--no-fund", "--legacy-peer-deps", "--prefer-offline"], {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
    });
    return dir;
}

function row(label: string, s: Sample, sdk: Sample): string {
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`.padStart(9);
    return [
        label.padEnd(26),
        `${s.resources ?? ""}`.padStart(9),
        `${s.ms.toFixed(0)}`.padStart(8),
        ratio(s.ms, sdk.ms),
        `${s.cpuMs}`.padStart(8),
        ratio(s.cpuMs, sdk.cpuMs),
        `${s.maxRssMiB.toFixed(0)}`.padStart(9),
    ].join("  ");
}

const cli = [path.join(ROOT, "scripts", "plan.js")]; // what `npm run plan` runs
console.log(
    `Offline plan, median of ${RUNS} fresh processes (${process.platform}, node ${process.version}); ratio = wall (or CPU) / loading @pulumi/pulumi alone`,
);
console.log(
    [
        "case".padEnd(26),
        "resources".padStart(9),
        "wall ms".padStart(8),
        "ratio".padStart(9),
        "cpu ms".padStart(8),
        "cpu ratio".padStart(9),
        "peak MiB".padStart(9),
    ].join("  "),
);
const sdk = measure(ROOT, ["-e", "require('@pulumi/pulumi')"], [0]);
console.log(row("load @pulumi/pulumi alone", sdk, sdk));
for (const stack of ["solo", "staging", "production"])
    console.log(row(`npm run plan: ${stack}`, measure(ROOT, [...cli, "--stack", stack, "--json"]), sdk));
for (const count of [1, 10, 50])
    console.log(row(`${count} services`, measure(ROOT, [...cli, "--stack", "bench", "--cwd", generatedProject(count), "--json"]), sdk));
console.log(
    row("stack file, 20,000 keys", measure(ROOT, [...cli, "--stack", "bench", "--cwd", largeStackFileProject(20_000), "--json"]), sdk),
);
const consumer = packagedConsumer();
console.log(
    row(
        "runway plan (packaged)",
        measure(consumer, [path.join(consumer, "node_modules", PACKAGE, "bin", `${PACKAGE}.js`), "plan", "--stack", "dev", "--json"]),
        sdk,
    ),
);
