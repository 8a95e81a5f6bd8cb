import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PACK_NAME, policies } from "../policy/policies";
import { callDirectly, FakeResource } from "./helpers/policyRun";
import { ROOT } from "./helpers/plans";

/** For each policy: resources on which it reports something under its defaults. */
const FIRES_ON: Record<string, FakeResource[]> = {
    "kubernetes-pod-security": [
        {
            type: "kubernetes:core/v1:Pod",
            name: "debug",
            props: { spec: { hostNetwork: true, containers: [{ name: "c", image: "busybox", securityContext: { privileged: true } }] } },
        },
    ],
    "non-root-images": [
        {
            type: "gcp:cloudrunv2/service:Service",
            name: "web",
            props: { template: { containers: [{ image: "docker.io/library/nginx:latest" }] } },
        },
    ],
    "root-build-stages": [
        {
            type: "docker:index/image:Image",
            name: "img",
            props: {
                imageName: "x",
                build: { context: "tests/fixtures/dockerfiles", dockerfile: "tests/fixtures/dockerfiles/Dockerfile.good" },
            },
        },
    ],
    "base-image-users": [
        {
            type: "docker:index/image:Image",
            name: "img",
            props: {
                imageName: "x",
                build: {
                    context: "tests/fixtures/policy-corpus/dockerfiles",
                    dockerfile: "tests/fixtures/policy-corpus/dockerfiles/dotnet-app-uid.Dockerfile",
                },
            },
        },
    ],
    "budget-presence": [
        { type: "gcp:billing/budget:Budget", name: "b", props: { amount: { specifiedAmount: { units: "10" } }, thresholdRules: [] } },
    ],
    "budget-covers-estimate": [
        { type: "gcp:billing/budget:Budget", name: "b", props: { amount: { specifiedAmount: { currencyCode: "USD", units: "1" } } } },
        {
            type: "gcp:sql/databaseInstance:DatabaseInstance",
            name: "db",
            props: { region: "us-central1", settings: { tier: "db-f1-micro" } },
        },
    ],
    "blocking-scans": [
        { type: "aws:ecr/repository:Repository", name: "repo", props: { imageScanningConfiguration: { scanOnPush: false } } },
    ],
    "unverified-scans": [
        {
            type: "github:index/repositoryFile:RepositoryFile",
            name: "ci",
            props: {
                file: ".github/workflows/ci.yml",
                content:
                    "on: [pull_request]\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/scan\n",
            },
        },
    ],
    "no-primitive-roles": [{ type: "gcp:projects/iAMMember:IAMMember", name: "m", props: { role: "roles/editor", member: "user:a@b.co" } }],
    "ci-trust-scoped-to-repository": [{ type: "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", name: "p", props: {} }],
    "protected-production-data": [{ type: "gcp:sql/databaseInstance:DatabaseInstance", name: "db", props: { deletionProtection: false } }],
    "production-behind-edge": [
        { type: "gcp:cloudrunv2/service:Service", name: "web", props: { name: "web" } },
        {
            type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
            name: "public",
            props: { name: "web", role: "roles/run.invoker", member: "allUsers" },
        },
    ],
    "no-plaintext-secret-env": [
        {
            type: "gcp:cloudrunv2/service:Service",
            name: "web",
            props: { template: { containers: [{ image: "x", envs: [{ name: "DB_PASSWORD", value: "p" }] }] } },
        },
    ],
};

describe("policy pack metadata", () => {
    it("PulumiPolicy.yaml and package.json describe the pack the offline plan runs", () => {
        const project = parse(fs.readFileSync(path.join(ROOT, "policy", "PulumiPolicy.yaml"), "utf8"));
        expect(project).to.include({ name: PACK_NAME, runtime: "nodejs" });
        const pack = JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "package.json"), "utf8"));
        const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        expect(pack.version, "the pack versions with Runway").to.equal(root.version);
        expect(pack.dependencies ?? {}, "dependencies come from the root install").to.deep.equal({});
    });

    it("every policy has a unique kebab-case name, a sentence description, severity, remediation steps and a config schema", () => {
        expect(new Set(policies.map((p) => p.name)).size).to.equal(policies.length);
        for (const p of policies) {
            expect(p.name, p.name).to.match(/^[a-z]+(-[a-z]+)*$/);
            expect(p.description, p.name).to.match(/^[A-Z].{20,}\.$/);
            expect(p.severity, p.name).to.be.oneOf(["low", "medium", "high", "critical"]);
            expect(p.enforcementLevel, p.name).to.be.oneOf(["advisory", "mandatory"]);
            expect(p.remediationSteps ?? "", p.name).to.have.length.above(40);
            expect(Object.keys(p.configSchema?.properties ?? {}), p.name).to.have.length.above(0);
            for (const [key, schema] of Object.entries(p.configSchema!.properties))
                expect(schema, `${p.name}.${key}`).to.have.property("default");
        }
    });

    it("the three promised policies are mandatory", () => {
        const level = (name: string) => policies.find((p) => p.name === name)?.enforcementLevel;
        expect([level("non-root-images"), level("budget-presence"), level("blocking-scans")]).to.deep.equal([
            "mandatory",
            "mandatory",
            "mandatory",
        ]);
    });

    for (const p of policies) {
        it(`${p.name} applies its schema defaults itself (called without the engine filling them)`, async () => {
            const resources = FIRES_ON[p.name];
            expect(resources, `a firing case for ${p.name}`).to.not.equal(undefined);
            const defaults = Object.fromEntries(Object.entries(p.configSchema!.properties).map(([k, s]) => [k, s.default]));
            const bare = await callDirectly(p, resources, {}, "production");
            const filled = await callDirectly(p, resources, defaults, "production");
            expect(bare).to.deep.equal(filled);
            expect(bare, "the case fires").to.have.length.above(0);
        });
    }
});
