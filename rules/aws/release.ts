/**
 * Releases on ECS (issue #36): the service's built-in CANARY deployment and the alarms it rolls back
 * on. Pure data: the components create the resources from it.
 *
 * Sources: ECS API `DeploymentConfiguration` / `CanaryConfiguration` (canaryPercent 0.1-100,
 * canaryBakeTimeInMinutes 0-1440; bakeTimeInMinutes for BLUE_GREEN, LINEAR and CANARY) and
 * `DeploymentAlarms`; ECS developer guide "Amazon ECS canary deployments" (an Application Load
 * Balancer with two target groups, a production listener rule whose weights ECS moves, and an
 * infrastructure role with AmazonECSInfrastructureRolePolicyForLoadBalancers) and "Deployment
 * circuit breaker" (rolling updates only); ELB "CloudWatch metrics for your Application Load
 * Balancer" (per-target-group RequestCount, HTTPCode_Target_5XX_Count, TargetResponseTime).
 */
import { SERVICE_ALERTS } from "../profile";
import { CanaryPlan, ecsBakeMinutes } from "../release";

/** The managed policy ECS's infrastructure role needs to move a listener rule's weights between two target groups. */
export const ECS_LOAD_BALANCER_ROLE_POLICY = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers";

/** The service's deployment settings: a CANARY strategy rolling back on the alarms (no circuit breaker: rolling updates only). */
export function ecsCanaryDeployment(canary: CanaryPlan) {
    return {
        deploymentConfiguration: {
            strategy: "CANARY",
            canaryConfiguration: { canaryPercent: canary.percent, canaryBakeTimeInMinutes: String(canary.minutes) },
            bakeTimeInMinutes: String(ecsBakeMinutes()),
        },
        deploymentCircuitBreaker: { enable: false, rollback: false },
    };
}

/** One CloudWatch metric-math query of an alarm. */
export interface AlarmQuery<T> {
    readonly id: string;
    readonly expression?: string;
    readonly label?: string;
    readonly returnData: boolean;
    readonly metric?: { namespace: string; metricName: string; period: number; stat: string; dimensions: Record<string, T> };
}

/** A rollback alarm: its name (the service's deployment lists it), what it says, its threshold and queries. */
export interface RollbackAlarm<T> {
    readonly name: string;
    readonly description: string;
    readonly threshold: number;
    /** One-minute periods that must all breach: the alert duration. */
    readonly periods: number;
    readonly queries: AlarmQuery<T>[];
}

const ELB = "AWS/ApplicationELB";

/**
 * The alarms a CANARY deployment rolls back on: the worse of the two target groups' 5xx ratio, and
 * the worse of their p95 latency, above the alert thresholds (SERVICE_ALERTS, the pager's) for the
 * alert duration. Per target group, so a canary serving a tenth of the requests is judged on its own
 * responses, whichever of the two groups it is in this time (ECS alternates them).
 * @example rollbackAlarms("app-production", "app/lb/1", ["targetgroup/a/1", "targetgroup/b/2"]).map((a) => a.name)
 *     → ["app-production-rollback-5xx", "app-production-rollback-p95"]
 */
export function rollbackAlarms<T>(serviceName: string, loadBalancer: T, targetGroups: readonly [T, T]): RollbackAlarm<T>[] {
    const metric = (metricName: string, stat: string, targetGroup: T) => ({
        namespace: ELB,
        metricName,
        period: 60,
        stat,
        dimensions: { LoadBalancer: loadBalancer, TargetGroup: targetGroup },
    });
    const periods = SERVICE_ALERTS.durationSeconds / 60;
    const ratios = targetGroups.flatMap((tg, i): AlarmQuery<T>[] => [
        { id: `e${i}`, returnData: false, metric: metric("HTTPCode_Target_5XX_Count", "Sum", tg) },
        { id: `r${i}`, returnData: false, metric: metric("RequestCount", "Sum", tg) },
        { id: `ratio${i}`, expression: `IF(r${i} > 0, e${i} / r${i}, 0)`, returnData: false },
    ]);
    return [
        {
            name: `${serviceName}-rollback-5xx`,
            description: `Rolls a deployment back: 5xx above ${SERVICE_ALERTS.errorRatio * 100} % of a target group's requests for ${SERVICE_ALERTS.durationSeconds / 60} minutes`,
            threshold: SERVICE_ALERTS.errorRatio,
            periods,
            queries: [...ratios, { id: "worst", expression: "MAX([ratio0, ratio1])", label: "worst 5xx ratio", returnData: true }],
        },
        {
            name: `${serviceName}-rollback-p95`,
            description: `Rolls a deployment back: a target group's p95 latency above ${SERVICE_ALERTS.latencyP95Ms} ms for ${SERVICE_ALERTS.durationSeconds / 60} minutes`,
            threshold: SERVICE_ALERTS.latencyP95Ms / 1000,
            periods,
            queries: [
                ...targetGroups.map(
                    (tg, i): AlarmQuery<T> => ({ id: `p${i}`, returnData: false, metric: metric("TargetResponseTime", "p95", tg) }),
                ),
                { id: "worst", expression: "MAX([p0, p1])", label: "worst p95 latency (s)", returnData: true },
            ],
        },
    ];
}
