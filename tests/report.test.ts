import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    DIAGRAM_LEGEND,
    ResourceRecord,
    compareDocuments,
    mermaidDiagram,
    mermaidLabel,
    renderComparison,
    renderMarkdown,
    renderTree,
} from "../plan";
import { parseBaseDocument, valueChanges } from "../plan/compare";
import { countsText, plural, quantityText, resourceCounts, tidyNumber, tidyNumbers, unitPriceText } from "../plan/report";
import { ROOT, cachedPlan, cli, planStack } from "./helpers/plans";
import { fakeRecord } from "./helpers/record";

const OTHER = path.join(ROOT, "tests", "fixtures", "other-project");

const record = (type: string, name: string, extra: Partial<ResourceRecord> = {}) =>
    fakeRecord(type, name, { urn: `urn:pulumi:s::p::${type}::${name}`, ...extra });

describe("numbers and words for people", () => {
    it("drops binary float noise but keeps real precision", () => {
        expect(tidyNumber(0.1 + 0.05)).to.equal(0.15);
        expect(tidyNumber(0.000024)).to.equal(0.000024);
        expect(tidyNumbers({ a: [0.30000000000000004], b: "x" })).to.deep.equal({ a: [0.3], b: "x" });
    });

    it("prices in cents at least, small prices to their digits, quantities with separators", () => {
        expect(unitPriceText(0.1)).to.equal("$0.10");
        expect(unitPriceText(0.4)).to.equal("$0.40");
        expect(unitPriceText(0.000024)).to.equal("$0.000024");
        expect(unitPriceText(0.0000025)).to.equal("$0.0000025");
        expect(unitPriceText(12.5)).to.equal("$12.50");
        expect(quantityText(52560)).to.equal("52,560");
        expect(quantityText(0.123456)).to.equal("0.1235");
    });

    it("says 1 component, 2 components", () => {
        expect(plural(1, "component")).to.equal("1 component");
        expect(plural(2, "component")).to.equal("2 components");
        expect(plural(1000, "resource")).to.equal("1,000 resources");
    });

    it("counts generated values, GitHub settings, builds and providers apart from cloud resources", () => {
        const counts = resourceCounts([
            record("pulumi:pulumi:Stack", "p-s", { custom: false }),
            record("runway:gcp:Service", "app", { custom: false }),
            record("gcp:cloudrunv2/service:Service", "app-service"),
            record("random:index/randomPassword:RandomPassword", "pw"),
            record("github:index/repositoryFile:RepositoryFile", "ci"),
            record("pulumi:providers:gcp", "default"),
        ]);
        expect(counts).to.include({ total: 6, cloud: 1, other: 3, components: 1, stacks: 1 });
        expect(countsText(counts)).to.equal(
            "6 to create (1 cloud resource, 3 other resources (github, providers, random), 1 component, 1 stack)",
        );
    });
});

describe("the plan's text and JSON", function () {
    this.timeout(60000);

    it("prints a generated password output as [secret], like the engine marks a provider's secret outputs", async () => {
        const { document } = await cachedPlan({ cwd: OTHER, stack: "dev" });
        expect(document.outputs.token).to.equal("[secret]");
        expect(renderTree(document))
            .to.include("token: [secret]")
            .and.include("(0 cloud resources, 4 other resources (random), 0 components, 1 stack)");
    });

    it("keeps the cost in JSON free of float noise", async () => {
        const { document } = await planStack("staging");
        const numbers: number[] = [];
        JSON.stringify(document.cost, (_k, v) => {
            if (typeof v === "number") numbers.push(v);
            return v;
        });
        expect(numbers.length).to.be.above(10);
        expect(numbers.filter((n) => n !== tidyNumber(n))).to.deep.equal([]);
    });
});

