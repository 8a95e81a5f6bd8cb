import { expect } from "chai";
import * as aws from "../components/aws";
import { RunwayInputError } from "../components/errors";
import { githubTrustProblems } from "../policy/policies/ciTrustScoped";
import { parseConfig } from "../stacks/config";
import { planStack } from "./helpers/plans";
import { rawConfig } from "./helpers/raw";
import { expectRejected, ofType, one, record } from "./helpers/record";

const AWS = { "runway:cloud": "aws", "aws:region": "us-east-1" };
const EXPRESS = "aws:ecs/expressGatewayService:ExpressGatewayService";

/** IPv4 range → [first, last] address numbers. */
function bounds(cidr: string): [number, number] {
    const [ip, prefix] = cidr.split("/");
    const start = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
    return [start, start + 2 ** (32 - Number(prefix)) - 1];
}

describe("AWS plans (pure)", () => {
    it("subnet plans never overlap and always fit the VPC", () => {
        for (const vpc of ["10.0.0.0/16", "10.20.0.0/20", "172.16.0.0/16", "192.168.0.0/24"]) {
            for (let azs = 1; azs <= 4; azs++) {
                const plan = aws.planSubnets(vpc, azs);
                const ranges = [...plan.public, ...plan.private].map(bounds);
                const [lo, hi] = bounds(vpc);
                expect(plan.public).to.have.length(azs);
                expect(plan.private).to.have.length(azs);
                for (const [a, b] of ranges) expect(a >= lo && b <= hi, `${vpc} ${azs}`).to.equal(true);
                for (let i = 0; i < ranges.length; i++) for (let j = i + 1; j < ranges.length; j++) {
                    expect(ranges[i][1] < ranges[j][0] || ranges[j][1] < ranges[i][0], `${vpc}: overlap`).to.equal(true);
                }
            }
        }
        expect(aws.planSubnets("10.0.0.0/16", 2)).to.deep.equal({ public: ["10.0.0.0/20", "10.0.16.0/20"], private: ["10.0.128.0/19", "10.0.160.0/19"] });
        expect(aws.checkVpcCidr("8.8.0.0/16", "cidr")[0].allowed).to.match(/private \(RFC 1918\) range/);
        expect(aws.checkVpcCidr("10.0.1.0/16", "cidr")).to.have.length(1);
    });

    it("NAT strategies: none, one shared, one per AZ", () => {
        expect(aws.natLayout("none", 3).gateways).to.equal(0);
        expect([0, 1, 2].map(aws.natLayout("single", 3).routeOf)).to.deep.equal([0, 0, 0]);
        expect([0, 1, 2].map(aws.natLayout("perAz", 3).routeOf)).to.deep.equal([0, 1, 2]);
    });

    it("deploy-role trust checks aud and one exact subject, and satisfies the CI-trust policy", () => {
        const arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        const env = JSON.parse(aws.githubTrustPolicy(arn, "acme", "shop", { environment: "production" }));
        expect(env.Statement[0].Condition).to.deep.equal({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/shop:environment:production" } });
        expect(githubTrustProblems(aws.githubTrustPolicy(arn, "acme", "shop", { branch: "main" }))).to.deep.equal([]);
    });

    it("least-privilege documents: one SSM path, one repository, one service", () => {
        const ssm = JSON.parse(aws.ssmReadPolicy("arn:aws:ssm:us-east-1:1:parameter/shop/prod"));
        expect(ssm.Statement[0]).to.deep.include({ Resource: "arn:aws:ssm:us-east-1:1:parameter/shop/prod/*" });
        const deploy = JSON.parse(aws.deployerPolicy("arn:repo", "arn:svc", ["arn:exec", "arn:task"]));
        expect(deploy.Statement.map((s: any) => s.Resource)).to.deep.equal(["*", "arn:repo", "arn:svc", ["arn:exec", "arn:task"]]);
        expect(deploy.Statement[0].Action).to.equal("ecr:GetAuthorizationToken");
    });

    it("ECR lifecycle: untagged expire after N days, keep the newest M", () => {
        const rules = JSON.parse(aws.ecrLifecyclePolicy(30, 7)).rules;
        expect(rules[0].selection).to.deep.equal({ tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 });
        expect(rules[1].selection).to.deep.equal({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 });
        expect(rules[1].rulePriority).to.be.above(rules[0].rulePriority);
    });
});

describe("AWS components under the mock runtime", () => {
    it("Service: Express Mode with three separate roles, secrets by ARN, tier sizes", async () => {
        const run = await record(() => new aws.Service("web", {
            image: "repo/app@sha256:1", tier: "production", env: { LOG_LEVEL: "info" },
            secretArns: { API_KEY: "arn:aws:ssm:us-east-1:1:parameter/shop/prod/API_KEY" }, secretPathArn: "arn:aws:ssm:us-east-1:1:parameter/shop/prod",
        }));
        const svc = one(run, EXPRESS, "web-service");
        expect(svc.inputs).to.deep.include({ cpu: "1024", memory: "2048", healthCheckPath: "/health" });
        expect((svc.inputs.scalingTargets as any)[0]).to.deep.include({ minTaskCount: 2, maxTaskCount: 20 });
        const container = svc.inputs.primaryContainer as any;
        expect(container.secrets).to.deep.equal([{ name: "API_KEY", valueFrom: "arn:aws:ssm:us-east-1:1:parameter/shop/prod/API_KEY" }]);
        expect(container.environments).to.deep.equal([{ name: "LOG_LEVEL", value: "info" }]);
        expect(ofType(run, "aws:iam/role:Role").map((r) => r.name).sort()).to.deep.equal(["web-execution", "web-infrastructure", "web-task"]);
        const grants = [...ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"), ...ofType(run, "aws:iam/rolePolicy:RolePolicy")].map((g) => g.name).sort();
        expect(grants).to.deep.equal(["web-execution-managed", "web-execution-secrets", "web-infrastructure-managed"]);
        expect(one(run, "aws:cloudwatch/logGroup:LogGroup", "web-logs").inputs.retentionInDays).to.equal(90);
    });

    it("Service rejects sizes Fargate does not run and zero tasks", async () => {
        await expectRejected(() => new aws.Service("web", { image: "x", cpu: 300, minTasks: 0 }), /Service\(web\)\.cpu = 300[\s\S]*Service\(web\)\.minTasks = 0: at least 1 \(Fargate cannot scale to zero\)/);
    });

    it("Registry: scan on push, encryption, immutable tags and protect in production, lifecycle", async () => {
        const run = await record(() => new aws.Registry("images", { keepCount: 30, immutableTags: true, protect: true }));
        const repo = one(run, "aws:ecr/repository:Repository", "images-repository");
        expect(repo.inputs).to.deep.include({ imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, forceDelete: false });
        expect(repo.protect).to.equal(true);
        expect(JSON.parse(String(one(run, "aws:ecr/lifecyclePolicy:LifecyclePolicy", "images-lifecycle").inputs.policy)).rules).to.have.length(2);
    });

    it("Secrets: SecureStrings under the path (Secrets Manager in production), values secret", async () => {
        const ssm = await record(() => new aws.Secrets("s", { path: "/shop/staging", values: { API_KEY: "k" } }));
        const param = one(ssm, "aws:ssm/parameter:Parameter", "s-api-key");
        expect(param.inputs).to.deep.include({ name: "/shop/staging/API_KEY", type: "SecureString" });
        expect(param.secretInputs).to.deep.equal(["value"]);
        const sm = await record(() => new aws.Secrets("s", { path: "/shop/production", values: { API_KEY: "k" }, secretsManager: true, protect: true }));
        expect(one(sm, "aws:secretsmanager/secretVersion:SecretVersion", "s-api-key-version").secretInputs).to.deep.equal(["secretString"]);
        expect(one(sm, "aws:secretsmanager/secret:Secret", "s-api-key").protect).to.equal(true);
    });

    it("Network: public and private subnets per AZ, NAT by strategy", async () => {
        const single = await record(() => new aws.Network("net", { azCount: 2, nat: "single" }));
        expect(ofType(single, "aws:ec2/subnet:Subnet")).to.have.length(4);
        expect(ofType(single, "aws:ec2/natGateway:NatGateway")).to.have.length(1);
        const perAz = await record(() => new aws.Network("net", { azCount: 3, nat: "perAz" }));
        expect(ofType(perAz, "aws:ec2/natGateway:NatGateway")).to.have.length(3);
        expect(one(perAz, "aws:ec2/subnet:Subnet", "net-private-2").inputs.cidrBlock).to.equal("10.0.192.0/19");
    });

    it("Monitoring: a budget with 50/90 % actual and 100 % forecast to email and SNS", async () => {
        const run = await record(() => new aws.Monitoring("ops", { budgetAmount: 100, emails: ["ops@example.com"], alerts: "service", serviceName: "app" }));
        const notes = (one(run, "aws:budgets/budget:Budget", "ops-budget").inputs.notifications as any[]).map((n) => `${n.threshold}% ${n.notificationType}`);
        expect(notes).to.deep.equal(["50% ACTUAL", "90% ACTUAL", "100% FORECASTED"]);
        expect(ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.name)).to.deep.equal(["ops-cpu"]);
        const withLb = await record(() => new aws.Monitoring("ops", { budgetAmount: 100, emails: ["ops@example.com"], alerts: "service", serviceName: "app", loadBalancer: "app/x/1" }));
        expect(ofType(withLb, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.name).sort()).to.deep.equal(["ops-cpu", "ops-errors", "ops-latency"]);
    });
});

describe("AWS stacks through the offline plan", function () {
    this.timeout(60000);

    it("tier differences: task size and count, NAT gateways, AZs", async () => {
        const shape = async (stack: string) => {
            const { document } = await planStack(stack, AWS);
            const svc = document.resources.find((r) => r.type === EXPRESS)!;
            return {
                cpu: svc.inputs.cpu, min: (svc.inputs.scalingTargets as any)[0].minTaskCount,
                nat: document.resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway").length,
                subnets: document.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").length,
            };
        };
        expect(await shape("solo")).to.deep.equal({ cpu: "256", min: 1, nat: 0, subnets: 0 });
        expect(await shape("staging")).to.deep.equal({ cpu: "512", min: 1, nat: 1, subnets: 4 });
        expect(await shape("production")).to.deep.equal({ cpu: "1024", min: 2, nat: 3, subnets: 6 });
    });

    it("keeps secrets out of plain text and protects production's stateful resources", async () => {
        const secret = { "runway:secrets": JSON.stringify({ API_KEY: "sentinel-aws-key" }) };
        const { document } = await planStack("production", { ...AWS, "runway:database": "managed" }, secret);
        expect(JSON.stringify(document)).not.to.include("sentinel-aws-key");
        const version = document.resources.find((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion" && r.name.startsWith("secrets-api-key"))!;
        expect(version.secretInputs).to.deep.equal(["secretString"]);
        for (const type of ["aws:ecr/repository:Repository", "aws:secretsmanager/secret:Secret", "aws:rds/instance:Instance"]) {
            for (const r of document.resources.filter((x) => x.type === type)) expect(r.protect, `${type} ${r.name}`).to.equal(true);
        }
        const db = document.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
        expect(db.inputs).to.deep.include({ multiAz: true, deletionProtection: true, storageEncrypted: true, publiclyAccessible: false, backupRetentionPeriod: 30 });
        const container = (document.resources.find((r) => r.type === EXPRESS)!.inputs.primaryContainer as any);
        expect(container.secrets.map((s: any) => s.name).sort()).to.deep.equal(["API_KEY", "DATABASE_URL"]);
        expect(container.environments.map((e: any) => e.name)).not.to.include("DATABASE_URL");
    });

    it("all three tiers pass the policy pack, and the deploy role trusts only its environment", async () => {
        for (const stack of ["solo", "staging", "production"]) {
            const { document } = await planStack(stack, AWS);
            expect(document.policies.filter((v) => v.level === "mandatory"), stack).to.deep.equal([]);
        }
        const { document } = await planStack("production", AWS);
        const role = document.resources.find((r) => r.name === "ci-deploy-production" && r.type === "aws:iam/role:Role")!;
        expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).to.equal("repo:example-org/example-app:environment:production");
    });
});

describe("AWS config", () => {
    const problems = (values: Record<string, string | undefined>) => {
        try {
            parseConfig(rawConfig(values));
        } catch (err) {
            expect(RunwayInputError.isInstance(err)).to.equal(true);
            return (err as Error).message;
        }
        return "";
    };
    it("needs aws:region, refuses IAP and a managed cache, and needs no GCP keys", () => {
        expect(problems({ "runway:cloud": "aws", "gcp:project": undefined, "runway:billingAccount": undefined })).to.match(/aws:region = \(not set\): the AWS region to deploy into/).and.not.match(/gcp:project|billingAccount/);
        expect(problems({ ...AWS, "runway:access": "iap", "runway:iapMembers": JSON.stringify(["user:a@b.co"]) })).to.match(/runway:access = "iap": public on AWS/);
        expect(problems({ ...AWS, "runway:cache": "managed" })).to.match(/runway:cache = "managed": none on AWS/);
        expect(problems({ ...AWS, "aws:region": "us-central1" })).to.match(/aws:region = "us-central1": an AWS region/);
        expect(problems({ ...AWS, "runway:tier": "staging" })).to.equal("");
    });
});

describe("shared IPv4 checks", () => {
    it("know RFC 1918 ranges and name the allowed prefixes", async () => {
        const { checkPrivateCidr, isPrivateRange, parseCidr } = await import("../components/cidr");
        expect(["10.0.0.0/8", "172.16.0.0/12", "172.31.0.0/16", "192.168.4.0/24"].every((c) => isPrivateRange(parseCidr(c)!))).to.equal(true);
        expect(["172.32.0.0/16", "172.0.0.0/8", "11.0.0.0/8", "192.169.0.0/16"].some((c) => isPrivateRange(parseCidr(c)!))).to.equal(false);
        expect(parseCidr("10.0.0.256/16")).to.equal(undefined);
        expect(checkPrivateCidr("10.0.0.0/28", "k", 16, 24, "10.0.0.0/16")[0].allowed).to.equal("an IPv4 range from /16 to /24, e.g. 10.0.0.0/16");
    });

    it("AWS Service names an unknown tier instead of failing on it", async () => {
        await expectRejected(() => new aws.Service("web", { image: "x", tier: "prod" as never }), /Service\(web\)\.tier = "prod": one of solo, staging, production/);
    });
});
