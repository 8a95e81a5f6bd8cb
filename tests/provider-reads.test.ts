/**
 * The previewer's planned grants against what each provider's Read really calls, written down here
 * from the provider source (an oracle independent of rules/trust/reads.ts, which the simulator's own
 * check compares the grants with). A refreshing preview fails on the first resource whose Read the
 * previewer cannot make, so each fact is a preview that works or not.
 */
import { expect } from "chai";
import type { PlannedResource } from "../rules/trust/simulator";
import { planStack } from "./helpers/plans";

interface ReadFact {
    readonly type: string;
    /** Only resources planned with these inputs call it. */
    readonly when?: (inputs: Record<string, unknown>) => boolean;
    readonly permissions: readonly string[];
    readonly source: string;
}

const GCP_READ_FACTS: readonly ReadFact[] = [
    {
        type: "gcp:projects/service:Service",
        permissions: ["resourcemanager.projects.get", "serviceusage.services.list"],
        source: "magic-modules services/resourcemanager/resource_google_project_service.go.tmpl resourceGoogleProjectServiceRead: Projects.Get, then BatchRequestReadServices → ListCurrentlyEnabledServices (Services.List)",
    },
    {
        type: "gcp:redis/instance:Instance",
        when: (inputs) => inputs.authEnabled === true,
        permissions: ["redis.instances.get", "redis.instances.getAuthString"],
        source: "magic-modules templates/terraform/decoders/redis_instance.go.tmpl: GET …/instances/<name>/authString when authEnabled",
    },
    {
        type: "gcp:billing/budget:Budget",
        when: (inputs) => ((inputs.budgetFilter as { projects?: unknown[] } | undefined)?.projects ?? []).length === 1,
        permissions: ["billing.resourcebudgets.read", "resourcemanager.projects.get"],
        source: "cloud.google.com/billing/docs/how-to/budget-api-access-control: GetBudget of a single-project budget with these permissions on the project (else billing.budgets.get on the billing account)",
    },
    {
        type: "gcp:sql/database:Database",
        permissions: ["cloudsql.databases.get", "cloudsql.instances.get"],
        source: "magic-modules templates/terraform/pre_read/sql_database_activation_policy.tmpl: Instances.Get before the database GET",
    },
];

const MANAGED = { "runway:database": "managed", "runway:cache": "managed" };

function previewRolePermissions(resources: readonly PlannedResource[]): string[] {
    const role = resources.find((r) => r.type === "gcp:projects/iAMCustomRole:IAMCustomRole" && r.name === "ci-preview-reads");
    expect(role, "the previewer's custom role").to.not.equal(undefined);
    return role!.inputs.permissions as string[];
}

describe("the GCP previewer can make every Read a refreshing preview makes (resource review items 1, 2)", function () {
    this.timeout(120000);

    for (const [stack, config] of [
        ["production", MANAGED],
        ["production", {}],
    ] as const) {
        it(`${stack}${Object.keys(config).length ? " with managed data" : ""}: each planned type's provider Read is granted`, async () => {
            const { resources } = (await planStack(stack, config)).document;
            const granted = previewRolePermissions(resources as PlannedResource[]);
            const missing: Record<string, string[]> = {};
            let checked = 0;
            for (const fact of GCP_READ_FACTS) {
                if (!resources.some((r) => r.type === fact.type && (fact.when?.(r.inputs) ?? true))) continue;
                checked++;
                const lacking = fact.permissions.filter((p) => !granted.includes(p));
                if (lacking.length > 0) missing[`${fact.type} — ${fact.source}`] = lacking;
            }
            expect(missing, "Reads the previewer cannot make").to.deep.equal({});
            expect(checked, "facts that apply to this plan").to.be.greaterThan(0);
        });
    }

    it("the managed-data plan has what the facts are about: project services, an AUTH-enabled Memorystore, a Cloud SQL database", async () => {
        const { resources } = (await planStack("production", MANAGED)).document;
        for (const fact of GCP_READ_FACTS)
            expect(
                resources.some((r) => r.type === fact.type && (fact.when?.(r.inputs) ?? true)),
                fact.type,
            ).to.equal(true);
    });
});
