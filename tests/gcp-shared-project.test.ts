/**
 * Several stacks in one GCP project (issue #31 item 6): every project-unique name the Runway program
 * plans carries the stack, so solo, staging and production (or two production stacks) do not collide
 * with 409 on the second `up`; `runway:stackInNames false` keeps the names of earlier releases.
 */
import { expect } from "chai";
import fc from "fast-check";
import { CLOUD_RUN_SERVICE_NAME } from "../rules/patterns";
import {
    CUSTOM_ROLE_ID,
    SERVICE_ACCOUNT_ID,
    customRoleId,
    releaseRoleSuffix,
    stackBase,
    stackGcpNames,
    stackScopedId,
} from "../rules/gcp/names";
import { PlanDocument, UNIQUE_NAMES } from "../plan";
import { planStack, planStackAs } from "./helpers/plans";

const serviceName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/).filter((n) => CLOUD_RUN_SERVICE_NAME.test(n));
const stackName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,30}$/);
const slugged = (s: string) =>
    s
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");

describe("stack-scoped ids (properties)", () => {
    it("fit the id rules of Cloud Run services and service accounts, and keep the stack whole when it fits", () => {
        fc.assert(
            fc.property(serviceName, stackName, (service, stack) => {
                const names = stackGcpNames(service, stack, true);
                expect(names.service).to.match(CLOUD_RUN_SERVICE_NAME);
                for (const id of [names.runtimeAccount, names.deployerAccount, names.previewerAccount])
                    expect(id).to.match(SERVICE_ACCOUNT_ID);
                // Room for the stack and role: the stack stays readable in the id.
                if (slugged(stack).length <= 16) expect(names.runtimeAccount).to.include(slugged(stack));
                expect(names.service).to.include(slugged(stack).slice(0, 40));
            }),
            { numRuns: 300 },
        );
    });

    it("differ between stacks and between services (no two inputs share an id)", () => {
        fc.assert(
            fc.property(serviceName, serviceName, stackName, stackName, (s1, s2, k1, k2) => {
                fc.pre(`${s1}-${slugged(k1)}` !== `${s2}-${slugged(k2)}`);
                expect(stackScopedId(s1, k1, "run", 30)).not.to.equal(stackScopedId(s2, k2, "run", 30));
                expect(stackScopedId(s1, k1, "", 49)).not.to.equal(stackScopedId(s2, k2, "", 49));
            }),
            { numRuns: 300 },
        );
    });

    it("custom role ids fit Google's rule and differ between stacks, also past 64 characters", () => {
        fc.assert(
            fc.property(serviceName, stackName, stackName, (service, k1, k2) => {
                const id = customRoleId("runwayPreview", service, k1);
                expect(id).to.match(CUSTOM_ROLE_ID);
                fc.pre(k1.replace(/[^a-zA-Z0-9_.]/g, "_") !== k2.replace(/[^a-zA-Z0-9_.]/g, "_"));
                expect(id).not.to.equal(customRoleId("runwayPreview", service, k2));
            }),
            { numRuns: 300 },
        );
        expect(customRoleId("runwayDeploy", "app", "production-eu")).to.equal("runwayDeploy_app_production_eu");
        // A stack named after its tier keeps the component's role ids; any other stack's carry it.
        expect(stackGcpNames("app", "solo", true, "solo").deployRole).to.equal(undefined);
        expect(stackGcpNames("app", "dev", true, "solo")).to.include({
            deployRole: "runwayDeploy_app_dev",
            previewRole: "runwayPreview_app_dev",
        });
        expect(stackGcpNames("app", "dev", false, "solo").deployRole, "runway:stackInNames false").to.equal(undefined);
    });

    it("a stack too long to fit keeps the service first and as much of the stack as fits, with a digest", () => {
        const stack = "a-very-long-stack-name-for-the-team-of-payments-eu";
        const names = stackGcpNames("app", stack, true, "solo");
        expect(names).to.include({
            service: "app-a-very-long-stack-name-for-the-team-of-p-xldk",
            runtimeAccount: "app-a-very-long-stack-run-0wug",
            deployerAccount: "app-a-very-long-st-deploy-qdj8",
        });
        expect(stackBase("app", stack, 40)).to.equal("app-a-very-long-stack-name-for-the-xldk");
        expect(releaseRoleSuffix("app", stack)).to.equal("app_a_very_long_stack_name_for_the_xldk");
        // A second long stack that shares all that fits gets its own names.
        const us = stackGcpNames("app", stack.replace(/eu$/, "us"), true, "solo");
        for (const key of ["service", "runtimeAccount", "deployerAccount", "previewerAccount"] as const)
            expect(us[key]).not.to.equal(names[key]);
        expect(stackBase("app", stack.replace(/eu$/, "us"), 40)).not.to.equal(stackBase("app", stack, 40));
        // Names that fit read as before (existing stacks keep them).
        expect(stackBase("app", "production", 40)).to.equal("app-production");
        expect(releaseRoleSuffix("app", "production-eu")).to.equal("app_production_eu");
        fc.assert(
            fc.property(serviceName, fc.stringMatching(/^[a-z][a-z0-9-]{49,80}$/), (service, long) => {
                fc.pre(service.length <= 20 && slugged(long).length >= 49);
                const n = stackGcpNames(service, long, true);
                expect(n.service)
                    .to.match(CLOUD_RUN_SERVICE_NAME)
                    .and.satisfy((id: string) => id.startsWith(`${service}-`));
                for (const id of [n.runtimeAccount, n.deployerAccount, n.previewerAccount]) expect(id).to.match(SERVICE_ACCOUNT_ID);
                expect(stackBase(service, long, 40))
                    .to.have.length.at.most(40)
                    .and.satisfy((id: string) => id.startsWith(`${service}-`));
            }),
            { numRuns: 200 },
        );
    });

    it("examples: short names read plainly; without the stack, the names of earlier releases", () => {
        expect(stackGcpNames("app", "production", true, "production")).to.deep.equal({
            service: "app-production",
            runtimeAccount: "app-production-run",
            deployerAccount: "app-production-deploy",
            previewerAccount: "app-production-preview",
        });
        // Two stacks of one tier (production, production-eu) get different ids.
        const eu = stackGcpNames("app", "production-eu", true);
        expect(eu.deployerAccount).to.equal("app-production-eu-deploy");
        const production = Object.values(stackGcpNames("app", "production", true));
        expect(Object.values(eu).filter((id) => production.includes(id))).to.deep.equal([]);
        // Without the stack, the components name the accounts as before (see the plan test below).
        expect(stackGcpNames("app", "production", false)).to.deep.equal({ service: "app" });
        const long = stackScopedId("a-really-long-service-name-here", "production-eu", "deploy", 30);
        expect(long).to.have.length.at.most(30).and.include("production-eu-deploy");
    });
});

