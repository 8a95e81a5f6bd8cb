/**
 * The one resolver between config and components. `resolveStack` is pure: it takes the flat config
 * map Pulumi hands a program (full keys → strings) and returns the stack's spec (`GcpStack |
 * AwsStack | LocalStack`: every tier default applied, every cross-key rule checked, delivery and
 * names decided) or every problem at once. `loadConfig` reads the live runtime config and wraps
 * secret values in `pulumi.secret`. The compositions (index.ts, kubernetes.ts) read only the spec.
 */
import * as fs from "fs";
import { posix } from "path";
import * as pulumi from "@pulumi/pulumi";
import { Problem, throwIfProblems } from "../rules/problems";
import { checkServiceShape, ResourceShape } from "../rules/gcp/limits";
import { closestMatch } from "../rules/suggest";
import {
    DeployTarget,
    KubernetesTierSettings,
    TIERS,
    TIER_PROFILES,
    Tier,
    TierDelivery,
    TierOverrides,
    TierSettings,
    deliveryFor,
    deploySourceFor,
    previewEnvironment,
    resolveTier,
    tiersWhere,
} from "../rules/profile";
import { ENV_NAME, GITHUB_OWNER, STACK_NAME } from "../rules/patterns";
import { GithubPlan, GithubVisibility, deliveryShape, featuresOf, planProblem } from "../rules/github";
import { guardPlaceholders, placeholdersIn } from "../rules/placeholders";
import { repositoryPath } from "../rules/repository";
import {
    CACHE_MODES,
    CLOUDS,
    CONFIG_KEYS,
    Cloud,
    ConfigKey,
    DATABASE_MODES,
    KeyName,
    SECRETS_KEY,
    USAGE_KEY,
    isSet as keyIsSet,
    cloudList,
    configKey,
    keysNotFor,
    Runtime,
} from "./keys";
import { Usage, usageForTier } from "../rules/cost/usage";
import { StackGcpNames, releaseRoleSuffix, stackBase, stackGcpNames, stackScopedId } from "../rules/gcp/names";
import { awsNames } from "../rules/aws/names";
import { engineName } from "../components/local/wiring";
import { CanaryPlan, canaryPlan, parseMigrationCommand } from "../rules/release";
import { checkBuild, resolveBuild, ResolvedBuild } from "../components/docker/buildPlan";
import { checkDatabaseShape, DatabaseShape } from "../rules/gcp/data";
import { iapMemberProblems } from "../components/gcp/iap";
import { looksLikeSecret, OFFLINE_SECRET_PLACEHOLDER } from "../rules/secretLike";
import { parseCidr } from "../rules/cidr";
import { directVpcInstanceProblems } from "../rules/gcp/directVpc";
import { rdsMaxStorageGb, rdsMaxStorageProblems } from "../rules/aws/data";
import { AwsRuntime, AwsTierSettings } from "../rules/profile";
import {
    ALB_IDLE_TIMEOUT_SECONDS,
    BUDGET_EMAIL_LIMIT,
    checkFargateShape,
    checkLambdaShape,
    fargateCpuUnits,
    lambdaImageProblems,
    memoryMiB,
} from "../rules/aws/limits";
import { DOMAIN_MAPPING_REGIONS, EDGE_DEFAULTS, EdgeInputs, edgeProblems } from "../rules/gcp/edge";

export const NAMESPACE = "runway";
export { CLOUDS, Cloud, DATABASE_MODES, CACHE_MODES };
export type DatabaseMode = (typeof DATABASE_MODES)[number];
export type CacheMode = (typeof CACHE_MODES)[number];

/** The config map as Pulumi gives it to a program, plus which keys hold secrets and which stack of which project runs. */
export interface RawConfig {
    readonly values: Readonly<Record<string, string>>;
    readonly secretKeys: ReadonlySet<string>;
    /** The stack being deployed (`pulumi.getStack()`): unique names carry it. */
    readonly stack: string;
    /** The Pulumi project's name (`pulumi.getProject()`): AWS parameter paths and local engine names carry it. */
    readonly pulumiProject: string;
}

/** What every stack resolves to, whatever its cloud. Secret values are kept apart. */
interface StackCommon {
    /** What runs the service (runway:runtime). */
    runtime: Runtime;
    tier: Tier;
    project: string;
    region: string;
    /** GCP requests are billed to a quota project (`gcp:userProjectOverride`): callers need `serviceusage.services.use` there. */
    quotaProject: boolean;
    service: {
        name: string;
        /** Prebuilt image to deploy; empty when `build` is set. */
        image: string;
        /** What to build when no prebuilt image is given (paths relative to the project). */
        build?: ResolvedBuild;
        port: number;
        healthPath: string;
        env: Record<string, string>;
    };
    settings: TierSettings;
    iapMembers: string[];
    /** The organisation's domains IAP members must belong to (empty: not checked). */
    iapDomains: string[];
    staticEgressIp: boolean;
    /** The project's Direct VPC egress instance quota per revision (runway:directVpcInstanceQuota). */
    directVpcInstanceQuota: number;
    /** GCP project-unique names carry the stack (runway:stackInNames). */
    stackInNames: boolean;
    ignoreImageChanges: boolean;
    budget: { currency: string; billingAccount: string };
    alertEmails: string[];
    github?: {
        owner: string;
        repo: string;
        /** Immutable IDs the CI trust is keyed on (the owner's only on GCP: AWS STS cannot check it). */
        ownerId?: string;
        repositoryId: string;
        defaultBranch: string;
        stagingBranch: string;
        reviewers: string[];
        /** What GitHub sells the repository (checked against what the tier's delivery creates). */
        visibility?: GithubVisibility;
        plan?: GithubPlan;
        /** The project's folder in the repository (`runway:infraDirectory`); `app` and `dockerfile`: the build's paths from the repository root. */
        infraDirectory: string;
        appDirectory: string;
        dockerfile: string;
        /** The stack (`pulumi.getStack()`): its deploy workflow, preview environment and the plans of pull requests name it. */
        stack: string;
        /** What the tier's delivery is with these branches (deploy branch, environment, repository settings). */
        delivery: TierDelivery;
        /** The one CI source allowed to deploy this stack. */
        deploySource: DeployTarget;
        /** The GitHub environment of each pull request's real preview, when someone can approve it (reviewers); none: no previewer. */
        previewEnvironment?: string;
    };
    database: DatabaseMode;
    /** Cloud SQL settings beyond the tier's (`database` = managed). */
    managedDatabase?: { readReplica: boolean; version: string; diskGb: number };
    cache: CacheMode;
    /** Memorystore capacity (`cache` = managed). */
    cacheSizeGb: number;
    /** Usage assumptions of the cost estimate (tier defaults + runway:usage). */
    usage: Usage;
    /** The tier's cluster and pods (what `runtime` kubernetes builds). */
    kubernetes: KubernetesTierSettings;
    /** Custom domain (runway:domain): served by the edge when `settings.edge`, else by a Cloud Run domain mapping. */
    domain?: string;
    /** Cloud DNS managed zone that gets the domain's record. */
    dnsZone?: string;
    /** Cloud Armor and logging settings of the edge (GCP, when `settings.edge`). */
    edge?: EdgeSettings;
    /** Env var name → secret value, in plain text: wrap with `pulumi.secret` before use. */
    secretValues: Record<string, string>;
    /** PagerDuty integration key (plain text here; wrap with `pulumi.secret`). */
    pagerDutyServiceKey?: string;
    /** What a deploy does besides shipping the image: the migration before traffic moves, and the canary. */
    release: ReleaseSettings;
    /** Said to the user, never refused: keys of the other cloud's account that this stack ignores. */
    warnings: string[];
}

/** Project-unique names of a GCP stack (each carries the stack unless runway:stackInNames is false). */
export interface GcpStackNames extends StackGcpNames {
    /** `<service>-<stack>` (≤ 40 characters): registry, secrets prefix and cluster. */
    base: string;
    /** Suffix of the deployer's custom release role (letters, digits and underscores). */
    releaseRole: string;
    /** GKE node and pod service account IDs. */
    nodeAccount: string;
    podAccount: string;
}

/** Account-unique names of an AWS stack, and the parameter path of its secrets. */
export type AwsStackNames = ReturnType<typeof awsNames> & { secretsPath: string };

/** A Google Cloud stack: Cloud Run (or GKE Autopilot). */
export interface GcpStack extends StackCommon {
    cloud: "gcp";
    names: GcpStackNames;
    aws?: undefined;
}

/** An AWS stack: Lambda or ECS Fargate (or EKS), with what the AWS keys decide. */
export interface AwsStack extends StackCommon {
    cloud: "aws";
    aws: AwsSettings;
    names: AwsStackNames;
}

/** The local stack on the Docker engine. */
export interface LocalStack extends StackCommon {
    cloud: "local";
    /** Prefix of the stack's containers, volumes and network on the engine. */
    names: { engine: string };
    aws?: undefined;
}

/** The resolved spec of a stack: what the compositions build, and nothing they must decide. */
export type ResolvedStack = GcpStack | AwsStack | LocalStack;

/** The release steps of the deploy workflow (runway:migrationCommand, runway:canaryPercent/canaryMinutes). */
export interface ReleaseSettings {
    /** The migration's command (argv), run once with the new image before any traffic moves; none: no migration step. */
    migrationCommand?: string[];
    /** The canary share and its gate; none: all traffic moves at once after the smoke test. */
    canary?: CanaryPlan;
}

