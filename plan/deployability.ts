/**
 * Deployability checks: what a real engine or cloud API refuses although the mocks accept it. They
 * run on every offline plan, for any program, and are reported like policy violations (mandatory
 * where `pulumi up` would fail). Each rule is data with its source; the checks only read the table.
 */
import { kubernetesInputProblems } from "../rules/kubernetes/inputs";
import { kubernetesWiringProblems } from "../rules/kubernetes/wiring";
import { STACK_CUT_MIN } from "../rules/gcp/names";
import { ResourceRecord, SECRET_MARK, UNKNOWN_MARK } from "./engine";

export type DeployabilityLevel = "mandatory" | "advisory";

/** One finding, shaped like a policy violation (`policy` names the check). */
export interface DeployabilityFinding {
    readonly policy: string;
    readonly level: DeployabilityLevel;
    readonly urn?: string;
    readonly message: string;
}

/** The checks, by name, with what each catches. */
export const DEPLOYABILITY_CHECKS = {
    "duplicate-urn": "two resources with the same URN (the engine refuses the second registration)",
    "protected-replace-on-change": "a protected resource whose data input is replace-on-change: its next change stops `up`",
    "secret-read-before-written": "a reader of a secret at `latest` that does not wait for the secret's version",
    "duplicate-unique-name": "two resources with the same name where the cloud requires it to be unique",
    "name-shared-by-stacks": "a name unique per project, account or globally that does not include the stack: a second stack collides",
    "regional-quota":
        "a stack that alone takes more than half of a per-region quota's default: a second stack (or what the account holds) fails `up` midway",
    "kubernetes-wiring":
        "Kubernetes objects the API server refuses (a selector its pod template does not carry, a name that is not a DNS name, an HPA maximum below its minimum) or that select nothing the program plans",
    "kubernetes-inputs":
        "GKE, EKS and Kubernetes object inputs their API refuses (an Autopilot cluster with a field Autopilot rejects, a maintenance window under GKE's 48 hours in 32 days, a node group AMI of the wrong architecture, a pod a restricted namespace refuses) or that never work (an EKS version past standard support, a Pod Identity role the pods cannot assume)",
    "refused-by-engine":
        "what the engine refuses while registering a resource (an asset or archive it cannot hash): `pulumi preview` fails",
} as const;

export type DeployabilityCheck = keyof typeof DEPLOYABILITY_CHECKS;

/**
 * Inputs whose change replaces the resource and that hold data meant to change (a rotated secret,
 * a new connection URL): `protect` on such a resource blocks the next `up` that changes them.
 */
export const REPLACE_ON_CHANGE: Readonly<
    Record<string, { readonly fields: readonly string[]; readonly parent: string; readonly source: string }>
> = {
    "gcp:secretmanager/secretVersion:SecretVersion": {
        fields: ["secretData"],
        parent: "the Secret",
        source: "GoogleCloudPlatform/magic-modules mmv1/products/secretmanager/SecretVersion.yaml (payload.secretData: immutable)",
    },
};

/** Where a resource reads a secret: the secret references in its inputs (ids or names). */
type SecretRefs = (inputs: Record<string, any>) => unknown[];

const cloudRunSecretRefs: SecretRefs = (inputs) => {
    const template = inputs.template?.template ?? inputs.template; // Job: template.template; Service: template
    const fromEnv = (template?.containers ?? []).flatMap((c: any) => (c?.envs ?? []).map((e: any) => e?.valueSource?.secretKeyRef?.secret));
    const fromVolumes = (template?.volumes ?? []).map((v: any) => v?.secret?.secret);
    return [...fromEnv, ...fromVolumes].filter((x) => x !== undefined);
};

/** ECS container definitions (a JSON string): each container's `secrets[].valueFrom` (a Secrets Manager or SSM ARN). */
const ecsSecretRefs: SecretRefs = (inputs) => {
    let containers: unknown;
    try {
        containers = JSON.parse(String(inputs.containerDefinitions));
    } catch {
        return []; // unknown during the plan: nothing to match by name
    }
    return (Array.isArray(containers) ? containers : []).flatMap((c: any) => (c?.secrets ?? []).map((x: any) => x?.valueFrom));
};

/**
 * Resources that read secrets when they start (`field`: the input that names them), and where the rule comes from.
 */
