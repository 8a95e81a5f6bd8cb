import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Problem, throwIfProblems } from "../../rules/problems";
import { GITHUB_OWNER, GITHUB_REPO } from "../../rules/patterns";
import { GITHUB_ENVIRONMENT, GithubRepository, describeTarget, repositoryIdProblems, targetProblems } from "../../rules/oidc";
import { gcpProjectReads } from "../../rules/trust/reads";
import { nthName } from "../childNames";
import {
    DEPLOYER_PERMISSIONS,
    DEPLOYER_ROLES,
    DeployTarget,
    GITHUB_ATTRIBUTE_MAPPING,
    GITHUB_OIDC_ISSUER,
    gcpRepositoryCondition,
    workloadIdentityMember,
} from "../../rules/gcp/iam";
import {
    CUSTOM_ROLE_ID,
    CUSTOM_ROLE_ID_ALLOWED,
    SERVICE_ACCOUNT_ID,
    SERVICE_ACCOUNT_ID_ALLOWED,
    serviceAccountId,
    workloadIdentityId,
} from "./names";

/** One Cloud Run service a CI identity deploys. */
export interface DeployedService {
    /** Cloud Run service name. @example "shop-web" */
    readonly name: pulumi.Input<string>;
    /** Region of the service. @example "us-central1" */
    readonly location: pulumi.Input<string>;
    /** Full name (`projects/…/serviceAccounts/…`) of the service account its revisions run as. @default none: no act-as grant */
    readonly runtimeServiceAccount?: pulumi.Input<string>;
}

export interface CiIdentityArgs {
    /** Project id. */
    readonly project: pulumi.Input<string>;
    /** GitHub owner (user or organisation). @example "acme" */
    readonly owner: string;
    /** GitHub repository name. @example "shop" */
    readonly repo: string;
    /** The owner's immutable numeric ID, which the trust is keyed on (`gh api repos/acme/shop --jq .owner.id`). @example "1234567" */
    readonly ownerId: string;
    /** The repository's immutable numeric ID, which the trust is keyed on (`gh api repos/acme/shop --jq .id`). @example "89012345" */
    readonly repositoryId: string;
    /**
     * One deployer service account per target, usable only by jobs in that GitHub environment, or by
     * that one workflow file run on that branch.
     * @example [{ name: "production", environment: "production" }, { name: "solo", branch: "main", workflow: ".github/workflows/deploy-solo.yml" }]
     */
    readonly targets: DeployTarget[];
    /**
     * Cloud Run services every deployer may deploy: roles/run.developer on each service and
     * roles/iam.serviceAccountUser on each runtime service account, nothing project-wide. Grants are
     * named by position (`nthName`): append new services at the end.
     * @default [] (no deploy grant)
     * @example [{ name: web.serviceName, location: "us-central1", runtimeServiceAccount: web.runtimeServiceAccount.name }]
     */
    readonly services?: DeployedService[];
    /**
     * What each deployer may do on each listed service (a custom role granted on the service only).
     * @default DEPLOYER_PERMISSIONS (everything Runway's generated deploy jobs call there)
     */
    readonly deployPermissions?: string[];
    /** Prefix for pool and account ids. @default the component name */
    readonly idPrefix?: string;
    /**
     * Service account id of each target's deployer, by target name (unique in the project: two
     * stacks sharing a project need their own). @default `<idPrefix>-deploy-<target>` (shortened with a hash past 30 characters)
     * @example { production: "shop-production-deploy" }
     */
    readonly deployerAccountIds?: Record<string, string>;
    /** Service account id of the previewer. @default `<idPrefix>-preview-<first target>` */
    readonly previewerAccountId?: string;
    /**
     * Id of the deployers' custom role (`[a-zA-Z0-9_.]{3,64}`, unique in the project: two stacks of one
     * tier sharing a project need their own). @default `runwayDeploy_<idPrefix>_<first target>`
     * @example customRoleId("runwayDeploy", "shop", "production-eu")
     */
    readonly deployRoleId?: string;
    /** Id of the previewer's custom role (as `deployRoleId`). @default `runwayPreview_<idPrefix>_<first target>` */
    readonly previewRoleId?: string;
    /**
     * GitHub environment (with required reviewers) whose jobs may use a read-only previewer for
     * `pulumi preview` on pull requests: a maintainer approves each preview before GitHub issues the
     * token. Never plain `pull_request` jobs.
     * @default none: no previewer
     * @example "runway-preview-production"
     */
    readonly previewEnvironment?: string;
}

