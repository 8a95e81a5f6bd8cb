import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Problem, problemIf } from "../../rules/problems";
import { BUDGET_THRESHOLDS, SERVICE_ALERTS } from "../../rules/profile";
import { nthName } from "../childNames";
import { BUDGET_EMAIL_LIMIT } from "../../rules/aws/limits";
import {
    FUNCTION_URL_ERRORS,
    FUNCTION_URL_REQUESTS,
    LOAD_BALANCER_ERRORS,
    LOAD_BALANCER_REQUESTS,
    budgetSubscribers,
    errorRatioQueries,
} from "../../rules/aws/monitoring";
import { snsTopicPolicy } from "../../rules/aws/iam";
import { RunwayComponent, argKey, keyedEntries } from "../base";

export { BUDGET_EMAIL_LIMIT };

/** One service an AWS `Monitoring` watches: an ECS service behind a load balancer, or a Lambda function URL. */
export interface WatchedService {
    /** ECS service name, for the CPU alarm. @default none */
    readonly serviceName?: pulumi.Input<string>;
    /** ECS cluster of the service. @default none (required with `serviceName`) */
    readonly clusterName?: pulumi.Input<string>;
    /** The load balancer dimension (`app/<name>/<id>`, the ALB's `arnSuffix`) for the 5xx-ratio and p95-latency alarms. @default none */
    readonly loadBalancer?: pulumi.Input<string>;
    /** Lambda function name, for its function URL's 5xx-ratio and p95-latency alarms (not with the ECS fields). @default none */
    readonly functionName?: pulumi.Input<string>;
}

export interface MonitoringArgs {
    /** Monthly budget in USD. @example 100 */
    readonly budgetAmount: number;
    /**
     * Account id, for the topic policy that lets Budgets and CloudWatch publish.
     * @default the account the provider deploys to @example "123456789012"
     */
    readonly accountId?: pulumi.Input<string>;
    /** Who gets budget notifications and alarms. @default [] (required for alarms) */
    readonly emails?: string[];
    /** budget: the budget only; service/full: + alarms on the service. @default "budget" */
    readonly alerts?: "budget" | "service" | "full";
    /**
     * Services to watch (for `service` and `full`): each gets its own alarms, all on the same topic;
     * the budget watches the whole account. Alarms are named by position (`nthName`): append new
     * services at the end. @default [] (required for `service` and `full`)
     * @example [{ serviceName: api.serviceName, clusterName: api.clusterName, loadBalancer: api.loadBalancer.arnSuffix },
     *     { functionName: hook.functionName }]
     */
    readonly services?: WatchedService[];
    /** PagerDuty integration key (CloudWatch integration): the topic pages it. Secret. @default none */
    readonly pagerDutyServiceKey?: pulumi.Input<string>;
}

/** PagerDuty's CloudWatch integration endpoint for an integration key (https://support.pagerduty.com/main/docs/amazon-cloudwatch-integration-guide). */
export const pagerDutyEndpoint = (key: string) => `https://events.pagerduty.com/integration/${key}/enqueue`;

/**
 * An SNS topic (with a policy letting CloudWatch publish) and its email / PagerDuty subscriptions for
 * the alarms, an AWS Budget (50 % and 90 % actual, 100 % forecast) mailing `emails` directly (each
 * address gets each alert once; the topic only when there is no email) and, by alert level,
 * CloudWatch alarms: 5xx ratio and p95 latency on the load balancer (or errors and p95 duration on
 * the Lambda function URL) and CPU on the ECS service.
 *
 * @example
 * new aws.Monitoring("ops", { budgetAmount: 100, emails: ["ops@example.com"], alerts: "service",
 *     services: [{ serviceName: svc.serviceName, clusterName: svc.clusterName, loadBalancer: svc.loadBalancer.arnSuffix }] });
 */
