/** Pure decisions of the AWS smoke test (components/aws/smokeTest.ts): its permissions and how the estimate prices it. */

/** Tag the cost estimate reads: the function runs once per deploy, not once per request. */
export const PER_DEPLOY_USAGE_TAG = { "runway:usage": "per-deploy" } as const;

/**
 * The function's own permissions: the network interfaces Lambda attaches in the VPC (these EC2 calls
 * take no resource-level restriction: AWSLambdaVPCAccessExecutionRole grants them on "*") and writing
 * to its log group. Nothing else: it reads no secret, calls no other service.
 */
export function smokeTestPolicy(logGroupArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "ec2:CreateNetworkInterface",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSubnets",
                    "ec2:DeleteNetworkInterface",
                    "ec2:AssignPrivateIpAddresses",
                    "ec2:UnassignPrivateIpAddresses",
                ],
                Resource: "*",
            },
            { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
        ],
    });
}