/** The AWS runtime and data shapes, from the tier's AWS preset and the explicitly set shared keys. */
export interface AwsSettings {
    runtime: AwsRuntime;
    /** The VPC: availability zones and NAT (none without a VPC: Lambda). */
    azCount: number;
    nat: AwsTierSettings["nat"];
    /** AWS WAF web ACL on the load balancer. */
    waf: boolean;
    /** Days the service's (and cluster's) logs are kept. */
    logRetentionDays: number;
    /** ECR tags cannot be overwritten. */
    immutableTags: boolean;
    /** Secrets in Secrets Manager (else SSM SecureString), and the days a deleted one can be restored. */
    secretsManager: boolean;
    secretRecoveryDays: number;
    /** Fargate CPU units and task / function memory in MiB. */
    cpu: number;
    memory: number;
    minTasks: number;
    maxTasks: number;
    /** Lambda reserved concurrency (runway:maxInstances on solo); unset: the account's pool. */
    maxConcurrency?: number;
    /** Lambda timeout or load balancer idle timeout (runway:timeoutSeconds). */
    timeoutSeconds: number;
    /** Who may reach the load balancer (runway:allowedCidrs); empty: everyone. */
    allowedCidrs: string[];
    /** An existing GitHub OIDC provider (runway:awsOidcProviderArn). */
    oidcProviderArn?: string;
    /** Hostname served over HTTPS (runway:domain). */
    domain?: string;
    /** RDS (runway:database = managed). */
    database: {
        instanceClass: string;
        multiAz: boolean;
        backupRetentionDays: number;
        engineVersion: string;
        storageGb: number;
        /** RDS storage autoscaling ceiling (runway:databaseMaxDiskGb). */
        maxStorageGb: number;
        /** A final snapshot when the instance is deleted or replaced. */
        finalSnapshot: boolean;
    };
    /** ElastiCache (runway:cache = managed). */
    cache: { sizeGb: number; ha: boolean };
}

/** Env names Cloud Run sets itself and rejects in a service definition. */
const RESERVED_ENV = new Set(["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"]);
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
const IAM_MEMBER = /^(user|group|serviceAccount):[^@\s]+@[^@\s]+\.[a-z]{2,}$|^domain:[a-z0-9.-]+\.[a-z]{2,}$/i;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Values already hidden by the caller: shown as they are. */
const HIDDEN_MARKERS: ReadonlySet<unknown> = new Set(["(plain text, hidden)", "(hidden)", "(secret, hidden)"]);
/** Keys whose value is a credential: never printed, must be set with --secret. */
const DECLARED: readonly ConfigKey[] = CONFIG_KEYS;
const MUST_BE_SECRET: ReadonlySet<string> = new Set([
    ...DECLARED.filter((k) => k.secret).map((k) => `${NAMESPACE}:${k.name}`),
    `${NAMESPACE}:${SECRETS_KEY}`,
]);

/**
 * Whether an empty value means something for a key: only keys declared with an empty default
 * (Pulumi fills it into every stack, and the description says what empty means). For every other
 * key an empty value (`--config runway:tier=`, an unset CI variable) is an error, never the default.
 */
export function emptyAllowed(fullKey: string): boolean {
    return DECLARED.some((k) => `${NAMESPACE}:${k.name}` === fullKey && k.default === "");
}

/** What to do with an empty value instead: the declared default, if any. */
function emptyFix(fullKey: string): string {
    const declared = DECLARED.find((k) => `${NAMESPACE}:${k.name}` === fullKey);
    const fallback = declared === undefined || declared.default === "" ? "" : ` to use the default ${JSON.stringify(declared.default)}`;
    return `an empty value is not allowed (an unset CI variable?): set a value, or remove the key (pulumi config rm ${fullKey})${fallback}`;
}

interface GetOptions {
    /** Offline, a secret value is opaque: pass it through (its shape is unknowable) instead of refusing it. @default false */
    readonly opaque?: boolean;
}

/**
 * Entries of a secret map that were not set with --secret. A program gets one secret flag per key,
 * so the entries can be told apart offline only, where every `secure:` leaf is the placeholder and
 * a plain leaf shows through. A map without the flag is plain throughout.
 */
export function plainEntries(map: Readonly<Record<string, unknown>>, flaggedSecret: boolean): string[] {
    const names = Object.keys(map);
    if (!flaggedSecret) return names;
    const offline = names.some((n) => map[n] === OFFLINE_SECRET_PLACEHOLDER);
    return offline ? names.filter((n) => map[n] !== OFFLINE_SECRET_PLACEHOLDER) : [];
}

/** Reads the config map; every helper records a problem instead of throwing. */
class Reader {
    readonly problems: Problem[] = [];
    /** Said once per key, never refused: a key of the other cloud's account. */
    readonly warnings: string[] = [];
    private readonly reported = new Set<string>();
    private readonly read = new Map<string, unknown>();
    /** The cloud being planned: a key that does not apply to it reads as unset (and is refused once, by `refuseMisplaced`). */
    cloud: Cloud = "gcp";
    constructor(private readonly raw: RawConfig) {}

