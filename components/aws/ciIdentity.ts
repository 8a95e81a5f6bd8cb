import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RunwayInputError, throwIfProblems, Problem } from "../../rules/problems";
import {
    GITHUB_ENVIRONMENT,
    GithubRepository,
    describeTarget,
    githubOidcProviderArn,
    repositoryIdProblems,
    targetProblems,
} from "../../rules/oidc";
import { GITHUB_OWNER, GITHUB_REPO } from "../../rules/patterns";
import { DeployTarget } from "../../rules/profile";
import { DeployScope, deployerPolicy, githubTrustPolicy, previewerPolicy } from "../../rules/aws/iam";
import { awsReads } from "../../rules/trust/reads";

/** One service a CI identity deploys on AWS: an ECS service or a Lambda function. */
export interface DeployedService {
    /** ECS service ARN (give this or `functionArn`). @default none */
    readonly serviceArn?: pulumi.Input<string>;
    /** Roles its task definition passes to ECS (the service's execution and task roles); only with `serviceArn`. @default [] */
    readonly passRoleArns?: pulumi.Input<string>[];
    /** Lambda function ARN (give this or `serviceArn`). @default none */
    readonly functionArn?: pulumi.Input<string>;
    /** The service's in-VPC smoke-test function (aws.SmokeTest): deployers may list the service's tasks and invoke it; only with `serviceArn`. @default none */
    readonly smokeFunctionArn?: pulumi.Input<string>;
    /** The migration task family (aws.MigrationTask): deployers may run it in the service's cluster; only with `serviceArn`. @default none */
    readonly migrationFamily?: pulumi.Input<string>;
    /** The CANARY deployment's rollback alarms (aws.Service `rollbackAlarmNames`): deployers may read their states. @default [] */
    readonly rollbackAlarmNames?: pulumi.Input<string>[];
    /**
     * An EKS cluster whose Deployment the deploy job rolls out with kubectl (give this alone):
     * deployers may describe the cluster (`aws eks update-kubeconfig`); what they may do inside it is
     * the Kubernetes RBAC of their access entry's group (aws.EksCluster.grantAccess). @default none
     */
    readonly clusterArn?: pulumi.Input<string>;
}

export interface CiIdentityArgs {
    /** GitHub owner. @example "acme" */
    readonly owner: string;
    /** Repository. @example "shop" */
    readonly repo: string;
    /** The repository's immutable numeric ID, which the trust is keyed on (`gh api repos/acme/shop --jq .id`). @example "89012345" */
    readonly repositoryId: string;
    /**
     * One deploy role per target, assumable only by jobs in that GitHub environment, or by that one
     * workflow file run on that branch.
     * @example [{ name: "production", environment: "production" }]
     */
    readonly targets: DeployTarget[];
    /**
     * ARN of the account's GitHub OIDC provider. It is account-wide (one per URL per account): the AWS bootstrap
     * creates it and no stack owns it; it is looked up, so a missing provider fails the preview.
     * @default the account's `arn:<partition>:iam::<account>:oidc-provider/token.actions.githubusercontent.com`
     */
    readonly existingProviderArn?: pulumi.Input<string>;
    /** ECR repositories the deployers push to (one per service image, or one shared). @example [registry.repository.arn] */
    readonly repositoryArns: pulumi.Input<string>[];
    /**
     * What every deployer may deploy: ECS services (with the roles their tasks run as) and Lambda
     * functions, nothing else.
     * @example [{ serviceArn: api.serviceArn, passRoleArns: [api.executionRole.arn, api.taskRole.arn] }, { functionArn: hook.functionArn }]
     */
    readonly services: DeployedService[];
    /**
     * GitHub environment (with required reviewers) whose jobs may assume a read-only previewer role
     * for `pulumi preview` on pull requests, after a maintainer approves each run. Never plain `pull_request` jobs.
     * @default none: no previewer
     * @example "runway-preview-production"
     */
    readonly previewEnvironment?: string;
}

/**
 * GitHub Actions → AWS with no keys: on the account's GitHub OIDC provider (created once by the bootstrap), one role
 * per target whose trust checks `aud = sts.amazonaws.com`, the repository's immutable ID and that
 * environment (or that workflow file on its branch), so both `sub` formats work and a renamed
 * repository's old name gives nothing;
 * allowed only to push to the listed repositories and deploy the listed services (ECS services or
 * Lambda functions): one identity can deploy every service of a repository.
 *
 * @example
 * new aws.CiIdentity("ci", { owner: "acme", repo: "shop", repositoryId: "89012345", targets: [{ name: "production", environment: "production" }],
 *     repositoryArns: [registry.repository.arn],
 *     services: [{ serviceArn: svc.serviceArn, passRoleArns: [svc.executionRole.arn, svc.taskRole.arn] }] });
 */
