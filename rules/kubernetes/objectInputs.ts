/**
 * Kubernetes object input rules (rules/kubernetes/inputRules.ts): fields of planned Kubernetes
 * objects the API server validates, checked against the Kubernetes API reference (v1.34) and the Pod
 * Security Standards. Selectors, names and HPA bounds are rules/kubernetes/wiring.ts's. Dependency-free.
 */
import { InputRule, PlannedResource, at, isMark, isSet, known, list, obj, oneOf, parseCidr, within } from "./inputRules";
import { kindOf, podTemplateOf } from "./wiring";

const K8S = "kubernetes:";
const API = "kubernetes.io/docs/reference/kubernetes-api";
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_PREFIX = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUFFIX: Record<string, number> = {
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    "": 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};
/** Fields of a container's securityContext that a PodSecurityContext does not have, and the reverse. */
const CONTAINER_ONLY = ["allowPrivilegeEscalation", "capabilities", "privileged", "procMount", "readOnlyRootFilesystem"];
const POD_ONLY = ["fsGroup", "fsGroupChangePolicy", "supplementalGroups", "supplementalGroupsPolicy", "sysctls"];
/** Volume types the restricted Pod Security level allows. */
const RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
const METRIC_TYPES: Record<string, string> = {
    Resource: "resource",
    Pods: "pods",
    Object: "object",
    External: "external",
    ContainerResource: "containerResource",
};

/** A Kubernetes quantity's value, or undefined when it is not one. */
export function quantity(v: unknown): number | undefined {
    if (typeof v === "number") return v;
    if (!known(v) || !QUANTITY.test(v)) return undefined;
    const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(v)!;
    const scale = /^[eE]/.test(m[2]) ? 10 ** Number(m[2].slice(1)) : SUFFIX[m[2]];
    return Number(m[1]) * scale;
}

type Spec = Record<string, any>;
const containersOf = (spec: Spec | undefined): Spec[] =>
    [...list(spec?.initContainers), ...list(spec?.containers), ...list(spec?.ephemeralContainers)].map((c) => obj(c) ?? {});
const podSpecOf = (r: PlannedResource) => podTemplateOf(r)?.spec;

/** Problems of one label map (keys: optional DNS-subdomain prefix + name ≤ 63; values ≤ 63). */
function labelProblems(labels: unknown, where: string): string[] {
    return Object.entries(obj(labels) ?? {}).flatMap(([key, value]) => {
        const problems: string[] = [];
        const [prefix, name] = key.includes("/") ? [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)] : [undefined, key];
        if ((prefix !== undefined && !LABEL_PREFIX.test(prefix)) || name.length > 63 || !LABEL_NAME.test(name))
            problems.push(`${where} label key "${key}" is not a qualified name`);
        if (known(value) && value !== "" && (value.length > 63 || !LABEL_NAME.test(value)))
            problems.push(
                `${where} label ${key}="${value}": a value is at most 63 letters, digits, '-', '_' or '.', alphanumeric at both ends`,
            );
        return problems;
    });
}

function resourceProblems(c: Spec): string[] {
    const r = obj(c.resources) ?? {};
    const problems: string[] = [];
    for (const part of ["requests", "limits"])
        for (const [name, v] of Object.entries(obj(r[part]) ?? {}))
            if ((known(v) || typeof v === "number") && quantity(v) === undefined)
                problems.push(`container "${c.name}" ${part}.${name} "${v}" is not a Kubernetes quantity`);
    for (const name of Object.keys(obj(r.requests) ?? {})) {
        const [req, lim] = [quantity(r.requests[name]), quantity(obj(r.limits)?.[name])];
        if (req !== undefined && lim !== undefined && req > lim)
            problems.push(`container "${c.name}" requests ${r.requests[name]} ${name}, above its limit ${r.limits[name]}`);
    }
    return problems;
}

