/** Pure rendering of a plan: the JSON document and a preview-like text tree. */
import { Lookup, ResourceRecord, SECRET_MARK } from "./engine";
import { CostEstimate } from "../rules/cost/estimate";
import type { Comparison } from "./compare";
import { DEPLOYABILITY_CHECKS, DeployabilityFinding } from "./deployability";
import { PolicyReport, PolicyViolation } from "./engine/policies";
import { oneLine, printable } from "./escape";

export const OFFLINE_NOTICE =
    "Offline review aid: resources recorded from the program under mocks, not `pulumi preview` (no provider checks, no diff against state).";

export interface PlanDocument {
    project: string;
    stack: string;
    config: Record<string, string>;
    resources: ResourceRecord[];
    outputs: Record<string, unknown>;
    /** Policy pack that ran, and the policies it ran. */
    policyPack: { name: string; version: string; policies: PolicyReport["policies"] };
    /** Every violation the pack reported (`--json`: `policies: [{ policy, level, urn, message }]`). */
    policies: PolicyViolation[];
    /** Monthly cost estimate: idle and at the stated usage, per-resource lines, assumptions, unpriced. */
    cost: CostEstimate;
    /** What a real engine or API would refuse (`--json`: `deployability: [{ policy, level, urn, message }]`); mandatory ones fail the plan. */
    deployability: DeployabilityFinding[];
    /** Provider functions the program called, answered offline: `placeholders` are the result fields that hold placeholders, not data. */
    lookups: Lookup[];
    /** Multi-language components (awsx, eks, …) their plugin would expand: offline their resources are missing and their outputs unknown. */
    notExpanded: { urn: string; type: string; name: string }[];
}

/** A number without binary float noise (0.15000000000000002 → 0.15): 12 significant digits. */
export function tidyNumber(n: number): number {
    return Number.isFinite(n) ? Number(n.toPrecision(12)) : n;
}

/** `value` with every number tidied (see `tidyNumber`). */
export function tidyNumbers<T>(value: T): T {
    if (typeof value === "number") return tidyNumber(value) as T;
    if (Array.isArray(value)) return value.map(tidyNumbers) as T;
    if (value !== null && typeof value === "object")
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tidyNumbers(v)])) as T;
    return value;
}

/** "1 component", "3 components". */
export function plural(count: number, word: string, many = `${word}s`): string {
    return `${count.toLocaleString("en-US")} ${count === 1 ? word : many}`;
}

/** Providers whose resources live outside any cloud account (generated values, GitHub, local builds). */
export const NON_CLOUD_PACKAGES: readonly string[] = [
    "pulumi",
    "providers",
    "random",
    "github",
    "docker",
    "docker-build",
    "tls",
    "command",
    "time",
    "local",
];

const packageOf = (type: string) => (type.startsWith("pulumi:providers:") ? "providers" : type.split(":")[0]);

/** A custom resource created in a cloud account (not a component, provider, generated value or GitHub setting). */
export function isCloudResource(r: Pick<ResourceRecord, "type" | "custom">): boolean {
    return r.custom && !NON_CLOUD_PACKAGES.includes(packageOf(r.type));
}

export interface ResourceCounts {
    total: number;
    /** Multi-language components not expanded offline (among `components`). */
    notExpanded: number;
    cloud: number;
    other: number;
    otherPackages: string[];
    components: number;
    stacks: number;
    protected: number;
    read: number;
}

/** How many resources of each kind a plan creates, and how many it only reads (`Resource.get`, `StackReference`). */
export function resourceCounts(all: readonly ResourceRecord[]): ResourceCounts {
    const resources = all.filter((r) => !r.read);
    const others = resources.filter((r) => r.custom && !isCloudResource(r));
    return {
        read: all.length - resources.length,
        total: resources.length,
        cloud: resources.filter(isCloudResource).length,
        other: others.length,
        otherPackages: [...new Set(others.map((r) => packageOf(r.type)))].sort(),
        components: resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack").length,
        notExpanded: resources.filter((r) => r.remote).length,
        stacks: resources.filter((r) => r.type === "pulumi:pulumi:Stack").length,
        protected: resources.filter((r) => r.protect).length,
    };
}