export const SECRET_READERS: Readonly<Record<string, { readonly refs: SecretRefs; readonly field: string; readonly source: string }>> = {
    "gcp:cloudrunv2/service:Service": {
        refs: cloudRunSecretRefs,
        field: "template",
        source: 'pulumi-gcp cloudrunv2.Service example "Cloudrunv2 Service Secret" (dependsOn the SecretVersion)',
    },
    "gcp:cloudrunv2/job:Job": {
        refs: cloudRunSecretRefs,
        field: "template",
        source: 'pulumi-gcp cloudrunv2.Job example "Cloudrunv2 Job Secret" (dependsOn the SecretVersion)',
    },
    // Tasks of every service on this task definition read its secrets when they start.
    "aws:ecs/taskDefinition:TaskDefinition": {
        refs: ecsSecretRefs,
        field: "containerDefinitions",
        source: 'AWS ECS "Pass Secrets Manager secrets through Amazon ECS environment variables" (a secret without an AWSCURRENT version fails the task: ResourceInitializationError)',
    },
};

/** Secret types, the version type that holds their value, and the version input naming the secret. */
export const SECRET_TYPES: Readonly<Record<string, { readonly version: string; readonly versionRef: string; readonly idField: string }>> = {
    "gcp:secretmanager/secret:Secret": {
        version: "gcp:secretmanager/secretVersion:SecretVersion",
        versionRef: "secret",
        idField: "secretId",
    },
    "aws:secretsmanager/secret:Secret": {
        version: "aws:secretsmanager/secretVersion:SecretVersion",
        versionRef: "secretId",
        idField: "name",
    },
};

/** How far a name must be unique. */
export type NameScope = "project" | "project+location" | "account" | "account+region" | "global";

/** Names the cloud requires to be unique, the input holding them, their scope, and the source. */
export const UNIQUE_NAMES: Readonly<Record<string, { readonly field: string; readonly scope: NameScope; readonly source: string }>> = {
    "gcp:serviceaccount/account:Account": {
        field: "accountId",
        scope: "project",
        source: "https://cloud.google.com/iam/docs/service-accounts-create (ID unique in the project)",
    },
    "gcp:secretmanager/secret:Secret": {
        field: "secretId",
        scope: "project",
        source: "https://cloud.google.com/secret-manager/docs/creating-and-accessing-secrets",
    },
    "gcp:artifactregistry/repository:Repository": {
        field: "repositoryId",
        scope: "project+location",
        source: "https://cloud.google.com/artifact-registry/docs/repositories/create-repos",
    },
    "gcp:cloudrunv2/service:Service": {
        field: "name",
        scope: "project+location",
        source: "https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.services",
    },
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": {
        field: "workloadIdentityPoolId",
        scope: "project",
        source: "https://cloud.google.com/iam/docs/manage-workload-identity-pools-providers (deleted ids stay reserved 30 days)",
    },
    "gcp:sql/databaseInstance:DatabaseInstance": {
        field: "name",
        scope: "project",
        source: "https://cloud.google.com/sql/docs/postgres/create-instance (a deleted name is reserved for up to a week)",
    },
    "gcp:projects/iAMCustomRole:IAMCustomRole": {
        field: "roleId",
        scope: "project",
        source: "https://cloud.google.com/iam/docs/creating-custom-roles (role ID unique in the project; a deleted role's ID is reserved until it is purged, about 37 days)",
    },
    "gcp:pubsub/topic:Topic": { field: "name", scope: "project", source: "https://cloud.google.com/pubsub/docs/create-topic" },
    "gcp:storage/bucket:Bucket": {
        field: "name",
        scope: "global",
        source: "https://cloud.google.com/storage/docs/buckets#naming (globally unique)",
    },
    "aws:iam/role:Role": {
        field: "name",
        scope: "account",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (names unique in the account)",
    },
    "aws:iam/policy:Policy": {
        field: "name",
        scope: "account",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
        field: "url",
        scope: "account",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html (one provider per URL)",
    },
    "aws:s3/bucket:Bucket": {
        field: "bucket",
        scope: "global",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
    },
    "aws:s3/bucketV2:BucketV2": {
        field: "bucket",
        scope: "global",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
    },
    "aws:ecr/repository:Repository": {
        field: "name",
        scope: "account+region",
        source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-create.html",
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        field: "name",
        scope: "account+region",
        source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
    },
    "aws:ssm/parameter:Parameter": {
        field: "name",
        scope: "account+region",
        source: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html",
    },
    "aws:secretsmanager/secret:Secret": {
        field: "name",
        scope: "account+region",
        source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html",
    },
    "aws:budgets/budget:Budget": {
        field: "name",
        scope: "account",
        source: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_CreateBudget.html",
    },
};

