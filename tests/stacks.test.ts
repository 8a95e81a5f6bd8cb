import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { identityOf, PlanConfigError, recordedBeforeFailure, ResourceRecord } from "../plan";
import { planStack, ROOT } from "./helpers/plans";
import { readsOnly } from "../rules/trust/grants";

const RUN = "gcp:cloudrunv2/service:Service";
const TIERS = ["solo", "staging", "production"];

function byType(resources: ResourceRecord[], type: string): ResourceRecord[] {
    return resources.filter((r) => r.type === type);
}
function cloudRun(resources: ResourceRecord[]): any {
    const [svc] = byType(resources, RUN);
    return svc;
}

describe("whole stacks through the offline plan", function () {
    this.timeout(60000);

    it("solo: scales to zero, public, no VPC, nothing protected, budget $20", async () => {
        const { document } = await planStack("solo");
        const svc = cloudRun(document.resources);
        expect(svc.inputs.scaling.minInstanceCount).to.equal(0);
        expect(svc.inputs.template.containers[0].resources.cpuIdle).to.equal(true);
        expect(svc.inputs.template.vpcAccess).to.equal(undefined);
        expect(byType(document.resources, "gcp:compute/network:Network")).to.have.length(0);
        expect(document.resources.filter((r) => r.protect)).to.have.length(0);
        expect(svc.inputs.invokerIamDisabled).to.equal(true);
        expect(
            document.resources.some((r) => r.inputs.member === "allUsers" || JSON.stringify(r.inputs.members ?? []).includes("allUsers")),
        ).to.equal(false);
        const [budget] = byType(document.resources, "gcp:billing/budget:Budget");
        expect(budget.inputs.amount).to.deep.equal({ specifiedAmount: { currencyCode: "USD", units: "20", nanos: 0 } });
        expect(byType(document.resources, "gcp:monitoring/alertPolicy:AlertPolicy")).to.have.length(0);
    });

    it("staging: IAP on the service, Direct VPC egress, 5xx and latency alerts, deployer bound to the staging environment", async () => {
        const { document } = await planStack("staging");
        const svc = cloudRun(document.resources);
        expect(svc.inputs.iapEnabled).to.equal(true);
        expect(svc.inputs.template.vpcAccess.egress).to.equal("PRIVATE_RANGES_ONLY");
        expect(document.resources.some((r) => r.inputs.member === "allUsers")).to.equal(false);
        expect(
            byType(document.resources, "gcp:iap/webCloudRunServiceIamMember:WebCloudRunServiceIamMember")
                .map((r) => r.inputs.member)
                .sort(),
        ).to.deep.equal(["group:team@example.com", "serviceAccount:app-staging-deploy@runway-staging-example.iam.gserviceaccount.com"]);
        expect(
            byType(document.resources, "gcp:monitoring/alertPolicy:AlertPolicy")
                .map((r) => r.name)
                .sort(),
        ).to.deep.equal(["monitoring-errors", "monitoring-latency"]);
        const wif = document.resources.find((r) => r.inputs.role === "roles/iam.workloadIdentityUser");
        expect(wif?.inputs.member).to.match(/\/attribute\.runway_trust\/environment:staging$/);
    });

    it("production: min 1, CPU always on, protected stateful resources, uptime check, deployer bound to the production environment", async () => {
        const { document } = await planStack("production", {}, { "runway:secrets": JSON.stringify({ API_KEY: "sentinel-api-key" }) });
        const svc = cloudRun(document.resources);
        expect(svc.inputs.scaling).to.deep.equal({ minInstanceCount: 1 });
        expect(svc.inputs.template.scaling).to.deep.equal({ maxInstanceCount: 100 });
        expect(svc.inputs.template.containers[0].resources.cpuIdle).to.equal(false);
        expect(svc.inputs.deletionProtection).to.equal(true);
        const protectedTypes = document.resources
            .filter((r) => r.protect)
            .map((r) => r.type)
            .sort();
        expect(protectedTypes).to.deep.equal(["gcp:artifactregistry/repository:Repository", RUN, "gcp:secretmanager/secret:Secret"]);
        expect(byType(document.resources, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig")).to.have.length(1);
        const wif = document.resources.find((r) => r.inputs.role === "roles/iam.workloadIdentityUser");
        expect(wif?.inputs.member).to.match(/\/attribute\.runway_trust\/environment:production$/);
        expect(svc.ignoreChanges).to.include("template.containers[0].image");
    });

    it("keeps every secret value out of non-secret inputs and outputs", async () => {
        const { document } = await planStack("production", {}, { "runway:secrets": JSON.stringify({ API_KEY: "sentinel-api-key" }) });
        expect(JSON.stringify(document)).not.to.include("sentinel-api-key");
        const [version] = byType(document.resources, "gcp:secretmanager/secretVersion:SecretVersion");
        expect(version.secretInputs).to.deep.equal(["secretData"]);
        const svc = cloudRun(document.resources);
        expect(svc.dependencies.some((urn: string) => urn.includes("SecretIamMember"))).to.equal(true);
        expect(document.config["runway:secrets"]).to.equal("[secret]");
    });

    it("registers every resource under a parent, and every cloud resource under a Runway component", async () => {
        for (const stack of TIERS) {
            const { document } = await planStack(stack);
            const byUrn = new Map(document.resources.map((r) => [r.urn, r]));
            for (const r of document.resources.filter((x) => x.custom)) {
                expect(r.parentType, `${r.type} ${r.name}`).to.match(/^runway:(gcp|docker|github):/);
                expect(byUrn.has(r.parent!)).to.equal(true);
            }
        }
    });

    it("grants no primitive role, and no project-wide IAM except the read-only previewer's custom role of refresh reads, in any tier", async () => {
        for (const stack of TIERS) {
            const { document } = await planStack(stack);
            const roles = document.resources.map((r) => r.inputs.role).filter(Boolean);
            expect(
                roles.filter((r) => ["roles/owner", "roles/editor", "roles/viewer"].includes(String(r))),
                stack,
            ).to.deep.equal([]);
            const projectWide = document.resources.filter((r) => r.type === "gcp:projects/iAMMember:IAMMember");
            for (const grant of projectWide) {
                // The previewer's refresh reads, and the deployer's canary metric reads (no narrower scope exists).
                expect(["ci-preview-reads", "release-gate"], stack).to.include(grant.name);
                const role = document.resources.find((r) => grant.propertyDependencies.role?.includes(r.urn))!;
                expect(role.type, `${stack}: a custom role`).to.equal("gcp:projects/iAMCustomRole:IAMCustomRole");
                expect(
                    (role.inputs.permissions as string[]).filter((p) => !readsOnly(p)),
                    `${stack}: reads only`,
                ).to.deep.equal([]);
            }
        }
    });

    it("resource counts per tier", async () => {
        const counts: Record<string, number> = {};
        for (const stack of TIERS) counts[stack] = (await planStack(stack)).document.resources.length;
        expect(counts).to.deep.equal({ solo: 53, staging: 63, production: 87 });
    });

    it("keeps the (type, name, parent type) identity of every resource (snapshot)", async () => {
        for (const stack of TIERS) {
            const { document } = await planStack(stack);
            const identities = document.resources.map(identityOf).sort();
            const file = path.join(ROOT, "tests", "snapshots", `${stack}.identities.json`);
            if (process.env.UPDATE_SNAPSHOTS === "1") {
                fs.writeFileSync(file, `${JSON.stringify(identities, null, 2)}\n`);
            }
            expect(fs.existsSync(file), `${file} missing: run UPDATE_SNAPSHOTS=1 npx mocha tests/stacks.test.ts`).to.equal(true);
            const expected = JSON.parse(fs.readFileSync(file, "utf8"));
            expect(identities, `${stack}: a rename replaces resources; add an alias, or UPDATE_SNAPSHOTS=1 if intended`).to.deep.equal(
                expected,
            );
        }
    });

    it("registry grants made after construction keep their earlier identities through aliases (no replacement)", async () => {
        // Before grantPull/grantPush, the registry named its grants by list position.
        const renamed = { "registry-writer-deployer": "registry-writer-0" };
        for (const stack of TIERS) {
            const { document } = await planStack(stack);
            for (const [name, was] of Object.entries(renamed)) {
                const grant = document.resources.find((r) => r.name === name);
                expect(grant?.parentType, `${stack} ${name}`).to.equal("runway:gcp:Registry");
                expect(grant?.aliases, `${stack} ${name}`).to.deep.equal([
                    { name: was, type: "", project: "", stack: "", parentUrn: grant?.parent, noParent: false },
                ]);
                expect(
                    document.resources.some((r) => r.name === was),
                    `${stack}: ${was} still planned`,
                ).to.equal(false);
            }
            // The same member as before: the CI deployer pushes.
            const member = (name: string) => String(document.resources.find((r) => r.name === name)?.inputs.member);
            const accountId = (name: RegExp) =>
                document.resources.find((r) => r.type === "gcp:serviceaccount/account:Account" && name.test(r.name))?.inputs.accountId;
            expect(member("registry-writer-deployer"), stack).to.match(new RegExp(`^serviceAccount:${accountId(/^ci-deploy-/)}@`));
            // The runtime identity gets no read access to the images: Cloud Run pulls with its service agent.
            const runtime = `serviceAccount:${accountId(/^app-runtime$/)}@`;
            expect(
                document.resources.filter((r) => r.type.startsWith("gcp:artifactregistry/") && String(r.inputs.member).startsWith(runtime)),
                stack,
            ).to.deep.equal([]);
        }
    });

    it("applies --config overrides over the stack file and the tier", async () => {
        const { document } = await planStack("production", {
            "runway:minInstances": "3",
            "runway:access": "iap",
            "runway:alerts": "service",
            "runway:iapMembers": JSON.stringify(["user:ana@example.com"]),
        });
        const svc = cloudRun(document.resources);
        expect(svc.inputs.scaling.minInstanceCount).to.equal(3);
        // Behind production's edge, IAP runs on the load balancer's backend, not on the service.
        expect(svc.inputs.iapEnabled).to.equal(false);
        expect(byType(document.resources, "gcp:compute/backendService:BackendService")[0].inputs.iap).to.deep.equal({ enabled: true });
    });

    it("fails with every config problem named, before any cloud resource", async () => {
        try {
            await planStack("production", { "runway:minInstances": "7", "runway:maxInstances": "2", "runway:alertEmails": "[]" });
            expect.fail("expected a config error");
        } catch (err) {
            expect((err as Error).message)
                .to.include("runway:minInstances = 7")
                .and.include("runway:alertEmails = []");
            expect(recordedBeforeFailure(err).map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
        }
    });

    it("names the build key when there is no Dockerfile to build, before any cloud resource", async () => {
        for (const [config, expected] of [
            [{ "runway:buildContext": "services/missing" }, 'runway:buildContext = "services/missing": a path'],
            [{ "runway:dockerfile": "app/Dockerfile.prod" }, 'runway:dockerfile = "app/Dockerfile.prod": a path'],
        ] as const) {
            try {
                await planStack("solo", config);
                expect.fail("expected a config error");
            } catch (err) {
                expect((err as Error).message)
                    .to.include(expected)
                    .and.include("or set runway:image to deploy a prebuilt image");
                expect(recordedBeforeFailure(err).map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
            }
        }
    });

    it("deploys a prebuilt image as given and builds nothing", async () => {
        const { document } = await planStack("solo", { "runway:image": "us-docker.pkg.dev/acme/app/app:1.2" });
        expect(document.resources.filter((r) => r.type.startsWith("docker:") || r.type.startsWith("runway:docker"))).to.deep.equal([]);
        const svc = document.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service")!;
        expect((svc.inputs.template as any).containers[0].image).to.equal("us-docker.pkg.dev/acme/app/app:1.2");
    });

    it("deploys the image it builds by digest, from this stack's registry", async () => {
        const { document } = await planStack("staging");
        const svc = document.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service")!;
        const build = document.resources.find((r) => r.type === "docker:index/image:Image")!;
        expect((svc.inputs.template as any).containers[0].image).to.match(
            /^us-central1-docker\.pkg\.dev\/runway-staging-example\/app-staging\/app@sha256:[a-f0-9]{64}$/,
        );
        expect(svc.propertyDependencies.template).to.include(build.urn);
        expect(build.inputs.imageName).to.equal("us-central1-docker.pkg.dev/runway-staging-example/app-staging/app:staging");
        expect(build.dependencies.some((u) => u.endsWith("registry-repository"))).to.equal(true);
    });

    it("names the available stacks when the stack file is missing", async () => {
        try {
            await planStack("prod");
            expect.fail("expected a missing stack error");
        } catch (err) {
            expect(err).to.be.instanceOf(PlanConfigError);
            expect((err as Error).message).to.match(/no stack file Pulumi\.prod\.yaml.*production, solo, staging/);
        }
    });
});