export class CiIdentity extends pulumi.ComponentResource {
    /** Target name → deploy role ARN, for aws-actions/configure-aws-credentials `role-to-assume`. */
    public readonly roleArns: Record<string, pulumi.Output<string>> = {};
    public readonly providerArn: pulumi.Output<string>;
    /** The previewer role's ARN, for the preview workflow's `role-to-assume` (when `previewEnvironment`). */
    public readonly previewerRoleArn?: pulumi.Output<string>;
    private previewerRole?: aws.iam.Role;
    private previewReadsGranted = false;
    private readonly componentName: string;

    constructor(name: string, args: CiIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:CiIdentity", name, {}, opts);
        this.componentName = name;
        const problems: Problem[] = [];
        if (!GITHUB_OWNER.test(args.owner) || !GITHUB_REPO.test(args.repo))
            problems.push({ key: `CiIdentity(${name}).owner/repo`, value: `${args.owner}/${args.repo}`, allowed: "a GitHub owner/repo" });
        const key = (field: string) => `CiIdentity(${name}).${field}`;
        problems.push(...repositoryIdProblems(args, key, ["repositoryId"]));
        if (args.previewEnvironment !== undefined && !GITHUB_ENVIRONMENT.test(args.previewEnvironment))
            problems.push({ key: key("previewEnvironment"), value: args.previewEnvironment, allowed: "a GitHub environment name" });
        for (const t of args.targets) {
            problems.push(...targetProblems(t, key));
            if ((t.branch ?? t.environment ?? "").includes("*"))
                problems.push({
                    key: `CiIdentity(${name}).targets`,
                    value: t.branch ?? t.environment,
                    allowed: "one branch or environment, no wildcards",
                });
        }
        if (args.repositoryArns.length === 0)
            problems.push({ key: `CiIdentity(${name}).repositoryArns`, value: [], allowed: "at least one ECR repository ARN" });
        if (args.services.length === 0)
            problems.push({
                key: `CiIdentity(${name}).services`,
                value: [],
                allowed: "at least one { serviceArn, passRoleArns }, { functionArn } or { clusterArn }",
            });
        args.services.forEach((s, i) => {
            if ([s.serviceArn, s.functionArn, s.clusterArn].filter((a) => a !== undefined).length !== 1)
                problems.push({
                    key: `CiIdentity(${name}).services[${i}]`,
                    value: Object.keys(s),
                    allowed: "exactly one of serviceArn (ECS), functionArn (Lambda) or clusterArn (EKS)",
                });
            if (s.functionArn !== undefined && s.passRoleArns !== undefined)
                problems.push({
                    key: `CiIdentity(${name}).services[${i}].passRoleArns`,
                    value: "(set)",
                    allowed: "only with serviceArn (a Lambda deploy passes no role)",
                });
        });
        throwIfProblems(`Invalid arguments for runway:aws:CiIdentity "${name}"`, problems);
        const scopes = pulumi.all(args.services.map(deployScope));
        const parent = { parent: this };
        this.providerArn = lookUpProvider(name, args.existingProviderArn, this);
        for (const target of args.targets) {
            const role = new aws.iam.Role(
                `${name}-deploy-${target.name}`,
                {
                    assumeRolePolicy: this.providerArn.apply((arn) => githubTrustPolicy(arn, repositoryOf(args), target)),
                    maxSessionDuration: 3600,
                    description: `Deploys ${args.owner}/${args.repo} from ${describeTarget(target)}`,
                },
                parent,
            );
            new aws.iam.RolePolicy(
                `${name}-deploy-${target.name}`,
                {
                    role: role.name,
                    policy: pulumi.all([pulumi.all(args.repositoryArns), scopes]).apply(([repos, s]) => deployerPolicy(repos, s)),
                },
                parent,
            );
            this.roleArns[target.name] = role.arn;
        }
        if (args.previewEnvironment !== undefined)
            this.previewerRoleArn = this.createPreviewer(name, args, args.previewEnvironment, parent);
        this.registerOutputs({ roleArns: this.roleArns, previewerRoleArn: this.previewerRoleArn });
    }

    /** Read-only identity for previews: only jobs of the (reviewer-guarded) preview environment may assume it. */
    private createPreviewer(
        name: string,
        args: CiIdentityArgs,
        environment: string,
        parent: pulumi.CustomResourceOptions,
    ): pulumi.Output<string> {
        const role = new aws.iam.Role(
            `${name}-preview`,
            {
                assumeRolePolicy: this.providerArn.apply((arn) =>
                    githubTrustPolicy(arn, repositoryOf(args), { name: "preview", environment }),
                ),
                maxSessionDuration: 3600,
                description: `Previews ${args.owner}/${args.repo} pull requests approved in ${environment} (read-only)`,
            },
            parent,
        );
        this.previewerRole = role;
        return role.arn;
    }

