import { StackValidationPolicy } from "@pulumi/policy";
import { estimateCost } from "../../rules/cost/estimate";
import { resolveUsage } from "../../rules/cost/usage";
import { TIER_PROFILES, TIERS, Tier } from "../../rules/profile";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { UnknownCollector } from "../lib/unknowns";

export interface BudgetCoversEstimateConfig {
    /** Which tier's usage assumptions to start from. */
    usageTier: Tier;
    /** Overrides of those assumptions (requestsPerMonth, avgRequestSeconds, egressGb, imageStorageGb, logGb, secretAccessesPerMonth, imagesPushedPerMonth). */
    usage: Record<string, number>;
    /** Compare the budget with the estimate at usage, or idle. */
    basis: "usage" | "idle";
    /** Region of resources that do not name one (the stack's gcp:region); empty = unpriced. */
    gcpRegion: string;
    /** Region of AWS resources that do not name one (the stack's aws:region); empty = unpriced. */
    awsRegion: string;
}

export const BUDGET_COVERS_ESTIMATE_DEFAULTS: BudgetCoversEstimateConfig = {
    usageTier: "solo",
    usage: {},
    basis: "usage",
    gcpRegion: "",
    awsRegion: "",
};

/** A budget's monthly amount and currency, or undefined when it has none. */
export function budgetAmount(type: string, props: Record<string, any>): { amount: number; currency: string } | undefined {
    if (type === "gcp:billing/budget:Budget") {
        const money = props.amount?.specifiedAmount;
        if (!money) return undefined;
        return { amount: Number(money.units ?? 0) + Number(money.nanos ?? 0) / 1e9, currency: String(money.currencyCode ?? "USD") };
    }
    if (type === "aws:budgets/budget:Budget" && (props.timeUnit ?? "MONTHLY") === "MONTHLY") {
        return { amount: Number(props.limitAmount), currency: String(props.limitUnit ?? "USD") };
    }
    return undefined;
}

/** Advisory: the budget is at least the estimated monthly cost, so its alerts mean something. */
export const budgetCoversEstimate: StackValidationPolicy = {
    name: "budget-covers-estimate",
    description: "The stack's monthly budget is at least its estimated monthly cost at the stated usage.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Raise the budget (runway:budgetAmount) above the estimate, lower the tier's fixed costs (minimum instances, database size), or correct the usage assumptions (runway:usage, or this policy's usage setting).",
    configSchema: schemaWithDefaults(BUDGET_COVERS_ESTIMATE_DEFAULTS, {
        usageTier: { type: "string", enum: [...TIERS], description: "Tier whose usage assumptions the estimate starts from." },
        usage: { type: "object", additionalProperties: { type: "number", minimum: 0 }, description: "Overrides of the usage assumptions." },
        basis: { type: "string", enum: ["usage", "idle"], description: "Compare the budget with the estimate at usage, or idle." },
        gcpRegion: { type: "string", description: "Region of GCP resources that do not name one; empty leaves them unpriced." },
        awsRegion: { type: "string", description: "Region of AWS resources that do not name one; empty leaves them unpriced." },
    }),
    validateStack: (args, reportViolation) => {
        const config = withDefaults(BUDGET_COVERS_ESTIMATE_DEFAULTS, args.getConfig<Partial<BudgetCoversEstimateConfig>>());
        const budgets: { urn: string; name: string; amount: number; currency: string }[] = [];
        const unknowns = new UnknownCollector();
        for (const r of args.resources) {
            unknowns.check(() => {
                const b = budgetAmount(r.type, r.props);
                if (b) budgets.push({ urn: r.urn, name: r.name, ...b });
            });
        }
        unknowns.finish();
        if (budgets.length === 0) args.notApplicable("the stack has no budget (budget-presence reports that)");
        const usage = resolveUsage(TIER_PROFILES[config.usageTier].usage, config.usage, "usage").usage;
        const estimate = estimateCost(
            args.resources.map((r) => ({ urn: r.urn, type: r.type, props: r.props })),
            {
                usage,
                defaultRegions: { gcp: config.gcpRegion || undefined, aws: config.awsRegion || undefined },
            },
        );
        const cost = config.basis === "idle" ? estimate.idleMonthly : estimate.usageMonthly;
        const unpriced = estimate.unpriced.length > 0 ? ` ${estimate.unpriced.length} resource(s) are unpriced and not included.` : "";
        for (const b of budgets) {
            if (b.currency !== "USD") {
                reportViolation(`Budget "${b.name}" is in ${b.currency}; the estimate is in USD, so they cannot be compared.`, b.urn);
            } else if (b.amount < cost) {
                reportViolation(
                    `Budget "${b.name}" is ${b.amount.toFixed(2)} USD/month, below the estimated ${cost.toFixed(2)} USD/month (${config.basis === "idle" ? "idle" : `${usage.requestsPerMonth.toLocaleString("en-US")} requests/month`}).${unpriced}`,
                    b.urn,
                );
            }
        }
    },
};
