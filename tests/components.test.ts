import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "../components/docker";
import * as gcp from "../components/gcp";
import * as aws from "../components/aws";
import { TIER_PROFILES } from "../rules/profile";
import type { ProgramRun } from "../plan/engine";
import { entryKey } from "../components/base";
import { expectRejected, ofType, one, record } from "./helpers/record";

const RUN = "gcp:cloudrunv2/service:Service";
const image = "us-docker.pkg.dev/acme/app/app:1";

describe("gcp.Service under the mock runtime", () => {
    it("scales to zero with CPU during requests in solo, public with the invoker check off (no allUsers grant)", async () => {
        const run = await record(() => new gcp.Service("web", { region: "us-central1", image, tier: "solo" }));
        const svc = one(run, RUN, "web-service").inputs as any;
        expect(svc.scaling).to.deep.equal({ minInstanceCount: 0 });
        expect(svc.template.scaling).to.deep.equal({ maxInstanceCount: 25 });
        expect(svc.template.containers[0].resources).to.deep.equal({
            limits: { cpu: "1", memory: "512Mi" },
            cpuIdle: true,
            startupCpuBoost: true,
        });
        expect(svc.template.maxInstanceRequestConcurrency).to.equal(80);
        expect(svc.template.timeout).to.equal("300s");
        expect(svc.deletionProtection).to.equal(false);
        // Public without an allUsers grant, which domain-restricted sharing (a default org policy) refuses.
        expect(svc.invokerIamDisabled).to.equal(true);
        expect(ofType(run, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember")).to.have.length(0);
        expect(ofType(run, "gcp:iap/webCloudRunServiceIamMember:WebCloudRunServiceIamMember")).to.have.length(0);
    });

    it("keeps one warm instance, CPU always allocated and protection in production", async () => {
        const run = await record(() => new gcp.Service("web", { region: "us-central1", image, tier: "production" }));
        const svc = one(run, RUN, "web-service");
        const inputs = svc.inputs as any;
        // The warm instance is the service's, not every revision's: a tagged candidate revision stays cold.
        expect(inputs.scaling).to.deep.equal({ minInstanceCount: 1 });
        expect(inputs.template.scaling).to.deep.equal({ maxInstanceCount: 100 });
        expect(inputs.template.scaling).not.to.have.property("minInstanceCount");
        expect(inputs.template.containers[0].resources).to.deep.include({ cpuIdle: false, limits: { cpu: "2", memory: "1Gi" } });
        expect(inputs.deletionProtection).to.equal(true);
        expect(svc.protect).to.equal(true);
    });

    it("probes the health path on the container port at start-up and for liveness", async () => {
        const run = await record(() => new gcp.Service("web", { region: "us-central1", image, port: 3000, healthPath: "/healthz" }));
        const c = (one(run, RUN, "web-service").inputs as any).template.containers[0];
        expect(c.ports).to.deep.equal({ containerPort: 3000 });
        expect(c.startupProbe.httpGet).to.deep.equal({ path: "/healthz", port: 3000 });
        expect(c.livenessProbe.httpGet).to.deep.equal({ path: "/healthz", port: 3000 });
    });

    it("reads secret env from Secret Manager and grants the runtime identity access to exactly those secrets", async () => {
        const run = await record(
            () =>
                new gcp.Service("web", {
                    region: "us-central1",
                    image,
                    env: { LOG_LEVEL: "info" },
                    secretEnv: { API_KEY: "projects/acme/secrets/api-key" },
                }),
        );
        const svc = one(run, RUN, "web-service");
        const envs = (svc.inputs as any).template.containers[0].envs;
        expect(envs).to.deep.include({ name: "LOG_LEVEL", value: "info" });
        expect(envs).to.deep.include({
            name: "API_KEY",
            valueSource: { secretKeyRef: { secret: "projects/acme/secrets/api-key", version: "latest" } },
        });
        const grant = one(run, "gcp:secretmanager/secretIamMember:SecretIamMember", "web-secret-api_key");
        expect(grant.inputs).to.include({
            secretId: "projects/acme/secrets/api-key",
            role: "roles/secretmanager.secretAccessor",
            member: "serviceAccount:web-run@acme-test.iam.gserviceaccount.com",
        });
        expect(svc.dependencies).to.include(grant.urn);
        expect((svc.inputs as any).template.serviceAccount).to.equal("web-run@acme-test.iam.gserviceaccount.com");
    });

    it("waits for the secret versions it reads at latest, so the first revision starts with every value", async () => {
        const run = await record(() => {
            const secrets = new gcp.Secrets("app", { prefix: "shop", values: { API_KEY: pulumi.secret("k") } });
            return new gcp.Service("web", {
                region: "us-central1",
                image,
                secretEnv: secrets.secretIds,
                secretVersions: Object.values(secrets.versions),
            });
        });
        const version = one(run, "gcp:secretmanager/secretVersion:SecretVersion", "app-api-key-version");
        expect(one(run, RUN, "web-service").dependencies).to.include(version.urn);
    });

    it("puts the service behind IAP for the named members only", async () => {
        const run = await record(
            () =>
                new gcp.Service("web", {
                    region: "us-central1",
                    image,
                    tier: "staging",
                    iapMembers: ["group:qa@example.com", "user:ana@example.com"],
                }),
        );
        expect(one(run, RUN, "web-service").inputs).to.include({ iapEnabled: true });
        const members = ofType(run, "gcp:iap/webCloudRunServiceIamMember:WebCloudRunServiceIamMember").map((r) => r.inputs.member);
        expect(members).to.deep.equal(["group:qa@example.com", "user:ana@example.com"]);
        expect(one(run, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "web-iap-invoker").inputs.member).to.equal(
            "serviceAccount:service-123456789012@gcp-sa-iap.iam.gserviceaccount.com",
        );
        expect(run.resources.some((r) => r.inputs.member === "allUsers")).to.equal(false);
    });

    it("egresses to private ranges through Direct VPC egress when given a network", async () => {
        const run = await record(() => new gcp.Service("web", { region: "us-central1", image, vpcNetwork: "net", vpcSubnetwork: "sub" }));
        expect((one(run, RUN, "web-service").inputs as any).template.vpcAccess).to.deep.equal({
            egress: "PRIVATE_RANGES_ONLY",
            networkInterfaces: [{ network: "net", subnetwork: "sub" }],
        });
    });

    it("leaves CI-deployed images alone when asked", async () => {
        const run = await record(() => new gcp.Service("web", { region: "us-central1", image, ignoreImageChanges: true }));
        expect(one(run, RUN, "web-service").ignoreChanges)
            .to.include("template.containers[0].image")
            .and.include("traffics");
    });

    it("rejects bad arguments before registering any child", async () => {
        const bad = () => new gcp.Service("web", { region: "us-central1", image, minInstances: 4, maxInstances: 2, memory: "8Gi" });
        await expectRejected(bad, /Service\(web\)\.minInstances = 4: at most maxInstances/);
        await expectRejected(bad, /Service\(web\)\.cpu = "1": at least 2 vCPU for memory 8Gi/);
        await expectRejected(() => new gcp.Service("web", { region: "us-central1", image, access: "iap" }), /Service\(web\)\.iapMembers/);
    });
});

describe("gcp.Registry", () => {
    it("deletes untagged images after 7 days and any image after the tier's window, keeps the tier's newest, scans, and grants per repository", async () => {
        const run = await record(() => {
            const registry = new gcp.Registry("images", { location: "us-central1", tier: "staging" });
            registry.grantPush("ci", "serviceAccount:d@x.iam.gserviceaccount.com");
            registry.grantPull("web", "serviceAccount:r@x.iam.gserviceaccount.com");
        });
        const repo = one(run, "gcp:artifactregistry/repository:Repository", "images-repository");
        expect(repo.inputs).to.deep.include({
            format: "DOCKER",
            cleanupPolicyDryRun: false,
            vulnerabilityScanningConfig: { enablementConfig: "INHERITED" },
            cleanupPolicies: [
                { id: "delete-untagged", action: "DELETE", condition: { tagState: "UNTAGGED", olderThan: "604800s" } },
                { id: "delete-older-than-30d", action: "DELETE", condition: { tagState: "ANY", olderThan: "2592000s" } },
                { id: "keep-newest-10", action: "KEEP", mostRecentVersions: { keepCount: 10 } },
            ],
        });
        expect(repo.protect).to.equal(false);
        const grants = ofType(run, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember").map(
            (r) => `${r.name} ${r.parentType} ${r.inputs.role} ${r.inputs.member}`,
        );
        expect(grants.sort()).to.deep.equal([
            "images-reader-web runway:gcp:Registry roles/artifactregistry.reader serviceAccount:r@x.iam.gserviceaccount.com",
            "images-writer-ci runway:gcp:Registry roles/artifactregistry.writer serviceAccount:d@x.iam.gserviceaccount.com",
        ]);
    });

    it("is protected in production", async () => {
        const run = await record(() => new gcp.Registry("images", { location: "us-central1", tier: "production" }));
        expect(one(run, "gcp:artifactregistry/repository:Repository", "images-repository").protect).to.equal(true);
    });
});

describe("gcp.Secrets", () => {
    it("stores each value as a secret version whose data stays secret; protects the secret, never the replaceable version", async () => {
        const run = await record(
            () =>
                new gcp.Secrets("app", {
                    prefix: "shop-prod",
                    values: { API_KEY: pulumi.secret("k-sentinel-1"), PLAIN_GIVEN: "k-sentinel-2" },
                    protect: true,
                }),
        );
        const versions = ofType(run, "gcp:secretmanager/secretVersion:SecretVersion");
        expect(versions).to.have.length(2);
        for (const v of versions) {
            expect(v.secretInputs).to.include("secretData");
            // secretData is immutable: a new value replaces the version, which protect would refuse.
            expect(v.protect).to.equal(false);
        }
        expect(ofType(run, "gcp:secretmanager/secret:Secret").map((r) => r.protect)).to.deep.equal([true, true]);
        expect(JSON.stringify(run.resources)).not.to.match(/k-sentinel/);
        expect(one(run, "gcp:secretmanager/secret:Secret", "app-api-key").inputs).to.deep.include({
            secretId: "shop-prod-api_key",
            replication: { auto: {} },
        });
    });
});

describe("gcp.Monitoring", () => {
    const base = {
        project: "acme-test",
        billingAccount: "012345-6789AB-CDEF01",
        services: [{ name: "web", url: "https://web-abc-uc.a.run.app" }],
        emails: ["ops@example.com"],
    };

    it("budget level: a budget with 50/90% actual and 100% forecast thresholds, no alert policies", async () => {
        const run = await record(() => new gcp.Monitoring("ops", { ...base, budgetAmount: 20.5, alerts: "budget" }));
        const budget = one(run, "gcp:billing/budget:Budget", "ops-budget").inputs as any;
        expect(budget.amount.specifiedAmount).to.deep.equal({ currencyCode: "USD", units: "20", nanos: 500000000 });
        expect(budget.thresholdRules).to.deep.equal([
            { thresholdPercent: 0.5, spendBasis: "CURRENT_SPEND" },
            { thresholdPercent: 0.9, spendBasis: "CURRENT_SPEND" },
            { thresholdPercent: 1, spendBasis: "FORECASTED_SPEND" },
        ]);
        expect(budget.budgetFilter.projects).to.deep.equal(["projects/123456789012"]);
        expect(budget.allUpdatesRule.monitoringNotificationChannels).to.have.length(1);
        expect(ofType(run, "gcp:monitoring/alertPolicy:AlertPolicy")).to.have.length(0);
    });

    it("no Pub/Sub topic unless asked: nobody would read it, and it makes up need pubsub.topics.setIamPolicy", async () => {
        const plain = await record(() => new gcp.Monitoring("ops", { ...base, budgetAmount: 20 }));
        expect(ofType(plain, "gcp:pubsub/topic:Topic")).to.have.length(0);
        expect((one(plain, "gcp:billing/budget:Budget", "ops-budget").inputs as any).allUpdatesRule).to.not.have.property("pubsubTopic");
        const asked = await record(() => new gcp.Monitoring("ops", { ...base, budgetAmount: 20, budgetTopic: true }));
        const topic = one(asked, "gcp:pubsub/topic:Topic", "ops-budget-topic");
        expect(topic).to.not.equal(undefined);
        expect((one(asked, "gcp:billing/budget:Budget", "ops-budget").inputs as any).allUpdatesRule.pubsubTopic)
            .to.be.a("string")
            .and.match(/topics/);
    });

    it("the budget notifies only email channels (budgets refuse others); PagerDuty stays on the alert policies", async () => {
        const run = await record(
            () => new gcp.Monitoring("ops", { ...base, budgetAmount: 500, alerts: "full", pagerDutyServiceKey: pulumi.secret("pd") }),
        );
        const pagerDuty = one(run, "gcp:monitoring/notificationChannel:NotificationChannel", "ops-pagerduty");
        const email = one(run, "gcp:monitoring/notificationChannel:NotificationChannel", `ops-email-${entryKey(base.emails[0])}`);
        const budget = one(run, "gcp:billing/budget:Budget", "ops-budget");
        expect(budget.propertyDependencies.allUpdatesRule).to.include(email.urn).and.not.include(pagerDuty.urn);
        expect((budget.inputs as any).allUpdatesRule.monitoringNotificationChannels).to.have.length(1);
        for (const policy of ofType(run, "gcp:monitoring/alertPolicy:AlertPolicy")) {
            expect(policy.propertyDependencies.notificationChannels, policy.name).to.include(pagerDuty.urn);
        }
    });

    it("looks the project number up only after what the component waits for (e.g. the enabled APIs)", async () => {
        const run = await record(() => {
            const api = new gcp.Apis("apis", { project: "acme-test", services: ["cloudresourcemanager.googleapis.com"] });
            return new gcp.Monitoring("ops", { ...base, budgetAmount: 20, alerts: "budget" }, { dependsOn: api.services });
        });
        const api = one(run, "gcp:projects/service:Service", "apis-cloudresourcemanager");
        // The budget filter comes from getProject: its dependencies say the lookup waited for the API.
        expect(one(run, "gcp:billing/budget:Budget", "ops-budget").propertyDependencies.budgetFilter).to.include(api.urn);
    });

    it("service level: 5xx ratio > 5% and p95 > 2 s for 5 minutes, notifying the email channel", async () => {
        const run = await record(() => new gcp.Monitoring("ops", { ...base, budgetAmount: 100, alerts: "service" }));
        const errors = one(run, "gcp:monitoring/alertPolicy:AlertPolicy", "ops-errors").inputs as any;
        const t = errors.conditions[0].conditionThreshold;
        expect(t).to.include({ comparison: "COMPARISON_GT", thresholdValue: 0.05, duration: "300s" });
        expect(t.filter).to.include('response_code_class="5xx"').and.include('service_name="web"');
        expect(t.denominatorFilter).to.include("request_count");
        const latency = (one(run, "gcp:monitoring/alertPolicy:AlertPolicy", "ops-latency").inputs as any).conditions[0].conditionThreshold;
        expect(latency).to.include({ thresholdValue: 2000, duration: "300s" });
        expect(latency.aggregations[0].perSeriesAligner).to.equal("ALIGN_PERCENTILE_95");
        expect(errors.notificationChannels).to.have.length(1);
        expect(ofType(run, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig")).to.have.length(0);
    });

    it("full level: uptime check on the service host and a PagerDuty channel whose key stays secret", async () => {
        const run = await record(
            () =>
                new gcp.Monitoring("ops", {
                    ...base,
                    budgetAmount: 500,
                    alerts: "full",
                    pagerDutyServiceKey: pulumi.secret("pd-sentinel"),
                }),
        );
        const uptime = one(run, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig", "ops-uptime").inputs as any;
        expect(uptime.monitoredResource.labels.host).to.equal("web-abc-uc.a.run.app");
        expect(uptime.httpCheck).to.include({ path: "/health", useSsl: true });
        expect(one(run, "gcp:monitoring/notificationChannel:NotificationChannel", "ops-pagerduty").secretInputs).to.include(
            "sensitiveLabels",
        );
        expect(ofType(run, "gcp:monitoring/alertPolicy:AlertPolicy")).to.have.length(3);
        expect(JSON.stringify(run.resources)).not.to.include("pd-sentinel");
    });

    it("rejects a zero budget and service alerts without a recipient", async () => {
        await expectRejected(
            () => new gcp.Monitoring("ops", { ...base, emails: [], budgetAmount: 0, alerts: "service" }),
            /Monitoring\(ops\)\.budgetAmount = 0[\s\S]*Monitoring\(ops\)\.emails = \[\]/,
        );
    });
});

describe("gcp.CiIdentity", () => {
    const IDS = { owner: "acme", repo: "shop", ownerId: "17", repositoryId: "4242" };
    const runtimeSa = (service: string) => `projects/acme-test/serviceAccounts/${service}-run@acme-test.iam.gserviceaccount.com`;

    it("accepts only this repository, by its immutable IDs, and binds each deployer to one environment or one workflow on its branch", async () => {
        const run = await record(
            () =>
                new gcp.CiIdentity("ci", {
                    project: "acme-test",
                    ...IDS,
                    services: [{ name: "web", location: "us-central1", runtimeServiceAccount: runtimeSa("web") }],
                    targets: [
                        { name: "staging", branch: "staging", workflow: ".github/workflows/deploy-staging.yml" },
                        { name: "production", environment: "production" },
                    ],
                }),
        );
        const provider = one(run, "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "ci-github").inputs as any;
        expect(provider.attributeCondition).to.equal("assertion.repository_owner_id == '17' && assertion.repository_id == '4242'");
        expect(provider.oidc.issuerUri).to.equal("https://token.actions.githubusercontent.com");
        const pool = one(run, "gcp:iam/workloadIdentityPool:WorkloadIdentityPool", "ci-pool").inputs as any;
        expect(pool.workloadIdentityPoolId).to.match(/^ci-gh-[a-z0-9]{4}$/);
        const wif = ofType(run, "gcp:serviceaccount/iAMMember:IAMMember")
            .filter((r) => r.inputs.role === "roles/iam.workloadIdentityUser")
            .map((r) => r.inputs.member);
        expect(wif).to.deep.equal([
            `principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/${pool.workloadIdentityPoolId}/attribute.runway_trust/workflow:acme/shop/.github/workflows/deploy-staging.yml@refs/heads/staging`,
            `principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/${pool.workloadIdentityPoolId}/attribute.runway_trust/environment:production`,
        ]);
        const roles = run.resources.map((r) => r.inputs.role).filter(Boolean);
        expect(roles).to.include("roles/iam.serviceAccountUser").and.not.include("roles/run.developer");
        const deployRole = one(run, "gcp:projects/iAMCustomRole:IAMCustomRole", "ci-deploy-role").inputs as any;
        expect(deployRole.permissions, "get/update the service and read its revisions; never delete it or change its IAM").to.deep.equal([
            ...gcp.DEPLOYER_PERMISSIONS,
        ]);
        expect(roles.filter((r) => gcp.PRIMITIVE_ROLES.includes(String(r)))).to.deep.equal([]);
        expect(ofType(run, "gcp:projects/iAMMember:IAMMember")).to.have.length(0);
    });

    it("one identity deploys several services: the deploy role on each service and act-as on each runtime account, nothing more", async () => {
        const run = await record(
            () =>
                new gcp.CiIdentity("ci", {
                    project: "acme-test",
                    ...IDS,
                    targets: [{ name: "production", environment: "production" }],
                    services: [
                        { name: "web", location: "us-central1", runtimeServiceAccount: runtimeSa("web") },
                        { name: "worker", location: "europe-west1", runtimeServiceAccount: runtimeSa("worker") },
                    ],
                }),
        );
        const deployer = `serviceAccount:${one(run, "gcp:serviceaccount/account:Account", "ci-deploy-production").inputs.accountId as string}`;
        const grants = run.resources
            .filter((r) => r.inputs.role !== undefined && r.inputs.role !== "roles/iam.workloadIdentityUser")
            .map((r) => [
                r.name,
                r.inputs.role,
                r.inputs.name ?? r.inputs.serviceAccountId,
                r.inputs.location ?? "-",
                String(r.inputs.member).startsWith(deployer),
            ]);
        expect(grants.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).to.deep.equal([
            ["ci-deploy-production-act-as-runtime", "roles/iam.serviceAccountUser", runtimeSa("web"), "-", true],
            ["ci-deploy-production-act-as-runtime-2", "roles/iam.serviceAccountUser", runtimeSa("worker"), "-", true],
            ["ci-deploy-production-run-developer", "projects/acme-test/roles/runwayDeploy_ci_production", "web", "us-central1", true],
            ["ci-deploy-production-run-developer-2", "projects/acme-test/roles/runwayDeploy_ci_production", "worker", "europe-west1", true],
        ]);
    });

    it("without services, the deployers get no deploy grant", async () => {
        const run = await record(
            () =>
                new gcp.CiIdentity("ci", {
                    project: "acme-test",
                    ...IDS,
                    targets: [{ name: "solo", branch: "main", workflow: ".github/workflows/deploy-solo.yml" }],
                }),
        );
        expect(run.resources.map((r) => r.inputs.role).filter((r) => r !== undefined)).to.deep.equal(["roles/iam.workloadIdentityUser"]);
    });

    it("rejects wildcard branches, a branch without its workflow, targets without a source, and missing or non-numeric IDs", async () => {
        await expectRejected(
            () =>
                new gcp.CiIdentity("ci", {
                    project: "p",
                    owner: "acme",
                    repo: "shop",
                    ownerId: "acme",
                    repositoryId: undefined as unknown as string,
                    targets: [
                        { name: "any", branch: "*", workflow: ".github/workflows/deploy.yml" },
                        { name: "bare", branch: "main" },
                        { name: "none" },
                    ],
                }),
            /ownerId = "acme": GitHub's numeric owner ID[\s\S]*repositoryId = \(not set\): GitHub's numeric repository ID[\s\S]*targets\[any\]\.branch = "\*": one exact branch name[\s\S]*targets\[bare\]\.workflow = \(not set\)[\s\S]*targets\[none\] = /,
        );
    });
    it("takes its custom role ids from the caller (two stacks of one tier in a project) and refuses ids Google refuses", async () => {
        const target = { name: "solo", branch: "main", workflow: ".github/workflows/deploy-solo.yml" };
        const services = [{ name: "web", location: "us-central1" }];
        const run = await record(
            () =>
                new gcp.CiIdentity("ci", {
                    project: "p",
                    ...IDS,
                    targets: [target],
                    services,
                    deployRoleId: "runwayDeploy_app_dev",
                }),
        );
        expect(ofType(run, "gcp:projects/iAMCustomRole:IAMCustomRole").map((r) => r.inputs.roleId)).to.deep.equal(["runwayDeploy_app_dev"]);
        await expectRejected(
            () => new gcp.CiIdentity("ci", { project: "p", ...IDS, targets: [target], services, previewRoleId: "runway-preview" }),
            /CiIdentity\(ci\)\.previewRoleId = "runway-preview": 3-64 letters, digits, underscores and periods/,
        );
    });
});

describe("gcp.Network", () => {
    it("creates a custom-mode VPC and a subnet with private Google access, NAT only on request", async () => {
        const plain = await record(() => new gcp.Network("net", { region: "us-central1" }));
        expect(one(plain, "gcp:compute/network:Network", "net-vpc").inputs).to.include({ autoCreateSubnetworks: false });
        expect(one(plain, "gcp:compute/subnetwork:Subnetwork", "net-subnet").inputs).to.include({
            ipCidrRange: "10.8.0.0/24",
            privateIpGoogleAccess: true,
        });
        expect(ofType(plain, "gcp:compute/routerNat:RouterNat")).to.have.length(0);
        const nat = await record(() => new gcp.Network("net", { region: "us-central1", staticEgressIp: true }));
        expect(one(nat, "gcp:compute/routerNat:RouterNat", "net-nat").inputs).to.include({ natIpAllocateOption: "MANUAL_ONLY" });
    });

    it("abandons the private services connection on destroy (deleting it fails while Cloud SQL's producer network lingers)", async () => {
        const run = await record(() => new gcp.Network("net", { region: "us-central1", privateServicesAccess: true }));
        expect(one(run, "gcp:servicenetworking/connection:Connection", "net-psa").inputs).to.include({
            deletionPolicy: "ABANDON",
            service: "servicenetworking.googleapis.com",
        });
    });

    it("rejects a public or too-small subnet range", async () => {
        await expectRejected(
            () => new gcp.Network("net", { region: "us-central1", subnetCidr: "8.8.8.0/24" }),
            /subnetCidr = "8.8.8.0\/24": a private/,
        );
        await expectRejected(() => new gcp.Network("net", { region: "us-central1", subnetCidr: "10.0.0.0/28" }), /at least \/26/);
    });
});

describe("docker.Image", () => {
    it("builds app/ for linux/amd64 with BuildKit cache and pushes with a secret short-lived token", async () => {
        const run = await record(
            () =>
                new docker.Image("app", {
                    repository: "us-central1-docker.pkg.dev/acme/app/app",
                    registryServer: "us-central1-docker.pkg.dev",
                    registryUsername: "oauth2accesstoken",
                    registryPassword: "ya29.token",
                }),
        );
        const build = one(run, "docker:index/image:Image", "app-build");
        expect(build.parentType).to.equal("runway:docker:Image");
        expect(build.inputs.imageName).to.equal("us-central1-docker.pkg.dev/acme/app/app:latest");
        expect(build.inputs.buildOnPreview).to.equal(false);
        expect(build.inputs.build).to.deep.include({
            context: "app",
            dockerfile: "app/Dockerfile",
            platform: "linux/amd64",
            builderVersion: "BuilderBuildKit",
        });
        expect((build.inputs.build as any).cacheFrom).to.deep.equal({ images: ["us-central1-docker.pkg.dev/acme/app/app:latest"] });
        expect(build.secretInputs).to.include("registry");
        expect(JSON.stringify(build.inputs)).not.to.include("ya29.token");
    });

    it("exposes the pushed image by digest", async () => {
        let ref: string | undefined;
        await record(() =>
            new docker.Image("app", {
                repository: "r/app",
                tag: "v1",
                registryServer: "r",
                registryUsername: "u",
                registryPassword: "p",
            }).imageRef.apply((r) => (ref = r)),
        );
        expect(ref).to.match(/^r\/app@sha256:[a-f0-9]{64}$/);
    });

    it("rejects absolute paths, odd platforms and secret build args before building (a context above the project is allowed)", async () => {
        await expectRejected(
            () =>
                new docker.Image("app", {
                    context: "/srv/elsewhere",
                    platform: "windows/amd64",
                    buildArgs: { NPM_TOKEN: "x" },
                    repository: "r/app",
                    registryServer: "r",
                    registryUsername: "u",
                    registryPassword: "p",
                }),
            /Image\(app\)\.context = "\/srv\/elsewhere"[\s\S]*Image\(app\)\.platform = "windows\/amd64"[\s\S]*Image\(app\)\.buildArgs = "NPM_TOKEN": no secrets as build args/,
        );
    });
});

describe("cluster components: the tier's settings as explicit arguments (the program passes its resolved spec)", () => {
    it("AutopilotCluster: an explicit `kubernetes` wins over the tier's (release channel, private nodes)", async () => {
        const args = { project: "acme-test", region: "us-central1", clusterName: "shop", nodeAccountId: "shop-nodes" };
        const byTier = await record(() => new gcp.AutopilotCluster("k", { ...args, tier: "solo" }));
        const explicit = await record(
            () => new gcp.AutopilotCluster("k", { ...args, tier: "solo", kubernetes: TIER_PROFILES.production.kubernetes }),
        );
        const cluster = (run: ProgramRun) => one(run, "gcp:container/cluster:Cluster", "k-cluster").inputs;
        expect(cluster(byTier)).to.deep.include({ releaseChannel: { channel: "REGULAR" } });
        expect(cluster(explicit)).to.deep.include({ releaseChannel: { channel: "STABLE" } });
        expect(cluster(explicit).privateClusterConfig).to.include({ enablePrivateNodes: true });
    });

    it("aws.Database: an explicit finalSnapshot wins over the tier's", async () => {
        const args = { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], clientSecurityGroupId: "sg-1", tier: "production" as const };
        const instance = (run: ProgramRun) => one(run, "aws:rds/instance:Instance", "db-instance").inputs;
        expect(instance(await record(() => new aws.Database("db", args)))).to.include({ skipFinalSnapshot: false });
        expect(instance(await record(() => new aws.Database("db", { ...args, finalSnapshot: false })))).to.include({
            skipFinalSnapshot: true,
        });
    });

    it("EksCluster: explicit node group and log retention win over the tier's", async () => {
        const args = {
            clusterName: "shop",
            vpcId: "vpc-1",
            subnetIds: ["subnet-a", "subnet-b"],
            publicSubnetIds: ["subnet-c", "subnet-d"],
            loadBalancerSecurityGroupId: "sg-1",
            healthPath: "/health",
        };
        const explicit = await record(
            () =>
                new aws.EksCluster("k", {
                    ...args,
                    tier: "solo",
                    kubernetes: TIER_PROFILES.production.kubernetes,
                    logRetentionDays: 30,
                }),
        );
        const nodes = ofType(explicit, "aws:eks/nodeGroup:NodeGroup")[0].inputs;
        expect(nodes.instanceTypes).to.deep.equal([TIER_PROFILES.production.kubernetes.eksNodes.instanceType]);
        expect(nodes.scalingConfig).to.include({ desiredSize: TIER_PROFILES.production.kubernetes.eksNodes.count });
        expect(one(explicit, "aws:cloudwatch/logGroup:LogGroup", "k-control-plane-logs").inputs.retentionInDays).to.equal(30);
    });
});
