import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { eventQueue } from "./lib/queue.js";

// Legacy decorators (experimentalDecorators in this program's tsconfig) get the member name as a
// string; standard decorators would get a context object.
const decoratorStyle: string[] = [];
function traced(_target: unknown, key: unknown) {
    decoratorStyle.push(typeof key === "string" ? "legacy" : "standard");
}
class Handler {
    @traced
    handle() {}
}
void Handler;

const region: string = (await aws.getRegion()).name;
const queue = eventQueue("events");

const role = new aws.iam.Role("consumer", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
});
new aws.iam.RolePolicyAttachment("consumer", { role, policyArn: aws.iam.ManagedPolicy.AWSLambdaSQSQueueExecutionRole });

const consumer = new aws.lambda.Function("consumer", {
    runtime: "nodejs20.x",
    handler: "index.handler",
    role: role.arn,
    code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset("export const handler = async () => {};") }),
    environment: { variables: { REGION: region } },
});
new aws.lambda.EventSourceMapping("consumer", { eventSourceArn: queue.arn, functionName: consumer.name, batchSize: 10 });

export const queueUrl = queue.url;
export const decorators = decoratorStyle[0];