/**
 * Per-region quotas a stack's resources count against, with the default a new account gets (AWS
 * Service Quotas code) and where it is documented. `counts` says which planned resources count.
 */
export const REGIONAL_QUOTAS: Readonly<
    Record<
        string,
        {
            readonly what: string;
            readonly defaultQuota: number;
            readonly code: string;
            readonly error: string;
            readonly counts: (inputs: Record<string, any>) => boolean;
            readonly source: string;
        }
    >
> = {
    "aws:ec2/eip:Eip": {
        what: "Elastic IP addresses",
        defaultQuota: 5,
        code: "L-0263D0A3 (EC2-VPC Elastic IPs)",
        error: "AllocateAddress fails with AddressLimitExceeded",
        counts: (inputs) => inputs.domain === undefined || inputs.domain === "vpc",
        source: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html (5 per Region by default)",
    },
    "aws:ec2/vpc:Vpc": {
        what: "VPCs",
        defaultQuota: 5,
        code: "L-F678F1CE (VPCs per Region)",
        error: "CreateVpc fails with VpcLimitExceeded",
        counts: () => true,
        source: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html (5 VPCs per Region by default)",
    },
};

/** What the checks need besides the resources: the stack name and the provider defaults. */
export interface DeployabilityContext {
    readonly stack: string;
    /** Stack config (for `gcp:project`, `gcp:region`, `aws:region`). */
    readonly config?: Readonly<Record<string, string>>;
    /** What the engine refused while the program registered its resources (recorded by the offline engine). */
    readonly refusals?: readonly { readonly urn: string; readonly message: string }[];
}

const known = (v: unknown): v is string => typeof v === "string" && v !== "" && v !== SECRET_MARK && v !== UNKNOWN_MARK;
const label = (r: ResourceRecord) => `${r.type} "${r.name}"`;
const propertyDependsOn = (r: ResourceRecord, property: string, urn: string) => (r.propertyDependencies[property] ?? []).includes(urn);

/** Duplicate URNs: the engine refuses the second registration; the mock runtime does not. */
function duplicateUrns(resources: readonly ResourceRecord[]): DeployabilityFinding[] {
    const count = new Map<string, number>();
    for (const r of resources) count.set(r.urn, (count.get(r.urn) ?? 0) + 1);
    return [...count.entries()]
        .filter(([, n]) => n > 1)
        .map(([urn, n]) => ({
            policy: "duplicate-urn",
            level: "mandatory",
            urn,
            message: `${n} resources register the URN ${urn}; the engine refuses every one after the first. Give each a distinct name (or parent).`,
        }));
}

/** Protected resources whose data input replaces them on change. */
function protectedReplaceOnChange(resources: readonly ResourceRecord[]): DeployabilityFinding[] {
    return resources
        .filter((r) => r.protect && REPLACE_ON_CHANGE[r.type])
        .map((r) => {
            const rule = REPLACE_ON_CHANGE[r.type];
            const fields = rule.fields.filter((f) => r.inputs[f] !== undefined);
            return {
                policy: "protected-replace-on-change",
                level: "mandatory" as const,
                urn: r.urn,
                message:
                    `${label(r)} is protected, but a change to ${fields.join(", ") || rule.fields.join(", ")} replaces it, so the next \`up\` that changes it stops with a protection error. ` +
                    `Protect ${rule.parent} instead. Source: ${rule.source}.`,
            };
        });
}

/**
 * What a resource waits for: its own dependencies and those of its ancestors (a child registers
 * only once its parent's URN resolves, and a parent registers only after its dependsOn).
 */
function effectiveDependencies(r: ResourceRecord, resources: readonly ResourceRecord[]): Set<string> {
    const byUrn = new Map(resources.map((x) => [x.urn, x]));
    const deps = new Set<string>();
    for (let at: ResourceRecord | undefined = r; at; at = at.parent ? byUrn.get(at.parent) : undefined) {
        for (const d of at.dependencies) deps.add(d);
    }
    return deps;
}

