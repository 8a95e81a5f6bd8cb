import { expect } from "chai";
import { budgetMoney, budgetThresholdRules, errorRatioCondition, uptimeCondition } from "../rules/gcp/alerts";
import { requiredApis } from "../components/gcp/apis";
import { gcpRepositoryCondition, gcpTrustValue, workloadIdentityMember } from "../rules/gcp/iam";
import { checkServiceShape, minCpuForMemory, parseCpu, parseMemoryMiB } from "../rules/gcp/limits";
import { serviceAccountId, workloadIdentityId } from "../components/gcp/names";
import { checkSubnetCidr } from "../components/gcp/network";
import { cleanupPolicies } from "../components/gcp/registry";

describe("IAM condition strings", () => {
    const repo = { owner: "acme", repo: "shop.web", ownerId: "17", repositoryId: "4242" };
    it("pin the provider to one repository of one owner, by their immutable IDs", () => {
        expect(gcpRepositoryCondition(repo)).to.equal("assertion.repository_owner_id == '17' && assertion.repository_id == '4242'");
    });
    it("refuse IDs that could break out of the CEL string", () => {
        expect(() => gcpRepositoryCondition({ ...repo, ownerId: "17' || true || '" })).to.throw(
            /Invalid GitHub repository ID[\s\S]*ownerId/,
        );
        expect(() => gcpRepositoryCondition({ ...repo, repositoryId: "" })).to.throw(/repositoryId/);
    });
    it("bind an environment's jobs, or one workflow file's runs on one branch", () => {
        expect(gcpTrustValue(repo, { name: "p", environment: "production" })).to.equal("environment:production");
        expect(gcpTrustValue(repo, { name: "s", branch: "main", workflow: ".github/workflows/deploy-solo.yml" })).to.equal(
            "workflow:acme/shop.web/.github/workflows/deploy-solo.yml@refs/heads/main",
        );
        expect(() => gcpTrustValue(repo, { name: "x" })).to.throw(/exactly one of \{ environment \} or \{ branch, workflow \}/);
        expect(() => gcpTrustValue(repo, { name: "x", branch: "main" })).to.throw(/workflow/);
        expect(() =>
            gcpTrustValue(repo, { name: "x", branch: "main", workflow: ".github/workflows/a.yml", environment: "production" }),
        ).to.throw(/exactly one/);
    });
    it("name a principal set of one attribute value, never a whole pool", () => {
        expect(
            workloadIdentityMember("projects/1/locations/global/workloadIdentityPools/p", repo, { name: "p", environment: "production" }),
        ).to.equal(
            "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/attribute.runway_trust/environment:production",
        );
    });
});

