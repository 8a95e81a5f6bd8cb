/** AWS alerting decisions: who budget notifications reach, the metrics of the error-ratio alarms. */

/**
 * Who a budget notification goes to: one path per address. With emails, AWS Budgets mails them directly (no
 * subscription to confirm, so the bill's guard-rail works from the first `up`) and not the topic, whose email
 * subscriptions (for the alarms) would deliver each alert a second time. Without emails, the topic (a notification
 * needs a subscriber; PagerDuty or a later subscription reads it).
 */
export function budgetSubscribers<T>(
    emails: readonly string[],
    topicArn: T,
): { subscriberEmailAddresses: string[]; subscriberSnsTopicArns: T[] } {
    return emails.length > 0
        ? { subscriberEmailAddresses: [...new Set(emails)], subscriberSnsTopicArns: [] }
        : { subscriberEmailAddresses: [], subscriberSnsTopicArns: [topicArn] };
}

/** A CloudWatch metric by namespace and name. */
export interface MetricName {
    readonly namespace: string;
    readonly metricName: string;
}

/** The load balancer's 5xx: its targets' and its own (e.g. 502 when no task answers). */
export const LOAD_BALANCER_ERRORS: readonly MetricName[] = [
    { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count" },
    { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count" },
];
export const LOAD_BALANCER_REQUESTS: MetricName = { namespace: "AWS/ApplicationELB", metricName: "RequestCount" };
export const FUNCTION_URL_ERRORS: readonly MetricName[] = [{ namespace: "AWS/Lambda", metricName: "Url5xxCount" }];
export const FUNCTION_URL_REQUESTS: MetricName = { namespace: "AWS/Lambda", metricName: "UrlRequestCount" };

/**
 * The metric math of an error-ratio alarm: the sum of `errors` over `requests` per minute (0 when
 * there are no requests), on the given dimensions.
 */
export function errorRatioQueries<D>(errors: readonly MetricName[], requests: MetricName, dimensions: D) {
    return [
        {
            id: "ratio",
            expression: `IF(requests > 0, (${errors.map((_, i) => `e${i}`).join(" + ")}) / requests, 0)`,
            label: "error ratio",
            returnData: true,
        },
        ...errors.map((m, i) => ({ id: `e${i}`, metric: { ...m, period: 60, stat: "Sum", dimensions } })),
        { id: "requests", metric: { ...requests, period: 60, stat: "Sum", dimensions } },
    ];
}
