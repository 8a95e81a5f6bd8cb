/** GitHub delivery: repository settings, deployment environments and generated workflows. */
export { Repository, RepositoryArgs } from "./repository";
export { TierDelivery, compareUrl, deliveryFor, workflowsBranch } from "./delivery";
export { GITLEAKS, PINNED, PinnedAction, annotatePins, pinnedActionOf, uses } from "./actions";
export {
    ACTIONS,
    AWS_PREVIEW_VARIABLES,
    AWS_VARIABLES,
    AwsDeployOutputs,
    awsDelivery,
    CHECKS,
    DeliverySettings,
    DeployKind,
    PREVIEW_VARIABLES,
    REQUIRED_CHECKS,
    VARIABLES,
    ciWorkflow,
    dependabotConfig,
    deployWorkflow,
    previewCommentWorkflow,
    previewWorkflow,
    renderWorkflow,
    secretScanStep,
    previewVariablesFor,
    securityJob,
    variablesFor,
    workflowFiles,
} from "./workflows";
