/**
 * Lookups (provider functions) answered offline with values of their declared result types, read
 * from the SDK's own .d.ts files; and multi-language components, which only their plugin can expand.
 */
import { expect } from "chai";
import * as k8s from "@pulumi/kubernetes";
import * as path from "path";
import { plan, recordProgram } from "../plan";
import { functionResult, interfaceFields, placeholderFor, withoutComments } from "../plan/engine/invokeShapes";
import { answerCall } from "../plan/engine/mockOutputs";
import { renderMarkdown } from "../plan/markdown";
import { renderTree } from "../plan/report";
import { ROOT } from "./helpers/plans";

const CORPUS = path.join(ROOT, "tests", "corpus");

describe("lookups answered in the declared result type", function () {
    this.timeout(60000);

    it("reads the result interface and the types it names from the installed SDK, mechanically", () => {
        const subnets = answerCall("aws:ec2/getSubnets:getSubnets", { filters: [{ name: "vpc-id", values: ["vpc-1"] }] });
        expect(subnets.value).to.deep.equal({
            filters: [{ name: "vpc-id", values: ["vpc-1"] }], // the argument, echoed where the result declares it
            id: "[placeholder getSubnets.id]",
            ids: ["[placeholder getSubnets.ids.0]", "[placeholder getSubnets.ids.1]"],
            region: "[placeholder getSubnets.region]",
            tags: {},
        });
        expect(subnets.placeholders).to.deep.equal(["id", "ids", "region", "tags"]);
        const org = answerCall("aws:organizations/getOrganization:getOrganization", {}).value as { roots: unknown[] };
        expect(org.roots[0]).to.deep.equal({
            arn: "[placeholder getOrganization.roots.0.arn]",
            id: "[placeholder getOrganization.roots.0.id]",
            name: "[placeholder getOrganization.roots.0.name]",
            policyTypes: [
                {
                    status: "[placeholder getOrganization.roots.0.policyTypes.0.status]",
                    type: "[placeholder getOrganization.roots.0.policyTypes.0.type]",
                },
                {
                    status: "[placeholder getOrganization.roots.0.policyTypes.1.status]",
                    type: "[placeholder getOrganization.roots.0.policyTypes.1.type]",
                },
            ],
        });
        // Plausible values where the plan has them; every other declared field still present, typed.
        const project = answerCall("gcp:organizations/getProject:getProject", {}, { project: "acme", region: "us-central1" }).value;
        expect(project).to.include({ projectId: "acme", number: "123456789012", autoCreateNetwork: false });
        expect(project.labels).to.deep.equal({});
        expect(answerCall("aws:ec2/getAmi:getAmi", {}).value.blockDeviceMappings).to.have.length(2);
        expect((answerCall("gcp:container/getEngineVersions:getEngineVersions", {}).value.validMasterVersions as string[])[0]).to.equal(
            "[placeholder getEngineVersions.validMasterVersions.0]",
        );
        // A function no installed package declares is answered with its arguments, as before.
        expect(answerCall("nobody:index/getX:getX", { a: 1 })).to.deep.equal({
            value: { a: 1 },
            placeholders: [],
            note: "no declared result type found: answered with its arguments",
        });
        expect(functionResult("aws:ec2/getNoSuchThing:getNoSuchThing")).to.equal(undefined);
    });

    it("parses the type syntax generated SDKs use: unions, literals, maps, arrays, nested namespaces, quoted names", () => {
        const text = `
export declare namespace apps {
    namespace v1 {
        interface Deployment {
            /** a comment with { braces } and "quotes" */
            readonly kind: "Deployment";
            readonly "api-version"?: string;
            replicas: number | undefined;
            selector: {
                [key: string]: string;
            };
            ports: (number | string)[];
            conditions: Array<outputs.apps.v1.Condition>;
            labels: Record<string, string>;
            paused: boolean;
            strategy: enums.apps.v1.Strategy;
            spec: { template: string; };
            toString(): string;
        }
        interface Condition {
            type: string;
        }
    }
}
export declare namespace batch {
    interface Deployment {
        other: string;
    }
}`;
        const fields = interfaceFields(text, ["apps", "v1"], "Deployment")!;
        expect(fields.map((f) => `${f.name}${f.optional ? "?" : ""}:${f.shape.kind}`)).to.deep.equal([
            "kind:literal",
            "api-version?:string",
            "replicas:number",
            "selector:map",
            "ports:array",
            "conditions:array",
            "labels:map",
            "paused:boolean",
            "strategy:string",
            "spec:object",
        ]);
        const result = { fields, resolve: () => interfaceFields(text, ["apps", "v1"], "Condition") };
        expect(placeholderFor({ kind: "object", fields }, "getD", "r", result)).to.deep.equal({
            kind: "Deployment",
            replicas: 1,
            selector: {},
            ports: [1, 1],
            conditions: [{ type: "[placeholder getD.r.conditions.0.type]" }, { type: "[placeholder getD.r.conditions.1.type]" }],
            labels: {},
            paused: false,
            strategy: "[placeholder getD.r.strategy]",
            spec: { template: "[placeholder getD.r.spec.template]" },
        });
        expect(interfaceFields(text, ["batch"], "Condition"), "not in that namespace").to.equal(undefined);
        expect(withoutComments('a /* x */ "/* kept */" // gone\nb')).to.equal('a  "/* kept */" \nb');
    });

    it("a program that builds resources from lookups plans all of them, and every output says which fields are placeholders", async () => {
        const { document } = await plan({ cwd: path.join(CORPUS, "aws-gcp-lookups"), stack: "dev" });
        const named = (type: string) => document.resources.filter((r) => r.type === type);
        const rta = named("aws:ec2/routeTableAssociation:RouteTableAssociation");
        expect(rta.map((r) => r.inputs.subnetId)).to.deep.equal(["[placeholder getSubnets.ids.0]", "[placeholder getSubnets.ids.1]"]);
        expect(named("aws:organizations/policyAttachment:PolicyAttachment")[0].inputs.targetId).to.equal(
            "[placeholder getOrganization.roots.0.id]",
        );
        expect(named("aws:organizations/policy:Policy")).to.have.length(3); // guardrails and one per policy type of the first root
        expect(named("aws:ec2/launchTemplate:LaunchTemplate")[0].inputs.imageId).to.equal("[placeholder getAmi.id]");
        expect(named("gcp:container/cluster:Cluster")[0].inputs).to.deep.include({
            minMasterVersion: "[placeholder getEngineVersions.validMasterVersions.0]",
            resourceLabels: { project: "123456789012" },
        });
        expect(document.lookups.map((l) => l.token)).to.deep.equal([
            "aws:ec2/getAmi:getAmi",
            "aws:ec2/getSubnets:getSubnets",
            "aws:organizations/getOrganization:getOrganization",
            "gcp:container/getEngineVersions:getEngineVersions",
            "gcp:organizations/getProject:getProject",
        ]);
        expect(document.lookups[1].placeholders).to.deep.equal(["id", "ids", "region", "tags"]);
        expect(renderTree(document)).to.include(
            "Lookups answered offline (values of the declared types; placeholders are not the provider's data):\n    aws:ec2/getAmi:getAmi (placeholders: architecture, arn,",
        );
        expect(renderMarkdown(document)).to.include(
            "> Lookups answered offline with values of their declared types (placeholders, not the provider's data): aws:ec2/getAmi:getAmi",
        );
    });
});

