import { expect } from "chai";
import * as path from "path";
import { RunwayInputError } from "../rules/problems";
import {
    GCS_PREVIEW_ROLE,
    GCS_STATE_ROLE,
    KMS_PREVIEW_ROLE,
    KMS_SECRETS_ROLE,
    gcsPreviewCondition,
    backendCommands,
    defaultBucketName,
    gcpkmsUrl,
    kmsKeyPolicy,
    rotationPeriod,
    s3BucketPolicy,
} from "../bootstrap/backend";
import { parseBootstrapConfig } from "../bootstrap/settings";
import { PlanResult, plan, readPolicyConfigFile } from "../plan";
import { ROOT, cli, planStack } from "./helpers/plans";

const BOOTSTRAP = path.join(ROOT, "bootstrap");
const POLICY_CONFIG = path.join(BOOTSTRAP, "policy-config.json");
const cache = new Map<string, Promise<PlanResult>>();
/** Plans a bootstrap stack offline with its policy config, as the README runs it; runs are shared. */
function planBootstrap(stack: string, config: Record<string, string> = {}): Promise<PlanResult> {
    const key = JSON.stringify([stack, config]);
    if (!cache.has(key)) cache.set(key, plan({ cwd: BOOTSTRAP, stack, config, policyConfig: readPolicyConfigFile(POLICY_CONFIG) }));
    return cache.get(key)!;
}
const named = (r: PlanResult, name: string) => r.document.resources.find((x) => x.name === name)!;
const ofType = (r: PlanResult, type: string) => r.document.resources.filter((x) => x.type === type);

