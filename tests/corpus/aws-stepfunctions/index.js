import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

// Top-level await: look up the account before declaring anything.
const identity = await aws.getCallerIdentity();
const region = await aws.getRegion();

const role = new aws.iam.Role("sfnRole", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: `states.${region.name}.amazonaws.com` } }],
    }),
});

const worker = new aws.lambda.Function("worker", {
    runtime: "nodejs20.x",
    handler: "index.handler",
    role: role.arn,
    code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("export const handler = async (e) => e;") }),
});

new aws.iam.RolePolicy("sfnInvoke", {
    role: role,
    policy: worker.arn.apply((arn) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: arn }],
    })),
});

const machine = new aws.sfn.StateMachine("pipeline", {
    roleArn: role.arn,
    definition: worker.arn.apply((arn) => JSON.stringify({
        StartAt: "Work",
        States: { Work: { Type: "Task", Resource: arn, End: true } },
    })),
    tags: { account: identity.accountId },
});

export const stateMachineArn = machine.arn;