/**
 * Every known project-scoped unique name a plan registers, as "type name" (the project itself left
 * out, as if every stack shared one; the default plans are shared with the other test files).
 */
async function projectUniqueNames(stack: string): Promise<Set<string>> {
    return uniqueNamesOf((await planStack(stack)).document);
}

function uniqueNamesOf(document: PlanDocument): Set<string> {
    const names = new Set<string>();
    for (const r of document.resources) {
        const rule = UNIQUE_NAMES[r.type];
        const value = rule?.scope.startsWith("project") ? r.inputs[rule.field] : undefined;
        if (typeof value === "string" && !value.startsWith("[")) names.add(`${r.type} ${value}`);
    }
    return names;
}

describe("stacks sharing one project (offline plans)", function () {
    this.timeout(120000);

    it("solo, staging and production share no service account id, Cloud Run service name, secret or repository", async () => {
        const [solo, staging, production] = await Promise.all(["solo", "staging", "production"].map((s) => projectUniqueNames(s)));
        const accounts = [...production].filter((n) => n.startsWith("gcp:serviceaccount/account:Account"));
        expect(accounts.length, "production plans service accounts").to.be.at.least(3);
        expect([...production].some((n) => n === "gcp:cloudrunv2/service:Service app-production")).to.equal(true);
        for (const [a, b] of [
            [solo, production],
            [solo, staging],
            [staging, production],
        ])
            expect([...a].filter((n) => b.has(n))).to.deep.equal([]);
    });

    it("two stacks of one tier (solo copied as dev and alice) plan disjoint names, the custom roles too; solo's keep theirs", async () => {
        const [dev, alice, solo] = await Promise.all([planStackAs("dev", "solo"), planStackAs("alice", "solo"), planStack("solo")]);
        const [devNames, aliceNames] = [dev, alice].map((p) => uniqueNamesOf(p.document));
        const roles = [...devNames].filter((n) => n.startsWith("gcp:projects/iAMCustomRole"));
        expect(roles).to.deep.equal(["gcp:projects/iAMCustomRole:IAMCustomRole runwayDeploy_app_dev"]);
        expect(devNames.size, "names planned").to.be.at.least(5);
        expect([...devNames].filter((n) => aliceNames.has(n))).to.deep.equal([]);
        for (const { document } of [dev, alice])
            expect(document.deployability.filter((f) => f.policy === "name-shared-by-stacks").map((f) => f.message)).to.deep.equal([]);
        // An existing stack named after its tier plans the role ids it has (no replacement).
        expect([...uniqueNamesOf(solo.document)].filter((n) => n.includes("CustomRole"))).to.deep.equal([
            "gcp:projects/iAMCustomRole:IAMCustomRole runwayDeploy_app_solo",
        ]);
    });

    it("the previewer's role carries the stack too; production keeps its role ids", async () => {
        const [eu, production] = await Promise.all([planStackAs("production-eu", "production"), planStack("production")]);
        const roles = (d: PlanDocument) => [...uniqueNamesOf(d)].filter((n) => n.includes("CustomRole")).map((n) => n.split(" ")[1]);
        expect(roles(eu.document).sort()).to.deep.equal([
            "runwayDeploy_app_production_eu",
            "runwayGate_app_production_eu",
            "runwayPreview_app_production_eu",
        ]);
        expect(roles(production.document).sort()).to.deep.equal([
            "runwayDeploy_app_production",
            "runwayGate_app_production",
            "runwayPreview_app_production",
        ]);
        const [a, b] = [eu, production].map((p) => uniqueNamesOf(p.document));
        expect([...a].filter((n) => b.has(n))).to.deep.equal([]);
    });

    it("a long stack name plans names that start with the service and carry the stack: the check stays quiet", async () => {
        const { document } = await planStackAs("a-very-long-stack-name-for-the-team-of-payments-eu", "solo");
        const service = document.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service")!;
        expect(service.inputs.name).to.equal("app-a-very-long-stack-name-for-the-team-of-p-xldk");
        expect(document.deployability.filter((f) => f.policy === "name-shared-by-stacks").map((f) => f.message)).to.deep.equal([]);
    });

    it("no tier plans a project-unique name without its stack (the deployability check stays quiet)", async () => {
        for (const stack of ["solo", "staging", "production"]) {
            const { document } = await planStack(stack, { "runway:database": "managed", "runway:cache": "managed" });
            expect(
                document.deployability.filter((f) => f.policy === "name-shared-by-stacks"),
                stack,
            ).to.deep.equal([]);
        }
    });

    it("runway:stackInNames false keeps the earlier names, and the check then reports each collision class", async () => {
        const { document } = await planStack("production", { "runway:stackInNames": "false" });
        const svc = document.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service")!;
        expect(svc.inputs.name).to.equal("app");
        const accounts = document.resources.filter((r) => r.type === "gcp:serviceaccount/account:Account").map((r) => r.inputs.accountId);
        expect(accounts.sort()).to.deep.equal(["app-deploy-production", "app-preview-production", "app-run"]);
        const flagged = document.deployability.filter((f) => f.policy === "name-shared-by-stacks").map((f) => f.urn!.split("::").pop());
        expect(flagged.sort()).to.deep.equal(["app-runtime", "app-service"]);
    });
});
