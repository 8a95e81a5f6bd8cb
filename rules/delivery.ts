/**
 * Time limits of the generated deploy jobs. A job that hits its own `timeout-minutes` is cancelled:
 * its `if: failure()` steps (the rollback) never run. A step that hits its `timeout-minutes` fails,
 * and the rollback after it runs. So every step of a deploy job has a limit, every waiter inside a
 * step gives up before its step's limit, and the job's limit is the sum of its steps' limits plus the
 * runner's own set-up: a stuck rollout always ends in a rollback, never in a cancelled job.
 * Pure data and functions.
 */

/** How long each waiter waits, in minutes, with its source. */
export const WAITS = {
    /**
     * `wait-for-minutes` Runway gives aws-actions/amazon-ecs-deploy-task-definition (its default is
     * 30, as long as the old job limit: aws-actions/amazon-ecs-deploy-task-definition `action.yml`).
     */
    ecsStable: 15,
    /** `aws ecs wait services-stable` polls DescribeServices every 15 s, 40 times (AWS CLI reference). */
    ecsCliStable: 10,
    /** `aws lambda wait function-updated-v2` polls GetFunction every 1 s, 300 times (AWS CLI reference). */
    lambdaUpdated: 5,
} as const;

/**
 * Days the deploy workflow keeps the scanned image archive for its deploy job. A deploy that waits for
 * a required reviewer may start weeks after the scan ("If a job is not approved within 30 days, it will
 * automatically fail": docs.github.com, "Reviewing deployments"), so its archive lives that long;
 * otherwise the deploy job starts right after the scan and one day is enough (a later "Re-run all
 * jobs" rebuilds and rescans). upload-artifact clamps a value above the repository's own maximum to
 * it. Storage: reviewers on a deploy environment need a public repository (artifact storage is free)
 * or GitHub Enterprise (50 GB included), rules/github.ts.
 */
export const IMAGE_RETENTION_DAYS = { reviewed: 30, unreviewed: 1 } as const;

/** How long the scanned image waits for its deploy job: as long as GitHub lets an approval wait. */
export function imageRetentionDays(reviewedDeploy: boolean): number {
    return reviewedDeploy ? IMAGE_RETENTION_DAYS.reviewed : IMAGE_RETENTION_DAYS.unreviewed;
}

/** Minutes a job needs besides its steps: provisioning the runner, setting up and tearing down the job. */
export const JOB_SETUP_MINUTES = 5;

/** Limits (minutes) of the steps of a job, in order; undefined where a step has none. */
export type StepLimits = readonly (number | undefined)[];

/**
 * The job limit that lets every step run to its own limit: the sum of the steps' limits plus set-up.
 * Throws when a step has no limit (it could run until the job is cancelled).
 * @example jobMinutes([5, 10]) === 20
 */
export function jobMinutes(steps: StepLimits): number {
    const missing = steps.findIndex((m) => m === undefined || !Number.isInteger(m) || m <= 0);
    if (missing >= 0) throw new Error(`jobMinutes: step ${missing + 1} has no timeout-minutes`);
    return steps.reduce<number>((sum, m) => sum + (m as number), JOB_SETUP_MINUTES);
}

/**
 * How a Cloud Run deploy job checks the new revision over HTTP:
 * - `http`: GET the health path on the candidate's tagged URL (public service);
 * - `iap`: the same with a JWT the deployer signs for that exact URL (IAP on the service admits a
 *   service account's self-signed JWT whose `aud` is the URL it calls; Google's managed OAuth client
 *   refuses programmatic ID tokens: cloud.google.com/iap/docs/authentication-howto);
 * - `revision-ready`: ingress admits only the load balancer, so nothing outside can call the tagged
 *   URL; Cloud Run's startup probe on the health path (an HTTP call from where the revision runs)
 *   decides readiness, and the edge check after the traffic shift calls it through the load balancer.
 */
export type CandidateCheck = "http" | "iap" | "revision-ready";

/** What the deploy job calls: the candidate (before traffic) and, behind an edge, the edge URL after the shift. */
export interface CloudRunChecks {
    readonly candidate: CandidateCheck;
    /** After the shift, GET the health path through the edge: plainly, or with a signed JWT when IAP runs on the load balancer. */
    readonly edge?: "http" | "iap";
}

/**
 * The checks a Cloud Run service allows: who may call it (`access`), whether only the load balancer
 * may reach it (`behindEdge`) and whether an edge URL exists to call after the shift.
 * @example cloudRunChecks({ access: "iap", behindEdge: false, edgeUrl: false }) → { candidate: "iap" }
 */
export function cloudRunChecks(o: { access: "public" | "iap"; behindEdge: boolean; edgeUrl: boolean }): CloudRunChecks {
    if (!o.behindEdge) return { candidate: o.access === "iap" ? "iap" : "http" };
    return { candidate: "revision-ready", ...(o.edgeUrl ? { edge: o.access === "iap" ? "iap" : "http" } : {}) };
}
