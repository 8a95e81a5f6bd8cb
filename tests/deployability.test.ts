import { expect } from "chai";
import * as path from "path";
import {
    checkDeployability,
    mandatoryViolations,
    plan,
    renderTree,
    ResourceRecord,
    UNIQUE_NAMES,
    REPLACE_ON_CHANGE,
    REGIONAL_QUOTAS,
} from "../plan";
import { renderMarkdown } from "../plan/markdown";
import { cli, planStack, ROOT } from "./helpers/plans";
import { fakeRecord } from "./helpers/record";

const UNDEPLOYABLE = path.join(ROOT, "tests", "fixtures", "undeployable-project");

const rec = fakeRecord;

const SECRET = "gcp:secretmanager/secret:Secret";
const VERSION = "gcp:secretmanager/secretVersion:SecretVersion";
const RUN = "gcp:cloudrunv2/service:Service";
const ctx = { stack: "dev", config: { "gcp:project": "p1", "gcp:region": "us-central1" } };
const checks = (resources: ResourceRecord[]) =>
    checkDeployability(resources, ctx).map((f) => `${f.level} ${f.policy} ${f.urn?.split("::").pop()}`);

describe("deployability checks (pure)", () => {
    // Names carry the stack ("dev"), except where a test is about names that do not.
    const secret = rec(SECRET, "key", { inputs: { secretId: "dev-key" } });
    const version = rec(VERSION, "key-v", { inputs: { secretData: "[secret]" }, propertyDependencies: { secret: [secret.urn] } });
    const reader = (deps: string[]) =>
        rec(RUN, "web", {
            inputs: {
                name: "web-dev",
                template: {
                    containers: [
                        {
                            envs: [
                                {
                                    name: "KEY",
                                    valueSource: { secretKeyRef: { secret: "projects/p1/secrets/dev-key", version: "latest" } },
                                },
                            ],
                        },
                    ],
                },
            },
            propertyDependencies: { template: [secret.urn] },
            dependencies: deps,
        });

    it("a URN registered twice is refused by the engine", () => {
        expect(checks([rec("random:index/randomPet:RandomPet", "pet"), rec("random:index/randomPet:RandomPet", "pet")])).to.deep.equal([
            "mandatory duplicate-urn pet",
        ]);
    });

    it("a protected secret version blocks the next value; the protected secret does not", () => {
        expect(
            checks([
                { ...secret, protect: true },
                { ...version, protect: true },
            ]),
        ).to.deep.equal(["mandatory protected-replace-on-change key-v"]);
        expect(checks([{ ...secret, protect: true }, version])).to.deep.equal([]);
    });

    it("a reader of a secret at latest must depend on its version", () => {
        expect(checks([secret, version, reader([])])).to.deep.equal(["mandatory secret-read-before-written web"]);
        expect(checks([secret, version, reader([version.urn])])).to.deep.equal([]);
        // Waiting through the parent counts: a child registers only after its parent, which waits for its dependsOn.
        const component = rec("my:index:App", "app", { custom: false, dependencies: [version.urn] });
        expect(checks([secret, version, component, { ...reader([]), parent: component.urn }])).to.deep.equal([]);
        // A secret whose value the program does not manage has no version to wait for.
        expect(checks([secret, reader([])])).to.deep.equal([]);
        // A literal secret id (no dependency at all) is matched by name.
        expect(checks([secret, version, { ...reader([]), propertyDependencies: {} }])).to.deep.equal([
            "mandatory secret-read-before-written web",
        ]);
    });

    it("an ECS task definition naming a Secrets Manager secret must wait for its version (tasks read it at start)", () => {
        const smSecret = rec("aws:secretsmanager/secret:Secret", "db-url", { inputs: { name: "shop/dev/DATABASE_URL" } });
        const smVersion = rec("aws:secretsmanager/secretVersion:SecretVersion", "db-url-version", {
            propertyDependencies: { secretId: [smSecret.urn] },
        });
        const taskDefinition = (
            deps: string[],
            propertyDependencies: Record<string, string[]> = { containerDefinitions: [smSecret.urn] },
        ) =>
            rec("aws:ecs/taskDefinition:TaskDefinition", "app-task", {
                inputs: {
                    containerDefinitions: JSON.stringify([
                        {
                            name: "app",
                            secrets: [
                                {
                                    name: "DATABASE_URL",
                                    valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/dev/DATABASE_URL-AbCdEf",
                                },
                            ],
                        },
                    ]),
                },
                propertyDependencies,
                dependencies: deps,
            });
        expect(checks([smSecret, smVersion, taskDefinition([])])).to.deep.equal(["mandatory secret-read-before-written app-task"]);
        expect(checks([smSecret, smVersion, taskDefinition([smVersion.urn])])).to.deep.equal([]);
        // A literal ARN (no dependency) is matched by the secret's name.
        expect(checks([smSecret, smVersion, taskDefinition([], {})])).to.deep.equal(["mandatory secret-read-before-written app-task"]);
        // Another secret's ARN is not this one.
        const other = { ...smSecret, inputs: { name: "shop/dev/DATABASE" } };
        expect(checks([other, smVersion, taskDefinition([], {})])).to.deep.equal([]);
    });

    it("two resources with one unique name in one scope; the same name in two projects is fine", () => {
        const a = rec(SECRET, "a", { inputs: { secretId: "dev-key" } });
        const b = rec(SECRET, "b", { inputs: { secretId: "dev-key" } });
        expect(checks([a, b])).to.deep.equal(["mandatory duplicate-unique-name b"]);
        expect(checks([a, { ...b, inputs: { secretId: "dev-key", project: "p2" } }])).to.deep.equal([]);
        // Unknown names (computed) are not guessed.
        expect(checks([a, { ...b, inputs: { secretId: "[unknown]" } }])).to.deep.equal([]);
    });

    it("an account-wide or global name without the stack collides with a second stack (advisory)", () => {
        expect(checks([rec("aws:iam/role:Role", "deploy", { inputs: { name: "app-deploy" } })])).to.deep.equal([
            "advisory name-shared-by-stacks deploy",
        ]);
        expect(checks([rec("aws:iam/role:Role", "deploy", { inputs: { name: "app-dev-deploy" } })])).to.deep.equal([]);
        expect(checks([rec("aws:iam/role:Role", "deploy", {})]), "auto-named").to.deep.equal([]);
    });

    it("a project-unique name without the stack collides with a second stack in the project (advisory); with it, or drawn at random, it does not", () => {
        const account = (accountId: string) => rec("gcp:serviceaccount/account:Account", "runtime", { inputs: { accountId } });
        const service = (name: string) => rec(RUN, "svc", { inputs: { name, location: "us-central1" } });
        expect(checks([account("app-run"), service("app")])).to.deep.equal([
            "advisory name-shared-by-stacks runtime",
            "advisory name-shared-by-stacks svc",
        ]);
        expect(checks([account("app-dev-run"), service("app-dev")])).to.deep.equal([]);
        // The stack as names spell it: "Feature_X" appears as "feature-x".
        expect(checkDeployability([service("app-feature-x")], { ...ctx, stack: "Feature_X" })).to.deep.equal([]);
        // A random suffix makes the name each stack's own.
        const suffix = rec("random:index/randomString:RandomString", "suffix");
        const pool = rec("gcp:iam/workloadIdentityPool:WorkloadIdentityPool", "pool", {
            inputs: { workloadIdentityPoolId: "app-gh-abcd" },
            propertyDependencies: { workloadIdentityPoolId: [suffix.urn] },
        });
        expect(checks([suffix, pool])).to.deep.equal([]);
        expect(checks([{ ...pool, propertyDependencies: {} }])).to.deep.equal(["advisory name-shared-by-stacks pool"]);
        // A stack too long to fit whole: its first characters and a digest at the end carry it; without the digest, not.
        const long = "a-very-long-stack-name-for-the-team-of-payments-eu";
        expect(checkDeployability([account("app-a-very-long-st-deploy-qdj8")], { ...ctx, stack: long })).to.deep.equal([]);
        expect(checkDeployability([account("app-a-very-long-st-deploy")], { ...ctx, stack: long }).map((f) => f.policy)).to.deep.equal([
            "name-shared-by-stacks",
        ]);
        // Custom role ids allow no hyphen: the stack "prod-eu" reads "prod_eu" there.
        const role = (roleId: string) => rec("gcp:projects/iAMCustomRole:IAMCustomRole", "role", { inputs: { roleId } });
        expect(checkDeployability([role("runwayDeploy_app_prod_eu")], { ...ctx, stack: "prod-eu" })).to.deep.equal([]);
        expect(checkDeployability([role("runwayDeploy_app_production")], { ...ctx, stack: "prod-eu" }).map((f) => f.policy)).to.deep.equal([
            "name-shared-by-stacks",
        ]);
    });

    it("a stack that takes more than half of a region's default Elastic IP or VPC quota is told so (advisory)", () => {
        const eips = (n: number, domain = "vpc") =>
            [...Array(n).keys()].map((i) => rec("aws:ec2/eip:Eip", `nat-${i}`, { inputs: { domain } }));
        const found = checkDeployability(eips(3), { stack: "production", config: { "aws:region": "us-east-1" } });
        expect(found.map((f) => `${f.level} ${f.policy} ${f.urn?.split("::").pop()}`)).to.deep.equal(["advisory regional-quota nat-0"]);
        expect(found[0].message)
            .to.include("takes 3 of the 5 Elastic IP addresses a region (us-east-1) has by default")
            .and.include("L-0263D0A3")
            .and.include("AddressLimitExceeded");
        // Two of five leave room for a second stack; a VPC or two per stack too.
        expect(checks(eips(2))).to.deep.equal([]);
        expect(checks([rec("aws:ec2/vpc:Vpc", "vpc"), rec("aws:ec2/vpc:Vpc", "vpc2")])).to.deep.equal([]);
        expect(checks([0, 1, 2].map((i) => rec("aws:ec2/vpc:Vpc", `vpc-${i}`)))).to.deep.equal(["advisory regional-quota vpc-0"]);
    });

    it("every rule names its source", () => {
        for (const [type, rule] of [
            ...Object.entries(UNIQUE_NAMES),
            ...Object.entries(REPLACE_ON_CHANGE),
            ...Object.entries(REGIONAL_QUOTAS),
        ])
            expect(rule.source, type).to.match(/\S{8,}/);
    });
});