    full(key: string): string {
        return key.includes(":") ? key : `${NAMESPACE}:${key}`;
    }
    /** The key a path belongs to: `runway:secrets.API_KEY` → `runway:secrets`. */
    base(key: string): string {
        const full = this.full(key);
        const colon = full.indexOf(":");
        const end = full.slice(colon + 1).search(/[.[]/);
        return end < 0 ? full : full.slice(0, colon + 1 + end);
    }
    isSecret(key: string): boolean {
        return this.raw.secretKeys.has(this.base(key));
    }
    /** The offline placeholder of a secret value (or list item): its content cannot be known. */
    isOpaque(key: string, value: unknown): boolean {
        return value === OFFLINE_SECRET_PLACEHOLDER && this.isSecret(key);
    }
    wasReported(key: string): boolean {
        return this.reported.has(this.full(key));
    }
    /** Records a problem; the value of a secret (or credential) key is never shown. */
    problem(key: string, value: unknown, allowed: string): void {
        const missing = value === undefined || (Array.isArray(value) && value.length === 0);
        const secret = this.isSecret(key) || MUST_BE_SECRET.has(this.base(key));
        const shown = missing || HIDDEN_MARKERS.has(value) || !secret ? value : "(secret, hidden)";
        this.reported.add(this.full(key));
        this.problems.push({ key: this.full(key), value: shown, allowed });
    }
    /**
     * The value, or undefined when unset. An empty value is unset only for a key that documents
     * what empty means; for any other key it is a problem. Offline, a secret value is refused
     * unless `opaque` (a key that decides what is planned cannot be planned from a placeholder).
     */
    get(key: string, allowed = "a value", options: GetOptions = {}): string | undefined {
        const full = this.full(key);
        const value = this.raw.values[full];
        if (value === undefined) return undefined;
        if (this.isOpaque(key, value)) {
            if (options.opaque) return value;
            if (!this.reported.has(full)) {
                this.problem(
                    key,
                    "(secret, hidden)",
                    `${allowed}, set in plain text: offline a secret cannot be read, and this key decides what is planned (it is not sensitive: pulumi config set ${full} <value>)`,
                );
            }
            return undefined;
        }
        if (value.trim() !== "") return value.trim();
        if (!emptyAllowed(full) && !this.reported.has(full)) this.problem(key, value, `${allowed}; ${emptyFix(full)}`);
        return undefined;
    }
    oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T | undefined {
        const value = this.get(key, `one of ${allowed.join(", ")}`);
        if (value === undefined) return fallback;
        if ((allowed as readonly string[]).includes(value)) return value as T;
        this.problem(key, value, `one of ${allowed.join(", ")}`);
        return fallback;
    }
    integer(key: string, min: number, max: number): number | undefined {
        const allowed = `a whole number from ${min} to ${max}${emptyAllowed(this.full(key)) ? ", or empty for the tier preset" : ""}`;
        const value = this.get(key, allowed);
        if (value === undefined) return undefined;
        if (/^-?\d+$/.test(value) && Number(value) >= min && Number(value) <= max) return Number(value);
        this.problem(key, value, allowed);
        return undefined;
    }
    positiveNumber(key: string): number | undefined {
        const allowed = "an amount greater than 0 with at most 2 decimals (e.g. 20 or 49.50)";
        const value = this.get(key, allowed);
        if (value === undefined) return undefined;
        if (/^\d+(\.\d{1,2})?$/.test(value) && Number(value) > 0) return Number(value);
        this.problem(key, value, allowed);
        return undefined;
    }
    boolean(key: string): boolean | undefined {
        const allowed = `true or false${emptyAllowed(this.full(key)) ? " (or empty for the tier preset)" : ""}`;
        const value = this.get(key, allowed);
        if (value === undefined) return undefined;
        if (value === "true" || value === "false") return value === "true";
        this.problem(key, value, allowed);
        return undefined;
    }
    /** A list of strings; offline, secret items (or a whole secret list, with `opaque`) stay placeholders. */
    stringList(key: string, options: GetOptions = {}): string[] {
        const allowed = `a list of strings, e.g. \`pulumi config set --path 'runway:${key}[0]' value\``;
        const value = this.get(key, allowed, options);
        if (value === undefined) return [];
        if (this.isOpaque(key, value)) return [value];
        try {
            const parsed: unknown = JSON.parse(value);
            if (Array.isArray(parsed) && parsed.every((item) => typeof item === "string")) return parsed.map((s) => s.trim());
        } catch {
            /* reported below */
        }
        this.problem(key, value, allowed);
        return [];
    }
    matching(key: string, pattern: RegExp, allowed: string, fallback?: string, options: GetOptions = {}): string | undefined {
        const value = this.get(key, allowed, options) ?? (this.wasReported(key) ? undefined : fallback);
        if (value === undefined) return undefined;
        if (this.isOpaque(key, value) || pattern.test(value)) return value;
        this.problem(key, value, allowed);
        return undefined;
    }
    required(key: string, allowed: string): void {
        const value = this.raw.values[this.full(key)];
        if ((value === undefined || value.trim() === "") && !this.wasReported(key)) this.problem(key, undefined, allowed);
    }
    /**
     * A declared key, read by its declaration's parser (`awsParse` on AWS): the value, its declared
     * default when unset (undefined for keys whose default is "": the tier's preset), or undefined
     * when the key does not apply to the cloud. Each key is read (and reported) once.
     */
    key(name: KeyName): unknown {
        if (this.read.has(name)) return this.read.get(name);
        const k = configKey(name);
        const applies = k.clouds.includes(this.cloud);
        const parser = this.cloud === "aws" && k.awsParse ? k.awsParse : k.parse;
        const fallback = k.default === "" ? undefined : parser.kind === "number" ? Number(k.default) : k.default;
        let value: unknown;
        if (!applies) value = Array.isArray(k.default) ? [] : fallback;
        else if (parser.kind === "oneOf") value = this.oneOf(name, parser.values, fallback as string | undefined);
        else if (parser.kind === "integer") value = this.integer(name, parser.min, parser.max) ?? fallback;
        else if (parser.kind === "boolean") value = this.boolean(name) ?? fallback;
        else if (parser.kind === "amount") value = this.positiveNumber(name) ?? fallback;
        else if (parser.kind === "list") value = this.stringList(name, { opaque: parser.opaque });
        else if (parser.kind === "secret") value = this.secret(name);
        else if (parser.kind === "number") {
            const text = this.get(name, "a number");
            value = text === undefined ? fallback : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
        } else {
            value = parser.pattern
                ? this.matching(name, parser.pattern, parser.allowed, fallback as string | undefined, { opaque: parser.opaque })
                : (this.get(name, parser.allowed) ?? fallback);
        }
        this.read.set(name, value);
        return value;
    }
    /**
     * The key's value, or its declaration's default when it is unset or refused (the config then
     * fails anyway, listing the refusal): keys.ts is the one place a default is written.
     */
    valueOr<T extends string | number | boolean>(name: KeyName): T {
        const value = this.key(name);
        if (value !== undefined) return value as T;
        const k = configKey(name);
        const numeric = k.parse.kind === "integer" || k.parse.kind === "number" || k.type === "integer";
        return (numeric && typeof k.default === "string" && k.default !== "" ? Number(k.default) : k.default) as T;
    }
    int(name: KeyName): number | undefined {
        return this.key(name) as number | undefined;
    }
    bool(name: KeyName): boolean | undefined {
        return this.key(name) as boolean | undefined;
    }
    text(name: KeyName): string | undefined {
        return this.key(name) as string | undefined;
    }
    list(name: KeyName): string[] {
        return this.key(name) as string[];
    }
    /** Whether the stack sets `name` to something other than its declared default (an empty value is unset). */
    isSet(name: KeyName): boolean {
        return keyIsSet(this.raw.values, configKey(name));
    }
    /** Keys set on a cloud they do nothing on: refused, naming where they apply (or, for another cloud's account keys, a warning). */
    refuseMisplaced(cloud: Cloud): void {
        for (const { key, shown } of keysNotFor(cloud, this.raw.values)) {
            const where = `runway:${key.name} applies to ${cloudList(key.clouds)} only${key.elsewhere ? `: ${key.elsewhere}` : ""}`;
            if (key.warnElsewhere) this.warnings.push(`${where}: ignored on ${cloud}`);
            else this.problem(key.name, shown, `unset on ${cloud} (${where})`);
        }
        // Provider settings of a cloud the program creates nothing on (gcp:project on AWS, ...).
        for (const ns of ["gcp", "aws"].filter((n) => n !== cloud)) {
            const keys = Object.keys(this.raw.values).filter((k) => k.startsWith(`${ns}:`));
            if (keys.length > 0)
                this.warnings.push(
                    `${keys.join(", ")} configure${keys.length === 1 ? "s" : ""} the ${ns} provider, which a ${cloud} stack does not use: ignored`,
                );
        }
    }
    /** A value that must have been set with --secret; reports a plaintext one without echoing it. */
    secret(key: string): string | undefined {
        const value = this.get(key, "a secret value", { opaque: true });
        if (value !== undefined && !this.isSecret(key)) {
            this.problem(key, "(plain text, hidden)", `set it as a secret: pulumi config set --secret ${this.full(key)} <value>`);
        }
        return value;
    }
}

/**
 * The repository's visibility and plan against what this tier's delivery creates (rules/github.ts):
 * a repository that cannot have a setting is refused here, naming the setting and the ways out,
 * instead of by GitHub half-way through `pulumi up`.
 */
function checkGithubPlan(r: Reader, tier: Tier, repository: string, reviewers: readonly string[]): void {
    r.required(
        "githubVisibility",
        `public, private or internal, as GitHub shows it for ${repository} (it decides which GitHub plans sell branch protection and environment reviewers): pulumi config set runway:githubVisibility "$(gh api repos/${repository} --jq .visibility)"`,
    );
    const visibility = r.text("githubVisibility") as GithubVisibility | undefined;
    if (visibility === undefined) return;
    if (visibility !== "public")
        r.required(
            "githubPlan",
            `free, pro, team or enterprise: the GitHub plan of the repository's owner (a ${visibility} repository has branch protection and environments only on paid plans)`,
        );
    const plan = (r.text("githubPlan") as GithubPlan | undefined) ?? (visibility === "public" ? "free" : undefined);
    if (plan === undefined) return;
    const problem = planProblem(featuresOf(deliveryShape(tier, reviewers.length > 0)), visibility, plan);
    if (problem === undefined) return;
    // Reviewers only add the preview environment where a tier does not require them: say so when that is the only obstacle.
    const dropReviewers =
        !TIER_PROFILES[tier].delivery.reviewersRequired &&
        reviewers.length > 0 &&
        planProblem(featuresOf(deliveryShape(tier, false)), visibility, plan) === undefined;
    r.problem(
        "githubPlan",
        plan,
        `${problem}. Make the repository public (then runway:githubVisibility public), move its owner to a plan that has them (runway:githubPlan)${dropReviewers ? ", or unset runway:githubReviewers (pull requests then get the offline plan only, no approved pulumi preview)" : ""}`,
    );
}

/**
 * Resolves the whole config at once, section by section (each reader records its problems and
 * returns plain values), into the stack's spec. Throws one `RunwayInputError` naming every bad
 * key, its value and what is allowed. Sections read in this order, so the problems of a config
 * are listed in the order of its subjects.
 * @example resolveStack({ values: { "runway:tier": "production", ... }, secretKeys: new Set(), stack: "production", pulumiProject: "shop" })
 */
export function resolveStack(raw: RawConfig): ResolvedStack {
    const r = new Reader(raw);
    refuseUnknownKeys(r, raw);
    const { cloud, tier, tierKnown, overrides, settings } = readTier(r);
    const { project, region, quotaProject } = readProvider(r, raw, cloud);
    const { service, buildInputs } = readService(r);
    const secretValues = readSecrets(r, service.env);
    const runtime = r.valueOr<Runtime>("runtime");
    const data = readData(r, { cloud, tier, settings, env: service.env, secretValues });
    if (data.databaseUrl !== undefined) secretValues.DATABASE_URL = data.databaseUrl;
    const access = readAccess(r, { cloud, tier, settings, database: data.database, cache: data.cache });
    const alerts = readBudgetAndAlerts(r, { cloud, tier, settings });
    const github = readGithub(r, { cloud, tier, tierKnown, build: service.build, buildInputs, stack: raw.stack });
    const edgeConfig = parseEdge(r, { cloud, tier, region, edge: settings.edge });
    const release = parseRelease(r, { cloud, tier, settings, runtime });
    const usage = readUsage(r, raw, tier);
    const shared = { settings, database: data.database, cache: data.cache, cacheSizeGb: data.cacheSizeGb, image: service.image, region };
    const aws = cloud === "aws" ? parseAws(r, tier, overrides, { ...shared, alertEmails: alerts.alertEmails, runtime }) : undefined;
    runtimeProblems(r, { cloud, runtime, settings });
    const stackInNames = r.valueOr<boolean>("stackInNames");
    const ignoreImageChanges = r.valueOr<boolean>("ignoreImageChanges");
    // Name the tier only when the stack asked for a valid one (a bad value is itself a listed problem).
    throwIfProblems(tierKnown ? `Invalid Runway configuration for tier ${tier}` : "Invalid Runway configuration", r.problems);
    const { databaseUrl, ...dataSettings } = data;
    const common: StackCommon = {
        runtime,
        tier,
        project,
        region,
        quotaProject,
        service,
        settings,
        ...access,
        stackInNames,
        ignoreImageChanges,
        budget: alerts.budget,
        alertEmails: alerts.alertEmails,
        github,
        secretValues,
        usage,
        ...dataSettings,
        ...(aws ? { aws } : {}),
        ...edgeConfig,
        ...(alerts.pagerDutyServiceKey !== undefined ? { pagerDutyServiceKey: alerts.pagerDutyServiceKey } : {}),
        release,
        kubernetes: TIER_PROFILES[tier].kubernetes,
        warnings: r.warnings,
    };
    return withNames(raw, cloud, common, aws);
}

/** The spec of `cloud`, with the names its resources take (derived here once, from the service and the stack). */
function withNames(raw: RawConfig, cloud: Cloud, common: StackCommon, aws: AwsSettings | undefined): ResolvedStack {
    const { stack, pulumiProject } = raw;
    const service = common.service.name;
    const base = stackBase(service, stack, 40);
    if (cloud === "local") return { ...common, cloud, names: { engine: engineName(pulumiProject, service, stack) } };
    if (cloud === "aws") return { ...common, cloud, aws: aws!, names: { ...awsNames(base), secretsPath: `/${pulumiProject}/${stack}` } };
    const names: GcpStackNames = {
        base,
        ...stackGcpNames(service, stack, common.stackInNames, common.tier),
        releaseRole: releaseRoleSuffix(service, stack),
        nodeAccount: stackScopedId(service, stack, "nodes", 30),
        podAccount: stackScopedId(service, stack, "pods", 30),
    };
    return { ...common, cloud, names };
}

/** Every `runway:` key the stack sets that Runway does not declare: refused, with the closest known key. */
function refuseUnknownKeys(r: Reader, raw: RawConfig): void {
    const known = new Set([...DECLARED.map((k) => `${NAMESPACE}:${k.name}`), `${NAMESPACE}:${SECRETS_KEY}`, `${NAMESPACE}:${USAGE_KEY}`]);
    for (const key of Object.keys(raw.values)) {
        if (!key.startsWith(`${NAMESPACE}:`) || known.has(key)) continue;
        const map = [SECRETS_KEY, USAGE_KEY].find((m) => key.startsWith(`${NAMESPACE}:${m}.`));
        if (map !== undefined) {
            // `--config runway:secrets.X=v` names a key "secrets.X": the map takes entries through --path.
            const entry = key.slice(`${NAMESPACE}:${map}.`.length);
            r.problem(
                key,
                map === SECRETS_KEY ? "(hidden)" : raw.values[key],
                `an entry of the runway:${map} map, set with --path: pulumi config set ${map === SECRETS_KEY ? "--secret " : ""}--path '${NAMESPACE}:${map}.${entry}' <value>`,
            );
        } else {
            const guess = closestMatch(key, [...known]);
            r.problem(
                key,
                raw.values[key],
                `not a Runway key${guess ? ` (did you mean ${guess}?)` : ""}; known keys: ${[...known].map((k) => k.slice(NAMESPACE.length + 1)).join(", ")}`,
            );
        }
    }
}

/** The key that overrides a tier setting, from its declaration (`overrides` in keys.ts): no hand-written map to drift. */
function overridingKey(field: keyof TierSettings): string {
    const declared = DECLARED.find((k) => k.overrides === field);
    if (declared === undefined) throw new Error(`no runway: key overrides the tier setting ${field}`);
    return declared.name;
}

/**
 * The cloud and the tier, read once here, and the tier's settings with every key that overrides
 * one applied. A bad tier is a listed problem; the rest is then judged as solo, and no message
 * names a tier (`tierKnown` false).
 */
function readTier(r: Reader): { cloud: Cloud; tier: Tier; tierKnown: boolean; overrides: TierOverrides; settings: TierSettings } {
    const cloud = r.valueOr<Cloud>("cloud");
    r.cloud = cloud;
    r.refuseMisplaced(cloud);
    const tier = r.valueOr<Tier>("tier");
    const tierKnown = cloud !== "local" && !r.wasReported("tier");
    // Every key that overrides a tier-profile setting, read by its declaration.
    const overrides: TierOverrides = Object.fromEntries(
        DECLARED.flatMap((k) => (k.overrides ? [[k.overrides, r.key(k.name as KeyName)]] : [])),
    );
    // IAP is a Google Cloud feature: on AWS a tier's IAP preset means public, an explicit iap is refused.
    if (cloud === "aws" && overrides.access === "iap") r.problem("access", "iap", "public on AWS (IAP exists only on Google Cloud)");
    // The edge is a Google Cloud load balancer: on AWS it is off (an explicit true is refused by parseEdge's keys).
    const settings = resolveTier(tier, cloud === "aws" ? { ...overrides, access: "public", edge: false } : overrides);
    if (cloud === "gcp") r.problems.push(...checkServiceShape(settings, (field: keyof ResourceShape) => r.full(overridingKey(field))));
    return { cloud, tier, tierKnown, overrides, settings };
}

/** The provider's keys: the GCP project, region and quota project, or the AWS region (none locally). */
function readProvider(r: Reader, raw: RawConfig, cloud: Cloud): { project: string; region: string; quotaProject: boolean } {
    if (cloud === "gcp") {
        const project =
            r.matching("gcp:project", PROJECT_ID, "a GCP project id: 6-30 lowercase letters, digits or hyphens, starting with a letter") ??
            "";
        r.required("gcp:project", "the GCP project to deploy into: pulumi config set gcp:project <project-id>");
        const region = r.matching("gcp:region", REGION, "a GCP region such as us-central1 or europe-west1", "us-central1") ?? "us-central1";
        return { project, region, quotaProject: /^true$/i.test(raw.values["gcp:userProjectOverride"] ?? "") };
    }
    if (cloud === "aws") {
        const region = r.matching("aws:region", AWS_REGION, "an AWS region such as us-east-1 or eu-west-1") ?? "";
        r.required("aws:region", "the AWS region to deploy into: pulumi config set aws:region us-east-1");
        return { project: "", region, quotaProject: false };
    }
    return { project: "", region: "", quotaProject: false };
}

/** What a build is asked for, before it is resolved: paths relative to the project. */
interface BuildInputs {
    context: string;
    dockerfile?: string;
    target?: string;
}

const BUILD_KEYS: Record<string, string> = {
    context: "runway:buildContext",
    dockerfile: "runway:dockerfile",
    target: "runway:buildTarget",
};

/** The service: its name, the prebuilt image or what to build, its port, health path and plain env. */
function readService(r: Reader): { service: StackCommon["service"]; buildInputs: BuildInputs } {
    const name = r.valueOr<string>("serviceName");
    const image = r.valueOr<string>("image");
    const buildInputs = { context: r.valueOr<string>("buildContext"), dockerfile: r.text("dockerfile"), target: r.text("buildTarget") };
    r.problems.push(...checkBuild(buildInputs, (arg) => BUILD_KEYS[arg] ?? `runway:${arg}`));
    const build = image === "" ? resolveBuild(buildInputs) : undefined;
    const port = r.valueOr<number>("port");
    const healthPath = r.valueOr<string>("healthPath");
    const env = readEnv(r);
    return { service: { name, image, ...(build ? { build } : {}), port, healthPath, env }, buildInputs };
}

/** runway:env: plain `NAME=value` entries; a secret (by name or look) belongs in runway:secrets. */
function readEnv(r: Reader): Record<string, string> {
    const env: Record<string, string> = {};
    for (const entry of r.list("env")) {
        const eq = entry.indexOf("=");
        const envName = eq > 0 ? entry.slice(0, eq) : entry;
        if (r.isOpaque("env", entry)) {
            r.problem(
                "env",
                "(secret, hidden)",
                `plain NAME=value entries only: a secret goes in runway:secrets (pulumi config set --secret --path 'runway:secrets.NAME' <value>)`,
            );
        } else if (eq <= 0 || !ENV_NAME.test(envName)) {
            r.problem("env", entry, "NAME=value with NAME made of letters, digits and underscores");
        } else if (Object.hasOwn(env, envName)) {
            r.problem("env", entry, `each name once: ${envName} is already set by an earlier entry (the service would get only one value)`);
        } else if (RESERVED_ENV.has(envName)) {
            r.problem("env", entry, `a name other than ${[...RESERVED_ENV].join(", ")} (Cloud Run sets these itself)`);
        } else if (looksLikeSecret(envName, entry.slice(eq + 1))) {
            r.problem(
                "env",
                `${envName}=(hidden)`,
                `a secret does not belong in plain env: pulumi config set --secret --path 'runway:secrets.${envName}' <value>`,
            );
        } else {
            env[envName] = entry.slice(eq + 1);
        }
    }
    return env;
}

const SECRETS_ALLOWED =
    "a map of NAME to secret value, each entry set with --path: pulumi config set --secret --path 'runway:secrets.NAME' <value>";

/** runway:secrets: env name → secret value, each entry set with --secret, none also in runway:env. */
function readSecrets(r: Reader, env: Readonly<Record<string, string>>): Record<string, string> {
    const secretValues: Record<string, string> = {};
    const secretsRaw = r.get(SECRETS_KEY, SECRETS_ALLOWED, { opaque: true });
    if (secretsRaw === undefined) return secretValues;
    let parsed: unknown;
    try {
        parsed = r.isOpaque(SECRETS_KEY, secretsRaw) ? undefined : JSON.parse(secretsRaw);
    } catch {
        parsed = undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        const whole = r.isOpaque(SECRETS_KEY, secretsRaw)
            ? " (the whole map is one secret here, so the offline plan cannot see its names)"
            : "";
        r.problem(SECRETS_KEY, "(hidden)", `${SECRETS_ALLOWED}${whole}`);
        return secretValues;
    }
    const plain = new Set(plainEntries(parsed as Record<string, unknown>, r.isSecret(SECRETS_KEY)));
    for (const [secretName, value] of Object.entries(parsed)) {
        const key = `${SECRETS_KEY}.${secretName}`;
        if (plain.has(secretName)) {
            r.problem(
                key,
                "(plain text, hidden)",
                `a value set with --secret: pulumi config set --secret --path 'runway:secrets.${secretName}' <value> (it is in plain text in the stack file: rotate it)`,
            );
        } else if (!ENV_NAME.test(secretName) || RESERVED_ENV.has(secretName)) {
            r.problem(key, "(hidden)", "a name made of letters, digits and underscores, other than PORT and K_*");
        } else if (typeof value !== "string" || value === "") {
            r.problem(key, "(hidden)", "a non-empty string value");
        } else if (secretName in env) {
            r.problem(key, "(hidden)", `a name not also set in runway:env (${secretName} is in both)`);
        } else {
            secretValues[secretName] = value;
        }
    }
    return secretValues;
}

/** What the data sections read besides their own keys. */
interface DataContext {
    cloud: Cloud;
    tier: Tier;
    settings: TierSettings;
    env: Readonly<Record<string, string>>;
    secretValues: Readonly<Record<string, string>>;
}

/** The database and cache modes, their sizes, and the external database's URL (a secret the service gets as DATABASE_URL). */
function readData(
    r: Reader,
    ctx: DataContext,
): Pick<StackCommon, "database" | "managedDatabase" | "cache" | "cacheSizeGb"> & { databaseUrl?: string } {
    const { database, databaseUrl, managedDatabase } = readDatabase(r, ctx);
    const cache = r.valueOr<CacheMode>("cache");
    const cacheSizeGb = r.valueOr<number>("cacheSizeGb");
    for (const [mode, variable] of [
        [database === "managed", "DATABASE_URL"],
        [cache === "managed", "REDIS_URL"],
    ] as const) {
        if (mode && (variable in ctx.env || variable in ctx.secretValues))
            r.problem(
                variable === "DATABASE_URL" ? "database" : "cache",
                "managed",
                `${variable} set only by the managed service: remove it from runway:env / runway:secrets`,
            );
    }
    return {
        database,
        ...(managedDatabase ? { managedDatabase } : {}),
        cache,
        cacheSizeGb,
        ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    };
}

/** The database's config keys, by the shape's field (`requireBackups` comes from the tier). */
const DATABASE_SHAPE_KEYS: Record<keyof DatabaseShape, string> = {
    machine: "databaseMachine",
    ha: "databaseHa",
    backups: "databaseBackups",
    pitr: "databasePitr",
    readReplica: "databaseReadReplica",
    version: "databaseVersion",
    diskGb: "databaseDiskGb",
    requireBackups: "tier",
};

/** runway:database: none, external (runway:databaseUrl) or managed (Cloud SQL's shape checked on GCP). */
function readDatabase(
    r: Reader,
    ctx: DataContext,
): { database: DatabaseMode; databaseUrl?: string; managedDatabase?: StackCommon["managedDatabase"] } {
    const database = r.valueOr<DatabaseMode>("database");
    const databaseUrl = r.text("databaseUrl");
    if (database === "external") {
        if (databaseUrl === undefined) {
            r.problem(
                "databaseUrl",
                undefined,
                "the external Postgres URL when database is external: pulumi config set --secret runway:databaseUrl postgres://...",
            );
        } else if ("DATABASE_URL" in ctx.env || "DATABASE_URL" in ctx.secretValues) {
            r.problem("databaseUrl", "(hidden)", "DATABASE_URL set only once: remove it from runway:env / runway:secrets");
        } else {
            return { database, databaseUrl };
        }
    } else if (databaseUrl !== undefined) {
        r.problem("database", database, "external when runway:databaseUrl is set (or remove runway:databaseUrl)");
    }
    if (database !== "managed") return { database };
    const managedDatabase = {
        readReplica: r.valueOr<boolean>("databaseReadReplica"),
        version: r.valueOr<string>("databaseVersion"),
        diskGb: r.valueOr<number>("databaseDiskGb"),
    };
    const { settings } = ctx;
    if (ctx.cloud === "gcp")
        r.problems.push(
            ...checkDatabaseShape(
                {
                    machine: settings.databaseMachine,
                    ha: settings.databaseHa,
                    backups: settings.databaseBackups,
                    pitr: settings.databasePitr,
                    ...managedDatabase,
                    requireBackups: TIER_PROFILES[ctx.tier].data.backupsRequired,
                },
                (field) => r.full(DATABASE_SHAPE_KEYS[field]),
            ),
        );
    return { database, managedDatabase };
}

/** What the access section reads besides its own keys. */
interface AccessContext {
    cloud: Cloud;
    tier: Tier;
    settings: TierSettings;
    database: DatabaseMode;
    cache: CacheMode;
}

/** Who may reach the service (IAP members and their domains) and how it egresses (static IP, Direct VPC quota). */
function readAccess(
    r: Reader,
    ctx: AccessContext,
): Pick<StackCommon, "iapMembers" | "iapDomains" | "staticEgressIp" | "directVpcInstanceQuota"> {
    const iapMembers = r.list("iapMembers");
    for (const member of iapMembers) {
        if (!r.isOpaque("iapMembers", member) && !IAM_MEMBER.test(member))
            r.problem("iapMembers", member, "user:<email>, group:<email>, serviceAccount:<email> or domain:<domain>");
    }
    const iapDomains = r.list("iapDomains");
    for (const domain of iapDomains) {
        if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(domain)) r.problem("iapDomains", domain, "a domain name such as example.com");
    }
    if (ctx.settings.access === "iap")
        r.problems.push(
            ...iapMemberProblems(
                iapMembers.filter((m) => !r.isOpaque("iapMembers", m)),
                iapDomains,
                r.full("iapMembers"),
            ),
        );
    if (ctx.settings.access === "iap" && iapMembers.length === 0) {
        r.problem(
            "iapMembers",
            [],
            `at least one member when access is iap (tier ${ctx.tier} defaults to iap), e.g. user:you@example.com; or set runway:access public`,
        );
    }
    const staticEgressIp = r.valueOr<boolean>("staticEgressIp");
    if (staticEgressIp && !ctx.settings.privateEgress) {
        r.problem("staticEgressIp", true, "true only with privateEgress true (the NAT sits on the VPC the service egresses through)");
    }
    return { iapMembers, iapDomains, staticEgressIp, directVpcInstanceQuota: readDirectVpcQuota(r, ctx) };
}

