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
