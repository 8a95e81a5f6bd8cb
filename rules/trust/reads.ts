/**
 * What a refreshing `pulumi preview` reads (Pulumi.yaml `refresh: always`: every preview first reads
 * every resource in state): per planned resource type, the permissions its provider's Read needs,
 * and per invoke the program makes, the permissions the lookup needs. The previewer is granted exactly
 * the rows of its stack's planned types (components/gcp/ciIdentity.ts, components/aws/ciIdentity.ts);
 * the trust simulator checks the grant against the plan's types (tests/trust.test.ts). A type missing
 * here fails that test: add its row with a source.
 *
 * Sources, unless a row says otherwise:
 * - GCP: the Terraform provider's Read issues a GET on the resource (an IAM member resource reads the
 *   parent's IAM policy: `getIamPolicy`), generated from magic-modules `mmv1/products/<product>/<Resource>.yaml`
 *   (`self_link`); permission names from cloud.google.com/iam/docs/permissions-reference.
 * - AWS: the Read function of terraform-provider-aws `internal/service/<service>/<resource>.go`
 *   (including its tag and attribute reads); action names from the Service Authorization Reference
 *   (docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 * - Pulumi: a preview never writes state and takes no lock on a DIY backend (pulumi/pulumi
 *   `pkg/backend/diy/backend.go`: Preview → apply with DryRun, no snapshot persister, no Lock).
 * Dependency-free.
 */

/** Where a GCP read is granted: on the project (a custom role), on the billing account, or on each resource. */
export type GcpReadScope = "project" | "billingAccount" | "resource";

export interface GcpReads {
    readonly permissions: readonly string[];
    /** @default "project" */
    readonly scope?: GcpReadScope;
    readonly source?: string;
}

const project = (...permissions: string[]): GcpReads => ({ permissions });