/** Direct VPC egress: the service's network (private egress, or the VPC managed data needs) caps its instances. */
function readDirectVpcQuota(r: Reader, ctx: AccessContext): number {
    const quota = r.valueOr<number>("directVpcInstanceQuota");
    if (ctx.cloud !== "gcp") return quota;
    if (ctx.settings.privateEgress || ctx.database === "managed" || ctx.cache === "managed") {
        r.problems.push(
            ...directVpcInstanceProblems(ctx.settings.maxInstances, quota, r.full("maxInstances"), r.full("directVpcInstanceQuota")),
        );
    } else if (r.isSet("directVpcInstanceQuota")) {
        r.problem(
            "directVpcInstanceQuota",
            quota,
            "its default while the service has no Direct VPC egress (runway:privateEgress false, no managed database or cache): remove the key",
        );
    }
    return quota;
}

/** The budget (currency, GCP billing account) and who alerts reach (emails, PagerDuty). */
function readBudgetAndAlerts(
    r: Reader,
    ctx: { cloud: Cloud; tier: Tier; settings: TierSettings },
): Pick<StackCommon, "budget" | "alertEmails" | "pagerDutyServiceKey"> {
    const currency = r.valueOr<string>("budgetCurrency");
    let billingAccount = "";
    if (ctx.cloud === "gcp") {
        billingAccount = r.valueOr<string>("billingAccount");
        r.required(
            "billingAccount",
            "the billing account that holds the budget: pulumi config set runway:billingAccount XXXXXX-XXXXXX-XXXXXX",
        );
    }
    const alertEmails = r.list("alertEmails");
    for (const email of alertEmails) {
        if (!r.isOpaque("alertEmails", email) && !EMAIL.test(email))
            r.problem("alertEmails", email, "email addresses such as ops@example.com");
    }
    const pagerDuty = r.isSet("pagerDutyServiceKey");
    if (ctx.settings.alerts !== "budget" && alertEmails.length === 0) {
        r.problem("alertEmails", [], `at least one email: alerts "${ctx.settings.alerts}" (tier ${ctx.tier}) must reach someone`);
    } else if (ctx.cloud === "aws" && alertEmails.length === 0 && !pagerDuty) {
        // GCP budgets also mail the billing account's admins; an AWS budget reaches only its topic's subscribers.
        r.problem(
            "alertEmails",
            [],
            "at least one email on AWS: the budget notifies only its SNS topic, which has no other subscriber (pulumi config set --path 'runway:alertEmails[0]' you@example.com)",
        );
    }
    if (ctx.settings.alerts === "full" && ctx.settings.access === "iap") {
        r.problem(
            "alerts",
            "full",
            "service while access is iap: the uptime check of the full level cannot pass IAP and would page forever (or set runway:access public)",
        );
    }
    const pagerDutyServiceKey = r.text("pagerDutyServiceKey");
    return { budget: { currency, billingAccount }, alertEmails, ...(pagerDutyServiceKey !== undefined ? { pagerDutyServiceKey } : {}) };
}

