/**
 * The release steps of a deploy job (issue #36): the migration that runs once with the scanned image
 * before any traffic moves, and the canary share with its metric gate between the smoke test and the
 * full shift. The decisions live in shell scripts beside this file (components/github/shell/*.sh,
 * tested with stub CLIs), inlined into `run:` when the workflow is generated: the deploy job checks
 * nothing out, and the trust simulator reads every call they make from the workflow itself.
 */
import * as fs from "fs";
import * as path from "path";
import { MIGRATION_TIMEOUT_MINUTES, CanaryPlan } from "../../rules/release";
import { Step, expr, vars } from "./steps";
import type { DeployKind } from "./workflows";

/** What a deploy does besides shipping the image. */
export interface ReleaseSteps {
    /** A migration job (Cloud Run) or task family (ECS) runs before any traffic moves. @default false */
    readonly migration?: boolean;
    /** The canary share and its gate; none: all traffic moves at once after the smoke test. */
    readonly canary?: CanaryPlan;
    /** The stack's dashboard: every deploy links it from its job summary. @default false */
    readonly dashboard?: boolean;
}

/** Actions variables the release steps read, set by the stack beside the deploy target's. */
export const RELEASE_VARIABLES = {
    /** Cloud Run: the migration job's name. */
    migrationJob: "RUNWAY_MIGRATION_JOB",
    /** ECS: the migration task family, and where it runs (the service's subnets and security group) and logs. */
    migrationTask: "RUNWAY_MIGRATION_TASK",
    subnets: "RUNWAY_ECS_SUBNETS",
    securityGroup: "RUNWAY_ECS_SECURITY_GROUP",
    logGroup: "RUNWAY_ECS_LOG_GROUP",
    /** ECS: the CloudWatch alarms the CANARY deployment rolls back on (comma-separated names). */
    rollbackAlarms: "RUNWAY_ROLLBACK_ALARMS",
    /** The service's dashboard in the cloud console (the stack output `dashboardUrl`). */
    dashboardUrl: "RUNWAY_DASHBOARD_URL",
} as const;

/** The variables the release steps of a deploy target read. */
export function releaseVariablesFor(target: DeployKind, r: ReleaseSteps | undefined): string[] {
    const v = RELEASE_VARIABLES;
    const dashboard = r?.dashboard ? [v.dashboardUrl] : [];
    if (target === "cloud-run") return [...(r?.migration ? [v.migrationJob] : []), ...dashboard];
    // Lambda has only the dashboard; the Kubernetes targets have no release steps (yet): the config refuses the keys there.
    if (target !== "ecs") return dashboard;
    return [
        ...(r?.migration ? [v.migrationTask, v.subnets, v.securityGroup, v.logGroup] : []),
        ...(r?.canary ? [v.rollbackAlarms] : []),
        ...dashboard,
    ];
}

/**
 * The deploy job's first step: the service's dashboard, linked from the job summary, so whoever
 * watches a release (its canary, its rollback) has the request rate, 5xx ratio, latency and
 * instances one click away. No cloud call.
 */
export function dashboardLinkStep(): Step {
    return {
        name: "Link the service's dashboard from the job summary",
        "timeout-minutes": 1,
        env: { DASHBOARD_URL: vars(RELEASE_VARIABLES.dashboardUrl) },
        run: 'if [ -n "$DASHBOARD_URL" ]; then echo "Dashboard (requests, 5xx ratio, p50/p95 latency, instances): [open](${DASHBOARD_URL})" >> "$GITHUB_STEP_SUMMARY"; fi',
    };
}

type ScriptName = "cloud-run-migrate" | "cloud-run-gate" | "ecs-migrate" | "ecs-verdict";

/**
 * A release script's text as the step runs it: without its comment lines (the file documents it; the
 * workflow stays short, and prose never reads as a command to the trust simulator).
 */
