/**
 * Pure decisions for the AWS flavour: tier presets, the subnet plan, IAM policy documents and the
 * ECR lifecycle policy. Resources are created elsewhere; everything here is data in, data out.
 */
import { checkPrivateCidr, formatCidr, parseCidr } from "../../rules/cidr";
import { Problem, throwIfProblems } from "../errors";
import { GITHUB_OIDC_HOST, GithubRepository, awsTrustCondition } from "../../rules/oidc";
import { AWS_SECRET_READS, awsReads } from "../../rules/trust/reads";
import { DOCKER_PUSH_CALLS } from "../../rules/trust/calls";
import type { DeployTarget } from "../../rules/profile";
import { AwsRuntime, AwsTierSettings, NatStrategy } from "../../rules/profile";

export { AwsRuntime, AwsTierSettings, NatStrategy };

/**
 * Names that must be unique in an account (or region): each carries the stack, so staging and
 * production of one project can share an account. `base` is `<service>-<stack>` (≤ 40 characters).
 */
export function awsNames(base: string) {
    return {
        repository: base,
        cluster: base,
        service: base,
        function: base,
        logGroup: (runtime: AwsRuntime) => (runtime === "lambda" ? `/aws/lambda/${base}` : `/runway/${base}`),
        cache: base.slice(0, 40).replace(/-+$/, ""),
        container: "app",
    };
}

/** Splits an IPv4 CIDR into `count` equal subnets of `newBits` more prefix bits, starting at subnet `offset`. */
function split(cidr: string, newBits: number, count: number, offset: number): string[] {
    const { base, prefix } = parseCidr(cidr)!;
    const size = 2 ** (32 - prefix - newBits);
    return Array.from({ length: count }, (_, i) => formatCidr(base + (offset + i) * size, prefix + newBits));
}

/** Availability zones a Runway VPC spans: an Application Load Balancer needs subnets in at least two; the subnet plan fits four. */
export const AZ_COUNT_RANGE = { min: 2, max: 4 } as const;

/** A problem naming `key` when `azCount` is outside `AZ_COUNT_RANGE`. */
export function azCountProblems(azCount: number, key: string): Problem[] {
    const { min, max } = AZ_COUNT_RANGE;
    return Number.isInteger(azCount) && azCount >= min && azCount <= max
        ? []
        : [{ key, value: azCount, allowed: `${min} to ${max} availability zones (a load balancer needs at least two)` }];
}

export interface SubnetPlan {
    readonly public: string[];
    readonly private: string[];
}

/** Problems with a VPC range: a private /16-/24 on its own boundary. */
export function checkVpcCidr(cidr: string, key: string): Problem[] {
    return checkPrivateCidr(cidr, key, 16, 24, "10.0.0.0/16");
}

/**
 * Public subnets take the first eighth of the VPC range, private subnets the second half: each AZ
 * gets one of each, no two overlap, and all fit in the VPC.
 * @example planSubnets("10.0.0.0/16", 2) → public 10.0.0.0/20, 10.0.16.0/20; private 10.0.128.0/19, 10.0.160.0/19
 */
export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan {
    throwIfProblems("Invalid subnet plan", azCountProblems(azCount, "azCount"));
    return { public: split(vpcCidr, 4, azCount, 0), private: split(vpcCidr, 3, azCount, 4) };
}

/** NAT gateways to create and which one each private subnet routes through. */
export function natLayout(strategy: NatStrategy, azCount: number): { gateways: number; routeOf: (az: number) => number | undefined } {
    if (strategy === "none") return { gateways: 0, routeOf: () => undefined };
    if (strategy === "single") return { gateways: 1, routeOf: () => 0 };
    return { gateways: azCount, routeOf: (az) => az };
}

export { GITHUB_OIDC_HOST };

/**
 * Trust policy of a CI role: GitHub's OIDC provider, `aud = sts.amazonaws.com`, this repository by
 * its immutable ID, and the target's environment (or its one workflow file run on its branch). No
 * `sub` condition: its format differs between repositories (names only, or names with IDs), while
 * these claims do not.
 */
export function githubTrustPolicy(providerArn: string, repository: GithubRepository, target: DeployTarget): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: awsTrustCondition(repository, target),
            },
        ],
    });
}

