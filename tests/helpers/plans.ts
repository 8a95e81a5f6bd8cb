import * as fs from "fs";
import * as os from "os";
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

let otherStacksDir: string | undefined;

/**
 * Plans Runway's program as stack `stack` whose stack file is a copy of `Pulumi.<from>.yaml` (e.g. a
 * second solo stack "dev"), from a project directory in the temp dir that runs this checkout's
 * program and builds its app/; identical requests share one run.
 */
export function planStackAs(stack: string, from: string, config: Record<string, string> = {}): Promise<PlanResult> {
    if (otherStacksDir === undefined) {
        otherStacksDir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-stacks-"));
        const project = fs
            .readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")
            .replace(/^main: (.*)$/m, (_, main) => `main: ${path.join(ROOT, main)}`);
        fs.writeFileSync(path.join(otherStacksDir, "Pulumi.yaml"), project);
        fs.symlinkSync(path.join(ROOT, "app"), path.join(otherStacksDir, "app"));
    }
    const file = path.join(otherStacksDir, `Pulumi.${stack}.yaml`);
    const text = fs.readFileSync(path.join(ROOT, `Pulumi.${from}.yaml`), "utf8");
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") !== text)
        throw new Error(`planStackAs: stack ${stack} was copied from another file`);
    fs.writeFileSync(file, text);
    return cachedPlan({ cwd: otherStacksDir, stack, config });
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