/** Readers of a secret that do not depend on a version of it: the first start can find no value. */
function secretReadBeforeWritten(resources: readonly ResourceRecord[]): DeployabilityFinding[] {
    const findings: DeployabilityFinding[] = [];
    const secrets = resources.filter((r) => SECRET_TYPES[r.type]);
    for (const reader of resources.filter((r) => SECRET_READERS[r.type])) {
        const refs = SECRET_READERS[reader.type].refs(reader.inputs).filter((x): x is string => typeof x === "string");
        const readsDirectly = (s: ResourceRecord) => {
            const id = s.inputs[SECRET_TYPES[s.type].idField];
            // GCP: the id or its resource name; AWS: the name or an ARN `...:secret:<name>-<6 characters>`.
            return known(id) && refs.some((ref) => ref === id || ref.endsWith(`/secrets/${id}`) || ref.includes(`:secret:${id}-`));
        };
        // A secret id passed as an output shows as a dependency of the template; a literal, by its id.
        const { field } = SECRET_READERS[reader.type];
        const read = secrets.filter((s) => readsDirectly(s) || (refs.length > 0 && propertyDependsOn(reader, field, s.urn)));
        for (const secret of read) {
            const { version, versionRef } = SECRET_TYPES[secret.type];
            const versions = resources.filter((v) => v.type === version && (v.propertyDependencies[versionRef] ?? []).includes(secret.urn));
            const waitsFor = effectiveDependencies(reader, resources);
            if (versions.length === 0 || versions.some((v) => waitsFor.has(v.urn))) continue;
            findings.push({
                policy: "secret-read-before-written",
                level: "mandatory",
                urn: reader.urn,
                message:
                    `${label(reader)} reads ${label(secret)} but does not wait for its version ${versions.map((v) => `"${v.name}"`).join(", ")}: ` +
                    `on the first \`up\` it can start before the secret has a value and never become ready. Add the version to dependsOn. Source: ${SECRET_READERS[reader.type].source}.`,
            });
        }
    }
    return findings;
}

/** The scope a name lives in, from the resource's inputs or the provider defaults; undefined when unknown. */
function scopeOf(r: ResourceRecord, scope: NameScope, config: Readonly<Record<string, string>>): string | undefined {
    const cloud = r.type.split(":")[0];
    const project = r.inputs.project ?? config["gcp:project"];
    const location = r.inputs.location ?? r.inputs.region ?? config[`${cloud}:region`];
    const region = r.inputs.region ?? config["aws:region"];
    switch (scope) {
        case "global":
            return "global";
        case "account":
            return "account";
        case "account+region":
            return known(region) ? `region ${region}` : undefined;
        case "project":
            return known(project) ? `project ${project}` : undefined;
        case "project+location":
            return known(project) && known(location) ? `project ${project}, ${location}` : undefined;
    }
}

/** Two resources with one unique name in one scope: the API refuses the second. */
function duplicateUniqueNames(resources: readonly ResourceRecord[], config: Readonly<Record<string, string>>): DeployabilityFinding[] {
    const seen = new Map<string, ResourceRecord>();
    const findings: DeployabilityFinding[] = [];
    for (const r of resources) {
        const rule = UNIQUE_NAMES[r.type];
        const value = rule ? r.inputs[rule.field] : undefined;
        if (!rule || !known(value)) continue;
        const scope = scopeOf(r, rule.scope, config);
        if (scope === undefined) continue;
        const key = `${r.type}\u0000${scope}\u0000${value}`;
        const first = seen.get(key);
        if (!first) {
            seen.set(key, r);
            continue;
        }
        if (first.urn === r.urn) continue; // reported as a duplicate URN
        findings.push({
            policy: "duplicate-unique-name",
            level: "mandatory",
            urn: r.urn,
            message: `${label(r)} and ${label(first)} both use ${rule.field} "${value}", which must be unique per ${rule.scope} (${scope}): the second create fails. Source: ${rule.source}.`,
        });
    }
    return findings;
}

/** The stack as names spell it: lowercase, anything but letters and digits folded to one hyphen. */
const nameSlug = (text: string) =>
    text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");

/**
 * Whether a name carries a stack too long to fit whole as Runway's names do (rules/gcp/names.ts):
 * its first `STACK_CUT_MIN` characters, then a 4-character digest of the full name at the end.
 */
