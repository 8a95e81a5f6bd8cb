/**
 * Issue #34 item 4: children made per list entry (IAP members, alert emails, secret accessors,
 * registry grants) are keyed by value, so removing or reordering entries leaves the others alone,
 * and carry an alias from the positional name earlier releases gave them, so upgrading replaces nothing.
 */
import { expect } from "chai";
import * as gcp from "../components/gcp";
import { entryKey, keyedEntries } from "../components/base";
import { ResourceRecord } from "../plan";
import { planStack } from "./helpers/plans";
import { record } from "./helpers/record";

const IAP_MEMBERS = ["group:team@example.com", "user:ana@example.com", "user:bo@example.com"];
const EMAILS = ["team@example.com", "ana@example.com", "bo@example.com"];
const AWS = { "runway:cloud": "aws", "aws:region": "us-east-1" };

/** Lists of strings sorted, deeply: a budget or alert policy lists its channels in the order of runway:alertEmails. */
function unordered(value: unknown): unknown {
    if (Array.isArray(value)) {
        const items = value.map(unordered);
        return items.every((i) => typeof i === "string") ? [...(items as string[])].sort() : items;
    }
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unordered(v)]));
    return value;
}

/** What identifies a resource and what it is: URN, inputs (up to list order), parent, dependencies. */
function shape(r: ResourceRecord) {
    return { urn: r.urn, inputs: unordered(r.inputs), parent: r.parent, dependencies: [...r.dependencies].sort() };
}

/** The per-entry children of a plan: IAP grants, email channels / subscriptions. */
function entryChildren(resources: readonly ResourceRecord[]): ResourceRecord[] {
    return resources.filter((r) => /-(iap-access|email)-[0-9a-f]{8}$/.test(r.name));
}

/** Plans `stack` with `lists` (config key → list), once as given and once per edited list. */
async function plans(stack: string, config: Record<string, string>, lists: Record<string, string[]>) {
    const withLists = (edit: (l: string[]) => string[]) =>
        planStack(stack, { ...config, ...Object.fromEntries(Object.entries(lists).map(([k, v]) => [k, JSON.stringify(edit(v))])) });
    const [before, reordered, shortened] = await Promise.all([
        withLists((l) => l),
        withLists((l) => [...l].reverse()),
        withLists((l) => l.slice(1)),
    ]);
    return { before: before.document.resources, reordered: reordered.document.resources, shortened: shortened.document.resources };
}

const STACKS: [string, string, Record<string, string>, Record<string, string[]>][] = [
    ["GCP staging (IAP on Cloud Run, email channels)", "staging", {}, { "runway:iapMembers": IAP_MEMBERS, "runway:alertEmails": EMAILS }],
    [
        "GCP staging behind the edge (IAP on the backend)",
        "staging",
        { "runway:edge": "true", "runway:domain": "staging.example.com" },
        { "runway:iapMembers": IAP_MEMBERS },
    ],
    ["AWS production (email subscriptions)", "production", AWS, { "runway:alertEmails": EMAILS }],
];

describe("children keyed by value", () => {
    for (const [title, stack, config, lists] of STACKS) {
        it(`${title}: reordering entries plans the same URNs and inputs (up to list order); removing one removes only its children`, async () => {
            const { before, reordered, shortened } = await plans(stack, config, lists);
            const perEntry = entryChildren(before);
            expect(perEntry.length, "children per entry").to.be.at.least(3);
            // Reordered: the very same resources.
            expect(reordered.map(shape).sort((a, b) => a.urn.localeCompare(b.urn))).to.deep.equal(
                before.map(shape).sort((a, b) => a.urn.localeCompare(b.urn)),
            );
            // Shortened: the removed entries' children go; every surviving per-entry child is unchanged.
            const kept = new Map(shortened.map((r) => [r.urn, shape(r)]));
            const removed = Object.values(lists).map((l) => entryKey(l[0]));
            for (const child of perEntry) {
                const gone = removed.some((k) => child.name.endsWith(`-${k}`));
                expect(kept.has(child.urn), `${child.name} ${gone ? "removed" : "kept"}`).to.equal(!gone);
                if (!gone) expect(kept.get(child.urn), child.name).to.deep.equal(shape(child));
            }
        });
    }

    it("each keyed child is aliased from the positional name it had before (an upgraded stack replaces nothing)", async () => {
        const { before } = await plans("staging", {}, { "runway:iapMembers": IAP_MEMBERS, "runway:alertEmails": EMAILS });
        for (const [base, list] of [
            ["app-iap-access", IAP_MEMBERS],
            ["monitoring-email", EMAILS],
        ] as const) {
            list.forEach((value, index) => {
                const child = before.find((r) => r.name === `${base}-${entryKey(value)}`);
                expect(child, `${base} for ${value}`).to.not.equal(undefined);
                expect(child!.aliases, child!.name).to.deep.equal([
                    { name: `${base}-${index}`, type: "", project: "", stack: "", parentUrn: child!.parent, noParent: false },
                ]);
                expect(before.some((r) => r.name === `${base}-${index}`)).to.equal(false);
            });
        }
    });

    it("secret accessors are keyed by member; an Output member keeps its position", async () => {
        const run = await record(() => {
            const out = new gcp.Secrets("s", {
                prefix: "app",
                values: { API_KEY: "k" },
                accessors: ["serviceAccount:a@x.iam.gserviceaccount.com"],
            });
            const member = out.secretIds.API_KEY.apply(() => "serviceAccount:b@x.iam.gserviceaccount.com");
            new gcp.Secrets("t", { prefix: "other", values: { API_KEY: "k" }, accessors: [member] });
        });
        const accessors = run.resources.filter((r) => r.type === "gcp:secretmanager/secretIamMember:SecretIamMember").map((r) => r.name);
        expect(accessors.sort()).to.deep.equal([
            `s-api-key-accessor-${entryKey("serviceAccount:a@x.iam.gserviceaccount.com")}`,
            "t-api-key-accessor-0",
        ]);
    });

    it("repeated entries make one child; keys never show the value (a member or email may be a secret)", () => {
        const entries = keyedEntries("m-email", ["a@example.com", "b@example.com", "a@example.com"]);
        expect(entries.map((e) => e.name)).to.deep.equal([`m-email-${entryKey("a@example.com")}`, `m-email-${entryKey("b@example.com")}`]);
        expect(entries.map((e) => e.aliases)).to.deep.equal([[{ name: "m-email-0" }], [{ name: "m-email-1" }]]);
        expect(entries.some((e) => e.name.includes("example"))).to.equal(false);
    });

    it("registry grants alias the n-th grant of their kind to the position-named grant of the member-list registry", async () => {
        const run = await record(() => {
            const registry = new gcp.Registry("images", { location: "us-central1" });
            registry.grantPull("web", "serviceAccount:w@x.iam.gserviceaccount.com");
            registry.grantPull("api", "serviceAccount:a@x.iam.gserviceaccount.com");
            registry.grantPush("ci", "serviceAccount:c@x.iam.gserviceaccount.com");
        });
        const aliasOf = (name: string) =>
            ((run.resources.find((r) => r.name === name)?.aliases ?? []) as { name: string }[]).map((a) => a.name);
        expect([aliasOf("images-reader-web"), aliasOf("images-reader-api"), aliasOf("images-writer-ci")]).to.deep.equal([
            ["images-reader-0"],
            ["images-reader-1"],
            ["images-writer-0"],
        ]);
    });
});