/**
 * The previewer's inline policy: what a refreshing `pulumi preview` of the stack's `types` reads
 * (`rules/trust/reads.ts`, on `*`: these Describe/Get/List calls mostly support no resource-level
 * permission) and the values of the stack's own secrets only (an SSM SecureString's or a Secrets
 * Manager version's refresh reads its value). Nothing writes.
 */
export function previewerPolicy(
    types: readonly string[],
    secrets: { parameterPathArn?: string; secretArns?: readonly string[] } = {},
): string {
    const { actions } = awsReads(types);
    const secretReads = [
        ...(secrets.parameterPathArn !== undefined && types.includes("aws:ssm/parameter:Parameter")
            ? [{ Effect: "Allow", Action: [...AWS_SECRET_READS["aws:ssm/parameter:Parameter"]], Resource: `${secrets.parameterPathArn}/*` }]
            : []),
        ...((secrets.secretArns ?? []).length > 0
            ? [
                  {
                      Effect: "Allow",
                      Action: [...AWS_SECRET_READS["aws:secretsmanager/secretVersion:SecretVersion"]],
                      Resource: [...secrets.secretArns!],
                  },
              ]
            : []),
    ];
    return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }, ...secretReads] });
}

/** A role trust policy for an AWS service principal. */
export function serviceTrustPolicy(service: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });
}

/**
 * Read exactly the parameters under one SSM path and the given Secrets Manager secrets. No KMS
 * grant: SecureStrings and secrets use the AWS managed keys, whose key policies already allow use
 * through SSM / Secrets Manager by principals of the account ("kms:Decrypt: required only if your
 * key uses a custom KMS key", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html).
 */
export function ssmReadPolicy(parameterPathArn: string, secretArns: readonly string[] = []): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["ssm:GetParameters", "ssm:GetParameter"], Resource: `${parameterPathArn}/*` },
            ...(secretArns.length > 0 ? [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [...secretArns] }] : []),
        ],
    });
}

/** Read every parameter under one SSM path, by path or by name (what a function loading its secrets at start-up calls). */
export function ssmPathReadPolicy(parameterPathArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: "ssm:GetParametersByPath", Resource: parameterPathArn },
            { Effect: "Allow", Action: ["ssm:GetParameters", "ssm:GetParameter"], Resource: `${parameterPathArn}/*` },
        ],
    });
}

/** What one deploy role may change: an ECS service (with the roles its task definition passes) or a Lambda function. */
export type DeployScope =
    | {
          readonly kind: "ecs";
          readonly serviceArn: string;
          readonly passRoleArns: readonly string[];
          /** The in-VPC smoke-test function the deploy job invokes after the rollout (aws.SmokeTest). */
          readonly smokeFunctionArn?: string;
      }
    | { readonly kind: "lambda"; readonly functionArn: string };

/** One value as itself, several as a list (a single-service policy reads as it always did). */
const oneOrList = (values: readonly string[]): string | string[] => (values.length === 1 ? values[0] : [...values]);

/**
 * Exactly what the generated deploy workflow calls (configure-aws-credentials → ecr login → push by
 * commit SHA → deploy the digest → roll back on failure), scoped to the listed repositories and services:
 * - ECR: GetAuthorizationToken has no resource-level permission (`*`); push and layer download
 *   (build cache) on these repositories only.
 * - ECS: DescribeServices/UpdateService on these services; Describe/RegisterTaskDefinition support no
 *   resource-level permission (`*`); PassRole on their tasks' execution and task roles, only to ECS
 *   tasks. PassRole is checked when a task definition is registered, which names no service, so a
 *   role that deploys several ECS services can pass any of their roles to any of them.
 * - Lambda: read, update code, publish, read and move the alias, on these functions (and their qualified ARNs).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
 */
/** `arn:aws:ecs:<region>:<account>:service/<cluster>/<service>` → the cluster's ARN and its tasks' ARN pattern. */
function clusterOf(serviceArn: string): { cluster: string; tasks: string } | undefined {
    const m = /^(arn:[^:]+:ecs:[^:]*:\d*):service\/([^/]+)\/[^/]+$/.exec(serviceArn);
    return m ? { cluster: `${m[1]}:cluster/${m[2]}`, tasks: `${m[1]}:task/${m[2]}/*` } : undefined;
}

/**
 * What the ECS smoke test needs: list the service's tasks in its cluster (ListTasks takes no
 * resource, only the `ecs:cluster` condition), read those tasks' addresses, invoke the smoke function.
 */
