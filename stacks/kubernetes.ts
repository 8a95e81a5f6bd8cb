/**
 * The Kubernetes runtime (runway:runtime kubernetes), as outlines: the cluster replaces Cloud Run /
 * ECS / Lambda; registry, image, secrets and budget are the serverless flavour's. Decisions:
 * rules/kubernetes/workload.ts, rules/gcp/cluster.ts, rules/aws/eks.ts.
 */
import type * as AwsComponents from "../components/aws";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "../components/docker";
import * as gcp from "../components/gcp";
import type * as Kubernetes from "../components/kubernetes";
import { EKS_NODE_PORT, EKS_VPC_CIDR, eksClusterPlan, eksFitProblems, podsThatFit } from "../rules/aws/eks";
import { throwIfProblems } from "../rules/problems";
import {
    GOOGLE_LOAD_BALANCER_RANGES,
    containerResources,
    mebibytes,
    millicores,
    replicas,
    workloadProblems,
} from "../rules/kubernetes/workload";
import * as github from "../components/github";
import { kubernetesCheck } from "../rules/kubernetes/delivery";
import { PolicyRule, accessGroup, rbacRules } from "../rules/kubernetes/rbac";
import { kubernetesReads } from "../rules/trust/reads";
import { gcpCallScope } from "../rules/trust/calls";
import type { AwsSpec, GcpSpec, StackSpec } from "./config";
import { createRepository, deliverySettings, repositoryOf } from "./delivery";
import { ManagedData, managedDataPorts } from "../rules/kubernetes/data";
import { awsManagedData, awsSecrets, buildImage, definedOnly, gcpDataSecrets, gcpManagedData, gcpRegistryAndImage } from "./shared";

/** The managed data the stack asked for (runway:database / runway:cache = managed). */
const managedData = (cfg: StackSpec): ManagedData => ({ database: cfg.database === "managed", cache: cfg.cache === "managed" });

/** Loaded only by a Kubernetes stack: serverless stacks never load the Kubernetes SDK. */
const kubernetes = (): typeof Kubernetes => require("../components/kubernetes");

/** Before anything registers: the workload's inputs (name as a DNS label, quantities, health path), and what is not built yet. */
function checkFirst(cfg: StackSpec, host: "gke" | "eks", domain?: string) {
    const { service, settings } = cfg;
    throwIfProblems(
        `Invalid Runway configuration for tier ${cfg.tier}`,
        workloadProblems({
            host,
            name: service.name,
            port: service.port,
            healthPath: service.healthPath,
            cpu: settings.cpu,
            memory: settings.memory,
            minReplicas: settings.minInstances,
            maxReplicas: settings.maxInstances,
            loadBalancerCidrs: [],
            dataPorts: [],
            domain,
        }),
    );
}

/** The Google APIs a GKE stack uses: the serverless flavour's (without Cloud Run), GKE's and Cloud Logging's. */
function gkeApis(cfg: GcpSpec): string[] {
    const needs = {
        network: true,
        vulnerabilityScanning: true,
        ciIdentity: cfg.github !== undefined,
        database: cfg.database === "managed",
        cache: cfg.cache === "managed",
    };
    return [...gcp.requiredApis(needs), "container.googleapis.com", "logging.googleapis.com"]
        .filter((api) => api !== "run.googleapis.com")
        .sort();
}