export function releaseScript(name: ScriptName): string {
    return fs
        .readFileSync(path.join(__dirname, "shell", `${name}.sh`), "utf8")
        .split("\n")
        .filter((line) => !/^\s*#/.test(line))
        .join("\n")
        .trim();
}

/** Minutes a migration step may take: the task's own limit, starting it and reading its result. */
const MIGRATION_STEP_MINUTES = MIGRATION_TIMEOUT_MINUTES + 5;

/** Cloud Run: point the migration job at the pushed digest, run it once, wait; a failure stops the deploy. */
export function cloudRunMigrationStep(digest: string): Step {
    return {
        name: "Migrate the database (one-off job with the scanned image, before any traffic moves)",
        id: "migrate",
        "timeout-minutes": MIGRATION_STEP_MINUTES,
        env: { JOB: vars(RELEASE_VARIABLES.migrationJob), DIGEST: digest, MIGRATION_MINUTES: String(MIGRATION_TIMEOUT_MINUTES + 2) },
        run: releaseScript("cloud-run-migrate"),
    };
}

/**
 * Cloud Run: the canary share (`--to-revisions <candidate>=<percent>` scales the previous revisions
 * down proportionally: gcloud run services update-traffic), then the gate, which fails the step to
 * roll back (the rollback step restores the recorded split).
 */
export function cloudRunCanarySteps(canary: CanaryPlan, revision: string): Step[] {
    return [
        {
            name: `Canary: send ${canary.percent} % of requests to the new revision`,
            id: "canary",
            "timeout-minutes": 5,
            env: { REVISION: revision, CANARY_PERCENT: String(canary.percent) },
            run: [
                'gcloud run services update-traffic "$SERVICE" --region "$REGION" --to-revisions "${REVISION}=${CANARY_PERCENT}" --quiet',
                'echo "since=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$GITHUB_OUTPUT"',
            ].join("\n"),
        },
        {
            name: `Canary gate: the new revision's 5xx ratio and p95 latency after ${canary.minutes} minutes (Cloud Monitoring)`,
            id: "gate",
            "timeout-minutes": canary.minutes + 5,
            env: {
                REVISION: revision,
                SINCE: expr("steps.canary.outputs.since"),
                CANARY_MINUTES: String(canary.minutes),
                MAX_ERROR_RATIO: String(canary.maxErrorRatio),
                MAX_P95_MS: String(canary.maxP95Ms),
                MIN_REQUESTS: String(canary.minRequests),
            },
            run: releaseScript("cloud-run-gate"),
        },
    ];
}

/** ECS: register the migration family with the pushed image and run it once in the service's network; a failure stops the deploy. */
export function ecsMigrationStep(image: string, container: string): Step {
    const v = RELEASE_VARIABLES;
    return {
        name: "Migrate the database (one-off ECS task with the scanned image, before any traffic moves)",
        id: "migrate",
        "timeout-minutes": MIGRATION_STEP_MINUTES,
        env: {
            MIGRATION_FAMILY: vars(v.migrationTask),
            CONTAINER: container,
            IMAGE: image,
            SUBNETS: vars(v.subnets),
            SECURITY_GROUP: vars(v.securityGroup),
            LOG_GROUP: vars(v.logGroup),
            MIGRATION_MINUTES: String(MIGRATION_TIMEOUT_MINUTES + 2),
        },
        run: releaseScript("ecs-migrate"),
    };
}

/** ECS: print the CANARY deployment's outcome (promoted, or rolled back by an alarm) and fail on a rollback. */
export function ecsVerdictStep(deployed: string): Step {
    return {
        name: "Canary gate: ECS's decision (promoted, or rolled back by an alarm)",
        id: "gate",
        "timeout-minutes": 2,
        env: { DEPLOYED: deployed, ALARMS: vars(RELEASE_VARIABLES.rollbackAlarms) },
        run: releaseScript("ecs-verdict"),
    };
}
