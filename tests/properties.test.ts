/**
 * Property-based tests (fast-check) of the pure planners: names and ids, subnet plans, budget money
 * and CIDR ranges. Each property runs on a modest number of generated cases (the whole file well under
 * a second); a failure prints the shrunk counter-example, which then becomes an example test below it.
 */
import { expect } from "chai";
import fc from "fast-check";
import { AZ_COUNT_RANGE, planSubnets } from "../rules/aws/network";
import { Cidr, checkPrivateCidr, formatCidr, isPrivateRange, parseCidr } from "../rules/cidr";
import { budgetMoney } from "../rules/gcp/alerts";
import { serviceAccountId, workloadIdentityId } from "../components/gcp/names";
import { checkSubnetCidr } from "../components/gcp/network";
import { Secrets, secretId } from "../components/gcp/secrets";
import { CLOUD_RUN_SERVICE_NAME, ENV_NAME } from "../rules/patterns";
import { expectRejected } from "./helpers/record";

const RUNS = { numRuns: 200 };

/**
 * Service names the config accepts (runway:serviceName), short and long. The rule refuses two hyphens
 * in a row: `slug` folds them, so "shop--web" and "shop-web" would get one id (found by this file).
 */
const serviceName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/).filter((n) => CLOUD_RUN_SERVICE_NAME.test(n));
/** The roles Runway gives its GCP identities, plus generated short ones. */
const role = fc.oneof(
    fc.constantFrom("run", "gh", "deploy-main", "deploy-staging", "deploy-production", "preview-main"),
    fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/),
);
/** A range as (first address, prefix), the first address on its own boundary. */
const alignedRange = fc
    .integer({ min: 0, max: 32 })
    .chain((prefix) => fc.integer({ min: 0, max: 2 ** prefix - 1 }).map((n): Cidr => ({ base: n * 2 ** (32 - prefix), prefix })));
const overlaps = (a: Cidr, b: Cidr) => a.base < b.base + 2 ** (32 - b.prefix) && b.base < a.base + 2 ** (32 - a.prefix);
const inside = (inner: Cidr, outer: Cidr) =>
    inner.base >= outer.base && inner.base + 2 ** (32 - inner.prefix) <= outer.base + 2 ** (32 - outer.prefix);

describe("properties: GCP ids", () => {
    it("service account ids are 6-30 characters, a lowercase letter first, letters/digits/hyphens, no hyphen last", () => {
        fc.assert(
            fc.property(serviceName, role, (base, r) => {
                expect(serviceAccountId(base, r)).to.match(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
            }),
            RUNS,
        );
    });

    it("service account ids of distinct service names differ (same role)", () => {
        fc.assert(
            fc.property(serviceName, serviceName, role, (a, b, r) => {
                fc.pre(a !== b);
                expect(serviceAccountId(a, r)).to.not.equal(serviceAccountId(b, r));
            }),
            RUNS,
        );
    });

    it("Workload Identity pool ids are 4-32 of [a-z0-9-], never in Google's reserved gcp- prefix, and differ for distinct names", () => {
        fc.assert(
            fc.property(serviceName, serviceName, (a, b) => {
                const id = workloadIdentityId(a, "gh");
                expect(id).to.match(/^[a-z0-9-]{4,32}$/);
                expect(id.startsWith("gcp-")).to.equal(false);
                if (a !== b) expect(id).to.not.equal(workloadIdentityId(b, "gh"));
            }),
            RUNS,
        );
    });

    it("secret ids are 1-255 of [a-z0-9_-] and differ for distinct value names of one Secrets", () => {
        const envName = fc.stringMatching(ENV_NAME).filter((n) => n.length <= 60);
        fc.assert(
            fc.property(serviceName, envName, envName, (prefix, a, b) => {
                expect(secretId(prefix, a)).to.match(/^[a-z0-9_-]{1,255}$/);
                fc.pre(a.toLowerCase() !== b.toLowerCase()); // case-only twins are refused by gcp.Secrets (below)
                expect(secretId(prefix, a)).to.not.equal(secretId(prefix, b));
            }),
            RUNS,
        );
    });
});

describe("properties: budget money", () => {
    it("units and nanos hold the amount: nanos in [0, 1e9), units + nanos = amount to the nano", () => {
        // Any amount, and amounts a hair below a whole unit (where rounding the fraction reaches 1e9 nanos).
        const amount = fc.oneof(
            fc.double({ min: 0, max: 1e7, noNaN: true }),
            fc.tuple(fc.nat(1e7), fc.double({ min: 1e-13, max: 5e-10, noNaN: true })).map(([u, e]) => u + 1 - e),
        );
        fc.assert(
            fc.property(amount, (amount) => {
                const money = budgetMoney(amount, "USD");
                expect(money.nanos).to.be.within(0, 999_999_999);
                expect(Number.isInteger(money.nanos)).to.equal(true);
                expect(money.units).to.match(/^\d+$/);
                expect(Math.abs(Number(money.units) + money.nanos / 1e9 - amount)).to.be.at.most(1e-9 * Math.max(1, amount));
            }),
            RUNS,
        );
    });

    it("never loses a cent: an amount in cents comes back as the same cents", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), (cents) => {
                const money = budgetMoney(cents / 100, "EUR");
                expect(Number(money.units) * 100 + Math.round(money.nanos / 1e7)).to.equal(cents);
                expect(money.currencyCode).to.equal("EUR");
            }),
            RUNS,
        );
    });
});

