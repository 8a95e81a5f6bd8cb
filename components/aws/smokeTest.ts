import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { throwIfProblems } from "../../rules/problems";
import { logRetentionProblems } from "../../rules/aws/limits";
import { awsNameProblems } from "../../rules/aws/names";
import { serviceTrustPolicy } from "../../rules/aws/iam";
import { PER_DEPLOY_USAGE_TAG, smokeTestPolicy } from "../../rules/aws/smokeTest";
import { SMOKE_HANDLER } from "./smokeHandler";

export { SMOKE_HANDLER, smokeTestPolicy };

export interface SmokeTestArgs {
    /** Function name: unique per account and region, so include the stack. @example "shop-staging-smoke" */
    readonly functionName: string;
    /** The private subnets the service's tasks run in. */
    readonly subnetIds: pulumi.Input<string>[];
    /**
     * The security group the tasks admit on their port: the load balancer's. Its egress (the service
     * port to the VPC) is all the function can reach.
     */
    readonly securityGroupId: pulumi.Input<string>;
    /** Log retention in days. @default 14 */
    readonly logRetentionDays?: number;
}

/**
 * The deploy job's eyes inside the VPC: a small Lambda function in the service's private subnets and
 * its load balancer's security group that GETs the health path of each new task directly. GitHub's
 * runners cannot reach a load balancer behind `runway:allowedCidrs` (and must not be allow-listed:
 * their addresses are many and shared), so the deploy job asks this function instead
 * (`lambda:InvokeFunction` on it, nothing else). Priced per deploy (tag `runway:usage`).
 *
 * @example
 * const smoke = new aws.SmokeTest("smoke", { functionName: "shop-staging-smoke",
 *     subnetIds: net.privateSubnetIds, securityGroupId: net.loadBalancerSecurityGroupId });
 */
export class SmokeTest extends pulumi.ComponentResource {
    public readonly function: aws.lambda.Function;
    public readonly functionArn: pulumi.Output<string>;
    public readonly functionName: pulumi.Output<string>;

    constructor(name: string, args: SmokeTestArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:SmokeTest", name, {}, opts);
        const retention = args.logRetentionDays ?? 14;
        throwIfProblems(`Invalid arguments for runway:aws:SmokeTest "${name}"`, [
            ...awsNameProblems("lambdaFunction", args.functionName, `SmokeTest(${name}).functionName`),
            ...logRetentionProblems(retention, `SmokeTest(${name}).logRetentionDays`),
        ]);
        const parent = { parent: this };
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/aws/lambda/${args.functionName}`, retentionInDays: retention, tags: { "managed-by": "runway" } },
            parent,
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            { assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"), description: `Runs the smoke test ${args.functionName}` },
            parent,
        );
        const policy = new aws.iam.RolePolicy(`${name}-role`, { role: role.name, policy: logGroup.arn.apply(smokeTestPolicy) }, parent);
        this.function = new aws.lambda.Function(
            `${name}-function`,
            {
                name: args.functionName,
                runtime: "nodejs22.x",
                handler: "index.handler",
                code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(SMOKE_HANDLER) }),
                role: role.arn,
                architectures: ["x86_64"],
                memorySize: 128,
                timeout: 60,
                vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
                tags: { "managed-by": "runway", ...PER_DEPLOY_USAGE_TAG },
            },
            { parent: this, dependsOn: [policy, logGroup] },
        );
        this.functionArn = this.function.arn;
        this.functionName = this.function.name;
        this.registerOutputs({ functionArn: this.functionArn, functionName: this.functionName });
    }
}
