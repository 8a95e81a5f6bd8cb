/**
 * Direct VPC egress at the service's own maximum (issue #31 items 1–2): Cloud Run caps the instances
 * of a revision that egresses through a VPC (100–200 by region), and each instance takes ~2 subnet
 * addresses, doubled during a rollout. The arithmetic as properties, then the planned stacks.
 */
import { expect } from "chai";
import fc from "fast-check";
import { Network } from "../components/gcp/network";
import { Service } from "../components/gcp/service";
import { parseCidr } from "../rules/cidr";
import {
    ADDRESSES_PER_INSTANCE,
    DEFAULT_SUBNET_PREFIX,
    DIRECT_VPC_DEFAULT_INSTANCE_QUOTA,
    directVpcInstanceProblems,
    subnetCapacityProblems,
    subnetCidrFor,
    subnetPrefixFor,
    usableAddresses,
} from "../rules/gcp/directVpc";
import { cli, planStack } from "./helpers/plans";
import { expectRejected } from "./helpers/record";

const maxInstances = fc.integer({ min: 1, max: 1000 });

describe("Direct VPC egress: subnet arithmetic (properties)", () => {
    it("the sized subnet holds 4 addresses per instance after Google's 4 reserved ones, and is the smallest such (never below /24)", () => {
        fc.assert(
            fc.property(maxInstances, (max) => {
                const prefix = subnetPrefixFor(max);
                expect(usableAddresses(prefix)).to.be.at.least(ADDRESSES_PER_INSTANCE * max);
                expect(prefix).to.be.at.most(DEFAULT_SUBNET_PREFIX);
                // One size smaller would not hold them (unless already at the /24 floor).
                if (prefix < DEFAULT_SUBNET_PREFIX) expect(usableAddresses(prefix + 1)).to.be.below(ADDRESSES_PER_INSTANCE * max);
            }),
            { numRuns: 300 },
        );
    });

    it("the sized CIDR is a private range on its own boundary, starting at 10.8.0.0 (a /24 stack grows in place)", () => {
        fc.assert(
            fc.property(maxInstances, (max) => {
                const cidr = parseCidr(subnetCidrFor(max))!;
                expect(cidr.prefix).to.equal(subnetPrefixFor(max));
                expect(cidr.base % 2 ** (32 - cidr.prefix)).to.equal(0);
                expect(subnetCidrFor(max).startsWith("10.8.0.0/")).to.equal(true);
                expect(subnetCapacityProblems(subnetCidrFor(max), max, "k")).to.deep.equal([]);
            }),
            { numRuns: 300 },
        );
    });

    it("a given range too small for the maximum is refused with the size that fits; a big enough one passes", () => {
        fc.assert(
            fc.property(maxInstances, fc.integer({ min: 16, max: 29 }), (max, prefix) => {
                const problems = subnetCapacityProblems(`10.0.0.0/${prefix}`, max, "Network(n).subnetCidr");
                expect(problems.length === 0).to.equal(usableAddresses(prefix) >= 4 * max);
            }),
        );
        expect(subnetCapacityProblems("10.8.0.0/24", 100, "Network(n).subnetCidr")[0].allowed).to.match(
            /at least 400 usable addresses for 100 instances .* e\.g\. \/23/,
        );
        // Production's default: /24 holds 252 usable addresses, 63 instances; 100 need a /23.
        expect([usableAddresses(24), subnetCidrFor(63), subnetCidrFor(64), subnetCidrFor(100)]).to.deep.equal([
            252,
            "10.8.0.0/24",
            "10.8.0.0/23",
            "10.8.0.0/23",
        ]);
    });

    it("the instance limit refuses exactly the maxima above the quota, naming value, limit and source", () => {
        fc.assert(
            fc.property(maxInstances, fc.integer({ min: 1, max: 1000 }), (max, quota) => {
                expect(directVpcInstanceProblems(max, quota, "k", "q").length).to.equal(max > quota ? 1 : 0);
            }),
        );
        const [problem] = directVpcInstanceProblems(
            500,
            DIRECT_VPC_DEFAULT_INSTANCE_QUOTA,
            "runway:maxInstances",
            "runway:directVpcInstanceQuota",
        );
        expect(problem.value).to.equal(500);
        expect(problem.allowed).to.match(
            /^at most 100 with Direct VPC egress .*cloud\.google\.com\/run\/quotas.*runway:directVpcInstanceQuota/,
        );
    });
});