describe("GCP id rules", () => {
    it("keep service account ids within 6-30 valid characters, distinct for distinct inputs", () => {
        const bases = ["a", "app", "my-very-long-service-name-that-goes-on", "UPPER_and.dots", "9starts-with-digit"];
        const ids = new Set<string>();
        for (const base of bases) {
            for (const role of ["run", "deploy-production", "deploy-staging"]) {
                const id = serviceAccountId(base, role);
                expect(id, `${base}/${role}`).to.match(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
                ids.add(id);
            }
        }
        expect(ids.size).to.equal(bases.length * 3);
    });
    it("keep Workload Identity ids within 4-32 characters and off the reserved gcp- prefix", () => {
        expect(workloadIdentityId("gcp", "gh")).not.to.match(/^gcp-/);
        expect(workloadIdentityId("a-really-long-service-name-for-pools", "gh").length).to.be.at.most(32);
    });
});

describe("Cloud Run limits", () => {
    it("parse CPU and memory the way Cloud Run spells them", () => {
        expect([parseCpu("1"), parseCpu("0.5"), parseCpu("8"), parseCpu("3"), parseCpu("0.05"), parseCpu("1.5")]).to.deep.equal([
            1,
            0.5,
            8,
            undefined,
            undefined,
            undefined,
        ]);
        expect([parseMemoryMiB("512Mi"), parseMemoryMiB("2Gi"), parseMemoryMiB("1G"), parseMemoryMiB("512")]).to.deep.equal([
            512,
            2048,
            undefined,
            undefined,
        ]);
        expect([minCpuForMemory(4096), minCpuForMemory(4097), minCpuForMemory(16 * 1024 + 1)]).to.deep.equal([0.08, 2, 6]);
    });
    it("accept every tier's shape and reject 4 vCPU with 1Gi", () => {
        const shape = { cpu: "2", memory: "1Gi", concurrency: 80, minInstances: 1, maxInstances: 100, timeoutSeconds: 300 };
        expect(checkServiceShape(shape, String)).to.deep.equal([]);
        expect(checkServiceShape({ ...shape, cpu: "4" }, String).map((p) => p.key)).to.deep.equal(["memory"]);
    });
});

/** Artifact Registry's documented semantics: a version is deleted when a DELETE policy matches and no KEEP policy does. `rank` 0 is the newest. */
function cleanupDeletes(policies: ReturnType<typeof cleanupPolicies>, v: { ageDays: number; tagged: boolean }, rank: number): boolean {
    const seconds = (s: unknown) => Number(String(s).replace(/s$/, ""));
    const matches = (p: (typeof policies)[number]) => {
        if (p.mostRecentVersions) return rank < Number((p.mostRecentVersions as { keepCount: number }).keepCount);
        const c = p.condition as { tagState: string; olderThan: string };
        const tagOk = c.tagState === "ANY" || (c.tagState === "TAGGED") === v.tagged;
        return tagOk && v.ageDays * 86400 > seconds(c.olderThan);
    };
    return policies.some((p) => p.action === "DELETE" && matches(p)) && !policies.some((p) => p.action === "KEEP" && matches(p));
}

describe("alert, budget, registry and network rules", () => {
    it("split a budget amount into units and nanos", () => {
        expect(budgetMoney(49.99, "EUR")).to.deep.equal({ currencyCode: "EUR", units: "49", nanos: 990000000 });
        expect(budgetThresholdRules().map((r) => r.thresholdPercent)).to.deep.equal([0.5, 0.9, 1]);
    });
    it("filter alert conditions to the one service", () => {
        expect((errorRatioCondition("web").conditionThreshold as { filter: string }).filter).to.include(
            'resource.label.service_name="web"',
        );
        expect((uptimeCondition("check-1").conditionThreshold as { filter: string }).filter).to.include('metric.label.check_id="check-1"');
    });
    it("delete untagged images after N days, any image after the retention window, and keep the newest", () => {
        expect(cleanupPolicies(5, 7, 30)).to.deep.equal([
            { id: "delete-untagged", action: "DELETE", condition: { tagState: "UNTAGGED", olderThan: "604800s" } },
            { id: "delete-older-than-30d", action: "DELETE", condition: { tagState: "ANY", olderThan: "2592000s" } },
            { id: "keep-newest-5", action: "KEEP", mostRecentVersions: { keepCount: 5 } },
        ]);
    });
    it("remove CI's :<sha> images once they are old, but never the N newest (keep wins over delete)", () => {
        // 40 daily CI pushes, each tagged with its commit: what Artifact Registry would delete.
        const versions = Array.from({ length: 40 }, (_, day) => ({ ageDays: day, tagged: true }));
        const deleted = versions.filter((v, index) => cleanupDeletes(cleanupPolicies(5, 7, 30), v, index));
        expect(deleted.map((v) => v.ageDays)).to.deep.equal([31, 32, 33, 34, 35, 36, 37, 38, 39]);
        // With a long window the keep count still wins: nothing among the 5 newest goes.
        const old = versions.map((v) => ({ ...v, ageDays: v.ageDays + 100 }));
        expect(old.filter((v, index) => cleanupDeletes(cleanupPolicies(5, 7, 30), v, index))).to.have.length(35);
    });
    it("accept private aligned subnets only", () => {
        expect(checkSubnetCidr("10.8.0.0/24", "k")).to.deep.equal([]);
        expect(checkSubnetCidr("10.8.0.1/24", "k")[0].allowed).to.match(/boundary/);
        expect(checkSubnetCidr("172.32.0.0/24", "k")[0].allowed).to.match(/private/);
        expect(checkSubnetCidr("10.8.0.0/27", "k")[0].allowed).to.match(/at least \/26/);
    });
    it("enable only the APIs the stack uses", () => {
        expect(requiredApis({})).not.to.include("compute.googleapis.com");
        expect(requiredApis({ network: true, iap: true, ciIdentity: true })).to.include.members([
            "compute.googleapis.com",
            "iap.googleapis.com",
            "sts.googleapis.com",
            "iamcredentials.googleapis.com",
        ]);
        expect(requiredApis({})).not.to.include("containerscanning.googleapis.com");
        expect(requiredApis({ vulnerabilityScanning: true })).to.include("containerscanning.googleapis.com");
    });
});
