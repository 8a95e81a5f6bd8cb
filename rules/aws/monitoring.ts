/** AWS alerting decisions: who budget notifications reach. */

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
