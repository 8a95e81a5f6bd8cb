/** The production load balancer's WAF web ACL rules. */

/** The AWS managed rule groups on every production load balancer, in evaluation order. */
export const WAF_MANAGED_RULE_GROUPS = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;
/** Requests one client IP may send in 5 minutes before it is blocked. */
export const WAF_RATE_LIMIT = 2000;

/**
 * Managed rules that only count (log and label) by default instead of blocking: the common rule set's
 * `SizeRestrictions_BODY` blocks every request body over 8 KB (the most an ALB's WAF inspects), i.e. ordinary uploads
 * and form posts. Counted, such bodies pass, and what lies past their first 8 KB is not inspected by any rule (the
 * SQLi, known-bad-inputs and other body rules still block what they find in the first 8 KB).
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
 */
export const WAF_COUNTED_RULES: Readonly<Record<string, readonly string[]>> = {
    AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"],
};

/**
 * The web ACL's rules: the managed groups (their own actions, but `WAF_COUNTED_RULES` counted unless
 * `blockLargeBodies`) and a per-IP rate limit (block).
 */
export function wafRules(metricPrefix: string, rateLimit = WAF_RATE_LIMIT, blockLargeBodies = false) {
    const visibility = (name: string) => ({
        cloudwatchMetricsEnabled: true,
        metricName: `${metricPrefix}-${name}`,
        sampledRequestsEnabled: true,
    });
    return [
        ...WAF_MANAGED_RULE_GROUPS.map((group, i) => ({
            name: group,
            priority: i + 1,
            overrideAction: { none: {} },
            statement: {
                managedRuleGroupStatement: {
                    vendorName: "AWS",
                    name: group,
                    ...(!blockLargeBodies && WAF_COUNTED_RULES[group]
                        ? { ruleActionOverrides: WAF_COUNTED_RULES[group].map((rule) => ({ name: rule, actionToUse: { count: {} } })) }
                        : {}),
                },
            },
            visibilityConfig: visibility(group),
        })),
        {
            name: "rate-limit-per-ip",
            priority: WAF_MANAGED_RULE_GROUPS.length + 1,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
            visibilityConfig: visibility("rate-limit"),
        },
    ];
}
