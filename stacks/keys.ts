/**
 * Every `runway:*` config key, declared once: its Pulumi.yaml type and default, the clouds where it
 * takes effect, how its value is read (parser and range), which tier-profile setting it overrides, and
 * its description. Pulumi.yaml is generated from this list (`npm run pulumi-yaml`), `resolveStack`
 * reads every key through it, and descriptions quote the tier profile, so prose cannot drift.
 *
 * Keys whose default is "" take the tier's preset when unset: Pulumi fills a declared default into
 * every stack, so a non-empty default would silently beat the tier.
 */
import { EDGE_DEFAULTS, RATE_LIMIT_RANGE } from "../rules/gcp/edge";
import { DIRECT_VPC_DEFAULT_INSTANCE_QUOTA, DIRECT_VPC_MAX_INSTANCE_QUOTA } from "../rules/gcp/directVpc";
import { GITHUB_ID } from "../rules/oidc";
import { GITHUB_PLANS, GITHUB_VISIBILITIES } from "../rules/github";
import { CLOUD_RUN_SERVICE_NAME, GITHUB_REPOSITORY, SERVICE_NAME_ALLOWED } from "../rules/patterns";
import { ACCESS_MODES, AwsTierSettings, TIERS, TierSettings, awsRuntimePreset, profileFor, tiersWhere } from "../rules/profile";
import { CANARY_MINUTES, CANARY_PERCENT } from "../rules/release";
import { REPOSITORY_DIRECTORY } from "../rules/repository";

/** Where Runway deploys. */
export const CLOUDS = ["gcp", "aws", "local"] as const;
export type Cloud = (typeof CLOUDS)[number];
export const DATABASE_MODES = ["none", "external", "managed"] as const;
export const CACHE_MODES = ["none", "managed"] as const;
export const ALERT_LEVELS = ["budget", "service", "full"] as const;
/** What runs the service: the cloud's serverless runtime, or a Kubernetes cluster (GKE Autopilot / EKS). */
export const RUNTIMES = ["serverless", "kubernetes"] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** How a key's value is read; every problem names the key, the value and what `allowed` says. */
export type KeyParser =
    | { readonly kind: "oneOf"; readonly values: readonly string[] }
    | { readonly kind: "integer"; readonly min: number; readonly max: number }
    | { readonly kind: "boolean" }
    /** An amount > 0 with at most 2 decimals. */
    | { readonly kind: "amount" }
    /** A decimal number, range-checked by the rule that uses it. */
    | { readonly kind: "number" }
    /** Text, optionally matching `pattern`; `opaque`: offline, a secret value passes through unread. */
    | { readonly kind: "text"; readonly allowed: string; readonly pattern?: RegExp; readonly opaque?: boolean }
    /** A list of strings (items are checked by the rule that uses them). */
    | { readonly kind: "list"; readonly opaque?: boolean }
    /** A credential: must be set with --secret and is never printed. */
    | { readonly kind: "secret" };

export interface ConfigKey {
    readonly name: string;
    readonly type: "string" | "integer" | "boolean" | "array";
    readonly default: string | number | boolean | readonly string[];
    readonly description: string;
    /** Clouds where the key takes effect. Set to anything but its default on another cloud, it is refused. */
    readonly clouds: readonly Cloud[];
    /** How the value is read. */
    readonly parse: KeyParser;
    /** How the value is read on AWS, where it means something else (e.g. an RDS instance class). @default parse */
    readonly awsParse?: KeyParser;
    /** The tier-profile setting the key overrides (unset or empty: the profile's value). */
    readonly overrides?: keyof TierSettings;
    /** The value is a credential: it must be set with --secret and is never printed. @default false */
    readonly secret?: boolean;
    /**
     * On a cloud the key does not apply to, warn instead of refusing: for keys naming the other cloud's
     * account (a stack file may carry them while the same stack is planned on the other cloud).
     * @default false
     */
    readonly warnElsewhere?: boolean;
    /** Why the key does nothing on the other clouds, said when it is refused there. @default none */
    readonly elsewhere?: string;
}

const GCP_AWS: readonly Cloud[] = ["gcp", "aws"];
const EVERYWHERE: readonly Cloud[] = CLOUDS;
const GCP: readonly Cloud[] = ["gcp"];
const AWS: readonly Cloud[] = ["aws"];

const TIER_DEFAULT = "Empty: the tier's preset";

/**
 * The tier profile's values of a setting, for a description: "(solo 0, staging 0, production 1)",
 * or "(300 in every tier)" when the tiers agree.
 */