/** "48 to create (25 cloud resources, 14 other resources (docker, github, providers, random), 8 components, 1 stack)". */
export function countsText(c: ResourceCounts): string {
    const other = c.other > 0 ? `, ${plural(c.other, "other resource")} (${c.otherPackages.join(", ")})` : "";
    const stack = c.stacks > 0 ? `, ${plural(c.stacks, "stack")}` : "";
    const unexpanded = c.notExpanded > 0 ? ` (${c.notExpanded.toLocaleString("en-US")} not expanded offline)` : "";
    return `${c.total.toLocaleString("en-US")} to create (${plural(c.cloud, "cloud resource")}${other}, ${plural(c.components, "component")}${unexpanded}${stack})${c.read > 0 ? `, ${c.read.toLocaleString("en-US")} to read` : ""}`;
}

/** A quantity for people: thousands separated, at most 4 decimals (52,560; 0.5). */
export function quantityText(n: number): string {
    return n.toLocaleString("en-US", { maximumFractionDigits: 4 });
}

/** A unit price for people: cents at least ($0.10), small prices to their significant digits ($0.000024). */
export function unitPriceText(price: number): string {
    if (price === 0 || Math.abs(price) >= 0.01)
        return `$${price.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
    const decimals = Math.min(12, Math.ceil(-Math.log10(Math.abs(price))) + 4);
    return `$${tidyNumber(price).toFixed(decimals).replace(/0+$/, "")}`;
}

/** The `--json` document. Secret config values are masked; money and quantities carry no float noise. */
export function planDocument(
    project: string,
    stack: string,
    config: Record<string, string>,
    secretKeys: readonly string[],
    resources: ResourceRecord[],
    outputs: Record<string, unknown>,
    policyReport: PolicyReport,
    cost: CostEstimate,
    deployability: DeployabilityFinding[] = [],
    lookups: Lookup[] = [],
): PlanDocument {
    const shownConfig: Record<string, string> = {};
    for (const key of Object.keys(config).sort()) shownConfig[key] = secretKeys.includes(key) ? SECRET_MARK : config[key];
    return {
        project,
        stack,
        config: shownConfig,
        resources,
        outputs,
        policyPack: { name: policyReport.pack, version: policyReport.version, policies: policyReport.policies },
        policies: policyReport.violations,
        cost: tidyNumbers(cost),
        deployability,
        lookups,
        notExpanded: resources.filter((r) => r.remote).map((r) => ({ urn: r.urn, type: r.type, name: r.name })),
    };
}

/** Why a multi-language component shows no resources offline. */
export const NOT_EXPANDED =
    "not expanded offline: a multi-language component, whose plugin creates its resources (none are listed or priced here; its outputs are unknown)";

/** How many lookups and fields a summary names before "and N more". */
const LOOKUPS_NAMED = 10;
const FIELDS_NAMED = 8;

/** "aws:ec2/getSubnets:getSubnets (placeholders: id, ids, region, tags)", one per lookup, at most LOOKUPS_NAMED. */
export function lookupLines(lookups: readonly Lookup[]): string[] {
    const lines = lookups.slice(0, LOOKUPS_NAMED).map((l) => {
        const fields =
            l.placeholders.slice(0, FIELDS_NAMED).join(", ") +
            (l.placeholders.length > FIELDS_NAMED ? `, and ${l.placeholders.length - FIELDS_NAMED} more` : "");
        const parts = [...(l.note ? [l.note] : []), ...(l.placeholders.length > 0 ? [`placeholders: ${fields}`] : [])];
        return `${l.token} (${parts.join("; ") || "no placeholders"})`;
    });
    if (lookups.length > LOOKUPS_NAMED) lines.push(`and ${lookups.length - LOOKUPS_NAMED} more`);
    return lines;
}

/** The lookups section of the text plan (empty when the program made none). */
function renderLookups(doc: Pick<PlanDocument, "lookups">): string[] {
    if ((doc.lookups ?? []).length === 0) return [];
    return [
        "",
        "Lookups answered offline (values of the declared types; placeholders are not the provider's data):",
        ...lookupLines(doc.lookups).map((l) => `    ${l}`),
    ];
}

/** The comparison as text: added, removed, changed, and the monthly cost delta. */
export function renderComparison(c: Comparison): string {
    const lines = [`Changes against the base: ${c.added.length} added, ${c.removed.length} removed, ${c.changed.length} changed`];
    for (const w of c.warnings ?? []) lines.push(`    warning: ${w}`);
    for (const r of c.added) lines.push(`    + ${r.type}  ${r.name}`);
    for (const r of c.removed) lines.push(`    - ${r.type}  ${r.name}`);
    for (const r of c.changed) {
        lines.push(`    ~ ${r.type}  ${r.name}  (${r.changed.join(", ")})`);
        for (const d of r.details ?? []) lines.push(`        ${d.path}: ${d.before} → ${d.after}`);
    }
    lines.push(
        `    monthly estimate: ${usd(c.cost.baseMonthly)} -> ${usd(c.cost.headMonthly)} (${c.cost.deltaMonthly >= 0 ? "+" : ""}${usd(c.cost.deltaMonthly)})${c.cost.unpricedResources ? `, not counting ${plural(c.cost.unpricedResources, "unpriced resource")}` : ""}`,
    );
    return lines.join("\n");
}

/** Dollars with cents; amounts under a cent show as "<$0.01" rather than $0.00. */
export function usd(amount: number): string {
    if (amount > 0 && amount < 0.005) return "<$0.01";
    const cents = Math.sign(amount) * Math.round(Math.abs(amount) * 100);
    return `${cents < 0 ? "-" : ""}$${(Math.abs(cents) / 100).toFixed(2)}`;
}

/** An estimate's total as its headline states it: "$12.34", "≥ $12.34" when resources are unpriced, "unknown" when nothing billed was priced. */
export function estimateAmount(c: Pick<CostEstimate, "bound">, amount: number): string {
    const bound = c.bound ?? "exact";
    return bound === "unknown" ? "unknown" : `${bound === "at least" ? "≥ " : ""}${usd(amount)}`;
}

/** " — 2 resources unpriced (not included)" when the estimate is partial; "" when complete. */
export function unpricedNote(c: Pick<CostEstimate, "unpricedResources">): string {
    const n = c.unpricedResources ?? 0;
    return n === 0 ? "" : ` — ${plural(n, "resource")} unpriced (not included)`;
}

/** The cost section: per-resource lines, free-tier credits, totals and the assumptions. */
export function renderCost(doc: PlanDocument): string {
    const c = doc.cost;
    const nameOf = new Map(doc.resources.map((r) => [r.urn, r.name]));
    const lines = [
        `Monthly cost estimate (USD): ${estimateAmount(c, c.usageMonthly)} at stated usage, ${estimateAmount(c, c.idleMonthly)} idle${unpricedNote(c)}`,
    ];
    for (const l of c.lines) {
        const who = l.urn ? (nameOf.get(l.urn) ?? l.urn) : "(billing account)";
        lines.push(
            `    ${usd(l.monthly).padStart(9)}  ${who}: ${l.dimension} — ${quantityText(l.quantity)} ${l.unit} × ${unitPriceText(l.unitPrice)}${l.confidence === "high" ? "" : `  [${l.confidence}]`}`,
        );
    }
    const a = c.assumptions;
    lines.push(
        `    assumptions: ${a.requestsPerMonth.toLocaleString("en-US")} requests/month × ${a.avgRequestSeconds}s, ${a.egressGb} GB egress, ${a.imageStorageGb} GB images, ${a.logGb} GB logs, ${a.secretAccessesPerMonth.toLocaleString("en-US")} secret reads, ${a.imagesPushedPerMonth} images pushed; regions ${a.regions.join(", ") || "none"}; free tier ${a.freeTier}`,
    );
    if (c.unpriced.length > 0)
        lines.push(`    unpriced: ${c.unpriced.map((u) => `${nameOf.get(u.urn) ?? u.urn} (${u.reason})`).join("; ")}`);
    lines.push(`    no direct cost: ${plural(c.noDirectCost.length, "resource")}`);
    return lines.join("\n");
}

/** Mandatory violations make the plan fail (exit 1), as they fail `pulumi preview`; mandatory deployability findings, as they would fail `pulumi up`. */
export function mandatoryViolations(doc: Pick<PlanDocument, "policies"> & { deployability?: DeployabilityFinding[] }): PolicyViolation[] {
    return [...doc.policies, ...(doc.deployability ?? [])].filter((v) => v.level === "mandatory" || v.level === "remediate");
}

/** The deployability section: one block per finding (mandatory first), then a summary line. */
export function renderDeployability(doc: PlanDocument): string {
    const nameOf = new Map(doc.resources.map((r) => [r.urn, `${r.type} (${r.name})`]));
    const findings = [...(doc.deployability ?? [])].sort((a, b) => Number(b.level === "mandatory") - Number(a.level === "mandatory"));
    const lines = ["Deployability (what a real engine or API would refuse):"];
    for (const f of findings) {
        lines.push(`    [${f.level}] ${f.policy}${f.urn ? `  ${nameOf.get(f.urn) ?? f.urn}` : ""}`);
        lines.push(`        ${f.message}`);
    }
    const mandatory = findings.filter((f) => f.level === "mandatory").length;
    lines.push(`    ${Object.keys(DEPLOYABILITY_CHECKS).length} checks: ${mandatory} mandatory, ${findings.length - mandatory} advisory`);
    return lines.join("\n");
}

/** How a violation's level is shown: `error` when the policy threw (preview stops with it). */
export function levelLabel(v: PolicyViolation): string {
    return v.error ? "error" : v.level;
}

/** The policy report: one block per violation, then a summary line. */
export function renderPolicies(doc: PlanDocument): string {
    const nameOf = new Map(doc.resources.map((r) => [r.urn, `${r.type} (${r.name})`]));
    const lines = [`Policies (${doc.policyPack.name}@${doc.policyPack.version}):`];
    const ordered = [...doc.policies].sort((a, b) => Number(b.level === "mandatory") - Number(a.level === "mandatory"));
    for (const v of ordered) {
        lines.push(`    [${levelLabel(v)}] ${v.policy}${v.urn ? `  ${nameOf.get(v.urn) ?? v.urn}` : "  (stack)"}`);
        for (const line of v.message.split("\n")) lines.push(`        ${line}`);
    }
    const mandatory = doc.policies.filter((v) => v.level === "mandatory" || v.level === "remediate").length;
    const advisory = doc.policies.length - mandatory;
    const failing = new Set(doc.policies.map((v) => v.policy));
    const passed = doc.policyPack.policies.filter((p) => !failing.has(p.name)).length;
    const errors = doc.policies.filter((v) => v.error).length;
    lines.push(
        `    ${doc.policyPack.policies.length} policies: ${passed} passed, ${mandatory} mandatory violation${mandatory === 1 ? "" : "s"}${errors > 0 ? ` (${errors} policy error${errors === 1 ? "" : "s"})` : ""}, ${advisory} advisory`,
    );
    return lines.join("\n");
}

type Details = (inputs: Record<string, any>) => string[];

/**
 * Who may assume a role, as a reviewer reads it: each Allow statement's principal (a web identity
 * provider by its host) and its condition keys and values, e.g.
 * `trusts token.actions.githubusercontent.com if aud=sts.amazonaws.com, repository_id=123, environment=production`.
 */
function trustSummary(policy: unknown): string {
    let doc: any;
    try {
        doc = typeof policy === "string" ? JSON.parse(policy) : policy;
    } catch {
        return "";
    }
    return [doc?.Statement]
        .flat()
        .filter((st: any) => st?.Effect === "Allow")
        .map((st: any) => {
            const who = [st.Principal?.Federated ?? st.Principal?.Service ?? st.Principal?.AWS ?? "?"]
                .flat()
                .map((p: string) => String(p).replace(/^arn:[^:]+:iam::\d+:oidc-provider\//, ""))
                .join(", ");
            const conditions = Object.entries(st.Condition ?? {}).flatMap(([op, block]) =>
                Object.entries(block as Record<string, unknown>).map(
                    ([key, value]) => `${key.replace(/^.*:/, "")}${op === "StringEquals" ? "=" : ` ${op} `}${[value].flat().join("|")}`,
                ),
            );
            return `trusts ${who}${conditions.length > 0 ? ` if ${conditions.join(", ")}` : ""}`;
        })
        .join("; ");
}

/** Tier-relevant details per resource type, shown beside the resource in the tree. */
const DETAILS: Record<string, Details> = {
    "gcp:cloudrunv2/service:Service": (i) => {
        const t = i.template;
        if (typeof t !== "object" || t === null) return [t === SECRET_MARK ? "template secret" : ""];
        const c = t.containers?.[0] ?? {};
        return [
            `instances ${i.scaling?.minInstanceCount ?? t.scaling?.minInstanceCount ?? 0}-${t.scaling?.maxInstanceCount ?? "?"}`,
            `cpu ${c.resources?.limits?.cpu ?? "?"}/${c.resources?.limits?.memory ?? "?"}`,
            c.resources?.cpuIdle === false ? "cpu always" : "cpu during requests",
            i.iapEnabled ? "IAP" : "",
            i.ingress && i.ingress !== "INGRESS_TRAFFIC_ALL"
                ? `ingress ${String(i.ingress).replace("INGRESS_TRAFFIC_", "").toLowerCase()}`
                : "",
            t.vpcAccess ? `vpc egress ${t.vpcAccess.egress}` : "",
            i.deletionProtection ? "deletion protection" : "",
        ];
    },
    "gcp:artifactregistry/repository:Repository": (i) => [
        `keep ${i.cleanupPolicies?.find((p: any) => p.mostRecentVersions)?.mostRecentVersions?.keepCount ?? "?"}`,
        ...(i.cleanupPolicies ?? [])
            .filter((p: any) => p.action === "DELETE")
            .map(
                (p: any) =>
                    `delete ${String(p.condition?.tagState ?? "ANY").toLowerCase()} > ${Math.round(Number(String(p.condition?.olderThan ?? "").replace(/s$/, "")) / 86400)}d`,
            ),
        `scanning ${i.vulnerabilityScanningConfig?.enablementConfig ?? "default"}`,
    ],
    "gcp:billing/budget:Budget": (i) => [
        `${i.amount?.specifiedAmount?.units ?? "?"} ${i.amount?.specifiedAmount?.currencyCode ?? ""}/month`,
        `thresholds ${(i.thresholdRules ?? []).map((r: any) => `${Math.round(r.thresholdPercent * 100)}%${r.spendBasis === "FORECASTED_SPEND" ? " forecast" : ""}`).join(", ")}`,
    ],
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": (i) => [`condition: ${i.attributeCondition ?? "NONE"}`],
    "aws:iam/role:Role": (i) => [trustSummary(i.assumeRolePolicy)],
    "gcp:serviceaccount/iAMMember:IAMMember": (i) => [`${i.role} → ${i.member}`],
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": (i) => [`${i.role} → ${i.member}`],
    "gcp:monitoring/alertPolicy:AlertPolicy": (i) => [String(i.displayName ?? "")],
    "gcp:compute/subnetwork:Subnetwork": (i) => [String(i.ipCidrRange ?? "")],
    "gcp:servicenetworking/connection:Connection": (i) => [i.deletionPolicy ? `deletionPolicy ${i.deletionPolicy}` : "deleted on destroy"],
    "gcp:sql/databaseInstance:DatabaseInstance": (i) => {
        const s = i.settings ?? {};
        const b = s.backupConfiguration;
        return [
            String(s.tier ?? "?"),
            s.availabilityType === "REGIONAL" ? "HA" : "zonal",
            b?.enabled
                ? `${b.backupRetentionSettings?.retainedBackups ?? "?"} backups${b.pointInTimeRecoveryEnabled ? " + PITR" : ""}`
                : i.masterInstanceName
                  ? "read replica"
                  : "no backups",
            s.ipConfiguration?.ipv4Enabled === false ? "private IP only" : "PUBLIC IP",
            i.deletionProtection ? "deletion protection" : "",
        ];
    },
    "gcp:compute/securityPolicy:SecurityPolicy": (i) =>
        (i.rules ?? [])
            .filter((r: any) => r.priority !== 2147483647)
            .map(
                (r: any) =>
                    `${r.action}${r.preview ? " (preview)" : ""}: ${r.description ?? r.match?.expr?.expression ?? r.match?.config?.srcIpRanges?.join(",")}`,
            ),
    "gcp:compute/managedSslCertificate:ManagedSslCertificate": (i) => [(i.managed?.domains ?? []).join(", ")],
    "gcp:compute/uRLMap:URLMap": (i) => [i.defaultUrlRedirect?.httpsRedirect ? "redirect to https" : ""],
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": (i) => [`port ${i.portRange ?? "?"}`],
    "gcp:compute/backendService:BackendService": (i) => [
        i.logConfig?.enable ? `logs ${i.logConfig.sampleRate ?? 1}` : "",
        i.iap?.enabled ? "IAP" : "",
    ],
    "gcp:redis/instance:Instance": (i) => [
        `${i.tier} ${i.memorySizeGb} GB`,
        i.authEnabled ? "AUTH" : "no AUTH",
        String(i.transitEncryptionMode ?? "no TLS"),
    ],
    "aws:ecs/taskDefinition:TaskDefinition": (i) => [
        `cpu ${i.cpu ?? "?"}/${i.memory ?? "?"} MiB`,
        i.skipDestroy ? "kept when replaced (skipDestroy)" : "deregistered when replaced",
    ],
    "aws:lb/loadBalancer:LoadBalancer": (i) => [
        i.internal ? "internal" : "internet-facing",
        i.enableDeletionProtection ? "deletion protection" : "no deletion protection",
    ],
    "aws:wafv2/webAcl:WebAcl": (i) =>
        (Array.isArray(i.rules) ? i.rules : []).map((r: any) => {
            const counted = (r.statement?.managedRuleGroupStatement?.ruleActionOverrides ?? [])
                .filter((o: any) => o?.actionToUse?.count)
                .map((o: any) => o.name);
            return `${r.name}${counted.length > 0 ? ` (counts ${counted.join(", ")})` : ""}`;
        }),
    "aws:budgets/budget:Budget": (i) => {
        const n = Array.isArray(i.notifications) ? i.notifications : [];
        const emails = new Set(n.flatMap((x: any) => x.subscriberEmailAddresses ?? []));
        const topics = new Set(n.flatMap((x: any) => x.subscriberSnsTopicArns ?? []));
        return [`${i.limitAmount ?? "?"} ${i.limitUnit ?? ""}/month`, `notifies ${emails.size} email(s) directly, ${topics.size} topic(s)`];
    },
    "aws:rds/instance:Instance": (i) => [
        String(i.instanceClass ?? "?"),
        i.multiAz ? "Multi-AZ" : "single-AZ",
        i.maxAllocatedStorage
            ? `${i.allocatedStorage ?? "?"} GB, grows to at most ${i.maxAllocatedStorage} GB`
            : `${i.allocatedStorage ?? "?"} GB, fixed`,
        `${i.backupRetentionPeriod ?? 0} days of backups`,
        i.deletionProtection ? "deletion protection" : "no deletion protection",
        i.skipFinalSnapshot === false ? "final snapshot" : "",
    ],
    "aws:elasticache/replicationGroup:ReplicationGroup": (i) => [
        `${i.engine ?? "?"} ${i.engineVersion ?? "?"}`,
        String(i.nodeType ?? "?"),
        i.autoMinorVersionUpgrade ? "AWS minor upgrades" : "pinned minor",
    ],
};

function detailsOf(r: ResourceRecord, nameOf: ReadonlyMap<string, string>): string {
    const parts = (DETAILS[r.type]?.(r.inputs) ?? []).filter(Boolean);
    // Explicit dependsOn (dependencies no input carries): what the resource waits for before it is created.
    const viaInputs = new Set(Object.values(r.propertyDependencies).flat());
    const waits = r.dependencies.filter((d) => !viaInputs.has(d)).map((d) => nameOf.get(d) ?? d);
    if (r.custom && waits.length > 0) parts.push(`waits for ${waits.join(", ")}`);
    if (r.remote) parts.push(NOT_EXPANDED);
    if (r.protect) parts.push("protect");
    if (r.ignoreChanges.length > 0) parts.push(`ignoreChanges ${r.ignoreChanges.join(",")}`);
    if (r.secretInputs.length > 0) parts.push(`secret: ${r.secretInputs.join(",")}`);
    return parts.length > 0 ? `  (${parts.join("; ")})` : "";
}

/**
 * One line per resource, children indented under their parent (`+` created, `>` read), in
 * registration order. Names and types are printed on one line, control characters replaced, so a
 * name cannot move the terminal's cursor or fake a line of the plan.
 */
export function treeLines(doc: Pick<PlanDocument, "resources">): string[] {
    const children = new Map<string | undefined, ResourceRecord[]>();
    const known = new Set(doc.resources.map((r) => r.urn));
    for (const r of doc.resources) {
        const parent = r.parent !== undefined && known.has(r.parent) ? r.parent : undefined;
        const list = children.get(parent) ?? [];
        list.push(r);
        children.set(parent, list);
    }
    const lines: string[] = [];
    const nameOf = new Map(doc.resources.map((r) => [r.urn, r.name]));
    const walk = (parent: string | undefined, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            lines.push(oneLine(`${"    ".repeat(depth)}${r.read ? ">" : "+"} ${r.type}  ${r.name}${detailsOf(r, nameOf)}`, 1000));
            walk(r.urn, depth + 1);
        }
    };
    walk(undefined, 0);
    return lines;
}

/** The tree: one line per resource, children indented under their parent, then counts. */
export function renderTree(doc: PlanDocument): string {
    const lines: string[] = [`Offline plan of ${oneLine(doc.project)}/${oneLine(doc.stack)}`, OFFLINE_NOTICE, "", ...treeLines(doc)];
    const counts = resourceCounts(doc.resources);
    lines.push("", `Resources: ${countsText(counts)}, ${counts.protected} protected`);
    const outputs = Object.entries(doc.outputs);
    if (outputs.length > 0) {
        lines.push("", "Outputs:");
        for (const [key, value] of outputs)
            lines.push(oneLine(`    ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`, 2000));
    }
    lines.push(...renderLookups(doc), "", renderPolicies(doc), "", renderDeployability(doc), "", renderCost(doc));
    return printable(lines.join("\n"));
}
