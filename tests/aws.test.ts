import * as awsSdk from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { parse } from "yaml";
import * as github from "../components/github";
import { actionlint } from "./helpers/actionlint";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import * as aws from "../components/aws";
import { contentTag } from "../components/docker";
import { AWS_PRICES, estimateCost } from "../components/cost";
import { TIER_PROFILES } from "../rules/profile";
import { canaryPlan } from "../rules/release";
import { RunwayInputError } from "../rules/problems";
import { githubTrustProblems } from "../policy/policies/ciTrustScoped";
import { jobCalls } from "../rules/trust/calls";
import { resolveStack } from "../stacks/config";
import { AWS_NAME_RULES, AwsNameKind, awsNameProblems } from "../rules/aws/names";
import { ROOT, cli, cliIn, planStack } from "./helpers/plans";
import { rawConfig } from "./helpers/raw";
import { expectRejected, ofType, one, record } from "./helpers/record";

const AWS = { "runway:cloud": "aws", "aws:region": "us-east-1" };
/** The example staging stack file is a GCP one: on AWS it needs an allow-list instead of IAP members. */
const AWS_STAGING = { ...AWS, "runway:allowedCidrs": JSON.stringify(["203.0.113.0/24"]), "runway:iapMembers": "[]" };
/** The Fargate tiers (staging and production) with the config each plans with on AWS. */
const FARGATE_STACKS = [
    ["staging", AWS_STAGING],
    ["production", AWS],
] as const;
const FN = "aws:lambda/function:Function";
const ECS = "aws:ecs/service:Service";
const LB = "aws:lb/loadBalancer:LoadBalancer";

/** IPv4 range → [first, last] address numbers. */
function bounds(cidr: string): [number, number] {
    const [ip, prefix] = cidr.split("/");
    const start = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
    return [start, start + 2 ** (32 - Number(prefix)) - 1];
}

/** Every IAM-style policy document a plan carries (role trust, inline, topic and repository policies). */
function policyDocuments(resources: { type: string; name: string; inputs: Record<string, unknown> }[]): { where: string; doc: any }[] {
    const fields: Record<string, string> = {
        "aws:iam/role:Role": "assumeRolePolicy",
        "aws:iam/rolePolicy:RolePolicy": "policy",
        "aws:sns/topicPolicy:TopicPolicy": "policy",
        "aws:ecr/repositoryPolicy:RepositoryPolicy": "policy",
    };
    return resources
        .filter((r) => fields[r.type])
        .map((r) => ({ where: `${r.type} ${r.name}`, doc: JSON.parse(String(r.inputs[fields[r.type]])) }));
}