/**
 * GitHub Actions → Google Cloud with no keys: a Workload Identity pool (id suffixed, since deleted
 * pools block their id for 30 days), a GitHub OIDC provider that accepts only this repository's
 * tokens, by its immutable owner and repository IDs (so a renamed repository's old name gives
 * nothing, and both `sub` formats work), and one deployer service account per target bound to that
 * environment's jobs or that workflow's runs on its branch, with roles on the listed services and
 * their runtime identities only. One identity can
 * deploy several services of a repository; pushing images is granted by the registry
 * (`registry.grantPush(…, ci.deployerMembers[0])`).
 *
 * @example
 * const ci = new gcp.CiIdentity("ci", { project, owner: "acme", repo: "shop", ownerId: "1234567", repositoryId: "89012345",
 *     targets: [{ name: "production", environment: "production" }],
 *     services: [web, worker].map((s) => ({
 *         name: s.serviceName, location: "us-central1", runtimeServiceAccount: s.runtimeServiceAccount.name })) });
 */
export class CiIdentity extends pulumi.ComponentResource {
    public readonly pool: gcp.iam.WorkloadIdentityPool;
    public readonly provider: gcp.iam.WorkloadIdentityPoolProvider;
    /** Target name → deployer service account. */
    public readonly deployers: Record<string, gcp.serviceaccount.Account> = {};
    /** Full provider resource name, for google-github-actions/auth `workload_identity_provider`. */
    public readonly providerName: pulumi.Output<string>;
    /** Target name → deployer email, for google-github-actions/auth `service_account`. */
    public readonly deployerEmails: Record<string, pulumi.Output<string>> = {};
    /** `serviceAccount:` members of every deployer, for grants elsewhere (e.g. registry writers). */
    public readonly deployerMembers: pulumi.Output<string>[] = [];
    /** The previewer's email, for google-github-actions/auth `service_account` in the preview environment (when `previewEnvironment`). */
    public readonly previewerEmail?: pulumi.Output<string>;
    private readonly componentName: string;
    private readonly project: pulumi.Input<string>;
    private readonly previewRoleId: string;
    private previewReadsGranted = false;

    constructor(name: string, args: CiIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:CiIdentity", name, {}, opts);
        validate(name, args);
        const prefix = args.idPrefix ?? name;
        const parent = { parent: this };

        const suffix = new random.RandomString(`${name}-pool-suffix`, { length: 4, special: false, upper: false }, parent);
        this.componentName = name;
        this.project = args.project;
        this.previewRoleId = args.previewRoleId ?? targetRoleId("runwayPreview", prefix, args.targets[0].name);
        this.pool = new gcp.iam.WorkloadIdentityPool(
            `${name}-pool`,
            {
                project: args.project,
                workloadIdentityPoolId: pulumi.interpolate`${workloadIdentityId(prefix, "gh").slice(0, 27)}-${suffix.result}`,
                displayName: `GitHub ${args.owner}/${args.repo}`.slice(0, 32),
                description: "GitHub Actions OIDC for Runway deployments",
            },
            parent,
        );
        this.provider = new gcp.iam.WorkloadIdentityPoolProvider(
            `${name}-github`,
            {
                project: args.project,
                workloadIdentityPoolId: this.pool.workloadIdentityPoolId,
                workloadIdentityPoolProviderId: "github",
                displayName: "GitHub Actions",
                attributeMapping: { ...GITHUB_ATTRIBUTE_MAPPING },
                attributeCondition: gcpRepositoryCondition(repositoryOf(args)),
                oidc: { issuerUri: GITHUB_OIDC_ISSUER },
            },
            parent,
        );
        this.providerName = this.provider.name;

        const deployRole =
            (args.services ?? []).length === 0
                ? undefined
                : new gcp.projects.IAMCustomRole(
                      `${name}-deploy-role`,
                      {
                          project: args.project,
                          roleId: args.deployRoleId ?? targetRoleId("runwayDeploy", prefix, args.targets[0].name),
                          title: "Runway deployer (one Cloud Run service)",
                          description: "What the generated deploy job calls on the services it deploys; granted on those services only.",
                          permissions: [...(args.deployPermissions ?? DEPLOYER_PERMISSIONS)].sort(),
                      },
                      parent,
                  );
        const deployRoleName = deployRole && customRoleName(args.project, deployRole);
        for (const target of args.targets) {
            this.createDeployer(name, prefix, args, target, deployRoleName && { name: deployRoleName, role: deployRole! });
        }
        if (args.previewEnvironment !== undefined) this.previewerEmail = this.createPreviewer(name, prefix, args, args.previewEnvironment);
        this.registerOutputs({ providerName: this.providerName, deployerEmails: this.deployerEmails, previewerEmail: this.previewerEmail });
    }

