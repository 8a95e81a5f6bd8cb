/** Account-unique names of the AWS flavour. */
import type { Problem } from "../problems";
import type { AwsRuntime } from "../profile";

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

/** What AWS accepts as one kind of name, from the API reference that says so. */
export interface AwsNameRule {
    /** The name's whole form (anchored). */
    readonly pattern: RegExp;
    readonly min: number;
    readonly max: number;
    /** What is allowed, in words (error messages). */
    readonly allowed: string;
    readonly source: string;
}

const ECS_NAME = /^[A-Za-z0-9_-]+$/;
const ECS_ALLOWED = "letters, digits, hyphens and underscores";
const ELB_NAME = /^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** Name rules of the AWS resources a component names after a user-given (or component) name. */
export const AWS_NAME_RULES = {
    lambdaFunction: {
        pattern: /^[A-Za-z0-9_-]+$/,
        min: 1,
        max: 64,
        allowed: "letters, digits, hyphens and underscores",
        source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (FunctionName: a plain name is limited to 64 characters)",
    },
    ecrRepository: {
        pattern: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
        min: 2,
        max: 256,
        allowed: "lowercase letters and digits, single . _ - between them, / between path parts",
        source: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html (repositoryName)",
    },
    loadBalancer: {
        pattern: ELB_NAME,
        min: 1,
        max: 32,
        allowed: "letters, digits and hyphens, not starting or ending with a hyphen, not starting with internal-",
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html (Name)",
    },
    targetGroup: {
        pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
        min: 1,
        max: 32,
        allowed: "letters, digits and hyphens, not starting or ending with a hyphen",
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html (Name)",
    },
    iamRole: {
        pattern: /^[\w+=,.@-]+$/,
        min: 1,
        max: 64,
        allowed: "letters, digits and + = , . @ _ -",
        source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)",
    },
    secret: {
        pattern: /^[A-Za-z0-9/_+=.@-]+$/,
        min: 1,
        max: 512,
        allowed: "letters, digits and / _ + = . @ -",
        source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html (Name)",
    },
    logGroup: {
        pattern: /^[.\-_/#A-Za-z0-9]+$/,
        min: 1,
        max: 512,
        allowed: "letters, digits and . - _ / #",
        source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html (logGroupName)",
    },
    snsTopic: {
        pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
        min: 1,
        max: 256,
        allowed: "letters, digits, hyphens and underscores (.fifo at the end for a FIFO topic)",
        source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name)",
    },
    ecsCluster: {
        pattern: ECS_NAME,
        min: 1,
        max: 255,
        allowed: ECS_ALLOWED,
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html (clusterName)",
    },
    ecsService: {
        pattern: ECS_NAME,
        min: 1,
        max: 255,
        allowed: ECS_ALLOWED,
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html (serviceName)",
    },
    ecsContainer: {
        pattern: ECS_NAME,
        min: 1,
        max: 255,
        allowed: ECS_ALLOWED,
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (name)",
    },
    dashboard: {
        pattern: /^[A-Za-z0-9_-]+$/,
        min: 1,
        max: 255,
        allowed: "letters, digits, hyphens and underscores",
        source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html (DashboardName)",
    },
} as const satisfies Record<string, AwsNameRule>;

export type AwsNameKind = keyof typeof AWS_NAME_RULES;

/**
 * The problem with `value` as an AWS name of `kind` (none for a value only known at deploy time),
 * keyed `key` (the argument), saying what is allowed.
 * @example awsNameProblems("lambdaFunction", "has space", "FunctionService(web).functionName")
 */
export function awsNameProblems(kind: AwsNameKind, value: unknown, key: string): Problem[] {
    if (typeof value !== "string") return [];
    const rule: AwsNameRule = AWS_NAME_RULES[kind];
    if (value.length >= rule.min && value.length <= rule.max && rule.pattern.test(value)) return [];
    return [{ key, value, allowed: `${rule.min}-${rule.max} ${rule.allowed} (${rule.source.split(" ")[0]})` }];
}
