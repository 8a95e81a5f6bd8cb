export * from "./apis";
export * from "./cache";
export { AutopilotCluster, AutopilotClusterArgs, WorkloadIdentity, WorkloadIdentityArgs, gkeKubeconfig } from "./cluster";
export * from "./database";
export * from "./ciIdentity";
export * from "./monitoring";
export * from "./network";
export * from "./registry";
export * from "./secrets";
export * from "./service";
export { IAP_ACCESSOR_ROLE, SELF_SIGN_ROLE, SmokeTestAccess, SmokeTestAccessArgs } from "./smokeTest";
export { checkServiceShape, parseCpu, parseMemoryMiB } from "./limits";
export {
    gcpRepositoryCondition,
    gcpTrustValue,
    workloadIdentityMember,
    DeployTarget,
    GithubRepository,
    GITHUB_ATTRIBUTE_MAPPING,
    PRIMITIVE_ROLES,
    DEPLOYER_PERMISSIONS,
} from "./iam";
export { serviceAccountId, stackGcpNames, stackScopedId, workloadIdentityId } from "./names";
export type { StackGcpNames } from "./names";
export {
    errorRatioCondition,
    latencyCondition,
    loadBalancerErrorRatioCondition,
    uptimeCondition,
    budgetThresholdRules,
} from "./alertRules";
export { POSTGRES_VERSIONS, PrivateDataArgs, checkCacheSize, checkDatabaseShape, machineProblem, parseMachine } from "./dataShape";
export * from "./edge";
export {
    DOMAIN_MAPPING_REGIONS,
    EDGE_DEFAULTS,
    EDGE_PRIORITIES,
    WAF_RULE_SETS,
    DnsRecord,
    domainRoute,
    edgeProblems,
    securityPolicyRules,
} from "./edgeRules";
export { IAP_DOMAINS_UNKNOWN, iapMemberProblems, memberDomain } from "./iap";