    private createDeployer(
        name: string,
        prefix: string,
        args: CiIdentityArgs,
        target: DeployTarget,
        deployRole: { name: pulumi.Output<string>; role: gcp.projects.IAMCustomRole } | undefined,
    ): void {
        const role = `${name}-deploy-${target.name}`;
        const parent = { parent: this };
        const deployer = new gcp.serviceaccount.Account(
            role,
            {
                project: args.project,
                accountId: args.deployerAccountIds?.[target.name] ?? serviceAccountId(prefix, `deploy-${target.name}`),
                displayName: `Deploys ${args.owner}/${args.repo} from ${describeTarget(target)}`.slice(0, 100),
            },
            parent,
        );
        const member = pulumi.interpolate`serviceAccount:${deployer.email}`;
        new gcp.serviceaccount.IAMMember(
            `${role}-wif`,
            {
                serviceAccountId: deployer.name,
                role: "roles/iam.workloadIdentityUser",
                member: this.pool.name.apply((pool) => workloadIdentityMember(pool, repositoryOf(args), target)),
            },
            parent,
        );
        (args.services ?? []).forEach((service, index) => {
            // Named when the grant was roles/run.developer; the custom role replaces the binding in place.
            new gcp.cloudrunv2.ServiceIamMember(
                nthName(`${role}-run-developer`, index),
                {
                    project: args.project,
                    location: service.location,
                    name: service.name,
                    role: deployRole!.name,
                    member,
                },
                { ...parent, dependsOn: [deployRole!.role] },
            );
            if (service.runtimeServiceAccount === undefined) return;
            new gcp.serviceaccount.IAMMember(
                nthName(`${role}-act-as-runtime`, index),
                {
                    serviceAccountId: service.runtimeServiceAccount,
                    role: DEPLOYER_ROLES.runtimeServiceAccount,
                    member,
                },
                parent,
            );
        });
        this.deployers[target.name] = deployer;
        this.deployerEmails[target.name] = deployer.email;
        this.deployerMembers.push(member);
    }

    /** Read-only identity for previews: only jobs in the (reviewer-guarded) preview environment may use it, and it can only view. */
    private createPreviewer(name: string, prefix: string, args: CiIdentityArgs, environment: string): pulumi.Output<string> {
        const role = `${name}-preview`;
        const parent = { parent: this };
        const previewer = new gcp.serviceaccount.Account(
            role,
            {
                project: args.project,
                // Named after the stack's deploy target, like the deployers: solo and production may share a project.
                accountId: args.previewerAccountId ?? serviceAccountId(prefix, `preview-${args.targets[0].name}`),
                displayName: `Previews ${args.owner}/${args.repo} pull requests approved in ${environment} (read-only)`.slice(0, 100),
            },
            parent,
        );
        new gcp.serviceaccount.IAMMember(
            `${role}-wif`,
            {
                serviceAccountId: previewer.name,
                role: "roles/iam.workloadIdentityUser",
                member: this.pool.name.apply((pool) => workloadIdentityMember(pool, repositoryOf(args), { name: "preview", environment })),
            },
            parent,
        );
        return previewer.email;
    }