describe("comparison against a base plan", function () {
    this.timeout(60000);

    it("shows the values that changed, old → new, with secrets masked", () => {
        expect(valueChanges({ scaling: { min: 0, max: 3 } }, { scaling: { min: 1, max: 3 } }, "template")).to.deep.equal([
            { path: "template.scaling.min", before: "0", after: "1" },
        ]);
        expect(valueChanges("a", "b", "secretData", true)).to.deep.equal([{ path: "secretData", before: "[secret]", after: "[secret]" }]);
        expect(valueChanges(undefined, ["x"], "env")).to.deep.equal([{ path: "env", before: "(none)", after: '["x"]' }]);
    });

    it("a changed row says what changed and a base of another stack is flagged", async () => {
        const solo = (await planStack("solo")).document;
        const warm = (await planStack("solo", { "runway:minInstances": "1" })).document;
        const c = compareDocuments(solo, warm);
        expect(c.warnings).to.deep.equal([]);
        expect(c.changed.map((r) => r.details)).to.deep.equal([[{ path: "scaling.minInstanceCount", before: "0", after: "1" }]]);
        expect(renderComparison(c)).to.include("        scaling.minInstanceCount: 0 → 1");
        expect(renderMarkdown(warm, c)).to.include(
            "| ✏️ changed | <code>gcp:cloudrunv2/service:Service</code> app-service | <code>scaling.minInstanceCount</code>: 0 → 1 |",
        );
        const staging = (await planStack("staging")).document;
        const across = compareDocuments(staging, warm);
        expect(across.warnings).to.deep.equal([
            "the base plan is of runway/staging, this plan is of runway/solo: the differences include the two stacks' own settings",
        ]);
        expect(renderMarkdown(warm, across)).to.include("> ⚠️ Warning: the base plan is of runway/staging");
    });
});

describe("a --compare file that is not a plan", () => {
    const refused = (doc: unknown) => {
        try {
            parseBaseDocument(typeof doc === "string" ? doc : JSON.stringify(doc), "base.json");
        } catch (err) {
            return (err as Error).message;
        }
        return "accepted";
    };
    const resource = {
        type: "random:index/randomPet:RandomPet",
        name: "a",
        inputs: {},
        protect: false,
        ignoreChanges: [],
        secretInputs: [],
    };

    it("is refused naming the file and what is wrong, by JSON path, instead of failing half-way through the comparison", () => {
        expect(refused({ resources: [null, 3, resource] })).to.equal(
            "--compare base.json: not a plan document from `runway plan --json`, or one edited by hand:\n" +
                "  - resources[0] is null, not a resource (an object with type, name and inputs)\n" +
                "  - resources[1] is a number, not a resource (an object with type, name and inputs)",
        );
        expect(refused({ resources: [{ ...resource, name: 7, inputs: null, secretInputs: "x", protect: "yes" }] })).to.equal(
            "--compare base.json: not a plan document from `runway plan --json`, or one edited by hand:\n" +
                "  - resources[0] name is a number, not a string, inputs is null, not an object, secretInputs is a string, not a list, protect is a string, not true or false",
        );
        expect(refused({ resources: [resource], cost: { usageMonthly: "12" } })).to.match(/cost\.usageMonthly is a string, not a number$/);
        expect(refused({ resources: [resource], project: ["p"] })).to.match(/project is a list, not a string$/);
        expect(refused("null")).to.equal("--compare base.json: not a plan document from `runway plan --json` (the file holds null)");
        expect(refused("[]")).to.equal("--compare base.json: not a plan document from `runway plan --json` (the file holds a list)");
        expect(refused("{")).to.match(/^--compare base\.json: not JSON \(/);
        const many = refused({ resources: Array.from({ length: 9 }, () => ({})) });
        expect(many.split("\n")).to.have.length(7);
        expect(many).to.match(/\n {2}and 4 more$/);
    });

    it("a value nested deeper than any plan's is refused naming where, instead of exhausting the stack mid-comparison", () => {
        const deep = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
        const text = (levels: number) =>
            `{"resources":[${JSON.stringify(resource)},{"type":"t","name":"n","inputs":{"tags":{"a":${deep(levels)}}}}]}`;
        expect(refused(text(500))).to.equal("accepted");
        expect(refused(text(100_000))).to.equal(
            "--compare base.json: not a plan document from `runway plan --json`, or one edited by hand:\n" +
                `  - resources[1] inputs.tags.a${"[0]".repeat(16)}… nests deeper than 1,000 levels`,
        );
        // The comparison itself (what the tree's diff runs on) copes with what was accepted.
        const base = parseBaseDocument(text(500), "base.json");
        const head = { resources: [fakeRecord("t", "n", { inputs: { tags: { a: [] } } })], cost: undefined as never };
        expect(compareDocuments(base, head).changed.map((c) => c.changed)).to.deep.equal([["tags"]]);
    });

    it("a file larger than Node can read as text is refused by its size, before it is read", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "runway-compare-")), "huge.json");
        fs.writeFileSync(file, "");
        fs.truncateSync(file, 600 * 2 ** 20); // sparse: no disk or memory used
        const { code, stderr } = await cli("--stack", "solo", "--compare", file);
        expect(code).to.equal(2);
        expect(stderr).to.equal(
            `--compare ${file}: 600 MiB, more than Node can read as one text (511 MiB): not a plan document from \`runway plan --json\`\n`,
        );
        fs.rmSync(path.dirname(file), { recursive: true });
    });

    it("keys named like an object's own methods (constructor, toString, __proto__) compare as data", () => {
        const base = parseBaseDocument(
            '{"resources":[{"type":"t","name":"n","inputs":{"tags":{"constructor":"x","__proto__":{"p":1}},"toString":5}}]}',
            "base.json",
        );
        const head = { resources: [fakeRecord("t", "n", { inputs: { tags: {} } })], cost: undefined as never };
        const [change] = compareDocuments(base, head).changed;
        expect(change.changed).to.deep.equal(["tags", "toString"]);
        expect(change.details).to.deep.equal([
            { path: "tags.__proto__", before: '{"p":1}', after: "(none)" },
            { path: "tags.constructor", before: '"x"', after: "(none)" },
            { path: "toString", before: "5", after: "(none)" },
        ]);
        expect(({} as Record<string, unknown>).p, "nothing leaked into Object.prototype").to.equal(undefined);
    });

    it("a document written by --json, or an older one without project, stack or cost, is accepted and compares", () => {
        expect(refused({ resources: [resource] })).to.equal("accepted");
        const base = parseBaseDocument(
            JSON.stringify({
                resources: [
                    { type: "t", name: "n" },
                    { type: "t", name: "kept" },
                ],
            }),
            "old.json",
        );
        const c = compareDocuments(base, { resources: [fakeRecord("t", "kept")], cost: undefined as never });
        expect(c.removed.map((r) => r.name)).to.deep.equal(["n"]);
        expect(c.changed).to.deep.equal([]);
    });
});

