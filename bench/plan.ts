/**
 * npm run bench: wall time and peak memory of the offline plan for each tier and for generated
 * projects with 1, 10 and 50 services. Each case runs in a fresh process, 3 times; the median is
 * printed. A measurement, not a test: nothing here fails on a number.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Sample { planMs: number; processMs: number; resources: number; maxRssMiB: number }

function measure(cwd: string, stack: string): Sample {
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
        const started = Date.now();
        const result = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", path.join(__dirname, "runOne.ts"), cwd, stack], { cwd: ROOT, encoding: "utf8" });
        if (result.status !== 0) throw new Error(`plan of ${cwd} ${stack} failed: ${result.stderr}`);
        samples.push({ ...JSON.parse(result.stdout), processMs: Date.now() - started });
    }
    samples.sort((a, b) => a.planMs - b.planMs);
    return samples[Math.floor(samples.length / 2)];
}

/** Writes a Pulumi project composing `count` services (Service + Registry each) from the library. */
function generatedProject(count: number): string {
    const dir = path.join(ROOT, ".bench", `services-${count}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bench-${count}\nruntime: nodejs\n`);
    fs.writeFileSync(path.join(dir, "Pulumi.bench.yaml"), "config:\n  gcp:project: bench-project\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `bench-${count}`, private: true, main: "index.ts" }));
    fs.writeFileSync(path.join(dir, "index.ts"), [
        `import * as gcp from "../../components/gcp";`,
        `export const urls: unknown[] = [];`,
        `for (let i = 0; i < ${count}; i++) {`,
        `    const svc = new gcp.Service(\`svc-\${i}\`, { region: "us-central1", image: "us-docker.pkg.dev/p/r/app:1", tier: i % 3 === 0 ? "production" : "solo" });`,
        `    new gcp.Registry(\`reg-\${i}\`, { location: "us-central1", readers: [svc.runtimeMember] });`,
        `    urls.push(svc.url);`,
        `}`,
    ].join("\n"));
    return dir;
}

function row(label: string, s: Sample): string {
    return [label.padEnd(14), `${s.resources}`.padStart(9), `${s.planMs.toFixed(0)}`.padStart(8), `${s.processMs}`.padStart(11), `${(s.planMs / s.resources).toFixed(2)}`.padStart(8), `${s.maxRssMiB.toFixed(0)}`.padStart(9)].join("  ");
}

console.log(`Offline plan, median of ${RUNS} fresh processes (${process.platform}, node ${process.version})`);
console.log(["case".padEnd(14), "resources".padStart(9), "plan ms".padStart(8), "process ms".padStart(11), "ms/res".padStart(8), "peak MiB".padStart(9)].join("  "));
for (const stack of ["solo", "staging", "production"]) console.log(row(stack, measure(ROOT, stack)));
for (const count of [1, 10, 50]) console.log(row(`${count} services`, measure(generatedProject(count), "bench")));
