/**
 * Whole GCP stacks checked against what a real account does on the first `up`, later ups, CI
 * deploys and `destroy` (issue #12): each test fails on a stack a real account would refuse.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { renderTree, ResourceRecord } from "../plan";
import { planStack, ROOT } from "./helpers/plans";

const RUN = "gcp:cloudrunv2/service:Service";
const MANAGED = { "runway:database": "managed", "runway:cache": "managed" };
const byType = (resources: ResourceRecord[], type: string) => resources.filter((r) => r.type === type);
const one = (resources: ResourceRecord[], type: string) => {
    const found = byType(resources, type);
    expect(found, type).to.have.length(1);
    return found[0];
};

describe("GCP stacks a real account accepts (offline plan)", function () {
    this.timeout(120000);

    it("production with managed data: the service waits for every secret version it reads; no version is protected", async () => {
        const { document } = await planStack("production", MANAGED);
        const svc = one(document.resources, RUN);
        const envSecrets = (svc.inputs as any).template.containers[0].envs
            .filter((e: any) => e.valueSource)
            .map((e: any) => e.name)
            .sort();
        expect(envSecrets).to.deep.equal(["DATABASE_URL", "REDIS_CA_PEM", "REDIS_URL"]);
        for (const version of byType(document.resources, "gcp:secretmanager/secretVersion:SecretVersion")) {
            expect(svc.dependencies, version.name).to.include(version.urn);
            expect(version.protect, version.name).to.equal(false);
        }
        expect(byType(document.resources, "gcp:secretmanager/secret:Secret").every((s) => s.protect)).to.equal(true);
    });

    it("the production plan text shows what the issue asks for: versions awaited, none protected, DELETE-older-than, containerscanning, deletionPolicy", async () => {
        const text = renderTree((await planStack("production", MANAGED)).document);
        expect(text).to.match(
            /app-service {2}\(.*waits for [^;]*secrets-database-url-version, secrets-redis-url-version, secrets-redis-ca-pem-version/,
        );
        expect(text).not.to.match(/SecretVersion {2}\S+ {2}\(.*protect/);
        expect(text).to.match(/registry-repository {2}\(keep 30; delete untagged > 7d; delete any > 90d/);
        expect(text).to.include("apis-containerscanning");
        expect(text).to.include("network-psa  (deletionPolicy ABANDON)");
        expect(text).to.match(/\d+ checks: 0 mandatory/);
    });

    it("a new secret value or database URL plans as a version replacement `up` can perform, in every tier", async () => {
        for (const stack of ["solo", "staging", "production"]) {
            const { document } = await planStack(stack, MANAGED);
            expect(
                document.deployability.filter((f) => f.level === "mandatory"),
                stack,
            ).to.deep.equal([]);
        }
    });

    it("production's budget notifies only email channels, even with PagerDuty", async () => {
        const { document } = await planStack("production", {}, { "runway:pagerDutyServiceKey": "pd-integration-key" });
        const channels = byType(document.resources, "gcp:monitoring/notificationChannel:NotificationChannel");
        expect(channels.map((c) => c.inputs.type).sort()).to.deep.equal(["email", "pagerduty"]);
        const budget = one(document.resources, "gcp:billing/budget:Budget");
        const emailIds = channels
            .filter((c) => c.inputs.type === "email")
            .map((c) => `projects/runway-production-example/notificationChannels/${c.name}`);
        expect((budget.inputs as any).allUpdatesRule.monitoringNotificationChannels).to.deep.equal(emailIds);
    });

    it("the budget's project-number lookup waits for the Cloud Resource Manager API", async () => {
        const { document } = await planStack("solo");
        const api = document.resources.find((r) => r.name === "apis-cloudresourcemanager")!;
        expect(one(document.resources, "gcp:billing/budget:Budget").propertyDependencies.budgetFilter).to.include(api.urn);
    });

    it("min instances are the service's, so tagged candidate revisions stay cold and take no VPC addresses", async () => {
        const { document } = await planStack("production");
        const svc = one(document.resources, RUN).inputs as any;
        expect(svc.scaling).to.deep.equal({ minInstanceCount: 1 });
        expect(svc.template.scaling).not.to.have.property("minInstanceCount");
    });

    it("the registry deletes CI's :<sha> images past the tier's window and keeps the newest; Container Scanning is enabled where it scans", async () => {
        const windows: Record<string, string> = { solo: "2592000s", staging: "2592000s", production: "7776000s" };
        for (const stack of ["solo", "staging", "production"]) {
            const { document } = await planStack(stack);
            const repo = one(document.resources, "gcp:artifactregistry/repository:Repository").inputs as any;
            expect(
                repo.cleanupPolicies.find((p: any) => p.action === "DELETE" && p.condition.tagState === "ANY")?.condition.olderThan,
                stack,
            ).to.equal(windows[stack]);
            expect(repo.cleanupPolicies.find((p: any) => p.action === "KEEP")?.mostRecentVersions.keepCount, stack).to.be.a("number");
            expect(repo.vulnerabilityScanningConfig.enablementConfig).to.equal("INHERITED");
            expect(
                document.resources.some(
                    (r) => r.type === "gcp:projects/service:Service" && r.inputs.service === "containerscanning.googleapis.com",
                ),
                stack,
            ).to.equal(true);
            expect(
                document.cost.lines.some((l) => l.dimension.startsWith("vulnerability scans")),
                stack,
            ).to.equal(true);
        }
    });

    it("`pulumi destroy` can finish: the private services connection is abandoned", async () => {
        const { document } = await planStack("staging", MANAGED);
        expect(one(document.resources, "gcp:servicenetworking/connection:Connection").inputs.deletionPolicy).to.equal("ABANDON");
    });

    it("`pulumi destroy` does not stop on the Postgres user: it is abandoned with the instance, not dropped", async () => {
        for (const stack of ["staging", "production"]) {
            const { document } = await planStack(stack, MANAGED);
            expect(one(document.resources, "gcp:sql/user:User").inputs.deletionPolicy, stack).to.equal("ABANDON");
        }
    });

    it("no Cloud Run service pins a launch stage the API reports otherwise (IAP is GA): no permanent GA → BETA diff", async () => {
        for (const stack of ["solo", "staging", "production"]) {
            const svc = one((await planStack(stack)).document.resources, RUN);
            expect(svc.inputs, stack).not.to.have.property("launchStage");
        }
        // staging runs IAP on the service itself: still GA.
        expect(one((await planStack("staging")).document.resources, RUN).inputs.iapEnabled).to.equal(true);
    });

    it("the edge's HTTPS proxy refuses TLS below 1.2 (MODERN SSL policy); the HTTP redirect has none to carry", async () => {
        const { document } = await planStack("production");
        const policy = one(document.resources, "gcp:compute/sSLPolicy:SSLPolicy");
        expect(policy.inputs).to.include({ profile: "MODERN", minTlsVersion: "TLS_1_2" });
        const proxy = one(document.resources, "gcp:compute/targetHttpsProxy:TargetHttpsProxy");
        expect(proxy.propertyDependencies.sslPolicy).to.deep.equal([policy.urn]);
        expect(proxy.inputs.sslPolicy).to.be.a("string");
    });

    it("first `up` on a fresh project: every Google resource waits for every API the stack enables (itself or through its parents)", async () => {
        for (const stack of ["solo", "staging", "production"]) {
            const { document } = await planStack(stack, MANAGED);
            const byUrn = new Map(document.resources.map((r) => [r.urn, r]));
            const apis = byType(document.resources, "gcp:projects/service:Service");
            expect(
                apis.every((a) => a.inputs.disableOnDestroy === false),
                "APIs stay enabled on destroy",
            ).to.equal(true);
            for (const r of document.resources.filter(
                (x) => x.custom && x.type.startsWith("gcp:") && x.type !== "gcp:projects/service:Service",
            )) {
                const waits = new Set<string>();
                for (let at: (typeof document.resources)[number] | undefined = r; at; at = at.parent ? byUrn.get(at.parent) : undefined)
                    for (const d of at.dependencies) waits.add(d);
                const missing = apis.filter((a) => !waits.has(a.urn)).map((a) => a.inputs.service);
                expect(missing, `${stack}: ${r.type} ${r.name}`).to.deep.equal([]);
            }
        }
    });

    it("the Postgres read replica sends no MySQL-only failoverTarget", async () => {
        const { document } = await planStack("production", { ...MANAGED, "runway:databaseReadReplica": "true" });
        const replica = byType(document.resources, "gcp:sql/databaseInstance:DatabaseInstance").find((r) => r.name === "database-replica")!;
        expect(replica.inputs.masterInstanceName).to.be.a("string");
        expect(replica.inputs).not.to.have.property("replicaConfiguration");
    });

    it("Redis TLS can be verified: the server CA reaches the service as REDIS_CA_PEM", async () => {
        const { document } = await planStack("staging", { "runway:cache": "managed" });
        const caSecret = document.resources.find((r) => r.type === "gcp:secretmanager/secret:Secret" && r.name === "secrets-redis-ca-pem")!;
        expect(caSecret.inputs.secretId).to.match(/-redis_ca_pem$/);
        const version = document.resources.find((r) => r.name === "secrets-redis-ca-pem-version")!;
        const redis = one(document.resources, "gcp:redis/instance:Instance");
        expect(version.propertyDependencies.secretData, "the CA comes from the instance").to.include(redis.urn);
    });

    it("IAP: members of the organisation's domains pass; without the domains, the plan says IAP admits only the organisation", async () => {
        const checked = await planStack("staging", { "runway:iapDomains": JSON.stringify(["example.com"]) });
        expect(checked.diagnostics.join("\n")).not.to.include("runway:iapDomains");
        const unchecked = await planStack("staging");
        expect(unchecked.diagnostics.join("\n"))
            .to.include("IAP admits only identities of the project's Google organisation")
            .and.include("runway:iapDomains");
    });

    it("CI rollouts and `pulumi up` agree: every operation refreshes, and with CI deploying, Pulumi leaves image and traffic alone", async () => {
        const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
        expect(project.options).to.deep.equal({ refresh: "always" });
        const ci = one((await planStack("production")).document.resources, RUN);
        expect(ci.ignoreChanges).to.deep.equal(["template.containers[0].image", "client", "clientVersion", "traffics"]);
        const pulumiOnly = one((await planStack("solo", { "runway:ignoreImageChanges": "false" })).document.resources, RUN);
        expect(pulumiOnly.ignoreChanges).to.deep.equal([]);
        expect((pulumiOnly.inputs as any).traffics).to.deep.equal([{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }]);
    });
});
