/** The AWS VPC plan: availability zones, subnets and NAT gateways. Data in, data out. */
import { checkPrivateCidr, formatCidr, parseCidr } from "../cidr";
import { Problem, throwIfProblems } from "../problems";
import type { NatStrategy } from "../profile";

/** Splits an IPv4 CIDR into `count` equal subnets of `newBits` more prefix bits, starting at subnet `offset`. */
function split(cidr: string, newBits: number, count: number, offset: number): string[] {
    const { base, prefix } = parseCidr(cidr)!;
    const size = 2 ** (32 - prefix - newBits);
    return Array.from({ length: count }, (_, i) => formatCidr(base + (offset + i) * size, prefix + newBits));
}

/** Availability zones a Runway VPC spans: an Application Load Balancer needs subnets in at least two; the subnet plan fits four. */
export const AZ_COUNT_RANGE = { min: 2, max: 4 } as const;

/** A problem naming `key` when `azCount` is outside `AZ_COUNT_RANGE`. */
export function azCountProblems(azCount: number, key: string): Problem[] {
    const { min, max } = AZ_COUNT_RANGE;
    return Number.isInteger(azCount) && azCount >= min && azCount <= max
        ? []
        : [{ key, value: azCount, allowed: `${min} to ${max} availability zones (a load balancer needs at least two)` }];
}

export interface SubnetPlan {
    readonly public: string[];
    readonly private: string[];
}

/** Problems with a VPC range: a private /16-/24 on its own boundary. */
export function checkVpcCidr(cidr: string, key: string): Problem[] {
    return checkPrivateCidr(cidr, key, 16, 24, "10.0.0.0/16");
}

/**
 * Public subnets take the first eighth of the VPC range, private subnets the second half: each AZ
 * gets one of each, no two overlap, and all fit in the VPC.
 * @example planSubnets("10.0.0.0/16", 2) → public 10.0.0.0/20, 10.0.16.0/20; private 10.0.128.0/19, 10.0.160.0/19
 */
export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan {
    throwIfProblems("Invalid subnet plan", azCountProblems(azCount, "azCount"));
    return { public: split(vpcCidr, 4, azCount, 0), private: split(vpcCidr, 3, azCount, 4) };
}

/** NAT gateways to create and which one each private subnet routes through. */
export function natLayout(strategy: NatStrategy, azCount: number): { gateways: number; routeOf: (az: number) => number | undefined } {
    if (strategy === "none") return { gateways: 0, routeOf: () => undefined };
    if (strategy === "single") return { gateways: 1, routeOf: () => 0 };
    return { gateways: azCount, routeOf: (az) => az };
}