export class Monitoring extends RunwayComponent {
    public readonly topic: aws.sns.Topic;
    public readonly budget: aws.budgets.Budget;
    public readonly alarms: aws.cloudwatch.MetricAlarm[] = [];

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:Monitoring", name, opts);
        const alerts = args.alerts ?? "budget";
        const emails = args.emails ?? [];
        const services = args.services ?? [];
        this.refuse(problems(name, args.budgetAmount, alerts, emails, services));
        const parent = { parent: this };
        this.topic = new aws.sns.Topic(`${name}-alerts`, {}, parent);
        const topicPolicy = new aws.sns.TopicPolicy(
            `${name}-alerts-policy`,
            {
                arn: this.topic.arn,
                policy: pulumi
                    .all([this.topic.arn, args.accountId ?? aws.getCallerIdentityOutput({}, parent).accountId])
                    .apply(([arn, account]) => snsTopicPolicy(arn, account, emails.length === 0)),
            },
            parent,
        );
        for (const { entry: email, name: child, aliases } of keyedEntries(`${name}-email`, emails)) {
            new aws.sns.TopicSubscription(child, { topic: this.topic.arn, protocol: "email", endpoint: email }, { ...parent, aliases });
        }
        if (args.pagerDutyServiceKey !== undefined) {
            new aws.sns.TopicSubscription(
                `${name}-pagerduty`,
                {
                    topic: this.topic.arn,
                    protocol: "https",
                    endpointAutoConfirms: true,
                    endpoint: pulumi.secret(pulumi.output(args.pagerDutyServiceKey).apply(pagerDutyEndpoint)),
                },
                parent,
            );
        }

        const notification = (threshold: number, type: "ACTUAL" | "FORECASTED") => ({
            comparisonOperator: "GREATER_THAN",
            threshold: threshold * 100,
            thresholdType: "PERCENTAGE",
            notificationType: type,
            ...budgetSubscribers(emails, this.topic.arn),
        });
        this.budget = new aws.budgets.Budget(
            `${name}-budget`,
            {
                budgetType: "COST",
                timeUnit: "MONTHLY",
                limitAmount: args.budgetAmount.toFixed(2),
                limitUnit: "USD",
                notifications: [
                    ...BUDGET_THRESHOLDS.actual.map((t) => notification(t, "ACTUAL")),
                    ...BUDGET_THRESHOLDS.forecasted.map((t) => notification(t, "FORECASTED")),
                ],
            },
            { parent: this, dependsOn: [topicPolicy] },
        );

