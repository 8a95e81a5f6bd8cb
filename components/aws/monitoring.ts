import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { throwIfProblems } from "../errors";
import { BUDGET_THRESHOLDS, SERVICE_ALERTS } from "../tiers";

export interface MonitoringArgs {
    /** Monthly budget in USD. @example 100 */
    readonly budgetAmount: number;
    /** Who gets budget notifications and alarms. @default [] (required for alarms) */
    readonly emails?: string[];
    /** budget: the budget only; service/full: + alarms on the service. @default "budget" */
    readonly alerts?: "budget" | "service" | "full";
    /** ECS service name, for the CPU alarm. @default none (required for service alarms) */
    readonly serviceName?: pulumi.Input<string>;
    /** ECS cluster of the service. @default "default" */
    readonly clusterName?: pulumi.Input<string>;
    /**
     * The load balancer dimension (`app/<name>/<id>`) for the 5xx-ratio and p95-latency alarms. ECS
     * Express manages the load balancer and does not expose it: set this once it exists. @default none
     */
    readonly loadBalancer?: pulumi.Input<string>;
}

/**
 * An SNS topic with email subscriptions, an AWS Budget (50 % and 90 % actual, 100 % forecast) and,
 * by alert level, CloudWatch alarms on the service.
 *
 * @example
 * new aws.Monitoring("ops", { budgetAmount: 100, emails: ["ops@example.com"], alerts: "service", serviceName: svc.serviceName });
 */
export class Monitoring extends pulumi.ComponentResource {
    public readonly topic: aws.sns.Topic;
    public readonly budget: aws.budgets.Budget;
    public readonly alarms: aws.cloudwatch.MetricAlarm[] = [];

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:Monitoring", name, {}, opts);
        const alerts = args.alerts ?? "budget";
        const emails = args.emails ?? [];
        throwIfProblems(`Invalid arguments for runway:aws:Monitoring "${name}"`, [
            ...(args.budgetAmount > 0 ? [] : [{ key: `Monitoring(${name}).budgetAmount`, value: args.budgetAmount, allowed: "an amount greater than 0" }]),
            ...(alerts !== "budget" && emails.length === 0 ? [{ key: `Monitoring(${name}).emails`, value: emails, allowed: `at least one email for alerts "${alerts}"` }] : []),
            ...(alerts !== "budget" && args.serviceName === undefined ? [{ key: `Monitoring(${name}).serviceName`, value: undefined, allowed: "the service to watch" }] : []),
        ]);
        const parent = { parent: this };
        this.topic = new aws.sns.Topic(`${name}-alerts`, {}, parent);
        emails.forEach((email, i) => new aws.sns.TopicSubscription(`${name}-email-${i}`, { topic: this.topic.arn, protocol: "email", endpoint: email }, parent));

        const notification = (threshold: number, type: "ACTUAL" | "FORECASTED") => ({
            comparisonOperator: "GREATER_THAN", threshold: threshold * 100, thresholdType: "PERCENTAGE", notificationType: type,
            subscriberEmailAddresses: emails, subscriberSnsTopicArns: [this.topic.arn],
        });
        this.budget = new aws.budgets.Budget(`${name}-budget`, {
            budgetType: "COST", timeUnit: "MONTHLY", limitAmount: args.budgetAmount.toFixed(2), limitUnit: "USD",
            notifications: [...BUDGET_THRESHOLDS.actual.map((t) => notification(t, "ACTUAL")), ...BUDGET_THRESHOLDS.forecasted.map((t) => notification(t, "FORECASTED"))],
        }, parent);

        if (alerts !== "budget" && args.serviceName !== undefined) {
            const periods = SERVICE_ALERTS.durationSeconds / 60;
            const alarm = (id: string, props: Partial<aws.cloudwatch.MetricAlarmArgs>) => this.alarms.push(new aws.cloudwatch.MetricAlarm(`${name}-${id}`, {
                comparisonOperator: "GreaterThanThreshold", evaluationPeriods: periods, datapointsToAlarm: periods, treatMissingData: "notBreaching",
                alarmActions: [this.topic.arn], okActions: [this.topic.arn], ...props,
            } as aws.cloudwatch.MetricAlarmArgs, parent));
            alarm("cpu", {
                alarmDescription: "Service CPU above 85 % for 5 minutes (tasks saturated or unhealthy)",
                namespace: "AWS/ECS", metricName: "CPUUtilization", statistic: "Average", period: 60, threshold: 85,
                dimensions: { ClusterName: args.clusterName ?? "default", ServiceName: args.serviceName },
            });
            if (args.loadBalancer !== undefined) {
                alarm("latency", {
                    alarmDescription: `p95 latency above ${SERVICE_ALERTS.latencyP95Ms} ms for 5 minutes`,
                    namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", extendedStatistic: "p95", period: 60,
                    threshold: SERVICE_ALERTS.latencyP95Ms / 1000, dimensions: { LoadBalancer: args.loadBalancer },
                });
                alarm("errors", {
                    alarmDescription: `5xx responses above ${SERVICE_ALERTS.errorRatio * 100} % of requests for 5 minutes`,
                    threshold: SERVICE_ALERTS.errorRatio,
                    metricQueries: [
                        { id: "ratio", expression: "IF(requests > 0, errors / requests, 0)", label: "5xx ratio", returnData: true },
                        { id: "errors", metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", period: 60, stat: "Sum", dimensions: { LoadBalancer: args.loadBalancer } } },
                        { id: "requests", metric: { namespace: "AWS/ApplicationELB", metricName: "RequestCount", period: 60, stat: "Sum", dimensions: { LoadBalancer: args.loadBalancer } } },
                    ],
                });
            }
        }
        this.registerOutputs({ topicArn: this.topic.arn, budgetName: this.budget.name });
    }
}