function smokeTestStatements(ecs: readonly Extract<DeployScope, { kind: "ecs" }>[]): Record<string, unknown>[] {
    const smoked = ecs.filter((s) => s.smokeFunctionArn !== undefined);
    const clusters = smoked.flatMap((s) => {
        const c = clusterOf(s.serviceArn);
        return c ? [c] : [];
    });
    if (smoked.length === 0 || clusters.length === 0) return [];
    return [
        {
            Effect: "Allow",
            Action: "ecs:ListTasks",
            Resource: "*",
            Condition: { ArnEquals: { "ecs:cluster": oneOrList([...new Set(clusters.map((c) => c.cluster))]) } },
        },
        { Effect: "Allow", Action: "ecs:DescribeTasks", Resource: oneOrList([...new Set(clusters.map((c) => c.tasks))]) },
        { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: oneOrList(smoked.map((s) => s.smokeFunctionArn!)) },
    ];
}

export function deployerPolicy(repositoryArns: readonly string[], scopes: readonly DeployScope[]): string {
    if (repositoryArns.length === 0 || scopes.length === 0)
        throw new RangeError("deployerPolicy needs at least one repository and one deploy scope");
    const ecs = scopes.filter((s): s is Extract<DeployScope, { kind: "ecs" }> => s.kind === "ecs");
    const functions = scopes.flatMap((s) => (s.kind === "lambda" ? [s.functionArn] : []));
    const passRoles = [...new Set(ecs.flatMap((s) => s.passRoleArns))];
    const ecr = [
        { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        { Effect: "Allow", Action: [...DOCKER_PUSH_CALLS.aws], Resource: oneOrList([...new Set(repositoryArns)]) },
    ];
    const deployEcs =
        ecs.length === 0
            ? []
            : [
                  {
                      Effect: "Allow",
                      Action: ["ecs:DescribeServices", "ecs:UpdateService"],
                      Resource: oneOrList(ecs.map((s) => s.serviceArn)),
                  },
                  { Effect: "Allow", Action: ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"], Resource: "*" },
                  ...(passRoles.length === 0
                      ? []
                      : [
                            {
                                Effect: "Allow",
                                Action: "iam:PassRole",
                                Resource: passRoles,
                                Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
                            },
                        ]),
                  ...smokeTestStatements(ecs),
              ];
    const deployLambda =
        functions.length === 0
            ? []
            : [
                  {
                      Effect: "Allow",
                      Action: [
                          "lambda:GetAlias",
                          "lambda:GetFunction",
                          "lambda:PublishVersion",
                          "lambda:UpdateAlias",
                          "lambda:UpdateFunctionCode",
                      ],
                      Resource: functions.flatMap((fn) => [fn, `${fn}:*`]),
                  },
              ];
    return JSON.stringify({ Version: "2012-10-17", Statement: [...ecr, ...deployEcs, ...deployLambda] });
}

/**
 * Who a budget notification goes to: one path per address. With emails, AWS Budgets mails them directly (no
 * subscription to confirm, so the bill's guard-rail works from the first `up`) and not the topic, whose email
 * subscriptions (for the alarms) would deliver each alert a second time. Without emails, the topic (a notification
 * needs a subscriber; PagerDuty or a later subscription reads it).
 */
export function budgetSubscribers<T>(
    emails: readonly string[],
    topicArn: T,
): { subscriberEmailAddresses: string[]; subscriberSnsTopicArns: T[] } {
    return emails.length > 0
        ? { subscriberEmailAddresses: [...new Set(emails)], subscriberSnsTopicArns: [] }
        : { subscriberEmailAddresses: [], subscriberSnsTopicArns: [topicArn] };
}

/**
 * The alert topic's policy: CloudWatch alarms of this account may publish, and AWS Budgets when it notifies the
 * topic (`budgets`; Budgets needs it explicitly: https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html),
 * and the account keeps managing its topic.
 */
export function snsTopicPolicy(topicArn: string, accountId: string, budgets = true): string {
    const publish = (sid: string, service: string) => ({
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: service },
        Action: "SNS:Publish",
        Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    });
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            ...(budgets ? [publish("BudgetsPublish", "budgets.amazonaws.com")] : []),
            publish("CloudWatchAlarmsPublish", "cloudwatch.amazonaws.com"),
            {
                Sid: "AccountManages",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                Action: [
                    "SNS:GetTopicAttributes",
                    "SNS:SetTopicAttributes",
                    "SNS:Subscribe",
                    "SNS:ListSubscriptionsByTopic",
                    "SNS:Publish",
                    "SNS:DeleteTopic",
                ],
                Resource: topicArn,
            },
        ],
    });
}

