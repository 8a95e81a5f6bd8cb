/**
 * What a planned identity may do: its grants, read from the plan (GCP IAM members naming the service
 * account, with custom roles resolved to their permissions and the predefined roles Runway grants
 * from `GCP_ROLE_PERMISSIONS`; AWS inline policies of the role). Dependency-free.
 */
import type { PolicyRule } from "../kubernetes/rbac";
import type { PlannedResource, PlannedStack } from "./simulator";

/**
 * Permissions of the predefined roles Runway grants its CI identities, from the IAM roles reference
 * (cloud.google.com/iam/docs/roles-permissions: secretmanager, billing, iam, artifactregistry),
 * listed as far as they apply to the resource the role is granted on.
 */
export const GCP_ROLE_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
    "roles/secretmanager.secretAccessor": ["secretmanager.versions.access"],
    "roles/billing.viewer": [
        "billing.accounts.get",
        "billing.accounts.getIamPolicy",
        "billing.accounts.getPaymentInfo",
        "billing.accounts.getPricing",
        "billing.accounts.getSpendingInformation",
        "billing.accounts.getUsageExportSpec",
        "billing.accounts.list",
        "billing.budgets.get",
        "billing.budgets.list",
        "billing.credits.list",
        "billing.resourceCosts.get",
    ],
    "roles/iam.serviceAccountUser": [
        "iam.serviceAccounts.actAs",
        "iam.serviceAccounts.get",
        "iam.serviceAccounts.list",
        "resourcemanager.projects.get",
        "resourcemanager.projects.list",
    ],
    "roles/iam.serviceAccountTokenCreator": [
        "iam.serviceAccounts.getAccessToken",
        "iam.serviceAccounts.getOpenIdToken",
        "iam.serviceAccounts.implicitDelegation",
        "iam.serviceAccounts.signBlob",
        "iam.serviceAccounts.signJwt",
    ],
    "roles/iap.httpsResourceAccessor": ["iap.webServiceVersions.accessViaIAP"],
    "roles/artifactregistry.writer": [
        "artifactregistry.dockerimages.get",
        "artifactregistry.dockerimages.list",
        "artifactregistry.files.download",
        "artifactregistry.files.get",
        "artifactregistry.files.list",
        "artifactregistry.packages.get",
        "artifactregistry.packages.list",
        "artifactregistry.repositories.downloadArtifacts",
        "artifactregistry.repositories.get",
        "artifactregistry.repositories.list",
        "artifactregistry.repositories.readViaVirtualRepository",
        "artifactregistry.repositories.uploadArtifacts",
        "artifactregistry.tags.create",
        "artifactregistry.tags.get",
        "artifactregistry.tags.list",
        "artifactregistry.tags.update",
        "artifactregistry.versions.get",
        "artifactregistry.versions.list",
    ],
};

/** GCP permission verbs that read (everything else changes something or acts as someone). */
const GCP_READ_VERB =
    /^(get|list|read|getIamPolicy|getAuthString|access|use|download|readViaVirtualRepository|listEffectiveTags|listTagBindings|getPaymentInfo|getPricing|getSpendingInformation|getUsageExportSpec|downloadArtifacts)$/;
/** AWS action verbs that read. */
const AWS_READ_VERB = /^(Describe|Get|List|View|BatchGet|BatchCheck)/;

/** Whether a GCP permission (`service.resource.verb`) or AWS action (`service:Verb`) only reads. */
export function readsOnly(permission: string): boolean {
    if (permission.includes(":")) return AWS_READ_VERB.test(permission.split(":")[1]);
    return GCP_READ_VERB.test(permission.split(".").pop() ?? "");
}

/** One GCP grant to an identity: the role, its permissions (undefined for a role this table does not know) and where it holds. */
export interface GcpGrant {
    readonly via: string;
    readonly role: string;
    readonly permissions?: readonly string[];
    /** `project`, `billingAccount`, `secret`, `service`, `job`, `serviceAccount`, `repository`, `iap`. */
    readonly scope: string;
    /** The project, billing account, secret, service, account or repository it is granted on. */
    readonly on: string;
}

const MEMBER_TYPES: Readonly<Record<string, { scope: string; on: (i: Readonly<Record<string, unknown>>) => unknown }>> = {
    "gcp:projects/iAMMember:IAMMember": { scope: "project", on: (i) => i.project },
    "gcp:billing/accountIamMember:AccountIamMember": { scope: "billingAccount", on: (i) => i.billingAccountId },
    "gcp:secretmanager/secretIamMember:SecretIamMember": { scope: "secret", on: (i) => i.secretId },
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": { scope: "service", on: (i) => i.name },
    "gcp:cloudrunv2/jobIamMember:JobIamMember": { scope: "job", on: (i) => i.name },
    "gcp:serviceaccount/iAMMember:IAMMember": { scope: "serviceAccount", on: (i) => i.serviceAccountId },
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": { scope: "repository", on: (i) => i.repository },
    "gcp:iap/webCloudRunServiceIamMember:WebCloudRunServiceIamMember": { scope: "iap", on: (i) => i.cloudRunServiceName },
    "gcp:iap/webBackendServiceIamMember:WebBackendServiceIamMember": { scope: "iap", on: (i) => i.webBackendService },
};

