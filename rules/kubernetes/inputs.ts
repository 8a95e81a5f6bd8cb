/**
 * Every input rule of the Kubernetes flavour (GKE, EKS, Kubernetes objects), run by the deployability
 * check `kubernetes-inputs` on any program's plan. Dependency-free.
 */
import { EKS_INPUT_RULES } from "../aws/eksInputs";
import { GKE_INPUT_RULES } from "../gcp/gkeInputs";
import { InputProblem, InputRule, PlannedResource, inputRuleProblems } from "./inputRules";
import { KUBERNETES_OBJECT_RULES } from "./objectInputs";

/** GKE, EKS and Kubernetes object rules, in the docs table's order. */
export const KUBERNETES_INPUT_RULES: readonly InputRule[] = [...GKE_INPUT_RULES, ...EKS_INPUT_RULES, ...KUBERNETES_OBJECT_RULES];

/** What the rules find on a plan's resources (other types are ignored). Pure but for the day it judges support windows on. */
export function kubernetesInputProblems(resources: readonly PlannedResource[], today?: string): InputProblem[] {
    return inputRuleProblems(KUBERNETES_INPUT_RULES, resources, today);
}