        if (alerts !== "budget") for (const [index, service] of services.entries()) this.createAlarms(name, service, index, topicPolicy);
        this.registerOutputs({ topicArn: this.topic.arn, budgetName: this.budget.name });
    }

    /** The alarms of one watched service: CPU (ECS), 5xx ratio and p95 latency (load balancer or function URL). */
    private createAlarms(name: string, args: WatchedService, index: number, topicPolicy: pulumi.Resource): void {
        const alarm = (id: string, props: Partial<aws.cloudwatch.MetricAlarmArgs>) =>
            this.alarm(nthName(`${name}-${id}`, index), props, topicPolicy);
        if (args.serviceName !== undefined) {
            alarm("cpu", {
                alarmDescription: "Service CPU above 85 % for 5 minutes (tasks saturated or unhealthy)",
                namespace: "AWS/ECS",
                metricName: "CPUUtilization",
                statistic: "Average",
                period: 60,
                threshold: 85,
                dimensions: { ClusterName: args.clusterName!, ServiceName: args.serviceName },
            });
        }
        if (args.loadBalancer !== undefined) {
            const lb = { LoadBalancer: args.loadBalancer };
            alarm("latency", {
                alarmDescription: `p95 latency above ${SERVICE_ALERTS.latencyP95Ms} ms for 5 minutes`,
                namespace: "AWS/ApplicationELB",
                metricName: "TargetResponseTime",
                extendedStatistic: "p95",
                period: 60,
                threshold: SERVICE_ALERTS.latencyP95Ms / 1000,
                dimensions: lb,
            });
            alarm("errors", {
                alarmDescription: `5xx responses (targets and load balancer) above ${SERVICE_ALERTS.errorRatio * 100} % of requests for 5 minutes`,
                threshold: SERVICE_ALERTS.errorRatio,
                metricQueries: errorRatioQueries(LOAD_BALANCER_ERRORS, LOAD_BALANCER_REQUESTS, lb),
            });
        }
        if (args.functionName !== undefined) this.createFunctionAlarms(alarm, args.functionName);
    }

    /** A function URL's p95 latency and 5xx ratio. */
    private createFunctionAlarms(
        alarm: (id: string, props: Partial<aws.cloudwatch.MetricAlarmArgs>) => void,
        functionName: pulumi.Input<string>,
    ): void {
        const fn = { FunctionName: functionName };
        alarm("latency", {
            alarmDescription: `p95 function URL latency above ${SERVICE_ALERTS.latencyP95Ms} ms for 5 minutes`,
            namespace: "AWS/Lambda",
            metricName: "UrlRequestLatency",
            extendedStatistic: "p95",
            period: 60,
            threshold: SERVICE_ALERTS.latencyP95Ms,
            dimensions: fn,
        });
        alarm("errors", {
            alarmDescription: `5xx responses of the function URL above ${SERVICE_ALERTS.errorRatio * 100} % of requests for 5 minutes`,
            threshold: SERVICE_ALERTS.errorRatio,
            metricQueries: errorRatioQueries(FUNCTION_URL_ERRORS, FUNCTION_URL_REQUESTS, fn),
        });
    }

    /** One alarm on the topic, breaching for the alert duration (`SERVICE_ALERTS`) in one-minute periods. */
    private alarm(childName: string, props: Partial<aws.cloudwatch.MetricAlarmArgs>, topicPolicy: pulumi.Resource): void {
        const periods = SERVICE_ALERTS.durationSeconds / 60;
        this.alarms.push(
            new aws.cloudwatch.MetricAlarm(
                childName,
                {
                    comparisonOperator: "GreaterThanThreshold",
                    evaluationPeriods: periods,
                    datapointsToAlarm: periods,
                    treatMissingData: "notBreaching",
                    alarmActions: [this.topic.arn],
                    okActions: [this.topic.arn],
                    ...props,
                } as aws.cloudwatch.MetricAlarmArgs,
                this.childOpts({ dependsOn: [topicPolicy] }),
            ),
        );
    }
}

/** Every problem with the arguments, at once. */
function problems(name: string, budgetAmount: number, alerts: string, emails: string[], services: WatchedService[]): Problem[] {
    const key = (field: string) => argKey("Monitoring", name, field);
    return [
        ...problemIf(!(budgetAmount > 0), key("budgetAmount"), budgetAmount, "an amount greater than 0"),
        ...emails
            .filter((e, i) => emails.findIndex((other) => other.toLowerCase() === e.toLowerCase()) !== i)
            .map((e) => ({ key: key("emails"), value: e, allowed: "each address once (it would get every alert twice)" })),
        ...problemIf(alerts !== "budget" && emails.length === 0, key("emails"), emails, `at least one email for alerts "${alerts}"`),
        // AWS Budgets: one SNS topic and at most 10 email subscribers per notification.
        ...problemIf(
            emails.length > BUDGET_EMAIL_LIMIT,
            key("emails"),
            `${emails.length} addresses`,
            `at most ${BUDGET_EMAIL_LIMIT} (AWS Budgets' limit per notification); subscribe a list address`,
        ),
        ...problemIf(
            alerts !== "budget" && services.length === 0,
            key("services"),
            [],
            `at least one load balancer, ECS service or Lambda function to watch for alerts "${alerts}"`,
        ),
        ...services.flatMap((s, i) => [
            ...problemIf(
                s.serviceName === undefined && s.loadBalancer === undefined && s.functionName === undefined,
                key(`services[${i}]`),
                {},
                "a serviceName, loadBalancer or functionName to watch",
            ),
            ...problemIf(
                s.serviceName !== undefined && s.clusterName === undefined,
                key(`services[${i}].clusterName`),
                undefined,
                "the ECS cluster of serviceName",
            ),
            ...problemIf(
                s.functionName !== undefined && (s.serviceName !== undefined || s.loadBalancer !== undefined),
                key(`services[${i}].functionName`),
                "(set)",
                "a Lambda function alone (watch an ECS service in its own entry)",
            ),
        ]),
    ];
}
