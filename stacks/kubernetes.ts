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
import { slug, stackScopedId } from "../rules/gcp/names";
import {
    GOOGLE_LOAD_BALANCER_RANGES,
    containerResources,
    mebibytes,
    millicores,
    replicas,
    workloadProblems,
} from "../rules/kubernetes/workload";
import { TIER_PROFILES } from "../rules/profile";
import type { RunwayConfig } from "./config";
import { buildImage, definedOnly, gcpRegistryAndImage } from "./shared";

/** Loaded only by a Kubernetes stack: serverless stacks never load the Kubernetes SDK. */
const kubernetes = (): typeof Kubernetes => require("../components/kubernetes");

/** Said on every Kubernetes plan with a GitHub repository: what is not generated for it yet. */
export const KUBERNETES_DELIVERY_PENDING =
    "runway:runtime kubernetes plans no CI identity, GitHub environment or deploy workflow yet (docs/kubernetes.md, 'Delivery'): deploy with `pulumi up` and a new image (runway:image), or keep runway:runtime serverless for generated delivery.";

/** Before anything registers: the workload's inputs (name as a DNS label, quantities, health path), and what is not built yet. */
function checkFirst(cfg: RunwayConfig, host: "gke" | "eks") {
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
        }),
    );
    if (cfg.github) pulumi.log.warn(KUBERNETES_DELIVERY_PENDING);
}

/** GKE: APIs → secrets → registry and image → Autopilot cluster → Workload Identity → workload → budget. */
export function composeGcpKubernetes(cfg: RunwayConfig, _planned: ReadonlySet<string>) {
    const { project, region, settings, tier } = cfg;
    const stack = pulumi.getStack();
    const base = slug(`${cfg.service.name}-${stack}`).slice(0, 40).replace(/-$/, "");
    checkFirst(cfg, "gke");
    const services = [
        ...gcp.requiredApis({ network: true, vulnerabilityScanning: true }),
        "container.googleapis.com",
        "logging.googleapis.com",
    ]
        .filter((api) => api !== "run.googleapis.com")
        .sort();
    const apis = new gcp.Apis("apis", { project, services });
    const after = { dependsOn: apis.services };
    const secrets = new gcp.Secrets("secrets", { project, prefix: base, protect: settings.protect, values: cfg.secrets }, after);
    const { registry, image } = gcpRegistryAndImage(cfg, base, after);
    const cluster = new gcp.AutopilotCluster(
        "cluster",
        {
            project,
            region,
            tier,
            clusterName: base,
            nodeAccountId: stackScopedId(cfg.service.name, stack, "nodes", 30),
            protect: settings.protect,
        },
        after,
    );
    registry.grantPull("nodes", cluster.nodeMember);
    const identity = new gcp.WorkloadIdentity("workload-identity", {
        project,
        accountId: stackScopedId(cfg.service.name, stack, "pods", 30),
        namespace: cfg.service.name,
        kubernetesServiceAccount: cfg.service.name,
        secretIds: secrets.secretIds,
    });
    const k8s = kubernetes();
    const provider = k8s.kubernetesProvider("cluster-provider", cluster.kubeconfig, { dependsOn: [cluster] });
    const workload = new k8s.Workload("app", {
        provider,
        host: "gke",
        name: cfg.service.name,
        image: image?.imageRef ?? cfg.service.image,
        port: cfg.service.port,
        healthPath: cfg.service.healthPath,
        env: cfg.service.env,
        secrets: Object.fromEntries(
            Object.entries(secrets.secretIds).map(([env, id]) => [
                env,
                { resource: pulumi.interpolate`projects/${project}/secrets/${id}/versions/latest` },
            ]),
        ),
        cpu: settings.cpu,
        memory: settings.memory,
        minReplicas: settings.minInstances,
        maxReplicas: settings.maxInstances,
        minPods: TIER_PROFILES[tier].kubernetes.minPods,
        serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": identity.email },
        loadBalancerCidrs: [...GOOGLE_LOAD_BALANCER_RANGES],
        gkeIngress: { domain: cfg.domain },
    });
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
    return definedOnly({
        tier,
        runtime: "kubernetes",
        clusterName: cluster.clusterName,
        namespace: workload.namespaceName,
        podServiceAccount: identity.email,
        registryUrl: registry.url,
        image: image?.imageRef ?? cfg.service.image,
        budgetName: monitoring.budgetName,
    });
}