/** GKE: APIs → Autopilot cluster → managed data on its network → secrets → registry and image → Workload Identity → workload → CI and delivery → budget → previewer. */
export function composeGcpKubernetes(cfg: GcpSpec, planned: ReadonlySet<string>) {
    const { project, settings, tier, names } = cfg;
    checkFirst(cfg, "gke", cfg.domain);
    const apis = new gcp.Apis("apis", { project, services: gkeApis(cfg) });
    const after = { dependsOn: apis.services };
    const cluster = new gcp.AutopilotCluster(
        "cluster",
        {
            project,
            region: cfg.region,
            tier,
            kubernetes: cfg.kubernetes,
            clusterName: names.base,
            nodeAccountId: names.nodeAccount,
            protect: settings.protect,
            privateServicesAccess: managedData(cfg).database || managedData(cfg).cache,
        },
        after,
    );
    const psa = cluster.privateServicesConnection ? [cluster.privateServicesConnection] : [];
    const data = gcpManagedData(cfg, cluster.networkId, { dependsOn: [...apis.services, ...psa] });
    const values = { ...cfg.secrets, ...gcpDataSecrets(data) };
    const secrets = new gcp.Secrets("secrets", { project, prefix: names.base, protect: settings.protect, values }, after);
    const { registry, image } = gcpRegistryAndImage(cfg, after);
    registry.grantPull("nodes", cluster.nodeMember);
    const identity = new gcp.WorkloadIdentity("workload-identity", {
        project,
        accountId: names.podAccount,
        namespace: cfg.service.name,
        kubernetesServiceAccount: cfg.service.name,
        secretIds: secrets.secretIds,
    });
    const provider = kubernetes().kubernetesProvider("cluster-provider", cluster.kubeconfig, { dependsOn: [cluster.cluster] });
    const workload = createGkeWorkload(cfg, provider, image?.imageRef ?? cfg.service.image, secrets, identity);
    const ci = createGkeDelivery(cfg, { registry, cluster, provider, workload }, after);
    const monitoring = new gcp.Monitoring(
        "monitoring",
        {
            project,
            billingAccount: cfg.budget.billingAccount,
            budgetAmount: settings.budgetAmount,
            budgetCurrency: cfg.budget.currency,
            alerts: "budget",
            emails: cfg.alertEmails,
        },
        after,
    );
    // Last: the previewer reads exactly what this stack planned (cloud IAM, then Kubernetes RBAC in the namespace).
    if (ci?.previewerEmail !== undefined) {
        grantKubernetesPreview(cfg, provider, { kind: "User", name: ci.previewerEmail }, planned);
        ci.grantPreviewReads({
            types: [...planned],
            secretIds: secrets.secretIds,
            quotaProject: cfg.quotaProject,
        });
    }
    return definedOnly({
        tier,
        runtime: "kubernetes",
        clusterName: cluster.clusterName,
        namespace: workload.namespaceName,
        url: workload.url,
        podServiceAccount: identity.email,
        databaseInstance: data.database?.instance.name,
        databaseConnectionName: data.database?.connectionName,
        registryUrl: registry.url,
        image: image?.imageRef ?? cfg.service.image,
        workloadIdentityProvider: ci?.providerName,
        deployerServiceAccounts: ci?.deployerEmails,
        previewerServiceAccount: ci?.previewerEmail,
        budgetName: monitoring.budgetName,
    });
}

/** The service on the Autopilot cluster: Secret Manager secrets mounted by the CSI add-on, a GKE Ingress in front. */
function createGkeWorkload(
    cfg: GcpSpec,
    provider: ReturnType<typeof Kubernetes.kubernetesProvider>,
    image: pulumi.Input<string>,
    secrets: gcp.Secrets,
    identity: gcp.WorkloadIdentity,
): Kubernetes.Workload {
    const { settings } = cfg;
    return new (kubernetes().Workload)("app", {
        provider,
        host: "gke",
        name: cfg.service.name,
        image,
        port: cfg.service.port,
        healthPath: cfg.service.healthPath,
        env: cfg.service.env,
        // A secret's id is already `projects/<project>/secrets/<secret id>` (the provider's import format).
        secrets: Object.fromEntries(
            Object.entries(secrets.secretIds).map(([env, id]) => [env, { resource: pulumi.interpolate`${id}/versions/latest` }]),
        ),
        cpu: settings.cpu,
        memory: settings.memory,
        minReplicas: settings.minInstances,
        maxReplicas: settings.maxInstances,
        minPods: cfg.kubernetes.minPods,
        serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": identity.email },
        loadBalancerCidrs: [...GOOGLE_LOAD_BALANCER_RANGES],
        dataPorts: managedDataPorts("gcp", managedData(cfg)),
        gkeIngress: { domain: cfg.domain },
        ignoreImageChanges: cfg.ignoreImageChanges,
    });
}

/** What the Kubernetes delivery of a stack builds on. */
interface KubernetesParts {
    readonly provider: ReturnType<typeof Kubernetes.kubernetesProvider>;
    readonly workload: Kubernetes.Workload;
}

/**
 * The deploy job's Kubernetes RBAC: a Role in the namespace with exactly the calls of its kubectl
 * commands, on the service's Deployment only (its ReplicaSets are listed, which takes no name).
 */
function grantKubernetesDeploy(
    cfg: StackSpec,
    parts: KubernetesParts,
    settings: github.DeliverySettings,
    subject: Kubernetes.NamespaceAccessArgs["subject"],
): void {
    const rules = rbacRules(github.deployJobKubernetesCalls(settings), { "apps/deployments": cfg.service.name });
    new (kubernetes().NamespaceAccess)(
        "deployer-access",
        { provider: parts.provider, namespace: parts.workload.namespaceName, name: "runway-deploy", rules, subject },
        { dependsOn: [parts.workload.namespace] },
    );
}