/** Lets Lambda pull this repository's images for one function (the repository policy Lambda needs for container images). */
export function lambdaPullPolicy(functionArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "LambdaPull",
                Effect: "Allow",
                Principal: { Service: "lambda.amazonaws.com" },
                Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Condition: { StringLike: { "aws:sourceArn": `${functionArn}*` } },
            },
        ],
    });
}

/** The AWS managed rule groups on every production load balancer, in evaluation order. */
export const WAF_MANAGED_RULE_GROUPS = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;
/** Requests one client IP may send in 5 minutes before it is blocked. */
export const WAF_RATE_LIMIT = 2000;

/**
 * Managed rules that only count (log and label) by default instead of blocking: the common rule set's
 * `SizeRestrictions_BODY` blocks every request body over 8 KB (the most an ALB's WAF inspects), i.e. ordinary uploads
 * and form posts. Counted, such bodies pass, and what lies past their first 8 KB is not inspected by any rule (the
 * SQLi, known-bad-inputs and other body rules still block what they find in the first 8 KB).
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
 */
export const WAF_COUNTED_RULES: Readonly<Record<string, readonly string[]>> = {
    AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"],
};

/**
 * The web ACL's rules: the managed groups (their own actions, but `WAF_COUNTED_RULES` counted unless
 * `blockLargeBodies`) and a per-IP rate limit (block).
 */
export function wafRules(metricPrefix: string, rateLimit = WAF_RATE_LIMIT, blockLargeBodies = false) {
    const visibility = (name: string) => ({
        cloudwatchMetricsEnabled: true,
        metricName: `${metricPrefix}-${name}`,
        sampledRequestsEnabled: true,
    });
    return [
        ...WAF_MANAGED_RULE_GROUPS.map((group, i) => ({
            name: group,
            priority: i + 1,
            overrideAction: { none: {} },
            statement: {
                managedRuleGroupStatement: {
                    vendorName: "AWS",
                    name: group,
                    ...(!blockLargeBodies && WAF_COUNTED_RULES[group]
                        ? { ruleActionOverrides: WAF_COUNTED_RULES[group].map((rule) => ({ name: rule, actionToUse: { count: {} } })) }
                        : {}),
                },
            },
            visibilityConfig: visibility(group),
        })),
        {
            name: "rate-limit-per-ip",
            priority: WAF_MANAGED_RULE_GROUPS.length + 1,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
            visibilityConfig: visibility("rate-limit"),
        },
    ];
}

/** ElastiCache (Valkey) node types by memory in GiB, smallest first: https://aws.amazon.com/elasticache/pricing/ */
export const CACHE_NODE_TYPES: readonly (readonly [string, number])[] = [
    ["cache.t4g.micro", 0.5],
    ["cache.t4g.small", 1.37],
    ["cache.t4g.medium", 3.09],
    ["cache.r7g.large", 13.07],
    ["cache.r7g.xlarge", 26.32],
    ["cache.r7g.2xlarge", 52.82],
    ["cache.r7g.4xlarge", 105.81],
    ["cache.r7g.8xlarge", 209.55],
    ["cache.r7g.12xlarge", 317.77],
];

/** The smallest node type holding `sizeGb` (runway:cacheSizeGb), or undefined above the largest. */
export function cacheNodeType(sizeGb: number): string | undefined {
    return CACHE_NODE_TYPES.find(([, gib]) => gib >= sizeGb)?.[0];
}

/** A final snapshot name unique per database incarnation (`suffix` is regenerated when the database is replaced). */
export function finalSnapshotIdentifier(name: string, suffix: string): string {
    return `${name}-final-${suffix}`
        .replace(/[^a-zA-Z0-9-]/g, "-")
        .replace(/-+/g, "-")
        .slice(0, 255);
}

/** ECR lifecycle: expire untagged images after `untaggedDays`, keep the `keep` newest tagged. */
export function ecrLifecyclePolicy(keep: number, untaggedDays: number): string {
    return JSON.stringify({
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${untaggedDays} days`,
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedDays },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the ${keep} newest images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
                action: { type: "expire" },
            },
        ],
    });
}