export function presetText(field: keyof TierSettings): string {
    const values = TIERS.map((t) => String(profileFor(t).settings[field]));
    return new Set(values).size === 1 ? `(${values[0]} in every tier)` : `(${TIERS.map((t, i) => `${t} ${values[i]}`).join(", ")})`;
}

/** The AWS profile's values of the Fargate tiers, e.g. "staging 1, production 2". */
export function awsFargateText(show: (aws: AwsTierSettings) => string): string {
    return tiersWhere((p) => p.aws.runtime === "fargate")
        .map((t) => `${t} ${show(profileFor(t).aws)}`)
        .join(", ");
}

/** The Fargate tiers for which `pick` holds, e.g. "production". */
function awsFargateTiers(pick: (aws: AwsTierSettings) => boolean): string {
    return tiersWhere((p) => p.aws.runtime === "fargate" && pick(p.aws)).join(", ");
}

const lambdaTier = tiersWhere((p) => p.aws.runtime === "lambda").join(", ");
const vcpu = (units: number) => String(units / 1024);
const mib = (m: number) => (m % 1024 === 0 ? `${m / 1024}Gi` : `${m}Mi`);

const BRANCH = /^(?!refs\/)(?!\/)(?!.*\/\/)(?!.*\.\.)[A-Za-z0-9._/-]+(?<![./])$/;
const IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
const BILLING_ACCOUNT = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;
const AWS_OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
const RDS_INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const DNS_ZONE = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

const bool = { kind: "boolean" } as const;
const list = { kind: "list" } as const;
const text = (allowed: string, pattern?: RegExp) => ({ kind: "text", allowed, ...(pattern ? { pattern } : {}) }) as const;
const int = (min: number, max: number) => ({ kind: "integer", min, max }) as const;

