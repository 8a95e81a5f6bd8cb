import { StackValidationPolicy } from "@pulumi/policy";
import { ExchangeAssumption, EXCHANGE_ASSUMPTION_SCHEMA, toCurrency } from "../../rules/cost/currency";
import { CostEstimate, estimateCost } from "../../rules/cost/estimate";
import { resolveUsage, tierUsage } from "../../rules/cost/usage";
import { TIERS, Tier } from "../../rules/profile";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { UnknownCollector } from "../lib/unknowns";

export interface BudgetCoversEstimateConfig {
    /** Which tier's usage assumptions to start from. */
    usageTier: Tier;
    /** Overrides of those assumptions (requestsPerMonth, avgRequestSeconds, egressGb, imageStorageGb, logGb, secretAccessesPerMonth, imagesPushedPerMonth). */
    usage: Record<string, number>;
    /** Compare the budget with the estimate at usage, or idle. */
    basis: "usage" | "idle";
    /** Region of resources that do not name one (the stack's gcp:region); empty = the provider's region, else unpriced. */
    gcpRegion: string;
    /** Region of AWS resources that do not name one (the stack's aws:region); empty = the provider's region, else unpriced. */
    awsRegion: string;
    /** Exchange assumptions for budgets in another currency: units of that currency per US dollar, and the date the rate is from. */
    exchangeRates: Record<string, ExchangeAssumption>;
}

export const BUDGET_COVERS_ESTIMATE_DEFAULTS: BudgetCoversEstimateConfig = {
    usageTier: "solo",
    usage: {},
    basis: "usage",
    gcpRegion: "",
    awsRegion: "",
    exchangeRates: {},
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
        gcpRegion: { type: "string", description: "Region of GCP resources that do not name one; empty uses the provider's region." },
        awsRegion: { type: "string", description: "Region of AWS resources that do not name one; empty uses the provider's region." },
        exchangeRates: {
            type: "object",
            additionalProperties: EXCHANGE_ASSUMPTION_SCHEMA,
            description:
                'Exchange assumptions for budgets not in USD, by ISO currency code: {"EUR": {"perUsd": 0.86, "date": "2026-12-01"}}.',
        },
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
        const usage = resolveUsage(tierUsage(config.usageTier), config.usage, "usage").usage;
        const estimate = estimateCost(
            args.resources.map((r) => ({ urn: r.urn, type: r.type, props: r.props, providerRegion: providerRegionOf(r) })),
            { usage, defaultRegions: { gcp: config.gcpRegion || undefined, aws: config.awsRegion || undefined } },
        );
        const basis = config.basis === "idle" ? "idle" : `${usage.requestsPerMonth.toLocaleString("en-US")} requests/month`;
        const usd = config.basis === "idle" ? estimate.idleMonthly : estimate.usageMonthly;
        for (const b of budgets) {
            const message = judgeBudget(b, usd, estimate, basis, config.exchangeRates);
            if (message) reportViolation(message, b.urn);
        }
    },
};

/** The provider's region of a resource, as the engine passes the provider's inputs to a stack policy. */
function providerRegionOf(r: { provider?: { props?: Record<string, any> } }): string | undefined {
    const region = r.provider?.props?.region;
    return typeof region === "string" && region !== "" ? region : undefined;
}

/**
 * What to say about one budget, or undefined when it covers the estimate. A partial estimate that the
 * budget already falls below is still a finding; one the budget covers cannot be judged.
 */
export function judgeBudget(
    b: { name: string; amount: number; currency: string },
    usd: number,
    estimate: Pick<CostEstimate, "bound" | "unpricedResources" | "unpriced">,
    basis: string,
    rates: Readonly<Record<string, ExchangeAssumption>>,
): string | undefined {
    const converted = toCurrency(usd, b.currency, rates);
    if (!converted.ok) return `Cannot judge budget "${b.name}": ${converted.reason}`;
    const cost = converted.amount;
    const via = converted.note ? ` (${converted.note})` : "";
    const unpricedTypes = [...new Set(estimate.unpriced.map((u) => u.type))].slice(0, 5).join(", ");
    const partial = `${estimate.unpricedResources} resource(s) are unpriced (${unpricedTypes}${estimate.unpricedResources > 5 ? ", …" : ""})`;
    if (estimate.bound !== "exact" && !(b.amount < cost)) {
        return `Cannot judge budget "${b.name}": unpriced resources. ${partial}, so the estimate (at least ${cost.toFixed(2)} ${b.currency}/month${via}, ${basis}) may exceed its ${b.amount.toFixed(2)} ${b.currency}/month.`;
    }
    if (b.amount < cost) {
        return `Budget "${b.name}" is ${b.amount.toFixed(2)} ${b.currency}/month, below the estimated ${estimate.bound === "exact" ? "" : "at least "}${cost.toFixed(2)} ${b.currency}/month${via} (${basis}).${estimate.bound === "exact" ? "" : ` ${partial} and not included.`}`;
    }
    return undefined;
}
