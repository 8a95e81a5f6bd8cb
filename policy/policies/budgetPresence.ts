import { StackValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { UnknownCollector } from "../lib/unknowns";

export interface BudgetPresenceConfig {
    /** Alert thresholds a budget needs at least (e.g. 3 for 50%, 90% and a forecast). */
    minimumThresholds: number;
}

export const BUDGET_PRESENCE_DEFAULTS: BudgetPresenceConfig = { minimumThresholds: 1 };

export const BUDGET_TYPES = ["gcp:billing/budget:Budget", "aws:budgets/budget:Budget"];

/**
 * Packages of the clouds whose bills this policy knows how to watch (their budget types are BUDGET_TYPES).
 * A stack with none of them (only Docker, or a cloud such as Azure whose budgets it does not know) is
 * not judged: silence, not a mandatory failure nobody can fix with the budgets it accepts.
 */
export const BILLED_PACKAGES = ["gcp", "google-native", "aws", "aws-native"];

/** True when some resource type belongs to a billed cloud package this policy knows. */
export function hasBilledResources(types: readonly string[]): boolean {
    return types.some((t) => BILLED_PACKAGES.includes(t.split(":")[0]));
}

/** Problems with one budget, or [] when it would alert someone before the bill surprises them. */
export function budgetProblems(
    type: string,
    props: Record<string, any>,
    minimumThresholds = BUDGET_PRESENCE_DEFAULTS.minimumThresholds,
): string[] {
    const problems: string[] = [];
    if (type === "gcp:billing/budget:Budget") {
        const amount = Number(props.amount?.specifiedAmount?.units ?? 0) + Number(props.amount?.specifiedAmount?.nanos ?? 0) / 1e9;
        if (!(amount > 0) && props.amount?.lastPeriodAmount !== true) problems.push("amount.specifiedAmount.units must be greater than 0");
        const thresholds = Array.isArray(props.thresholdRules) ? props.thresholdRules.length : 0;
        if (thresholds < minimumThresholds)
            problems.push(
                `thresholdRules needs at least ${minimumThresholds} threshold${minimumThresholds === 1 ? "" : "s"} (has ${thresholds})`,
            );
        const rules = props.allUpdatesRule ?? {};
        const targets = (rules.monitoringNotificationChannels ?? []).length + (rules.pubsubTopic ? 1 : 0);
        const defaultRecipients = rules.disableDefaultIamRecipients !== true;
        if (targets === 0 && !defaultRecipients)
            problems.push("allUpdatesRule needs a notification channel or Pub/Sub topic (default IAM recipients are disabled)");
    } else {
        if (!(Number(props.limitAmount) > 0)) problems.push("limitAmount must be greater than 0");
        const notifications: Record<string, any>[] = props.notifications ?? [];
        if (notifications.length < minimumThresholds)
            problems.push(
                `notifications needs at least ${minimumThresholds} threshold${minimumThresholds === 1 ? "" : "s"} (has ${notifications.length})`,
            );
        if (!notifications.some((n) => (n.subscriberEmailAddresses ?? []).length + (n.subscriberSnsTopicArns ?? []).length > 0)) {
            problems.push("no notification has a subscriber email or SNS topic");
        }
    }
    return problems;
}

/**
 * Mandatory: a stack must carry a budget that alerts someone. A plain stack validation, so a stack
 * with no budget at all fails instead of being "not applicable".
 */
export const budgetPresence: StackValidationPolicy = {
    name: "budget-presence",
    description:
        "Every stack with resources a cloud bills has a cloud budget with an amount above zero, at least one threshold and a notification target.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: schemaWithDefaults(BUDGET_PRESENCE_DEFAULTS, {
        minimumThresholds: { type: "integer", minimum: 1, description: "Alert thresholds a budget needs at least." },
    }),
    remediationSteps:
        "Add a budget to the stack: Runway's gcp.Monitoring creates one (runway:budgetAmount, runway:billingAccount, runway:alertEmails); otherwise a gcp.billing.Budget or aws.budgets.Budget with an amount, thresholds and a subscriber.",
    validateStack: (args, reportViolation) => {
        const config = withDefaults(BUDGET_PRESENCE_DEFAULTS, args.getConfig<Partial<BudgetPresenceConfig>>());
        if (!hasBilledResources(args.resources.map((r) => r.type)))
            args.notApplicable("no resource in the stack is billed by a cloud whose budgets this policy knows (GCP, AWS)");
        const budgets = args.resources.filter((r) => BUDGET_TYPES.includes(r.type));
        if (budgets.length === 0) {
            reportViolation(`The stack has no budget (${BUDGET_TYPES.join(" or ")}): nothing warns anyone before the bill grows.`);
            return;
        }
        const unknowns = new UnknownCollector();
        let good = 0;
        for (const budget of budgets) {
            unknowns.check(() => {
                const problems = budgetProblems(budget.type, budget.props, config.minimumThresholds);
                for (const p of problems) reportViolation(`Budget "${budget.name}": ${p}.`, budget.urn);
                if (problems.length === 0) good++;
            });
        }
        unknowns.finish();
        if (good === 0)
            reportViolation(
                `No budget in the stack is complete (amount > 0, at least ${config.minimumThresholds} threshold(s), a notification target).`,
            );
    },
};
