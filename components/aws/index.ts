/** The AWS flavour: Lambda (solo) or ECS Fargate behind an ALB, ECR, SSM / Secrets Manager, VPC, CloudWatch, Budgets, GitHub OIDC, RDS, ElastiCache. */
export * from "./cache";
export * from "./ciIdentity";
export * from "./database";
export { EksCluster, EksClusterArgs, PodIdentity, PodIdentityArgs, eksKubeconfig } from "./eks";
export * from "./functionService";
export * from "./limits";
export * from "./monitoring";
export * from "./network";
export * from "./registry";
export * from "./secrets";
export * from "./service";
export { SmokeTest, SmokeTestArgs, SMOKE_HANDLER, smokeTestPolicy } from "./smokeTest";
export {
    AwsRuntime,
    AwsTierSettings,
    CACHE_NODE_TYPES,
    DeployScope,
    NatStrategy,
    SubnetPlan,
    WAF_COUNTED_RULES,
    WAF_MANAGED_RULE_GROUPS,
    WAF_RATE_LIMIT,
    awsNames,
    cacheNodeType,
    checkVpcCidr,
    deployerPolicy,
    ecrLifecyclePolicy,
    finalSnapshotIdentifier,
    githubTrustPolicy,
    previewerPolicy,
    lambdaPullPolicy,
    natLayout,
    AZ_COUNT_RANGE,
    azCountProblems,
    planSubnets,
    serviceTrustPolicy,
    budgetSubscribers,
    snsTopicPolicy,
    ssmPathReadPolicy,
    ssmReadPolicy,
    wafRules,
} from "./plan";
