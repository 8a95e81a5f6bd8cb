/** The AWS flavour: ECS Express Mode, ECR, SSM / Secrets Manager, VPC, CloudWatch, Budgets, GitHub OIDC, RDS. */
export * from "./ciIdentity";
export * from "./database";
export * from "./monitoring";
export * from "./network";
export * from "./registry";
export * from "./secrets";
export * from "./service";
export { AWS_TIER_PRESETS, AwsTierSettings, NatStrategy, SubnetPlan, checkVpcCidr, deployerPolicy, ecrLifecyclePolicy, githubTrustPolicy, natLayout, planSubnets, serviceTrustPolicy, ssmReadPolicy } from "./plan";
