import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { execKubeconfig } from "../../rules/kubernetes/kubeconfig";
import { GKE_RANGES, gkeClusterPlan, kubernetesServiceAccountMember, workloadPool } from "../../rules/gcp/cluster";
import { KubernetesTierSettings, Tier, componentProfile } from "../../rules/profile";
import { privateServicesAccess } from "./network";

export interface AutopilotClusterArgs {
    /** Project ID. */
    readonly project: pulumi.Input<string>;
    /** Region: Autopilot clusters are regional. */
    readonly region: string;
    /** Tier whose `kubernetes` settings (rules/profile.ts) fill `kubernetes` when unset. */
    readonly tier: Tier;
    /** Release channel and private nodes. @default the tier's `kubernetes` settings */
    readonly kubernetes?: KubernetesTierSettings;
    /** Cluster, network and node service account name (project-unique: carries the stack). */
    readonly clusterName: string;
    /** Node service account ID (6-30 characters). */
    readonly nodeAccountId: string;
    /** Refuse `pulumi destroy` of the cluster (GKE `deletionProtection`). @default true */
    readonly protect?: boolean;
    /**
     * Private services access on the cluster's network, so Cloud SQL and Memorystore get private IPs
     * the pods reach (VPC-native pods are routable to the peered services). @default false
     */
    readonly privateServicesAccess?: boolean;
}

/**
 * A GKE Autopilot cluster on its own VPC-native network: release channel and weekend maintenance
 * window by tier, private nodes (with Cloud NAT) from staging up, Workload Identity, Dataplane V2
 * network policy, the Secret Manager CSI add-on, system and workload logs to Cloud Logging and
 * managed Prometheus metrics. Nodes run as a dedicated service account with the minimal node role.
 * Cost: $0.10/hour ($73/month) per cluster, credited once per billing account by GKE's free tier; pods are billed by request.
 * @example
 * const cluster = new gcp.AutopilotCluster("cluster", { project, region: "us-central1", tier: "production",
 *     clusterName: "shop-production", nodeAccountId: "shop-production-nodes" });
 */
export class AutopilotCluster extends pulumi.ComponentResource {
    public readonly cluster: gcp.container.Cluster;
    public readonly nodeServiceAccount: gcp.serviceaccount.Account;
    /** `serviceAccount:<email>` of the nodes (grant it image pulls). */
    public readonly nodeMember: pulumi.Output<string>;
    /** A kubeconfig for `@pulumi/kubernetes` (authenticates with gke-gcloud-auth-plugin; holds no credential). */
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly clusterName: pulumi.Output<string>;
    /** The cluster's VPC (id): managed data's `network`. */
    public readonly networkId: pulumi.Output<string>;
    /** With `privateServicesAccess`: what managed data must wait for. */
    public readonly privateServicesConnection?: gcp.servicenetworking.Connection;