/** What the GitHub section reads besides its own keys. */
interface GithubContext {
    cloud: Cloud;
    tier: Tier;
    tierKnown: boolean;
    /** The stack (its preview environment carries it). */
    stack: string;
    build?: ResolvedBuild;
    buildInputs: BuildInputs;
}

/** The app repository Runway manages delivery for (runway:githubRepository), or none: then its keys are refused. */
function readGithub(r: Reader, ctx: GithubContext): StackCommon["github"] {
    const repository = r.text("githubRepository");
    const defaultBranch = r.valueOr<string>("defaultBranch");
    const stagingBranch = r.valueOr<string>("stagingBranch");
    const reviewers = r.list("githubReviewers");
    for (const reviewer of reviewers)
        if (!GITHUB_OWNER.test(reviewer)) r.problem("githubReviewers", reviewer, 'GitHub usernames without @, e.g. ["ana", "bo"]');
    if (repository === undefined) {
        // An invalid repository is reported as such; the keys set with it are not "unset while empty".
        if (!r.wasReported("githubRepository")) refuseGithubKeys(r);
        return undefined;
    }
    const [owner, repo] = repository.split("/");
    const ownerId = ctx.cloud === "gcp" ? r.valueOr<string>("githubOwnerId") : undefined;
    const repositoryId = r.valueOr<string>("githubRepositoryId");
    if (ctx.cloud === "gcp")
        r.required(
            "githubOwnerId",
            `the owner's numeric ID, which the CI trust is keyed on: pulumi config set runway:githubOwnerId "$(gh api repos/${repository} --jq .owner.id)"`,
        );
    r.required(
        "githubRepositoryId",
        `the repository's numeric ID, which the CI trust is keyed on: pulumi config set runway:githubRepositoryId "$(gh api repos/${repository} --jq .id)"`,
    );
    const visibility = r.text("githubVisibility") as GithubVisibility | undefined;
    const plan = r.text("githubPlan") as GithubPlan | undefined;
    const paths = readRepositoryPaths(r, ctx);
    const github = {
        owner,
        repo,
        ...(ownerId !== undefined ? { ownerId } : {}),
        repositoryId,
        defaultBranch,
        stagingBranch,
        reviewers,
        ...(visibility ? { visibility } : {}),
        ...(plan ? { plan } : {}),
        ...paths,
        stack: ctx.stack,
        delivery: { ...deliveryFor(ctx.tier, defaultBranch, stagingBranch, ctx.stack), ...readPreviewStacks(r, ctx) },
        deploySource: deploySourceFor(ctx.tier, defaultBranch, stagingBranch, ctx.stack),
        ...(reviewers.length > 0 ? { previewEnvironment: previewEnvironment(ctx.stack) } : {}),
    };
    checkDelivery(r, { ...ctx, repository, reviewers, stagingBranch });
    return github;
}

