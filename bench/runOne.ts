/** One measured offline plan in a fresh process: prints { planMs, resources, maxRssMiB } as JSON. */
import { plan } from "../plan";

async function main(): Promise<void> {
    const [cwd, stack] = process.argv.slice(2);
    const started = process.hrtime.bigint();
    const { document } = await plan({ cwd, stack });
    const planMs = Number(process.hrtime.bigint() - started) / 1e6;
    const maxRssMiB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(JSON.stringify({ planMs, resources: document.resources.length, maxRssMiB }));
}

main().catch((err) => {
    process.stderr.write(String(err?.message ?? err));
    process.exit(1);
});
