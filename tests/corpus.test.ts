import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ResourceValidationArgs } from "@pulumi/policy";
import { mandatoryViolations, plan, PlanConfigError, PlanResult, renderTree, SECRET_PLACEHOLDER } from "../plan";
import { estimateRun } from "../plan/cost";
import { ResourceRecord } from "../plan/engine";
import { renderMarkdown } from "../plan/markdown";
import { PolicyPackSpec } from "../plan/engine/policies";
import { corpusPrograms } from "../scripts/readme-figures";
import { cli, ROOT } from "./helpers/plans";

/** Real-world-style programs of users (not Runway's stacks): one folder each, stack `dev`. */
const CORPUS = path.join(ROOT, "tests", "corpus");
const PROGRAMS = corpusPrograms();
const SNAPSHOT = path.join(ROOT, "tests", "snapshots", "corpus.resources.json");

const plans = new Map<string, Promise<PlanResult>>();
/** Plans a corpus program once per test run (in-process, like every other plan in the suite). */
function planCorpus(name: string): Promise<PlanResult> {
    if (!plans.has(name)) plans.set(name, plan({ cwd: path.join(CORPUS, name), stack: "dev" }));
    return plans.get(name)!;
}

/** Everything a program declares, as `parent > child` paths of `type name`, sorted (registration order may vary). */
function declared(resources: readonly ResourceRecord[]): string[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const label = (r: ResourceRecord): string => {
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        const own = `${r.read ? "read " : ""}${r.type} ${r.name}`;
        return parent && parent.type !== "pulumi:pulumi:Stack" ? `${label(parent)} > ${own}` : own;
    };
    return resources
        .filter((r) => r.type !== "pulumi:pulumi:Stack")
        .map(label)
        .sort();
}

const find = (doc: PlanResult["document"], type: string, name: string) => {
    const r = doc.resources.find((x) => x.type === type && x.name === name);
    expect(r, `${type} ${name}`).not.to.equal(undefined);
    return r!;
};