/** The previewer's Kubernetes RBAC: `get` on each type of object the stack planned (its own Role included), the namespace by name. */
function grantKubernetesPreview(
    cfg: StackSpec,
    provider: ReturnType<typeof Kubernetes.kubernetesProvider>,
    subject: Kubernetes.NamespaceAccessArgs["subject"],
    planned: ReadonlySet<string>,
): void {
    const own = ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"].map((k) => `kubernetes:rbac.authorization.k8s.io/v1:${k}`);
    const reads = kubernetesReads([...planned, ...own]);
    const name = "runway-preview";
    const clusterRules: PolicyRule[] = rbacRules(reads.cluster).map((r) => ({
        ...r,
        // Cluster-wide objects by name only: the namespace, and the previewer's own ClusterRole and binding.
        resourceNames: r.resources[0] === "namespaces" ? [cfg.service.name] : [`${name}-${cfg.service.name}`],
    }));
    new (kubernetes().NamespaceAccess)("previewer-access", {
        provider,
        namespace: cfg.service.name,
        name,
        rules: rbacRules(reads.namespaced),
        clusterRules,
        subject,
    });
}

/**
 * GKE delivery: the CI identity (a deployer that may push to the registry, connect to the cluster and
 * roll out the one Deployment; a previewer with reviewers), and the app repository's workflows.
 */
function createGkeDelivery(
    cfg: GcpSpec,
    parts: KubernetesParts & { registry: gcp.Registry; cluster: gcp.AutopilotCluster },
    opts: pulumi.ComponentResourceOptions,
): gcp.CiIdentity | undefined {
    const gh = cfg.github;
    if (gh === undefined) return undefined;
    const { tier, names } = cfg;
    const ci = new gcp.CiIdentity(
        "ci",
        {
            project: cfg.project,
            ...repositoryOf(gh),
            idPrefix: cfg.service.name,
            deployerAccountIds: names.deployerAccount === undefined ? undefined : { [tier]: names.deployerAccount },
            previewerAccountId: names.previewerAccount,
            deployRoleId: names.deployRole,
            previewRoleId: names.previewRole,
            targets: [gh.deploySource],
            previewEnvironment: gh.previewEnvironment,
        },
        opts,
    );
    const smokeTest = kubernetesCheck({ allowListed: false });
    const settings = deliverySettings(cfg, gh, { target: "gke", smokeTest });
    const member = ci.deployerMembers[0];
    parts.registry.grantPush("deployer", member);
    const calls = github.deployJobCalls(settings);
    parts.cluster.grantConnect(
        "deployer",
        member,
        calls.filter((p) => gcpCallScope(p) === "project"),
    );
    grantKubernetesDeploy(cfg, parts, settings, { kind: "User", name: ci.deployerEmails[tier] });
    const k = github.KUBERNETES_VARIABLES;
    createRepository(cfg, {
        target: "gke",
        smokeTest,
        variables: {
            [github.VARIABLES.workloadIdentityProvider]: ci.providerName,
            [github.VARIABLES.deployer]: ci.deployerEmails[tier],
            [github.VARIABLES.project]: cfg.project,
            [github.VARIABLES.region]: cfg.region,
            [github.VARIABLES.registry]: parts.registry.url,
            [k.cluster]: parts.cluster.clusterName,
            [k.namespace]: parts.workload.namespaceName,
            [k.deployment]: parts.workload.deployment.metadata.name,
            ...(smokeTest === "http" ? { [k.serviceUrl]: parts.workload.url! } : {}),
        },
        previewVariables:
            ci.previewerEmail === undefined
                ? undefined
                : {
                      [github.PREVIEW_VARIABLES.workloadIdentityProvider]: ci.providerName,
                      [github.PREVIEW_VARIABLES.serviceAccount]: ci.previewerEmail,
                  },
    });
    return ci;
}

