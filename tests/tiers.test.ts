import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { TIERS, TIER_PROFILES, deliveryFor, deploySourceFor, resolveTier } from "../rules/profile";

describe("tier presets", () => {
    it("follow the design table for each tier", () => {
        expect(resolveTier("solo")).to.include({
            minInstances: 0,
            maxInstances: 25,
            cpu: "1",
            memory: "512Mi",
            cpuIdle: true,
            access: "public",
            privateEgress: false,
            budgetAmount: 20,
            alerts: "budget",
            protect: false,
            registryKeepCount: 5,
        });
        expect(resolveTier("staging")).to.include({
            minInstances: 0,
            maxInstances: 10,
            cpuIdle: true,
            access: "iap",
            privateEgress: true,
            budgetAmount: 100,
            alerts: "service",
            protect: false,
            registryKeepCount: 10,
        });
        expect(resolveTier("production")).to.include({
            minInstances: 1,
            maxInstances: 100,
            cpu: "2",
            memory: "1Gi",
            cpuIdle: false,
            access: "public",
            privateEgress: true,
            budgetAmount: 500,
            alerts: "full",
            protect: true,
            registryKeepCount: 30,
        });
    });

    it("keep startup boost, concurrency 80 and a 300 s timeout in every tier", () => {
        for (const tier of TIERS) {
            expect(resolveTier(tier), tier).to.include({
                startupCpuBoost: true,
                concurrency: 80,
                timeoutSeconds: 300,
                untaggedImageDays: 7,
            });
        }
    });

    it("let explicit overrides win over every tier, and ignore undefined ones", () => {
        for (const tier of TIERS) {
            const resolved = resolveTier(tier, { minInstances: 3, cpuIdle: false, access: "iap", budgetAmount: undefined });
            expect(resolved.minInstances).to.equal(3);
            expect(resolved.cpuIdle).to.equal(false);
            expect(resolved.access).to.equal("iap");
            expect(resolved.budgetAmount).to.equal(TIER_PROFILES[tier].settings.budgetAmount);
        }
    });

    it("never mutate the preset data", () => {
        resolveTier("solo", { minInstances: 9 });
        expect(TIER_PROFILES.solo.settings.minInstances).to.equal(0);
    });

    it("reject an unknown tier naming the allowed ones", () => {
        expect(() => resolveTier("prod" as never)).to.throw(/tier = "prod": one of solo, staging, production/);
    });

    it("the deployer's trusted source and the deploy workflow come from one delivery profile, so they agree", () => {
        for (const tier of TIERS) {
            const delivery = deliveryFor(tier, "trunk", "next");
            const source = deploySourceFor(tier, "trunk", "next");
            expect(source.environment, tier).to.equal(delivery.environment);
            if (delivery.environment === undefined) expect(source.branch, tier).to.equal(delivery.deployBranch);
            expect(delivery.deployBranch, tier).to.equal(TIER_PROFILES[tier].delivery.deployFrom === "stagingBranch" ? "next" : "trunk");
        }
    });

    it("deploy each tier from exactly one source", () => {
        expect(deploySourceFor("solo", "main")).to.deep.equal({
            name: "solo",
            branch: "main",
            workflow: ".github/workflows/deploy-solo.yml",
        });
        expect(deploySourceFor("staging", "main")).to.deep.equal({ name: "staging", environment: "staging" });
        expect(deploySourceFor("production", "trunk")).to.deep.equal({ name: "production", environment: "production" });
    });
});

describe("the tier table (docs/tiers.md)", () => {
    // The table is prose around the profile's values: each value in it is checked against TIER_PROFILES.
    const readme = fs.readFileSync(path.join(__dirname, "..", "docs", "tiers.md"), "utf8");
    const row = (label: string): string[] => {
        const line = readme.split("\n").find((l) => l.startsWith(`| ${label} |`));
        expect(line, label).to.be.a("string");
        return line!
            .split("|")
            .slice(2, 5)
            .map((c) => c.trim());
    };
    const s = (tier: (typeof TIERS)[number]) => TIER_PROFILES[tier].settings;

    it("quotes the profile's instances, size, concurrency, timeout, budget and registry retention", () => {
        TIERS.forEach((tier, i) => {
            expect(row("Cloud Run min / max instances")[i], tier).to.equal(`${s(tier).minInstances} / ${s(tier).maxInstances}`);
            expect(row("cpu / memory")[i], tier).to.equal(`${s(tier).cpu} / ${s(tier).memory}`);
            expect(row("concurrency / request timeout")[i], tier).to.equal(`${s(tier).concurrency} / ${s(tier).timeoutSeconds} s`);
            expect(row("budget (USD/month)")[i], tier).to.match(new RegExp(`^${s(tier).budgetAmount}\\b`));
            expect(row("registry cleanup (the newest N always kept)")[i], tier).to.match(
                new RegExp(`> ${s(tier).imageRetentionDays} d.*keep ${s(tier).registryKeepCount}$`),
            );
            expect(row("CPU only during requests (`cpuIdle`)")[i], tier).to.match(s(tier).cpuIdle ? /^yes/ : /^no/);
        });
    });
});
