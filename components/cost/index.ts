/** Monthly cost estimates from a stack's resources: price table, usage assumptions, pricing functions. */
export { CostEstimate, CostLine, EstimateOptions, PricedResource, cpuOf, estimateCost, gibOf } from "../../rules/cost/estimate";
export { AWS_PRICES, GCP_PRICES, HOURS_PER_MONTH, Price, SECONDS_PER_MONTH } from "../../rules/cost/prices";
export { USAGE_KEYS, Usage, idleUsage, resolveUsage, usageFromConfig } from "../../rules/cost/usage";
