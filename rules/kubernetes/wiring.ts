/**
 * How a program's Kubernetes objects fit together, checked on the planned inputs (any program's, not
 * only Runway's): what the API server refuses (mandatory) and what it accepts but never works
 * (advisory: a Service, PodDisruptionBudget or NetworkPolicy that selects no planned pod, an HPA
 * aimed at a workload the program does not plan, a named port no container declares). Values the
 * plan does not know (outputs, secrets) are never judged. Dependency-free.
 *
 * Sources (Kubernetes API reference and concepts, v1.34):
 * - kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector: `.spec.selector` must
 *   match `.spec.template.metadata.labels`, or it is rejected by the API (same for StatefulSet,
 *   DaemonSet, ReplicaSet).
 * - kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2:
 *   maxReplicas "cannot be less than minReplicas"; minReplicas 0 only with the alpha HPAScaleToZero gate.
 * - kubernetes.io/docs/concepts/overview/working-with-objects/names: most names are DNS subdomains
 *   (≤ 253, lowercase alphanumerics, '-' and '.'); Namespaces are RFC 1123 labels and Services
 *   RFC 1035 labels (≤ 63, '-' inside, a Service's starting with a letter).
 * - kubernetes.io/docs/concepts/services-networking/service/#defining-a-service: a Service sends
 *   traffic to the pods its selector matches; a named targetPort resolves against the pods' port names.
 */

/** A planned object as the plan records it. */
export interface KubernetesObject {
    readonly urn: string;
    readonly type: string;
    readonly inputs: Record<string, unknown>;
}

export interface WiringProblem {
    readonly level: "mandatory" | "advisory";
    readonly urn: string;
    readonly message: string;
}

type Labels = Record<string, string>;
interface PodTemplate {
    readonly namespace: string;
    readonly labels: Labels;
    readonly portNames: string[];
}

const SELECTED_WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]);
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RFC1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A string the plan knows: not an `[unknown]`, `[secret]` or `[placeholder …]` mark. */
const known = (v: unknown): v is string => typeof v === "string" && !/^\[[^\]]*\]$/.test(v);
const obj = (v: unknown): Record<string, any> | undefined =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, any>) : undefined;
/** The kind of a `kubernetes:<group>/<version>:<Kind>` type. */
export const kindOf = (type: string): string => type.slice(type.lastIndexOf(":") + 1);
const namespaceOf = (o: KubernetesObject): string => {
    const ns = obj(o.inputs.metadata)?.namespace;
    return known(ns) ? ns : ns === undefined ? "default" : "*";
};
const sameNamespace = (a: string, b: string) => a === b || a === "*" || b === "*";
/** Labels with known string values only, or undefined when the whole map is unknown. */
function knownLabels(v: unknown): Labels | undefined {
    const o = obj(v);
    if (!o) return undefined;
    return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => known(e[1])));
}
const selects = (selector: Labels, labels: Labels) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The pod template of a workload (a Pod is its own), with its namespace, labels and container port names. */
export function podTemplateOf(o: KubernetesObject): { metadata?: Record<string, any>; spec?: Record<string, any> } | undefined {
    const kind = kindOf(o.type);
    const spec = obj(o.inputs.spec);
    if (kind === "Pod") return { metadata: obj(o.inputs.metadata), spec };
    if (kind === "CronJob") return obj(obj(obj(spec?.jobTemplate)?.spec)?.template);
    if (SELECTED_WORKLOADS.has(kind) || kind === "Job") return obj(spec?.template);
    return undefined;
}

function podTemplates(objects: readonly KubernetesObject[]): PodTemplate[] {
    return objects.flatMap((o) => {
        const template = podTemplateOf(o);
        const labels = knownLabels(template?.metadata?.labels);
        if (!template || !labels) return [];
        const containers = [...(template.spec?.containers ?? []), ...(template.spec?.initContainers ?? [])];
        const portNames = containers.flatMap((c: any) => (Array.isArray(c?.ports) ? c.ports : [])).map((p: any) => p?.name);
        return [{ namespace: namespaceOf(o), labels, portNames: portNames.filter(known) }];
    });
}

/** Every problem of the plan's Kubernetes objects (other types are ignored). Pure. */
export function kubernetesWiringProblems(resources: readonly KubernetesObject[]): WiringProblem[] {
    const objects = resources.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:yaml"));
    const pods = podTemplates(objects);
    return objects.flatMap((o) => [
        ...nameProblems(o),
        ...selectorTemplateProblems(o),
        ...autoscalerProblems(o, objects),
        ...selectionProblems(o, pods),
    ]);
}