describe("bootstrap: pure decisions", () => {
    it("prints the exact login and stack init commands for every Runway stack", () => {
        const c = backendCommands(
            "gs://p-pulumi-state",
            gcpkmsUrl("projects/p/locations/us-central1/keyRings/pulumi/cryptoKeys/pulumi-secrets"),
        );
        expect(c.login).to.equal("pulumi login 'gs://p-pulumi-state'");
        expect(c.stackInit).to.deep.equal({
            solo: "pulumi stack init solo --secrets-provider 'gcpkms://projects/p/locations/us-central1/keyRings/pulumi/cryptoKeys/pulumi-secrets'",
            staging:
                "pulumi stack init staging --secrets-provider 'gcpkms://projects/p/locations/us-central1/keyRings/pulumi/cryptoKeys/pulumi-secrets'",
            production:
                "pulumi stack init production --secrets-provider 'gcpkms://projects/p/locations/us-central1/keyRings/pulumi/cryptoKeys/pulumi-secrets'",
        });
    });

    it("rotation period in seconds, global bucket names from the project or account + region", () => {
        expect(rotationPeriod(90)).to.equal("7776000s");
        expect(defaultBucketName("my-project")).to.equal("my-project-pulumi-state");
        expect(defaultBucketName("123456789012", "eu-west-1")).to.equal("123456789012-eu-west-1-pulumi-state");
    });

    it("S3 policy refuses every non-TLS request; deployers get state objects only", () => {
        const policy = JSON.parse(s3BucketPolicy("arn:aws:s3:::b", ["arn:aws:iam::123456789012:role/d"]));
        expect(policy.Statement[0]).to.deep.equal({
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
        const allowed = policy.Statement.filter((s: any) => s.Effect === "Allow").flatMap((s: any) => [].concat(s.Action));
        expect(allowed.sort()).to.deep.equal(["s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
        expect(JSON.parse(s3BucketPolicy("arn:aws:s3:::b", [])).Statement).to.have.length(1);
    });

    it("KMS key policy: the account administers, deployers only encrypt, decrypt and make data keys", () => {
        const policy = JSON.parse(kmsKeyPolicy("123456789012", ["arn:aws:iam::123456789012:role/d"]));
        expect(policy.Statement[0].Principal).to.deep.equal({ AWS: "arn:aws:iam::123456789012:root" });
        expect(policy.Statement[1].Action).to.deep.equal(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]);
    });

    it("refuses bad config all at once, naming key, value and what is allowed", () => {
        let err: unknown;
        try {
            parseBootstrapConfig({
                "runway-bootstrap:cloud": "aws",
                "runway-bootstrap:deployers": JSON.stringify(["user:me@example.com"]),
                "runway-bootstrap:keyRotationDays": "30",
                "runway-bootstrap:bucketName": "Bad_Name",
            });
        } catch (e) {
            err = e;
        }
        expect(RunwayInputError.isInstance(err)).to.equal(true);
        expect((err as RunwayInputError).problems.map((p) => `${p.key}=${p.value}`)).to.deep.equal([
            "aws:region=undefined",
            "runway-bootstrap:bucketName=Bad_Name",
            "runway-bootstrap:deployers=user:me@example.com",
            "runway-bootstrap:keyRotationDays=30",
        ]);
        expect(() => parseBootstrapConfig({ "runway-bootstrap:cloud": "azure" })).to.throw(/runway-bootstrap:cloud = "azure": gcp or aws/);
    });
});

describe("bootstrap: the GCP backend through the offline plan", function () {
    this.timeout(60000);

    it("npm run plan -- --stack gcp --cwd bootstrap (with its policy config) exits 0 and prints the commands", async () => {
        const run = await cli("--stack", "gcp", "--cwd", "bootstrap", "--policy-config", "bootstrap/policy-config.json");
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.include("pulumi login 'gs://runway-example-project-pulumi-state'");
    });

    it("state bucket: versioned, uniform access, public access prevention enforced, old versions expire, protected", async () => {
        const r = await planBootstrap("gcp");
        const bucket = named(r, "backend-state");
        expect(bucket.inputs).to.deep.include({
            name: "runway-example-project-pulumi-state",
            location: "us-central1",
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            versioning: { enabled: true },
            forceDestroy: false,
        });
        expect(bucket.inputs.lifecycleRules).to.deep.equal([
            { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 90, withState: "ARCHIVED" } },
        ]);
        expect(bucket.protect).to.equal(true);
    });

    it("Cloud KMS key ring and key with a 90-day rotation, both protected, after the KMS API is enabled", async () => {
        const r = await planBootstrap("gcp");
        const key = named(r, "backend-key");
        expect(key.inputs).to.deep.include({ name: "pulumi-secrets", purpose: "ENCRYPT_DECRYPT", rotationPeriod: "7776000s" });
        expect(key.protect).to.equal(true);
        expect(named(r, "backend-keyring").protect).to.equal(true);
        expect(
            ofType(r, "gcp:projects/service:Service")
                .map((s) => s.inputs.service)
                .sort(),
        ).to.include.members(["cloudkms.googleapis.com", "storage.googleapis.com"]);
        expect(named(r, "backend-keyring").dependencies.length).to.be.greaterThan(0);
    });

    it("enables Service Usage, Cloud Resource Manager and every API a Runway stack always needs, so a fresh project's first `up` does not race their activation", async () => {
        const r = await planBootstrap("gcp");
        const enabled = ofType(r, "gcp:projects/service:Service").map((s) => s.inputs.service);
        expect(enabled).to.include.members(["serviceusage.googleapis.com", "cloudresourcemanager.googleapis.com"]);
        // The APIs every tier's stack enables itself (its `Apis` component) are enabled here first.
        const solo = await planStack("solo");
        const stackApis = ofType(solo, "gcp:projects/service:Service").map((s) => s.inputs.service);
        expect(stackApis.filter((api) => !enabled.includes(api))).to.deep.equal([]);
        // Left enabled when the bootstrap is destroyed: the stacks rely on them.
        for (const s of ofType(r, "gcp:projects/service:Service"))
            expect(s.inputs.disableOnDestroy, s.inputs.service as string).to.equal(false);
    });

    it("deployers: object admin on the bucket and encrypter/decrypter on the key, nothing project-wide", async () => {
        const r = await planBootstrap("gcp");
        const grants = r.document.resources
            .filter((x) => typeof x.inputs.role === "string")
            .map((x) => `${x.type.split("/")[1].split(":")[0]} ${x.inputs.role} ${x.inputs.member}`);
        expect(grants.sort()).to.deep.equal([
            `bucketIAMMember ${GCS_STATE_ROLE} serviceAccount:app-solo-deployer@runway-example-project.iam.gserviceaccount.com`,
            `bucketIAMMember ${GCS_STATE_ROLE} user:owner@example.com`,
            `cryptoKeyIAMMember ${KMS_SECRETS_ROLE} serviceAccount:app-solo-deployer@runway-example-project.iam.gserviceaccount.com`,
            `cryptoKeyIAMMember ${KMS_SECRETS_ROLE} user:owner@example.com`,
        ]);
        expect(r.document.resources.filter((x) => x.protect && typeof x.inputs.role === "string")).to.deep.equal([]);
    });

    it("outputs the exact login and stack init commands; passes the policy pack; every cost is priced", async () => {
        const r = await planBootstrap("gcp");
        const outputs = r.document.outputs as any;
        expect(outputs.loginCommand).to.equal("pulumi login 'gs://runway-example-project-pulumi-state'");
        expect(outputs.stackInitCommands.production).to.equal(
            "pulumi stack init production --secrets-provider 'gcpkms://projects/runway-example-project/locations/us-central1/keyRings/pulumi/cryptoKeys/pulumi-secrets'",
        );
        expect(r.document.policies).to.deep.equal([]);
        expect(r.document.cost.unpriced).to.deep.equal([]);
        expect(r.document.cost.lines.map((l) => l.dimension)).to.include.members([
            "state storage (all versions)",
            "state writes",
            // #31 item 8: every 90-day rotation adds a billed version; priced as the 5 versions at month 12, not one forever.
            "5 key versions after 12 months of rotation every 90 days (each rotation adds a billed version)",
            "key operations",
        ]);
        const versions = r.document.cost.lines.find((l) => l.dimension.startsWith("5 key versions"))!;
        expect([versions.quantity, versions.unitPrice, versions.monthly]).to.deep.equal([5, 0.06, 0.3]);
    });
});

describe("bootstrap: the AWS backend through the offline plan", function () {
    this.timeout(60000);

    it("S3 bucket: versioning, SSE-KMS with its own key, public access blocked, ACLs off, TLS only, lifecycle, protected", async () => {
        const r = await planBootstrap("aws");
        const bucket = named(r, "backend-state");
        expect(bucket.protect).to.equal(true);
        expect(bucket.inputs.bucket).to.equal("123456789012-us-east-1-pulumi-state");
        expect(named(r, "backend-state-versioning").inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
        const sse = (named(r, "backend-state-encryption").inputs.rules as any[])[0];
        expect(sse.applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("aws:kms");
        expect(named(r, "backend-state-encryption").propertyDependencies.rules).to.include(named(r, "backend-key").urn);
        expect(named(r, "backend-state-public-access").inputs).to.deep.include({
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        expect(named(r, "backend-state-ownership").inputs.rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
        const policy = JSON.parse(named(r, "backend-state-policy").inputs.policy as string);
        expect(policy.Statement[0].Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
        expect(named(r, "backend-state-policy").dependencies).to.include(named(r, "backend-state-public-access").urn);
        expect((named(r, "backend-state-lifecycle").inputs.rules as any[])[0].noncurrentVersionExpiration).to.deep.equal({
            noncurrentDays: 90,
            newerNoncurrentVersions: 10,
        });
    });

    it("KMS key: rotation on, protected, alias for awskms://; commands and price", async () => {
        const r = await planBootstrap("aws");
        const key = named(r, "backend-key");
        expect(key.inputs).to.deep.include({ enableKeyRotation: true, rotationPeriodInDays: 90, deletionWindowInDays: 30 });
        expect(key.protect).to.equal(true);
        const outputs = r.document.outputs as any;
        expect(outputs.loginCommand).to.equal("pulumi login 's3://123456789012-us-east-1-pulumi-state?region=us-east-1&awssdk=v2'");
        expect(outputs.stackInitCommands.solo).to.equal(
            "pulumi stack init solo --secrets-provider 'awskms://alias/runway-bootstrap-aws-secrets?region=us-east-1'",
        );
        expect(r.document.policies).to.deep.equal([]);
        expect(r.document.cost.unpriced).to.deep.equal([]);
        expect(r.document.cost.idleMonthly).to.be.closeTo(3, 0.01);
    });

    it("owns the account's GitHub OIDC provider (protected, sts.amazonaws.com, no thumbprints) and outputs its ARN; false leaves it to another tool", async () => {
        const r = await planBootstrap("aws");
        const [provider, ...more] = ofType(r, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        expect(more).to.deep.equal([]);
        expect(provider.inputs).to.deep.include({
            url: "https://token.actions.githubusercontent.com",
            clientIdLists: ["sts.amazonaws.com"],
        });
        expect(provider.inputs).not.to.have.property("thumbprintLists");
        expect(provider.protect).to.equal(true);
        expect((r.document.outputs as any).githubOidcProviderArn).to.equal(
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
        );
        const elsewhere = await planBootstrap("aws", { "runway-bootstrap:githubOidcProvider": "false" });
        expect(ofType(elsewhere, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
        expect(elsewhere.document.outputs).not.to.have.property("githubOidcProviderArn");
        expect(ofType(await planBootstrap("gcp"), "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
        expect(() =>
            parseBootstrapConfig({
                "runway-bootstrap:cloud": "aws",
                "aws:region": "us-east-1",
                "runway-bootstrap:githubOidcProvider": "yes",
            }),
        ).to.throw(/runway-bootstrap:githubOidcProvider = "yes": true \(create the account's GitHub OIDC provider\) or false/);
    });

    it("without its policy config the bootstrap fails budget presence only (its project's budget lives in the Runway stack)", async () => {
        const r = await cli("--stack", "aws", "--cwd", "bootstrap", "--json");
        expect(JSON.parse(r.stdout).policies.map((v: { policy: string }) => v.policy)).to.deep.equal(["budget-presence"]);
        // The exit 1 names the pack where it is from the project planned (the repository's policy/, from bootstrap/).
        expect(r.code).to.equal(1);
        expect(r.stderr).to.match(/\n1 mandatory policy violation: this change would fail pulumi preview --policy-pack \.\.\/policy\n$/);
    });
});

describe("bootstrap: previewers read their own stack's state and decrypt only its secrets (issue #27 item 3)", function () {
    this.timeout(60000);
    const GCP_PREVIEWER = "serviceAccount:app-preview-production@runway-example-project.iam.gserviceaccount.com";
    const AWS_PREVIEWER = "arn:aws:iam::123456789012:role/ci-preview-production";

    it("the object read is conditioned on the stack's checkpoint and the backend's meta.yaml; a list names the bucket and is refused", () => {
        const c = gcsPreviewCondition("b", "runway", "production");
        expect(c.expression).to.equal(
            'resource.name == "projects/_/buckets/b/objects/.pulumi/meta.yaml" || resource.name.startsWith("projects/_/buckets/b/objects/.pulumi/stacks/runway/production.json")',
        );
        const policy = JSON.parse(s3BucketPolicy("arn:aws:s3:::b", [], [{ stack: "production", member: AWS_PREVIEWER }]));
        expect(policy.Statement[1]).to.deep.equal({
            Sid: "PreviewproductionState",
            Effect: "Allow",
            Principal: { AWS: AWS_PREVIEWER },
            Action: "s3:GetObject",
            Resource: ["arn:aws:s3:::b/.pulumi/meta.yaml", "arn:aws:s3:::b/.pulumi/stacks/runway/production.json*"],
        });
        const key = JSON.parse(
            kmsKeyPolicy("123456789012", [], { previewers: [AWS_PREVIEWER], bucketArn: "arn:aws:s3:::b", region: "us-east-1" }),
        );
        expect(key.Statement[1]).to.deep.include({ Action: "kms:Decrypt" });
        expect(key.Statement[1].Condition).to.deep.equal({
            StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b" },
        });
    });

    it("GCP: its own protected key for the stack, decrypt-only for the previewer; a conditioned object viewer; nothing else", async () => {
        const r = await planBootstrap("gcp", { "runway-bootstrap:previewers": JSON.stringify([`production=${GCP_PREVIEWER}`]) });
        const grants = r.document.resources.filter((x) => x.inputs.member === GCP_PREVIEWER);
        expect(grants.map((g) => `${g.type.split("/")[1].split(":")[0]} ${g.inputs.role}`).sort()).to.deep.equal([
            `bucketIAMMember ${GCS_PREVIEW_ROLE}`,
            `cryptoKeyIAMMember ${KMS_PREVIEW_ROLE}`,
        ]);
        const viewer = grants.find((g) => g.inputs.role === GCS_PREVIEW_ROLE)!;
        expect((viewer.inputs.condition as any).expression).to.include("/objects/.pulumi/stacks/runway/production.json");
        const decrypter = grants.find((g) => g.inputs.role === KMS_PREVIEW_ROLE)!;
        const key = r.document.resources.find((x) => decrypter.propertyDependencies.cryptoKeyId?.includes(x.urn))!;
        expect(key.inputs.name).to.equal("pulumi-secrets-production");
        expect(key.protect).to.equal(true);
        // Deployers may use the stack's key too.
        expect(
            r.document.resources.filter((x) => x.name.startsWith("backend-key-production-") && x.inputs.role === KMS_SECRETS_ROLE),
        ).to.have.length(2);
        const outputs = r.document.outputs as any;
        expect(outputs.stackInitCommands.production).to.match(/cryptoKeys\/pulumi-secrets-production'$/);
        expect(outputs.changeSecretsProviderCommands.production).to.match(
            /^pulumi stack change-secrets-provider --stack production 'gcpkms:\/\/.*pulumi-secrets-production'$/,
        );
        expect(r.document.policies).to.deep.equal([]);
    });

    it("AWS: its own protected key (decrypt only), the state objects through S3 only; the bucket's key decrypts nothing else for it", async () => {
        const r = await planBootstrap("aws", { "runway-bootstrap:previewers": JSON.stringify([`production=${AWS_PREVIEWER}`]) });
        const stackKey = named(r, "backend-key-production");
        expect(stackKey.protect).to.equal(true);
        const own = JSON.parse(String(stackKey.inputs.policy)).Statement.find((s: any) => s.Principal?.AWS === AWS_PREVIEWER);
        expect(own.Action).to.equal("kms:Decrypt");
        const bucketKey = JSON.parse(String(named(r, "backend-key").inputs.policy)).Statement.find((s: any) =>
            [s.Principal?.AWS].flat().includes(AWS_PREVIEWER),
        );
        expect(bucketKey.Condition.StringEquals["kms:ViaService"]).to.equal("s3.us-east-1.amazonaws.com");
        const bucket = JSON.parse(String(named(r, "backend-state-policy").inputs.policy)).Statement.filter((s: any) =>
            [s.Principal?.AWS].flat().includes(AWS_PREVIEWER),
        );
        expect(bucket.map((s: any) => s.Action)).to.deep.equal(["s3:GetObject"]);
        expect((r.document.outputs as any).stackInitCommands.production).to.equal(
            "pulumi stack init production --secrets-provider 'awskms://alias/runway-bootstrap-aws-production-secrets?region=us-east-1'",
        );
    });

    it("refuses a previewer that is not <stack>=<member>, or two for one stack", () => {
        expect(() =>
            parseBootstrapConfig({
                "runway-bootstrap:cloud": "gcp",
                "gcp:project": "my-project",
                "runway-bootstrap:previewers": JSON.stringify([
                    GCP_PREVIEWER,
                    `production=${GCP_PREVIEWER}`,
                    `production=${GCP_PREVIEWER}`,
                ]),
            }),
        ).to.throw(
            /previewers = "serviceAccount:[^\n]*a list of <stack>=<member>[\s\S]*one previewer per stack \(production is listed twice\)/,
        );
    });
});