/** Reads of each GCP resource type on refresh. */
export const GCP_READS: Readonly<Record<string, GcpReads>> = {
    "gcp:artifactregistry/repository:Repository": project("artifactregistry.repositories.get"),
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": project("artifactregistry.repositories.getIamPolicy"),
    // A single-project budget (gcp.Monitoring's: budgetFilter.projects is the stack's one project) is readable
    // with project permissions instead of billing.budgets.get on the billing account, which would also show
    // the cost of every other project on that account.
    "gcp:billing/budget:Budget": {
        permissions: ["billing.resourcebudgets.read", "resourcemanager.projects.get"],
        source: "cloud.google.com/billing/docs/how-to/budget-api-access-control (GetBudget: for single-project budgets, resourcemanager.projects.get and billing.resourcebudgets.read on the project)",
    },
    "gcp:cloudrun/domainMapping:DomainMapping": project("run.domainmappings.get"),
    "gcp:cloudrunv2/job:Job": project("run.jobs.get"),
    "gcp:cloudrunv2/jobIamMember:JobIamMember": project("run.jobs.getIamPolicy"),
    "gcp:cloudrunv2/service:Service": project("run.services.get"),
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": project("run.services.getIamPolicy"),
    "gcp:compute/address:Address": project("compute.addresses.get"),
    "gcp:compute/backendService:BackendService": project("compute.backendServices.get"),
    "gcp:compute/globalAddress:GlobalAddress": project("compute.globalAddresses.get"),
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": project("compute.globalForwardingRules.get"),
    "gcp:compute/managedSslCertificate:ManagedSslCertificate": project("compute.sslCertificates.get"),
    "gcp:compute/network:Network": project("compute.networks.get"),
    "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup": project("compute.regionNetworkEndpointGroups.get"),
    "gcp:compute/router:Router": project("compute.routers.get"),
    // A NAT is a field of its router: the provider reads the router.
    "gcp:compute/routerNat:RouterNat": project("compute.routers.get"),
    "gcp:compute/sSLPolicy:SSLPolicy": project("compute.sslPolicies.get"),
    "gcp:compute/securityPolicy:SecurityPolicy": project("compute.securityPolicies.get"),
    "gcp:compute/subnetwork:Subnetwork": project("compute.subnetworks.get"),
    "gcp:compute/targetHttpProxy:TargetHttpProxy": project("compute.targetHttpProxies.get"),
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy": project("compute.targetHttpsProxies.get"),
    "gcp:compute/uRLMap:URLMap": project("compute.urlMaps.get"),
    // google_container_cluster Read: Projects.Locations.Clusters.Get (magic-modules services/container/resource_container_cluster.go.tmpl).
    "gcp:container/cluster:Cluster": project("container.clusters.get"),
    "gcp:dns/recordSet:RecordSet": project("dns.resourceRecordSets.list", "dns.managedZones.get"),
    // To verify on a real preview: the pool's Read also GETs `<pool>:listAttestationRules` (magic-modules
    // templates/terraform/post_read/iam_workload_identity_pool.go.tmpl); its REST reference names no permission
    // ("CALLBACK"), so none is added here (a custom role refuses an unknown permission).
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": project("iam.workloadIdentityPools.get"),
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": project("iam.workloadIdentityPoolProviders.get"),
    "gcp:iap/webCloudRunServiceIamMember:WebCloudRunServiceIamMember": project("iap.webServices.getIamPolicy"),
    "gcp:iap/webBackendServiceIamMember:WebBackendServiceIamMember": project("iap.webServices.getIamPolicy"),
    "gcp:monitoring/alertPolicy:AlertPolicy": project("monitoring.alertPolicies.get"),
    "gcp:monitoring/dashboard:Dashboard": project("monitoring.dashboards.get"),
    "gcp:monitoring/notificationChannel:NotificationChannel": project("monitoring.notificationChannels.get"),
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": project("monitoring.uptimeCheckConfigs.get"),
    "gcp:projects/iAMCustomRole:IAMCustomRole": project("iam.roles.get"),
    "gcp:projects/iAMMember:IAMMember": project("resourcemanager.projects.getIamPolicy"),
    // google_project_service Read: Projects.Get, then the project's enabled services LISTED (BatchRequestReadServices →
    // ListCurrentlyEnabledServices: Services.List, filter state:ENABLED), never services.get.
    "gcp:projects/service:Service": {
        permissions: ["resourcemanager.projects.get", "serviceusage.services.list"],
        source: "magic-modules services/resourcemanager/resource_google_project_service.go.tmpl resourceGoogleProjectServiceRead; resource_google_project.go ListCurrentlyEnabledServices",
    },
    // google_project_service_identity has no Read call: it keeps what create returned.
    "gcp:projects/serviceIdentity:ServiceIdentity": {
        permissions: [],
        source: "magic-modules services/resourcemanager/resource_project_service_identity.go (Read is a no-op)",
    },
    "gcp:pubsub/topic:Topic": project("pubsub.topics.get"),
    // With AUTH on (Runway's caches always are) the Read also GETs instances/<name>/authString and fails without it.
    "gcp:redis/instance:Instance": {
        permissions: ["redis.instances.get", "redis.instances.getAuthString"],
        source: "magic-modules templates/terraform/decoders/redis_instance.go.tmpl (decoder of products/redis/Instance.yaml)",
    },
    "gcp:secretmanager/secret:Secret": project("secretmanager.secrets.get"),
    "gcp:secretmanager/secretIamMember:SecretIamMember": project("secretmanager.secrets.getIamPolicy"),
    // The version's Read gets its metadata, then its payload (`:access`, GCP_SECRET_READS) into secret_data.
    "gcp:secretmanager/secretVersion:SecretVersion": {
        permissions: ["secretmanager.versions.get"],
        source: "magic-modules products/secretmanager/SecretVersion.yaml (custom read: versions/{n}, then versions/{n}:access)",
    },
    "gcp:serviceaccount/account:Account": project("iam.serviceAccounts.get"),
    "gcp:serviceaccount/iAMMember:IAMMember": project("iam.serviceAccounts.getIamPolicy"),
    "gcp:servicenetworking/connection:Connection": project("servicenetworking.services.get", "compute.networks.get"),
    // The Read first gets the instance (its activation policy), then the database.
    "gcp:sql/database:Database": {
        permissions: ["cloudsql.databases.get", "cloudsql.instances.get"],
        source: "magic-modules products/sql/Database.yaml pre_read templates/terraform/pre_read/sql_database_activation_policy.tmpl (Instances.Get)",
    },
    "gcp:sql/databaseInstance:DatabaseInstance": project("cloudsql.instances.get"),
    // google_sql_user Read lists the instance's users.
    "gcp:sql/user:User": project("cloudsql.users.list"),
    "gcp:billing/accountIamMember:AccountIamMember": {
        permissions: ["billing.accounts.getIamPolicy"],
        scope: "billingAccount",
    },
};