function probeProblems(c: Spec): string[] {
    return (["startupProbe", "readinessProbe", "livenessProbe"] as const).flatMap((kind) => {
        const p = obj(c[kind]);
        if (!p) return [];
        const problems: string[] = [];
        const handlers = ["exec", "httpGet", "tcpSocket", "grpc"].filter((h) => isSet(p[h]));
        if (handlers.length !== 1)
            problems.push(`container "${c.name}" ${kind} has ${handlers.length} handlers: exactly one of exec, httpGet, tcpSocket, grpc`);
        if (kind !== "readinessProbe" && isSet(p.successThreshold) && p.successThreshold !== 1)
            problems.push(`container "${c.name}" ${kind}.successThreshold ${p.successThreshold}: must be 1`);
        for (const f of ["periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold"])
            if (typeof p[f] === "number" && p[f] < 1) problems.push(`container "${c.name}" ${kind}.${f} ${p[f]}: at least 1`);
        return problems;
    });
}

/** What the restricted Pod Security level refuses in a pod spec. */
function restrictedProblems(spec: Spec): string[] {
    const problems: string[] = [];
    const pod = obj(spec.securityContext) ?? {};
    for (const v of list(spec.volumes).map((x) => obj(x) ?? {})) {
        const type = Object.keys(v).find((k) => k !== "name");
        if (type && !RESTRICTED_VOLUMES.includes(type)) problems.push(`volume "${v.name}" is a ${type} volume`);
    }
    for (const c of containersOf(spec)) {
        const ctx = obj(c.securityContext) ?? {};
        const who = `container "${c.name}"`;
        if (ctx.allowPrivilegeEscalation !== false && !isMark(ctx.allowPrivilegeEscalation))
            problems.push(`${who} does not set allowPrivilegeEscalation: false`);
        const nonRoot = ctx.runAsNonRoot ?? pod.runAsNonRoot;
        if (nonRoot !== true && !isMark(nonRoot)) problems.push(`${who} does not run with runAsNonRoot: true`);
        if ((ctx.runAsUser ?? pod.runAsUser) === 0) problems.push(`${who} runs as uid 0`);
        const seccomp = at(ctx, "seccompProfile.type") ?? at(pod, "seccompProfile.type");
        if (!["RuntimeDefault", "Localhost"].includes(seccomp as string) && !isMark(seccomp))
            problems.push(`${who} seccompProfile is ${seccomp ?? "unset"}, not RuntimeDefault or Localhost`);
        const caps = obj(ctx.capabilities) ?? {};
        if (!isMark(ctx.capabilities) && !isMark(caps.drop) && !list(caps.drop).includes("ALL"))
            problems.push(`${who} does not drop ALL capabilities`);
        const added = list(caps.add).filter((x) => known(x) && x.replace(/^CAP_/, "") !== "NET_BIND_SERVICE");
        if (added.length > 0) problems.push(`${who} adds ${added.join(", ")} (only NET_BIND_SERVICE)`);
    }
    return problems;
}

function metricProblems(m: Spec): string[] {
    const member = Object.hasOwn(METRIC_TYPES, m.type) ? METRIC_TYPES[m.type] : undefined;
    if (!known(m.type)) return [];
    if (!member) return [`metric type "${m.type}" is not one of ${oneOf(Object.keys(METRIC_TYPES))}`];
    const body = obj(m[member]);
    if (!body) return [`metric of type ${m.type} has no ${member}`];
    const target = obj(body.target) ?? {};
    if (known(target.type) && !["Utilization", "Value", "AverageValue"].includes(target.type))
        return [`metric ${m.type} target.type "${target.type}" is not Utilization, Value or AverageValue`];
    const needs = { Utilization: "averageUtilization", Value: "value", AverageValue: "averageValue" }[target.type as string];
    return needs && !isSet(target[needs]) ? [`metric ${m.type} target ${target.type} without ${needs}`] : [];
}