describe("Mermaid diagram", function () {
    this.timeout(60000);

    it("shows who may invoke the service and other IAM grants as access edges", async () => {
        const diagram = mermaidDiagram((await planStack("solo")).document.resources);
        const id = (label: string) =>
            new RegExp(`^\\s+(n\\d+)\\[?\\(?\\(?"${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`, "m").exec(diagram)?.[1];
        const service = id("Service: app-service");
        const everyone = id("allUsers");
        expect(service, diagram).to.be.a("string");
        expect(everyone, "allUsers is a node").to.be.a("string");
        expect(diagram).to.include(`${everyone} -.->|"run.invoker"| ${service}`);
        expect(diagram).to.match(/-\.->\|"artifactregistry\.writer"\|/);
    });

    it("staging behind IAP shows no allUsers", async () => {
        expect(mermaidDiagram((await planStack("staging")).document.resources)).not.to.include("allUsers");
    });

    it("drops empty components, escapes names and draws a project with only top-level resources", () => {
        const stack = record("pulumi:pulumi:Stack", "p-s", { custom: false });
        const empty = record("x:index:Empty", "empty", { custom: false, parent: stack.urn });
        const html = record("aws:s3/bucket:Bucket", 'a"b<script>&', { parent: stack.urn });
        const diagram = mermaidDiagram([stack, empty, html]);
        expect(diagram).not.to.include("empty");
        expect(diagram).not.to.match(/subgraph/);
        expect(diagram).to.include('["Bucket: a#quot;b#lt;script#gt;#amp;"]');
        expect(mermaidLabel("<b>")).to.equal("#lt;b#gt;");
    });

    it("the markdown carries a one-line legend under the diagram", async () => {
        const md = renderMarkdown((await planStack("solo")).document);
        expect(md).to.include(`\`\`\`\n\n${DIAGRAM_LEGEND}\n`);
        expect(DIAGRAM_LEGEND).not.to.include("\n");
    });
});
