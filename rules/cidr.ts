/** IPv4 ranges: one parser and one set of checks for every network component. Pure. */
import type { Problem } from "./problems";

export interface Cidr {
    /** The first address as a number. */
    readonly base: number;
    readonly prefix: number;
}

/** Parses `a.b.c.d/n`; undefined when malformed. */
export function parseCidr(cidr: string): Cidr | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    return { base: octets.reduce((acc, o) => acc * 256 + o, 0), prefix };
}

/** `a.b.c.d/n` for an address number and prefix. */
export function formatCidr(base: number, prefix: number): string {
    return `${[24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join(".")}/${prefix}`;
}

/** RFC 1918: 10/8, 172.16/12, 192.168/16. */
export function isPrivateRange({ base, prefix }: Cidr): boolean {
    const inside = (net: number, bits: number) =>
        prefix >= bits && Math.floor(base / 2 ** (32 - bits)) === Math.floor(net / 2 ** (32 - bits));
    return inside(10 * 2 ** 24, 8) || inside((172 * 256 + 16) * 2 ** 16, 12) || inside((192 * 256 + 168) * 2 ** 16, 16);
}

/** Problems with a private range whose prefix must lie in [minPrefix, maxPrefix], on its own boundary. */
export function checkPrivateCidr(cidr: string, key: string, minPrefix: number, maxPrefix: number, example: string): Problem[] {
    const parsed = parseCidr(cidr);
    if (!parsed || parsed.prefix < minPrefix || parsed.prefix > maxPrefix) {
        return [{ key, value: cidr, allowed: `an IPv4 range from /${minPrefix} to /${maxPrefix}, e.g. ${example}` }];
    }
    if (parsed.base % 2 ** (32 - parsed.prefix) !== 0)
        return [{ key, value: cidr, allowed: `a range starting on a /${parsed.prefix} boundary` }];
    return isPrivateRange(parsed) ? [] : [{ key, value: cidr, allowed: "a private (RFC 1918) range: 10/8, 172.16/12 or 192.168/16" }];
}
