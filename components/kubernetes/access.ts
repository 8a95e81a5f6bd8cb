import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyRule } from "../../rules/kubernetes/rbac";

export interface NamespaceAccessArgs {
    /** The cluster's Kubernetes provider. */
    readonly provider: k8s.Provider;
    /** The namespace the Role and its binding live in (and the only one `rules` apply to). */
    readonly namespace: pulumi.Input<string>;
    /** Name of the Role and RoleBinding; the cluster-wide ones are `<name>-<namespace>`. @example "runway-deploy" */
    readonly name: string;
    /** What the subject may do in the namespace. */
    readonly rules: PolicyRule[];
    /** What the subject may do cluster-wide (name each object with `resourceNames`). @default [] (no ClusterRole) */
    readonly clusterRules?: PolicyRule[];
    /**
     * Who: a `User` (GKE maps a Google service account to its email) or a `Group` (an EKS access
     * entry's `kubernetesGroups`).
     */
    readonly subject: { readonly kind: "User" | "Group"; readonly name: pulumi.Input<string> };
}

/**
 * Kubernetes RBAC for one identity in one namespace: a Role with exactly `rules` bound to `subject`
 * in `namespace`, and, when `clusterRules` name cluster-scoped objects (the namespace itself), a
 * ClusterRole bound the same way. Nothing else: no built-in role, no wildcard.
 * @example
 * new NamespaceAccess("deployer-access", { provider, namespace: "shop", name: "runway-deploy",
 *     rules: rbacRules(kubernetesJobCalls(steps).calls, { "apps/deployments": "shop" }),
 *     subject: { kind: "User", name: ci.deployerEmails.production } });
 */
export class NamespaceAccess extends pulumi.ComponentResource {
    public readonly role: k8s.rbac.v1.Role;
    public readonly binding: k8s.rbac.v1.RoleBinding;

    constructor(name: string, args: NamespaceAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:kubernetes:NamespaceAccess", name, {}, opts);
        const o = { parent: this, provider: args.provider };
        const subjects = [
            { kind: args.subject.kind, name: args.subject.name, apiGroup: "rbac.authorization.k8s.io" },
        ] as k8s.types.input.rbac.v1.Subject[];
        const metadata = { name: args.name, namespace: args.namespace, labels: { "app.kubernetes.io/managed-by": "runway" } };
        this.role = new k8s.rbac.v1.Role(`${name}-role`, { metadata, rules: args.rules }, o);
        this.binding = new k8s.rbac.v1.RoleBinding(
            `${name}-binding`,
            { metadata, subjects, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: args.name } },
            { ...o, dependsOn: [this.role] },
        );
        if ((args.clusterRules ?? []).length > 0) {
            const clusterName = pulumi.interpolate`${args.name}-${args.namespace}`;
            const clusterMetadata = { name: clusterName, labels: metadata.labels };
            const clusterRole = new k8s.rbac.v1.ClusterRole(
                `${name}-cluster-role`,
                { metadata: clusterMetadata, rules: args.clusterRules },
                o,
            );
            new k8s.rbac.v1.ClusterRoleBinding(
                `${name}-cluster-binding`,
                {
                    metadata: clusterMetadata,
                    subjects,
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterName },
                },
                { ...o, dependsOn: [clusterRole] },
            );
        }
        this.registerOutputs({});
    }
}