function networkPolicyProblems(spec: Spec): string[] {
    const problems = list(spec.policyTypes)
        .filter((t) => known(t) && !["Ingress", "Egress"].includes(t))
        .map((t) => `policyTypes "${t}" is not Ingress or Egress`);
    const rules = [...list(spec.ingress).map((r) => [r, "from"] as const), ...list(spec.egress).map((r) => [r, "to"] as const)];
    for (const [rule, peers] of rules) {
        for (const port of list(obj(rule)?.ports).map((p) => obj(p) ?? {}))
            if (known(port.protocol) && !["TCP", "UDP", "SCTP"].includes(port.protocol))
                problems.push(`port protocol "${port.protocol}" is not TCP, UDP or SCTP`);
        for (const peer of list(obj(rule)?.[peers]).map((p) => obj(p) ?? {})) {
            const block = obj(peer.ipBlock);
            if (!block || !known(block.cidr)) continue;
            if (!parseCidr(block.cidr)) problems.push(`ipBlock.cidr "${block.cidr}" is not a CIDR`);
            else
                for (const e of list(block.except).filter(known))
                    if (!within(e, block.cidr)) problems.push(`ipBlock except ${e} is not inside ${block.cidr}`);
        }
    }
    return problems;
}

function serviceProblems(spec: Spec): string[] {
    const type = spec.type ?? "ClusterIP";
    if (known(type) && !["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"].includes(type))
        return [`type "${type}" is not ClusterIP, NodePort, LoadBalancer or ExternalName`];
    return list(spec.ports).flatMap((raw) => {
        const p = obj(raw) ?? {};
        const problems: string[] = [];
        if (typeof p.port === "number" && (p.port < 1 || p.port > 65535)) problems.push(`port ${p.port}: 1 to 65535`);
        if (known(p.protocol) && !["TCP", "UDP", "SCTP"].includes(p.protocol))
            problems.push(`protocol "${p.protocol}" is not TCP, UDP or SCTP`);
        if (typeof p.nodePort === "number" && !["NodePort", "LoadBalancer"].includes(type))
            problems.push(`nodePort ${p.nodePort} on a ${type} Service`);
        else if (typeof p.nodePort === "number" && (p.nodePort < 30000 || p.nodePort > 32767))
            problems.push(`nodePort ${p.nodePort} is outside the default node port range 30000–32767`);
        return problems;
    });
}

function ingressProblems(spec: Spec): string[] {
    const paths = list(spec.rules).flatMap((r) => list(at(r, "http.paths")).map((p) => obj(p) ?? {}));
    const problems = paths.flatMap((p) => {
        if (!known(p.pathType) || !["Exact", "Prefix", "ImplementationSpecific"].includes(p.pathType))
            return [
                `path ${p.path ?? "(none)"} has pathType ${p.pathType ?? "unset"}: networking.k8s.io/v1 requires Exact, Prefix or ImplementationSpecific`,
            ];
        return p.pathType !== "ImplementationSpecific" && known(p.path) && !p.path.startsWith("/")
            ? [`${p.pathType} path "${p.path}" does not start with /`]
            : [];
    });
    if (!isSet(spec.defaultBackend) && paths.length === 0) problems.push("neither a defaultBackend nor a rule with paths");
    return problems;
}

function strategyProblems(spec: Spec): string[] {
    const strategy = obj(spec.strategy) ?? {};
    const problems: string[] = [];
    if (known(strategy.type) && !["RollingUpdate", "Recreate"].includes(strategy.type))
        problems.push(`strategy.type "${strategy.type}" is not RollingUpdate or Recreate`);
    const rolling = obj(strategy.rollingUpdate);
    if (rolling && strategy.type === "Recreate") problems.push("rollingUpdate on a Recreate strategy");
    const zero = (v: unknown) => v === 0 || v === "0%";
    if (rolling && zero(rolling.maxSurge) && zero(rolling.maxUnavailable))
        problems.push("maxSurge and maxUnavailable are both 0: the rollout can never move");
    if (
        typeof spec.progressDeadlineSeconds === "number" &&
        typeof spec.minReadySeconds === "number" &&
        spec.progressDeadlineSeconds <= spec.minReadySeconds
    )
        problems.push(`progressDeadlineSeconds ${spec.progressDeadlineSeconds} is not above minReadySeconds ${spec.minReadySeconds}`);
    return problems;
}

