/**
 * EKS input rules (rules/kubernetes/inputRules.ts): each input Runway sets on an EKS cluster, node
 * group, add-on, access entry and Pod Identity association, checked against terraform-provider-aws
 * `internal/service/eks/*.go` (which pulumi-aws's `eks` resources are generated from: their
 * validators) and the EKS API reference / user guide. They apply to any program's EKS resources.
 * Dependency-free.
 */
import { DNS_SUBDOMAIN, InputRule, RFC1123_LABEL, at, isSet, known, list, obj, oneOf, parseCidr } from "../kubernetes/inputRules";

const CLUSTER = "aws:eks/cluster:Cluster";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const ADDON = "aws:eks/addon:Addon";
const ACCESS_ENTRY = "aws:eks/accessEntry:AccessEntry";
const ACCESS_POLICY = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
const POD_IDENTITY = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const TF = "terraform-provider-aws internal/service/eks";

/**
 * EKS Kubernetes versions: release and end of standard support (14 months; then extended support at
 * $0.60 per cluster-hour for 12 months). Sources: docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 * (the calendar) as endoflife.date/amazon-eks lists it, 2026-02.
 */
export const EKS_VERSIONS: Readonly<Record<string, { readonly released: string; readonly standardSupportEnds: string }>> = {
    "1.31": { released: "2024-09-26", standardSupportEnds: "2025-11-26" },
    "1.32": { released: "2025-01-25", standardSupportEnds: "2026-03-23" },
    "1.33": { released: "2025-05-28", standardSupportEnds: "2026-07-29" },
    "1.34": { released: "2025-10-06", standardSupportEnds: "2026-12-02" },
    "1.35": { released: "2026-01-28", standardSupportEnds: "2027-03-27" },
};

const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const AUTH_MODES = ["CONFIG_MAP", "API", "API_AND_CONFIG_MAP"];
const ACCESS_ENTRY_TYPES = ["STANDARD", "FARGATE_LINUX", "EC2_LINUX", "EC2_WINDOWS", "EC2", "HYBRID_LINUX", "HYPERPOD_LINUX"];
const CAPACITY_TYPES = ["ON_DEMAND", "SPOT", "CAPACITY_BLOCK"];
/** terraform-provider-aws addon.go `addon_version`: the semver regular expression, with a leading v. */
const ADDON_VERSION =
    /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
/**
 * An AWS Graviton (arm64) instance type: a1, or a 'g' among the attributes after the generation
 * (m7g, c6gn, r6gd, t4g, im4gn; not g5 or gr6, whose 'g' is the family). Source: the EC2 naming
 * conventions (docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html: "g – AWS Graviton processors").
 */
export const isGraviton = (instanceType: string) => /^a1\./.test(instanceType) || /^[a-z]+\d+[a-z-]*g[a-z-]*\./.test(instanceType);

const clusterOf = (r: Parameters<InputRule["check"]>[2], plan: Parameters<InputRule["check"]>[1]) =>
    plan.dependencies(r, "clusterName").find((c) => c.type === CLUSTER);

function scalingProblems(s: Record<string, any>): string[] {
    const { minSize: min, maxSize: max, desiredSize: desired } = s;
    const problems: string[] = [];
    if (typeof min === "number" && min < 0) problems.push(`scalingConfig.minSize ${min}: at least 0`);
    if (typeof max === "number" && max < 1) problems.push(`scalingConfig.maxSize ${max}: at least 1`);
    if (typeof min === "number" && typeof max === "number" && min > max)
        problems.push(`scalingConfig.minSize ${min} is above maxSize ${max}`);
    if (typeof desired === "number" && ((typeof min === "number" && desired < min) || (typeof max === "number" && desired > max)))
        problems.push(`scalingConfig.desiredSize ${desired} is outside minSize ${min}…maxSize ${max}`);
    return problems;
}

function updateConfigProblems(u: Record<string, any> | undefined): string[] {
    if (!u) return [];
    const set = ["maxUnavailable", "maxUnavailablePercentage"].filter((k) => isSet(u[k]));
    if (set.length !== 1) return [`updateConfig sets ${set.length} of maxUnavailable, maxUnavailablePercentage: exactly one`];
    const v = u[set[0]];
    return typeof v === "number" && (v < 1 || v > 100) ? [`updateConfig.${set[0]} ${v}: between 1 and 100`] : [];
}