describe("deployability checks in the offline plan", function () {
    this.timeout(120000);

    it("report what the mocks accept and `pulumi up` refuses, in text, markdown and JSON, and fail the plan", async () => {
        const { document } = await plan({ cwd: UNDEPLOYABLE, stack: "dev" });
        const found = document.deployability.map((f) => `${f.level} ${f.policy}`).sort();
        expect(found).to.deep.equal([
            // The two secrets named "api-key" would also collide with a second stack's.
            "advisory name-shared-by-stacks",
            "advisory name-shared-by-stacks",
            "mandatory duplicate-unique-name",
            "mandatory duplicate-urn",
            "mandatory protected-replace-on-change",
            "mandatory secret-read-before-written",
        ]);
        expect(mandatoryViolations(document).map((v) => v.policy)).to.include.members(["duplicate-urn", "secret-read-before-written"]);
        expect(renderTree(document)).to.match(/Deployability[\s\S]*\[mandatory\] duplicate-urn[\s\S]*4 mandatory, 2 advisory/);
        expect(renderMarkdown(document))
            .to.include("deployability: ❌ 4 mandatory")
            .and.include("| mandatory | protected-replace-on-change |");
        const run = await cli("--cwd", UNDEPLOYABLE, "--stack", "dev", "--json");
        expect(run.code).to.equal(1);
        expect(JSON.parse(run.stdout).deployability).to.have.length(6);
        expect(run.stderr).to.include("4 mandatory deployability findings: pulumi up would fail");
    });

    it("Runway's production stack with managed data passes every check: the service waits for each version it reads, no version is protected", async () => {
        const { document } = await planStack("production", { "runway:database": "managed", "runway:cache": "managed" });
        expect(document.deployability).to.deep.equal([]);
        const svc = document.resources.find((r) => r.type === RUN)!;
        const versions = document.resources.filter((r) => r.type === VERSION);
        expect(versions.map((v) => v.name).sort()).to.deep.equal([
            "secrets-database-url-version",
            "secrets-redis-ca-pem-version",
            "secrets-redis-url-version",
        ]);
        for (const v of versions) {
            expect(svc.dependencies, v.name).to.include(v.urn);
            expect(v.protect, v.name).to.equal(false);
        }
    });
});