function carriesCutStack(value: string, spellings: readonly string[]): boolean {
    return /[-_][a-z0-9]{4}$/.test(value) && spellings.some((s) => s.length > STACK_CUT_MIN && value.includes(s.slice(0, STACK_CUT_MIN)));
}

/** Whether a name input is computed from a `random:` resource (a per-stack suffix, e.g. RandomString). */
function derivedFromRandom(r: ResourceRecord, field: string, byUrn: ReadonlyMap<string, ResourceRecord>): boolean {
    return (r.propertyDependencies[field] ?? []).some((urn) => byUrn.get(urn)?.type.startsWith("random:"));
}

/**
 * Names unique per project, account or globally without the stack in them: a second stack of the
 * program (in the same project or account) plans the same name, and its first `up` fails (409).
 */
function namesSharedByStacks(resources: readonly ResourceRecord[], stack: string): DeployabilityFinding[] {
    // As written, and as names that allow only hyphens or only underscores (custom role ids) spell it.
    const spellings = [stack.toLowerCase(), nameSlug(stack), nameSlug(stack).replace(/-/g, "_")].filter(Boolean);
    const byUrn = new Map(resources.map((x) => [x.urn, x]));
    return resources.flatMap((r) => {
        const rule = UNIQUE_NAMES[r.type];
        const value = rule ? r.inputs[rule.field] : undefined;
        if (!rule || !known(value)) return [];
        if (rule.field === "url" || spellings.some((s) => value.toLowerCase().includes(s))) return []; // a URL is shared on purpose (one OIDC provider per account)
        if (carriesCutStack(value.toLowerCase(), spellings)) return [];
        if (derivedFromRandom(r, rule.field, byUrn)) return []; // each stack draws its own suffix
        const where = rule.scope.startsWith("project") ? "project" : rule.scope === "global" ? "cloud" : "account";
        return [
            {
                policy: "name-shared-by-stacks",
                level: "advisory" as const,
                urn: r.urn,
                message: `${label(r)} is named "${value}", unique per ${rule.scope}, without the stack "${stack}" in it: a second stack in the same ${where} creates the same name and fails. Include the stack, or take the name from config. Source: ${rule.source}.`,
            },
        ];
    });
}

/**
 * A stack that alone takes more than half of a per-region quota's default: a second such stack in the
 * account and region (the docs let stacks share an account), or what the account already holds, makes
 * the cloud refuse the rest in the middle of `up`, after the network exists.
 */
function regionalQuotas(resources: readonly ResourceRecord[], config: Readonly<Record<string, string>>): DeployabilityFinding[] {
    return Object.entries(REGIONAL_QUOTAS).flatMap(([type, rule]) => {
        const taken = resources.filter((r) => r.type === type && rule.counts(r.inputs));
        if (taken.length * 2 <= rule.defaultQuota) return [];
        const region = config["aws:region"] ? ` (${config["aws:region"]})` : "";
        return [
            {
                policy: "regional-quota",
                level: "advisory" as const,
                urn: taken[0].urn,
                message: `this stack takes ${taken.length} of the ${rule.defaultQuota} ${rule.what} a region${region} has by default (Service Quotas ${rule.code}): another such stack in the same account and region, or what the account already holds, and ${rule.error} midway through \`up\`. Request an increase before the first \`up\`, or give the stacks their own account or region. Source: ${rule.source}.`,
            },
        ];
    });
}

/** Runs every check on a plan's resources. Pure. */
export function checkDeployability(resources: readonly ResourceRecord[], context: DeployabilityContext): DeployabilityFinding[] {
    const config = context.config ?? {};
    return [
        ...duplicateUrns(resources),
        ...protectedReplaceOnChange(resources),
        ...secretReadBeforeWritten(resources),
        ...duplicateUniqueNames(resources, config),
        ...namesSharedByStacks(resources, context.stack),
        ...regionalQuotas(resources, config),
        ...kubernetesWiringProblems(resources).map((p) => ({ policy: "kubernetes-wiring", ...p })),
        ...kubernetesInputProblems(resources).map(({ level, urn, message }) => ({ policy: "kubernetes-inputs", level, urn, message })),
        ...(context.refusals ?? []).map((r) => ({
            policy: "refused-by-engine",
            level: "mandatory" as const,
            urn: r.urn,
            message: r.message,
        })),
    ];
}
