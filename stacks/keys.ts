/**
 * Every `runway:*` config key: name, Pulumi.yaml type, default and description. Pulumi.yaml
 * declares exactly these (a test keeps the two in step). Keys whose default is "" take the tier's
 * preset when unset: Pulumi fills a declared default into every stack, so a non-empty default would
 * silently beat the tier.
 */
export interface ConfigKey {
    readonly name: string;
    readonly type: "string" | "integer" | "boolean" | "array";
    readonly default: string | number | boolean | readonly string[];
    readonly description: string;
    /** The value is a credential: it must be set with --secret and is never printed. @default false */
    readonly secret?: boolean;
}

import { EDGE_DEFAULTS, RATE_LIMIT_RANGE } from "../components/gcp/edgeRules";

const TIER_DEFAULT = "Empty: the tier's preset";

export const CONFIG_KEYS: readonly ConfigKey[] = [
    { name: "cloud", type: "string", default: "gcp", description: "Where to deploy: gcp (Cloud Run), aws (solo: Lambda + function URL; staging/production: ECS Fargate behind an ALB; needs aws:region) or local (the Docker engine on this machine; see Pulumi.local.yaml)." },
    { name: "tier", type: "string", default: "solo", description: "solo | staging | production: sets every default below." },
    { name: "serviceName", type: "string", default: "app", description: "Cloud Run service name: lowercase letters, digits, hyphens; up to 49 characters." },
    { name: "image", type: "string", default: "", description: "Prebuilt container image to deploy (e.g. us-docker.pkg.dev/my-project/app/app:1.0). Empty: build runway:buildContext and deploy it by digest." },
    { name: "buildContext", type: "string", default: "app", description: "Directory (relative to the project) whose Dockerfile is built and pushed to the stack's registry when runway:image is empty." },
    { name: "dockerfile", type: "string", default: "", description: "Dockerfile to build, relative to the project. Empty: <buildContext>/Dockerfile." },
    { name: "buildTarget", type: "string", default: "", description: "Dockerfile stage to build (docker build --target). Empty: the last stage." },
    { name: "port", type: "integer", default: 8080, description: "Port the container listens on ($PORT)." },
    { name: "healthPath", type: "string", default: "/health", description: "HTTP path of the health endpoint used by probes and the uptime check." },
    { name: "env", type: "array", default: [], description: "Plain environment variables as NAME=value (never secrets: use runway:secrets)." },
    { name: "minInstances", type: "string", default: "", description: `Minimum instances. ${TIER_DEFAULT} (solo 0, staging 0, production 1). AWS: Fargate tasks (≥ 1; preset 1, 2); solo (Lambda) only 0.` },
    { name: "maxInstances", type: "string", default: "", description: `Maximum instances. ${TIER_DEFAULT} (solo 25, staging 10, production 100). AWS: Fargate tasks (preset 4, 20); solo: Lambda reserved concurrency (unset: the account pool).` },
    { name: "cpu", type: "string", default: "", description: `vCPUs per instance (1, 2, 4, 6, 8 or 0.08-0.99). ${TIER_DEFAULT} (1, 1, 2). AWS: Fargate vCPU 0.25-16 (preset 0.5, 1); refused on solo (Lambda: CPU follows memory).` },
    { name: "memory", type: "string", default: "", description: `Memory per instance (e.g. 512Mi, 1Gi). ${TIER_DEFAULT} (512Mi, 512Mi, 1Gi). AWS: Lambda 128Mi-10240Mi (preset 512Mi) or Fargate's table for the CPU (preset 1Gi, 2Gi).` },
    { name: "cpuIdle", type: "string", default: "", description: `true: CPU only during requests; false: always allocated. ${TIER_DEFAULT} (true, true, false).` },
    { name: "startupCpuBoost", type: "string", default: "", description: `true | false: extra CPU during start-up. ${TIER_DEFAULT} (true).` },
    { name: "concurrency", type: "string", default: "", description: `Requests per instance (1-1000). ${TIER_DEFAULT} (80).` },
    { name: "timeoutSeconds", type: "string", default: "", description: `Request timeout in seconds (1-3600). ${TIER_DEFAULT} (300). AWS: Lambda timeout (≤ 900) or the load balancer idle timeout.` },
    { name: "access", type: "string", default: "", description: `public | iap. ${TIER_DEFAULT} (public, iap, public). AWS: iap is refused; public opens a staging load balancer to the internet.` },
    { name: "iapMembers", type: "array", default: [], description: "Who may pass IAP when access is iap: user:, group:, domain: or serviceAccount: members." },
    { name: "iapDomains", type: "array", default: [], description: "Domains of the project's Google organisation: IAP members outside them are refused (IAP on Cloud Run signs in only the organisation's identities). Empty: not checked, and plans with IAP warn." },
    { name: "privateEgress", type: "string", default: "", description: `true | false: Direct VPC egress to private ranges. ${TIER_DEFAULT} (false, true, true).` },
    { name: "staticEgressIp", type: "boolean", default: false, description: "Route all egress through Cloud NAT with a reserved IP (needs privateEgress)." },
    { name: "registryKeepCount", type: "string", default: "", description: `Newest images the registry keeps. ${TIER_DEFAULT} (5, 10, 30).` },
    { name: "untaggedImageDays", type: "string", default: "", description: `Delete untagged images older than this many days. ${TIER_DEFAULT} (7).` },
    { name: "ignoreImageChanges", type: "boolean", default: false, description: "true when CI deploys images: pulumi up then leaves the running image alone." },
    { name: "protect", type: "string", default: "", description: `true | false: deletion protection and protect on stateful resources. ${TIER_DEFAULT} (false, false, true).` },
    { name: "budgetAmount", type: "string", default: "", description: `Monthly budget in budgetCurrency. ${TIER_DEFAULT} (20, 100, 500).` },
    { name: "budgetCurrency", type: "string", default: "USD", description: "ISO 4217 currency of the budget; must match the billing account's currency." },
    { name: "billingAccount", type: "string", default: "", description: "GCP billing account id (XXXXXX-XXXXXX-XXXXXX) that holds the budget. Required on gcp; empty on aws." },
    { name: "alerts", type: "string", default: "", description: `budget | service | full. ${TIER_DEFAULT} (budget, service, full).` },
    { name: "alertEmails", type: "array", default: [], description: "Emails for budget and service alerts; required when alerts is service or full." },
    { name: "pagerDutyServiceKey", type: "string", default: "", description: "PagerDuty integration key (set with --secret) for the full alert level. Empty: no PagerDuty channel.", secret: true },
    { name: "githubRepository", type: "string", default: "", description: "owner/repo of the app: the stack manages its deploy workflow, environment and variables (needs GITHUB_TOKEN) and trusts it through Workload Identity Federation; empty: no CI identity." },
    { name: "githubReviewers", type: "array", default: [], description: "GitHub users who approve production deployments (required for production when githubRepository is set)." },
    { name: "defaultBranch", type: "string", default: "main", description: "Default branch: solo and production deploy from it." },
    { name: "stagingBranch", type: "string", default: "staging", description: "Branch that deploys the staging tier." },
    { name: "database", type: "string", default: "none", description: "none | external (URL from runway:databaseUrl; the cheap choice for solo) | managed (Cloud SQL / RDS PostgreSQL on a private IP; not on AWS solo)." },
    { name: "databaseMachine", type: "string", default: "", description: `Cloud SQL machine: db-f1-micro, db-g1-small or db-custom-<vCPU>-<MB>. ${TIER_DEFAULT} (db-f1-micro, db-f1-micro, db-custom-2-7680).` },
    { name: "databaseHa", type: "string", default: "", description: `true | false: regional HA standby (×2 price). ${TIER_DEFAULT} (false, false, true).` },
    { name: "databaseBackups", type: "string", default: "", description: `Daily backups retained (0-365; production needs ≥ 1). ${TIER_DEFAULT} (7, 7, 30).` },
    { name: "databasePitr", type: "string", default: "", description: `true | false: point-in-time recovery. ${TIER_DEFAULT} (false, false, true).` },
    { name: "databaseReadReplica", type: "boolean", default: false, description: "Add a read replica (needs databaseHa)." },
    { name: "databaseVersion", type: "string", default: "POSTGRES_16", description: "PostgreSQL major version (POSTGRES_14-17); upgrades happen in place." },
    { name: "databaseDiskGb", type: "integer", default: 10, description: "Cloud SQL SSD size in GB (grows automatically, never shrinks)." },
    { name: "cache", type: "string", default: "none", description: "none | managed (Memorystore for Redis / ElastiCache for Valkey on a private IP, TLS + AUTH; REDIS_URL as a secret; not on AWS solo)." },
    { name: "cacheSizeGb", type: "integer", default: 1, description: "Memorystore capacity in GB (1-300)." },
    { name: "cacheHa", type: "string", default: "", description: `true | false: STANDARD_HA instead of BASIC (changing it replaces the cache). ${TIER_DEFAULT} (false, false, true).` },
    { name: "awsOidcProviderArn", type: "string", default: "", description: "AWS: ARN of the account's existing GitHub OIDC provider (one per account: the first stack creates it, the others set this). Empty: create it." },
    { name: "allowedCidrs", type: "array", default: [], description: "AWS staging/production: IPv4 ranges allowed to reach the load balancer (required on staging unless runway:access is public)." },
    { name: "domain", type: "string", default: "", description: "Custom domain of the service (e.g. app.example.com). With the edge: its managed certificate and A record; without (solo, staging): a Cloud Run domain mapping. Empty: no custom domain (production's edge then refuses to plan). AWS staging/production: HTTPS on the load balancer with an ACM certificate (DNS validation; HTTP redirects)." },
    { name: "dnsZone", type: "string", default: "", description: "Cloud DNS managed zone (in gcp:project) where the stack creates the domain's record. Empty: create the record yourself from the dnsRecords output." },
    { name: "edge", type: "string", default: "", description: `true | false: global HTTPS load balancer + Cloud Armor in front of the service; its ingress then admits only the load balancer (GCP). ${TIER_DEFAULT} (false, false, true).` },
    { name: "edgeWafSensitivity", type: "integer", default: EDGE_DEFAULTS.wafSensitivity, description: "Cloud Armor SQLi/XSS WAF sensitivity, 1 (fewest false positives) to 4 (every signature)." },
    { name: "edgeRateLimit", type: "integer", default: EDGE_DEFAULTS.rateLimitPerMinute, description: `Requests per minute one client IP may send through the edge before Cloud Armor answers 429 (${RATE_LIMIT_RANGE.min}-${RATE_LIMIT_RANGE.max}).` },
    { name: "edgeDenyCountries", type: "array", default: [], description: "ISO 3166-1 alpha-2 country codes the edge denies with 403, e.g. [\"KP\"]." },
    { name: "edgeDenyCidrs", type: "array", default: [], description: "Source IP ranges (CIDR) the edge denies with 403." },
    { name: "edgePreview", type: "boolean", default: false, description: "true: Cloud Armor only logs what its rules would do (try new rules before enforcing them)." },
    { name: "edgeLogSampleRate", type: "string", default: String(EDGE_DEFAULTS.logSampleRate), description: "Fraction of requests the edge's load balancer logs, 0 to 1." },
    { name: "databaseUrl", type: "string", default: "", description: "External Postgres URL (set with --secret); stored in Secret Manager as DATABASE_URL. Empty: none (required when database is external).", secret: true },
];

