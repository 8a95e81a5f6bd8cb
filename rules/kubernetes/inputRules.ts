/**
 * Input rules: what a provider's API (or its Terraform-based Pulumi provider) refuses, or accepts and
 * never makes work, checked on the planned inputs of any program's resources. Each rule is data:
 * the resource types it reads, a level (mandatory where `pulumi up` fails, advisory where it
 * succeeds and the result does not work), what must hold and where that is written. Values the plan
 * does not know (outputs, secrets, placeholders) are never judged. Dependency-free.
 *
 * The rule tables: rules/gcp/gkeInputs.ts (GKE), rules/aws/eksInputs.ts (EKS),
 * rules/kubernetes/objectInputs.ts (Kubernetes objects); rules/kubernetes/inputs.ts runs them all.
 */

/** A planned resource as the plan records it. */
export interface PlannedResource {
    readonly urn: string;
    readonly type: string;
    readonly inputs: Record<string, unknown>;
    /** Input name → URNs of the resources whose outputs it reads. */
    readonly propertyDependencies?: Record<string, string[]>;
}

/** What a rule may look up besides the resource it checks. */
export interface PlanView {
    /** Every planned resource of a type. */
    ofType(type: string): readonly PlannedResource[];
    /** The planned resources whose outputs an input of `r` reads. */
    dependencies(r: PlannedResource, input: string): readonly PlannedResource[];
    /** The day the plan is made (YYYY-MM-DD): support windows are judged on it. */
    readonly today: string;
}

export interface InputRule {
    /** Stable id: the finding's prefix, the docs table's key and the test's name. */
    readonly id: string;
    /** Resource types whose inputs it checks (a type ending in ':' matches every type with that prefix). */
    readonly types: readonly string[];
    readonly level: "mandatory" | "advisory";
    /** What must hold, in one sentence. */
    readonly rule: string;
    /** Where that is written (provider source path or documentation URL). */
    readonly source: string;
    /** Each problem of one resource, as a sentence naming the input and its value. */
    readonly check: (inputs: Record<string, any>, plan: PlanView, resource: PlannedResource) => string[];
}

export interface InputProblem {
    readonly rule: string;
    readonly level: "mandatory" | "advisory";
    readonly urn: string;
    readonly message: string;
}

const matches = (types: readonly string[], type: string) => types.some((t) => (t.endsWith(":") ? type.startsWith(t) : type === t));

/** Every problem the rules find on the planned resources. Pure. */
export function inputRuleProblems(
    rules: readonly InputRule[],
    resources: readonly PlannedResource[],
    today = new Date().toISOString().slice(0, 10),
): InputProblem[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const view: PlanView = {
        ofType: (type) => resources.filter((r) => r.type === type),
        dependencies: (r, input) => (r.propertyDependencies?.[input] ?? []).flatMap((u) => byUrn.get(u) ?? []),
        today,
    };
    return rules.flatMap((rule) =>
        resources
            .filter((r) => matches(rule.types, r.type))
            .flatMap((r) =>
                judged(rule, r, view).map((message) => ({
                    rule: rule.id,
                    level: rule.level,
                    urn: r.urn,
                    message: `${rule.id}: ${message} (${rule.source})`,
                })),
            ),
    );
}

/** A rule's problems on one resource; an input shaped unlike anything the API accepts is not judged (the plan never fails on it). */
function judged(rule: InputRule, r: PlannedResource, view: PlanView): string[] {
    try {
        return rule.check((obj(r.inputs) ?? {}) as Record<string, any>, view, r);
    } catch {
        return [];
    }
}

/** The plan's mark for a value it does not know: `[unknown]`, `[secret]`, `[placeholder …]`. */
export const isMark = (v: unknown) => typeof v === "string" && /^\[[^\]]*\]$/.test(v);
/** A string the plan knows: not an `[unknown]`, `[secret]` or `[placeholder …]` mark. */
export const known = (v: unknown): v is string => typeof v === "string" && !isMark(v);
export const obj = (v: unknown): Record<string, any> | undefined =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, any>) : undefined;
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** The value at a dotted path, or undefined. */
export const at = (v: unknown, path: string): unknown => path.split(".").reduce<any>((o, k) => obj(o)?.[k], v);
/** `value` is set to something other than undefined/null. */
export const isSet = (v: unknown) => v !== undefined && v !== null;
/** "a", "b" or "c" for messages. */
export const oneOf = (values: readonly string[]) => values.map((v) => `"${v}"`).join(", ");

export const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** An IPv4 CIDR as [first address, prefix], or undefined when not one (host bits set are allowed: use `isNetwork`). */
export function parseCidr(cidr: string): { start: number; prefix: number; network: boolean } | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const address = octets.reduce((a, o) => a * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    const start = address - (address % size);
    return { start, prefix, network: start === address };
}

/** Two CIDRs share an address. */
export function overlaps(a: string, b: string): boolean {
    const x = parseCidr(a);
    const y = parseCidr(b);
    if (!x || !y) return false;
    const [xEnd, yEnd] = [x.start + 2 ** (32 - x.prefix), y.start + 2 ** (32 - y.prefix)];
    return x.start < yEnd && y.start < xEnd;
}

/** `inner` lies inside `outer`. */
export function within(inner: string, outer: string): boolean {
    const i = parseCidr(inner);
    const o = parseCidr(outer);
    return !!i && !!o && i.prefix >= o.prefix && i.start >= o.start && i.start + 2 ** (32 - i.prefix) <= o.start + 2 ** (32 - o.prefix);
}

/** RFC 1918 private ranges. */
export const isPrivate = (cidr: string) => ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].some((r) => within(cidr, r));
