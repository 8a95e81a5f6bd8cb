import * as path from "path";
import { plan, PlanOptions, PlanResult } from "../../plan";
import { runCli } from "../../plan/cli";
// The library, loaded once here: every plan of Runway's stacks shares it instead of recompiling it.
import "../../components";

export const ROOT = path.resolve(__dirname, "../..");
const cache = new Map<string, Promise<PlanResult>>();

/** Plans offline; identical requests (same project, stack, config, policy config) share one run. */
export function cachedPlan(options: PlanOptions): Promise<PlanResult> {
    const key = JSON.stringify([
        options.cwd ?? ROOT,
        options.stack,
        options.config ?? {},
        options.secretConfig ?? {},
        options.policyConfig ?? null,
        options.verbose ?? false,
    ]);
    if (!cache.has(key)) cache.set(key, plan(options));
    return cache.get(key)!;
}

/** Plans one of Runway's own stacks offline; identical requests share one run. */
export function planStack(
    stack: string,
    config: Record<string, string> = {},
    secretConfig: Record<string, string> = {},
): Promise<PlanResult> {
    return cachedPlan({ cwd: ROOT, stack, config, secretConfig });
}

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/**
 * Runs the plan command in-process, as `npm run -s plan -- <args>` would from `shellDir` (default:
 * the repository root), sharing plans with `planStack`. The process-level wiring (bin, npm script,
 * exit code of a real process) is tested once in tests/package.test.ts and tests/readme.test.ts.
 */
export async function cli(...args: string[]): Promise<CliResult> {
    return cliIn(ROOT, {}, ...args);
}

/** `cli` from another shell directory and environment (e.g. what npm sets for `npm run`). */
export async function cliIn(shellDir: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
    let stdout = "";
    let stderr = "";
    const code = await runCli(args, {
        stdout: (t) => {
            stdout += t;
        },
        stderr: (t) => {
            stderr += t;
        },
        shellDir,
        env,
        plan: cachedPlan,
    });
    return { code, stdout, stderr };
}
