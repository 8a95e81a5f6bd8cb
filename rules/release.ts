/**
 * Releases: the one-off migration that runs before any traffic moves, and the canary's metric gate.
 * Pure data and functions; the gate's decision itself runs in the deploy job
 * (components/github/scripts/cloud-run-gate.sh) with the thresholds given here.
 */
import type { Problem } from "./problems";
import { SERVICE_ALERTS, TierSettings } from "./profile";

/** How long one migration may run: the Cloud Run job's task timeout and the deploy step's wait for an ECS task. */
export const MIGRATION_TIMEOUT_MINUTES = 15;

/** What a migration is run as, by its name in problems and docs. */
const ARGV_EXAMPLE = '["npm","run","migrate"]';

/**
 * The migration command from `runway:migrationCommand`'s raw value: a JSON list of non-empty strings,
 * the program first. Nothing runs it through a shell (Cloud Run's `command`, ECS's `entryPoint` +
 * `command`), so a whole command line in one string is refused with the fix; a shell is asked for
 * explicitly (`["sh","-c","…"]`).
 * @example parseMigrationCommand('["npm","run","migrate"]', "runway:migrationCommand").command → ["npm","run","migrate"]
 */
export function parseMigrationCommand(raw: string, key: string): { command?: string[]; problems: Problem[] } {
    const allowed = `a JSON list of the command's words, the program first, e.g. ${ARGV_EXAMPLE} (no shell runs it; for one: ["sh","-c","npm run migrate"])`;
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        return { problems: [{ key, value: raw, allowed }] };
    }
    if (!Array.isArray(parsed) || parsed.length === 0) return { problems: [{ key, value: raw, allowed }] };
    const problems: Problem[] = [];
    parsed.forEach((word, i) => {
        if (typeof word !== "string" || word.trim() === "")
            problems.push({ key: `${key}[${i}]`, value: word, allowed: "a non-empty string (each item is one word of the command)" });
        else if (/[\0\n\r]/.test(word)) problems.push({ key: `${key}[${i}]`, value: word, allowed: "one line without NUL characters" });
    });
    const program = parsed[0];
    if (problems.length === 0 && typeof program === "string" && /\s/.test(program.trim())) {
        problems.push({
            key: `${key}[0]`,
            value: program,
            allowed: `the program alone: split the command line into its words, e.g. ${JSON.stringify(program.trim().split(/\s+/))}`,
        });
    }
    return problems.length > 0 ? { problems } : { command: parsed as string[], problems };
}

/**
 * The image's command replaced by `command` on ECS: `entryPoint` is the program, `command` its
 * arguments. Overriding the entry point drops the image's CMD (Docker's rule), so the result is
 * exactly `command` on both clouds (Cloud Run's `commands` replace ENTRYPOINT and CMD alike).
 */
export function ecsCommand(command: readonly string[]): { entryPoint: string[]; command: string[] } {
    return { entryPoint: [command[0]], command: command.slice(1) };
}

/** The canary a deploy makes and the gate that judges it. */
export interface CanaryPlan {
    /** Share of requests the new revision serves while it is judged (1-50). */
    readonly percent: number;
    /** Minutes it serves that share before the gate reads its metrics (ECS: canary bake time). */
    readonly minutes: number;
    /** The 5xx ratio above which the canary is rolled back: the service alert's threshold. */
    readonly maxErrorRatio: number;
    /** The p95 latency (ms) above which the canary is rolled back: the service alert's threshold. */
    readonly maxP95Ms: number;
    /**
     * Requests the canary must have served for its ratio to mean something: one 5xx in fewer requests
     * already exceeds the threshold. Below it the gate promotes on the smoke test alone, and says so.
     */
    readonly minRequests: number;
}

/** Allowed canary shares: a canary above half the traffic is a blue/green switch. */
export const CANARY_PERCENT = { min: 0, max: 50 } as const;
/**
 * Allowed gate windows. Cloud Monitoring shows a Cloud Run sample up to 3 minutes after it was taken
 * (cloud.google.com/monitoring/api/metrics_gcp_p_z, run.googleapis.com: "sampled every 60 seconds;
 * after sampling, data is not visible for up to 180 seconds"), so a shorter window reads nothing.
 */
export const CANARY_MINUTES = { min: 5, max: 60 } as const;

/**
 * The canary of a tier's settings, or undefined when it ships at once (`canaryPercent` 0). The
 * thresholds are the alert policies' (SERVICE_ALERTS): the gate and the pager agree on "broken".
 * @example canaryPlan({ canaryPercent: 10, canaryMinutes: 10 })?.maxErrorRatio === SERVICE_ALERTS.errorRatio
 */
export function canaryPlan(settings: Pick<TierSettings, "canaryPercent" | "canaryMinutes">): CanaryPlan | undefined {
    if (settings.canaryPercent <= 0) return undefined;
    return {
        percent: settings.canaryPercent,
        minutes: settings.canaryMinutes,
        maxErrorRatio: SERVICE_ALERTS.errorRatio,
        maxP95Ms: SERVICE_ALERTS.latencyP95Ms,
        minRequests: Math.ceil(1 / SERVICE_ALERTS.errorRatio),
    };
}

/**
 * Minutes ECS keeps the previous tasks after all traffic moved (`bakeTimeInMinutes`): the rollback
 * alarms fire within `SERVICE_ALERTS.durationSeconds` of a failure, and a rollback inside the bake
 * time only shifts traffic back.
 */
export function ecsBakeMinutes(): number {
    return Math.ceil(SERVICE_ALERTS.durationSeconds / 60);
}
