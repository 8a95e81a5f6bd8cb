import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { execKubeconfig } from "../../rules/kubernetes/kubeconfig";
import { EKS_ADDONS, EKS_NODE_PORT, VPC_CNI_CONFIGURATION, eksClusterPlan } from "../../rules/aws/eks";
import { KubernetesTierSettings, Tier, componentProfile } from "../../rules/profile";
import { albListeners } from "./listeners";

export interface EksClusterArgs {
    /** Tier whose settings (rules/profile.ts) fill `kubernetes` and `logRetentionDays` when unset. */
    readonly tier: Tier;
    /** Node group size and instance type, control-plane log types. @default the tier's `kubernetes` settings */
    readonly kubernetes?: KubernetesTierSettings;
    /** Days the control-plane logs are kept. @default the tier's AWS log retention */
    readonly logRetentionDays?: number;
    /** Cluster name (account-unique per region: carries the stack). */
    readonly clusterName: string;
    /** The VPC of the subnets (the load balancer's target group lives there). */
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets (nodes, control-plane ENIs), at least two zones. */
    readonly subnetIds: pulumi.Input<string>[];
    /** Public subnets for the internet-facing load balancer. */
    readonly publicSubnetIds: pulumi.Input<string>[];
    /** The network's load balancer security group (egress to the VPC on the node port). */
    readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
    /** Health check path of the service. */
    readonly healthPath: string;
    /** Refuse `pulumi destroy` (EKS deletion protection). @default true */
    readonly protect?: boolean;
    /** Hostname served over HTTPS with an ACM certificate (DNS validation); HTTP then redirects to HTTPS. @default none: plain HTTP */
    readonly domain?: string;
}

/** The cluster's plan from its explicit settings, else its tier's. */
function clusterPlan(args: EksClusterArgs) {
    const profile = componentProfile(args.tier, "solo");
    return eksClusterPlan(args.kubernetes ?? profile.kubernetes, args.logRetentionDays ?? profile.aws.logRetentionDays);
}

const role = (service: string) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
    });

/**
 * An EKS cluster with a managed node group of the tier's instance type in the private subnets,
 * pinned managed add-ons (VPC CNI enforcing NetworkPolicy, kube-proxy, CoreDNS, Pod Identity agent),
 * access entries (API mode), control-plane logs to a retained log group, standard support only,
 * and an internet-facing ALB forwarding to the service's NodePort on every node (HTTPS with an ACM
 * certificate for `domain`, HTTP redirecting; plain HTTP without one).
 * Cost: $0.10/hour ($73/month) per cluster (no free tier), plus the nodes and the load balancer.
 * @example
 * const net = new aws.Network("net", { azCount: 2, servicePort: 30080 });
 * const eks = new aws.EksCluster("cluster", { tier: "staging", clusterName: "shop-staging", vpcId: net.vpc.id,
 *     subnetIds: net.privateSubnetIds, publicSubnetIds: net.publicSubnetIds,
 *     loadBalancerSecurityGroupId: net.loadBalancerSecurityGroupId, healthPath: "/health" });
 */
