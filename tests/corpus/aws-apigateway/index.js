"use strict";
const aws = require("@pulumi/aws");
const pulumi = require("@pulumi/pulumi");

const role = new aws.iam.Role("apiFnRole", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } }],
    }),
    managedPolicyArns: [aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole],
});

const fn = new aws.lambda.Function("apiFn", {
    runtime: "nodejs20.x",
    handler: "index.handler",
    role: role.arn,
    code: new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.StringAsset("exports.handler = async () => ({ statusCode: 200, body: 'ok' });"),
    }),
});

const api = new aws.apigateway.RestApi("api", { description: "hello API" });
const resource = new aws.apigateway.Resource("hello", { restApi: api.id, parentId: api.rootResourceId, pathPart: "hello" });
const method = new aws.apigateway.Method("helloGet", { restApi: api.id, resourceId: resource.id, httpMethod: "GET", authorization: "NONE" });
const integration = new aws.apigateway.Integration("helloLambda", {
    restApi: api.id, resourceId: resource.id, httpMethod: method.httpMethod,
    integrationHttpMethod: "POST", type: "AWS_PROXY", uri: fn.invokeArn,
});
new aws.lambda.Permission("apiInvoke", {
    action: "lambda:InvokeFunction", function: fn, principal: "apigateway.amazonaws.com",
    sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
});
const deployment = new aws.apigateway.Deployment("deployment", { restApi: api.id }, { dependsOn: [integration] });
const stage = new aws.apigateway.Stage("prod", { restApi: api.id, deployment: deployment.id, stageName: "prod" });

exports.url = pulumi.interpolate`${stage.invokeUrl}/hello`;