    /**
     * Grants the previewer exactly what a refreshing `pulumi preview` of this stack reads
     * (`rules/trust/reads.ts`), once the stack's resources are known: a custom project role with the
     * project-scoped reads of `types` (id suffixed, since deleted roles block their id for 37 days),
     * `roles/secretmanager.secretAccessor` on each of the stack's secrets (a secret version's refresh
     * reads its value). A single-project budget is read with project permissions (the custom role), so
     * nothing is granted on the billing account. Nothing writes. Types no row covers are left out with a
     * warning (their refresh fails).
     * @example ci.grantPreviewReads({ types: [...plannedTypes], secretIds: secrets.secretIds, quotaProject: true })
     */
    public grantPreviewReads(reads: PreviewReads): void {
        if (this.previewerEmail === undefined) return;
        if (this.previewReadsGranted) throw new Error(`CiIdentity(${this.componentName}).grantPreviewReads: called twice`);
        this.previewReadsGranted = true;
        const name = `${this.componentName}-preview`;
        const parent = { parent: this };
        const member = pulumi.interpolate`serviceAccount:${this.previewerEmail}`;
        const ownTypes = [PREVIEW_ROLE_TYPE, PROJECT_MEMBER_TYPE, ...(Object.keys(reads.secretIds).length > 0 ? [SECRET_MEMBER_TYPE] : [])];
        const { permissions, unknown } = gcpProjectReads([...reads.types, ...ownTypes], reads.quotaProject);
        if (unknown.length > 0)
            pulumi.log.warn(`The previewer cannot read ${unknown.join(", ")}: rules/trust/reads.ts has no row for them.`, this);
        const role = new gcp.projects.IAMCustomRole(
            `${name}-reads`,
            {
                project: this.project,
                roleId: this.previewRoleId,
                title: "Runway previewer (refresh reads)",
                description:
                    "What a refreshing pulumi preview of this stack reads, nothing more (generated from the stack's resource types).",
                permissions,
            },
            parent,
        );
        new gcp.projects.IAMMember(
            `${name}-reads`,
            { project: this.project, role: customRoleName(this.project, role), member },
            { ...parent, dependsOn: [role] },
        );
        for (const [key, secretId] of Object.entries(reads.secretIds)) {
            new gcp.secretmanager.SecretIamMember(
                `${name}-secret-${key.toLowerCase().replace(/_/g, "-")}`,
                { secretId, role: "roles/secretmanager.secretAccessor", member },
                parent,
            );
        }
    }
}

/** What a stack's refreshing preview reads, for `CiIdentity.grantPreviewReads`. */
export interface PreviewReads {
    /** The stack's custom resource types (e.g. collected with `pulumi.runtime.registerStackTransformation`). */
    readonly types: readonly string[];
    /** The stack's secrets (key → secret id) whose versions the refresh reads. @default {} */
    readonly secretIds: Readonly<Record<string, pulumi.Input<string>>>;
    /** Requests are billed to the project (`gcp:userProjectOverride`): `serviceusage.services.use` there. */
    readonly quotaProject: boolean;
}

const PREVIEW_ROLE_TYPE = "gcp:projects/iAMCustomRole:IAMCustomRole";
const PROJECT_MEMBER_TYPE = "gcp:projects/iAMMember:IAMMember";
const SECRET_MEMBER_TYPE = "gcp:secretmanager/secretIamMember:SecretIamMember";

/**
 * A custom role id (`[a-zA-Z0-9_.]{3,64}`), unique per component prefix and target in a project. A
 * fixed id is safe: re-creating a role that was deleted (soft-deleted for 37 days) undeletes and
 * updates it (magic-modules resource_google_project_iam_custom_role.go, Create).
 */