/**
 * A secret version's payload read, granted on each of the stack's own secrets only
 * (`roles/secretmanager.secretAccessor` holds exactly this permission).
 */
export const GCP_SECRET_READS: readonly string[] = ["secretmanager.versions.access"];

/** A lookup the program makes whenever it plans `when` (a resource type), and what it needs. */
export interface LookupReads {
    readonly lookup: string;
    readonly when: string;
    readonly permissions: readonly string[];
}

/**
 * GCP lookups: the budget's project-number lookup (components/gcp/monitoring.ts); the registry
 * credentials' client-config lookup needs no permission (it returns the caller's own token).
 */
export const GCP_LOOKUP_READS: readonly LookupReads[] = [
    { lookup: "gcp:organizations/getProject:getProject", when: "gcp:billing/budget:Budget", permissions: ["resourcemanager.projects.get"] },
];

/**
 * The quota project every request is billed to when `gcp:userProjectOverride` is on (the example
 * stacks turn it on for the Budgets API) needs `serviceusage.services.use` on that project
 * (cloud.google.com/docs/quotas/set-quota-project).
 */
export const GCP_QUOTA_PROJECT_READS: readonly string[] = ["serviceusage.services.use"];

/** Resource types whose refresh calls no cloud API (random values, the stack, providers, a local image build). */
export const READS_NOTHING: readonly RegExp[] = [/^random:/, /^pulumi:/, /^docker:index\/image:Image$/];

/**
 * GitHub resources are refreshed with the GitHub provider's token: read-only fine-grained token
 * permissions that cover each type's Read (docs.github.com/en/rest, "Fine-grained personal access
 * token permissions" of each endpoint).
 */
export const GITHUB_READS: Readonly<Record<string, readonly string[]>> = {
    "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": ["environments:read"],
    "github:index/actionsVariable:ActionsVariable": ["variables:read"],
    "github:index/branch:Branch": ["contents:read"],
    "github:index/branchProtection:BranchProtection": ["administration:read"],
    "github:index/repositoryEnvironment:RepositoryEnvironment": ["administration:read"],
    "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": ["administration:read"],
    "github:index/repositoryFile:RepositoryFile": ["contents:read"],
    "github:index/getUser:getUser": [],
};

/** Where a Kubernetes object lives: in the stack's namespace, or cluster-wide (read by name only). */
export interface KubernetesReads {
    /** The RBAC call its refresh makes (`<apiGroup>/<resource>:get`, core = `core`). */
    readonly call: string;
    /** A cluster-scoped object (Namespace, ClusterRole…): granted by a ClusterRole naming it. @default false */
    readonly cluster?: boolean;
}

const k8s = (call: string, cluster = false): KubernetesReads => (cluster ? { call, cluster } : { call });

/**
 * Reads of each Kubernetes object type on refresh: the provider's Read GETs the object by name
 * (pulumi/pulumi-kubernetes `provider/pkg/provider/provider.go` Read → `client.Get`), through the
 * stack's cluster credentials, so they are Kubernetes RBAC, not cloud IAM (the previewer reaches the
 * cluster with the cluster's own row: container.clusters.get / eks:DescribeCluster). A preview of a
 * change to an object dry-runs it; a read-only identity is refused (403) and the provider then plans
 * it without the server (provider.go Create/Update: `apierrors.IsForbidden` on preview).
 * Custom resources are typed `kubernetes:<apiVersion>:<kind>`.
 */
