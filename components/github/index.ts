/** GitHub delivery: repository settings, deployment environments and generated workflows. */
export { Repository, RepositoryArgs } from "./repository";
export { TierDelivery, deliveryFor } from "./delivery";
export {
    ACTIONS, CHECKS, DeliverySettings, PREVIEW_VARIABLES, REQUIRED_CHECKS, VARIABLES,
    ciWorkflow, deployWorkflow, previewCommentWorkflow, previewWorkflow, renderWorkflow, securityJob, workflowFiles,
} from "./workflows";
