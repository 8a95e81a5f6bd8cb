/**
 * #33 item 5: each tier's monthly estimate, in three regions per cloud, against a hand calculation from the
 * published list rates written out here (not read from the price table), within 5 %.
 */
import { expect } from "chai";
import { planStack } from "./helpers/plans";

const H = 730;
const S = H * 3600;

/** Published rates (USD) as the pricing pages state them; Cloud Run by region tier. */
const RUN = {
    tier1: { cpu: 0.000024, mem: 0.0000025, instCpu: 0.000018, instMem: 0.000002 },
    tier2: { cpu: 0.0000336, mem: 0.0000035, instCpu: 0.0000252, instMem: 0.0000028 },
};
const GCP_REGIONS: Record<string, { run: keyof typeof RUN; egress: number }> = {
    // Premium Tier internet egress, first TiB, by source continent (cloud.google.com/vpc/network-pricing).
    "us-central1": { run: "tier1", egress: 0.12 },
    "europe-west1": { run: "tier1", egress: 0.12 },
    "southamerica-east1": { run: "tier2", egress: 0.19 },
};

/**
 * Cloud Monitoring alerting: $1.50 per condition-month plus $0.35 per million time series returned, one
 * series per condition every 30 s (cloud.google.com/monitoring/alerts/cost-control). Staging: 5xx and
 * p95; production: 5xx (Cloud Run and the load balancer), p95 and uptime.
 */
const alerting = (conditions: number) => conditions * (1.5 + (S / 30 / 1e6) * 0.35);

/** GCP per tier: Cloud Run (free tier as a Tier 1 spending discount), registry, scans, egress, alerting, and production's edge. */
function gcpByHand(tier: string, region: string): number {
    const r = GCP_REGIONS[region];
    const run = RUN[r.run];
    const scans = (tier === "solo" ? 4 : 20) * 0.26;
    if (tier === "solo") return scans; // 100k requests, 0.5 GB images, 1 GB egress, 0.5 GB logs: all inside free tiers
    if (tier === "staging") return scans + (2 - 0.5) * 0.1 + (5 - 1) * r.egress + alerting(2);
    // production: 1 warm instance, 2 vCPU / 1 GiB, CPU always allocated; free tier = $4.32 + $0.90 at Tier 1.
    const runCost = 2 * S * run.instCpu + 1 * S * run.instMem - (240_000 * 0.000018 + 450_000 * 0.000002);
    const edge = H * 0.025 + ((5e6 * 2) / 2 ** 20) * 0.008 + 50 * 0.008 + (5 + 4 * 1 + 5 * 0.75);
    return runCost + (50 - 1) * r.egress + (6 - 0.5) * 0.1 + scans + edge + alerting(4);
}

/** Regional AWS list rates (region selectors of the AWS pricing pages). */
const AWS_REGIONS: Record<string, { fargateCpu: number; fargateGb: number; nat: number; alb: number; logs: number }> = {
    "us-east-1": { fargateCpu: 0.04048, fargateGb: 0.004445, nat: 0.045, alb: 0.0225, logs: 0.5 },
    "eu-west-1": { fargateCpu: 0.04048, fargateGb: 0.004445, nat: 0.048, alb: 0.0252, logs: 0.57 },
    "ap-southeast-2": { fargateCpu: 0.04856, fargateGb: 0.00532, nat: 0.059, alb: 0.0252, logs: 0.57 },
};

/** AWS per tier: Lambda inside its free tier for solo; staging/production: Fargate tasks, NAT, ALB, IPv4, WAF (production), logs. */
function awsByHand(tier: string, region: string): number {
    const r = AWS_REGIONS[region];
    if (tier === "solo") return 0.5 * 0.1; // 0.5 GB of images (ECR has no free tier); Lambda, logs and egress inside free tiers
    const [tasks, vcpu, gb, nats, zones, logGb, egress] = tier === "staging" ? [1, 0.5, 1, 1, 2, 2, 5] : [2, 1, 2, 3, 3, 20, 50];
    const compute = tasks * H * (vcpu * r.fargateCpu + gb * r.fargateGb);
    const nat = nats * H * (r.nat + 0.005) + egress * r.nat; // gateway hours, its public IPv4, data processed
    const alb = H * r.alb + zones * H * 0.005; // LCU and 100 GB free egress are pennies here
    const waf = tier === "production" ? 5 + 4 + 5 * 0.6 : 0;
    const logs = Math.max(0, logGb - 5) * r.logs;
    return compute + nat + alb + waf + logs + (tier === "staging" ? 2 : 6) * 0.1;
}

const AWS_STAGING = { "runway:allowedCidrs": JSON.stringify(["203.0.113.0/24"]), "runway:iapMembers": "[]" };

describe("estimate accuracy: hand calculations from published rates, per tier, three regions per cloud (#33 item 5)", function () {
    this.timeout(180000);
    for (const tier of ["solo", "staging", "production"]) {
        it(`GCP ${tier} in ${Object.keys(GCP_REGIONS).join(", ")}: within 5 %`, async () => {
            for (const region of Object.keys(GCP_REGIONS)) {
                const { cost } = (await planStack(tier, { "gcp:region": region })).document;
                const expected = gcpByHand(tier, region);
                expect(cost.usageMonthly, `${tier} ${region}: plan ${cost.usageMonthly}, hand ${expected.toFixed(2)}`).to.be.closeTo(
                    expected,
                    0.05 * expected + 0.01,
                );
            }
        });
        it(`AWS ${tier} in ${Object.keys(AWS_REGIONS).join(", ")}: within 5 %`, async () => {
            for (const region of Object.keys(AWS_REGIONS)) {
                const config = { "runway:cloud": "aws", "aws:region": region, ...(tier === "staging" ? AWS_STAGING : {}) };
                const { cost } = (await planStack(tier, config)).document;
                const expected = awsByHand(tier, region);
                expect(cost.usageMonthly, `${tier} ${region}: plan ${cost.usageMonthly}, hand ${expected.toFixed(2)}`).to.be.closeTo(
                    expected,
                    0.05 * expected + 0.01,
                );
            }
        });
    }
});