/**
 * Object-valued key that Pulumi.yaml cannot declare (the project schema types only string,
 * integer, boolean and array): a map of env var name to secret value, each set with
 * `pulumi config set --secret --path 'runway:secrets.NAME' value`.
 */
export const SECRETS_KEY = "secrets";

/**
 * `runway:usage`: overrides of the cost estimate's usage assumptions (components/cost/usage.ts),
 * an object like `runway:secrets`, so it is not declared in Pulumi.yaml either.
 * @example pulumi config set --path runway:usage.requestsPerMonth 1000000
 */
export const USAGE_KEY = "usage";

/**
 * Keys the local target (`runway:cloud = local`) reads; every other key is refused there unless it
 * keeps its declared default, so no key silently does nothing.
 */
export const LOCAL_KEYS: readonly string[] = [
    "cloud", "serviceName", "image", "buildContext", "dockerfile", "buildTarget", "port", "healthPath", "env",
    "database", "databaseUrl", "cache", SECRETS_KEY, USAGE_KEY,
];

/** A config value as Pulumi hands it to a program: strings as is, other defaults as text or JSON. */
function asConfigText(value: ConfigKey["default"]): string {
    return typeof value === "string" ? value : Array.isArray(value) ? JSON.stringify(value) : String(value);
}

/** The `runway:*` keys set to something other than their default that the local target would ignore. */
export function keysNotForLocal(values: Readonly<Record<string, string>>): { name: string; shown: unknown; default: ConfigKey["default"] }[] {
    return CONFIG_KEYS.filter((k) => !LOCAL_KEYS.includes(k.name)).flatMap((k) => {
        const value = values[`runway:${k.name}`];
        if (value === undefined || value.trim() === "" || value === asConfigText(k.default)) return [];
        // Secret keys are named, never echoed.
        return [{ name: k.name, shown: k.name === "pagerDutyServiceKey" ? "(hidden)" : value, default: k.default }];
    });
}
