// A second project composing Runway for more than one service on AWS: an API on ECS Fargate behind
// its load balancer and a webhook receiver on Lambda, each with its own ECR repository, ONE budget
// and ONE CI identity that deploys both. It imports only the package's entry points: runway-iac/aws and
// runway-iac/docker (no @pulumi/gcp needed).
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as aws from "runway-iac/aws";
import * as docker from "runway-iac/docker";

const config = new pulumi.Config();
const stack = pulumi.getStack();
// ECS clusters and services, Lambda functions, log groups and ECR repositories are unique per
// account and region: every name carries the stack, and each service has its own.
const names = { api: aws.awsNames(`shop-api-${stack}`), hooks: aws.awsNames(`shop-hooks-${stack}`) };

/** A repository and an image built from the service's stage of the shared Dockerfile. */
function imageFor(service: "api" | "hooks") {
    const registry = new aws.Registry(`${service}-images`, { repositoryName: names[service].repository, keepCount: 10 });
    const image = new docker.Image(
        service,
        {
            context: "services",
            target: service,
            repository: registry.url,
            tag: docker.contentTag("services", "Dockerfile"),
            ...aws.ecrCredentials(registry.repository.registryId),
        },
        { dependsOn: [registry.repository] },
    );
    return { registry, image };
}

const network = new aws.Network("network", { azCount: 2, nat: "single", servicePort: 3000 });
// The secret webhook senders sign with: generated, stored as an SSM SecureString both services read.
const webhookSecret = new random.RandomPassword("webhook-secret", { length: 32, special: false });
const secrets = new aws.Secrets("secrets", { path: `/shop/${stack}`, values: { WEBHOOK_SECRET: webhookSecret.result } });

const apiImage = imageFor("api");
const api = new aws.Service("api", {
    image: apiImage.image.imageRef,
    tier: "staging",
    serviceName: names.api.service,
    port: 3000,
    healthPath: "/healthz",
    vpcId: network.vpc.id,
    subnetIds: network.privateSubnetIds,
    publicSubnetIds: network.publicSubnetIds,
    securityGroupId: network.serviceSecurityGroupId,
    loadBalancerSecurityGroupId: network.loadBalancerSecurityGroupId,
    egressReady: network.egressReady,
    secretArns: secrets.arns,
    secretPathArn: secrets.pathArn,
    secretsManagerArns: secrets.secretsManagerArns,
});

const hooksImage = imageFor("hooks");
const hooks = new aws.FunctionService("hooks", {
    image: hooksImage.image.imageRef,
    repositoryName: hooksImage.registry.repository.name,
    functionName: names.hooks.function,
    port: 3000,
    healthPath: "/healthz",
    secretsPath: secrets.path,
    secretPathArn: secrets.pathArn,
    secretNames: secrets.names,
});

// One deploy role for main's deploy workflow: push to both repositories, deploy exactly these two services.
const ci = new aws.CiIdentity("ci", {
    owner: config.require("githubOwner"),
    repo: config.require("githubRepo"),
    // The trust is keyed on the repository's immutable ID (gh api repos/OWNER/REPO --jq .id).
    repositoryId: config.require("githubRepositoryId"),
    // Only runs of this workflow file on main, never any other workflow there.
    targets: [{ name: "main", branch: "main", workflow: ".github/workflows/deploy.yml" }],
    repositoryArns: [apiImage.registry.repository.arn, hooksImage.registry.repository.arn],
    services: [{ serviceArn: api.serviceArn, passRoleArns: [api.executionRole.arn, api.taskRole.arn] }, { functionArn: hooks.functionArn }],
});

// One budget for the account; alarms for each service on the same topic.
const ops = new aws.Monitoring("ops", {
    budgetAmount: 150,
    alerts: "service",
    emails: [config.require("alertEmail")],
    services: [
        { serviceName: api.serviceName, clusterName: api.clusterName, loadBalancer: api.loadBalancer.arnSuffix },
        { functionName: hooks.functionName },
    ],
});

export const apiUrl = api.url;
export const hooksUrl = hooks.url;
export const deployRoleArn = ci.roleArns.main;
export const budget = ops.budget.name;