export const KUBERNETES_READS: Readonly<Record<string, KubernetesReads>> = {
    "kubernetes:apps/v1:Deployment": k8s("apps/deployments:get"),
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": k8s("autoscaling/horizontalpodautoscalers:get"),
    "kubernetes:core/v1:Namespace": k8s("core/namespaces:get", true),
    "kubernetes:core/v1:Service": k8s("core/services:get"),
    "kubernetes:core/v1:ServiceAccount": k8s("core/serviceaccounts:get"),
    "kubernetes:networking.gke.io/v1:ManagedCertificate": k8s("networking.gke.io/managedcertificates:get"),
    "kubernetes:networking.k8s.io/v1:Ingress": k8s("networking.k8s.io/ingresses:get"),
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": k8s("networking.k8s.io/networkpolicies:get"),
    "kubernetes:policy/v1:PodDisruptionBudget": k8s("policy/poddisruptionbudgets:get"),
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": k8s("rbac.authorization.k8s.io/clusterroles:get", true),
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": k8s("rbac.authorization.k8s.io/clusterrolebindings:get", true),
    "kubernetes:rbac.authorization.k8s.io/v1:Role": k8s("rbac.authorization.k8s.io/roles:get"),
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": k8s("rbac.authorization.k8s.io/rolebindings:get"),
    "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass": k8s("secrets-store.csi.x-k8s.io/secretproviderclasses:get"),
    "kubernetes:secrets-store.gke.io/v1:SecretProviderClass": k8s("secrets-store.gke.io/secretproviderclasses:get"),
};

/**
 * The RBAC reads a refreshing preview of `types` makes in the stack's namespace and cluster-wide
 * (sorted, unique), and the Kubernetes types no row covers.
 */
export function kubernetesReads(types: Iterable<string>): { namespaced: string[]; cluster: string[]; unknown: string[] } {
    const namespaced = new Set<string>();
    const cluster = new Set<string>();
    const unknown: string[] = [];
    for (const type of new Set(types)) {
        if (!type.startsWith("kubernetes:")) continue;
        const row = KUBERNETES_READS[type];
        if (!row) unknown.push(type);
        else (row.cluster ? cluster : namespaced).add(row.call);
    }
    return { namespaced: [...namespaced].sort(), cluster: [...cluster].sort(), unknown: unknown.sort() };
}