function targetRoleId(kind: string, prefix: string, target: string): string {
    return `${kind}_${prefix}_${target}`.replace(/[^a-zA-Z0-9_.]/g, "_").slice(0, 64);
}

/** The role's full name as bindings use it, known before the role exists (`projects/<project>/roles/<id>`), so plans and policies can read it. */
function customRoleName(project: pulumi.Input<string>, role: gcp.projects.IAMCustomRole): pulumi.Output<string> {
    return pulumi.interpolate`projects/${project}/roles/${role.roleId}`;
}

function validate(name: string, args: CiIdentityArgs): void {
    const problems: Problem[] = [];
    const key = (field: string) => `CiIdentity(${name}).${field}`;
    if (!GITHUB_OWNER.test(args.owner))
        problems.push({ key: key("owner"), value: args.owner, allowed: "a GitHub user or organisation name" });
    if (!GITHUB_REPO.test(args.repo)) problems.push({ key: key("repo"), value: args.repo, allowed: "a GitHub repository name" });
    problems.push(...repositoryIdProblems(args, key));
    if (
        args.deployPermissions !== undefined &&
        (args.deployPermissions.length === 0 || !args.deployPermissions.every((p) => /^run\.[a-z]+\.[a-zA-Z]+$/.test(p)))
    )
        problems.push({
            key: key("deployPermissions"),
            value: args.deployPermissions,
            allowed: "Cloud Run permissions such as run.services.get (granted on each service)",
        });
    if (args.previewEnvironment !== undefined && !GITHUB_ENVIRONMENT.test(args.previewEnvironment))
        problems.push({ key: key("previewEnvironment"), value: args.previewEnvironment, allowed: "a GitHub environment name" });
    if (args.targets.length === 0)
        problems.push({ key: key("targets"), value: [], allowed: "at least one { name, environment } or { name, branch, workflow }" });
    const seen = new Set<string>();
    for (const target of args.targets) {
        if (!/^[a-z][a-z0-9-]{0,14}$/.test(target.name) || seen.has(target.name)) {
            problems.push({ key: key("targets.name"), value: target.name, allowed: "unique lowercase names of at most 15 characters" });
        }
        seen.add(target.name);
        problems.push(...targetProblems(target, key));
        if (target.branch !== undefined && /[*?]|^refs\//.test(target.branch)) {
            problems.push({
                key: key(`targets[${target.name}].branch`),
                value: target.branch,
                allowed: "one exact branch name (no wildcards, no refs/heads/)",
            });
        }
    }
    const ids = { ...Object.fromEntries(Object.entries(args.deployerAccountIds ?? {}).map(([t, id]) => [`deployerAccountIds.${t}`, id])) };
    if (args.previewerAccountId !== undefined) ids.previewerAccountId = args.previewerAccountId;
    for (const [field, id] of Object.entries(ids))
        if (!SERVICE_ACCOUNT_ID.test(id)) problems.push({ key: key(field), value: id, allowed: SERVICE_ACCOUNT_ID_ALLOWED });
    for (const field of ["deployRoleId", "previewRoleId"] as const) {
        const id = args[field];
        if (id !== undefined && !CUSTOM_ROLE_ID.test(id)) problems.push({ key: key(field), value: id, allowed: CUSTOM_ROLE_ID_ALLOWED });
    }
    for (const target of Object.keys(args.deployerAccountIds ?? {}))
        if (!seen.has(target))
            problems.push({ key: key(`deployerAccountIds.${target}`), value: target, allowed: `a target name (${[...seen].join(", ")})` });
    throwIfProblems(`Invalid arguments for runway:gcp:CiIdentity "${name}"`, problems);
}

/** The repository as the trust needs it. */
function repositoryOf(args: CiIdentityArgs): GithubRepository {
    return { owner: args.owner, repo: args.repo, ownerId: args.ownerId, repositoryId: args.repositoryId };
}