export class EksCluster extends pulumi.ComponentResource {
    public readonly cluster: aws.eks.Cluster;
    public readonly nodeGroup: aws.eks.NodeGroup;
    public readonly loadBalancer: aws.lb.LoadBalancer;
    public readonly clusterName: pulumi.Output<string>;
    /** A kubeconfig for `@pulumi/kubernetes` (authenticates with `aws eks get-token`; holds no credential). */
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly url: pulumi.Output<string>;
    /** DNS records that validate the certificate (add them at your DNS host); empty without a domain. */
    public readonly certificateValidationRecords: pulumi.Output<{ name: string; type: string; value: string }[]>;
    /** Resources the workload waits for (nodes and add-ons). */
    public readonly ready: pulumi.Resource[] = [];
    private readonly prefix: string;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:EksCluster", name, {}, opts);
        const plan = clusterPlan(args);
        const o = { parent: this };
        const clusterRole = new aws.iam.Role(`${name}-cluster-role`, { assumeRolePolicy: role("eks.amazonaws.com") }, o);
        const clusterPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-cluster-policy`,
            { role: clusterRole.name, policyArn: aws.iam.ManagedPolicy.AmazonEKSClusterPolicy },
            o,
        );
        const logs = new aws.cloudwatch.LogGroup(
            `${name}-control-plane-logs`,
            { name: `/aws/eks/${args.clusterName}/cluster`, retentionInDays: plan.logRetentionDays },
            o,
        );
        this.cluster = new aws.eks.Cluster(
            `${name}-cluster`,
            {
                name: args.clusterName,
                version: plan.version,
                roleArn: clusterRole.arn,
                vpcConfig: { subnetIds: args.subnetIds, endpointPrivateAccess: true, endpointPublicAccess: plan.endpointPublicAccess },
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
                bootstrapSelfManagedAddons: false,
                enabledClusterLogTypes: [...plan.logTypes],
                upgradePolicy: { supportType: "STANDARD" },
                deletionProtection: args.protect ?? true,
                tags: { "managed-by": "runway" },
            },
            { ...o, dependsOn: [clusterPolicy, logs] },
        );
        this.clusterName = this.cluster.name;
        const addon = (addonName: string, extra: Partial<aws.eks.AddonArgs> = {}, dependsOn: pulumi.Resource[] = []) =>
            new aws.eks.Addon(
                `${name}-${addonName}`,
                {
                    clusterName: this.cluster.name,
                    addonName,
                    // Pinned: the version EKS names default for this Kubernetes version (changes only with `version`).
                    addonVersion: aws.eks
                        .getAddonVersionOutput({ addonName, kubernetesVersion: this.cluster.version, mostRecent: false }, o)
                        .apply((v) => v.version),
                    resolveConflictsOnCreate: "OVERWRITE",
                    resolveConflictsOnUpdate: "PRESERVE",
                    ...extra,
                },
                { ...o, dependsOn },
            );
        const cni = addon(EKS_ADDONS[0], { configurationValues: VPC_CNI_CONFIGURATION });
        const proxy = addon(EKS_ADDONS[1]);
        this.nodeGroup = this.createNodes(name, args, [cni, proxy]);
        const rest = EKS_ADDONS.slice(2).map((a) => addon(a, {}, [this.nodeGroup]));
        this.ready.push(this.nodeGroup, cni, proxy, ...rest);
        const front = this.createFront(name, args);
        this.loadBalancer = front.lb;
        this.certificateValidationRecords = front.validationRecords;
        this.url = args.domain ? pulumi.output(`https://${args.domain}`) : pulumi.interpolate`http://${this.loadBalancer.dnsName}`;
        this.prefix = name;
        this.kubeconfig = eksKubeconfig(this.cluster.name, this.cluster.endpoint, this.cluster.certificateAuthority.data);
        this.registerOutputs({ clusterName: this.clusterName, url: this.url });
    }

    private createNodes(name: string, args: EksClusterArgs, dependsOn: pulumi.Resource[]) {
        const plan = clusterPlan(args);
        const o = { parent: this };
        const nodeRole = new aws.iam.Role(`${name}-node-role`, { assumeRolePolicy: role("ec2.amazonaws.com") }, o);
        // The minimal node policies (EKS "Amazon EKS node IAM role"); the CNI's own policy is attached too because the add-on runs as the node.
        const attachments = [
            ["worker", aws.iam.ManagedPolicy.AmazonEKSWorkerNodePolicy],
            ["cni", aws.iam.ManagedPolicy.AmazonEKS_CNI_Policy],
            ["registry", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"],
        ].map(([key, policyArn]) => new aws.iam.RolePolicyAttachment(`${name}-node-${key}`, { role: nodeRole.name, policyArn }, o));
        return new aws.eks.NodeGroup(
            `${name}-nodes`,
            {
                clusterName: this.cluster.name,
                nodeRoleArn: nodeRole.arn,
                subnetIds: args.subnetIds,
                instanceTypes: [plan.instanceType],
                amiType: "AL2023_x86_64_STANDARD",
                capacityType: "ON_DEMAND",
                scalingConfig: { minSize: plan.nodes, desiredSize: plan.nodes, maxSize: plan.nodes },
                updateConfig: { maxUnavailable: 1 },
                tags: { "managed-by": "runway" },
            },
            { ...o, dependsOn: [...attachments, ...dependsOn] },
        );
    }

    /** ALB → target group of the nodes' NodePort; the nodes' security group admits the ALB on that port only. */
    private createFront(name: string, args: EksClusterArgs) {
        const o = { parent: this };
        const lb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                loadBalancerType: "application",
                internal: false,
                subnets: args.publicSubnetIds,
                securityGroups: [args.loadBalancerSecurityGroupId],
                dropInvalidHeaderFields: true,
                enableDeletionProtection: args.protect ?? true,
            },
            o,
        );
        const targets = new aws.lb.TargetGroup(
            `${name}-nodes`,
            {
                vpcId: args.vpcId,
                targetType: "instance",
                port: EKS_NODE_PORT,
                protocol: "HTTP",
                healthCheck: { path: args.healthPath, port: "traffic-port", matcher: "200-399" },
                deregistrationDelay: 30,
            },
            o,
        );
        const { validationRecords } = albListeners(
            name,
            { loadBalancerArn: lb.arn, targetGroupArn: targets.arn, domain: args.domain },
            this,
        );
        new aws.autoscaling.Attachment(
            `${name}-nodes-attachment`,
            { autoscalingGroupName: this.nodeGroup.resources.apply((r) => r[0].autoscalingGroups[0].name), lbTargetGroupArn: targets.arn },
            o,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-alb-to-nodes`,
            {
                securityGroupId: this.cluster.vpcConfig.clusterSecurityGroupId,
                referencedSecurityGroupId: args.loadBalancerSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: EKS_NODE_PORT,
                toPort: EKS_NODE_PORT,
                description: "The service's load balancer to its NodePort",
            },
            o,
        );
        return { lb, validationRecords };
    }

    /**
     * Maps `principalArn` (a CI role) into the cluster as members of the Kubernetes group `group`
     * (an API access entry with `kubernetesGroups` and no access policy): what the group may do is
     * Kubernetes RBAC bound to it (kubernetes.NamespaceAccess), so the role gets exactly its Role's
     * rules, narrower than any EKS access policy (EKS "Access entries": kubernetesGroups are bound
     * with RoleBindings; AmazonEKSEditPolicy would add every namespaced write).
     * @example cluster.grantAccess("deployer", ci.roleArns.production, "runway:deploy:shop")
     */
    public grantAccess(key: string, principalArn: pulumi.Input<string>, group: string): aws.eks.AccessEntry {
        return new aws.eks.AccessEntry(
            `${this.prefix}-${key}-access`,
            { clusterName: this.cluster.name, principalArn, type: "STANDARD", kubernetesGroups: [group] },
            { parent: this },
        );
    }
}

/** A kubeconfig that authenticates with `aws eks get-token` (the caller's AWS credentials). */
export function eksKubeconfig(
    name: pulumi.Input<string>,
    endpoint: pulumi.Input<string>,
    caData: pulumi.Input<string>,
): pulumi.Output<string> {
    return pulumi.all([name, endpoint, caData]).apply(([n, e, ca]) =>
        execKubeconfig({
            name: n,
            server: e,
            caData: ca,
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", n, "--output", "json"],
        }),
    );
}

export interface PodIdentityArgs {
    /** The EKS cluster the association belongs to. */
    readonly clusterName: pulumi.Input<string>;
    /** Namespace of the Kubernetes service account. */
    readonly namespace: string;
    /** The Kubernetes service account whose pods get the role. */
    readonly serviceAccount: string;
    /** SSM parameter / Secrets Manager ARNs the pods may read (the stack's own secrets). @default [] */
    readonly secretArns?: pulumi.Input<string>[];
}

/**
 * EKS Pod Identity: a role only pods of `namespace/serviceAccount` in this cluster get (trust
 * `pods.eks.amazonaws.com`, association by the EKS API), allowed to read the stack's secrets.
 * @example
 * new aws.PodIdentity("pods", { clusterName: eks.clusterName, namespace: "shop", serviceAccount: "shop", secretArns: Object.values(secrets.arns) });
 */
export class PodIdentity extends pulumi.ComponentResource {
    public readonly role: aws.iam.Role;
    public readonly association: aws.eks.PodIdentityAssociation;

    constructor(name: string, args: PodIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:PodIdentity", name, {}, opts);
        const o = { parent: this };
        this.role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: role("pods.eks.amazonaws.com") }, o);
        const arns = args.secretArns ?? [];
        if (arns.length > 0) {
            new aws.iam.RolePolicy(
                `${name}-secrets`,
                {
                    role: this.role.id,
                    policy: pulumi.output(arns).apply((resources) =>
                        JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [
                                { Effect: "Allow", Action: ["ssm:GetParameters"], Resource: resources.filter((a) => a.includes(":ssm:")) },
                                {
                                    Effect: "Allow",
                                    Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                                    Resource: resources.filter((a) => a.includes(":secretsmanager:")),
                                },
                            ].filter((s) => s.Resource.length > 0),
                        }),
                    ),
                },
                o,
            );
        }
        this.association = new aws.eks.PodIdentityAssociation(
            `${name}-association`,
            { clusterName: args.clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount, roleArn: this.role.arn },
            o,
        );
        this.registerOutputs({ roleArn: this.role.arn });
    }
}