describe("AWS decisions (pure)", () => {
    it("subnet plans never overlap and always fit the VPC", () => {
        for (const vpc of ["10.0.0.0/16", "10.20.0.0/20", "172.16.0.0/16", "192.168.0.0/24"]) {
            for (let azs = aws.AZ_COUNT_RANGE.min; azs <= aws.AZ_COUNT_RANGE.max; azs++) {
                const plan = aws.planSubnets(vpc, azs);
                const ranges = [...plan.public, ...plan.private].map(bounds);
                const [lo, hi] = bounds(vpc);
                expect(plan.public).to.have.length(azs);
                expect(plan.private).to.have.length(azs);
                for (const [a, b] of ranges) expect(a >= lo && b <= hi, `${vpc} ${azs}`).to.equal(true);
                for (let i = 0; i < ranges.length; i++)
                    for (let j = i + 1; j < ranges.length; j++) {
                        expect(ranges[i][1] < ranges[j][0] || ranges[j][1] < ranges[i][0], `${vpc}: overlap`).to.equal(true);
                    }
            }
        }
        expect(aws.planSubnets("10.0.0.0/16", 2)).to.deep.equal({
            public: ["10.0.0.0/20", "10.0.16.0/20"],
            private: ["10.0.128.0/19", "10.0.160.0/19"],
        });
        expect(aws.checkVpcCidr("8.8.0.0/16", "cidr")[0].allowed).to.match(/private \(RFC 1918\) range/);
    });

    it("NAT strategies: none, one shared, one per AZ", () => {
        expect(aws.natLayout("none", 3).gateways).to.equal(0);
        expect([0, 1, 2].map(aws.natLayout("single", 3).routeOf)).to.deep.equal([0, 0, 0]);
        expect([0, 1, 2].map(aws.natLayout("perAz", 3).routeOf)).to.deep.equal([0, 1, 2]);
    });

    it("Fargate sizes follow AWS's task-size table, Lambda its memory and timeout ranges", () => {
        const fargate = (cpu: number, memory: number) =>
            aws.checkFargateShape({ cpu, memory, minTasks: 1, maxTasks: 1 }, (f) => f).map((p) => p.key);
        expect([512, 1024, 2048].map((m) => fargate(256, m))).to.deep.equal([[], [], []]);
        expect(fargate(256, 1536)).to.deep.equal(["memory"]); // 0.25 vCPU takes 512, 1024 or 2048 only
        expect(fargate(512, 1536)).to.deep.equal(["memory"]); // 1 GB steps from 1 GB
        expect(fargate(1024, 3072)).to.deep.equal([]);
        expect(fargate(4096, 30720)).to.deep.equal([]);
        expect(fargate(4096, 31744)).to.deep.equal(["memory"]);
        expect(fargate(8192, 20480)).to.deep.equal([]);
        expect(fargate(8192, 18432)).to.deep.equal(["memory"]); // 4 GB steps
        expect(fargate(300, 512)).to.deep.equal(["cpu"]);
        expect(aws.fargateCpuUnits("0.25")).to.equal(256);
        expect(aws.fargateCpuUnits("16")).to.equal(16384);
        expect(aws.fargateCpuUnits("0.3")).to.equal(undefined);
        const lambda = (memory: number, timeoutSeconds: number) =>
            aws.checkLambdaShape({ memory, timeoutSeconds }, (f) => f).map((p) => p.key);
        expect(lambda(128, 900)).to.deep.equal([]);
        expect(lambda(10240, 1)).to.deep.equal([]);
        expect(lambda(127, 901)).to.deep.equal(["memory", "timeoutSeconds"]);
        expect(lambda(10241, 0)).to.deep.equal(["memory", "timeoutSeconds"]);
    });

    it("deploy-role trust checks aud, the repository's immutable ID and the environment (or the one workflow on its branch), never sub; the CI-trust policy accepts it", () => {
        const arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        const repo = { owner: "acme", repo: "shop", ownerId: "17", repositoryId: "4242" };
        const env = JSON.parse(aws.githubTrustPolicy(arn, repo, { name: "production", environment: "production" }));
        expect(env.Statement[0].Condition).to.deep.equal({
            StringEquals: {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:repository_id": "4242",
                "token.actions.githubusercontent.com:environment": "production",
            },
        });
        const solo = aws.githubTrustPolicy(arn, repo, { name: "solo", branch: "main", workflow: ".github/workflows/deploy-solo.yml" });
        expect(JSON.parse(solo).Statement[0].Condition.StringEquals).to.include({
            "token.actions.githubusercontent.com:job_workflow_ref": "acme/shop/.github/workflows/deploy-solo.yml@refs/heads/main",
        });
        expect(githubTrustProblems(solo)).to.deep.equal([]);
        expect(() => aws.githubTrustPolicy(arn, repo, { name: "solo", branch: "main" })).to.throw(/workflow/);
    });

    it("ECS deploy role: push to one repository, update one service, register task definitions, pass its two roles to ECS tasks only", () => {
        const doc = JSON.parse(
            aws.deployerPolicy(["arn:repo"], [{ kind: "ecs", serviceArn: "arn:svc", passRoleArns: ["arn:exec", "arn:task"] }]),
        );
        expect(doc.Statement.map((s: any) => [s.Action, s.Resource])).to.deep.equal([
            ["ecr:GetAuthorizationToken", "*"],
            [
                [
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:BatchGetImage",
                    "ecr:CompleteLayerUpload",
                    "ecr:InitiateLayerUpload",
                    "ecr:PutImage",
                    "ecr:UploadLayerPart",
                ],
                "arn:repo",
            ],
            [["ecs:DescribeServices", "ecs:UpdateService"], "arn:svc"],
            [["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"], "*"],
            ["iam:PassRole", ["arn:exec", "arn:task"]],
        ]);
        expect(doc.Statement[4].Condition).to.deep.equal({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
    });

    /** What a Lambda deploy does to its function: update its code, publish a version, invoke it, move the alias. */
    const LAMBDA_DEPLOY_ACTIONS = [
        "lambda:GetAlias",
        "lambda:GetFunction",
        "lambda:InvokeFunction",
        "lambda:PublishVersion",
        "lambda:UpdateAlias",
        "lambda:UpdateFunctionCode",
    ];

    it("Lambda deploy role: update code, publish, invoke the new version and move the alias of one function only", () => {
        const doc = JSON.parse(aws.deployerPolicy(["arn:repo"], [{ kind: "lambda", functionArn: "arn:fn" }]));
        expect(doc.Statement.slice(2)).to.deep.equal([
            {
                Effect: "Allow",
                Action: LAMBDA_DEPLOY_ACTIONS,
                Resource: ["arn:fn", "arn:fn:*"],
            },
        ]);
    });

    it("one deploy role for several services: each repository, service, function and pass role listed, nothing wider", () => {
        const doc = JSON.parse(
            aws.deployerPolicy(
                ["arn:repo-api", "arn:repo-hook", "arn:repo-api"],
                [
                    { kind: "ecs", serviceArn: "arn:api", passRoleArns: ["arn:api-exec", "arn:api-task"] },
                    { kind: "ecs", serviceArn: "arn:admin", passRoleArns: ["arn:admin-exec", "arn:api-task"] },
                    { kind: "lambda", functionArn: "arn:hook" },
                ],
            ),
        );
        expect(doc.Statement.map((s: any) => [s.Action, s.Resource])).to.deep.equal([
            ["ecr:GetAuthorizationToken", "*"],
            [
                [
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:BatchGetImage",
                    "ecr:CompleteLayerUpload",
                    "ecr:InitiateLayerUpload",
                    "ecr:PutImage",
                    "ecr:UploadLayerPart",
                ],
                ["arn:repo-api", "arn:repo-hook"],
            ],
            [
                ["ecs:DescribeServices", "ecs:UpdateService"],
                ["arn:api", "arn:admin"],
            ],
            [["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"], "*"],
            ["iam:PassRole", ["arn:api-exec", "arn:api-task", "arn:admin-exec"]],
            [LAMBDA_DEPLOY_ACTIONS, ["arn:hook", "arn:hook:*"]],
        ]);
        // Only Lambda functions: no ECS action and no PassRole at all.
        const lambdas = JSON.parse(
            aws.deployerPolicy(
                ["arn:r"],
                [
                    { kind: "lambda", functionArn: "arn:a" },
                    { kind: "lambda", functionArn: "arn:b" },
                ],
            ),
        );
        expect(JSON.stringify(lambdas)).not.to.match(/ecs:|iam:PassRole/);
        expect(() => aws.deployerPolicy([], [{ kind: "lambda", functionArn: "arn:a" }])).to.throw(RangeError);
    });

    it("budget notifications reach each address once: directly by email, the topic only when there is no email", () => {
        expect(aws.budgetSubscribers(["a@example.com", "b@example.com"], "arn:topic")).to.deep.equal({
            subscriberEmailAddresses: ["a@example.com", "b@example.com"],
            subscriberSnsTopicArns: [],
        });
        expect(aws.budgetSubscribers([], "arn:topic")).to.deep.equal({
            subscriberEmailAddresses: [],
            subscriberSnsTopicArns: ["arn:topic"],
        });
        const services = (budgets: boolean) =>
            JSON.parse(aws.snsTopicPolicy("arn:topic", "123456789012", budgets))
                .Statement.filter((s: any) => s.Principal.Service)
                .map((s: any) => s.Principal.Service);
        expect(services(false)).to.deep.equal(["cloudwatch.amazonaws.com"]);
    });

    it("the alert topic lets AWS Budgets and CloudWatch of this account publish", () => {
        const doc = JSON.parse(aws.snsTopicPolicy("arn:topic", "123456789012"));
        const publishers = doc.Statement.filter((s: any) => s.Principal.Service).map((s: any) => [
            s.Principal.Service,
            s.Action,
            s.Resource,
            s.Condition.StringEquals["aws:SourceAccount"],
        ]);
        expect(publishers).to.deep.equal([
            ["budgets.amazonaws.com", "SNS:Publish", "arn:topic", "123456789012"],
            ["cloudwatch.amazonaws.com", "SNS:Publish", "arn:topic", "123456789012"],
        ]);
    });

    it("secret reads: one SSM path and the listed secrets, no KMS grant (AWS managed keys)", () => {
        const doc = JSON.parse(aws.ssmReadPolicy("arn:aws:ssm:us-east-1:1:parameter/shop/prod", ["arn:sm"]));
        expect(doc.Statement.map((s: any) => s.Resource)).to.deep.equal(["arn:aws:ssm:us-east-1:1:parameter/shop/prod/*", ["arn:sm"]]);
        expect(JSON.stringify(doc)).not.to.include("kms:");
        expect(JSON.parse(aws.ssmPathReadPolicy("arn:p")).Statement.map((s: any) => s.Resource)).to.deep.equal(["arn:p", "arn:p/*"]);
        expect(JSON.parse(aws.ssmReadPolicy(undefined, ["arn:sm"])).Statement.map((s: any) => s.Action)).to.deep.equal([
            "secretsmanager:GetSecretValue",
        ]);
    });

    it("the task execution role reads secrets only where the tier keeps them: SSM on staging, Secrets Manager on production", async () => {
        const actions = async (stack: string, config: Record<string, string>) => {
            const { document } = await planStack(stack, config);
            const policy = document.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "app-execution-secrets");
            return policy && JSON.parse(String(policy.inputs.policy)).Statement.flatMap((s: any) => [s.Action].flat());
        };
        const managed = { "runway:database": "managed" };
        expect(await actions("production", { ...AWS, ...managed })).to.deep.equal(["secretsmanager:GetSecretValue"]);
        expect(await actions("staging", { ...AWS_STAGING, ...managed })).to.deep.equal(["ssm:GetParameters", "ssm:GetParameter"]);
        // No secrets: nothing to read.
        expect(await actions("production", AWS)).to.equal(undefined);
    });

    it("WAF: the three AWS managed rule groups, then a per-IP rate limit that blocks", () => {
        const rules = aws.wafRules("shop");
        expect(rules.map((r) => r.name)).to.deep.equal([
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesSQLiRuleSet",
            "rate-limit-per-ip",
        ]);
        expect(rules.map((r) => r.priority)).to.deep.equal([1, 2, 3, 4]);
        expect(rules[3]).to.deep.include({ action: { block: {} } });
        // Bodies over 8 KB (uploads) pass: only SizeRestrictions_BODY counts; the groups keep their own (blocking) actions.
        const groups = rules.slice(0, 3).map((r) => (r.statement as any).managedRuleGroupStatement);
        expect(groups.map((g) => g.ruleActionOverrides)).to.deep.equal([
            [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
            undefined,
            undefined,
        ]);
        for (const r of rules.slice(0, 3)) expect((r as any).overrideAction).to.deep.equal({ none: {} });
        expect((aws.wafRules("shop", 2000, true)[0].statement as any).managedRuleGroupStatement).not.to.have.property(
            "ruleActionOverrides",
        );
        expect((rules[3].statement as any).rateBasedStatement).to.deep.equal({
            limit: aws.WAF_RATE_LIMIT,
            aggregateKeyType: "IP",
            evaluationWindowSec: 300,
        });
    });

    it("cache sizes pick the smallest node that holds them; final snapshots are named per incarnation", () => {
        expect([0.5, 1, 3, 10, 300].map(aws.cacheNodeType)).to.deep.equal([
            "cache.t4g.micro",
            "cache.t4g.small",
            "cache.t4g.medium",
            "cache.r7g.large",
            "cache.r7g.12xlarge",
        ]);
        expect(aws.cacheNodeType(400)).to.equal(undefined);
        expect(aws.finalSnapshotIdentifier("database", "a1b2")).to.equal("database-final-a1b2");
        expect(aws.finalSnapshotIdentifier("database", "a1b2")).not.to.equal(aws.finalSnapshotIdentifier("database", "c3d4"));
    });

    it("every cache node type runway:cacheSizeGb can pick is priced (Valkey = 0.8 × Redis OSS per node, sourced), so no cache size is left unpriced", () => {
        const redisOss: Record<string, number> = {
            "cache.t4g.micro": 0.016,
            "cache.t4g.small": 0.032,
            "cache.t4g.medium": 0.065,
            "cache.r7g.large": 0.219,
            "cache.r7g.xlarge": 0.437,
            "cache.r7g.2xlarge": 0.873,
            "cache.r7g.4xlarge": 1.745,
            "cache.r7g.8xlarge": 3.491,
            "cache.r7g.12xlarge": 5.235,
        };
        for (const [type] of aws.CACHE_NODE_TYPES) {
            const price = AWS_PRICES["us-east-1"][`elasticache.${type}`];
            expect(price, type).to.not.equal(undefined);
            expect(price.unitPrice, type).to.be.closeTo(redisOss[type] * 0.8, 0.0001);
            expect(price.source).to.include("https://aws.amazon.com/elasticache/faqs/");
            expect(price.read).to.match(/^\d{4}-\d{2}-\d{2}$/);
        }
        const big = estimateCost(
            [
                {
                    urn: "urn:cache",
                    type: "aws:elasticache/replicationGroup:ReplicationGroup",
                    props: { nodeType: "cache.r7g.12xlarge", numCacheClusters: 2 },
                },
            ],
            { usage: TIER_PROFILES.production.usage, defaultRegions: { aws: "us-east-1" } },
        );
        expect(big.unpriced).to.deep.equal([]);
        expect(big.usageMonthly).to.be.closeTo(2 * 730 * 4.188, 0.01);
    });

    it("account-unique names carry the stack", () => {
        const staging = aws.awsNames("shop-staging");
        const production = aws.awsNames("shop-production");
        for (const key of ["repository", "cluster", "service", "function", "cache"] as const)
            expect(staging[key]).not.to.equal(production[key]);
        expect(staging.logGroup("fargate")).to.equal("/runway/shop-staging");
        expect(aws.awsNames("shop-solo").logGroup("lambda")).to.equal("/aws/lambda/shop-solo");
    });

    it("image tags name the build's content, never a reused name", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-tag-"));
        fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\n");
        fs.writeFileSync(path.join(dir, "server.js"), "one");
        const first = contentTag(dir, path.join(dir, "Dockerfile"));
        expect(first).to.match(/^src-[0-9a-f]{12}$/);
        expect(contentTag(dir, path.join(dir, "Dockerfile"))).to.equal(first);
        fs.writeFileSync(path.join(dir, "server.js"), "two");
        expect(contentTag(dir, path.join(dir, "Dockerfile"))).not.to.equal(first);
        fs.rmSync(dir, { recursive: true });
    });
});

const NET = {
    vpcId: "vpc-1",
    subnetIds: ["subnet-private-a", "subnet-private-b"],
    publicSubnetIds: ["subnet-public-a", "subnet-public-b"],
    securityGroupId: "sg-tasks",
    loadBalancerSecurityGroupId: "sg-lb",
};

describe("AWS name rules (pure)", () => {
    const cases: Record<AwsNameKind, { ok: string[]; bad: string[] }> = {
        lambdaFunction: { ok: ["shop-dev", "A_b-1", "f".repeat(64)], bad: ["", "has space", "shop.dev", "f".repeat(65)] },
        ecrRepository: { ok: ["ab", "team/shop-dev", "a.b_c-d"], bad: ["a", "My Repo!", "shop--dev", "-shop", "shop/", "Shop"] },
        loadBalancer: { ok: ["a", "shop-prod", "x".repeat(32)], bad: ["-shop", "shop-", "internal-shop", "shop_prod", "x".repeat(33)] },
        targetGroup: { ok: ["tg-1", "x".repeat(32)], bad: ["tg-", "tg_1", "x".repeat(33)] },
        iamRole: { ok: ["shop+dev=,.@_-", "r".repeat(64)], bad: ["has space", "shop/dev", "r".repeat(65)] },
        secret: { ok: ["shop/dev/DATABASE_URL", "a+b=c.d@e-f"], bad: ["has space", "a#b", "s".repeat(513)] },
        logGroup: { ok: ["/aws/lambda/shop-dev", "/runway/a#b.c_d"], bad: ["has space", "a:b", "l".repeat(513)] },
        snsTopic: { ok: ["alerts", "a_b-c", "t.fifo", "t".repeat(256)], bad: ["a.b", "has space", "t".repeat(257)] },
        ecsCluster: { ok: ["shop-dev_1"], bad: ["shop.dev", "c".repeat(256)] },
        ecsService: { ok: ["shop-dev_1"], bad: ["shop dev"] },
        ecsContainer: { ok: ["app"], bad: ["app!"] },
        dashboard: { ok: ["shop-production_1"], bad: ["shop/production", "d".repeat(256)] },
    };

    it("accept each kind's names and refuse its look-alikes, saying what is allowed and where AWS says so", () => {
        for (const [kind, { ok, bad }] of Object.entries(cases) as [AwsNameKind, { ok: string[]; bad: string[] }][]) {
            for (const name of ok) expect(awsNameProblems(kind, name, "k"), `${kind} ${name}`).to.deep.equal([]);
            for (const name of bad) {
                const [problem] = awsNameProblems(kind, name, "k");
                expect(problem, `${kind} ${name}`).to.include({ key: "k", value: name });
                expect(problem.allowed).to.include(AWS_NAME_RULES[kind].allowed).and.include("https://docs.aws.amazon.com/");
            }
        }
        // A name known only at deploy time is not guessed.
        expect(awsNameProblems("lambdaFunction", pulumi.output("x y"), "k")).to.deep.equal([]);
    });
});

describe("AWS components under the mock runtime", () => {
    it("Service: Fargate tasks in private subnets without public IPs, an internet-facing ALB in the public subnets, steady state awaited", async () => {
        const run = await record(
            () =>
                new aws.Service("web", {
                    image: "repo/app@sha256:1",
                    tier: "production",
                    serviceName: "shop-production",
                    env: { LOG_LEVEL: "info" },
                    ...NET,
                    secretArns: { API_KEY: "arn:aws:ssm:us-east-1:1:parameter/shop/prod/API_KEY" },
                    secretPathArn: "arn:aws:ssm:us-east-1:1:parameter/shop/prod",
                }),
        );
        const svc = one(run, ECS, "web-service");
        expect(svc.inputs).to.deep.include({
            name: "shop-production",
            launchType: "FARGATE",
            desiredCount: 2,
            waitForSteadyState: true,
            deploymentCircuitBreaker: { enable: true, rollback: true },
        });
        expect(svc.inputs.networkConfiguration).to.deep.equal({
            subnets: NET.subnetIds,
            securityGroups: ["sg-tasks"],
            assignPublicIp: false,
        });
        expect(svc.dependencies).to.include(one(run, "aws:lb/listener:Listener", "web-http").urn);
        const lb = one(run, LB, "web-lb");
        expect(lb.inputs).to.deep.include({
            internal: false,
            subnets: NET.publicSubnetIds,
            securityGroups: ["sg-lb"],
            enableDeletionProtection: true,
        });
        const task = one(run, "aws:ecs/taskDefinition:TaskDefinition", "web-task");
        expect(task.inputs).to.deep.include({ cpu: "1024", memory: "2048", networkMode: "awsvpc", family: "shop-production" });
        const [container] = JSON.parse(String(task.inputs.containerDefinitions));
        expect(container).to.deep.include({ name: "app", image: "repo/app@sha256:1", user: "10001" });
        expect(container.secrets).to.deep.equal([{ name: "API_KEY", valueFrom: "arn:aws:ssm:us-east-1:1:parameter/shop/prod/API_KEY" }]);
        expect(one(run, "aws:cloudwatch/logGroup:LogGroup", "web-logs").inputs).to.deep.include({
            name: "/runway/shop-production",
            retentionInDays: 90,
        });
        expect(one(run, "aws:ecs/cluster:Cluster", "web-cluster").inputs.name).to.equal("shop-production");
        expect(one(run, "aws:appautoscaling/target:Target", "web-scaling").inputs).to.deep.include({ minCapacity: 2, maxCapacity: 20 });
        expect(ofType(run, "aws:wafv2/webAclAssociation:WebAclAssociation")).to.have.length(1);
        expect(svc.ignoreChanges).to.deep.equal(["desiredCount"]);
    });

    it("Service: HTTPS with an ACM certificate for the domain, HTTP redirecting; the service waits for the egress it needs", async () => {
        const run = await record(() => {
            const route = new awsSdk.ec2.RouteTable("private-0", { vpcId: "vpc-1" });
            return new aws.Service("web", {
                image: "repo/app@sha256:1",
                tier: "staging",
                domain: "app.example.com",
                ...NET,
                egressReady: [route],
                ignoreImageChanges: true,
            });
        });
        const https = one(run, "aws:lb/listener:Listener", "web-https");
        expect(https.inputs).to.deep.include({ port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
        expect((one(run, "aws:lb/listener:Listener", "web-http").inputs.defaultActions as any)[0]).to.deep.include({
            type: "redirect",
            redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
        });
        // The validation record is logged as soon as the certificate exists: `pulumi up` then waits for it, before any output shows.
        expect(run.diagnostics.filter((d) => d.includes("ACM is waiting"))).to.have.length(1);
        expect(run.diagnostics.find((d) => d.includes("ACM is waiting"))).to.match(
            /^info: ACM is waiting to issue the certificate for app\.example\.com: add this DNS record at your DNS host: \S+ \S+ \S+$/,
        );
        expect(one(run, "aws:acm/certificate:Certificate", "web-certificate").inputs).to.deep.include({
            domainName: "app.example.com",
            validationMethod: "DNS",
        });
        const svc = one(run, ECS, "web-service");
        expect(svc.dependencies).to.include(one(run, "aws:ec2/routeTable:RouteTable", "private-0").urn);
        expect(svc.ignoreChanges).to.deep.equal(["desiredCount", "taskDefinition"]);
        expect(ofType(run, "aws:wafv2/webAcl:WebAcl")).to.have.length(0);
        expect(one(run, LB, "web-lb").inputs.enableDeletionProtection).to.equal(false);
    });

    it("components refuse names AWS refuses, by argument (the component's name when the argument is unset)", async () => {
        const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1.0";
        await expectRejected(
            () => new aws.FunctionService("web", { image, repositoryName: "shop", functionName: "has space" }),
            /FunctionService\(web\)\.functionName = "has space": 1-64 letters, digits, hyphens and underscores/,
        );
        await expectRejected(
            () => new aws.FunctionService("web", { image, repositoryName: "shop", functionName: "f".repeat(82) }),
            /functionName = "f{82}": 1-64 /,
        );
        await expectRejected(
            () => new aws.Registry("images", { repositoryName: "My Repo!" }),
            /Registry\(images\)\.repositoryName = "My Repo!": 2-256 lowercase/,
        );
        await expectRejected(() => new aws.Registry("My Repo"), /Registry\(My Repo\)\.repositoryName = "My Repo"/);
        await expectRejected(
            () => new aws.Service("web", { image: "x", serviceName: "shop.prod", ...NET }),
            /Service\(web\)\.serviceName = "shop\.prod": 1-255 letters/,
        );
        await expectRejected(
            () => new aws.SmokeTest("smoke", { functionName: "shop smoke", subnetIds: ["subnet-1"], securityGroupId: "sg-1" }),
            /SmokeTest\(smoke\)\.functionName = "shop smoke"/,
        );
        await expectRejected(
            () => new aws.Dashboard("board", { dashboardName: "shop/production" }),
            /Dashboard\(board\)\.dashboardName = "shop\/production": 1-255 letters, digits, hyphens and underscores/,
        );
        // Their compliant look-alikes plan.
        const ok = await record(() => new aws.Registry("images", { repositoryName: "team/shop-dev" }));
        expect(one(ok, "aws:ecr/repository:Repository", "images-repository").inputs.name).to.equal("team/shop-dev");
    });

    it("Service rejects sizes Fargate does not run and zero tasks, before any resource", async () => {
        await expectRejected(
            () => new aws.Service("web", { image: "x", cpu: 512, memory: 1536, minTasks: 0, ...NET }),
            /Service\(web\)\.memory = 1536: 1024-4096 MiB in 1024 MiB steps[\s\S]*Service\(web\)\.minTasks = 0: at least 1/,
        );
        await expectRejected(
            () => new aws.Service("web", { image: "x", tier: "prod" as never, ...NET }),
            /Service\(web\)\.tier = "prod": one of solo, staging, production/,
        );
    });

    it("FunctionService: the image on Lambda, version behind alias live, a public function URL on the alias with both grants", async () => {
        const run = await record(
            () =>
                new aws.FunctionService("app", {
                    image: "1.dkr.ecr.us-east-1.amazonaws.com/shop-solo@sha256:1",
                    repositoryName: "shop-solo",
                    functionName: "shop-solo",
                    memory: 1024,
                    maxConcurrency: 5,
                    env: { LOG_LEVEL: "info" },
                    secretsPath: "/shop/solo",
                    secretPathArn: "arn:aws:ssm:us-east-1:1:parameter/shop/solo",
                    secretNames: ["API_KEY"],
                }),
        );
        const fn = one(run, FN, "app-function");
        expect(fn.inputs).to.deep.include({
            name: "shop-solo",
            packageType: "Image",
            memorySize: 1024,
            timeout: 300,
            publish: true,
            reservedConcurrentExecutions: 5,
        });
        expect((fn.inputs.environment as any).variables).to.deep.equal({
            LOG_LEVEL: "info",
            AWS_LWA_PORT: "8080",
            AWS_LWA_READINESS_CHECK_PATH: "/health",
            PORT: "8080",
            RUNWAY_SECRETS_PATH: "/shop/solo",
            RUNWAY_SECRET_NAMES: "API_KEY",
        });
        expect(one(run, "aws:lambda/alias:Alias", "app-live").inputs.name).to.equal("live");
        expect(one(run, "aws:lambda/functionUrl:FunctionUrl", "app-url").inputs).to.deep.include({
            qualifier: "live",
            authorizationType: "NONE",
        });
        const grants = ofType(run, "aws:lambda/permission:Permission").map((p) => [
            p.inputs.action,
            p.inputs.qualifier,
            p.inputs.functionUrlAuthType ?? p.inputs.invokedViaFunctionUrl,
        ]);
        expect(grants).to.deep.equal([
            ["lambda:InvokeFunctionUrl", "live", "NONE"],
            ["lambda:InvokeFunction", "live", true],
        ]);
        expect(
            JSON.parse(String(one(run, "aws:ecr/repositoryPolicy:RepositoryPolicy", "app-pull").inputs.policy)).Statement[0].Principal,
        ).to.deep.equal({ Service: "lambda.amazonaws.com" });
        expect(one(run, "aws:cloudwatch/logGroup:LogGroup", "app-logs").inputs.name).to.equal("/aws/lambda/shop-solo");
    });

    it("FunctionService rejects memory and timeouts Lambda does not take", async () => {
        await expectRejected(
            () => new aws.FunctionService("app", { image: "x", repositoryName: "r", memory: 64, timeoutSeconds: 1000 }),
            /FunctionService\(app\)\.memory = 64: 128-10240 MiB[\s\S]*FunctionService\(app\)\.timeoutSeconds = 1000: 1-900 seconds/,
        );
        await expectRejected(
            () => new aws.FunctionService("app", { image: "x", repositoryName: "r", logRetentionDays: 10 }),
            /FunctionService\(app\)\.logRetentionDays = 10: one of 1, 3, 5, 7, 14/,
        );
        await expectRejected(
            () => new aws.Service("web", { image: "x", logRetentionDays: 45, ...NET }),
            /Service\(web\)\.logRetentionDays = 45: one of/,
        );
        for (const tier of ["solo", "staging", "production"] as const)
            expect(aws.LOG_RETENTION_DAYS, tier).to.include(TIER_PROFILES[tier].aws.logRetentionDays);
    });

    it("Registry: scan on push, encryption, immutable tags and protect in production, lifecycle", async () => {
        const run = await record(() => new aws.Registry("images", { keepCount: 30, immutableTags: true, protect: true }));
        const repo = one(run, "aws:ecr/repository:Repository", "images-repository");
        expect(repo.inputs).to.deep.include({
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            forceDelete: false,
        });
        expect(repo.protect).to.equal(true);
        // ECR refuses to delete a repository that holds images: unprotected ones (solo, staging) are emptied on destroy.
        const unprotected = one(await record(() => new aws.Registry("images", {})), "aws:ecr/repository:Repository", "images-repository");
        expect([unprotected.inputs.forceDelete, unprotected.protect]).to.deep.equal([true, false]);
    });

    it("Secrets: SecureStrings under the path; Secrets Manager with a recovery window (0 deletes at once)", async () => {
        const ssm = await record(() => new aws.Secrets("s", { path: "/shop/staging", values: { API_KEY: "k" } }));
        expect(one(ssm, "aws:ssm/parameter:Parameter", "s-api-key").inputs).to.deep.include({
            name: "/shop/staging/API_KEY",
            type: "SecureString",
        });
        const sm = await record(
            () => new aws.Secrets("s", { path: "/shop/staging", values: { API_KEY: "k" }, secretsManager: true, recoveryWindowDays: 0 }),
        );
        expect(one(sm, "aws:secretsmanager/secret:Secret", "s-api-key").inputs.recoveryWindowInDays).to.equal(0);
        expect(one(sm, "aws:secretsmanager/secretVersion:SecretVersion", "s-api-key-version").secretInputs).to.deep.equal(["secretString"]);
        await expectRejected(
            () => new aws.Secrets("s", { path: "/p", values: {}, recoveryWindowDays: 3 }),
            /Secrets\(s\)\.recoveryWindowDays = 3: 0 \(delete at once\) or 7-30 days/,
        );
        await expectRejected(
            () => new aws.Secrets("s", { path: "/AWS-shop/solo", values: { K: "v" } }),
            /Secrets\(s\)\.path = "\/AWS-shop\/solo": a path not starting with aws or ssm/,
        );
    });

    it("Network: load balancer open to the allow-list only, tasks open to the load balancer only", async () => {
        const run = await record(() => new aws.Network("net", { azCount: 2, nat: "single", allowedCidrs: ["203.0.113.0/24"] }));
        expect(ofType(run, "aws:ec2/subnet:Subnet")).to.have.length(4);
        const lb = one(run, "aws:ec2/securityGroup:SecurityGroup", "net-load-balancer");
        expect((lb.inputs.ingress as any[]).map((i) => [i.fromPort, i.cidrBlocks])).to.deep.equal([
            [80, ["203.0.113.0/24"]],
            [443, ["203.0.113.0/24"]],
        ]);
        const tasks = one(run, "aws:ec2/securityGroup:SecurityGroup", "net-service");
        expect((tasks.inputs.ingress as any[])[0]).to.deep.include({ fromPort: 8080, securityGroups: ["net-load-balancer-id"] });
        expect((tasks.inputs.ingress as any[])[0].cidrBlocks).to.equal(undefined);
        expect(aws.AVAILABILITY_ZONE_FILTERS).to.deep.include({ name: "opt-in-status", values: ["opt-in-not-required"] });
        expect(ofType(run, "aws:ec2/subnet:Subnet").map((x) => x.inputs.availabilityZone)).to.deep.equal([
            "us-east-1a",
            "us-east-1b",
            "us-east-1a",
            "us-east-1b",
        ]);
        // A region with two usable zones (us-west-1) cannot hold three subnets in distinct zones: say so rather than stack two in one.
        expect(() => aws.zoneFor(["us-west-1a", "us-west-1c"], 2, 3)).to.throw(
            /azCount = 3: at most 2: the region has 2 usable availability zones/,
        );
    });

    it("Cache: Valkey with TLS, AUTH and encryption at rest, only from the service; URL secret", async () => {
        const run = await record(
            () =>
                new aws.Cache("cache", {
                    vpcId: "vpc-1",
                    subnetIds: ["a", "b"],
                    clientSecurityGroupId: "sg-tasks",
                    cacheName: "shop-production",
                    ha: true,
                }),
        );
        const group = one(run, "aws:elasticache/replicationGroup:ReplicationGroup", "cache-cache");
        expect(group.inputs).to.deep.include({
            engine: "valkey",
            transitEncryptionEnabled: true,
            atRestEncryptionEnabled: true,
            numCacheClusters: 2,
            multiAzEnabled: true,
            automaticFailoverEnabled: true,
            nodeType: "cache.t4g.small",
            replicationGroupId: "shop-production",
        });
        expect(group.secretInputs).to.include("authToken");
        expect(group.inputs.engineVersion)
            .to.equal(aws.VALKEY_VERSION)
            .and.match(/^[7-9]\.\d+$/); // the provider's Valkey version rule
        expect(group.inputs.parameterGroupName, "the engine's default parameter group").to.equal(undefined);
        expect((one(run, "aws:ec2/securityGroup:SecurityGroup", "cache-access").inputs.ingress as any[])[0]).to.deep.include({
            fromPort: 6379,
            securityGroups: ["sg-tasks"],
        });
    });

    it("Monitoring: topic policy before the budget, ALB 5xx ratio and p95, PagerDuty endpoint secret", async () => {
        const run = await record(
            () =>
                new aws.Monitoring("ops", {
                    budgetAmount: 100,
                    accountId: "123456789012",
                    emails: ["ops@example.com"],
                    alerts: "full",
                    services: [{ loadBalancer: "app/x/1" }],
                    pagerDutyServiceKey: "pd-key",
                }),
        );
        const budget = one(run, "aws:budgets/budget:Budget", "ops-budget");
        expect((budget.inputs.notifications as any[]).map((n) => `${n.threshold}% ${n.notificationType}`)).to.deep.equal([
            "50% ACTUAL",
            "90% ACTUAL",
            "100% FORECASTED",
        ]);
        expect(budget.dependencies).to.include(one(run, "aws:sns/topicPolicy:TopicPolicy", "ops-alerts-policy").urn);
        expect(
            ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")
                .map((a) => a.name)
                .sort(),
        ).to.deep.equal(["ops-errors", "ops-latency"]);
        const errors = one(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "ops-errors");
        expect((errors.inputs.metricQueries as any[]).filter((q) => q.metric).map((q) => q.metric.metricName)).to.deep.equal([
            "HTTPCode_Target_5XX_Count",
            "HTTPCode_ELB_5XX_Count",
            "RequestCount",
        ]);
        const pager = one(run, "aws:sns/topicSubscription:TopicSubscription", "ops-pagerduty");
        expect(pager.inputs.protocol).to.equal("https");
        expect(pager.secretInputs).to.include("endpoint");
        expect(JSON.stringify(run.resources)).not.to.include("pd-key");
    });

    it("Monitoring refuses more email subscribers than AWS Budgets takes per notification (10)", async () => {
        const emails = Array.from({ length: 11 }, (_, i) => `ops${i}@example.com`);
        await expectRejected(
            () => new aws.Monitoring("ops", { budgetAmount: 100, accountId: "1", emails }),
            /Monitoring\(ops\)\.emails = "11 addresses": at most 10/,
        );
    });
});

describe("AWS stacks through the offline plan", function () {
    this.timeout(60000);

    it("a library program with a name AWS refuses exits 2 naming the argument, the value and what is allowed; its look-alike plans", async () => {
        const fixture = path.join(ROOT, "tests", "fixtures", "aws-names-project");
        const run = (...config: string[]) => cliIn(ROOT, {}, "--cwd", fixture, "--stack", "dev", ...config.flatMap((c) => ["--config", c]));
        const [repository, fn] = await Promise.all([run("repositoryName=My Repo!"), run("functionName=has space")]);
        for (const bad of [repository, fn]) expect(bad.code, bad.stderr).to.equal(2);
        expect(repository.stderr).to.include('Registry(images).repositoryName = "My Repo!": 2-256 lowercase letters and digits');
        expect(fn.stderr)
            .to.include('FunctionService(web).functionName = "has space": 1-64 letters, digits, hyphens and underscores')
            .and.not.match(/\n\s+at /);
        const good = await cliIn(ROOT, {}, "--cwd", fixture, "--stack", "dev", "--json");
        // Planned (exit 1 is the pack's budget and image policies on this bare program, not its names).
        expect(good.code, good.stderr).to.equal(1);
        expect(good.stderr).not.to.include("Invalid arguments");
        expect(JSON.parse(good.stdout).resources.find((r: { type: string }) => r.type === FN).inputs.name).to.equal("shop-dev");
    });

    it("the GCP-shaped solo stack file plans on AWS, saying which of its keys the AWS stack ignores (the other cloud's account)", async () => {
        const { document, diagnostics } = await planStack("solo", { "runway:cloud": "aws", "aws:region": "us-east-1" });
        expect(document.resources.map((r) => r.type)).to.include(FN);
        expect(diagnostics.join("\n"))
            .to.include("runway:billingAccount applies to gcp only: ignored on aws")
            .and.match(/gcp:project, gcp:region, .* configure the gcp provider, which a aws stack does not use: ignored/);
    });

    it("more alert emails than AWS Budgets takes are refused by config, before any resource", () => {
        const emails = JSON.stringify(Array.from({ length: 11 }, (_, i) => `ops${i}@example.com`));
        expect(() => resolveStack(rawConfig({ ...AWS, "runway:alertEmails": emails }))).to.throw(
            /runway:alertEmails = "11 addresses": at most 10 on AWS/,
        );
    });

    it("solo runs on Lambda with no VPC, no load balancer, no NAT, and idles at ≤ $1/month with nothing unpriced", async () => {
        const { document } = await planStack("solo", AWS);
        const types = document.resources.map((r) => r.type);
        expect(types)
            .to.include(FN)
            .and.not.include(ECS)
            .and.not.include(LB)
            .and.not.include("aws:ec2/vpc:Vpc")
            .and.not.include("aws:ec2/natGateway:NatGateway");
        expect(document.cost.idleMonthly).to.be.at.most(1);
        expect(document.cost.unpriced).to.deep.equal([]);
        expect(document.outputs).to.deep.include({ functionName: "app-solo", aliasName: "live" });
    });

    it("production's three NAT addresses are 3 of a region's default 5 Elastic IPs: the plan says so (advisory); staging's one is not", async () => {
        const quota = async (stack: string, config: Record<string, string>) =>
            (await planStack(stack, config)).document.deployability.filter((f) => f.policy === "regional-quota");
        const production = await quota("production", AWS);
        expect(production.map((f) => [f.level, f.urn!.split("::").pop()])).to.deep.equal([["advisory", "network-nat-0"]]);
        expect(production[0].message).to.include("takes 3 of the 5 Elastic IP addresses a region (us-east-1) has by default");
        expect(await quota("staging", AWS_STAGING)).to.deep.equal([]);
    });

    it("staging and production: Fargate in private subnets behind an internet-facing ALB; the estimate prices the ALB, public IPv4 and WAF", async () => {
        const staging = (await planStack("staging", AWS_STAGING)).document;
        const production = (await planStack("production", AWS)).document;
        for (const [doc, zones] of [
            [staging, 2],
            [production, 3],
        ] as const) {
            const lb = doc.resources.find((r) => r.type === LB)!;
            expect(lb.inputs.internal).to.equal(false);
            expect(lb.inputs.subnets).to.have.length(zones);
            const svc = doc.resources.find((r) => r.type === ECS)!;
            expect((svc.inputs.networkConfiguration as any).assignPublicIp).to.equal(false);
            const dims = doc.cost.lines.map((l) => l.dimension);
            expect(dims).to.include("application load balancer hours").and.include(`${zones} public IPv4 address(es), one per zone`);
            expect(doc.cost.unpriced).to.deep.equal([]);
        }
        expect(production.cost.lines.filter((l) => l.type === "aws:wafv2/webAcl:WebAcl").map((l) => l.dimension)).to.deep.equal([
            "web ACL",
            "4 rule(s) / managed rule group(s)",
            "requests inspected",
        ]);
        expect(production.resources.find((r) => r.type === ECS)!.inputs.desiredCount).to.equal(2);
        expect(production.resources.find((r) => r.type === LB)!.inputs.enableDeletionProtection).to.equal(true);
        const stagingSg = staging.resources.find(
            (r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === "network-load-balancer",
        )!;
        expect((stagingSg.inputs.ingress as any[]).flatMap((i) => i.cidrBlocks)).to.deep.equal(["203.0.113.0/24", "203.0.113.0/24"]);
    });

    it("staging and production: the container keeps idle connections longer than the load balancer's idle timeout (no 502 on reuse)", async () => {
        for (const [stack, extra] of FARGATE_STACKS) {
            const { document } = await planStack(stack, extra);
            const idle = Number(document.resources.find((r) => r.type === LB)!.inputs.idleTimeout);
            const task = document.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!;
            const env: { name: string; value: string }[] = JSON.parse(String(task.inputs.containerDefinitions))[0].environment;
            expect(Number(env.find((e) => e.name === aws.KEEP_ALIVE_ENV)!.value), stack).to.be.above(idle);
        }
        await expectRejected(
            () => new aws.Service("web", { image: "x", timeoutSeconds: 4001, ...NET }),
            /Service\(web\)\.timeoutSeconds = 4001: 1-4000 seconds/,
        );
    });

    it("each tier's budget covers its estimate (the policy passes on real figures)", async () => {
        for (const [stack, extra] of [
            ["solo", AWS],
            ["staging", AWS_STAGING],
            ["production", AWS],
        ] as const) {
            const { document } = await planStack(stack, extra);
            const budget = Number(document.resources.find((r) => r.type === "aws:budgets/budget:Budget")!.inputs.limitAmount);
            expect(document.cost.usageMonthly, stack).to.be.below(budget);
            expect(
                document.policies.filter((v) => v.level === "mandatory"),
                stack,
            ).to.deep.equal([]);
        }
    });

    it("two stacks of one project in one account: no account-unique name collides, and neither owns the account's OIDC provider", async () => {
        const provider = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        const staging = (await planStack("staging", AWS_STAGING)).document;
        const production = (await planStack("production", AWS)).document;
        const UNIQUE: Record<string, string[]> = {
            "aws:ecr/repository:Repository": ["name"],
            "aws:ecs/cluster:Cluster": ["name"],
            "aws:cloudwatch/logGroup:LogGroup": ["name"],
            "aws:ssm/parameter:Parameter": ["name"],
            "aws:secretsmanager/secret:Secret": ["name"],
            "aws:lambda/function:Function": ["name"],
            "aws:elasticache/replicationGroup:ReplicationGroup": ["replicationGroupId"],
            "aws:ecs/taskDefinition:TaskDefinition": ["family"],
        };
        const names = (doc: typeof staging) =>
            doc.resources.flatMap((r) => (UNIQUE[r.type] ?? []).map((f) => `${r.type} ${String(r.inputs[f])}`));
        const shared = names(staging).filter((n) => names(production).includes(n));
        expect(shared).to.deep.equal([]);
        for (const [stack, doc] of [
            ["staging", staging],
            ["production", production],
            ["solo", (await planStack("solo", AWS)).document],
        ] as const) {
            expect(
                doc.resources.filter((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider"),
                `${stack}: the bootstrap owns the account's provider`,
            ).to.deep.equal([]);
            const role = doc.resources.find((r) => r.type === "aws:iam/role:Role" && r.name.startsWith("ci-deploy-"))!;
            expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Principal.Federated, stack).to.equal(provider);
        }
    });

    it("the CI identity looks the account's provider up by ARN (the one derived, or runway:awsOidcProviderArn) and says to run the bootstrap when it is missing", async () => {
        /** Runs a CiIdentity under SDK mocks whose provider lookup answers `lookup`; returns the ARNs looked up and the trusted ARN (or the error). */
        const run = async (lookup: (arn: string) => Record<string, unknown>, extra: Partial<aws.CiIdentityArgs> = {}) => {
            const looked: string[] = [];
            const types: string[] = [];
            await pulumi.runtime.setMocks(
                {
                    newResource: (a) => {
                        types.push(a.type);
                        return { id: `${a.name}-id`, state: { ...a.inputs, arn: `arn:aws:iam::123456789012:role/${a.name}` } };
                    },
                    call: (a) => {
                        if (a.token === "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider") {
                            looked.push(a.inputs.arn);
                            return lookup(a.inputs.arn);
                        }
                        if (a.token === "aws:index/getCallerIdentity:getCallerIdentity") return { accountId: "123456789012" };
                        if (a.token === "aws:index/getPartition:getPartition") return { partition: "aws" };
                        return a.inputs;
                    },
                },
                "test",
                "test",
                true,
            );
            const ci = new aws.CiIdentity("ci", {
                owner: "acme",
                repo: "shop",
                repositoryId: "4242",
                targets: [{ name: "production", environment: "production" }],
                repositoryArns: ["arn:aws:ecr:us-east-1:123456789012:repository/shop"],
                services: [{ functionArn: "arn:aws:lambda:us-east-1:123456789012:function:shop" }],
                ...extra,
            });
            const trusted = await (ci.providerArn as any).promise().catch((e: unknown) => e);
            return { looked, trusted, types };
        };
        const derived = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        const found = await run((arn) => ({ arn, url: "token.actions.githubusercontent.com" }));
        expect(found.looked).to.deep.equal([derived]);
        expect(found.trusted).to.equal(derived);
        expect(found.types).not.to.include("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        const given = "arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        expect((await run((arn) => ({ arn }), { existingProviderArn: given })).looked).to.deep.equal([given]);
        // The engine answers a failed invoke over gRPC: the SDK rethrows its `details`.
        const missing = await run(() => {
            throw Object.assign(new Error(), { details: "reading IAM OIDC Provider: NoSuchEntity: OpenIDConnect Provider not found" });
        });
        expect(RunwayInputError.isInstance(missing.trusted)).to.equal(true);
        expect(String(missing.trusted)).to.match(
            /run the AWS bootstrap once per account \(it creates it\), or set runway:awsOidcProviderArn/,
        );
        expect(String(missing.trusted)).to.include(derived).and.include("NoSuchEntity");
    });

    it("no IAM condition compares a wildcard with StringEquals, and the deploy role is scoped to this service", async () => {
        for (const [stack, extra] of [
            ["solo", AWS],
            ["production", AWS],
        ] as const) {
            const { document } = await planStack(stack, extra);
            for (const { where, doc } of policyDocuments(document.resources)) {
                for (const statement of doc.Statement) {
                    const equals = JSON.stringify(statement.Condition?.StringEquals ?? {});
                    expect(equals, where).not.to.include("*");
                }
            }
        }
        const { document } = await planStack("production", AWS);
        const deploy = JSON.parse(
            String(
                document.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "ci-deploy-production")!.inputs
                    .policy,
            ),
        );
        expect(deploy.Statement[2].Resource).to.match(/^arn:aws:ecs:us-east-1:123456789012:service\/app-production\/app-production$/);
        expect(deploy.Statement[4].Resource).to.deep.equal([
            "arn:aws:iam::123456789012:role/app-execution-offline",
            "arn:aws:iam::123456789012:role/app-task-offline",
        ]);
    });

    it("keeps secrets out of plain text and protects production's data, which stays changeable", async () => {
        const secret = { "runway:secrets": JSON.stringify({ API_KEY: "sentinel-aws-key" }) };
        const { document } = await planStack("production", { ...AWS, "runway:database": "managed", "runway:cache": "managed" }, secret);
        expect(JSON.stringify(document)).not.to.include("sentinel-aws-key");
        for (const type of [
            "aws:ecr/repository:Repository",
            "aws:secretsmanager/secret:Secret",
            "aws:rds/instance:Instance",
            "aws:elasticache/replicationGroup:ReplicationGroup",
        ]) {
            for (const r of document.resources.filter((x) => x.type === type)) expect(r.protect, `${type} ${r.name}`).to.equal(true);
        }
        for (const r of document.resources.filter((x) => x.type === "aws:secretsmanager/secretVersion:SecretVersion"))
            expect(r.protect, r.name).to.equal(false);
        const db = document.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
        expect(db.inputs).to.deep.include({
            multiAz: true,
            deletionProtection: true,
            storageEncrypted: true,
            publiclyAccessible: false,
            backupRetentionPeriod: 30,
        });
        // Changing runway:databaseVersion must upgrade in place (protected data, still changeable): RDS needs the flag for a major version.
        expect(db.inputs).to.deep.include({ engineVersion: "16", allowMajorVersionUpgrade: true });
        expect(db.inputs.finalSnapshotIdentifier).to.match(/^database-final-[0-9a-f]+$/);
        const [container] = JSON.parse(
            String(document.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!.inputs.containerDefinitions),
        );
        expect(container.secrets.map((s: any) => s.name).sort()).to.deep.equal(["API_KEY", "DATABASE_URL", "REDIS_URL"]);
        expect(document.resources.find((r) => r.type === "aws:secretsmanager/secret:Secret")!.inputs.recoveryWindowInDays).to.equal(30);
    });

    it("the ECS task definition and service wait for every secret value they read (Secrets Manager versions after RDS and ElastiCache; SSM parameters)", async () => {
        const secret = { "runway:secrets": JSON.stringify({ API_KEY: "sentinel-aws-key" }) };
        for (const [stack, extra, holder] of [
            ["production", AWS, "aws:secretsmanager/secretVersion:SecretVersion"],
            ["staging", AWS_STAGING, "aws:ssm/parameter:Parameter"],
        ] as const) {
            const { document } = await planStack(stack, { ...extra, "runway:database": "managed", "runway:cache": "managed" }, secret);
            const values = document.resources.filter((r) => r.type === holder);
            expect(values.map((v) => v.name).sort(), stack).to.deep.equal(
                ["secrets-api-key", "secrets-database-url", "secrets-redis-url"].map((n) =>
                    holder.includes("secretVersion") ? `${n}-version` : n,
                ),
            );
            for (const type of ["aws:ecs/taskDefinition:TaskDefinition", ECS]) {
                const reader = document.resources.find((r) => r.type === type)!;
                for (const v of values) expect(reader.dependencies, `${stack}: ${type} waits for ${v.name}`).to.include(v.urn);
            }
            expect(
                document.deployability.filter((f) => f.policy === "secret-read-before-written"),
                stack,
            ).to.deep.equal([]);
            // DATABASE_URL's value waits for the database (RDS Multi-AZ takes 10-20 minutes), so the service does too.
            const dbValue = values.find((v) => v.name.startsWith("secrets-database-url"))!;
            const rds = document.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
            expect(Object.values(dbValue.propertyDependencies).flat(), stack).to.include(rds.urn);
        }
        const solo = (await planStack("solo", AWS, secret)).document;
        const parameter = solo.resources.find((r) => r.type === "aws:ssm/parameter:Parameter")!;
        expect(solo.resources.find((r) => r.type === FN)!.dependencies, "Lambda reads SSM at start").to.include(parameter.urn);
    });

    it("production's WAF counts SizeRestrictions_BODY (uploads over 8 KB pass) and keeps SQLi and known-bad-inputs blocking", async () => {
        const { document } = await planStack("production", AWS);
        const acl = document.resources.find((r) => r.type === "aws:wafv2/webAcl:WebAcl")!;
        const statements = (acl.inputs.rules as any[]).map((r) => [r.name, r.statement.managedRuleGroupStatement?.ruleActionOverrides]);
        expect(statements).to.deep.equal([
            ["AWSManagedRulesCommonRuleSet", [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]],
            ["AWSManagedRulesKnownBadInputsRuleSet", undefined],
            ["AWSManagedRulesSQLiRuleSet", undefined],
            ["rate-limit-per-ip", undefined],
        ]);
    });

    it("budget notifications reach each alert address exactly once (no direct email plus SNS email subscription); duplicates are refused", async () => {
        const emails = ["ops@example.com", "oncall@example.com"];
        const { document } = await planStack("production", { ...AWS, "runway:alertEmails": JSON.stringify(emails) });
        const snsEmails = document.resources
            .filter((r) => r.type === "aws:sns/topicSubscription:TopicSubscription" && r.inputs.protocol === "email")
            .map((r) => r.inputs.endpoint);
        expect(snsEmails.sort(), "the alarms still mail everyone through the topic").to.deep.equal([...emails].sort());
        const budget = document.resources.find((r) => r.type === "aws:budgets/budget:Budget")!;
        const notifications = budget.inputs.notifications as any[];
        expect(notifications).to.have.length(3);
        for (const n of notifications) {
            const viaTopic = (n.subscriberSnsTopicArns ?? []).length > 0 ? snsEmails : [];
            const deliveries = [...(n.subscriberEmailAddresses ?? []), ...viaTopic];
            for (const address of emails)
                expect(
                    deliveries.filter((d) => d === address),
                    `${address} at ${n.threshold} %`,
                ).to.have.length(1);
        }
        expect(JSON.stringify(document.resources.find((r) => r.type === "aws:sns/topicPolicy:TopicPolicy")!.inputs.policy)).not.to.include(
            "budgets.amazonaws.com",
        );
        await expectRejected(
            () => new aws.Monitoring("ops", { budgetAmount: 10, emails: ["ops@example.com", "OPS@example.com"] }),
            /Monitoring\(ops\)\.emails = "OPS@example.com": each address once/,
        );
    });

    it("RDS grows its storage automatically up to a ceiling (10 × the allocated 20 GB), which the estimate and the plan text name (review item 8)", async () => {
        const data = { ...AWS, "runway:database": "managed" };
        const { document } = await planStack("production", data);
        const rds = document.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
        // RDS autoscales storage only with MaxAllocatedStorage set (USER_PIOPS.Autoscaling); at 20 GB full it stops writes.
        expect(rds.inputs).to.deep.include({ allocatedStorage: 20, maxAllocatedStorage: 200, storageType: "gp3" });
        const storage = document.cost.lines.find((l) => l.type === "aws:rds/instance:Instance" && l.dimension.includes("GB gp3"))!;
        expect(storage.dimension).to.equal("20 GB gp3 Multi-AZ (autoscaling: at most 200 GB)");
        const run = await cli(
            "--stack",
            "production",
            "--config",
            "runway:cloud=aws",
            "--config",
            "aws:region=us-east-1",
            "--config",
            "runway:database=managed",
        );
        expect(run.stdout).to.include("20 GB, grows to at most 200 GB");
        const custom = (await planStack("production", { ...data, "runway:databaseMaxDiskGb": "1000" })).document;
        expect(custom.resources.find((r) => r.type === "aws:rds/instance:Instance")!.inputs.maxAllocatedStorage).to.equal(1000);
    });

    it("the ElastiCache engine pin stays what runs: Valkey major.minor with AWS's minor-version upgrades off (no replacement after an AWS upgrade)", async () => {
        const { document } = await planStack("production", { ...AWS, "runway:cache": "managed" });
        const group = document.resources.find((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup")!;
        expect(group.inputs).to.deep.include({ engine: "valkey", engineVersion: "8.0", autoMinorVersionUpgrade: false });
        expect(String(group.inputs.engineVersion)).to.match(/^[7-9]\.\d+$/); // the provider's Valkey format
    });

    it("the issue's production plan text shows it: the task definition waits for the secret versions and is kept, the WAF counts large bodies, the ALB protection follows runway:protect, no OIDC provider", async () => {
        const args = ["--stack", "production", "--config", "runway:cloud=aws", "--config", "aws:region=us-east-1"];
        const data = ["--config", "runway:database=managed", "--config", "runway:cache=managed"];
        const run = await cli(...args, ...data);
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout)
            .to.match(
                /TaskDefinition {2}app-task {2}\([^)]*kept when replaced \(skipDestroy\); waits for secrets-database-url-version, secrets-redis-url-version/,
            )
            .and.to.match(/ecs\/service:Service {2}app-service {2}\(waits for [^)]*secrets-database-url-version, secrets-redis-url-version/)
            .and.to.include(
                "AWSManagedRulesCommonRuleSet (counts SizeRestrictions_BODY); AWSManagedRulesKnownBadInputsRuleSet; AWSManagedRulesSQLiRuleSet",
            )
            .and.to.match(/LoadBalancer {2}app-lb {2}\(internet-facing; deletion protection/)
            .and.to.include("valkey 8.0; cache.t4g.small; pinned minor")
            .and.to.include("500.00 USD/month; notifies 1 email(s) directly, 0 topic(s)")
            .and.not.to.include("openIdConnectProvider");
        const down = await cli(...args, "--config", "runway:protect=false");
        expect(down.code, "protected-production-data fails until relaxed on purpose").to.equal(1);
        expect(down.stdout).to.match(/LoadBalancer {2}app-lb {2}\(internet-facing; no deletion protection/);
    });

    it("production without runway:domain is refused by name (it would be plain HTTP on the internet) unless runway:allowPlainHttp accepts it", async () => {
        const args = ["--stack", "production", "--config", "runway:cloud=aws", "--config", "aws:region=us-east-1"];
        const refused = await cli(...args, "--config", "runway:domain=");
        expect(refused.code, refused.stderr).to.equal(2);
        expect(refused.stdout).to.equal("");
        expect(refused.stderr)
            .to.include("runway:domain = (not set): a domain such as app.example.com: tier production serves its load balancer over HTTPS")
            .and.to.include("or set runway:allowPlainHttp true")
            .and.not.match(/\n\s+at /);
        const { document } = await planStack("production", { ...AWS, "runway:domain": "", "runway:allowPlainHttp": "true" });
        const listeners = document.resources.filter((r) => r.type === "aws:lb/listener:Listener");
        expect(listeners.map((l) => [l.name, l.inputs.protocol])).to.deep.equal([["app-http", "HTTP"]]);
        expect(document.resources.some((r) => r.type === "aws:acm/certificate:Certificate")).to.equal(false);
    });

    it("with runway:domain, staging and production serve HTTPS with an ACM certificate and redirect HTTP (no plain-HTTP forward)", async () => {
        for (const [stack, extra] of FARGATE_STACKS) {
            const { document } = await planStack(stack, { ...extra, "runway:domain": "app.example.com" });
            const listeners = document.resources.filter((r) => r.type === "aws:lb/listener:Listener");
            expect(listeners.map((l) => `${l.name} ${l.inputs.protocol}`).sort(), stack).to.deep.equal([
                "app-http HTTP",
                "app-https HTTPS",
            ]);
            const http = listeners.find((l) => l.inputs.protocol === "HTTP")!;
            expect(
                (http.inputs.defaultActions as { type: string }[]).map((a) => a.type),
                `${stack}: HTTP only redirects`,
            ).to.deep.equal(["redirect"]);
            const certificate = document.resources.find((r) => r.type === "aws:acm/certificate:Certificate")!;
            expect(certificate.inputs, stack).to.deep.include({ domainName: "app.example.com", validationMethod: "DNS" });
        }
    });

    it("task definitions survive replacement (skipDestroy): CI's rollback target stays ACTIVE", async () => {
        for (const [stack, extra] of FARGATE_STACKS) {
            const { document } = await planStack(stack, extra);
            expect(document.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!.inputs.skipDestroy, stack).to.equal(
                true,
            );
        }
    });

    it("production with runway:protect=false plans destroyable: no deletion protection, no protect option, ECR force-delete; the final snapshot stays", async () => {
        const config = { ...AWS, "runway:database": "managed", "runway:cache": "managed" };
        const protectedPlan = (await planStack("production", config)).document;
        const down = (await planStack("production", { ...config, "runway:protect": "false" })).document;
        const lb = (d: typeof down) => d.resources.find((r) => r.type === LB)!;
        expect(lb(protectedPlan).inputs.enableDeletionProtection).to.equal(true);
        expect(lb(down).inputs.enableDeletionProtection).to.equal(false);
        const db = down.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
        expect(db.inputs).to.deep.include({ deletionProtection: false, skipFinalSnapshot: false });
        expect(db.inputs.finalSnapshotIdentifier).to.match(/^database-final-[0-9a-f]+$/);
        expect(down.resources.find((r) => r.type === "aws:ecr/repository:Repository")!.inputs.forceDelete).to.equal(true);
        expect(down.resources.filter((r) => r.protect).map((r) => `${r.type} ${r.name}`)).to.deep.equal([]);
        // The production-data rule says how to let this `up` through on purpose.
        const verdicts = down.policies.filter((v) => v.policy === "protected-production-data" && v.message.includes("is not protected"));
        expect(verdicts.length).to.be.greaterThan(0);
        for (const v of verdicts) expect(v.message).to.include('"protected-production-data": "advisory"');
    });

    it("the production image is pushed with a content tag, and ignoreImageChanges leaves CI's deployments alone", async () => {
        const { document } = await planStack("production", AWS);
        const build = document.resources.find((r) => r.type === "docker:index/image:Image")!;
        expect(String(build.inputs.imageName)).to.match(/app-production:src-[0-9a-f]{12}$/);
        expect(document.resources.find((r) => r.type === ECS)!.ignoreChanges).to.include("taskDefinition");
        const solo = (await planStack("solo", AWS)).document;
        expect(solo.resources.find((r) => r.type === FN)!.ignoreChanges).to.deep.equal(["imageUri"]);
        expect(solo.resources.find((r) => r.type === "aws:lambda/alias:Alias")!.ignoreChanges).to.deep.equal(["functionVersion"]);
    });
});

describe("AWS config: every shared key applies or is refused by name", () => {
    const problems = (values: Record<string, string | undefined>) => {
        try {
            resolveStack(rawConfig({ "runway:image": undefined, ...values })); // build app/ unless a test names an image
        } catch (err) {
            expect(RunwayInputError.isInstance(err)).to.equal(true);
            return (err as Error).message;
        }
        return "";
    };
    const settings = (values: Record<string, string | undefined>) =>
        resolveStack(rawConfig({ ...AWS, "runway:image": undefined, ...values })).aws!;

    it("needs aws:region and no GCP keys; refuses IAP", () => {
        expect(problems({ "runway:cloud": "aws", "gcp:project": undefined, "runway:billingAccount": undefined }))
            .to.match(/aws:region = \(not set\): the AWS region to deploy into/)
            .and.not.match(/gcp:project|billingAccount/);
        expect(problems({ ...AWS, "runway:access": "iap", "runway:iapMembers": JSON.stringify(["user:a@b.co"]) }))
            .to.match(/runway:access = "iap": public on AWS/)
            .and.match(/runway:iapMembers = .*unset on aws \(runway:iapMembers applies to gcp only: IAP is Google Cloud.s/);
        expect(problems({ ...AWS, "aws:region": "us-central1" })).to.match(/aws:region = "us-central1": an AWS region/);
    });

    it("an AWS stack needs someone its budget reaches: runway:alertEmails (or PagerDuty) is required on every tier; GCP's budget mails the billing admins", () => {
        const none = { "runway:alertEmails": "[]" };
        expect(problems({ ...AWS, ...none })).to.match(
            /runway:alertEmails = \[\]: at least one email on AWS: the budget notifies only its SNS topic/,
        );
        expect(
            problems({ ...AWS, ...none, "runway:pagerDutyServiceKey": "k".repeat(32) }),
            "PagerDuty subscribes to the topic",
        ).not.to.include("runway:alertEmails");
        expect(problems({ ...AWS, "runway:alertEmails": JSON.stringify(["ops@example.com"]) })).to.equal("");
        expect(problems(none), "GCP solo").to.equal("");
    });

    it("solo (Lambda): memory, timeout and maxInstances apply; cpu and minInstances > 0 are refused", () => {
        expect(settings({ "runway:memory": "2Gi", "runway:timeoutSeconds": "60", "runway:maxInstances": "5" })).to.deep.include({
            runtime: "lambda",
            memory: 2048,
            timeoutSeconds: 60,
            maxConcurrency: 5,
        });
        expect(settings({}).maxConcurrency).to.equal(undefined);
        const message = problems({
            ...AWS,
            "runway:cpu": "2",
            "runway:minInstances": "1",
            "runway:memory": "64Mi",
            "runway:timeoutSeconds": "1000",
        });
        expect(message)
            .to.match(/runway:cpu = "2": unset on AWS solo \(Lambda\): Lambda allocates CPU in proportion to memory/)
            .and.match(/runway:minInstances = 1: unset on AWS solo/)
            .and.match(/runway:memory = 64: 128-10240 MiB/)
            .and.match(/runway:timeoutSeconds = 1000: 1-900 seconds/);
    });

    it("solo (Lambda): a prebuilt runway:image must be in private ECR in the stack's region (all Lambda runs); Fargate takes any registry", () => {
        const digest = `@sha256:${"a".repeat(64)}`;
        expect(problems({ ...AWS, "runway:image": `docker.io/library/nginx${digest}` })).to.match(
            /runway:image = "docker\.io\/library\/nginx@sha256:a+": an image in a private ECR repository in us-east-1/,
        );
        expect(problems({ ...AWS, "runway:image": `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop${digest}` })).to.match(
            /runway:image = .*in us-east-1/,
        );
        expect(problems({ ...AWS, "runway:image": `123456789012.dkr.ecr.us-east-1.amazonaws.com/shop${digest}` })).to.equal("");
        const staging = { "runway:tier": "staging", "runway:allowedCidrs": JSON.stringify(["10.0.0.0/8"]) };
        expect(problems({ ...AWS, ...staging, "runway:image": `docker.io/library/nginx${digest}` })).to.equal("");
    });

    it("staging/production (Fargate): cpu, memory, min/max instances and timeout apply, checked against Fargate's table", () => {
        const staging = { "runway:tier": "staging", "runway:allowedCidrs": JSON.stringify(["10.0.0.0/8"]) };
        expect(
            settings({
                ...staging,
                "runway:cpu": "2",
                "runway:memory": "8Gi",
                "runway:minInstances": "3",
                "runway:maxInstances": "6",
                "runway:timeoutSeconds": "120",
            }),
        ).to.deep.include({ runtime: "fargate", cpu: 2048, memory: 8192, minTasks: 3, maxTasks: 6, timeoutSeconds: 120 });
        expect(settings(staging)).to.deep.include({ cpu: 512, memory: 1024, minTasks: 1, maxTasks: 4 });
        expect(problems({ ...AWS, ...staging, "runway:cpu": "4", "runway:memory": "8Gi" })).to.equal("");
        expect(problems({ ...AWS, ...staging, "runway:cpu": "0.25", "runway:memory": "4Gi" })).to.match(
            /runway:memory = 4096: 512, 1024 or 2048 MiB for 256 CPU units/,
        );
        expect(problems({ ...AWS, ...staging, "runway:cpu": "3" })).to.match(
            /runway:cpu = "3": a Fargate size in vCPU: 0.25, 0.5, 1, 2, 4, 8 or 16/,
        );
        expect(problems({ ...AWS, ...staging, "runway:minInstances": "0" })).to.match(
            /runway:minInstances = 0: unset on AWS staging \(ECS Fargate\): Fargate cannot scale to zero/,
        );
    });

    it("keys with no AWS meaning are refused by name", () => {
        const message = problems({
            ...AWS,
            "runway:cpuIdle": "true",
            "runway:startupCpuBoost": "false",
            "runway:concurrency": "10",
            "runway:privateEgress": "true",
        });
        for (const key of ["cpuIdle", "startupCpuBoost", "concurrency", "privateEgress"])
            expect(message).to.match(new RegExp(`runway:${key} = .*unset on aws \\(runway:${key} applies to gcp only: `));
        expect(problems({ ...AWS, "runway:database": "managed" })).to.match(/runway:database = "managed": unset on AWS solo \(Lambda\)/);
        expect(
            problems({
                ...AWS,
                "runway:tier": "production",
                "runway:databaseReadReplica": "true",
                "runway:database": "managed",
                "runway:githubReviewers": '["a"]',
            }),
        ).to.match(
            /runway:databaseReadReplica = "true": unset on aws \(runway:databaseReadReplica applies to gcp only: RDS read replicas are not offered yet\)/,
        );
    });

    it("staging is not open to the world: an allow-list, or an explicit public access", () => {
        expect(problems({ ...AWS, "runway:tier": "staging" })).to.match(
            /runway:allowedCidrs = \[\]: at least one range allowed to reach the staging load balancer/,
        );
        expect(problems({ ...AWS, "runway:tier": "staging", "runway:access": "public" })).to.equal("");
        expect(problems({ ...AWS, "runway:tier": "staging", "runway:allowedCidrs": JSON.stringify(["203.0.113.7"]) })).to.match(
            /runway:allowedCidrs = "203.0.113.7": IPv4 ranges/,
        );
    });

    it("the OIDC provider, domain and data shapes come from config; AWS-only keys are refused on GCP", () => {
        const arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        const production = { "runway:tier": "production" };
        expect(
            settings({
                ...production,
                "runway:awsOidcProviderArn": arn,
                "runway:domain": "app.example.com",
                "runway:databaseMachine": "db.m7g.large",
                "runway:databaseVersion": "POSTGRES_17",
                "runway:cacheSizeGb": "3",
            }),
        ).to.deep.include({ oidcProviderArn: arn, domain: "app.example.com", cache: { sizeGb: 3, ha: true } });
        expect(
            settings({
                ...production,
                "runway:domain": "app.example.com",
                "runway:databaseMachine": "db.m7g.large",
                "runway:databaseVersion": "POSTGRES_17",
            }).database,
        ).to.deep.equal({
            instanceClass: "db.m7g.large",
            multiAz: true,
            backupRetentionDays: 30,
            engineVersion: "17",
            storageGb: 20,
            maxStorageGb: 200,
            finalSnapshot: true,
        });
        expect(problems({ ...AWS, "runway:awsOidcProviderArn": "arn:aws:iam::1:role/x" })).to.match(
            /runway:awsOidcProviderArn = "arn:aws:iam::1:role\/x": the ARN of the account's GitHub OIDC provider/,
        );
        expect(problems({ ...AWS, "runway:databaseMachine": "db-f1-micro", "runway:tier": "staging", "runway:access": "public" })).to.match(
            /runway:databaseMachine = "db-f1-micro": an RDS instance class/,
        );
        expect(problems({ "runway:awsOidcProviderArn": arn, "runway:allowedCidrs": JSON.stringify(["10.0.0.0/8"]) }))
            .to.match(
                /runway:awsOidcProviderArn = .*unset on gcp \(runway:awsOidcProviderArn applies to aws only: it names an AWS IAM OIDC provider\)/,
            )
            .and.match(/runway:allowedCidrs = .*unset on gcp/);
        expect(problems({ ...AWS, "runway:domain": "app.example.com" })).to.match(
            /runway:domain = "app.example.com": unset on AWS solo \(Lambda\): a function URL cannot carry a custom domain/,
        );
    });

    it("runway:databaseMaxDiskGb: at least 10% above the allocated storage (RDS refuses less), and only with a managed database", () => {
        const production = { ...AWS, "runway:tier": "production", "runway:domain": "app.example.com", "runway:database": "managed" };
        expect(problems({ ...production, "runway:databaseDiskGb": "100", "runway:databaseMaxDiskGb": "105" })).to.match(
            /runway:databaseMaxDiskGb = 105: 110-65536 GB: RDS storage autoscaling needs a ceiling at least 10% above the allocated 100 GB/,
        );
        expect(problems({ ...production, "runway:databaseDiskGb": "100", "runway:databaseMaxDiskGb": "110" })).to.equal("");
        expect(problems({ ...production, "runway:database": "none", "runway:databaseMaxDiskGb": "300" })).to.match(
            /runway:databaseMaxDiskGb = 300: unset unless runway:database is managed/,
        );
        expect(settings({ ...production, "runway:databaseDiskGb": "50" }).database.maxStorageGb).to.equal(500);
    });

    it("runway:allowPlainHttp is refused where it changes nothing: beside a domain, and on solo's HTTPS-only function URL", () => {
        const production = { ...AWS, "runway:tier": "production" };
        expect(problems({ ...production, "runway:domain": "app.example.com", "runway:allowPlainHttp": "true" })).to.match(
            /runway:allowPlainHttp = true: unset while runway:domain is set/,
        );
        expect(problems({ ...AWS, "runway:allowPlainHttp": "true" })).to.match(
            /runway:allowPlainHttp = true: unset on solo: its function URL serves HTTPS only/,
        );
        expect(problems({ "runway:allowPlainHttp": "true" })).to.match(/runway:allowPlainHttp = "?true"?: unset on gcp/);
    });
});

/**
 * What each pinned action used by an AWS deploy job calls on AWS, read from the actions' sources
 * (aws-actions/amazon-ecr-login: GetAuthorizationToken; aws-actions/amazon-ecs-render-task-definition
 * with task-definition-arn: DescribeTaskDefinition; aws-actions/amazon-ecs-deploy-task-definition:
 * RegisterTaskDefinition (passing the task's roles), UpdateService, DescribeServices to wait for
 * stability). configure-aws-credentials calls only STS (the role's trust policy, not its
 * permissions); actions/download-artifact calls GitHub only. The image scan runs in the scan job,
 * which holds no AWS credential: it pulls nothing from ECR.
 */
/** The IAM actions a deploy job needs, derived from its text by the calls table (rules/trust/calls.ts): every `aws <service> <command>`, `docker push` and `uses:` action. */
function callsOfDeployJob(job: any): string[] {
    const { calls, unknown } = jobCalls(job.steps, "aws");
    expect(unknown, "steps the calls table does not know").to.deep.equal([]);
    return [...calls];
}

describe("AWS delivery: each tier's app repository through the offline plan", function () {
    this.timeout(60000);
    const TIERS = [
        ["solo", AWS, "lambda"],
        ["staging", AWS_STAGING, "ecs"],
        ["production", AWS, "ecs"],
    ] as const;
    const FILE = "github:index/repositoryFile:RepositoryFile";
    const filesOf = (resources: { type: string; inputs: Record<string, unknown> }[]) =>
        Object.fromEntries(resources.filter((r) => r.type === FILE).map((r) => [String(r.inputs.file), String(r.inputs.content)]));

    for (const [tier, config, target] of TIERS) {
        it(`${tier} (${target}): workflows on the workflows branch pass actionlint with zero findings, and every uses: is a 40-hex SHA`, async () => {
            const { document } = await planStack(tier, config);
            const files = filesOf(document.resources);
            expect(Object.keys(files)).to.include(`.github/workflows/deploy-${tier}.yml`);
            if (tier !== "staging")
                expect(Object.keys(files)).to.include.members([
                    ".github/workflows/runway-ci.yml",
                    ".github/workflows/runway-preview.yml",
                    ".github/workflows/runway-pulumi-preview.yml",
                    ".github/dependabot.yml",
                ]);
            const branch = github.workflowsBranch(tier, files);
            expect(document.resources.filter((r) => r.type === FILE).map((r) => r.inputs.branch)).to.satisfy((b: string[]) =>
                b.every((x) => x === branch),
            );
            for (const [file, content] of Object.entries(files)) {
                if (file.startsWith(".github/workflows/")) expect(await actionlint(content, file), file).to.deep.equal([]);
                for (const line of content.split("\n").filter((l) => /^\s*(- )?uses: /.test(l)))
                    expect(line, file).to.match(/uses: [^@\s]+@[0-9a-f]{40} # v/);
            }
            expect(document.outputs.workflowsPullRequestUrl).to.equal(
                `https://github.com/example-org/example-app/compare/main...${branch}?expand=1`,
            );
        });

        it(`${tier} (${target}): the scan job scans the archive the deploy job pushes, and the deploy job deploys the pushed digest`, async () => {
            const { document } = await planStack(tier, config);
            const jobs = parse(filesOf(document.resources)[`.github/workflows/deploy-${tier}.yml`]).jobs;
            expect(jobs.security.permissions).to.deep.equal({ contents: "read" });
            expect(jobs.security.steps.find((s: any) => s.name === "Image scan").run).to.match(/^trivy image --input .* --exit-code 1 /);
            const steps: any[] = jobs.deploy.steps;
            const digest = "${{ steps.push.outputs.digest }}";
            const push = steps.findIndex((s) => s.id === "push");
            expect(steps[push].run).to.include('docker push --quiet "${REPOSITORY}:${IMAGE_TAG}"');
            expect(jobs.deploy.env.REPOSITORY).to.equal(`\${{ vars.${github.AWS_VARIABLES.repository} }}`);
            const deployAt =
                target === "ecs"
                    ? steps.findIndex(
                          (s) =>
                              String(s.uses).startsWith("aws-actions/amazon-ecs-render-task-definition") &&
                              s.with.image === `\${{ vars.${github.AWS_VARIABLES.repository} }}@${digest}`,
                      )
                    : steps.findIndex(
                          (s) =>
                              s.env?.DIGEST === digest && /update-function-code .*--image-uri "\$\{REPOSITORY\}@\$\{DIGEST\}"/.test(s.run),
                      );
            expect(deployAt, "the deploy step uses the pushed digest").to.be.greaterThan(push);
            // Lambda refuses an image index (what build-push-action's default provenance attestation makes): one manifest.
            const build = jobs.security.steps.find((s: any) => String(s.uses).startsWith("docker/build-push-action")).with;
            expect(build).to.include({ provenance: false, sbom: false, push: false });
        });

        it(`${tier} (${target}): the variables the deploy workflow reads are exactly the ones the stack sets, in its environment`, async () => {
            const { document } = await planStack(tier, config);
            const text = filesOf(document.resources)[`.github/workflows/deploy-${tier}.yml`];
            const read = [...new Set([...text.matchAll(/vars\.([A-Z0-9_]+)/g)].map((m) => m[1]))].sort();
            const variableType =
                tier === "solo"
                    ? "github:index/actionsVariable:ActionsVariable"
                    : "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable";
            const set = document.resources.filter((r) => r.type === variableType && r.name.startsWith("github-var-"));
            expect(set.map((r) => String(r.inputs.variableName)).sort()).to.deep.equal(read);
            // Production ships through ECS's canary: the workflow also reads its rollback alarms.
            const canary = target === "ecs" ? canaryPlan(TIER_PROFILES[tier as "staging"].settings) : undefined;
            expect(read).to.deep.equal([...github.variablesFor(target, { release: { canary, dashboard: true } })].sort());
            if (tier !== "solo") expect(set.every((r) => r.inputs.environment === tier)).to.equal(true);
            const value = (n: string) => set.find((r) => r.inputs.variableName === n)!.inputs.value;
            expect(value(github.AWS_VARIABLES.region)).to.equal("us-east-1");
            expect(value(github.AWS_VARIABLES.healthPath)).to.equal("/health");
            expect(value(github.AWS_VARIABLES.roleArn)).to.equal((document.outputs.deployRoleArns as Record<string, string>)[tier]);
            if (target === "ecs") expect(value(github.AWS_VARIABLES.service)).to.equal(document.outputs.serviceName);
            else
                expect([value(github.AWS_VARIABLES.function), value(github.AWS_VARIABLES.alias)]).to.deep.equal([
                    document.outputs.functionName,
                    "live",
                ]);
        });

        it(`${tier} (${target}): the deploy role allows exactly the AWS calls its deploy workflow makes`, async () => {
            const { document } = await planStack(tier, config);
            const job = parse(filesOf(document.resources)[`.github/workflows/deploy-${tier}.yml`]).jobs.deploy;
            const policy = JSON.parse(
                String(
                    document.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === `ci-deploy-${tier}`)!.inputs
                        .policy,
                ),
            );
            const allowed = [...new Set(policy.Statement.flatMap((s: any) => [s.Action].flat()))].sort();
            expect(allowed).to.deep.equal(callsOfDeployJob(job));
        });
    }
});

describe("AWS previewer: read-only pulumi preview of approved pull requests", function () {
    this.timeout(60000);
    const SECRET_READS = /^(ssm:GetParameter|secretsmanager:GetSecretValue|kms:Decrypt)/;

    it("its inline policy reads what a refreshing preview of the planned types reads, secret values only on the stack's own, and writes nothing", () => {
        const types = [
            "aws:ecs/service:Service",
            "aws:ssm/parameter:Parameter",
            "aws:secretsmanager/secretVersion:SecretVersion",
            "aws:ec2/subnet:Subnet",
        ];
        const policy = JSON.parse(
            aws.previewerPolicy(types, {
                parameterPathArn: "arn:aws:ssm:us-east-1:1:parameter/p/s",
                secretArns: ["arn:aws:secretsmanager:us-east-1:1:secret:x"],
            }),
        );
        expect(policy.Statement[0]).to.deep.include({ Resource: "*" });
        const everywhere: string[] = policy.Statement[0].Action;
        expect(everywhere).to.include.members(["ecs:DescribeServices", "ssm:DescribeParameters", "ec2:DescribeAvailabilityZones"]);
        for (const a of everywhere) {
            expect(a).not.to.match(SECRET_READS).and.not.to.include("*");
            expect(a.split(":")[1], a).to.match(/^(Describe|Get|List|View)/);
        }
        expect(policy.Statement.slice(1)).to.deep.equal([
            { Effect: "Allow", Action: ["ssm:GetParameter"], Resource: "arn:aws:ssm:us-east-1:1:parameter/p/s/*" },
            { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: ["arn:aws:secretsmanager:us-east-1:1:secret:x"] },
        ]);
        expect(
            JSON.parse(aws.previewerPolicy(["aws:lambda/function:Function"])).Statement,
            "no secret read without secrets",
        ).to.have.length(1);
    });

    // aws-solo: a solo stack not named after its tier (as runway-iac init names it); the same plan as tests/helpers/trust.ts's.
    for (const [stack, config, target] of [
        ["aws-solo", { "runway:githubReviewers": '["example-reviewer"]' }, "lambda"],
        ["production", AWS, "ecs"],
    ] as const) {
        it(`${stack}: a stack with reviewers creates its previewer, trusted only in its preview environment, and sets the preview job's variables (but the user's backend URL) there`, async () => {
            const { document } = await planStack(stack, config);
            const role = document.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "ci-preview")!;
            const condition = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Condition;
            expect(condition).to.deep.equal({
                StringEquals: {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:repository_id": "2000002",
                    "token.actions.githubusercontent.com:environment": `runway-preview-${stack}`,
                },
            });
            const environment = document.resources.find(
                (r) =>
                    r.type === "github:index/repositoryEnvironment:RepositoryEnvironment" &&
                    r.inputs.environment === `runway-preview-${stack}`,
            )!;
            expect(environment.inputs.reviewers, "someone approves every preview").to.have.length(1);
            expect(environment.inputs).to.include({ canAdminsBypass: false });
            expect(environment.inputs.deploymentBranchPolicy, "pull requests run on their merge ref").to.equal(undefined);
            const policy = JSON.parse(
                String(
                    document.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "ci-preview")!.inputs.policy,
                ),
            );
            expect(policy.Statement[0].Action, "refresh reads of the planned types (tests/trust.test.ts checks them exactly)").to.include(
                "iam:GetRole",
            );
            expect(
                document.resources.filter(
                    (r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && String(r.inputs.role).includes("preview"),
                ),
            ).to.deep.equal([]);

            const preview = String(
                document.resources.find(
                    (r) =>
                        r.type === "github:index/repositoryFile:RepositoryFile" &&
                        r.inputs.file === ".github/workflows/runway-pulumi-preview.yml",
                )!.inputs.content,
            );
            const read = [...new Set([...preview.matchAll(/vars\.([A-Z0-9_]+)/g)].map((m) => m[1]))].sort();
            expect(read).to.deep.equal([...github.previewVariablesFor(target)].sort());
            const set = document.resources.filter(
                (r) =>
                    r.type === "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable" &&
                    r.inputs.environment === `runway-preview-${stack}`,
            );
            expect(set.map((r) => String(r.inputs.variableName)).sort()).to.deep.equal(
                read.filter((v) => v !== github.PREVIEW_VARIABLES.backendUrl),
            );
            const value = (n: string) => set.find((r) => r.inputs.variableName === n)!.inputs.value;
            expect(value(github.AWS_PREVIEW_VARIABLES.roleArn)).to.equal(document.outputs.previewRoleArn);
            expect(value(github.AWS_PREVIEW_VARIABLES.region)).to.equal("us-east-1");
            const job = parse(preview).jobs["pulumi-preview"];
            expect(job.environment).to.equal("runway-preview-${{ matrix.stack }}");
            const auth = job.steps.find((s: any) => s.name === "Authenticate as the read-only previewer");
            expect(auth.uses).to.match(/^aws-actions\/configure-aws-credentials@[0-9a-f]{40}$/);
            expect(await actionlint(preview, "runway-pulumi-preview.yml")).to.deep.equal([]);
        });
    }

    it("a stack without reviewers creates no previewer: no one could approve its previews", async () => {
        for (const [stack, config] of [
            ["staging", AWS_STAGING],
            ["solo", AWS],
        ] as const) {
            const { document } = await planStack(stack, config);
            expect(
                document.resources.filter((r) => r.name === "ci-preview"),
                stack,
            ).to.deep.equal([]);
            expect(document.outputs, stack).not.to.have.property("previewRoleArn");
        }
    });
});

describe("AWS zone counts: one range for the subnet plan and the network", () => {
    it("planSubnets and Network refuse the same counts, naming the key and the range", () => {
        for (const azs of [1, 5]) {
            expect(() => aws.planSubnets("10.0.0.0/16", azs)).to.throw(/azCount = \d: 2 to 4 availability zones/);
            expect(aws.azCountProblems(azs, "Network(n).azCount")).to.deep.equal([
                { key: "Network(n).azCount", value: azs, allowed: "2 to 4 availability zones (a load balancer needs at least two)" },
            ]);
        }
        expect(aws.azCountProblems(3, "k")).to.deep.equal([]);
    });
});

describe("AWS smoke test from inside the VPC (issue #27 item 5)", function () {
    this.timeout(60000);
    /** The function's code as Lambda loads it, with short pauses so failures are quick to test. */
    function handler(): (event: unknown) => Promise<any> {
        const module = { exports: {} as { handler: (event: unknown) => Promise<any> } };
        new Function("exports", "module", "require", aws.SMOKE_HANDLER.replace("PAUSE_MS = 2000", "PAUSE_MS = 5"))(
            module.exports,
            module,
            require,
        );
        return module.exports.handler;
    }
    async function serve(statuses: number[]): Promise<{ url: string; close: () => void; calls: () => number }> {
        let calls = 0;
        const server = http.createServer((_req, res) => {
            res.statusCode = statuses[Math.min(calls++, statuses.length - 1)];
            res.end();
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const { port } = server.address() as { port: number };
        return { url: `http://127.0.0.1:${port}/health`, close: () => server.close(), calls: () => calls };
    }

    it("answers ok only when every task answers 2xx, retrying a task that is still starting", async () => {
        const healthy = await serve([200]);
        const starting = await serve([503, 503, 200]);
        const broken = await serve([500]);
        try {
            const run = handler();
            const good = await run({ targets: [healthy.url, starting.url] });
            expect(good.ok).to.equal(true);
            expect(good.results.map((r: any) => [r.status, r.attempts])).to.deep.equal([
                [200, 1],
                [200, 3],
            ]);
            const bad = await run({ targets: [healthy.url, broken.url] });
            expect(bad.ok).to.equal(false);
            expect(bad.results[1]).to.include({ target: broken.url, error: "HTTP 500", attempts: 5 });
            const refused = await run({ targets: ["http://127.0.0.1:1/health"] });
            expect(refused.ok).to.equal(false);
            expect(refused.results[0].error).to.match(/ECONNREFUSED|fetch failed/);
            expect(await run({ targets: [] })).to.deep.include({ ok: false, error: "no targets" });
            expect(
                (await run({ targets: ["file:///etc/passwd", "https://example.com"] })).ok,
                "plain http to task addresses only",
            ).to.equal(false);
        } finally {
            for (const s of [healthy, starting, broken]) s.close();
        }
    });

    it("the function sits in the load balancer's security group in the private subnets, may only manage its network interfaces and log, and is priced per deploy", async () => {
        const run = await record(
            () =>
                new aws.SmokeTest("smoke", {
                    functionName: "shop-staging-smoke",
                    subnetIds: ["subnet-a", "subnet-b"],
                    securityGroupId: "sg-lb",
                }),
        );
        const fn = one(run, "aws:lambda/function:Function", "smoke-function");
        expect(fn.inputs).to.deep.include({ name: "shop-staging-smoke", runtime: "nodejs22.x", handler: "index.handler", timeout: 60 });
        expect(fn.inputs.vpcConfig).to.deep.include({ subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-lb"] });
        expect((fn.inputs.tags as Record<string, string>)["runway:usage"]).to.equal("per-deploy");
        expect(one(run, "aws:cloudwatch/logGroup:LogGroup", "smoke-logs").inputs).to.deep.include({
            name: "/aws/lambda/shop-staging-smoke",
            retentionInDays: 14,
        });
        const policy = JSON.parse(aws.smokeTestPolicy("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/shop-staging-smoke"));
        const actions = policy.Statement.flatMap((s: any) => [s.Action].flat());
        expect(actions.filter((a: string) => !/^ec2:[A-Za-z]*(NetworkInterface|PrivateIpAddresses|Subnets)s?$/.test(a))).to.deep.equal([
            "logs:CreateLogStream",
            "logs:PutLogEvents",
        ]);
        await expectRejected(
            () => new aws.SmokeTest("smoke", { functionName: "f", subnetIds: [], securityGroupId: "sg", logRetentionDays: 4 }),
            /SmokeTest\(smoke\)\.logRetentionDays = 4/,
        );
    });

    it("staging behind runway:allowedCidrs: the deploy job never calls the load balancer; the function reaches only the service port inside the VPC; the deployer may invoke it and list this cluster's tasks", async () => {
        const { document } = await planStack("staging", AWS_STAGING);
        const byName = (n: string) => document.resources.find((r) => r.name === n)!;
        const fn = byName("smoke-test-function");
        const lb = byName("network-load-balancer");
        expect((lb.inputs.ingress as any[]).map((i) => i.cidrBlocks)).to.deep.equal([["203.0.113.0/24"], ["203.0.113.0/24"]]);
        // The function's only group is the load balancer's, whose egress is the service port to the VPC.
        expect(fn.propertyDependencies.vpcConfig).to.include(lb.urn);
        expect(lb.inputs.egress).to.deep.equal([{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["10.0.0.0/16"] }]);
        const deploy = parse(
            String(document.resources.find((r) => r.inputs.file === ".github/workflows/deploy-staging.yml")!.inputs.content),
        ).jobs.deploy;
        expect(JSON.stringify(deploy)).not.to.match(/\bcurl\b|RUNWAY_SERVICE_URL/);
        const variables = document.resources.filter((r) => r.type === "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable");
        const value = (n: string) => variables.find((v) => v.inputs.variableName === n)?.inputs.value;
        expect(value(github.AWS_VARIABLES.smokeFunction)).to.equal("app-staging-smoke");
        expect(value(github.AWS_VARIABLES.servicePort)).to.equal("8080");
        const policy = JSON.parse(
            String(
                document.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "ci-deploy-staging")!.inputs.policy,
            ),
        );
        const statement = (action: string) => policy.Statement.find((s: any) => [s.Action].flat().includes(action));
        expect(statement("lambda:InvokeFunction").Resource).to.match(/:function:app-staging-smoke$/);
        expect(statement("ecs:ListTasks").Condition).to.deep.equal({
            ArnEquals: { "ecs:cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/app-staging" },
        });
        expect(statement("ecs:DescribeTasks").Resource).to.equal("arn:aws:ecs:us-east-1:123456789012:task/app-staging/*");
        // Priced per deploy (20 a month at 60 s and 128 MB): cents, not the tier's 300,000 requests.
        const lines = document.cost.lines.filter((l) => l.urn === fn.urn);
        expect(lines.map((l) => l.dimension)).to.deep.equal(["invocations (one per deploy)", "duration at 128 MB, whole timeout"]);
        expect(lines.reduce((sum, l) => sum + l.monthly, 0)).to.be.below(0.01);
    });
});
