/** The AWS flavour: Lambda (solo) or ECS Fargate behind an ALB, ECR, SSM / Secrets Manager, VPC, CloudWatch, Budgets, GitHub OIDC, RDS, ElastiCache. */
export * from "./cache";
export * from "./ciIdentity";
export * from "./database";
export { EksCluster, EksClusterArgs, PodIdentity, PodIdentityArgs, eksKubeconfig } from "./eks";
export * from "./functionService";
export * from "../../rules/aws/limits";
export * from "./monitoring";
export * from "./network";
export * from "./registry";
export * from "./secrets";
export * from "./service";
export { MigrationTask, MigrationTaskArgs } from "./migrationTask";
export { Dashboard, DashboardArgs } from "./dashboard";
export { AwsRuntime, AwsTierSettings, NatStrategy } from "../../rules/profile";
export { CACHE_NODE_TYPES, cacheNodeType, finalSnapshotIdentifier } from "../../rules/aws/data";
export { SmokeTest, SmokeTestArgs, SMOKE_HANDLER, smokeTestPolicy } from "./smokeTest";
export {
    DeployScope,
    deployerPolicy,
    githubTrustPolicy,
    previewerPolicy,
    lambdaPullPolicy,
    serviceTrustPolicy,
    snsTopicPolicy,
    ssmPathReadPolicy,
    ssmReadPolicy,
} from "../../rules/aws/iam";
export { SubnetPlan, checkVpcCidr, natLayout, AZ_COUNT_RANGE, azCountProblems, planSubnets } from "../../rules/aws/network";
export { WAF_COUNTED_RULES, WAF_MANAGED_RULE_GROUPS, WAF_RATE_LIMIT, wafRules } from "../../rules/aws/waf";
export { awsNames } from "../../rules/aws/names";
export { ecrLifecyclePolicy } from "../../rules/aws/registry";
export { budgetSubscribers } from "../../rules/aws/monitoring";
