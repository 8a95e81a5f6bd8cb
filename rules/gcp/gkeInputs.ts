/**
 * GKE input rules (rules/kubernetes/inputRules.ts): each input Runway sets on a GKE cluster and its
 * Workload Identity binding, checked against the provider's schema (magic-modules
 * `mmv1/third_party/terraform/services/container/resource_container_cluster.go.tmpl`, which
 * pulumi-gcp's `container.Cluster` is generated from) and the GKE documentation. They apply to any
 * program's clusters. Dependency-free.
 */
import { AUTOPILOT_CONFLICTS, maintenanceHoursPer32Days } from "./cluster";
import {
    DNS_SUBDOMAIN,
    InputRule,
    PlanView,
    PlannedResource,
    RFC1123_LABEL,
    at,
    isPrivate,
    isSet,
    known,
    list,
    obj,
    oneOf,
    overlaps,
    parseCidr,
} from "../kubernetes/inputRules";

const CLUSTER = "gcp:container/cluster:Cluster";
const TF = "magic-modules resource_container_cluster.go.tmpl";
const autopilot = (c: Record<string, any>) => c.enableAutopilot === true;
const RELEASE_CHANNELS = ["UNSPECIFIED", "RAPID", "REGULAR", "STABLE", "EXTENDED"];
const DATAPATHS = ["DATAPATH_PROVIDER_UNSPECIFIED", "LEGACY_DATAPATH", "ADVANCED_DATAPATH"];
const LOG_COMPONENTS = [
    "SYSTEM_COMPONENTS",
    "APISERVER",
    "CONTROLLER_MANAGER",
    "KCP_CONNECTION",
    "KCP_SSHD",
    "KCP_HPA",
    "KCP_VPA",
    "SCHEDULER",
    "WORKLOADS",
];
const METRIC_COMPONENTS = [
    ...["SYSTEM_COMPONENTS", "APISERVER", "SCHEDULER", "CONTROLLER_MANAGER", "STORAGE", "HPA", "POD", "DAEMONSET", "DEPLOYMENT"],
    ...["STATEFULSET", "WORKLOADS", "KUBELET", "CADVISOR", "DCGM", "JOBSET"],
];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const WORKLOAD_IDENTITY_MEMBER = /^serviceAccount:(.+)\.svc\.id\.goog\[([^/\]]*)\/([^\]]*)\]$/;

const unknownValues = (values: unknown, allowed: readonly string[]) => list(values).filter((v) => known(v) && !allowed.includes(v));

/** Problems of a recurring maintenance window (GKE's 48 hours in any 32 days, 4-hour blocks). */
function recurringWindowProblems(w: Record<string, any>): string[] {
    const { startTime, endTime, recurrence } = w;
    if (![startTime, endTime, recurrence].every(known)) return [];
    const problems = [startTime, endTime].filter((t) => !RFC3339.test(t)).map((t) => `recurringWindow time "${t}" is not RFC 3339`);
    if (!/^(RRULE:)?FREQ=[A-Z]+/.test(recurrence)) problems.push(`recurrence "${recurrence}" is not an RFC 5545 RRULE (FREQ=…)`);
    if (problems.length > 0) return problems;
    const hours = maintenanceHoursPer32Days({ startTime, endTime, recurrence });
    if (hours !== undefined && hours < 48)
        problems.push(
            `window ${startTime}–${endTime} ${recurrence} is open ${hours} h in its worst 32 days (blocks under 4 h do not count): GKE requires at least 48`,
        );
    return problems;
}

const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const isGkeIngress = (i: Record<string, any>) =>
    ["gce", "gce-internal"].includes(obj(at(i, "metadata.annotations"))?.["kubernetes.io/ingress.class"] ?? at(i, "spec.ingressClassName"));