/** runway:previewStacks: the stacks the owning stack's pull-request workflows plan, when not the tier's default. */
function readPreviewStacks(r: Reader, ctx: GithubContext): { previewStacks?: string[] } {
    const stacks = r.list("previewStacks");
    if (stacks.length === 0) return {};
    const owners = tiersWhere((p) => p.delivery.managesRepository);
    if (ctx.tierKnown && !owners.includes(ctx.tier))
        r.problem(
            "previewStacks",
            stacks,
            `unset on tier ${ctx.tier}: the stack of ${owners.join(" or ")} owns the pull-request workflows`,
        );
    for (const stack of stacks)
        if (!STACK_NAME.test(stack)) r.problem("previewStacks", stack, "Pulumi stack names: letters, digits, . _ - (up to 100)");
    if (!stacks.includes(ctx.stack)) r.problem("previewStacks", stacks, `a list that includes this stack (${ctx.stack})`);
    return { previewStacks: [...new Set(stacks)] };
}

/** The project's folder in the repository, and the build's paths from the repository's root (inside it). */
function readRepositoryPaths(r: Reader, ctx: GithubContext): { infraDirectory: string; appDirectory: string; dockerfile: string } {
    const infraDirectory = r.valueOr<string>("infraDirectory");
    const inRepository = (key: "buildContext" | "dockerfile", projectPath: string) => {
        const found = repositoryPath(infraDirectory, projectPath);
        if (found === undefined)
            r.problem(key, projectPath, `a path inside the repository: from runway:infraDirectory ${infraDirectory} it leads out of it`);
        return found ?? projectPath;
    };
    const appDirectory = inRepository("buildContext", ctx.build?.context ?? ctx.buildInputs.context);
    const dockerfile = inRepository("dockerfile", ctx.build?.dockerfile ?? posix.join(ctx.buildInputs.context, "Dockerfile"));
    return { infraDirectory, appDirectory, dockerfile };
}

/** What the tier's delivery needs of the repository: a plan that sells its settings, reviewers, the right branches. */
function checkDelivery(r: Reader, ctx: GithubContext & { repository: string; reviewers: string[]; stagingBranch: string }): void {
    const delivery = TIER_PROFILES[ctx.tier].delivery;
    if (ctx.tierKnown) checkGithubPlan(r, ctx.tier, ctx.repository, ctx.reviewers);
    if (delivery.reviewersRequired && ctx.reviewers.length === 0) {
        r.problem(
            "githubReviewers",
            [],
            `at least one GitHub user who approves ${ctx.tier} deployments: pulumi config set --path 'runway:githubReviewers[0]' <username>`,
        );
    }
    if (ctx.tierKnown && delivery.deployFrom !== "stagingBranch" && r.isSet("stagingBranch")) {
        const users = TIERS.filter((t) => TIER_PROFILES[t].delivery.deployFrom === "stagingBranch").join(", ");
        r.problem("stagingBranch", ctx.stagingBranch, `unset on tier ${ctx.tier}: only ${users} deploys from it`);
    }
}

/** The keys that configure the app repository's delivery. */
const GITHUB_KEYS = [
    "githubOwnerId",
    "githubRepositoryId",
    "githubVisibility",
    "githubPlan",
    "githubReviewers",
    "defaultBranch",
    "stagingBranch",
    "infraDirectory",
    "previewStacks",
] as const;

/** Without runway:githubRepository the stack manages no delivery: keys that configure it are refused. */
function refuseGithubKeys(r: Reader): void {
    for (const key of GITHUB_KEYS) {
        if (r.isSet(key))
            r.problem(
                key,
                r.key(key),
                "unset while runway:githubRepository is empty (it configures the app repository's delivery, which the stack then does not manage)",
            );
    }
}

/** runway:usage: the cost estimate's assumptions over the tier's (its problems listed unless the map itself was refused). */
function readUsage(r: Reader, raw: RawConfig, tier: Tier): Usage {
    r.get(USAGE_KEY, "an object of usage assumptions: pulumi config set --path runway:usage.requestsPerMonth 1000000");
    const usage = usageForTier(tier, raw.values[`${NAMESPACE}:${USAGE_KEY}`]);
    if (!r.wasReported(USAGE_KEY)) r.problems.push(...usage.problems);
    return usage.usage;
}

/** What the Kubernetes runtime does not build yet: refused rather than planned half-way. */
function runtimeProblems(r: Reader, ctx: { cloud: Cloud; runtime: Runtime; settings: TierSettings }): void {
    if (ctx.runtime !== "kubernetes") return;
    // IAP in front of a GKE Ingress (BackendConfig + OAuth client) is not built: refuse rather than serve staging publicly.
    if (ctx.cloud === "gcp" && ctx.settings.access === "iap")
        r.problem(
            "access",
            "iap",
            "public with runway:runtime kubernetes (IAP on a GKE Ingress is not built yet; the service would be public)",
        );
}

/**
 * runway:migrationCommand and the canary keys. AWS solo runs on Lambda, which can neither run a
 * one-off command in the image (its entry point is the function handler) nor split traffic the way
 * the gate judges it: both are refused there with the alternative.
 */
function parseRelease(r: Reader, ctx: { cloud: Cloud; tier: Tier; settings: TierSettings; runtime: Runtime }): ReleaseSettings {
    if (ctx.cloud === "local") return {};
    if (ctx.runtime === "kubernetes") {
        // The cluster's deploy is a rolling update of the Deployment: it has no migration job and no canary yet.
        for (const key of ["migrationCommand", "canaryPercent", "canaryMinutes"] as const)
            if (r.isSet(key))
                r.problem(key, r.get(key), "unset with runway:runtime kubernetes (its deploy has no migration job or canary yet)");
        return {};
    }
    const lambda = ctx.cloud === "aws" && TIER_PROFILES[ctx.tier].aws.runtime === "lambda";
    const raw = r.get("migrationCommand", 'a JSON list of the command\'s words, e.g. ["npm","run","migrate"]');
    let migrationCommand: string[] | undefined;
    if (raw !== undefined && raw !== "[]") {
        const parsed = parseMigrationCommand(raw, r.full("migrationCommand"));
        r.problems.push(...parsed.problems);
        migrationCommand = parsed.command;
        if (migrationCommand && lambda)
            r.problem(
                "migrationCommand",
                migrationCommand,
                `unset on AWS ${ctx.tier} (Lambda): a function runs only its handler, never a one-off command, and has no VPC to reach a managed database; run the migration from your machine or CI against runway:databaseUrl, or use staging/production (an ECS task runs it there)`,
            );
    }
    const { canaryPercent } = ctx.settings;
    if (canaryPercent > 0 && lambda)
        r.problem(
            "canaryPercent",
            canaryPercent,
            `0 on AWS ${ctx.tier} (Lambda): the metric gate splits traffic between a load balancer's target groups; staging and production on AWS run the ECS canary`,
        );
    if (canaryPercent === 0 && r.isSet("canaryMinutes"))
        r.problem("canaryMinutes", r.int("canaryMinutes"), "unset while runway:canaryPercent is 0 (there is no canary to wait for)");
    const canary = lambda ? undefined : canaryPlan(ctx.settings);
    return { ...(migrationCommand ? { migrationCommand } : {}), ...(canary ? { canary } : {}) };
}