describe("Kubernetes manifests and charts", function () {
    this.timeout(60000);

    it("manifests (yaml.ConfigGroup) are parsed offline and planned; a Helm chart is named as not rendered", async () => {
        const run = await recordProgram(
            () => {
                new k8s.yaml.ConfigGroup("manifests", {
                    yaml: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: shop\ndata:\n  a: b\n",
                });
                new k8s.helm.v3.Chart("nginx", { chart: "nginx", fetchOpts: { repo: "https://charts.example.com" } });
            },
            { project: "t", stack: "t", config: {}, secretKeys: [] },
        );
        expect(run.resources.filter((r) => r.custom).map((r) => `${r.type} ${r.name}`)).to.deep.equal([
            "kubernetes:core/v1:Namespace shop",
            "kubernetes:core/v1:ConfigMap shop/cfg",
        ]);
        expect(run.lookups).to.deep.equal([
            {
                token: "kubernetes:helm:template",
                placeholders: ["result"],
                note: "not rendered offline (helm): the chart has no manifests here",
            },
            { token: "kubernetes:yaml:decode", placeholders: [], note: "parsed offline" },
        ]);
    });
});

describe("multi-language components", function () {
    this.timeout(60000);

    it("are listed as not expanded offline in every mode and counted; values from their outputs are unknown; a lookup from another package is typed", async () => {
        const { document } = await plan({ cwd: path.join(CORPUS, "mlc-components"), stack: "dev" });
        const cluster = document.resources.find((r) => r.type === "acme-platform:index:Cluster")!;
        expect(cluster.remote).to.equal(true);
        expect(document.notExpanded).to.deep.equal([{ urn: cluster.urn, type: "acme-platform:index:Cluster", name: "apps" }]);
        expect(document.resources.find((r) => r.name === "apps-extra")!.inputs.vpcId).to.equal("[unknown]");
        expect(document.resources.find((r) => r.name === "apps-nodes-ssm")!.inputs.role).to.equal("[unknown]");
        expect(document.outputs.endpoint).to.equal("[unknown]");
        expect(document.resources.find((r) => r.name === "oidc")!.inputs.thumbprintLists).to.deep.equal([
            "[placeholder getCertificate.certificates.0.sha1Fingerprint]",
            "[placeholder getCertificate.certificates.1.sha1Fingerprint]",
        ]);
        expect(document.cost.unpriced.map((u) => u.urn)).to.include(cluster.urn);
        expect(document.cost.bound).to.not.equal("exact");
        const tree = renderTree(document);
        expect(tree).to.include("+ acme-platform:index:Cluster  apps  (not expanded offline: a multi-language component");
        expect(tree).to.include("1 component (1 not expanded offline)");
        expect(renderMarkdown(document)).to.include(
            "> ⚠️ 1 multi-language component not expanded offline: <code>acme-platform:index:Cluster</code> apps.",
        );
        expect(JSON.parse(JSON.stringify(document)).notExpanded).to.have.length(1);
    });
});