/** EKS: network → registry and image → secrets → cluster (nodes, add-ons, load balancer) → Pod Identity → workload → CI and delivery → budget → previewer. */
export function composeAwsKubernetes(cfg: AwsSpec, planned: ReadonlySet<string>) {
    const aws: typeof AwsComponents = require("../components/aws");
    const awsSdk: typeof import("@pulumi/aws") = require("@pulumi/aws");
    const { settings, tier, names } = cfg;
    checkFirst(cfg, "eks");
    const range = checkFit(cfg);
    const network = createEksNetwork(cfg);
    const registry = new aws.Registry("registry", {
        tier,
        repositoryName: names.repository,
        immutableTags: cfg.aws.immutableTags,
        keepCount: settings.registryKeepCount,
        untaggedImageDays: settings.untaggedImageDays,
        protect: settings.protect,
    });
    const image = buildImage(cfg, registry.repository, (build) => ({
        repository: registry.url,
        tag: docker.contentTag(build.context, build.dockerfile),
        ...aws.ecrCredentials(registry.repository.registryId),
    }));
    const cluster = new aws.EksCluster("cluster", {
        tier,
        kubernetes: cfg.kubernetes,
        logRetentionDays: cfg.aws.logRetentionDays,
        clusterName: names.cluster,
        vpcId: network.vpc.id,
        subnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
        loadBalancerSecurityGroupId: network.loadBalancerSecurityGroupId,
        healthPath: cfg.service.healthPath,
        protect: settings.protect,
        domain: cfg.aws.domain,
    });
    const secrets = createEksDataAndSecrets(cfg, network, cluster);
    const identity = new aws.PodIdentity("pod-identity", {
        clusterName: cluster.clusterName,
        namespace: cfg.service.name,
        serviceAccount: cfg.service.name,
        secretArns: Object.values(secrets.arns),
    });
    const provider = kubernetes().kubernetesProvider("cluster-provider", cluster.kubeconfig, { dependsOn: cluster.ready });
    const workload = createEksWorkload(cfg, provider, image?.imageRef ?? cfg.service.image, secrets, range, { dependsOn: [identity] });
    const ci = createEksDelivery(cfg, { registry, cluster, provider, workload });
    const monitoring = new aws.Monitoring("monitoring", {
        budgetAmount: settings.budgetAmount,
        accountId: awsSdk.getCallerIdentityOutput().accountId,
        emails: cfg.alertEmails,
        alerts: "budget",
    });
    // Last: the previewer reads exactly what this stack planned (IAM, then Kubernetes RBAC through its access entry's group).
    if (ci?.previewerRoleArn !== undefined) {
        cluster.grantAccess("previewer", ci.previewerRoleArn, accessGroup("preview", cfg.service.name));
        grantKubernetesPreview(cfg, provider, { kind: "Group", name: accessGroup("preview", cfg.service.name) }, planned);
        ci.grantPreviewReads({
            types: [...planned],
            parameterPathArn: secrets.names.length > 0 ? secrets.pathArn : undefined,
            secretArns: secrets.secretsManagerArns,
        });
    }
    return definedOnly({
        tier,
        cloud: "aws",
        runtime: "kubernetes",
        clusterName: cluster.clusterName,
        namespace: workload.namespaceName,
        serviceUrl: cluster.url,
        certificateValidationRecords: cfg.aws.domain ? cluster.certificateValidationRecords : undefined,
        podRoleArn: identity.role.arn,
        registryUrl: registry.url,
        image: image?.imageRef ?? cfg.service.image,
        deployRoleArns: ci?.roleArns,
        previewRoleArn: ci?.previewerRoleArn,
        budgetName: monitoring.budget.name,
        vpcId: network.vpc.id,
    });
}

/** The EKS VPC: subnets in two zones at least (EKS needs them); the nodes reach ECR and AWS APIs through NAT. */
function createEksNetwork(cfg: AwsSpec): AwsComponents.Network {
    const aws: typeof AwsComponents = require("../components/aws");
    const preset = cfg.aws;
    return new aws.Network("network", {
        cidr: EKS_VPC_CIDR,
        azCount: Math.max(2, preset.azCount),
        nat: preset.nat === "none" ? "single" : preset.nat,
        servicePort: EKS_NODE_PORT,
        allowedCidrs: cfg.aws.allowedCidrs.length > 0 ? cfg.aws.allowedCidrs : undefined,
    });
}

/**
 * RDS and ElastiCache in the EKS VPC's private subnets, admitting the cluster security group (the pods
 * run on the managed nodes, which carry it: no security groups per pod), then the secrets with their URLs.
 */
function createEksDataAndSecrets(cfg: AwsSpec, network: AwsComponents.Network, cluster: AwsComponents.EksCluster): AwsComponents.Secrets {
    const clientSecurityGroupId = cluster.cluster.vpcConfig.clusterSecurityGroupId;
    const data = awsManagedData(cfg, { vpcId: network.vpc.id, subnetIds: network.privateSubnetIds, clientSecurityGroupId });
    return awsSecrets(cfg, data.secrets);
}