function nameProblems(o: KubernetesObject): WiringProblem[] {
    const name = obj(o.inputs.metadata)?.name;
    if (!known(name)) return [];
    const kind = kindOf(o.type);
    const [rule, pattern, max] =
        kind === "Namespace"
            ? ["an RFC 1123 label", RFC1123_LABEL, 63]
            : kind === "Service"
              ? ["an RFC 1035 label (starting with a letter)", RFC1035_LABEL, 63]
              : ["a DNS subdomain", SUBDOMAIN, 253];
    if (pattern.test(name) && name.length <= max) return [];
    return [
        {
            level: "mandatory",
            urn: o.urn,
            message: `${kind} name "${name}" is not ${rule}: at most ${max} lowercase letters, digits and '-'; the API server refuses it`,
        },
    ];
}

function selectorTemplateProblems(o: KubernetesObject): WiringProblem[] {
    const kind = kindOf(o.type);
    if (!SELECTED_WORKLOADS.has(kind)) return [];
    const selector = knownLabels(obj(obj(o.inputs.spec)?.selector)?.matchLabels);
    const labels = knownLabels(podTemplateOf(o)?.metadata?.labels);
    if (!selector || !labels || selects(selector, labels)) return [];
    const missing = Object.entries(selector)
        .filter(([k, v]) => labels[k] !== v)
        .map(([k, v]) => `${k}=${v}`);
    return [
        {
            level: "mandatory",
            urn: o.urn,
            message: `${kind} selector ${missing.join(", ")} is not among its pod template's labels: the API server refuses it (spec.selector must match spec.template.metadata.labels)`,
        },
    ];
}

function autoscalerProblems(o: KubernetesObject, objects: readonly KubernetesObject[]): WiringProblem[] {
    if (kindOf(o.type) !== "HorizontalPodAutoscaler") return [];
    const spec = obj(o.inputs.spec) ?? {};
    const problems: WiringProblem[] = [];
    const { minReplicas: min, maxReplicas: max } = spec;
    if (typeof min === "number" && min < 1)
        problems.push({
            level: "mandatory",
            urn: o.urn,
            message: `minReplicas ${min}: at least 1 (0 needs the alpha HPAScaleToZero gate)`,
        });
    if (typeof min === "number" && typeof max === "number" && max < min)
        problems.push({
            level: "mandatory",
            urn: o.urn,
            message: `maxReplicas ${max} is below minReplicas ${min}: the API server refuses it`,
        });
    const target = obj(spec.scaleTargetRef);
    const ns = namespaceOf(o);
    const sameKind = objects.filter((w) => kindOf(w.type) === target?.kind && sameNamespace(namespaceOf(w), ns));
    const names = sameKind.map((w) => obj(w.inputs.metadata)?.name);
    // Judged only where every planned workload of that kind has a known name (auto-named ones are not).
    if (known(target?.name) && sameKind.length > 0 && names.every(known) && !names.includes(target.name))
        problems.push({
            level: "advisory",
            urn: o.urn,
            message: `scales ${target.kind} "${target.name}", which this program does not plan in namespace ${ns} (it plans ${names.join(", ")}): the autoscaler finds nothing to scale`,
        });
    return problems;
}

/** Services, PodDisruptionBudgets and NetworkPolicies that select no planned pod; a Service's named targetPort no pod declares. */
function selectionProblems(o: KubernetesObject, pods: readonly PodTemplate[]): WiringProblem[] {
    const kind = kindOf(o.type);
    const spec = obj(o.inputs.spec);
    const raw =
        kind === "Service"
            ? spec?.selector
            : kind === "PodDisruptionBudget" || kind === "NetworkPolicy"
              ? obj(kind === "NetworkPolicy" ? spec?.podSelector : spec?.selector)?.matchLabels
              : undefined;
    const selector = knownLabels(raw);
    const ns = namespaceOf(o);
    const inNamespace = pods.filter((p) => sameNamespace(p.namespace, ns));
    // An empty selector selects all (or, on a Service, none by design); a namespace without planned pods is someone else's.
    if (!selector || Object.keys(selector).length === 0 || inNamespace.length === 0) return [];
    const selected = inNamespace.filter((p) => selects(selector, p.labels));
    const shown = Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ");
    if (selected.length === 0)
        return [
            {
                level: "advisory",
                urn: o.urn,
                message: `${kind} selects ${shown}, which no pod this program plans in namespace ${ns} carries: it applies to nothing`,
            },
        ];
    if (kind !== "Service") return [];
    const named = (Array.isArray(spec?.ports) ? spec.ports : []).map((p: any) => p?.targetPort).filter(known);
    return named
        .filter((t: string) => !selected.some((p) => p.portNames.includes(t)))
        .map((t: string) => ({
            level: "advisory" as const,
            urn: o.urn,
            message: `Service targetPort "${t}" names no container port of the pods it selects (${shown}): its traffic goes nowhere`,
        }));
}