function trustProblems(policy: unknown): string[] {
    if (!known(policy)) return [];
    let statements: any[];
    try {
        statements = list(JSON.parse(policy).Statement);
    } catch {
        return [];
    }
    const ok = statements.some((s) => {
        const principals = list([obj(s?.Principal)?.Service].flat());
        const actions = list([s?.Action].flat());
        return (
            s?.Effect === "Allow" &&
            principals.includes("pods.eks.amazonaws.com") &&
            ["sts:AssumeRole", "sts:TagSession"].every((a) => actions.includes(a))
        );
    });
    return ok
        ? []
        : ["the role's trust policy does not let pods.eks.amazonaws.com sts:AssumeRole and sts:TagSession: the pods get no credentials"];
}

type Plan = Parameters<InputRule["check"]>[1];
type Resource = Parameters<InputRule["check"]>[2];

/** A planned subnet whose route table sends traffic to an internet gateway (inline route or aws.ec2.Route). */
function routesToInternetGateway(subnet: Resource, plan: Plan): boolean {
    const tables = plan
        .ofType("aws:ec2/routeTableAssociation:RouteTableAssociation")
        .filter((a) => plan.dependencies(a, "subnetId").includes(subnet))
        .flatMap((a) => plan.dependencies(a, "routeTableId"));
    const isGateway = (r: Resource) => r.type === "aws:ec2/internetGateway:InternetGateway";
    return tables.some(
        (t) =>
            plan.dependencies(t, "routes").some(isGateway) ||
            plan
                .ofType("aws:ec2/route:Route")
                .some((r) => plan.dependencies(r, "routeTableId").includes(t) && plan.dependencies(r, "gatewayId").some(isGateway)),
    );
}

