export { Workload, WorkloadArgs, MountedSecret } from "./workload";
export { kubernetesProvider } from "./provider";
export { SECRETS_DIR, NON_ROOT_UID } from "../../rules/kubernetes/workload";
export { NamespaceAccess, NamespaceAccessArgs } from "./access";
