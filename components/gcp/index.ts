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
export { MigrationJob, MigrationJobArgs } from "./migrationJob";
export { ReleaseAccess, ReleaseAccessArgs } from "./releaseAccess";
export { Dashboard, DashboardArgs } from "./dashboard";
export { IAP_ACCESSOR_ROLE, SELF_SIGN_ROLE, SmokeTestAccess, SmokeTestAccessArgs } from "./smokeTest";
export { checkServiceShape, parseCpu, parseMemoryMiB } from "../../rules/gcp/limits";
export {
    gcpRepositoryCondition,
    gcpTrustValue,
    workloadIdentityMember,
    DeployTarget,
    GithubRepository,
    GITHUB_ATTRIBUTE_MAPPING,
    PRIMITIVE_ROLES,
    DEPLOYER_PERMISSIONS,
} from "../../rules/gcp/iam";
export { serviceAccountId, stackGcpNames, stackScopedId, workloadIdentityId } from "./names";
export type { StackGcpNames } from "./names";
export {
    errorRatioCondition,
    latencyCondition,
    loadBalancerErrorRatioCondition,
    uptimeCondition,
    budgetThresholdRules,
} from "../../rules/gcp/alerts";
export type { PrivateDataArgs } from "./database";
export { POSTGRES_VERSIONS, checkCacheSize, checkDatabaseShape, machineProblem, parseMachine } from "../../rules/gcp/data";
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
} from "../../rules/gcp/edge";
export { IAP_DOMAINS_UNKNOWN, iapMemberProblems, memberDomain } from "./iap";