function rbacProblems(rules: unknown): string[] {
    return list(rules).flatMap((raw) => {
        const r = obj(raw) ?? {};
        if (list(r.resourceNames).length === 0) return [];
        return list(r.verbs)
            .filter((v) => v === "create" || v === "deletecollection")
            .map(
                (v) =>
                    `${v} on ${list(r.resources).join(", ")} restricted by resourceNames is never allowed (the name is not known when it is authorized)`,
            );
    });
}

const WORKLOADS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];
const isWorkload = (r: PlannedResource) => WORKLOADS.includes(kindOf(r.type));
const ofKind =
    (kind: string) =>
    (check: InputRule["check"]): InputRule["check"] =>
    (i, p, r) =>
        kindOf(r.type) === kind ? check(i, p, r) : [];

/** The namespace a planned object is in and whether that namespace is planned with Pod Security `enforce: restricted`. */
function enforcesRestricted(r: PlannedResource, plan: Parameters<InputRule["check"]>[1]): boolean {
    const ns = at(r.inputs, "metadata.namespace") ?? "default";
    return plan
        .ofType("kubernetes:core/v1:Namespace")
        .some(
            (n) =>
                at(n.inputs, "metadata.name") === ns &&
                obj(at(n.inputs, "metadata.labels"))?.["pod-security.kubernetes.io/enforce"] === "restricted",
        );
}

