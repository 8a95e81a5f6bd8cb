/** The cost estimate of a recorded run: its cloud resources priced at the stack's usage. */
import { CostEstimate, estimateCost, PricedResource } from "../components/cost/estimate";
import { usageFromConfig } from "../components/cost/usage";
import { ResourceRecord } from "./engine";

/** Cloud resources as the estimator reads them (components, providers and resources only read cost nothing new). */
export function pricedResources(resources: readonly ResourceRecord[]): PricedResource[] {
    return resources.filter((r) => r.custom && !r.read && !r.type.startsWith("pulumi:providers:")).map((r) => ({ urn: r.urn, type: r.type, props: r.inputs }));
}

/** Usage: `runway:tier` defaults + `runway:usage`; regions: the providers' `gcp:region` / `aws:region`. */
export function estimateRun(resources: readonly ResourceRecord[], config: Readonly<Record<string, string>>): CostEstimate {
    return estimateCost(pricedResources(resources), {
        usage: usageFromConfig(config).usage,
        defaultRegions: { gcp: config["gcp:region"], aws: config["aws:region"] },
    });
}