export const CONFIG_KEYS = [
    {
        name: "cloud",
        type: "string",
        default: "gcp",
        clouds: EVERYWHERE,
        parse: { kind: "oneOf", values: CLOUDS },
        description:
            "Where to deploy: gcp (Cloud Run), aws (solo: Lambda + function URL; staging/production: ECS Fargate behind an ALB; needs aws:region) or local (the Docker engine on this machine; see Pulumi.local.yaml).",
    },
    {
        name: "tier",
        type: "string",
        default: "solo",
        clouds: GCP_AWS,
        parse: { kind: "oneOf", values: TIERS },
        description: "solo | staging | production: sets every default below.",
    },
    {
        name: "serviceName",
        type: "string",
        default: "app",
        clouds: EVERYWHERE,
        parse: text(SERVICE_NAME_ALLOWED, CLOUD_RUN_SERVICE_NAME),
        description:
            "Service name (Cloud Run service, Lambda function, ECS service; the stack is added where names must be unique): lowercase letters, digits, single hyphens; up to 49 characters.",
    },
    {
        name: "stackInNames",
        type: "boolean",
        default: true,
        clouds: GCP,
        elsewhere: "AWS names always carry the stack",
        parse: bool,
        description:
            "true | false: the Cloud Run service and the runtime, deployer and previewer service accounts carry the stack (`<serviceName>-<stack>`), and so do the CI custom roles of a stack not named after its tier (`runwayDeploy_<serviceName>_<stack>`), so several stacks (two of one tier too) can share a project. false keeps the names of earlier releases (`<serviceName>`, `<serviceName>-run`, `<serviceName>-deploy-<tier>`): set it on a stack created before, to keep its service and accounts (one such stack per project).",
    },
    {
        name: "image",
        type: "string",
        default: "",
        clouds: EVERYWHERE,
        parse: text("a container image reference such as us-docker.pkg.dev/my-project/app/app:1.0 or ...@sha256:<digest>", IMAGE),
        description:
            "Prebuilt container image to deploy (e.g. us-docker.pkg.dev/my-project/app/app:1.0). Empty: build runway:buildContext and deploy it by digest.",
    },
    {
        name: "buildContext",
        type: "string",
        default: "app",
        clouds: EVERYWHERE,
        parse: text("a directory relative to the project"),
        description:
            "Directory (relative to the project) whose Dockerfile is built and pushed to the stack's registry when runway:image is empty.",
    },
    {
        name: "dockerfile",
        type: "string",
        default: "",
        clouds: EVERYWHERE,
        parse: text("a Dockerfile path relative to the project"),
        description: "Dockerfile to build, relative to the project. Empty: <buildContext>/Dockerfile.",
    },
    {
        name: "buildTarget",
        type: "string",
        default: "",
        clouds: EVERYWHERE,
        parse: text("a Dockerfile stage name"),
        description: "Dockerfile stage to build (docker build --target). Empty: the last stage.",
    },
    {
        name: "port",
        type: "integer",
        default: 8080,
        clouds: EVERYWHERE,
        parse: int(1, 65535),
        description: "Port the container listens on ($PORT).",
    },
    {
        name: "healthPath",
        type: "string",
        default: "/health",
        clouds: EVERYWHERE,
        parse: text("an absolute HTTP path such as /health", /^\/[\w\-./]*$/),
        description: "HTTP path of the health endpoint used by probes and the uptime check.",
    },
    {
        name: "env",
        type: "array",
        default: [],
        clouds: EVERYWHERE,
        parse: list,
        description: "Plain environment variables as NAME=value (never secrets: use runway:secrets).",
    },
    {
        name: "minInstances",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "minInstances",
        parse: int(0, 1000),
        description: `Minimum instances. ${TIER_DEFAULT} ${presetText("minInstances")}. AWS: Fargate tasks (≥ 1; ${awsFargateText((a) => String(a.minTasks))}); ${lambdaTier} (Lambda) only 0.`,
    },
    {
        name: "maxInstances",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "maxInstances",
        parse: int(1, 1000),
        description: `Maximum instances. ${TIER_DEFAULT} ${presetText("maxInstances")}. AWS: Fargate tasks (${awsFargateText((a) => String(a.maxTasks))}); ${lambdaTier}: Lambda reserved concurrency (unset: the account pool).`,
    },
    {
        name: "cpu",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "cpu",
        parse: text("a vCPU count: 1, 2, 4, 6, 8 or 0.08-0.999"),
        awsParse: text("a Fargate size in vCPU: 0.25, 0.5, 1, 2, 4, 8 or 16"),
        description: `vCPUs per instance (1, 2, 4, 6, 8 or 0.08-0.99). ${TIER_DEFAULT} ${presetText("cpu")}. AWS: Fargate vCPU 0.25-16 (${awsFargateText((a) => vcpu(a.cpu))}); refused on ${lambdaTier} (Lambda: CPU follows memory).`,
    },
    {
        name: "memory",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "memory",
        parse: text("a memory size such as 512Mi or 2Gi"),
        description: `Memory per instance (e.g. 512Mi, 1Gi). ${TIER_DEFAULT} ${presetText("memory")}. AWS: Lambda 128Mi-10240Mi (${lambdaTier} ${mib(awsRuntimePreset("lambda").memory)}) or Fargate's table for the CPU (${awsFargateText((a) => mib(a.memory))}).`,
    },
    {
        name: "cpuIdle",
        type: "string",
        default: "",
        elsewhere: "a Cloud Run billing setting (Lambda bills per request, Fargate tasks always have their CPU)",
        clouds: GCP,
        overrides: "cpuIdle",
        parse: bool,
        description: `true: CPU only during requests; false: always allocated (Cloud Run). ${TIER_DEFAULT} ${presetText("cpuIdle")}.`,
    },
    {
        name: "startupCpuBoost",
        type: "string",
        default: "",
        elsewhere: "a Cloud Run setting",
        clouds: GCP,
        overrides: "startupCpuBoost",
        parse: bool,
        description: `true | false: extra CPU during start-up (Cloud Run). ${TIER_DEFAULT} ${presetText("startupCpuBoost")}.`,
    },
    {
        name: "concurrency",
        type: "string",
        default: "",
        elsewhere: "a Cloud Run setting (scale AWS with runway:maxInstances)",
        clouds: GCP,
        overrides: "concurrency",
        parse: int(1, 1000),
        description: `Requests per instance, 1-1000 (Cloud Run). ${TIER_DEFAULT} ${presetText("concurrency")}.`,
    },
    {
        name: "timeoutSeconds",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "timeoutSeconds",
        parse: int(1, 3600),
        description: `Request timeout in seconds (1-3600). ${TIER_DEFAULT} ${presetText("timeoutSeconds")}. AWS: Lambda timeout (≤ 900) or the load balancer idle timeout.`,
    },
    {
        name: "access",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "access",
        parse: { kind: "oneOf", values: ACCESS_MODES },
        description: `public | iap. ${TIER_DEFAULT} ${presetText("access")}. AWS: iap is refused; public opens a staging load balancer to the internet.`,
    },
    {
        name: "iapMembers",
        type: "array",
        default: [],
        elsewhere: "IAP is Google Cloud's; on AWS restrict the load balancer with runway:allowedCidrs",
        clouds: GCP,
        parse: { kind: "list", opaque: true },
        description: "Who may pass IAP when access is iap: user:, group:, domain: or serviceAccount: members.",
    },
    {
        name: "iapDomains",
        type: "array",
        default: [],
        elsewhere: "IAP is Google Cloud's",
        clouds: GCP,
        parse: list,
        description:
            "Domains of the project's Google organisation: IAP members outside them are refused (IAP on Cloud Run signs in only the organisation's identities). Empty: not checked, and plans with IAP warn.",
    },
    {
        name: "privateEgress",
        type: "string",
        default: "",
        elsewhere: "AWS tasks always run in private subnets with NAT",
        clouds: GCP,
        overrides: "privateEgress",
        parse: bool,
        description: `true | false: Direct VPC egress to private ranges (on AWS, tasks always run in private subnets). ${TIER_DEFAULT} ${presetText("privateEgress")}.`,
    },
    {
        name: "staticEgressIp",
        type: "boolean",
        default: false,
        elsewhere: "AWS NAT gateways already have fixed Elastic IPs",
        clouds: GCP,
        parse: bool,
        description:
            "Route all egress through Cloud NAT with a reserved IP (needs privateEgress; AWS NAT gateways always have fixed Elastic IPs).",
    },
    {
        name: "directVpcInstanceQuota",
        type: "integer",
        default: DIRECT_VPC_DEFAULT_INSTANCE_QUOTA,
        elsewhere: "a Cloud Run Direct VPC egress quota",
        clouds: GCP,
        parse: int(1, DIRECT_VPC_MAX_INSTANCE_QUOTA),
        description: `Your project's Cloud Run instance quota per revision with Direct VPC egress in the region (console: Quotas & System Limits; Google documents ${DIRECT_VPC_DEFAULT_INSTANCE_QUOTA}-200 by region). With Direct VPC egress (privateEgress or managed data), runway:maxInstances above it is refused, and the subnet is sized for it (grows in place when raised; never lower it below a value the stack has used: a smaller range replaces the subnet, which fails). Set it only where the service uses Direct VPC egress.`,
    },
    {
        name: "registryKeepCount",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "registryKeepCount",
        parse: int(1, 1000),
        description: `Newest images the registry keeps. ${TIER_DEFAULT} ${presetText("registryKeepCount")}.`,
    },
    {
        name: "untaggedImageDays",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "untaggedImageDays",
        parse: int(1, 365),
        description: `Delete untagged images older than this many days. ${TIER_DEFAULT} ${presetText("untaggedImageDays")}.`,
    },
    {
        name: "ignoreImageChanges",
        type: "boolean",
        default: false,
        clouds: GCP_AWS,
        parse: bool,
        description: "true when CI deploys images: pulumi up then leaves the running image alone.",
    },
    {
        name: "protect",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "protect",
        parse: bool,
        description: `true | false: deletion protection (service, load balancer, database) and protect on stateful resources; false, then up, makes the stack destroyable (docs/day-two.md). ${TIER_DEFAULT} ${presetText("protect")}.`,
    },
    {
        name: "budgetAmount",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "budgetAmount",
        parse: { kind: "amount" },
        description: `Monthly budget in budgetCurrency. ${TIER_DEFAULT} ${presetText("budgetAmount")}.`,
    },
    {
        name: "budgetCurrency",
        type: "string",
        default: "USD",
        elsewhere: "AWS budgets are in USD",
        clouds: GCP,
        parse: text("a 3-letter ISO 4217 code such as USD or EUR", /^[A-Z]{3}$/),
        description: "ISO 4217 currency of the budget; must match the billing account's currency (AWS budgets are in USD).",
    },
    {
        name: "billingAccount",
        type: "string",
        default: "",
        clouds: GCP,
        warnElsewhere: true,
        parse: {
            kind: "text",
            allowed: "a billing account id like 012345-6789AB-CDEF01 (gcloud billing accounts list)",
            pattern: BILLING_ACCOUNT,
            opaque: true,
        },
        description:
            "GCP billing account id (XXXXXX-XXXXXX-XXXXXX) that holds the budget. Required on gcp; elsewhere ignored with a warning. Empty: none (refused on gcp).",
    },
    {
        name: "alerts",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "alerts",
        parse: { kind: "oneOf", values: ALERT_LEVELS },
        description: `budget | service | full. ${TIER_DEFAULT} ${presetText("alerts")}.`,
    },
    {
        name: "alertEmails",
        type: "array",
        default: [],
        clouds: GCP_AWS,
        parse: { kind: "list", opaque: true },
        description:
            "Emails for budget and service alerts; required when alerts is service or full, and on AWS always (unless runway:pagerDutyServiceKey is set): an AWS budget reaches no one else.",
    },
    {
        name: "pagerDutyServiceKey",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        secret: true,
        parse: { kind: "secret" },
        description: "PagerDuty integration key (set with --secret) for the full alert level. Empty: no PagerDuty channel.",
    },
    {
        name: "githubRepository",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        parse: text("owner/repo as on GitHub, e.g. acme/shop", GITHUB_REPOSITORY),
        description:
            "owner/repo of the app: the stack manages its deploy workflow, environment and variables (needs GITHUB_TOKEN) and trusts it through Workload Identity Federation; empty: no CI identity.",
    },
    {
        name: "githubOwnerId",
        type: "string",
        default: "",
        clouds: GCP,
        warnElsewhere: true,
        elsewhere: "AWS STS exposes no repository_owner_id condition key: the repository ID alone pins the repository there",
        parse: text("the owner's numeric ID: gh api repos/OWNER/REPO --jq .owner.id", GITHUB_ID),
        description:
            "GCP: immutable numeric ID of the githubRepository owner (gh api repos/OWNER/REPO --jq .owner.id): the Workload Identity provider also checks it, so the repository transferred to another owner is trusted no more. Required with githubRepository on GCP; empty without it.",
    },
    {
        name: "githubRepositoryId",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        parse: text("the repository's numeric ID: gh api repos/OWNER/REPO --jq .id", GITHUB_ID),
        description:
            "Immutable numeric ID of githubRepository (gh api repos/OWNER/REPO --jq .id): every deploy and preview identity trusts tokens of this repository only, whatever its name or sub format. Required with githubRepository; empty without it.",
    },
    {
        name: "githubVisibility",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        parse: { kind: "oneOf", values: GITHUB_VISIBILITIES },
        description:
            "public | private | internal: the visibility of githubRepository. GitHub sells branch protection and environment reviewers by visibility and plan; the stack refuses a repository that cannot have what its tier uses. Required with githubRepository; empty without it.",
    },
    {
        name: "githubPlan",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        parse: { kind: "oneOf", values: GITHUB_PLANS },
        description:
            "free | pro | team | enterprise: the GitHub plan of githubRepository's owner. Required when githubVisibility is private or internal; empty for a public repository (every plan has every setting Runway uses there).",
    },
    {
        name: "githubReviewers",
        type: "array",
        default: [],
        clouds: GCP_AWS,
        parse: list,
        description: `GitHub users who approve deployments (required for ${tiersWhere((p) => p.delivery.reviewersRequired).join(", ")} when githubRepository is set) and each pull request's real pulumi preview of this stack (environment runway-preview-<stack>; without reviewers the stack creates no previewer and pull requests get the offline plan only).`,
    },
    {
        name: "defaultBranch",
        type: "string",
        default: "main",
        clouds: GCP_AWS,
        parse: text("a branch name such as main (without refs/heads/)", BRANCH),
        description: `Default branch: ${tiersWhere((p) => p.delivery.deployFrom === "defaultBranch").join(" and ")} deploy from it.`,
    },
    {
        name: "stagingBranch",
        type: "string",
        default: "staging",
        clouds: GCP_AWS,
        parse: text("a branch name such as staging (without refs/heads/)", BRANCH),
        description: `Branch that deploys the ${tiersWhere((p) => p.delivery.deployFrom === "stagingBranch").join(", ")} tier.`,
    },
    {
        name: "previewStacks",
        type: "array",
        default: [],
        clouds: GCP_AWS,
        parse: list,
        description: `Stacks (by name) the generated pull-request workflows plan offline and preview, set on the stack that owns them (${tiersWhere((p) => p.delivery.managesRepository).join(", ")}); it includes this stack. Empty: this stack, and on production also \`staging\` (the staging stack by its tier's name): set it when that stack has another name, e.g. ["myapp-staging", "myapp-prod"].`,
    },
    {
        name: "infraDirectory",
        type: "string",
        default: ".",
        clouds: GCP_AWS,
        parse: text("a folder relative to the repository's root, such as infra (no .., no leading /)", REPOSITORY_DIRECTORY),
        description:
            "Where this Pulumi project lives in the app repository, relative to its root (runway-iac init writes infra): the generated workflows run Pulumi and npm ci there; runway:buildContext and runway:dockerfile stay relative to the project.",
    },
    {
        name: "runtime",
        type: "string",
        default: "serverless",
        clouds: GCP_AWS,
        elsewhere: "the local target runs containers on the Docker engine",
        parse: { kind: "oneOf", values: RUNTIMES },
        description:
            "serverless (Cloud Run; AWS Lambda on solo, ECS Fargate above) | kubernetes (a GKE Autopilot / EKS cluster per stack running the service as a Deployment; a cluster is never free: see docs/kubernetes.md).",
    },
    {
        name: "migrationCommand",
        type: "array",
        default: [],
        clouds: GCP_AWS,
        elsewhere: "the local flavour has no deploy workflow: run the command in the app container yourself",
        parse: list,
        description: `The database migration's command as a list of words, the program first (e.g. ["npm","run","migrate"]; no shell runs it). The deploy workflow runs it once with the new image, its secrets and network (Cloud Run job / ECS task), after the image scan and before any traffic moves, and stops the deploy when it fails. Refused on ${lambdaTier} on AWS (Lambda runs no one-off command). Empty: no migration step.`,
    },
    {
        name: "canaryPercent",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "canaryPercent",
        parse: int(CANARY_PERCENT.min, CANARY_PERCENT.max),
        description: `Share of requests (percent, ${CANARY_PERCENT.min}-${CANARY_PERCENT.max}) a new revision serves while the metric gate judges its 5xx ratio and p95 latency against the alert thresholds; 0: all at once after the smoke test. ${TIER_DEFAULT} ${presetText("canaryPercent")}. AWS: the ECS service's CANARY strategy with rollback alarms (not on ${lambdaTier}).`,
    },
    {
        name: "canaryMinutes",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "canaryMinutes",
        parse: int(CANARY_MINUTES.min, CANARY_MINUTES.max),
        description: `Minutes the canary serves its share before the gate decides (${CANARY_MINUTES.min}-${CANARY_MINUTES.max}; Cloud Monitoring shows a sample up to 3 minutes late); each deploy waits that long. ${TIER_DEFAULT} ${presetText("canaryMinutes")}; only with canaryPercent above 0.`,
    },
    {
        name: "database",
        type: "string",
        default: "none",
        clouds: EVERYWHERE,
        parse: { kind: "oneOf", values: DATABASE_MODES },
        description:
            "none | external (URL from runway:databaseUrl; the cheap choice for solo) | managed (Cloud SQL / RDS PostgreSQL on a private IP; not on AWS solo serverless, which is Lambda).",
    },
    {
        name: "databaseMachine",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "databaseMachine",
        parse: text("a Cloud SQL machine type such as db-f1-micro or db-custom-2-7680"),
        awsParse: text("an RDS instance class such as db.t4g.micro or db.m7g.large", RDS_INSTANCE_CLASS),
        description: `Cloud SQL machine: db-f1-micro, db-g1-small or db-custom-<vCPU>-<MB>; on AWS an RDS instance class. ${TIER_DEFAULT} ${presetText("databaseMachine")}; AWS ${profileFor("production").data.awsInstanceClass}.`,
    },
    {
        name: "databaseHa",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "databaseHa",
        parse: bool,
        description: `true | false: regional HA standby / RDS Multi-AZ (×2 price). ${TIER_DEFAULT} ${presetText("databaseHa")}.`,
    },
    {
        name: "databaseBackups",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "databaseBackups",
        parse: int(0, 365),
        description: `Daily backups retained (0-365, RDS 0-35; ${tiersWhere((p) => p.data.backupsRequired).join(", ")} needs ≥ 1). ${TIER_DEFAULT} ${presetText("databaseBackups")}.`,
    },
    {
        name: "databasePitr",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "databasePitr",
        parse: bool,
        description: `true | false: point-in-time recovery (on AWS it follows backups). ${TIER_DEFAULT} ${presetText("databasePitr")}.`,
    },
    {
        name: "databaseReadReplica",
        type: "boolean",
        default: false,
        elsewhere: "RDS read replicas are not offered yet",
        clouds: GCP,
        parse: bool,
        description: "Add a Cloud SQL read replica (needs databaseHa).",
    },
    {
        name: "databaseVersion",
        type: "string",
        default: "POSTGRES_16",
        clouds: GCP_AWS,
        parse: text("POSTGRES_14 to POSTGRES_17"),
        description: "PostgreSQL major version (POSTGRES_14-17); upgrades happen in place.",
    },
    {
        name: "databaseDiskGb",
        type: "integer",
        default: 10,
        clouds: GCP_AWS,
        parse: int(10, 65536),
        description: "Database SSD size in GB (grows automatically, never shrinks; RDS: at least 20).",
    },
    {
        name: "databaseMaxDiskGb",
        type: "string",
        default: "",
        elsewhere: "Cloud SQL grows its disk automatically with no ceiling",
        clouds: AWS,
        parse: int(22, 65536),
        description:
            "AWS: ceiling in GB that RDS storage autoscaling may grow the database to (RDS grows only with a ceiling; at the ceiling writes stop). At least 10% above runway:databaseDiskGb; billed only as it grows, the estimate names the ceiling. Empty: 10 × runway:databaseDiskGb (200 GB).",
    },
    {
        name: "cache",
        type: "string",
        default: "none",
        clouds: EVERYWHERE,
        parse: { kind: "oneOf", values: CACHE_MODES },
        description:
            "none | managed (Memorystore for Redis / ElastiCache for Valkey on a private IP, TLS + AUTH; REDIS_URL as a secret; not on AWS solo serverless, which is Lambda).",
    },
    {
        name: "cacheSizeGb",
        type: "integer",
        default: 1,
        clouds: GCP_AWS,
        parse: int(1, 300),
        description: "Cache capacity in GB (1-300): Memorystore's size, or the smallest ElastiCache node that holds it.",
    },
    {
        name: "cacheHa",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        overrides: "cacheHa",
        parse: bool,
        description: `true | false: a replica with failover (Memorystore STANDARD_HA, changing it replaces the cache; ElastiCache replica). ${TIER_DEFAULT} ${presetText("cacheHa")}.`,
    },
    {
        name: "awsOidcProviderArn",
        type: "string",
        default: "",
        elsewhere: "it names an AWS IAM OIDC provider",
        clouds: AWS,
        parse: text(
            "the ARN of the account's GitHub OIDC provider: arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com",
            AWS_OIDC_PROVIDER_ARN,
        ),
        description:
            "AWS: ARN of the account's GitHub OIDC provider (one per account; the AWS bootstrap creates it, no stack owns it). Empty: the account's own, looked up.",
    },
    {
        name: "allowedCidrs",
        type: "array",
        default: [],
        elsewhere: "it restricts the AWS load balancer; on Google Cloud use IAP or the edge",
        clouds: AWS,
        parse: list,
        description:
            "AWS staging/production: IPv4 ranges allowed to reach the load balancer (required on staging unless runway:access is public).",
    },
    {
        name: "allowPlainHttp",
        type: "boolean",
        default: false,
        elsewhere:
            "it accepts an AWS load balancer without TLS; on Google Cloud production's edge needs runway:domain (or runway:edge false)",
        clouds: AWS,
        parse: bool,
        description: `true | false: AWS ${awsFargateTiers((a) => a.httpsRequired)}: serve the load balancer over plain HTTP without runway:domain (cookies and tokens in cleartext); without it such a tier refuses to plan until runway:domain is set. Refused with runway:domain (which gets HTTPS, HTTP redirecting) and on solo (a function URL is HTTPS).`,
    },
    {
        name: "domain",
        type: "string",
        default: "",
        clouds: GCP_AWS,
        parse: text("a domain such as app.example.com"),
        description:
            "Custom domain of the service (e.g. app.example.com). With the edge: its managed certificate and A record; without (solo, staging): a Cloud Run domain mapping. Empty: no custom domain (production's edge then refuses to plan). AWS staging/production: HTTPS on the load balancer with an ACM certificate (DNS validation; HTTP redirects).",
    },
    {
        name: "dnsZone",
        type: "string",
        default: "",
        elsewhere: "it names a Cloud DNS zone",
        clouds: GCP,
        parse: text("a Cloud DNS managed zone name (gcloud dns managed-zones list): lowercase letters, digits, hyphens", DNS_ZONE),
        description:
            "Cloud DNS managed zone (in gcp:project) where the stack creates the domain's record. Empty: create the record yourself from the dnsRecords output.",
    },
    {
        name: "edge",
        type: "string",
        default: "",
        elsewhere: "the edge is a Google Cloud load balancer with Cloud Armor; AWS production has its own WAF",
        clouds: GCP,
        overrides: "edge",
        parse: bool,
        description: `true | false: global HTTPS load balancer + Cloud Armor in front of the service; its ingress then admits only the load balancer (GCP; AWS production has its own WAF). ${TIER_DEFAULT} ${presetText("edge")}.`,
    },
    {
        name: "edgeWafSensitivity",
        type: "integer",
        default: EDGE_DEFAULTS.wafSensitivity,
        elsewhere: "it configures the Google Cloud edge (Cloud Armor)",
        clouds: GCP,
        parse: { kind: "number" },
        description: "Cloud Armor SQLi/XSS WAF sensitivity, 1 (fewest false positives) to 4 (every signature).",
    },
    {
        name: "edgeRateLimit",
        type: "integer",
        default: EDGE_DEFAULTS.rateLimitPerMinute,
        elsewhere: "it configures the Google Cloud edge (Cloud Armor)",
        clouds: GCP,
        parse: { kind: "number" },
        description: `Requests per minute one client IP may send through the edge before Cloud Armor answers 429 (${RATE_LIMIT_RANGE.min}-${RATE_LIMIT_RANGE.max}).`,
    },
    {
        name: "edgeDenyCountries",
        type: "array",
        default: [],
        elsewhere: "it configures the Google Cloud edge (Cloud Armor)",
        clouds: GCP,
        parse: list,
        description: 'ISO 3166-1 alpha-2 country codes the edge denies with 403, e.g. ["KP"].',
    },
    {
        name: "edgeDenyCidrs",
        type: "array",
        default: [],
        elsewhere: "it configures the Google Cloud edge (Cloud Armor)",
        clouds: GCP,
        parse: list,
        description: "Source IP ranges (CIDR) the edge denies with 403.",
    },
    {
        name: "edgePreview",
        type: "boolean",
        default: false,
        elsewhere: "it configures the Google Cloud edge (Cloud Armor)",
        clouds: GCP,
        parse: bool,
        description: "true: Cloud Armor only logs what its rules would do (try new rules before enforcing them).",
    },
    {
        name: "edgeLogSampleRate",
        type: "string",
        default: String(EDGE_DEFAULTS.logSampleRate),
        elsewhere: "it configures the Google Cloud edge (Cloud Armor)",
        clouds: GCP,
        parse: { kind: "number" },
        description: "Fraction of requests the edge's load balancer logs, 0 to 1.",
    },
    {
        name: "databaseUrl",
        type: "string",
        default: "",
        clouds: EVERYWHERE,
        secret: true,
        parse: { kind: "secret" },
        description:
            "External Postgres URL (set with --secret); stored in Secret Manager as DATABASE_URL. Empty: none (required when database is external).",
    },
] as const satisfies readonly ConfigKey[];