    /**
     * Grants the previewer exactly what a refreshing `pulumi preview` of this stack reads
     * (`rules/trust/reads.ts`), once the stack's resources are known: the reads of `types` and the
     * values of the stack's own secrets (its SSM path, its Secrets Manager secrets), nothing that
     * writes. Types no row covers are left out with a warning (their refresh fails).
     * @example ci.grantPreviewReads({ types: [...plannedTypes], parameterPathArn: secrets.pathArn, secretArns: secrets.secretsManagerArns })
     */
    public grantPreviewReads(reads: PreviewReads): void {
        if (this.previewerRole === undefined) return;
        if (this.previewReadsGranted) throw new Error(`CiIdentity(${this.componentName}).grantPreviewReads: called twice`);
        this.previewReadsGranted = true;
        const types = [...reads.types, "aws:iam/rolePolicy:RolePolicy"];
        const { unknown } = awsReads(types);
        if (unknown.length > 0)
            pulumi.log.warn(`The previewer cannot read ${unknown.join(", ")}: rules/trust/reads.ts has no row for them.`, this);
        new aws.iam.RolePolicy(
            `${this.componentName}-preview`,
            {
                role: this.previewerRole.name,
                policy: pulumi
                    .all([reads.parameterPathArn, pulumi.all(reads.secretArns ?? [])])
                    .apply(([parameterPathArn, secretArns]) => previewerPolicy(types, { parameterPathArn, secretArns })),
            },
            { parent: this },
        );
    }
}

/** What a stack's refreshing preview reads, for `CiIdentity.grantPreviewReads`. */
export interface PreviewReads {
    /** The stack's custom resource types (e.g. collected with `pulumi.runtime.registerStackTransformation`). */
    readonly types: readonly string[];
    /** ARN of the SSM path holding the stack's parameters (`arn:aws:ssm:…:parameter/<path>`). @default none */
    readonly parameterPathArn?: pulumi.Input<string>;
    /** The stack's Secrets Manager secrets. @default [] */
    readonly secretArns?: pulumi.Input<string>[];
}

/**
 * The account's GitHub OIDC provider, looked up by ARN (only `iam:GetOpenIDConnectProvider` on it): a stack never
 * creates the account-wide provider, and a missing one fails the preview with what to run instead of failing
 * `CreateRole` later ("Invalid principal in policy").
 */
function lookUpProvider(name: string, given: pulumi.Input<string> | undefined, parent: pulumi.Resource): pulumi.Output<string> {
    const arn =
        given !== undefined
            ? pulumi.output(given)
            : pulumi
                  .all([aws.getPartitionOutput({}, { parent }).partition, aws.getCallerIdentityOutput({}, { parent }).accountId])
                  .apply(([partition, account]) => githubOidcProviderArn(partition, account));
    return arn.apply(async (providerArn) => {
        try {
            return (await aws.iam.getOpenIdConnectProvider({ arn: providerArn }, { parent })).arn;
        } catch (e) {
            throw new RunwayInputError(`runway:aws:CiIdentity "${name}" needs the account's GitHub OIDC provider`, [
                {
                    key: given !== undefined ? `CiIdentity(${name}).existingProviderArn` : "GitHub OIDC provider",
                    value: providerArn,
                    allowed: `an existing provider: run the AWS bootstrap once per account (it creates it), or set runway:awsOidcProviderArn to the account's provider (lookup failed: ${lookupError(e)})`,
                },
            ]);
        }
    });
}

/** The resolved scope of one deployed service (validated: exactly one of serviceArn / functionArn). */
function deployScope(service: DeployedService): pulumi.Output<DeployScope> {
    return service.serviceArn !== undefined
        ? pulumi
              .all([
                  service.serviceArn,
                  pulumi.all(service.passRoleArns ?? []),
                  service.smokeFunctionArn,
                  service.migrationFamily,
                  pulumi.all(service.rollbackAlarmNames ?? []),
              ])
              .apply(([serviceArn, passRoleArns, smokeFunctionArn, migrationFamily, rollbackAlarmNames]) => ({
                  kind: "ecs" as const,
                  serviceArn,
                  passRoleArns,
                  ...(smokeFunctionArn !== undefined ? { smokeFunctionArn } : {}),
                  ...(migrationFamily !== undefined ? { migrationFamily } : {}),
                  ...(rollbackAlarmNames.length > 0 ? { rollbackAlarmNames } : {}),
              }))
        : service.clusterArn !== undefined
          ? pulumi.output(service.clusterArn).apply((clusterArn) => ({ kind: "eks" as const, clusterArn }))
          : pulumi.output(service.functionArn!).apply((functionArn) => ({ kind: "lambda" as const, functionArn }));
}

/** The first non-empty line of a lookup's error (the provider's reason, e.g. NoSuchEntity). */
function lookupError(e: unknown): string {
    const text = e instanceof Error ? e.message : String(e);
    return (
        text
            .split("\n")
            .map((l) => l.trim())
            .find((l) => l !== "") ?? "no reason given"
    );
}

/** The repository as the trust needs it. */
function repositoryOf(args: CiIdentityArgs): GithubRepository {
    return { owner: args.owner, repo: args.repo, repositoryId: args.repositoryId };
}