const CLUSTER_RULES: readonly InputRule[] = [
    {
        id: "eks-cluster-name",
        types: [CLUSTER],
        level: "mandatory",
        rule: "the cluster name is 1–100 letters, digits, '-' and '_', starting with a letter or digit",
        source: `${TF}/validate.go validClusterName`,
        check: (c) =>
            known(c.name) && !/^[0-9A-Za-z][0-9A-Za-z_-]{0,99}$/.test(c.name) ? [`name "${c.name}" is not an EKS cluster name`] : [],
    },
    {
        id: "eks-version",
        types: [CLUSTER],
        level: "mandatory",
        rule: 'version is a Kubernetes minor version ("1.35"), not a patch version',
        source: "docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html (version)",
        check: (c) =>
            known(c.version) && !/^1\.\d+$/.test(c.version) ? [`version "${c.version}" is not a minor version like "1.35"`] : [],
    },
    {
        id: "eks-version-support",
        types: [CLUSTER],
        level: "advisory",
        rule: "a pinned version is still in standard support on the day of the plan (past it: $0.60 instead of $0.10 per hour, or with upgradePolicy STANDARD an automatic upgrade)",
        source: "docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
        check: (c, plan) => {
            const support = known(c.version) && Object.hasOwn(EKS_VERSIONS, c.version) ? EKS_VERSIONS[c.version] : undefined;
            return support && support.standardSupportEnds <= plan.today
                ? [
                      `version ${c.version} left standard support on ${support.standardSupportEnds}: the cluster costs $0.60 an hour in extended support, or with upgradePolicy STANDARD EKS upgrades it on its own; pin a newer version`,
                  ]
                : [];
        },
    },
    {
        id: "eks-access-config",
        types: [CLUSTER],
        level: "mandatory",
        rule: `accessConfig.authenticationMode is one of ${oneOf(AUTH_MODES)}`,
        source: `${TF}/cluster.go access_config (enum AuthenticationMode)`,
        check: (c) => {
            const mode = at(c, "accessConfig.authenticationMode");
            return known(mode) && !AUTH_MODES.includes(mode) ? [`authenticationMode "${mode}" is not one of ${oneOf(AUTH_MODES)}`] : [];
        },
    },
    {
        id: "eks-endpoint-access",
        types: [CLUSTER],
        level: "mandatory",
        rule: "the API endpoint is reachable somehow (private or public access on); publicAccessCidrs are CIDR networks and only with public access",
        source: "docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html; docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
        check: (c) => {
            const v = obj(c.vpcConfig) ?? {};
            const priv = v.endpointPrivateAccess ?? false;
            const pub = v.endpointPublicAccess ?? true;
            const problems =
                priv === false && pub === false
                    ? ["endpointPrivateAccess and endpointPublicAccess are both false: nothing can reach the API server"]
                    : [];
            const cidrs = list(v.publicAccessCidrs).filter(known);
            problems.push(...cidrs.filter((x) => !parseCidr(x)?.network).map((x) => `publicAccessCidrs "${x}" is not a CIDR network`));
            if (cidrs.length > 0 && pub === false) problems.push("publicAccessCidrs without public access");
            return problems;
        },
    },
    {
        id: "eks-subnets",
        types: [CLUSTER],
        level: "mandatory",
        rule: "vpcConfig.subnetIds name at least two subnets, in at least two Availability Zones",
        source: "docs.aws.amazon.com/eks/latest/userguide/network-reqs.html (subnets in at least two Availability Zones)",
        check: (c, plan, r) => {
            const ids = list(at(c, "vpcConfig.subnetIds"));
            if (ids.length === 1) return ["vpcConfig.subnetIds names one subnet: EKS needs two in different Availability Zones"];
            const subnets = plan.dependencies(r, "vpcConfig").filter((s) => s.type === "aws:ec2/subnet:Subnet");
            const zones = subnets.map((s) => s.inputs.availabilityZone);
            return subnets.length > 0 && subnets.length === ids.length && zones.every(known) && new Set(zones).size < 2
                ? [`every subnet of vpcConfig is in ${zones[0]}: EKS needs two Availability Zones`]
                : [];
        },
    },
    {
        id: "eks-log-types",
        types: [CLUSTER],
        level: "mandatory",
        rule: `enabledClusterLogTypes are among ${oneOf(LOG_TYPES)}`,
        source: `${TF}/cluster.go enabled_cluster_log_types (enum LogType)`,
        check: (c) =>
            list(c.enabledClusterLogTypes)
                .filter((t) => known(t) && !LOG_TYPES.includes(t))
                .map((t) => `log type "${t}" is not one of ${oneOf(LOG_TYPES)}`),
    },
    {
        id: "eks-log-group",
        types: [CLUSTER],
        level: "advisory",
        rule: "control-plane logs go to a planned log group /aws/eks/<name>/cluster (else EKS creates one that never expires)",
        source: "docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
        check: (c, plan) => {
            if (!known(c.name) || list(c.enabledClusterLogTypes).length === 0) return [];
            const name = `/aws/eks/${c.name}/cluster`;
            const groups = plan.ofType("aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs.name);
            // A group named by an output (or auto-named) may be this one: judged only when every name is known.
            return groups.includes(name) || !groups.every(known)
                ? []
                : [`no planned log group ${name}: EKS creates it without retention, kept (and billed) forever`];
        },
    },
    {
        id: "eks-auto-mode",
        types: [CLUSTER],
        level: "mandatory",
        rule: "Auto Mode is all or nothing: computeConfig.enabled, storageConfig.blockStorage.enabled and kubernetesNetworkConfig.elasticLoadBalancing.enabled are equal",
        source: `${TF}/cluster.go validateAutoModeCustomizeDiff`,
        check: (c) => {
            const flags = [
                "computeConfig.enabled",
                "storageConfig.blockStorage.enabled",
                "kubernetesNetworkConfig.elasticLoadBalancing.enabled",
            ];
            const values = flags.map((f) => at(c, f) === true);
            return new Set(values).size > 1 ? [`Auto Mode half on: ${flags.map((f, i) => `${f}=${values[i]}`).join(", ")}`] : [];
        },
    },
    {
        id: "eks-upgrade-policy",
        types: [CLUSTER],
        level: "mandatory",
        rule: "upgradePolicy.supportType is STANDARD or EXTENDED",
        source: `${TF}/cluster.go upgrade_policy (enum SupportType)`,
        check: (c) => {
            const t = at(c, "upgradePolicy.supportType");
            return known(t) && !["STANDARD", "EXTENDED"].includes(t) ? [`supportType "${t}" is not STANDARD or EXTENDED`] : [];
        },
    },
    {
        id: "eks-encryption-config",
        types: [CLUSTER],
        level: "mandatory",
        rule: 'encryptionConfig encrypts resources ["secrets"] (the only value) with a KMS key ARN',
        source: `${TF}/cluster.go encryption_config (resources_Values); docs.aws.amazon.com/eks/latest/APIReference/API_EncryptionConfig.html`,
        check: (c) => {
            const e = obj(c.encryptionConfig);
            if (!e) return [];
            const problems = list(e.resources)
                .filter((x) => known(x) && x !== "secrets")
                .map((x) => `encryptionConfig resource "${x}" is not "secrets"`);
            const key = at(e, "provider.keyArn");
            if (known(key) && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/.test(key))
                problems.push(`keyArn "${key}" is not a KMS key ARN`);
            return problems;
        },
    },
];

const NODE_RULES: readonly InputRule[] = [
    {
        id: "eks-node-group-size",
        types: [NODE_GROUP],
        level: "mandatory",
        rule: "scalingConfig has minSize ≥ 0, maxSize ≥ 1, minSize ≤ desiredSize ≤ maxSize; updateConfig sets exactly one of maxUnavailable(Percentage), 1–100",
        source: `${TF}/node_group.go scaling_config, update_config`,
        check: (n) => [...scalingProblems(obj(n.scalingConfig) ?? {}), ...updateConfigProblems(obj(n.updateConfig))],
    },
    {
        id: "eks-node-group-ami",
        types: [NODE_GROUP],
        level: "mandatory",
        rule: `capacityType is one of ${oneOf(CAPACITY_TYPES)}; an ARM_64 AMI runs Graviton instance types and an x86_64 AMI the others; no Amazon Linux 2 AMI from Kubernetes 1.33 on`,
        source: `${TF}/node_group.go ami_type, capacity_type; docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html (amiType); docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-extended.html (1.33: no AL2 AMI)`,
        check: (n, plan, r) => {
            const problems: string[] = [];
            if (known(n.capacityType) && !CAPACITY_TYPES.includes(n.capacityType))
                problems.push(`capacityType "${n.capacityType}" is not one of ${oneOf(CAPACITY_TYPES)}`);
            if (!known(n.amiType) || n.amiType === "CUSTOM") return problems;
            const version = n.version ?? at(clusterOf(r, plan)?.inputs, "version");
            if (/^AL2_/.test(n.amiType) && known(version) && Number(version.split(".")[1]) >= 33)
                problems.push(
                    `amiType ${n.amiType} on Kubernetes ${version}: EKS publishes no Amazon Linux 2 AMI from 1.33 on (use AL2023_*)`,
                );
            const arm = n.amiType.includes("ARM_64");
            for (const t of list(n.instanceTypes).filter(known))
                if (isGraviton(t) !== arm)
                    problems.push(`instance type ${t} is ${isGraviton(t) ? "arm64" : "x86_64"}, amiType ${n.amiType} is not`);
            return problems;
        },
    },
    {
        id: "eks-private-compute",
        types: [NODE_GROUP, "aws:eks/fargateProfile:FargateProfile"],
        level: "mandatory",
        rule: "Fargate profiles use private subnets only; a node group in a subnet routed to an internet gateway needs that subnet to assign public IPs (better: private subnets)",
        source: "docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html; docs.aws.amazon.com/eks/latest/userguide/network-reqs.html",
        check: (_i, plan, r) => {
            const publicSubnets = plan
                .dependencies(r, "subnetIds")
                .filter((x) => x.type === "aws:ec2/subnet:Subnet" && routesToInternetGateway(x, plan));
            if (r.type !== NODE_GROUP)
                return publicSubnets.map(
                    (x) => `subnet ${x.urn.split("::").pop()} routes to an internet gateway: Fargate runs pods in private subnets only`,
                );
            return publicSubnets
                .filter((x) => x.inputs.mapPublicIpOnLaunch !== true)
                .map(
                    (x) =>
                        `subnet ${x.urn.split("::").pop()} routes to an internet gateway but assigns no public IPs: EKS refuses the node group`,
                );
        },
    },
    {
        id: "eks-addon",
        types: [ADDON],
        level: "mandatory",
        rule: "addonVersion is `v<semver>`; resolveConflictsOnCreate NONE or OVERWRITE; resolveConflictsOnUpdate NONE, OVERWRITE or PRESERVE; configurationValues a JSON object",
        source: `${TF}/addon.go`,
        check: (a) => {
            const problems: string[] = [];
            if (known(a.addonVersion) && !ADDON_VERSION.test(a.addonVersion))
                problems.push(`addonVersion "${a.addonVersion}" is not v<semver>`);
            if (known(a.resolveConflictsOnCreate) && !["NONE", "OVERWRITE"].includes(a.resolveConflictsOnCreate))
                problems.push(`resolveConflictsOnCreate "${a.resolveConflictsOnCreate}" is not NONE or OVERWRITE`);
            if (known(a.resolveConflictsOnUpdate) && !["NONE", "OVERWRITE", "PRESERVE"].includes(a.resolveConflictsOnUpdate))
                problems.push(`resolveConflictsOnUpdate "${a.resolveConflictsOnUpdate}" is not NONE, OVERWRITE or PRESERVE`);
            if (known(a.configurationValues)) {
                let parsed: unknown;
                try {
                    parsed = JSON.parse(a.configurationValues);
                } catch {
                    parsed = undefined;
                }
                if (!obj(parsed)) problems.push("configurationValues is not a JSON object");
            }
            return problems;
        },
    },
];

const IDENTITY_RULES: readonly InputRule[] = [
    {
        id: "eks-access-entry",
        types: [ACCESS_ENTRY],
        level: "mandatory",
        rule: `type is one of ${oneOf(ACCESS_ENTRY_TYPES)}; kubernetesGroups only on STANDARD entries; the cluster's authenticationMode admits access entries (API or API_AND_CONFIG_MAP)`,
        source: "docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html; docs.aws.amazon.com/eks/latest/userguide/access-entries.html",
        check: (e, plan, r) => {
            const type = e.type ?? "STANDARD";
            const problems: string[] = [];
            if (known(type) && !ACCESS_ENTRY_TYPES.includes(type))
                problems.push(`type "${type}" is not one of ${oneOf(ACCESS_ENTRY_TYPES)}`);
            if (known(type) && type !== "STANDARD" && list(e.kubernetesGroups).length > 0)
                problems.push(`kubernetesGroups on a ${type} entry`);
            const mode = at(clusterOf(r, plan)?.inputs, "accessConfig.authenticationMode");
            if (mode === "CONFIG_MAP") problems.push("the cluster's authenticationMode is CONFIG_MAP: it accepts no access entries");
            return problems;
        },
    },
    {
        id: "eks-access-policy",
        types: [ACCESS_POLICY],
        level: "mandatory",
        rule: "policyArn is arn:aws:eks::aws:cluster-access-policy/<name>; accessScope.type cluster (no namespaces) or namespace (with namespaces)",
        source: "docs.aws.amazon.com/eks/latest/APIReference/API_AssociateAccessPolicy.html; docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html",
        check: (p) => {
            const problems: string[] = [];
            if (known(p.policyArn) && !/^arn:aws[a-z-]*:eks::aws:cluster-access-policy\/[A-Za-z0-9]+$/.test(p.policyArn))
                problems.push(`policyArn "${p.policyArn}" is not arn:aws:eks::aws:cluster-access-policy/<name>`);
            const scope = obj(p.accessScope) ?? {};
            const namespaces = list(scope.namespaces);
            if (known(scope.type) && !["cluster", "namespace"].includes(scope.type))
                problems.push(`accessScope.type "${scope.type}" is not cluster or namespace`);
            if (scope.type === "namespace" && namespaces.length === 0) problems.push("accessScope namespace without namespaces");
            if (scope.type === "cluster" && namespaces.length > 0) problems.push("accessScope cluster with namespaces");
            for (const n of namespaces.filter((x) => known(x) && !RFC1123_LABEL.test(x.replace(/\*$/, "x"))))
                problems.push(`namespace "${n}" is not a namespace name`);
            return problems;
        },
    },
    {
        id: "eks-pod-identity",
        types: [POD_IDENTITY],
        level: "advisory",
        rule: "the association names a valid namespace and service account; its planned role trusts pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession; the cluster runs the eks-pod-identity-agent add-on",
        source: "docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html; docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html",
        check: (a, plan, r) => {
            const problems: string[] = [];
            if (known(a.namespace) && !RFC1123_LABEL.test(a.namespace))
                problems.push(`namespace "${a.namespace}" is not an RFC 1123 label`);
            if (known(a.serviceAccount) && !DNS_SUBDOMAIN.test(a.serviceAccount))
                problems.push(`serviceAccount "${a.serviceAccount}" is not a DNS subdomain`);
            const role = plan.dependencies(r, "roleArn").find((x) => x.type === "aws:iam/role:Role");
            if (role) problems.push(...trustProblems(role.inputs.assumeRolePolicy));
            const cluster = clusterOf(r, plan);
            const agent = plan.ofType(ADDON).some((x) => x.inputs.addonName === "eks-pod-identity-agent" && clusterOf(x, plan) === cluster);
            if (cluster && at(cluster.inputs, "computeConfig.enabled") !== true && !agent)
                problems.push("the cluster has no eks-pod-identity-agent add-on: no pod gets the role's credentials");
            return problems;
        },
    },
];

/** The EKS rules, in the order the docs table lists them. */
export const EKS_INPUT_RULES: readonly InputRule[] = [...CLUSTER_RULES, ...NODE_RULES, ...IDENTITY_RULES];