/** The Services an Ingress sends to (default backend and rules), with the port each is addressed by. */
function ingressBackends(i: Record<string, any>): { name: string; port: unknown }[] {
    const backends = [
        at(i, "spec.defaultBackend"),
        ...list(at(i, "spec.rules")).flatMap((r) => list(at(r, "http.paths")).map((p) => at(p, "backend"))),
    ];
    return backends
        .map((b) => obj(at(b, "service")))
        .filter((b): b is Record<string, any> => !!b && known(b.name))
        .map((b) => ({ name: b.name, port: at(b, "port.number") ?? at(b, "port.name") }));
}
const namespaceOf = (r: { inputs: Record<string, unknown> }) => at(r.inputs, "metadata.namespace") ?? "default";
/** The planned Services of an Ingress's backends (same namespace, by name). */
function backendServices(i: Record<string, any>, plan: PlanView, r: PlannedResource) {
    return ingressBackends(i).flatMap((b) =>
        plan
            .ofType("kubernetes:core/v1:Service")
            .filter((s) => at(s.inputs, "metadata.name") === b.name && namespaceOf(s) === namespaceOf(r))
            .map((s) => ({ backend: b, service: s })),
    );
}
/** Readiness probes of the pods a Service selects (planned Deployments in its namespace). */
function selectedReadinessProbes(service: PlannedResource, plan: PlanView): Record<string, any>[] | undefined {
    const selector = obj(at(service.inputs, "spec.selector"));
    if (!selector || !Object.values(selector).every(known)) return undefined;
    const pods = plan
        .ofType("kubernetes:apps/v1:Deployment")
        .filter((d) => namespaceOf(d) === namespaceOf(service))
        .map((d) => obj(at(d.inputs, "spec.template")) ?? {})
        .filter((t) => Object.entries(selector).every(([k, v]) => obj(at(t, "metadata.labels"))?.[k] === v));
    if (pods.length === 0) return undefined;
    return pods.flatMap((t) => list(at(t, "spec.containers")).map((c) => obj(at(c, "readinessProbe")) ?? {}));
}

const INGRESS_RULES: readonly InputRule[] = [
    {
        id: "gke-ingress-backend",
        types: [INGRESS],
        level: "advisory",
        rule: 'a GKE Ingress\'s backend Service is NodePort or LoadBalancer, or states container-native load balancing (cloud.google.com/neg: {"ingress": true})',
        source: "cloud.google.com/kubernetes-engine/docs/how-to/container-native-load-balancing; cloud.google.com/kubernetes-engine/docs/concepts/ingress",
        check: (i, plan, r) =>
            isGkeIngress(i)
                ? backendServices(i, plan, r)
                      .filter(({ service }) => {
                          const type = at(service.inputs, "spec.type") ?? "ClusterIP";
                          const neg = obj(at(service.inputs, "metadata.annotations"))?.["cloud.google.com/neg"];
                          let ingress = false;
                          try {
                              ingress = known(neg) && JSON.parse(neg).ingress === true;
                          } catch {
                              ingress = false;
                          }
                          return type === "ClusterIP" && !ingress;
                      })
                      .map(
                          ({ backend }) =>
                              `backend Service ${backend.name} is a ClusterIP without cloud.google.com/neg {"ingress": true}: the load balancer may have no way to its pods`,
                      )
                : [],
    },
    {
        id: "gke-ingress-health-check",
        types: [INGRESS],
        level: "advisory",
        rule: "the pods behind a GKE Ingress have an HTTP readiness probe on the Service's target port (GKE derives its health check from it; else it checks GET / )",
        source: "cloud.google.com/kubernetes-engine/docs/concepts/ingress#health_checks",
        check: (i, plan, r) =>
            isGkeIngress(i)
                ? backendServices(i, plan, r).flatMap(({ backend, service }) => {
                      const port = list(at(service.inputs, "spec.ports")).find(
                          (p) => at(p, "port") === backend.port || at(p, "name") === backend.port,
                      );
                      const target = at(port, "targetPort") ?? at(port, "port");
                      const probes = selectedReadinessProbes(service, plan);
                      if (!probes || target === undefined) return [];
                      const ok = probes.some(
                          (p) => isSet(p.httpGet) && (at(p, "httpGet.port") === target || at(p, "httpGet.port") === String(target)),
                      );
                      return ok
                          ? []
                          : [`no readiness probe httpGet on port ${target} behind ${backend.name}: GKE health-checks GET / there instead`];
                  })
                : [],
    },
    {
        id: "gke-managed-certificate",
        types: ["kubernetes:networking.gke.io/v1:ManagedCertificate", INGRESS],
        level: "mandatory",
        rule: "a ManagedCertificate has 1–100 domains, none a wildcard or longer than 63 characters; an Ingress names only ManagedCertificates planned in its namespace",
        source: "cloud.google.com/kubernetes-engine/docs/how-to/managed-certs (limitations); github.com/GoogleCloudPlatform/gke-managed-certs",
        check: (i, plan, r) => {
            if (r.type === INGRESS) {
                const names = obj(at(i, "metadata.annotations"))?.["networking.gke.io/managed-certificates"];
                const certificates = plan
                    .ofType("kubernetes:networking.gke.io/v1:ManagedCertificate")
                    .filter((c) => namespaceOf(c) === namespaceOf(r));
                if (!known(names) || !certificates.every((c) => known(at(c.inputs, "metadata.name")))) return [];
                return names
                    .split(",")
                    .map((n) => n.trim())
                    .filter((n) => !certificates.some((c) => at(c.inputs, "metadata.name") === n))
                    .map((n) => `networking.gke.io/managed-certificates names ${n}, which is not planned in namespace ${namespaceOf(r)}`);
            }
            const domains = list(at(i, "spec.domains"));
            const problems = domains.length < 1 || domains.length > 100 ? [`${domains.length} domains: 1 to 100`] : [];
            for (const d of domains.filter(known))
                if (d.includes("*") || d.length > 63) problems.push(`domain "${d}" is a wildcard or longer than 63 characters`);
            return problems;
        },
    },
];

