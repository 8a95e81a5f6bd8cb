import * as aws from "@pulumi/aws";
import * as fs from "fs";

const table = new aws.dynamodb.Table("notes", {
    attributes: [{ name: "id", type: "S" }],
    hashKey: "id",
    billingMode: "PAY_PER_REQUEST",
});

const role = new aws.iam.Role("appsyncRole", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "appsync.amazonaws.com" }),
});
new aws.iam.RolePolicy("appsyncTable", {
    role: role,
    policy: table.arn.apply((arn) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: arn }],
    })),
});

const api = new aws.appsync.GraphQLApi("notes", {
    authenticationType: "API_KEY",
    schema: fs.readFileSync("schema.graphql", "utf8"), // relative to the program's folder
});
new aws.appsync.ApiKey("notes", { apiId: api.id });

const source = new aws.appsync.DataSource("notesTable", {
    apiId: api.id,
    name: "notesTable",
    type: "AMAZON_DYNAMODB",
    serviceRoleArn: role.arn,
    dynamodbConfig: { tableName: table.name },
});

new aws.appsync.Resolver("getNote", {
    apiId: api.id,
    type: "Query",
    field: "getNote",
    dataSource: source.name,
    requestTemplate: `{ "version": "2017-02-28", "operation": "GetItem", "key": { "id": $util.dynamodb.toDynamoDBJson($ctx.args.id) } }`,
    responseTemplate: "$util.toJson($ctx.result)",
});

export const endpoint = api.uris;