/** Reads of each AWS resource type on refresh (IAM actions, granted on `*` unless the type is a secret). */
export const AWS_READS: Readonly<Record<string, readonly string[]>> = {
    "aws:acm/certificate:Certificate": ["acm:DescribeCertificate", "acm:ListTagsForCertificate"],
    "aws:acm/certificateValidation:CertificateValidation": ["acm:DescribeCertificate"],
    "aws:appautoscaling/policy:Policy": ["application-autoscaling:DescribeScalingPolicies"],
    "aws:appautoscaling/target:Target": ["application-autoscaling:DescribeScalableTargets", "application-autoscaling:ListTagsForResource"],
    // aws_autoscaling_attachment Read: findGroupByName (DescribeAutoScalingGroups), then its target groups (internal/service/autoscaling/attachment.go).
    "aws:autoscaling/attachment:Attachment": ["autoscaling:DescribeAutoScalingGroups"],
    // DescribeNotificationsForBudget / DescribeSubscribersForNotification authorise as budgets:ViewBudget.
    "aws:budgets/budget:Budget": ["budgets:ViewBudget", "budgets:ListTagsForResource"],
    "aws:cloudwatch/dashboard:Dashboard": ["cloudwatch:GetDashboard"],
    "aws:cloudwatch/logGroup:LogGroup": ["logs:DescribeLogGroups", "logs:ListTagsForResource"],
    "aws:cloudwatch/metricAlarm:MetricAlarm": ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
    "aws:ec2/eip:Eip": ["ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute"],
    "aws:ec2/internetGateway:InternetGateway": ["ec2:DescribeInternetGateways"],
    "aws:ec2/natGateway:NatGateway": ["ec2:DescribeNatGateways"],
    "aws:ec2/routeTable:RouteTable": ["ec2:DescribeRouteTables"],
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ["ec2:DescribeRouteTables"],
    "aws:ec2/securityGroup:SecurityGroup": ["ec2:DescribeSecurityGroups"],
    "aws:ec2/subnet:Subnet": ["ec2:DescribeSubnets"],
    // aws_vpc Read also finds its main route table, default network ACL and default security group.
    "aws:ec2/vpc:Vpc": [
        "ec2:DescribeVpcs",
        "ec2:DescribeVpcAttribute",
        "ec2:DescribeRouteTables",
        "ec2:DescribeNetworkAcls",
        "ec2:DescribeSecurityGroups",
    ],
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": ["ecr:GetLifecyclePolicy"],
    "aws:ecr/repository:Repository": ["ecr:DescribeRepositories", "ecr:ListTagsForResource"],
    "aws:ecr/repositoryPolicy:RepositoryPolicy": ["ecr:GetRepositoryPolicy"],
    "aws:ecs/cluster:Cluster": ["ecs:DescribeClusters"],
    "aws:ecs/service:Service": ["ecs:DescribeServices"],
    "aws:ecs/taskDefinition:TaskDefinition": ["ecs:DescribeTaskDefinition"],
    // internal/service/eks: each Read is one Describe call whose output carries the tags.
    "aws:eks/accessEntry:AccessEntry": ["eks:DescribeAccessEntry"],
    "aws:eks/addon:Addon": ["eks:DescribeAddon"],
    "aws:eks/cluster:Cluster": ["eks:DescribeCluster"],
    "aws:eks/nodeGroup:NodeGroup": ["eks:DescribeNodegroup"],
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": ["eks:DescribePodIdentityAssociation"],
    "aws:elasticache/replicationGroup:ReplicationGroup": [
        "elasticache:DescribeReplicationGroups",
        "elasticache:DescribeCacheClusters",
        "elasticache:ListTagsForResource",
    ],
    "aws:elasticache/subnetGroup:SubnetGroup": ["elasticache:DescribeCacheSubnetGroups", "elasticache:ListTagsForResource"],
    // aws_iam_role Read also reads its inline and attached policies.
    "aws:iam/role:Role": ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"],
    "aws:iam/rolePolicy:RolePolicy": ["iam:GetRolePolicy"],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["iam:ListAttachedRolePolicies"],
    "aws:lambda/alias:Alias": ["lambda:GetAlias"],
    "aws:lambda/function:Function": ["lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:ListVersionsByFunction"],
    "aws:lambda/functionUrl:FunctionUrl": ["lambda:GetFunctionUrlConfig"],
    "aws:lambda/permission:Permission": ["lambda:GetPolicy"],
    "aws:lb/listener:Listener": [
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeTags",
    ],
    "aws:lb/listenerRule:ListenerRule": ["elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags"],
    "aws:lb/loadBalancer:LoadBalancer": [
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeTags",
    ],
    "aws:lb/targetGroup:TargetGroup": [
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTags",
    ],
    "aws:rds/instance:Instance": ["rds:DescribeDBInstances", "rds:ListTagsForResource"],
    "aws:rds/subnetGroup:SubnetGroup": ["rds:DescribeDBSubnetGroups", "rds:ListTagsForResource"],
    "aws:secretsmanager/secret:Secret": ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"],
    "aws:sns/topic:Topic": ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
    "aws:sns/topicPolicy:TopicPolicy": ["sns:GetTopicAttributes"],
    "aws:sns/topicSubscription:TopicSubscription": ["sns:GetSubscriptionAttributes"],
    "aws:ssm/parameter:Parameter": ["ssm:DescribeParameters", "ssm:ListTagsForResource"],
    // aws_vpc_security_group_ingress_rule Read: DescribeSecurityGroupRules (internal/service/ec2/vpc_security_group_ingress_rule.go).
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["ec2:DescribeSecurityGroupRules"],
    "aws:wafv2/webAcl:WebAcl": ["wafv2:GetWebACL", "wafv2:ListTagsForResource"],
    "aws:wafv2/webAclAssociation:WebAclAssociation": ["wafv2:GetWebACLForResource"],
};