/** The Kubernetes object rules, in the order the docs table lists them. */
export const KUBERNETES_OBJECT_RULES: readonly InputRule[] = [
    {
        id: "k8s-labels",
        types: [K8S],
        level: "mandatory",
        rule: "label keys are qualified names (optional DNS-subdomain prefix, name ≤ 63) and values ≤ 63 alphanumerics, '-', '_', '.'",
        source: "kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set",
        check: (i, _p, r) => [
            ...labelProblems(at(i, "metadata.labels"), "metadata"),
            ...(isWorkload(r) && kindOf(r.type) !== "Pod" ? labelProblems(podTemplateOf(r)?.metadata?.labels, "pod template") : []),
        ],
    },
    {
        id: "k8s-resources",
        types: [K8S],
        level: "mandatory",
        rule: "container requests and limits are Kubernetes quantities, and no request is above its limit",
        source: `${API}/common-definitions/quantity/; kubernetes.io/docs/concepts/configuration/manage-resources-containers/`,
        check: (_i, _p, r) => (isWorkload(r) ? containersOf(podSpecOf(r)).flatMap(resourceProblems) : []),
    },
    {
        id: "k8s-probes",
        types: [K8S],
        level: "mandatory",
        rule: "each probe has exactly one handler; liveness and startup successThreshold is 1; periods, timeouts and thresholds are at least 1",
        source: `${API}/workload-resources/pod-v1/#Probe`,
        check: (_i, _p, r) => (isWorkload(r) ? containersOf(podSpecOf(r)).flatMap(probeProblems) : []),
    },
    {
        id: "k8s-security-context-level",
        types: [K8S],
        level: "advisory",
        rule: `container-only securityContext fields (${CONTAINER_ONLY.join(", ")}) are not set on the pod, nor pod-only ones (${POD_ONLY.join(", ")}) on a container`,
        source: `${API}/workload-resources/pod-v1/#security-context`,
        check: (_i, _p, r) => {
            const spec = isWorkload(r) ? podSpecOf(r) : undefined;
            if (!spec) return [];
            const pod = obj(spec.securityContext) ?? {};
            return [
                ...CONTAINER_ONLY.filter((f) => isSet(pod[f])).map(
                    (f) => `pod securityContext.${f} is a container field: the API server drops it, so it does not apply`,
                ),
                ...containersOf(spec).flatMap((c) =>
                    POD_ONLY.filter((f) => isSet(obj(c.securityContext)?.[f])).map(
                        (f) => `container "${c.name}" securityContext.${f} is a pod field: the API server drops it, so it does not apply`,
                    ),
                ),
            ];
        },
    },
    {
        id: "k8s-restricted-pods",
        types: [K8S],
        level: "mandatory",
        rule: "pods in a namespace planned with pod-security.kubernetes.io/enforce: restricted meet the restricted level (else admission refuses every pod and the rollout never finishes)",
        source: "kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
        check: (_i, plan, r) => {
            const spec = isWorkload(r) ? podSpecOf(r) : undefined;
            return spec && enforcesRestricted(r, plan) ? restrictedProblems(spec).map((p) => `restricted namespace: ${p}`) : [];
        },
    },
    {
        id: "k8s-disruption-budget",
        types: [K8S],
        level: "mandatory",
        rule: "a PodDisruptionBudget sets minAvailable or maxUnavailable, not both; unhealthyPodEvictionPolicy is IfHealthyBudget or AlwaysAllow",
        source: `${API}/policy-resources/pod-disruption-budget-v1/`,
        check: ofKind("PodDisruptionBudget")((i) => {
            const spec = obj(i.spec) ?? {};
            const problems = isSet(spec.minAvailable) && isSet(spec.maxUnavailable) ? ["sets both minAvailable and maxUnavailable"] : [];
            const policy = spec.unhealthyPodEvictionPolicy;
            if (known(policy) && !["IfHealthyBudget", "AlwaysAllow"].includes(policy))
                problems.push(`unhealthyPodEvictionPolicy "${policy}" is not IfHealthyBudget or AlwaysAllow`);
            return problems;
        }),
    },
    {
        id: "k8s-autoscaler-metrics",
        types: [K8S],
        level: "mandatory",
        rule: "each autoscaling/v2 metric has a known type, the member of that type, and a target whose type carries its value (Utilization → averageUtilization)",
        source: `${API}/workload-resources/horizontal-pod-autoscaler-v2/#MetricSpec`,
        check: ofKind("HorizontalPodAutoscaler")((i) => list(at(i, "spec.metrics")).flatMap((m) => metricProblems(obj(m) ?? {}))),
    },
    {
        id: "k8s-service",
        types: [K8S],
        level: "mandatory",
        rule: "a Service's type is ClusterIP, NodePort, LoadBalancer or ExternalName; ports 1–65535 over TCP, UDP or SCTP; a nodePort only on NodePort or LoadBalancer, within 30000–32767",
        source: `${API}/service-resources/service-v1/; kubernetes.io/docs/concepts/services-networking/service/#type-nodeport`,
        check: ofKind("Service")((i) => serviceProblems(obj(i.spec) ?? {})),
    },
    {
        id: "k8s-ingress",
        types: [K8S],
        level: "mandatory",
        rule: "an Ingress has a default backend or rule paths; each path has a pathType (Exact, Prefix, ImplementationSpecific) and Exact/Prefix paths start with /",
        source: `${API}/service-resources/ingress-v1/`,
        check: ofKind("Ingress")((i) => ingressProblems(obj(i.spec) ?? {})),
    },
    {
        id: "k8s-deployment-strategy",
        types: [K8S],
        level: "mandatory",
        rule: "a Deployment's strategy is RollingUpdate or Recreate; maxSurge and maxUnavailable are not both 0; progressDeadlineSeconds is above minReadySeconds",
        source: `${API}/workload-resources/deployment-v1/#DeploymentSpec`,
        check: ofKind("Deployment")((i) => strategyProblems(obj(i.spec) ?? {})),
    },
    {
        id: "k8s-rbac-resource-names",
        types: [K8S],
        level: "advisory",
        rule: "a Role or ClusterRole never restricts create or deletecollection by resourceNames (such a rule allows nothing)",
        source: "kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources",
        check: (i, _p, r) => (["Role", "ClusterRole"].includes(kindOf(r.type)) ? rbacProblems(i.rules) : []),
    },
    {
        id: "k8s-network-policy",
        types: [K8S],
        level: "mandatory",
        rule: "policyTypes are Ingress or Egress; port protocols TCP, UDP or SCTP; an ipBlock is a CIDR and its exceptions lie inside it",
        source: `${API}/policy-resources/network-policy-v1/`,
        check: ofKind("NetworkPolicy")((i) => networkPolicyProblems(obj(i.spec) ?? {})),
    },
];
