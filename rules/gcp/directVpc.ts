/**
 * Cloud Run Direct VPC egress: how many instances a revision may scale to, and how large the subnet
 * it takes addresses from must be. Pure.
 *
 * Sources (read 2026-12):
 * - https://cloud.google.com/run/quotas — "Maximum number of container instances using Direct VPC
 *   egress", per revision and region: 100–200 depending on the region, can be increased. The page
 *   does not list which region has which default (the console's Quotas & System Limits page shows a
 *   project's own), so Runway assumes the documented floor everywhere and takes a higher, granted
 *   quota from the stack (`runway:directVpcInstanceQuota`).
 * - https://cloud.google.com/run/docs/configuring/networking-best-practices — Direct VPC egress
 *   uses about 2 addresses per instance, and a new revision briefly runs next to the old one: plan
 *   for 4× the maximum instances in free addresses; a subnet of at least /26.
 * - https://cloud.google.com/vpc/docs/subnets#reserved_ip_addresses_in_every_subnet — every
 *   primary range loses 4 addresses (network, gateway, second-to-last, broadcast).
 * - magic-modules mmv1/products/compute/Subnetwork.yaml — `ipCidrRange` grows in place
 *   (expandIpCidrRange); a smaller range replaces the subnet (ForceNewIfChange IsShrinkageIpCidr).
 */
import { formatCidr, parseCidr } from "../cidr";
import type { Problem } from "../problems";

/** The lowest default Direct VPC egress instance quota per revision Google documents (100–200 by region). */
export const DIRECT_VPC_DEFAULT_INSTANCE_QUOTA = 100;
/** The highest quota Runway accepts: Cloud Run's own ceiling on `maxInstances`. */
export const DIRECT_VPC_MAX_INSTANCE_QUOTA = 1000;
/** Addresses a subnet must hold per instance: ~2 per instance, doubled while a rollout runs two revisions. */
export const ADDRESSES_PER_INSTANCE = 4;
/** Addresses Google reserves in every subnet's primary range. */
export const RESERVED_ADDRESSES = 4;
/** Google's recommended minimum subnet for Direct VPC egress. */
export const MIN_SUBNET_PREFIX = 26;
/**
 * The smallest subnet Runway sizes by default: /24 was the fixed default before sizing, and a smaller
 * range would replace existing subnets (which Cloud Run holds for 1–2 hours after use).
 */
export const DEFAULT_SUBNET_PREFIX = 24;
/** First address of the default subnet; each size starts here (10.8.0.0 is on every boundary up to /13). */
export const DEFAULT_SUBNET_BASE = "10.8.0.0";
/** The subnet CIDR before sizing. */
export const DEFAULT_SUBNET_CIDR = `${DEFAULT_SUBNET_BASE}/${DEFAULT_SUBNET_PREFIX}`;
/** Where the quota comes from, for messages. */
export const DIRECT_VPC_QUOTA_SOURCE = "https://cloud.google.com/run/quotas";

/** Usable addresses of a primary range with this prefix. */
export function usableAddresses(prefix: number): number {
    return Math.max(0, 2 ** (32 - prefix) - RESERVED_ADDRESSES);
}

/** Addresses `maxInstances` instances need from the subnet, rollouts included. */
export function addressesNeeded(maxInstances: number): number {
    return ADDRESSES_PER_INSTANCE * maxInstances;
}

/** The longest prefix (smallest subnet), no smaller than the default /24, that holds `maxInstances`. */
export function subnetPrefixFor(maxInstances: number): number {
    let prefix = DEFAULT_SUBNET_PREFIX;
    while (usableAddresses(prefix) < addressesNeeded(maxInstances)) prefix--;
    return prefix;
}

/** The default subnet for a maximum: `10.8.0.0/<subnetPrefixFor(max)>`. */
export function subnetCidrFor(maxInstances: number): string {
    const base = parseCidr(`${DEFAULT_SUBNET_BASE}/32`)!.base;
    return formatCidr(base, subnetPrefixFor(maxInstances));
}

/** `maxInstances` above the Direct VPC egress quota: the revision would be refused. */
export function directVpcInstanceProblems(maxInstances: number, quota: number, key: string, quotaKey: string): Problem[] {
    if (!Number.isInteger(maxInstances) || maxInstances <= quota) return [];
    return [
        {
            key,
            value: maxInstances,
            allowed: `at most ${quota} with Direct VPC egress (Cloud Run's instance quota per revision with Direct VPC egress is 100–200 depending on the region, ${DIRECT_VPC_QUOTA_SOURCE}; Runway assumes ${DIRECT_VPC_DEFAULT_INSTANCE_QUOTA} unless ${quotaKey} states your project's quota)`,
        },
    ];
}

/** A subnet range too small for `maxInstances` instances (4 addresses each). */
export function subnetCapacityProblems(cidr: string, maxInstances: number, key: string): Problem[] {
    const parsed = parseCidr(cidr);
    if (!parsed || usableAddresses(parsed.prefix) >= addressesNeeded(maxInstances)) return [];
    return [
        {
            key,
            value: cidr,
            allowed: `a range with at least ${addressesNeeded(maxInstances)} usable addresses for ${maxInstances} instances (4 each: ~2 per instance, twice during a rollout), e.g. /${subnetPrefixFor(maxInstances)}; or fewer instances`,
        },
    ];
}