/** Before anything registers: the tier's pods must fit the node group; the HPA's ceiling is what fits (no cluster autoscaler). */
function checkFit(cfg: AwsSpec): { min: number; max: number } {
    const { settings, tier } = cfg;
    const plan = eksClusterPlan(cfg.kubernetes, cfg.aws.logRetentionDays);
    const resources = containerResources("eks", settings.cpu, settings.memory).requests;
    const range = replicas(settings.minInstances, settings.maxInstances, cfg.kubernetes.minPods);
    throwIfProblems(
        `Invalid Runway configuration for tier ${tier}`,
        eksFitProblems(plan, millicores(resources.cpu), mebibytes(resources.memory), range.min),
    );
    return { min: range.min, max: Math.min(range.max, podsThatFit(plan, millicores(resources.cpu), mebibytes(resources.memory))) };
}

/** The service on the EKS nodes: Secrets Manager / Parameter Store values mounted through Pod Identity, the ALB to its NodePort. */
function createEksWorkload(
    cfg: AwsSpec,
    provider: ReturnType<typeof Kubernetes.kubernetesProvider>,
    image: pulumi.Input<string>,
    secrets: AwsComponents.Secrets,
    range: { min: number; max: number },
    opts: pulumi.ComponentResourceOptions,
): Kubernetes.Workload {
    const { settings } = cfg;
    return new (kubernetes().Workload)(
        "app",
        {
            provider,
            host: "eks",
            name: cfg.service.name,
            image,
            port: cfg.service.port,
            healthPath: cfg.service.healthPath,
            env: cfg.service.env,
            secrets: Object.fromEntries(Object.entries(secrets.arns).map(([env, arn]) => [env, { resource: arn }])),
            cpu: settings.cpu,
            memory: settings.memory,
            minReplicas: range.min,
            maxReplicas: range.max,
            minPods: cfg.kubernetes.minPods,
            // The ALB reaches pods through the nodes (kube-proxy translates the NodePort): sources are VPC addresses.
            loadBalancerCidrs: [EKS_VPC_CIDR],
            dataPorts: managedDataPorts("aws", managedData(cfg)),
            nodePort: EKS_NODE_PORT,
            ignoreImageChanges: cfg.ignoreImageChanges,
        },
        opts,
    );
}

/**
 * EKS delivery: the CI identity (a deploy role that may push to the registry, describe the cluster
 * and, through its access entry's group, roll out the one Deployment; a previewer with reviewers) and
 * the app repository's workflows. The load balancer is called after the rollout unless it admits only
 * `runway:allowedCidrs`.
 */
function createEksDelivery(
    cfg: AwsSpec,
    parts: KubernetesParts & { registry: AwsComponents.Registry; cluster: AwsComponents.EksCluster },
): AwsComponents.CiIdentity | undefined {
    const gh = cfg.github;
    if (gh === undefined) return undefined;
    const aws: typeof AwsComponents = require("../components/aws");
    const target = gh.deploySource;
    const ci = new aws.CiIdentity("ci", {
        ...repositoryOf(gh),
        targets: [target],
        existingProviderArn: cfg.aws.oidcProviderArn,
        repositoryArns: [parts.registry.repository.arn],
        services: [{ clusterArn: parts.cluster.cluster.arn }],
        previewEnvironment: gh.previewEnvironment,
    });
    const smokeTest = kubernetesCheck({ allowListed: cfg.aws.allowedCidrs.length > 0 });
    const settings = deliverySettings(cfg, gh, { target: "eks", smokeTest });
    const group = accessGroup("deploy", cfg.service.name);
    parts.cluster.grantAccess("deployer", ci.roleArns[target.name], group);
    grantKubernetesDeploy(cfg, parts, settings, { kind: "Group", name: group });
    const k = github.KUBERNETES_VARIABLES;
    const a = github.AWS_VARIABLES;
    createRepository(cfg, {
        target: "eks",
        smokeTest,
        variables: {
            [a.roleArn]: ci.roleArns[target.name],
            [a.region]: cfg.region,
            [a.repository]: parts.registry.url,
            [k.cluster]: parts.cluster.clusterName,
            [k.namespace]: parts.workload.namespaceName,
            [k.deployment]: parts.workload.deployment.metadata.name,
            ...(smokeTest === "http" ? { [k.serviceUrl]: parts.cluster.url } : {}),
        },
        previewVariables:
            ci.previewerRoleArn === undefined
                ? undefined
                : { [github.AWS_PREVIEW_VARIABLES.roleArn]: ci.previewerRoleArn, [github.AWS_PREVIEW_VARIABLES.region]: cfg.region },
    });
    return ci;
}
