/** GitHub delivery: repository settings, deployment environments and generated workflows. */
export { Repository, RepositoryArgs } from "./repository";
export { TierDelivery, compareUrl, deliveryFor, workflowsBranch } from "./delivery";
export { GITLEAKS, HADOLINT, PINNED, PinnedAction, PinnedTool, TRIVY, annotatePins, pinnedActionOf, uses } from "./actions";
export { deployWorkflow } from "./deploy";
export { renderWorkflow, workflowFiles } from "./files";
export { securityJob, secretScanStep } from "./steps";
export {
    ACTIONS,
    AWS_PREVIEW_VARIABLES,
    AWS_VARIABLES,
    AwsDeployOutputs,
    awsDelivery,
    CHECKS,
    CUT_COMMENT_POINTER,
    DeliverySettings,
    DeployKind,
    EDGE_URL_VARIABLE,
    KUBERNETES_VARIABLES,
    PREVIEW_SECRETS,
    PREVIEW_VARIABLES,
    REQUIRED_CHECKS,
    VARIABLES,
    ciWorkflow,
    dependabotConfig,
    deployCloud,
    previewCommentWorkflow,
    previewWorkflow,
    previewVariablesFor,
    pulumiPreviewWorkflow,
    variablesFor,
} from "./workflows";
export { deployJobCalls, deployJobKubernetesCalls } from "./calls";
export { RELEASE_VARIABLES, ReleaseSteps, releaseVariablesFor } from "./release";