describe("counter-examples the properties found", () => {
    it("budget money: 1.9999999999 is 2 units and 0 nanos, not 1 unit and 1e9 nanos (which the Billing API refuses)", () => {
        expect(budgetMoney(1.9999999999, "USD")).to.deep.equal({ currencyCode: "USD", units: "2", nanos: 0 });
    });

    it("gcp.Secrets refuses value names that differ only in case (one secret id), naming both, before any resource", async () => {
        await expectRejected(
            () => new Secrets("app", { prefix: "shop", values: { API_KEY: "a", api_key: "b" } }),
            /Secrets\(app\)\.values\.api_key.*differs from API_KEY in more than letter case/,
        );
    });
});

describe("properties: CIDR ranges", () => {
    it("format then parse gives back the address and prefix", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (base, prefix) => {
                expect(parseCidr(formatCidr(base, prefix))).to.deep.equal({ base, prefix });
            }),
            RUNS,
        );
    });

    it("parse then format gives back the text of a canonical range", () => {
        fc.assert(
            fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), fc.nat(32), (octets, prefix) => {
                const text = `${octets.join(".")}/${prefix}`;
                const parsed = parseCidr(text)!;
                expect(formatCidr(parsed.base, parsed.prefix)).to.equal(text);
            }),
            RUNS,
        );
    });

    it("the GCP subnet check accepts exactly the aligned private ranges from /8 to /26", () => {
        fc.assert(
            fc.property(alignedRange, fc.boolean(), (range, shift) => {
                const base = shift && range.prefix < 32 ? range.base + 1 : range.base; // unaligned when shifted
                const text = formatCidr(base, range.prefix);
                const ok = base === range.base && range.prefix >= 8 && range.prefix <= 26 && isPrivateRange(range);
                expect(checkSubnetCidr(text, "runway:subnetCidr"), text).to.have.length(ok ? 0 : 1);
                expect(checkPrivateCidr(text, "k", 8, 26, "e.g.")).to.deep.equal(
                    checkSubnetCidr(text, "k").map((p) => ({ ...p, allowed: p.allowed.replace(/, e\.g\. .*/, ", e.g. e.g.") })),
                );
            }),
            RUNS,
        );
    });
});

describe("properties: AWS subnet plans", () => {
    /** VPC ranges the config accepts: private, /16 to /24, on their own boundary. */
    const vpc = fc.constantFrom(parseCidr("10.0.0.0/8")!, parseCidr("172.16.0.0/12")!, parseCidr("192.168.0.0/16")!).chain((net) =>
        fc.integer({ min: Math.max(16, net.prefix), max: 24 }).chain((prefix) =>
            fc.integer({ min: 0, max: 2 ** (prefix - net.prefix) - 1 }).map(
                (n): Cidr => ({
                    base: net.base + n * 2 ** (32 - prefix),
                    prefix,
                }),
            ),
        ),
    );

    it("one public and one private subnet per AZ, all inside the VPC, no two overlapping, each on its own boundary", () => {
        fc.assert(
            fc.property(vpc, fc.integer({ min: AZ_COUNT_RANGE.min, max: AZ_COUNT_RANGE.max }), (range, azCount) => {
                const cidr = formatCidr(range.base, range.prefix);
                const plan = planSubnets(cidr, azCount);
                expect(plan.public).to.have.length(azCount);
                expect(plan.private).to.have.length(azCount);
                const subnets = [...plan.public, ...plan.private].map((s) => parseCidr(s)!);
                for (const s of subnets) {
                    expect(inside(s, range), `${formatCidr(s.base, s.prefix)} inside ${cidr}`).to.equal(true);
                    expect(s.base % 2 ** (32 - s.prefix)).to.equal(0);
                    expect(s.prefix, "AWS subnets are /16 to /28").to.be.within(16, 28);
                }
                for (const [i, a] of subnets.entries()) {
                    for (const b of subnets.slice(i + 1))
                        expect(overlaps(a, b), `${formatCidr(a.base, a.prefix)} vs ${formatCidr(b.base, b.prefix)}`).to.equal(false);
                }
            }),
            RUNS,
        );
    });
});