describe("corpus: the programs people write plan offline", function () {
    this.timeout(120000);

    it("holds at least 20 programs on AWS, GCP and Docker", async () => {
        expect(PROGRAMS.length).to.be.at.least(20);
        const providers = new Set<string>();
        for (const name of PROGRAMS) for (const r of (await planCorpus(name)).document.resources) providers.add(r.type.split(":")[0]);
        expect([...providers]).to.include.members(["aws", "gcp", "docker", "acme"]);
    });

    it("plans every program (exit 0 or 1) and lists every resource it declares (snapshot)", async () => {
        const actual: Record<string, string[]> = {};
        for (const name of PROGRAMS) {
            const { document } = await planCorpus(name);
            expect(
                document.policies.filter((v) => v.error),
                `${name}: a policy threw`,
            ).to.deep.equal([]);
            actual[name] = declared(document.resources);
        }
        if (process.env.UPDATE_SNAPSHOTS === "1") fs.writeFileSync(SNAPSHOT, `${JSON.stringify(actual, null, 2)}\n`);
        expect(fs.existsSync(SNAPSHOT), `${SNAPSHOT} missing: UPDATE_SNAPSHOTS=1 npx mocha --no-parallel tests/corpus.test.ts`).to.equal(
            true,
        );
        expect(actual).to.deep.equal(JSON.parse(fs.readFileSync(SNAPSHOT, "utf8")));
    });

    it("passes a resource as another's input (role: role) and policies see its id", async () => {
        const { document } = await planCorpus("aws-lambda-role");
        const attachment = find(document, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "lambdaLogs");
        const role = find(document, "aws:iam/role:Role", "lambdaRole");
        expect(attachment.propertyDependencies.role).to.deep.equal([role.urn]);
        expect(mandatoryViolations(document).map((v) => v.policy)).to.deep.equal(["budget-presence"]);
    });

    it("loads ES modules, JavaScript and TypeScript, with top-level await and the program's own tsconfig", async () => {
        const machine = find((await planCorpus("aws-stepfunctions")).document, "aws:sfn/stateMachine:StateMachine", "pipeline");
        expect(machine.inputs.tags).to.deep.equal({ account: "123456789012" }); // awaited at top level
        const esmTs = (await planCorpus("aws-esm-ts")).document;
        expect(find(esmTs, "aws:lambda/function:Function", "consumer").inputs.environment).to.deep.equal({
            variables: { REGION: "ap-southeast-2" },
        });
        find(esmTs, "aws:sqs/queue:Queue", "events"); // declared in lib/queue.ts, imported as ./lib/queue.js
        expect(esmTs.outputs.decorators).to.equal("legacy"); // experimentalDecorators from its tsconfig.json
        // A CommonJS TypeScript program is compiled with its own tsconfig.json too, not Runway's.
        expect((await planCorpus("gcp-pubsub-component")).document.outputs.decorators).to.equal("legacy");
        // A default-exported async function: its result is the stack's outputs.
        expect((await planCorpus("gcp-cloudrun-esm")).document.outputs).to.deep.equal({
            projectNumber: "123456789012",
            url: "https://web-offline-uc.a.run.app",
        });
        expect(Object.keys((await planCorpus("docker-local-stack")).document.outputs)).to.deep.equal(["appUrl"]); // .mjs
    });

    it("reads files relative to the program's folder and hands assets to policies with their hashes", async () => {
        const site = (await planCorpus("aws-s3-site")).document;
        expect(site.resources.filter((r) => r.type === "aws:s3/bucketObject:BucketObject").map((r) => r.name)).to.deep.equal([
            "404.html",
            "index.html",
            "site.css",
        ]);
        const seen = new Map<string, Record<string, unknown>>();
        const probe: PolicyPackSpec = {
            name: "probe",
            version: "0.0.1",
            enforcementLevel: "advisory",
            policies: [
                {
                    name: "sources",
                    description: "records asset inputs",
                    validateResource: (args: ResourceValidationArgs) => void seen.set(args.name, args.props),
                },
            ],
        };
        const withProbe = await plan({ cwd: path.join(CORPUS, "aws-s3-site"), stack: "dev", policyPack: probe });
        expect(withProbe.document.policies).to.deep.equal([]);
        expect(seen.get("index.html")!.bucket).to.equal("site-id"); // bucket: site (a resource) arrives as its id
        const lambda = await plan({ cwd: path.join(CORPUS, "aws-lambda-role"), stack: "dev", policyPack: probe });
        expect(lambda.document.policies).to.deep.equal([]);
        expect(seen.get("hello")!.role).to.match(/^arn:aws:iam::123456789012:role\//);
    });

    it("serializes CallbackFunction closures with what they capture", async () => {
        const { document } = await planCorpus("aws-callback-function");
        const fn = find(document, "aws:lambda/function:Function", "onUpload");
        expect(fn.inputs.code).to.deep.equal({ kind: "archive" });
        find(document, "aws:s3:BucketEventSubscription", "onUploadEvent");
        find(document, "aws:s3/bucketNotification:BucketNotification", "onUploadEvent");
    });

    it("reads stack references (outputs unknown offline) and runs as a preview (isDryRun)", async () => {
        const { document, diagnostics } = await planCorpus("aws-stack-reference");
        const ref = find(document, "pulumi:pulumi:StackReference", "acme/network/dev");
        expect(ref.read).to.equal(true);
        expect(find(document, "aws:ec2/securityGroup:SecurityGroup", "db").inputs.vpcId).to.equal("[unknown]");
        expect(document.outputs.mode).to.equal("preview");
        expect(diagnostics).to.include("info: preview: the network stack's outputs are read at update time");
        expect(renderTree(document)).to.match(/> pulumi:pulumi:StackReference {2}acme\/network\/dev[\s\S]*1 to read/);
        expect(document.cost.unpriced.map((u) => u.type)).not.to.include("pulumi:pulumi:StackReference");
    });

    it("keeps config secrets (requireSecret, --path objects) secret everywhere", async () => {
        for (const name of ["aws-secrets-config", "gcp-secrets", "docker-build-push", "docker-local-stack"]) {
            const { document } = await planCorpus(name);
            expect(JSON.stringify(document), name).not.to.include(SECRET_PLACEHOLDER);
        }
        const aws = (await planCorpus("aws-secrets-config")).document;
        expect(find(aws, "aws:ssm/parameter:Parameter", "dbPassword").secretInputs).to.deep.equal(["value"]);
        expect(find(aws, "aws:secretsmanager/secretVersion:SecretVersion", "stripe").secretInputs).to.deep.equal(["secretString"]);
        expect(aws.config["aws-secrets-config:app"]).to.equal("[secret]");
    });

    it("parents the children of the program's own components", async () => {
        const { document } = await planCorpus("aws-component");
        const orders = find(document, "acme:messaging:QueueWorker", "orders");
        expect(document.resources.filter((r) => r.parent === orders.urn).map((r) => r.name)).to.deep.equal([
            "orders-dlq",
            "orders-queue",
            "orders-depth",
        ]);
    });

    it("resolves a provider Runway does not depend on from the program's own node_modules", async () => {
        expect(() => require.resolve("@acme/widgets")).to.throw(); // not Runway's
        const { document } = await planCorpus("vendored-provider");
        expect(find(document, "acme:index/widget:Widget", "big").inputs).to.deep.include({ color: "teal", size: 3 });
    });

    it("runs a program that has its own copy of @pulumi/pulumi (as after npm install in its folder)", async () => {
        const dir = path.join(ROOT, "tests", "fixtures", "own-sdk");
        const copy = path.join(dir, "node_modules", "@pulumi", "pulumi"); // git-ignored, made here
        if (!fs.existsSync(path.join(copy, "package.json")))
            fs.cpSync(path.dirname(require.resolve("@pulumi/pulumi/package.json")), copy, { recursive: true });
        const { document } = await plan({ cwd: dir, stack: "dev" });
        expect(document.outputs).to.deep.equal({ sdk: path.join(copy, "index.js"), pet: "box-pet-id", preview: true });
        const box = find(document, "own:index:Box", "box");
        expect(find(document, "random:index/randomPet:RandomPet", "box-pet").parent).to.equal(box.urn);
        expect(find(document, "random:index/randomString:RandomString", "suffix").secretInputs).to.deep.equal(["keepers"]);
    });

    it("names a missing provider package and how to install it (exit 2, no stack trace)", async () => {
        const dir = path.join(ROOT, "tests", "fixtures", "missing-provider");
        let error: unknown;
        await plan({ cwd: dir, stack: "dev" }).catch((err) => (error = err));
        expect(error).to.be.instanceOf(PlanConfigError);
        expect((error as Error).message).to.equal(
            `the program imports @pulumi/awsx, which is not installed for the program in ${dir}: run \`npm install\` in ${dir} (packages resolve from the program's own node_modules)`,
        );
        const run = await cli("--stack", "dev", "--cwd", dir);
        expect(run.code).to.equal(2);
        expect(run.stderr)
            .to.include("the program imports @pulumi/awsx")
            .and.not.to.match(/\n\s+at /);
    });
});

describe("a policy that throws", function () {
    this.timeout(120000);
    const pack: PolicyPackSpec = {
        name: "shaky",
        version: "1.0.0",
        enforcementLevel: "advisory",
        policies: [
            {
                name: "explodes",
                description: "throws on roles",
                validateResource: (args: ResourceValidationArgs) => {
                    if (args.type === "aws:iam/role:Role") throw new Error("boom on purpose");
                },
            },
            {
                name: "tags",
                description: "every resource is tagged",
                validateResource: (args: ResourceValidationArgs, report) => report(`${args.name} has no tags`),
            },
            {
                name: "stack-explodes",
                description: "throws on the stack",
                validateStack: () => {
                    throw new TypeError("stack boom");
                },
            },
        ],
    };

    it("is that policy's failure on that resource: the rest of the plan is printed and preview would fail", async () => {
        const { document } = await plan({ cwd: path.join(CORPUS, "aws-lambda-role"), stack: "dev", policyPack: pack });
        const role = find(document, "aws:iam/role:Role", "lambdaRole");
        const errors = document.policies.filter((v) => v.error);
        expect(errors.map((v) => [v.policy, v.urn, v.level])).to.deep.equal([
            ["explodes", role.urn, "mandatory"],
            ["stack-explodes", undefined, "mandatory"],
        ]);
        expect(errors[0].message).to.equal(
            "Error validating resource with policy 'explodes' from policy pack 'shaky@v1.0.0':\nError: boom on purpose",
        );
        // Every other policy still ran on every resource, the throwing one included.
        expect(document.policies.filter((v) => v.policy === "tags").map((v) => v.urn)).to.deep.equal(
            document.resources.filter((r) => r.custom).map((r) => r.urn),
        );
        expect(mandatoryViolations(document)).to.have.length(2); // the CLI exits 1: pulumi preview would fail

        const tree = renderTree(document);
        expect(tree).to.include("[error] explodes  aws:iam/role:Role (lambdaRole)");
        expect(tree).to.include("+ aws:lambda/function:Function  hello");
        expect(tree).to.include("mandatory violations (2 policy errors)");
        expect(tree).to.include("Monthly cost estimate");
        const markdown = renderMarkdown(document);
        expect(markdown).to.include("| error | explodes | Role lambdaRole | Error: boom on purpose |");
        expect(markdown).to.include("| error | stack-explodes | stack | TypeError: stack boom |");
        expect(JSON.parse(JSON.stringify(document)).policies[0]).to.deep.include({ policy: "explodes", error: true });
    });
});

describe("cost estimate robustness", () => {
    it("lists a resource whose inputs the price functions cannot read as unpriced instead of failing", () => {
        const base = {
            custom: true,
            dependencies: [],
            propertyDependencies: {},
            protect: false,
            ignoreChanges: [],
            retainOnDelete: false,
            aliases: [],
            secretInputs: [],
        };
        const odd = {
            ...base,
            urn: "urn:odd",
            type: "gcp:cloudrunv2/service:Service",
            name: "odd",
            inputs: Object.defineProperty({}, "template", {
                enumerable: true,
                get: () => {
                    throw new Error("unreadable");
                },
            }),
        };
        const fine = {
            ...base,
            urn: "urn:fine",
            type: "gcp:cloudrunv2/service:Service",
            name: "fine",
            inputs: { location: "us-central1", template: { containers: [{ resources: { limits: { cpu: "1", memory: "512Mi" } } }] } },
        };
        const estimate = estimateRun([odd, fine], { "gcp:region": "us-central1" });
        expect(estimate.unpriced.filter((u) => u.reason.startsWith("pricing failed"))).to.deep.equal([
            { urn: "urn:odd", type: "gcp:cloudrunv2/service:Service", reason: "pricing failed on its inputs (unreadable)" },
        ]);
        expect(estimate.lines.some((l) => l.urn === "urn:fine")).to.equal(true);
    });
});
