/** The cost estimate of a recorded run: its cloud resources priced at the stated usage. */
import { boundOf, CostEstimate, estimateCost, EstimateOptions, PricedResource } from "../rules/cost/estimate";
import { usageFromConfig } from "../rules/cost/usage";
import { ResourceRecord } from "./engine";

/** Cloud resources as the estimator reads them (components, providers and resources only read cost nothing new). */
export function pricedResources(resources: readonly ResourceRecord[]): PricedResource[] {
    return resources
        .filter((r) => r.custom && !r.read && !r.type.startsWith("pulumi:providers:"))
        .map((r) => ({ urn: r.urn, type: r.type, props: r.inputs }));
}

/** Why `r` cannot be priced on its own (its pricing throws or gives no number), if it cannot. */
function unpriceable(r: PricedResource, options: EstimateOptions): string | undefined {
    try {
        const alone = estimateCost([r], options);
        return [alone.usageMonthly, alone.idleMonthly].every(Number.isFinite)
            ? undefined
            : "its inputs give no price (unknown or unusual values)";
    } catch (err) {
        return `pricing failed on its inputs (${(err as Error)?.message ?? String(err)})`;
    }
}

/**
 * Usage: `runway:tier` defaults + `runway:usage`; regions: the providers' `gcp:region` / `aws:region`.
 * Never fails a plan: a resource whose inputs the price functions cannot read is listed as unpriced.
 */
export function estimateRun(resources: readonly ResourceRecord[], config: Readonly<Record<string, string>>): CostEstimate {
    const options: EstimateOptions = {
        usage: usageFromConfig(config).usage,
        defaultRegions: { gcp: config["gcp:region"], aws: config["aws:region"] },
    };
    const priced = pricedResources(resources);
    const refused = new Map(
        priced.map((r) => [r.urn, unpriceable(r, options)] as const).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const estimate = estimateCost(
        priced.filter((r) => !refused.has(r.urn)),
        options,
    );
    const unpriced = [
        ...estimate.unpriced,
        // A multi-language component's resources are created by its plugin: offline they are not there to price.
        ...resources
            .filter((r) => r.remote)
            .map((r) => ({
                urn: r.urn,
                type: r.type,
                reason: "a multi-language component, not expanded offline: its resources are not priced",
            })),
        ...priced.filter((r) => refused.has(r.urn)).map((r) => ({ urn: r.urn, type: r.type, reason: refused.get(r.urn)! })),
    ];
    return { ...estimate, unpriced, ...boundOf({ unpriced, lines: estimate.lines }) };
}