/** EKS: network → registry and image → secrets → cluster (nodes, add-ons, load balancer) → Pod Identity → workload → budget. */
export function composeAwsKubernetes(cfg: RunwayConfig, _planned: ReadonlySet<string>) {
    const aws: typeof AwsComponents = require("../components/aws");
    const awsSdk: typeof import("@pulumi/aws") = require("@pulumi/aws");
    const { settings, tier } = cfg;
    checkFirst(cfg, "eks");
    const stack = pulumi.getStack();
    const names = aws.awsNames(slug(`${cfg.service.name}-${stack}`).slice(0, 40).replace(/-$/, ""));
    const plan = eksClusterPlan(TIER_PROFILES[tier].kubernetes, TIER_PROFILES[tier].aws.logRetentionDays);
    // Checked before anything registers: the tier's pods must fit the node group; the HPA's ceiling is what fits (no cluster autoscaler).
    const resources = containerResources("eks", settings.cpu, settings.memory).requests;
    const fit = podsThatFit(plan, millicores(resources.cpu), mebibytes(resources.memory));
    const range = replicas(settings.minInstances, settings.maxInstances, TIER_PROFILES[tier].kubernetes.minPods);
    throwIfProblems(
        `Invalid Runway configuration for tier ${tier}`,
        eksFitProblems(plan, millicores(resources.cpu), mebibytes(resources.memory), range.min),
    );
    const preset = TIER_PROFILES[tier].aws;
    const network = new aws.Network("network", {
        cidr: EKS_VPC_CIDR,
        // EKS needs subnets in two zones at least; the nodes reach ECR and AWS APIs through NAT.
        azCount: Math.max(2, preset.azCount),
        nat: preset.nat === "none" ? "single" : preset.nat,
        servicePort: EKS_NODE_PORT,
        allowedCidrs: cfg.aws!.allowedCidrs.length > 0 ? cfg.aws!.allowedCidrs : undefined,
    });
    const registry = new aws.Registry("registry", {
        tier,
        repositoryName: names.repository,
        keepCount: settings.registryKeepCount,
        untaggedImageDays: settings.untaggedImageDays,
        protect: settings.protect,
    });
    const image = buildImage(cfg, registry.repository, (build) => ({
        repository: registry.url,
        tag: docker.contentTag(build.context, build.dockerfile),
        ...aws.ecrCredentials(registry.repository.registryId),
    }));
    const secrets = new aws.Secrets("secrets", {
        tier,
        path: `/${pulumi.getProject()}/${stack}`,
        values: cfg.secrets,
        protect: settings.protect,
    });
    const cluster = new aws.EksCluster("cluster", {
        tier,
        clusterName: names.cluster,
        vpcId: network.vpc.id,
        subnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
        loadBalancerSecurityGroupId: network.loadBalancerSecurityGroupId,
        healthPath: cfg.service.healthPath,
        protect: settings.protect,
        domain: cfg.aws!.domain,
    });
    const identity = new aws.PodIdentity("pod-identity", {
        clusterName: cluster.clusterName,
        namespace: cfg.service.name,
        serviceAccount: cfg.service.name,
        secretArns: Object.values(secrets.arns),
    });
    const k8s = kubernetes();
    const provider = k8s.kubernetesProvider("cluster-provider", cluster.kubeconfig, { dependsOn: cluster.ready });
    const workload = new k8s.Workload(
        "app",
        {
            provider,
            host: "eks",
            name: cfg.service.name,
            image: image?.imageRef ?? cfg.service.image,
            port: cfg.service.port,
            healthPath: cfg.service.healthPath,
            env: cfg.service.env,
            secrets: Object.fromEntries(Object.entries(secrets.arns).map(([env, arn]) => [env, { resource: arn }])),
            cpu: settings.cpu,
            memory: settings.memory,
            minReplicas: range.min,
            maxReplicas: Math.min(range.max, fit),
            minPods: TIER_PROFILES[tier].kubernetes.minPods,
            // The ALB reaches pods through the nodes (kube-proxy translates the NodePort): sources are VPC addresses.
            loadBalancerCidrs: [EKS_VPC_CIDR],
            nodePort: EKS_NODE_PORT,
        },
        { dependsOn: [identity] },
    );
    const monitoring = new aws.Monitoring("monitoring", {
        budgetAmount: settings.budgetAmount,
        accountId: awsSdk.getCallerIdentityOutput().accountId,
        emails: cfg.alertEmails,
        alerts: "budget",
    });
    return definedOnly({
        tier,
        cloud: "aws",
        runtime: "kubernetes",
        clusterName: cluster.clusterName,
        namespace: workload.namespaceName,
        serviceUrl: cluster.url,
        certificateValidationRecords: cfg.aws!.domain ? cluster.certificateValidationRecords : undefined,
        podRoleArn: identity.role.arn,
        registryUrl: registry.url,
        image: image?.imageRef ?? cfg.service.image,
        budgetName: monitoring.budget.name,
        vpcId: network.vpc.id,
    });
}