/** Every grant whose member is the service account `accountId` (`serviceAccount:<accountId>@…`). */
export function gcpGrantsOf(plan: PlannedStack, accountId: string): GcpGrant[] {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    return plan.resources.flatMap((r) => {
        const kind = MEMBER_TYPES[r.type];
        if (!kind || !String(r.inputs.member ?? "").startsWith(`serviceAccount:${accountId}@`)) return [];
        const custom = (r.propertyDependencies.role ?? [])
            .map((u) => byUrn.get(u))
            .find((d): d is PlannedResource => d?.type === "gcp:projects/iAMCustomRole:IAMCustomRole");
        const role = custom ? `custom:${custom.name}` : String(r.inputs.role);
        const permissions = custom ? (custom.inputs.permissions as string[]) : GCP_ROLE_PERMISSIONS[role];
        return [{ via: r.name, role, ...(permissions ? { permissions } : {}), scope: kind.scope, on: String(kind.on(r.inputs)) }];
    });
}

/** An IAM policy statement, normalised (lists everywhere). */
export interface AwsStatement {
    readonly effect: string;
    readonly actions: readonly string[];
    readonly resources: readonly string[];
    readonly condition?: unknown;
}

/** The statements of every inline policy attached to the role `roleUrn` (and the managed policy ARNs attached to it). */
export function awsPoliciesOf(plan: PlannedStack, roleUrn: string): { statements: AwsStatement[]; managed: string[] } {
    const attached = (r: PlannedResource) => (r.propertyDependencies.role ?? []).includes(roleUrn);
    const statements = plan.resources
        .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && attached(r))
        .flatMap((r) => [JSON.parse(String(r.inputs.policy)).Statement].flat())
        .map((s: any) => ({
            effect: s.Effect,
            actions: [s.Action].flat(),
            resources: [s.Resource].flat(),
            ...(s.Condition ? { condition: s.Condition } : {}),
        }));
    const managed = plan.resources
        .filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && attached(r))
        .map((r) => String(r.inputs.policyArn));
    return { statements, managed };
}

/** The Kubernetes RBAC an identity holds in a planned stack: the rules of every Role and ClusterRole bound to it. */
export interface KubernetesGrants {
    /** Role rules, with the namespace each Role lives in. */
    readonly namespaced: readonly { readonly namespace: string; readonly rules: readonly PolicyRule[] }[];
    readonly cluster: readonly PolicyRule[];
}

const BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const CLUSTER_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";
const ACCESS_ENTRY = "aws:eks/accessEntry:AccessEntry";

const metadataOf = (r: PlannedResource) => (r.inputs.metadata ?? {}) as { name?: string; namespace?: string };

/**
 * The Kubernetes RBAC of the identity `identityUrn` (a GCP service account or an AWS role): bindings
 * whose subject comes from it (GKE: a User named by its email), or name a group its EKS access entry
 * maps it to, resolved to their Role's or ClusterRole's rules by name.
 */
export function kubernetesGrantsOf(plan: PlannedStack, identityUrn: string): KubernetesGrants {
    const groups = new Set(
        plan.resources
            .filter((r) => r.type === ACCESS_ENTRY && (r.propertyDependencies.principalArn ?? []).includes(identityUrn))
            .flatMap((r) => (r.inputs.kubernetesGroups as string[] | undefined) ?? []),
    );
    const bound = (r: PlannedResource) =>
        (r.propertyDependencies.subjects ?? []).includes(identityUrn) ||
        ((r.inputs.subjects as { kind: string; name: string }[] | undefined) ?? []).some((s) => s.kind === "Group" && groups.has(s.name));
    const roleOf = (binding: PlannedResource, kind: "Role" | "ClusterRole") => {
        const name = (binding.inputs.roleRef as { name?: string } | undefined)?.name;
        const namespace = metadataOf(binding).namespace;
        return plan.resources.find(
            (r) =>
                r.type === `kubernetes:rbac.authorization.k8s.io/v1:${kind}` &&
                metadataOf(r).name === name &&
                (kind === "ClusterRole" || metadataOf(r).namespace === namespace),
        );
    };
    const namespaced = plan.resources
        .filter((r) => r.type === BINDING && bound(r))
        .map((b) => ({ namespace: String(metadataOf(b).namespace), rules: (roleOf(b, "Role")?.inputs.rules ?? []) as PolicyRule[] }));
    const cluster = plan.resources
        .filter((r) => r.type === CLUSTER_BINDING && bound(r))
        .flatMap((b) => (roleOf(b, "ClusterRole")?.inputs.rules ?? []) as PolicyRule[]);
    return { namespaced, cluster };
}