/** What the AWS reading takes from the shared sections. */
interface AwsShared {
    settings: TierSettings;
    database: DatabaseMode;
    cache: CacheMode;
    cacheSizeGb: number;
    image: string;
    region: string;
    alertEmails: string[];
    /** On kubernetes, solo runs on EKS nodes in a VPC, not on Lambda: its image and managed data are not Lambda's. */
    runtime: Runtime;
}

/** The AWS reading's context: the tier's AWS preset and how to refuse a key that means nothing on its runtime. */
interface AwsContext {
    tier: Tier;
    o: TierOverrides;
    shared: AwsShared;
    preset: AwsTierSettings;
    lambda: boolean;
    refuse: (key: string, value: unknown, why: string) => void;
}

/**
 * The AWS reading of the shared keys, each applied or refused by name: solo runs on Lambda
 * (memory 128-10,240 MiB, timeout ≤ 900 s, maxInstances = reserved concurrency, no minimum
 * instances), staging and production on Fargate (cpu/memory from Fargate's table, min/max tasks,
 * timeout = load balancer idle timeout). Keys with no AWS meaning are refused when set.
 */
function parseAws(r: Reader, tier: Tier, o: TierOverrides, shared: AwsShared): AwsSettings {
    const preset = TIER_PROFILES[tier].aws;
    // On kubernetes every tier runs on EKS nodes in a VPC: none of Lambda's limits apply.
    const lambda = preset.runtime === "lambda" && shared.runtime !== "kubernetes";
    const where = `on AWS ${tier} (${shared.runtime === "kubernetes" ? "EKS" : lambda ? "Lambda" : "ECS Fargate"})`;
    const refuse = (key: string, value: unknown, why: string) => r.problem(key, value, `unset ${where}: ${why}`);
    const ctx: AwsContext = { tier, o, shared, preset, lambda, refuse };
    const size = readAwsSize(r, ctx);
    const access = readAwsAccess(r, ctx);
    const database = readAwsDatabase(r, ctx);
    return {
        runtime: preset.runtime,
        azCount: preset.azCount,
        nat: preset.nat,
        waf: preset.waf,
        logRetentionDays: preset.logRetentionDays,
        immutableTags: preset.immutableTags,
        secretsManager: preset.secretsManager,
        secretRecoveryDays: preset.secretRecoveryDays,
        ...size,
        timeoutSeconds: shared.settings.timeoutSeconds,
        ...access,
        database,
        cache: { sizeGb: shared.cacheSizeGb, ha: shared.settings.cacheHa },
    };
}

/** Size and scaling: Lambda's memory and reserved concurrency, or Fargate's CPU, memory and task counts. */
function readAwsSize(r: Reader, ctx: AwsContext): Pick<AwsSettings, "cpu" | "memory" | "minTasks" | "maxTasks" | "maxConcurrency"> {
    const { o, preset, refuse, shared } = ctx;
    const memoryRaw = o.memory;
    const memory = memoryRaw === undefined ? preset.memory : memoryMiB(memoryRaw);
    if (memoryRaw !== undefined && memory === undefined) r.problem("memory", memoryRaw, "a size in Mi or Gi, e.g. 512Mi or 2Gi");
    const timeoutSeconds = shared.settings.timeoutSeconds;
    const loadBalancerTimeout = () => {
        if (timeoutSeconds < ALB_IDLE_TIMEOUT_SECONDS.min || timeoutSeconds > ALB_IDLE_TIMEOUT_SECONDS.max)
            r.problem("timeoutSeconds", timeoutSeconds, "1-4000 seconds (the load balancer's idle timeout)");
    };
    // Pods are sized and counted by rules/kubernetes/workload.ts and rules/aws/eks.ts (before anything registers), not Fargate's table.
    if (shared.runtime === "kubernetes") {
        loadBalancerTimeout();
        return { cpu: preset.cpu, memory: memory ?? preset.memory, minTasks: 0, maxTasks: 0 };
    }
    if (ctx.lambda) {
        if (o.cpu !== undefined) refuse("cpu", o.cpu, "Lambda allocates CPU in proportion to memory: set runway:memory");
        if (o.minInstances !== undefined && o.minInstances > 0)
            refuse(
                "minInstances",
                o.minInstances,
                "Lambda scales to zero (provisioned concurrency is not offered); use staging for warm tasks",
            );
        if (memory !== undefined) r.problems.push(...checkLambdaShape({ memory, timeoutSeconds }, (f) => r.full(f)));
        if (shared.image !== "" && shared.region !== "")
            r.problems.push(...lambdaImageProblems(shared.image, shared.region, r.full("image")));
        const maxConcurrency = o.maxInstances;
        return {
            cpu: preset.cpu,
            memory: memory ?? preset.memory,
            minTasks: 0,
            maxTasks: 0,
            ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
        };
    }
    let cpu = preset.cpu;
    if (o.cpu !== undefined) {
        const units = fargateCpuUnits(o.cpu);
        if (units === undefined) r.problem("cpu", o.cpu, "a Fargate size in vCPU: 0.25, 0.5, 1, 2, 4, 8 or 16");
        cpu = units ?? cpu;
    }
    if (o.minInstances === 0)
        refuse("minInstances", 0, "Fargate cannot scale to zero (at least 1; solo on AWS runs on Lambda, which does)");
    const shape = {
        cpu,
        memory: memory ?? preset.memory,
        minTasks: o.minInstances || preset.minTasks,
        maxTasks: o.maxInstances ?? Math.max(preset.maxTasks, o.minInstances ?? 0),
    };
    const keyOf = { cpu: "cpu", memory: "memory", minTasks: "minInstances", maxTasks: "maxInstances" } as const;
    r.problems.push(
        ...checkFargateShape(shape, (f) => r.full(keyOf[f])).filter(
            (p) => !(p.key === r.full("cpu") && o.cpu !== undefined && fargateCpuUnits(o.cpu) === undefined),
        ),
    );
    loadBalancerTimeout();
    return shape;
}

/** Who may reach the service (allow-list, HTTPS domain), who budget mails reach, the CI's OIDC provider. */
function readAwsAccess(r: Reader, ctx: AwsContext): Pick<AwsSettings, "allowedCidrs" | "oidcProviderArn" | "domain"> {
    const { o, preset, refuse, shared, tier, lambda } = ctx;
    const allowedCidrs = r.list("allowedCidrs");
    for (const c of allowedCidrs) if (!parseCidr(c)) r.problem("allowedCidrs", c, "IPv4 ranges such as 203.0.113.0/24");
    if (lambda && allowedCidrs.length > 0)
        refuse("allowedCidrs", allowedCidrs, "the function URL has no security group; use staging for a load balancer with an allow-list");
    if (shared.alertEmails.length > BUDGET_EMAIL_LIMIT) {
        r.problem(
            "alertEmails",
            `${shared.alertEmails.length} addresses`,
            `at most ${BUDGET_EMAIL_LIMIT} on AWS (AWS Budgets' limit per notification): subscribe a list address`,
        );
    }
    if (o.access === "public" && allowedCidrs.length > 0) {
        r.problem(
            "allowedCidrs",
            allowedCidrs,
            "empty while runway:access is public (public opens the load balancer to the internet; the allow-list restricts it): keep one of the two",
        );
    }
    if (preset.allowListRequired && allowedCidrs.length === 0 && o.access !== "public") {
        r.problem(
            "allowedCidrs",
            [],
            `at least one range allowed to reach the ${tier} load balancer (e.g. your office 203.0.113.0/24), or set runway:access public to open it to the internet`,
        );
    }
    const oidcProviderArn = r.text("awsOidcProviderArn");
    // runway:domain is validated with the edge keys (parseEdge); on AWS it names the load balancer's certificate.
    const domain = r.text("domain");
    if (lambda && domain !== undefined)
        refuse("domain", domain, "a function URL cannot carry a custom domain; use staging or production (ALB + ACM)");
    plainHttpProblems(r, { tier, lambda, domain, httpsRequired: preset.httpsRequired });
    return { allowedCidrs, ...(oidcProviderArn !== undefined ? { oidcProviderArn } : {}), ...(domain !== undefined ? { domain } : {}) };
}