/** The GKE rules, in the order the docs table lists them. */
export const GKE_INPUT_RULES: readonly InputRule[] = [
    {
        id: "gke-cluster-name",
        types: [CLUSTER],
        level: "mandatory",
        rule: "the cluster name is 1–40 lowercase letters, digits and '-', starting with a letter and not ending with '-'",
        source: "cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters#Cluster",
        check: (c) =>
            known(c.name) && !/^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/.test(c.name) ? [`name "${c.name}" is not a GKE cluster name`] : [],
    },
    {
        id: "gke-autopilot-conflicts",
        types: [CLUSTER],
        level: "mandatory",
        rule: "an Autopilot cluster sets none of the fields the provider marks ConflictsWith enable_autopilot",
        source: TF,
        check: (c) =>
            autopilot(c)
                ? AUTOPILOT_CONFLICTS.filter(
                      (path) => isSet(at(c, path)) && !(Array.isArray(at(c, path)) && list(at(c, path)).length === 0),
                  ).map((path) => `${path} is set on an Autopilot cluster (the provider refuses it with enableAutopilot)`)
                : [],
    },
    {
        id: "gke-autopilot-regional",
        types: [CLUSTER],
        level: "mandatory",
        rule: "an Autopilot cluster's location is a region, never a zone",
        source: "cloud.google.com/kubernetes-engine/docs/concepts/autopilot-overview (Autopilot clusters are regional)",
        check: (c) =>
            autopilot(c) && known(c.location) && /^[a-z]+-[a-z]+\d+-[a-z]$/.test(c.location)
                ? [`location "${c.location}" is a zone: Autopilot clusters are regional`]
                : [],
    },
    {
        id: "gke-release-channel",
        types: [CLUSTER],
        level: "mandatory",
        rule: `releaseChannel.channel is one of ${oneOf(RELEASE_CHANNELS)}; an Autopilot cluster is always enrolled (never UNSPECIFIED)`,
        source: `${TF} release_channel; cloud.google.com/kubernetes-engine/docs/concepts/release-channels`,
        check: (c) => {
            const channel = at(c, "releaseChannel.channel");
            if (!known(channel)) return [];
            if (!RELEASE_CHANNELS.includes(channel))
                return [`releaseChannel.channel "${channel}" is not one of ${oneOf(RELEASE_CHANNELS)}`];
            return autopilot(c) && channel === "UNSPECIFIED"
                ? ["releaseChannel UNSPECIFIED: an Autopilot cluster cannot leave its release channel"]
                : [];
        },
    },
    {
        id: "gke-vpc-native",
        types: [CLUSTER],
        level: "mandatory",
        rule: "an Autopilot cluster is VPC-native (networkingMode unset or VPC_NATIVE); ipAllocationPolicy names secondary ranges or gives CIDR blocks, not both",
        source: `${TF} networking_mode, ip_allocation_policy (ConflictsWith)`,
        check: (c) => {
            const problems: string[] = [];
            if (autopilot(c) && known(c.networkingMode) && c.networkingMode !== "VPC_NATIVE")
                problems.push(`networkingMode "${c.networkingMode}": Autopilot clusters are VPC_NATIVE`);
            const ip = obj(c.ipAllocationPolicy) ?? {};
            const named = isSet(ip.clusterSecondaryRangeName) || isSet(ip.servicesSecondaryRangeName);
            const blocks = isSet(ip.clusterIpv4CidrBlock) || isSet(ip.servicesIpv4CidrBlock);
            if (named && blocks)
                problems.push("ipAllocationPolicy names secondary ranges and gives CIDR blocks: the provider accepts one or the other");
            return problems;
        },
    },
    {
        id: "gke-secondary-ranges",
        types: [CLUSTER],
        level: "mandatory",
        rule: "the pod and service secondary range names exist on the cluster's planned subnetwork, and its primary and secondary ranges do not overlap",
        source: "cloud.google.com/kubernetes-engine/docs/concepts/alias-ips#cluster_sizing_secondary_range_pods",
        check: (c, plan, r) => {
            const subnet = plan.dependencies(r, "subnetwork").find((s) => s.type === "gcp:compute/subnetwork:Subnetwork");
            if (!subnet) return [];
            const ranges = list(subnet.inputs.secondaryIpRanges).map((x) => obj(x) ?? {});
            const names = ranges.map((x) => x.rangeName);
            const problems = ["clusterSecondaryRangeName", "servicesSecondaryRangeName"]
                .map((k) => at(c, `ipAllocationPolicy.${k}`))
                .filter((n): n is string => known(n) && names.every(known) && !names.includes(n))
                .map((n) => `secondary range "${n}" is not on the subnetwork (it has ${names.join(", ") || "none"})`);
            const cidrs = [subnet.inputs.ipCidrRange, ...ranges.map((x) => x.ipCidrRange)].filter(known);
            for (const [i, a] of cidrs.entries())
                for (const b of cidrs.slice(i + 1)) if (overlaps(a, b)) problems.push(`subnetwork ranges ${a} and ${b} overlap`);
            return problems;
        },
    },
    {
        id: "gke-dataplane-v2",
        types: [CLUSTER],
        level: "mandatory",
        rule: `datapathProvider is one of ${oneOf(DATAPATHS)}; on Autopilot only ADVANCED_DATAPATH (Dataplane V2, always on) or unset`,
        source: `${TF} datapath_provider; its acceptance test testAccContainerCluster_enableCiliumPolicies_withAutopilot sets ADVANCED_DATAPATH on Autopilot; cloud.google.com/kubernetes-engine/docs/resources/autopilot-standard-feature-comparison`,
        check: (c) => {
            const d = c.datapathProvider;
            if (!known(d)) return [];
            if (!DATAPATHS.includes(d)) return [`datapathProvider "${d}" is not one of ${oneOf(DATAPATHS)}`];
            return autopilot(c) && d === "LEGACY_DATAPATH" ? ["datapathProvider LEGACY_DATAPATH: Autopilot always runs Dataplane V2"] : [];
        },
    },
    {
        id: "gke-workload-pool",
        types: [CLUSTER],
        level: "mandatory",
        rule: "workloadIdentityConfig.workloadPool is the cluster project's pool, `<project>.svc.id.goog`",
        source: "cloud.google.com/kubernetes-engine/docs/how-to/workload-identity; magic-modules testAccContainerCluster_withWorkloadIdentityConfigEnabledAutopilot (the pool set explicitly on Autopilot)",
        check: (c) => {
            const pool = at(c, "workloadIdentityConfig.workloadPool");
            return known(pool) && known(c.project) && pool !== `${c.project}.svc.id.goog`
                ? [`workloadPool "${pool}" is not ${c.project}.svc.id.goog, the only pool of project ${c.project}`]
                : [];
        },
    },
    {
        id: "gke-private-cluster",
        types: [CLUSTER],
        level: "mandatory",
        rule: "privateClusterConfig sets at least one field; a masterIpv4CidrBlock is a private /28",
        source: `${TF} private_cluster_config (AtLeastOneOf; master_ipv4_cidr_block IsCIDRNetwork(28, 28), optional on Autopilot since the control plane uses Private Service Connect)`,
        check: (c) => {
            const p = obj(c.privateClusterConfig);
            if (!p) return [];
            if (Object.values(p).every((v) => !isSet(v)))
                return ["privateClusterConfig is empty: the provider needs at least one of its fields"];
            const cidr = p.masterIpv4CidrBlock;
            if (!known(cidr) || cidr === "") return [];
            const parsed = parseCidr(cidr);
            return parsed?.prefix === 28 && parsed.network && isPrivate(cidr)
                ? []
                : [`masterIpv4CidrBlock "${cidr}" is not a private /28 network`];
        },
    },
    {
        id: "gke-private-nodes-egress",
        types: [CLUSTER],
        level: "advisory",
        rule: "private nodes on a planned network have a Cloud NAT on a router of that network (or they reach nothing outside Google)",
        source: "cloud.google.com/kubernetes-engine/docs/how-to/private-clusters (nodes have no external IP; use Cloud NAT)",
        check: (c, plan, r) => {
            if (at(c, "privateClusterConfig.enablePrivateNodes") !== true) return [];
            const network = plan.dependencies(r, "network").find((n) => n.type === "gcp:compute/network:Network");
            if (!network) return [];
            const nat = plan
                .ofType("gcp:compute/routerNat:RouterNat")
                .some((n) => plan.dependencies(n, "router").some((router) => plan.dependencies(router, "network").includes(network)));
            return nat
                ? []
                : [
                      "private nodes but no Cloud NAT on the cluster's network: pods cannot reach the internet (image pulls outside Google, webhooks)",
                  ];
        },
    },
    {
        id: "gke-node-identity",
        types: [CLUSTER],
        level: "advisory",
        rule: "nodes run as a service account email with the cloud-platform scope, and a planned project grant gives it roles/container.defaultNodeServiceAccount (logs, metrics)",
        source: `${TF}_test.go TestAccContainerClusterCustomServiceAccount_withAutopilot; cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa`,
        check: (c, plan) => {
            const d = obj(at(c, "clusterAutoscaling.autoProvisioningDefaults"));
            if (!d || !known(d.serviceAccount) || d.serviceAccount === "default") return [];
            const problems = list(d.oauthScopes).some((x) => x === "https://www.googleapis.com/auth/cloud-platform")
                ? []
                : [
                      "autoProvisioningDefaults.oauthScopes lacks https://www.googleapis.com/auth/cloud-platform: IAM cannot decide what the nodes may do",
                  ];
            const member = `serviceAccount:${d.serviceAccount}`;
            const granted = plan
                .ofType("gcp:projects/iAMMember:IAMMember")
                .some((m) => m.inputs.member === member && m.inputs.role === "roles/container.defaultNodeServiceAccount");
            if (!granted)
                problems.push(
                    `no planned roles/container.defaultNodeServiceAccount grant to ${member}: its nodes cannot write logs and metrics`,
                );
            return problems;
        },
    },
    {
        id: "gke-maintenance-window",
        types: [CLUSTER],
        level: "mandatory",
        rule: "maintenancePolicy sets exactly one window; a recurring one has RFC 3339 times, an RFC 5545 RRULE and at least 48 h in any 32 days in blocks of 4 h or more",
        source: `${TF} maintenance_policy (ExactlyOneOf); cloud.google.com/kubernetes-engine/docs/how-to/maintenance-window`,
        check: (c) => {
            const policy = obj(c.maintenancePolicy);
            if (!policy) return [];
            const windows = ["dailyMaintenanceWindow", "recurringWindow", "recurringMaintenanceWindow"].filter((k) => isSet(policy[k]));
            if (windows.length !== 1)
                return [`maintenancePolicy sets ${windows.length} windows (${windows.join(", ") || "none"}): exactly one`];
            return obj(policy.recurringWindow) ? recurringWindowProblems(policy.recurringWindow) : [];
        },
    },
    {
        id: "gke-telemetry-components",
        types: [CLUSTER],
        level: "mandatory",
        rule: "loggingConfig and monitoringConfig enable only the components GKE names",
        source: `${TF} logging_config.enable_components (StringInSlice), monitoring_config.enable_components`,
        check: (c) => [
            ...unknownValues(at(c, "loggingConfig.enableComponents"), LOG_COMPONENTS).map(
                (v) => `loggingConfig component "${v}" is not one of ${oneOf(LOG_COMPONENTS)}`,
            ),
            ...unknownValues(at(c, "monitoringConfig.enableComponents"), METRIC_COMPONENTS).map(
                (v) => `monitoringConfig component "${v}" is not one of ${oneOf(METRIC_COMPONENTS)}`,
            ),
        ],
    },
    {
        id: "gke-authorized-networks",
        types: [CLUSTER],
        level: "mandatory",
        rule: "masterAuthorizedNetworksConfig.cidrBlocks are IPv4 CIDR networks",
        source: `${TF} cidr_block (IsCIDRNetwork(0, 32))`,
        check: (c) =>
            list(at(c, "masterAuthorizedNetworksConfig.cidrBlocks"))
                .map((b) => obj(b)?.cidrBlock)
                .filter((b): b is string => known(b) && !parseCidr(b)?.network)
                .map((b) => `authorized network "${b}" is not an IPv4 CIDR network`),
    },
    {
        id: "gke-resource-labels",
        types: [CLUSTER],
        level: "mandatory",
        rule: "resourceLabels keys start with a lowercase letter; keys and values are at most 63 lowercase letters, digits, '_' or '-'",
        source: "cloud.google.com/resource-manager/docs/labels-overview#requirements",
        check: (c) =>
            Object.entries(obj(c.resourceLabels) ?? {}).flatMap(([k, v]) => [
                ...(/^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u.test(k) ? [] : [`label key "${k}" is not a GCP label key`]),
                ...(known(v) && !/^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u.test(v) ? [`label ${k}="${v}" is not a GCP label value`] : []),
            ]),
    },
    {
        id: "gke-workload-identity-member",
        types: ["gcp:serviceaccount/iAMMember:IAMMember"],
        level: "mandatory",
        rule: "a roles/iam.workloadIdentityUser member `serviceAccount:<project>.svc.id.goog[<namespace>/<ksa>]` names a valid namespace and service account",
        source: "cloud.google.com/kubernetes-engine/docs/how-to/workload-identity#authenticating_to",
        check: (m) => {
            if (m.role !== "roles/iam.workloadIdentityUser" || !known(m.member) || !m.member.includes(".svc.id.goog")) return [];
            const parts = WORKLOAD_IDENTITY_MEMBER.exec(m.member);
            if (!parts) return [`member "${m.member}" is not serviceAccount:<project>.svc.id.goog[<namespace>/<service account>]`];
            const [, , ns, ksa] = parts;
            return [
                ...(RFC1123_LABEL.test(ns) ? [] : [`namespace "${ns}" in member "${m.member}" is not an RFC 1123 label`]),
                ...(DNS_SUBDOMAIN.test(ksa) ? [] : [`service account "${ksa}" in member "${m.member}" is not a DNS subdomain`]),
            ];
        },
    },
    {
        id: "gke-workload-identity-pairing",
        types: ["gcp:serviceaccount/iAMMember:IAMMember"],
        level: "advisory",
        rule: "the Kubernetes service account a Workload Identity member names is planned, annotated iam.gke.io/gcp-service-account with the Google service account it may act as",
        source: "cloud.google.com/kubernetes-engine/docs/how-to/workload-identity#kubernetes-sa-to-iam",
        check: (m, plan) => {
            const parts = m.role === "roles/iam.workloadIdentityUser" && known(m.member) ? WORKLOAD_IDENTITY_MEMBER.exec(m.member) : null;
            const accounts = plan.ofType("kubernetes:core/v1:ServiceAccount").map((a) => obj(a.inputs.metadata) ?? {});
            if (!parts || accounts.length === 0 || !accounts.every((a) => known(a.name) && known(a.namespace ?? "default"))) return [];
            const [, , ns, ksa] = parts;
            const account = accounts.find((a) => a.name === ksa && (a.namespace ?? "default") === ns);
            if (!account) return [`member names ${ns}/${ksa}, which this program does not plan: no pod acts as the Google service account`];
            const annotated = obj(account.annotations)?.["iam.gke.io/gcp-service-account"];
            const email = known(m.serviceAccountId) ? /serviceAccounts\/(.+)$/.exec(m.serviceAccountId)?.[1] : undefined;
            return known(annotated) && email && annotated !== email
                ? [`${ns}/${ksa} is annotated with ${annotated}, not ${email}, which this binding lets it act as`]
                : [];
        },
    },
    ...INGRESS_RULES,
];
