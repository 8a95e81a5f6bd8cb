import { spawnSync } from "child_process";
import * as path from "path";
import { plan, PlanResult } from "../../plan";

export const ROOT = path.resolve(__dirname, "../..");
const cache = new Map<string, Promise<PlanResult>>();

/** Plans one of Runway's own stacks offline; identical requests share one run. */
export function planStack(stack: string, config: Record<string, string> = {}, secretConfig: Record<string, string> = {}): Promise<PlanResult> {
    const key = JSON.stringify([stack, config, secretConfig]);
    if (!cache.has(key)) cache.set(key, plan({ cwd: ROOT, stack, config, secretConfig }));
    return cache.get(key)!;
}

/** Runs the plan CLI as a user would (`npm run plan -- ...`), from the repository root. */
export function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", path.join(ROOT, "plan", "cli.ts"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
