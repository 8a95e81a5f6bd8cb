import { ResourceValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { BASELINE_CAPABILITIES, podSecurityProblems } from "../lib/podSecurity";
import { isKubernetesWorkload, kubernetesPodSpec } from "../lib/workloads";

export interface KubernetesPodSecurityConfig {
    /** Capabilities a container may add (the Pod Security baseline's list). */
    allowedCapabilities: string[];
}

export const KUBERNETES_POD_SECURITY_DEFAULTS: KubernetesPodSecurityConfig = { allowedCapabilities: [...BASELINE_CAPABILITIES] };

/**
 * Mandatory: no Kubernetes workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
 * CronJob) runs privileged or shares the node's namespaces, paths or ports (Pod Security "baseline").
 */
export const kubernetesPodSecurity: ResourceValidationPolicy = {
    name: "kubernetes-pod-security",
    description:
        "Kubernetes workloads stay in their sandbox: not privileged, no host namespaces, host paths, host ports or extra capabilities.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Remove privileged: true, hostNetwork/hostPID/hostIPC, hostPath volumes, hostPort and added capabilities; drop ALL capabilities instead (Pod Security Standards, restricted).",
    configSchema: schemaWithDefaults(KUBERNETES_POD_SECURITY_DEFAULTS, {
        allowedCapabilities: {
            type: "array",
            items: { type: "string" },
            description: "Capabilities a container may add (names without CAP_); the Pod Security baseline's list by default.",
        },
    }),
    validateResource: (args, reportViolation) => {
        if (!isKubernetesWorkload(args.type)) args.notApplicable("not a Kubernetes workload");
        const config = withDefaults(KUBERNETES_POD_SECURITY_DEFAULTS, args.getConfig<Partial<KubernetesPodSecurityConfig>>());
        const spec = kubernetesPodSpec(args.type, args.props);
        for (const problem of podSecurityProblems(spec ?? {}, config.allowedCapabilities))
            reportViolation(`${args.type} "${args.name}": ${problem}.`);
    },
};
