/**
 * IAM policy documents of the AWS flavour: CI trust, the previewer's reads, the deployer's calls,
 * service roles, secret reads, the alert topic and the Lambda pull policy. Data in, JSON out.
 */
import { GITHUB_OIDC_HOST, GithubRepository, awsTrustCondition } from "../oidc";
import { AWS_SECRET_READS, awsReads } from "../trust/reads";
import { DOCKER_PUSH_CALLS } from "../trust/calls";
import type { DeployTarget } from "../profile";

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
 * Read exactly the parameters under one SSM path (when the secrets are there) and the given Secrets
 * Manager secrets. No KMS
 * grant: SecureStrings and secrets use the AWS managed keys, whose key policies already allow use
 * through SSM / Secrets Manager by principals of the account ("kms:Decrypt: required only if your
 * key uses a custom KMS key", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html).
 */
export function ssmReadPolicy(parameterPathArn: string | undefined, secretArns: readonly string[] = []): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            ...(parameterPathArn === undefined
                ? []
                : [{ Effect: "Allow", Action: ["ssm:GetParameters", "ssm:GetParameter"], Resource: `${parameterPathArn}/*` }]),
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
          /** The migration task family the deploy job registers and runs in the service's cluster (aws.MigrationTask). */
          readonly migrationFamily?: string;
          /** The CANARY deployment's rollback alarms, whose states the deploy job prints. */
          readonly rollbackAlarmNames?: readonly string[];
      }
    | { readonly kind: "lambda"; readonly functionArn: string }
    /** An EKS cluster the deploy job connects to (`aws eks update-kubeconfig`); Kubernetes RBAC scopes the rest. */
    | { readonly kind: "eks"; readonly clusterArn: string };

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

/**
 * What the release steps call (issue #36): register the migration family's revision (covered above),
 * run it only in the service's cluster, watch and stop its task there; read the rollback alarms'
 * states. RunTask is scoped to the family's revisions and the cluster (`ecs:cluster` condition).
 */
function releaseStatements(ecs: readonly Extract<DeployScope, { kind: "ecs" }>[]): Record<string, unknown>[] {
    const statements: Record<string, unknown>[] = [];
    for (const s of ecs) {
        const c = clusterOf(s.serviceArn);
        const prefix = /^(arn:[^:]+:ecs:[^:]*:\d*):/.exec(s.serviceArn)?.[1];
        if (!c || !prefix) continue;
        if (s.migrationFamily !== undefined)
            statements.push(
                {
                    Effect: "Allow",
                    Action: "ecs:RunTask",
                    Resource: `${prefix}:task-definition/${s.migrationFamily}:*`,
                    Condition: { ArnEquals: { "ecs:cluster": c.cluster } },
                },
                { Effect: "Allow", Action: ["ecs:DescribeTasks", "ecs:StopTask"], Resource: c.tasks },
            );
        if ((s.rollbackAlarmNames ?? []).length > 0) {
            const alarms = prefix.replace(/:ecs:/, ":cloudwatch:");
            statements.push({
                Effect: "Allow",
                Action: "cloudwatch:DescribeAlarms",
                Resource: oneOrList(s.rollbackAlarmNames!.map((n) => `${alarms}:alarm:${n}`)),
            });
        }
    }
    return statements;
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
                  ...releaseStatements(ecs),
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
                          // The new version is invoked once, before the alias moves to it.
                          "lambda:InvokeFunction",
                          "lambda:PublishVersion",
                          "lambda:UpdateAlias",
                          "lambda:UpdateFunctionCode",
                      ],
                      Resource: functions.flatMap((fn) => [fn, `${fn}:*`]),
                  },
              ];
    const clusters = scopes.flatMap((s) => (s.kind === "eks" ? [s.clusterArn] : []));
    const deployEks = clusters.length === 0 ? [] : [{ Effect: "Allow", Action: "eks:DescribeCluster", Resource: oneOrList(clusters) }];
    return JSON.stringify({ Version: "2012-10-17", Statement: [...ecr, ...deployEcs, ...deployLambda, ...deployEks] });
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