    constructor(name: string, args: AutopilotClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:AutopilotCluster", name, {}, opts);
        const plan = gkeClusterPlan(args.kubernetes ?? componentProfile(args.tier, "solo").kubernetes);
        const o = { parent: this };
        const { network, subnet } = this.createNetwork(name, args, plan.privateNodes);
        this.networkId = network.id;
        if (args.privateServicesAccess)
            this.privateServicesConnection = privateServicesAccess(name, args.project, network.id, this, [subnet]);
        this.nodeServiceAccount = new gcp.serviceaccount.Account(
            `${name}-nodes`,
            { project: args.project, accountId: args.nodeAccountId, displayName: `GKE nodes of ${args.clusterName}` },
            o,
        );
        this.nodeMember = pulumi.interpolate`serviceAccount:${this.nodeServiceAccount.email}`;
        // cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa
        const nodeRole = new gcp.projects.IAMMember(
            `${name}-nodes-role`,
            { project: args.project, role: "roles/container.defaultNodeServiceAccount", member: this.nodeMember },
            o,
        );
        this.cluster = new gcp.container.Cluster(
            `${name}-cluster`,
            {
                project: args.project,
                location: args.region,
                name: args.clusterName,
                enableAutopilot: true,
                network: network.id,
                subnetwork: subnet.id,
                ipAllocationPolicy: { clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" },
                releaseChannel: { channel: plan.releaseChannel },
                privateClusterConfig: { enablePrivateNodes: plan.privateNodes, enablePrivateEndpoint: false },
                workloadIdentityConfig: { workloadPool: pulumi.output(args.project).apply(workloadPool) },
                datapathProvider: "ADVANCED_DATAPATH",
                secretManagerConfig: { enabled: true },
                maintenancePolicy: { recurringWindow: plan.maintenance },
                clusterAutoscaling: {
                    autoProvisioningDefaults: {
                        serviceAccount: this.nodeServiceAccount.email,
                        oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                    },
                },
                loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS"] },
                monitoringConfig: { enableComponents: ["SYSTEM_COMPONENTS"], managedPrometheus: { enabled: true } },
                deletionProtection: args.protect ?? true,
                resourceLabels: { "managed-by": "runway" },
            },
            { ...o, dependsOn: [nodeRole] },
        );
        this.clusterName = this.cluster.name;
        this.kubeconfig = gkeKubeconfig(this.cluster.name, this.cluster.endpoint, this.cluster.masterAuth.clusterCaCertificate);
        this.project = args.project;
        this.prefix = name;
        this.roleIdBase = args.clusterName.replace(/[^a-zA-Z0-9]/g, "_");
        this.registerOutputs({ clusterName: this.clusterName });
    }

    /** The cluster's VPC-native network: nodes, pods and services ranges; with private nodes, Cloud NAT for their egress. */
    private createNetwork(name: string, args: AutopilotClusterArgs, privateNodes: boolean) {
        const o = { parent: this };
        const network = new gcp.compute.Network(
            `${name}-network`,
            { project: args.project, name: args.clusterName, autoCreateSubnetworks: false },
            o,
        );
        const subnet = new gcp.compute.Subnetwork(
            `${name}-subnet`,
            {
                project: args.project,
                region: args.region,
                name: args.clusterName,
                network: network.id,
                ipCidrRange: GKE_RANGES.nodes,
                privateIpGoogleAccess: true,
                secondaryIpRanges: [
                    { rangeName: "pods", ipCidrRange: GKE_RANGES.pods },
                    { rangeName: "services", ipCidrRange: GKE_RANGES.services },
                ],
            },
            o,
        );
        if (privateNodes) {
            const router = new gcp.compute.Router(
                `${name}-router`,
                { project: args.project, region: args.region, name: args.clusterName, network: network.id },
                o,
            );
            new gcp.compute.RouterNat(
                `${name}-nat`,
                {
                    project: args.project,
                    region: args.region,
                    router: router.name,
                    name: args.clusterName,
                    natIpAllocateOption: "AUTO_ONLY",
                    sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
                    logConfig: { enable: true, filter: "ERRORS_ONLY" },
                },
                o,
            );
        }
        return { network, subnet };
    }

    private readonly project: pulumi.Input<string>;
    private readonly prefix: string;
    private readonly roleIdBase: string;

    /**
     * Lets `member` connect to the cluster and nothing more in IAM: a custom project role with
     * `permissions` (the deploy job's `container.*` calls: `container.clusters.get`, which
     * `gcloud container clusters get-credentials` reads). What it may do inside the cluster is
     * Kubernetes RBAC (kubernetes.NamespaceAccess): GKE authorises a request if IAM or RBAC allows it,
     * and this role allows no Kubernetes API call (cloud.google.com/kubernetes-engine/docs/how-to/iam;
     * the narrower counterpart of roles/container.clusterViewer that Cloud Deploy's per-namespace
     * set-up grants: cloud.google.com/deploy/docs/securing/sa-by-namespace). GKE has no per-cluster IAM.
     * @example cluster.grantConnect("deployer", ci.deployerMembers[0], ["container.clusters.get"])
     */
    public grantConnect(key: string, member: pulumi.Input<string>, permissions: readonly string[]): gcp.projects.IAMMember {
        const o = { parent: this };
        const role = new gcp.projects.IAMCustomRole(
            `${this.prefix}-${key}-connect-role`,
            {
                project: this.project,
                roleId: `runwayConnect_${this.roleIdBase}_${key.replace(/[^a-zA-Z0-9]/g, "_")}`.slice(0, 64),
                title: `Runway: connect to GKE cluster (${key})`,
                description: "Reads the cluster's endpoint and CA for kubectl; Kubernetes RBAC decides the rest.",
                permissions: [...permissions].sort(),
            },
            o,
        );
        return new gcp.projects.IAMMember(
            `${this.prefix}-${key}-connect`,
            { project: this.project, role: pulumi.interpolate`projects/${this.project}/roles/${role.roleId}`, member },
            { ...o, dependsOn: [role] },
        );
    }
}

/** A kubeconfig that authenticates through `gke-gcloud-auth-plugin` (the caller's gcloud credentials). */
export function gkeKubeconfig(
    name: pulumi.Input<string>,
    endpoint: pulumi.Input<string>,
    caCertificate: pulumi.Input<string>,
): pulumi.Output<string> {
    return pulumi
        .all([name, endpoint, caCertificate])
        .apply(([n, e, ca]) =>
            execKubeconfig({ name: n, server: `https://${e}`, caData: ca, command: "gke-gcloud-auth-plugin", provideClusterInfo: true }),
        );
}

export interface WorkloadIdentityArgs {
    /** Project ID (its Workload Identity pool is `<project>.svc.id.goog`). */
    readonly project: pulumi.Input<string>;
    /** The Google service account the pods act as (6-30 characters). */
    readonly accountId: string;
    /** Namespace of the Kubernetes service account. */
    readonly namespace: string;
    /** The Kubernetes service account that may act as the Google one. */
    readonly kubernetesServiceAccount: string;
    /** Env name → Secret Manager secret ID the pods may read (and only those). @default {} */
    readonly secretIds?: Record<string, pulumi.Input<string>>;
}

/**
 * Workload Identity: a Google service account that only the Kubernetes service account
 * `namespace/kubernetesServiceAccount` may act as (`roles/iam.workloadIdentityUser` for
 * `serviceAccount:<project>.svc.id.goog[ns/ksa]`), with read access to the stack's secrets.
 * @example
 * const pods = new gcp.WorkloadIdentity("pods", { project, accountId: "shop-production-pods", namespace: "shop",
 *     kubernetesServiceAccount: "shop", secretIds: secrets.secretIds });
 */
export class WorkloadIdentity extends pulumi.ComponentResource {
    public readonly account: gcp.serviceaccount.Account;
    public readonly email: pulumi.Output<string>;

    constructor(name: string, args: WorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:WorkloadIdentity", name, {}, opts);
        const o = { parent: this };
        this.account = new gcp.serviceaccount.Account(
            `${name}-account`,
            { project: args.project, accountId: args.accountId, displayName: `Pods of ${args.namespace}/${args.kubernetesServiceAccount}` },
            o,
        );
        this.email = this.account.email;
        new gcp.serviceaccount.IAMMember(
            `${name}-workload-identity-user`,
            {
                serviceAccountId: this.account.name,
                role: "roles/iam.workloadIdentityUser",
                member: pulumi
                    .output(args.project)
                    .apply((p) => kubernetesServiceAccountMember(p, args.namespace, args.kubernetesServiceAccount)),
            },
            o,
        );
        for (const [env, secretId] of Object.entries(args.secretIds ?? {})) {
            new gcp.secretmanager.SecretIamMember(
                `${name}-reads-${env}`,
                {
                    project: args.project,
                    secretId,
                    role: "roles/secretmanager.secretAccessor",
                    member: pulumi.interpolate`serviceAccount:${this.account.email}`,
                },
                o,
            );
        }
        this.registerOutputs({ email: this.email });
    }
}