/** RDS and ElastiCache: refused on Lambda (no VPC); RDS's class, backups, version and storage otherwise. */
function readAwsDatabase(r: Reader, ctx: AwsContext): AwsSettings["database"] {
    const { o, refuse, shared, tier, lambda } = ctx;
    if (lambda && shared.database === "managed")
        refuse(
            "database",
            "managed",
            "Lambda runs without a VPC; use runway:database external (a serverless Postgres) or staging/production",
        );
    if (lambda && shared.cache === "managed")
        refuse("cache", "managed", "Lambda runs without a VPC; use staging or production for ElastiCache");
    const instanceClass = o.databaseMachine ?? TIER_PROFILES[tier].data.awsInstanceClass;
    const backups = shared.settings.databaseBackups;
    if (backups > 35) r.problem("databaseBackups", backups, "0-35 days on RDS");
    if (TIER_PROFILES[tier].data.backupsRequired && backups < 1) r.problem("databaseBackups", backups, `at least 1 in ${tier}`);
    if (o.databasePitr === false && backups > 0)
        r.problem(
            "databasePitr",
            false,
            "true or unset on AWS: RDS keeps point-in-time recovery whenever backups are on (set runway:databaseBackups 0 to turn both off)",
        );
    if (o.databasePitr === true && backups === 0)
        r.problem("databasePitr", true, "false with runway:databaseBackups 0 (RDS point-in-time recovery needs backups)");
    const version = r.valueOr<string>("databaseVersion");
    const engineVersion = /^POSTGRES_(1[4-7])$/.exec(version)?.[1];
    if (engineVersion === undefined) r.problem("databaseVersion", version, "POSTGRES_14 to POSTGRES_17");
    const storageGb = Math.max(20, r.valueOr<number>("databaseDiskGb"));
    const maxStorageGb = rdsMaxStorageGb(storageGb, r.int("databaseMaxDiskGb"));
    if (r.isSet("databaseMaxDiskGb")) {
        if (shared.database !== "managed")
            r.problem("databaseMaxDiskGb", maxStorageGb, "unset unless runway:database is managed (it sizes the RDS instance)");
        else r.problems.push(...rdsMaxStorageProblems(storageGb, maxStorageGb, r.full("databaseMaxDiskGb")));
    }
    return {
        instanceClass,
        multiAz: shared.settings.databaseHa,
        backupRetentionDays: backups,
        engineVersion: engineVersion ?? "16",
        storageGb,
        maxStorageGb,
        finalSnapshot: TIER_PROFILES[tier].data.finalSnapshot,
    };
}

/**
 * runway:allowPlainHttp: a tier that must serve HTTPS refuses to plan without runway:domain (its load
 * balancer would carry production's cookies and tokens in cleartext on the internet) unless the key
 * accepts it; the key is refused where it changes nothing.
 */
function plainHttpProblems(r: Reader, ctx: { tier: Tier; lambda: boolean; domain?: string; httpsRequired: boolean }): void {
    const allowPlainHttp = r.bool("allowPlainHttp") === true;
    if (ctx.lambda && allowPlainHttp) r.problem("allowPlainHttp", true, `unset on ${ctx.tier}: its function URL serves HTTPS only`);
    else if (ctx.domain !== undefined && allowPlainHttp)
        r.problem("allowPlainHttp", true, "unset while runway:domain is set: the domain is served over HTTPS (HTTP redirects to it)");
    else if (ctx.httpsRequired && ctx.domain === undefined && !allowPlainHttp)
        r.problem(
            "domain",
            undefined,
            `a domain such as app.example.com: tier ${ctx.tier} serves its load balancer over HTTPS with an ACM certificate issued for it (without one it is plain HTTP on the internet); or set runway:allowPlainHttp true to accept plain HTTP`,
        );
}

/** Cloud Armor and logging settings of the edge. */
export interface EdgeSettings {
    wafSensitivity: number;
    rateLimitPerMinute: number;
    denyCountries: string[];
    denyCidrs: string[];
    preview: boolean;
    logSampleRate: number;
}

const EDGE_KEYS: Record<keyof EdgeSettings, string> = {
    wafSensitivity: "edgeWafSensitivity",
    rateLimitPerMinute: "edgeRateLimit",
    denyCountries: "edgeDenyCountries",
    denyCidrs: "edgeDenyCidrs",
    preview: "edgePreview",
    logSampleRate: "edgeLogSampleRate",
};

/**
 * runway:domain, dnsZone and the edge keys. Production's edge needs a domain; without the edge a
 * domain becomes a Cloud Run domain mapping, which only some regions offer; edge keys that would
 * do nothing (edge off, or AWS) are refused.
 */
function parseEdge(
    r: Reader,
    ctx: { cloud: Cloud; tier: Tier; region: string; edge: boolean },
): Pick<StackCommon, "domain" | "dnsZone" | "edge"> {
    const domain = r.text("domain");
    const dnsZone = r.text("dnsZone");
    // Numbers the edge rules range-check (a non-number stays text, so the problem shows what was typed).
    const edge: EdgeSettings = {
        wafSensitivity: r.valueOr<number>("edgeWafSensitivity"),
        rateLimitPerMinute: r.valueOr<number>("edgeRateLimit"),
        denyCountries: r.list("edgeDenyCountries"),
        denyCidrs: r.list("edgeDenyCidrs"),
        preview: r.valueOr<boolean>("edgePreview"),
        logSampleRate: r.valueOr<number>("edgeLogSampleRate"),
    };
    const problemsBefore = r.problems.length;
    const keyOf = (field: keyof EdgeInputs) => r.full(field === "domain" ? "domain" : EDGE_KEYS[field as keyof EdgeSettings]);
    r.problems.push(...edgeProblems({ domain, ...edge }, keyOf));
    const changed = (Object.keys(EDGE_KEYS) as (keyof EdgeSettings)[]).filter(
        (k) => JSON.stringify(edge[k]) !== JSON.stringify(EDGE_OFF[k]),
    );
    // Edge keys and dnsZone apply to Google Cloud only (refused elsewhere by their declaration);
    // runway:domain is the AWS flavour's too (its load balancer's certificate): it is passed on.
    if (ctx.cloud === "aws") return domain ? { domain } : {};
    if (ctx.edge && domain === undefined) {
        r.problem(
            "domain",
            undefined,
            `a domain such as app.example.com: tier ${ctx.tier} puts the service behind the edge (HTTPS load balancer + Cloud Armor), whose managed certificate is issued for it; or set runway:edge false to serve only the run.app URL, without WAF`,
        );
    }
    if (!ctx.edge) {
        for (const k of changed)
            r.problem(
                EDGE_KEYS[k],
                edge[k],
                "its default while runway:edge is false (it configures the edge's Cloud Armor): set runway:edge true, or remove the key",
            );
        if (domain !== undefined && !DOMAIN_MAPPING_REGIONS.includes(ctx.region)) {
            r.problem(
                "domain",
                domain,
                `empty, or runway:edge true: without the edge a domain is a Cloud Run domain mapping, which region ${ctx.region} does not offer (it does: ${DOMAIN_MAPPING_REGIONS.join(", ")})`,
            );
        }
    }
    if (dnsZone !== undefined && domain === undefined)
        r.problem("dnsZone", dnsZone, "empty unless runway:domain is set (the zone receives the domain's record)");
    if (r.problems.length > problemsBefore) return {};
    return { ...(domain ? { domain } : {}), ...(dnsZone ? { dnsZone } : {}), ...(ctx.edge ? { edge } : {}) };
}

/** Edge values that change nothing: what an unset key means. */
const EDGE_OFF: EdgeSettings = { ...EDGE_DEFAULTS, denyCountries: [], denyCidrs: [], preview: false };

/** A stack's spec with its secret values as `pulumi.secret` outputs (what the compositions read). */
export type StackSpec<S extends ResolvedStack = ResolvedStack> = S extends ResolvedStack
    ? Omit<S, "secretValues" | "pagerDutyServiceKey" | "warnings"> & {
          secrets: Record<string, pulumi.Output<string>>;
          pagerDutyServiceKey?: pulumi.Output<string>;
      }
    : never;
export type GcpSpec = StackSpec<GcpStack>;
export type AwsSpec = StackSpec<AwsStack>;
export type LocalSpec = StackSpec<LocalStack>;

/** The Dockerfile to build must exist (paths are relative to the project, Pulumi's working directory). */
function checkBuildFiles(build: ResolvedBuild | undefined): void {
    if (build === undefined || fs.existsSync(build.dockerfile)) return;
    const key = fs.existsSync(build.context) ? "runway:dockerfile" : "runway:buildContext";
    throwIfProblems("Invalid Runway configuration", [
        {
            key,
            value: key === "runway:dockerfile" ? build.dockerfile : build.context,
            allowed: `a path (relative to ${process.cwd()}) where ${build.dockerfile} exists, or set runway:image to deploy a prebuilt image`,
        },
    ]);
}

/** Resolves the running program's config (what `pulumi up` or the offline plan supplies) into the stack's spec. */
export function loadConfig(): StackSpec {
    const values = pulumi.runtime.allConfig();
    // isConfigSecret is exported at runtime but marked internal in the typings.
    const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    const secretKeys = new Set(Object.keys(values).filter((k) => isSecret?.(k) ?? false));
    const raw = { values, secretKeys, stack: pulumi.getStack(), pulumiProject: pulumi.getProject() };
    const { secretValues, pagerDutyServiceKey, warnings, ...rest } = resolveStack(raw);
    for (const warning of warnings) pulumi.log.warn(warning);
    guardPlaceholders(placeholdersIn(values, NAMESPACE, secretKeys), pulumi.runtime.isDryRun(), (m) => pulumi.log.warn(m));
    checkBuildFiles(rest.service.build);
    const secrets: Record<string, pulumi.Output<string>> = {};
    for (const [name, value] of Object.entries(secretValues)) secrets[name] = pulumi.secret(value);
    return {
        ...rest,
        secrets,
        ...(pagerDutyServiceKey !== undefined ? { pagerDutyServiceKey: pulumi.secret(pagerDutyServiceKey) } : {}),
    } as StackSpec;
}