/**
 * Reads of secret values on refresh, granted only on the stack's own secrets: an SSM SecureString's
 * Read fetches it with decryption (its AWS managed key allows use through SSM to principals the IAM
 * policy lets read it), a Secrets Manager version's Read fetches the value.
 */
export const AWS_SECRET_READS: Readonly<Record<string, readonly string[]>> = {
    "aws:ssm/parameter:Parameter": ["ssm:GetParameter"],
    "aws:secretsmanager/secretVersion:SecretVersion": ["secretsmanager:GetSecretValue"],
};

/**
 * AWS lookups (STS GetCallerIdentity and the partition/region lookups need no permission): the
 * network's zone lookup (components/aws/network.ts), the image build's ECR login token
 * (components/aws/registry.ts) and the CI identity's OIDC provider lookup (components/aws/ciIdentity.ts).
 */
export const AWS_LOOKUP_READS: readonly LookupReads[] = [
    {
        lookup: "aws:index/getAvailabilityZones:getAvailabilityZones",
        when: "aws:ec2/subnet:Subnet",
        permissions: ["ec2:DescribeAvailabilityZones"],
    },
    {
        lookup: "aws:ecr/getAuthorizationToken:getAuthorizationToken",
        when: "docker:index/image:Image",
        permissions: ["ecr:GetAuthorizationToken"],
    },
    // components/aws/eks.ts pins each add-on to the default version for the cluster's Kubernetes version.
    { lookup: "aws:eks/getAddonVersion:getAddonVersion", when: "aws:eks/addon:Addon", permissions: ["eks:DescribeAddonVersions"] },
    {
        lookup: "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider",
        when: "aws:iam/role:Role",
        permissions: ["iam:GetOpenIDConnectProvider"],
    },
];

const lookups = (table: readonly LookupReads[], types: ReadonlySet<string>) =>
    table.filter((l) => types.has(l.when)).flatMap((l) => l.permissions);

/** Whether a resource type's refresh reads nothing from a cloud. */
export function readsNothing(type: string): boolean {
    return READS_NOTHING.some((re) => re.test(type));
}

/**
 * The project-scoped GCP permissions a refreshing preview of `types` needs (sorted, unique), and the
 * types no row covers. `quotaProject`: requests are billed to the project (`gcp:userProjectOverride`).
 */
export function gcpProjectReads(types: Iterable<string>, quotaProject: boolean): { permissions: string[]; unknown: string[] } {
    const all = new Set(types);
    const permissions = new Set<string>([...lookups(GCP_LOOKUP_READS, all), ...(quotaProject ? GCP_QUOTA_PROJECT_READS : [])]);
    const unknown: string[] = [];
    for (const type of all) {
        if (!type.startsWith("gcp:")) continue;
        const row = GCP_READS[type];
        if (!row) unknown.push(type);
        else if ((row.scope ?? "project") === "project") for (const p of row.permissions) permissions.add(p);
    }
    return { permissions: [...permissions].sort(), unknown: unknown.sort() };
}

/** The AWS actions (granted on `*`) a refreshing preview of `types` needs (sorted, unique), and the types no row covers. */
export function awsReads(types: Iterable<string>): { actions: string[]; unknown: string[] } {
    const all = new Set(types);
    const actions = new Set<string>(lookups(AWS_LOOKUP_READS, all));
    const unknown: string[] = [];
    for (const type of all) {
        if (!type.startsWith("aws:")) continue;
        const row = AWS_READS[type];
        if (!row && !AWS_SECRET_READS[type]) unknown.push(type);
        for (const a of row ?? []) actions.add(a);
    }
    return { actions: [...actions].sort(), unknown: unknown.sort() };
}
