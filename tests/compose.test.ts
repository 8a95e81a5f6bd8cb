// Composing the library for more than one service: list arguments, grants after construction,
// what aws.Secrets hands a service, and Pulumi's own `transforms` option on a component.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as aws from "../components/aws";
import { nthName } from "../components/childNames";
import * as gcp from "../components/gcp";
import { expectRejected, ofType, one, record } from "./helpers/record";

describe("child names of list arguments", () => {
    it("the first entry keeps the plain name, later ones are numbered from 2", () => {
        expect([0, 1, 2].map((i) => nthName("ops-errors", i))).to.deep.equal(["ops-errors", "ops-errors-2", "ops-errors-3"]);
        expect(() => nthName("x", -1)).to.throw(RangeError);
        expect(() => nthName("x", 1.5)).to.throw(RangeError);
    });
});

describe("gcp.Monitoring for several services", () => {
    const base = { project: "acme-test", billingAccount: "012345-6789AB-CDEF01", budgetAmount: 50, emails: ["ops@example.com"] };

    it("one budget for the project, policies per service, each titled with its service", async () => {
        const run = await record(
            () =>
                new gcp.Monitoring("ops", {
                    ...base,
                    alerts: "full",
                    services: [
                        { name: "shop-web", url: "https://shop-web-x.a.run.app" },
                        { name: "shop-api", url: "https://shop-api-x.a.run.app", healthPath: "/ready" },
                    ],
                }),
        );
        expect(ofType(run, "gcp:billing/budget:Budget")).to.have.length(1);
        const policies = ofType(run, "gcp:monitoring/alertPolicy:AlertPolicy")
            .map((p) => `${p.name}: ${p.inputs.displayName}`)
            .sort();
        expect(policies).to.deep.equal([
            "ops-errors-2: Cloud Run 5xx ratio: shop-api",
            "ops-errors: Cloud Run 5xx ratio: shop-web",
            "ops-latency-2: Cloud Run p95 latency: shop-api",
            "ops-latency: Cloud Run p95 latency: shop-web",
            "ops-uptime-2: Cloud Run uptime: shop-api",
            "ops-uptime: Cloud Run uptime: shop-web",
        ]);
        const uptime = ofType(run, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig")
            .map((u: any) => [u.name, u.inputs.monitoredResource.labels.host, u.inputs.httpCheck.path])
            .sort();
        expect(uptime).to.deep.equal([
            ["ops-uptime", "shop-web-x.a.run.app", "/health"],
            ["ops-uptime-2", "shop-api-x.a.run.app", "/ready"],
        ]);
        const filter = (p: any) => JSON.stringify(p.inputs.conditions);
        expect(filter(one(run, "gcp:monitoring/alertPolicy:AlertPolicy", "ops-errors-2"))).to.include('service_name=\\"shop-api\\"');
    });

    it("a budget with no service, and service alerts refused without one", async () => {
        const run = await record(() => new gcp.Monitoring("ops", { ...base, alerts: "budget" }));
        expect(
            run.resources
                .filter((r) => r.custom)
                .map((r) => r.type)
                .sort(),
        ).to.deep.equal(["gcp:billing/budget:Budget", "gcp:monitoring/notificationChannel:NotificationChannel"]);
        await expectRejected(
            () => new gcp.Monitoring("ops", { ...base, alerts: "full", services: [{ name: "a" }] }),
            /Monitoring\(ops\)\.services\[0\]\.url/,
        );
        await expectRejected(() => new gcp.Monitoring("ops", { ...base, alerts: "service" }), /Monitoring\(ops\)\.services = \[\]/);
    });
});

describe("aws.Monitoring for several services", () => {
    it("one budget for the account, alarms per service on the one topic", async () => {
        const run = await record(
            () =>
                new aws.Monitoring("ops", {
                    budgetAmount: 50,
                    accountId: "123456789012",
                    emails: ["ops@example.com"],
                    alerts: "service",
                    services: [{ serviceName: "api", clusterName: "shop", loadBalancer: "app/api/1" }, { functionName: "hooks" }],
                }),
        );
        expect(ofType(run, "aws:budgets/budget:Budget")).to.have.length(1);
        const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
        expect(alarms.map((a) => a.name).sort()).to.deep.equal(["ops-cpu", "ops-errors", "ops-errors-2", "ops-latency", "ops-latency-2"]);
        expect(one(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "ops-latency-2").inputs).to.deep.include({
            namespace: "AWS/Lambda",
            dimensions: { FunctionName: "hooks" },
        });
        expect(one(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "ops-latency").inputs).to.deep.include({
            namespace: "AWS/ApplicationELB",
            dimensions: { LoadBalancer: "app/api/1" },
        });
        const topic = one(run, "aws:sns/topic:Topic", "ops-alerts");
        expect(new Set(alarms.map((a) => JSON.stringify(a.inputs.alarmActions)))).to.have.property("size", 1);
        expect(alarms.every((a) => a.dependencies.length > 0 && a.parent === topic.parent)).to.equal(true);
    });

    it("without accountId, the topic policy names the account the provider deploys to", async () => {
        const run = await record(() => new aws.Monitoring("ops", { budgetAmount: 50 }));
        const policy = JSON.parse(String(one(run, "aws:sns/topicPolicy:TopicPolicy", "ops-alerts-policy").inputs.policy));
        expect(policy.Statement.map((st: any) => st.Condition?.StringEquals?.["aws:SourceAccount"] ?? st.Principal.AWS)).to.deep.equal([
            "123456789012",
            "123456789012",
            "arn:aws:iam::123456789012:root",
        ]);
    });

    it("refuses an entry that watches nothing, or a function mixed with ECS fields", async () => {
        await expectRejected(
            () =>
                new aws.Monitoring("ops", {
                    budgetAmount: 5,
                    accountId: "1",
                    emails: ["a@b.c"],
                    alerts: "service",
                    services: [{}, { functionName: "f", loadBalancer: "app/x/1" }],
                }),
            /services\[0\][\s\S]*services\[1\]\.functionName/,
        );
    });
});

describe("aws.CiIdentity for several services", () => {
    it("each deploy role may push to every listed repository and deploy every listed service, nothing else", async () => {
        const run = await record(
            () =>
                new aws.CiIdentity("ci", {
                    owner: "acme",
                    repo: "shop",
                    repositoryId: "4242",
                    targets: [{ name: "production", environment: "production" }],
                    repositoryArns: [
                        "arn:aws:ecr:us-east-1:123456789012:repository/api",
                        "arn:aws:ecr:us-east-1:123456789012:repository/hooks",
                    ],
                    services: [
                        {
                            serviceArn: "arn:aws:ecs:us-east-1:123456789012:service/shop/api",
                            passRoleArns: ["arn:aws:iam::123456789012:role/api-exec", "arn:aws:iam::123456789012:role/api-task"],
                        },
                        { functionArn: "arn:aws:lambda:us-east-1:123456789012:function:hooks" },
                    ],
                }),
        );
        const policy = JSON.parse(String(one(run, "aws:iam/rolePolicy:RolePolicy", "ci-deploy-production").inputs.policy));
        const resources = policy.Statement.flatMap((s: any) => [s.Resource].flat());
        expect(resources).to.include.members([
            "arn:aws:ecr:us-east-1:123456789012:repository/api",
            "arn:aws:ecr:us-east-1:123456789012:repository/hooks",
            "arn:aws:ecs:us-east-1:123456789012:service/shop/api",
            "arn:aws:lambda:us-east-1:123456789012:function:hooks",
            "arn:aws:iam::123456789012:role/api-exec",
        ]);
        expect(resources.filter((r: string) => r === "*").length).to.equal(2); // GetAuthorizationToken, Describe/RegisterTaskDefinition
    });

    it("refuses an entry with both or neither of serviceArn and functionArn, and no repository", async () => {
        await expectRejected(
            () =>
                new aws.CiIdentity("ci", {
                    owner: "acme",
                    repo: "shop",
                    repositoryId: "4242",
                    targets: [{ name: "solo", branch: "main", workflow: ".github/workflows/deploy-solo.yml" }],
                    repositoryArns: [],
                    services: [{ serviceArn: "arn:s", functionArn: "arn:f" }, { passRoleArns: ["arn:r"] }],
                }),
            /repositoryArns = \[\][\s\S]*services\[0\][\s\S]*services\[1\]/,
        );
    });
});

describe("aws.Secrets hands services what they need to read it", () => {
    it("pathArn is the SSM path in the provider's partition, region and account; names in order", async () => {
        let secrets: aws.Secrets | undefined;
        const run = await record(() => {
            secrets = new aws.Secrets("app", {
                path: "/shop/dev",
                values: { STRIPE_KEY: pulumi.secret("sk"), API_TOKEN: pulumi.secret("t") },
            });
            return { pathArn: secrets.pathArn };
        });
        expect(run.outputs.pathArn).to.equal("arn:aws:ssm:us-east-1:123456789012:parameter/shop/dev");
        expect(secrets!.names).to.deep.equal(["STRIPE_KEY", "API_TOKEN"]);
        expect(secrets!.path).to.equal("/shop/dev");
        // The parameters it reads live under that path.
        expect(
            ofType(run, "aws:ssm/parameter:Parameter")
                .map((p) => p.inputs.name)
                .sort(),
        ).to.deep.equal(["/shop/dev/API_TOKEN", "/shop/dev/STRIPE_KEY"]);
    });
});

describe("gcp.Registry grants after construction", () => {
    it("refuses a key used twice or not name-safe, naming the key", async () => {
        const run = await record(() => {
            const registry = new gcp.Registry("images", { location: "us-central1" });
            registry.grantPull("web", "serviceAccount:a@x.iam.gserviceaccount.com");
            expect(() => registry.grantPull("web", "serviceAccount:b@x.iam.gserviceaccount.com")).to.throw(
                /grantPull\.key = "web": a key not used for this registry yet/,
            );
            expect(() => registry.grantPush("Web Push", "serviceAccount:b@x.iam.gserviceaccount.com")).to.throw(
                /grantPush\.key = "Web Push"/,
            );
        });
        expect(ofType(run, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember").map((r) => r.name)).to.deep.equal([
            "images-reader-web",
        ]);
    });
});

describe("Pulumi's transforms option on a Runway component", () => {
    it("reaches every child: a transform on the component changes a child's inputs and options in the plan", async () => {
        const run = await record(
            () =>
                new gcp.Registry(
                    "images",
                    { location: "us-central1" },
                    {
                        transforms: [
                            ({ type, props, opts }) =>
                                type === "gcp:artifactregistry/repository:Repository"
                                    ? {
                                          props: { ...props, labels: { ...props.labels, team: "payments" } },
                                          opts: { ...opts, protect: true },
                                      }
                                    : undefined,
                        ],
                    },
                ),
        );
        const repository = one(run, "gcp:artifactregistry/repository:Repository", "images-repository");
        expect(repository.inputs.labels).to.deep.equal({ "managed-by": "runway", team: "payments" });
        expect(repository.protect).to.equal(true);
        // The component itself and its other children are left alone.
        expect(one(run, "runway:gcp:Registry", "images").protect).to.equal(false);
    });

    it("runs a resource's own transforms, then its parent's, then the stack's (registerResourceTransform)", async () => {
        const mark =
            (who: string): pulumi.ResourceTransform =>
            ({ type, props, opts }) =>
                type === "gcp:artifactregistry/repository:Repository"
                    ? { props: { ...props, description: `${props.description ?? ""}>${who}` }, opts }
                    : undefined;
        const run = await record(() => {
            pulumi.runtime.registerResourceTransform(mark("stack"));
            return new gcp.Registry("images", { location: "us-central1" }, { transforms: [mark("component-1"), mark("component-2")] });
        });
        expect(one(run, "gcp:artifactregistry/repository:Repository", "images-repository").inputs.description).to.equal(
            "Container images deployed by Runway>component-1>component-2>stack",
        );
    });

    it("a component's transform sees the component and every child, and secrets stay secret through it", async () => {
        const seen: string[] = [];
        const run = await record(
            () =>
                new gcp.Secrets(
                    "app",
                    { prefix: "shop", values: { API_KEY: pulumi.secret("sk-live-123") } },
                    {
                        transforms: [
                            ({ name, props }) => {
                                seen.push(name);
                                return { props, opts: {} };
                            },
                        ],
                    },
                ),
        );
        expect(seen).to.include.members(["app", "app-api-key", "app-api-key-version"]);
        const version = ofType(run, "gcp:secretmanager/secretVersion:SecretVersion")[0];
        expect(version.secretInputs).to.include("secretData");
        expect(JSON.stringify(run.resources)).not.to.include("sk-live-123");
    });
});
