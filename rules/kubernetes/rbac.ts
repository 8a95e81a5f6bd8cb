/**
 * Kubernetes RBAC for the CI identities of a Kubernetes stack, as plain data: the deployer's Role
 * holds exactly the calls of its deploy job's kubectl commands (rules/trust/calls.ts
 * `kubernetesJobCalls`), the previewer's exactly the reads of a refreshing preview of the stack's
 * Kubernetes objects (rules/trust/reads.ts `KUBERNETES_READS`). Dependency-free.
 *
 * Sources: kubernetes.io/docs/reference/access-authn-authz/rbac/ — `resourceNames` restricts get,
 * patch, update and delete to named objects, and list/watch when the request carries a
 * `metadata.name` field selector (kubectl rollout status does); create and deletecollection cannot
 * be restricted by name. The core API group is "".
 */

/** One RBAC rule (rbac.authorization.k8s.io/v1 PolicyRule). */
export interface PolicyRule {
    readonly apiGroups: string[];
    readonly resources: string[];
    readonly verbs: string[];
    readonly resourceNames?: string[];
}

/** `apps/deployments:patch` → its group ("" for `core`), resource and verb. */
export function parseCall(call: string): { apiGroup: string; resource: string; verb: string } {
    const m = /^([a-z0-9.-]+)\/([a-z]+):([a-z]+)$/.exec(call);
    if (!m) throw new RangeError(`not a Kubernetes call (<apiGroup>/<resource>:<verb>): ${call}`);
    return { apiGroup: m[1] === "core" ? "" : m[1], resource: m[2], verb: m[3] };
}

/** Verbs RBAC can restrict to named objects (list and watch only with a metadata.name field selector). */
const NAMEABLE_VERBS = new Set(["get", "patch", "update", "delete", "list", "watch"]);

/**
 * RBAC rules granting exactly `calls`, one rule per group and resource (sorted), restricted to the
 * object named in `names` (`<apiGroup>/<resource>` → name) where every verb allows it.
 * @example rbacRules(["apps/deployments:get", "apps/deployments:patch"], { "apps/deployments": "shop" })
 *   → [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "patch"], resourceNames: ["shop"] }]
 */
export function rbacRules(calls: readonly string[], names: Readonly<Record<string, string>> = {}): PolicyRule[] {
    const byResource = new Map<string, { apiGroup: string; resource: string; verbs: Set<string> }>();
    for (const call of calls) {
        const { apiGroup, resource, verb } = parseCall(call);
        const key = `${apiGroup || "core"}/${resource}`;
        if (!byResource.has(key)) byResource.set(key, { apiGroup, resource, verbs: new Set() });
        byResource.get(key)!.verbs.add(verb);
    }
    return [...byResource.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, r]) => {
            const verbs = [...r.verbs].sort();
            const name = names[key];
            return {
                apiGroups: [r.apiGroup],
                resources: [r.resource],
                verbs,
                ...(name !== undefined && verbs.every((v) => NAMEABLE_VERBS.has(v)) ? { resourceNames: [name] } : {}),
            };
        });
}

/** Whether `rules` allow `call` (on the object `name`, when given). */
export function rulesAllow(rules: readonly PolicyRule[], call: string, name?: string): boolean {
    const { apiGroup, resource, verb } = parseCall(call);
    return rules.some(
        (r) =>
            (r.apiGroups.includes(apiGroup) || r.apiGroups.includes("*")) &&
            (r.resources.includes(resource) || r.resources.includes("*")) &&
            (r.verbs.includes(verb) || r.verbs.includes("*")) &&
            (r.resourceNames === undefined || (name !== undefined && r.resourceNames.includes(name))),
    );
}

/** Verbs that change nothing. */
const READ_VERBS = new Set(["get", "list", "watch"]);

/** Whether `rules` only read. */
export function rulesOnlyRead(rules: readonly PolicyRule[]): boolean {
    return rules.every((r) => r.verbs.every((v) => READ_VERBS.has(v)));
}

/**
 * The RBAC group names an EKS access entry maps a CI role to (kubernetesGroups; EKS refuses names
 * starting with `system:`), one per namespace and purpose.
 */
export function accessGroup(purpose: "deploy" | "preview", namespace: string): string {
    return `runway:${purpose}:${namespace}`;
}