describe("Direct VPC egress: components", () => {
    it("Service refuses maxInstances above the Direct VPC quota only when it egresses through a VPC", () => {
        const base = { region: "us-central1", image: "img", tier: "production" as const, maxInstances: 150 };
        expectRejected(
            () => new Service("web", { ...base, vpcNetwork: "net", vpcSubnetwork: "sub" }),
            /Service\(web\)\.maxInstances = 150: at most 100 with Direct VPC egress/,
        );
        expect(() => new Service("web2", base)).not.to.throw();
        expect(() => new Service("web3", { ...base, vpcNetwork: "net", vpcSubnetwork: "sub", directVpcInstanceQuota: 200 })).not.to.throw();
    });

    it("Network sizes its subnet from maxInstances and refuses a given range too small for it", () => {
        const sized = new Network("sized", { region: "us-central1", maxInstances: 200 });
        expect(sized).to.be.instanceOf(Network);
        expectRejected(
            () => new Network("small", { region: "us-central1", maxInstances: 100, subnetCidr: "10.9.0.0/24" }),
            /Network\(small\)\.subnetCidr = "10\.9\.0\.0\/24": a range with at least 400 usable addresses/,
        );
    });
});

describe("Direct VPC egress: planned stacks", function () {
    this.timeout(120000);

    it("`npm run plan -- --stack production --config runway:maxInstances=500` exits 2 naming the key, the value and the limit", async () => {
        const { code, stderr } = await cli("--stack", "production", "--config", "runway:maxInstances=500");
        expect(code).to.equal(2);
        expect(stderr)
            .to.match(/runway:maxInstances = 500: at most 100 with Direct VPC egress/)
            .and.include("cloud.google.com/run/quotas");
        expect(stderr).not.to.match(/\n\s+at /); // no stack trace
    });

    it("a granted quota lets the maximum rise; the subnet follows it", async () => {
        const { document } = await planStack("production", { "runway:maxInstances": "200", "runway:directVpcInstanceQuota": "200" });
        const subnet = document.resources.find((r) => r.type === "gcp:compute/subnetwork:Subnetwork")!;
        expect(subnet.inputs.ipCidrRange).to.equal("10.8.0.0/22");
    });

    it("every tier's subnet is sized for the quota and holds 4 × its maximum instances: lowering maxInstances or the tier never shrinks it (review item 4)", async () => {
        const subnetOf = async (stack: string, config: Record<string, string> = {}) => {
            const { document } = await planStack(stack, config);
            const svc = document.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service")!;
            const max = (svc.inputs as any).template.scaling.maxInstanceCount;
            const cidr = String(document.resources.find((r) => r.type === "gcp:compute/subnetwork:Subnetwork")!.inputs.ipCidrRange);
            expect(usableAddresses(parseCidr(cidr)!.prefix), `${stack} ${JSON.stringify(config)}`).to.be.at.least(4 * max);
            return cidr;
        };
        // A smaller ipCidrRange forces a replacement (magic-modules Subnetwork.yaml: ForceNewIfChange IsShrinkageIpCidr)
        // whose new range overlaps the one still in use: every maximum under one quota must plan the same range.
        const quota = subnetCidrFor(DIRECT_VPC_DEFAULT_INSTANCE_QUOTA);
        expect(await subnetOf("production")).to.equal(quota);
        expect(await subnetOf("production", { "runway:maxInstances": "50" })).to.equal(quota);
        expect(await subnetOf("production", { "runway:maxInstances": "5" })).to.equal(quota);
        expect(await subnetOf("staging")).to.equal(quota);
    });

    it("the quota key is refused where the service has no Direct VPC egress (it would do nothing)", async () => {
        const { code, stderr } = await cli("--stack", "solo", "--config", "runway:directVpcInstanceQuota=200");
        expect(code).to.equal(2);
        expect(stderr).to.match(/runway:directVpcInstanceQuota = 200: its default while the service has no Direct VPC egress/);
        // solo without a VPC may scale past the Direct VPC quota.
        expect((await cli("--stack", "solo", "--config", "runway:maxInstances=500")).code).to.equal(0);
    });
});