/** The name of a declared key. */
export type KeyName = (typeof CONFIG_KEYS)[number]["name"];

/** The declaration of `name`. */
export function configKey(name: KeyName): ConfigKey {
    return CONFIG_KEYS.find((k) => k.name === name)!;
}

/**
 * Object-valued key that Pulumi.yaml cannot declare (the project schema types only string,
 * integer, boolean and array): a map of env var name to secret value, each set with
 * `pulumi config set --secret --path 'runway:secrets.NAME' value`. Applies on every cloud.
 */
export const SECRETS_KEY = "secrets";

/**
 * `runway:usage`: overrides of the cost estimate's usage assumptions (rules/cost/usage.ts),
 * an object like `runway:secrets`, so it is not declared in Pulumi.yaml either.
 * @example pulumi config set --path runway:usage.requestsPerMonth 1000000
 */
export const USAGE_KEY = "usage";

/** A config value as Pulumi hands it to a program: strings as is, other defaults as text or JSON. */
export function asConfigText(value: ConfigKey["default"]): string {
    return typeof value === "string" ? value : Array.isArray(value) ? JSON.stringify(value) : String(value);
}

/** A key set on a cloud it does not apply to: refused (or, for `warnElsewhere` keys, warned about). */
export interface MisplacedKey {
    readonly key: ConfigKey;
    /** The value to show: "(hidden)" for credentials. */
    readonly shown: unknown;
}

/**
 * The `runway:*` keys set to something other than their default on a cloud where they do nothing.
 * An empty value counts as unset (it means "the default" for the keys that allow it).
 */
export function keysNotFor(cloud: Cloud, values: Readonly<Record<string, string>>): MisplacedKey[] {
    return CONFIG_KEYS.filter((k) => !(k.clouds as readonly Cloud[]).includes(cloud) && isSet(values, k)).map((k) => ({
        key: k,
        shown: "secret" in k && k.secret ? "(hidden)" : values[`runway:${k.name}`],
    }));
}

/** Whether `values` set `key` to something other than its declared default (an empty value is unset). */
export function isSet(values: Readonly<Record<string, string>>, key: ConfigKey): boolean {
    const value = values[`runway:${key.name}`];
    return value !== undefined && value.trim() !== "" && value !== asConfigText(key.default);
}

/** "gcp", "gcp and aws", "gcp, aws and local". */
export function cloudList(clouds: readonly Cloud[]): string {
    return clouds.length === 1 ? clouds[0] : `${clouds.slice(0, -1).join(", ")} and ${clouds[clouds.length - 1]}`;
}
