/**
 * Issue #15: every key declared in Pulumi.yaml changes the planned resources on each cloud it claims
 * (its declaration's `clouds`), so no key silently does nothing. For each key × cloud: the Runway
 * program runs twice under the recording mock runtime (the offline plan's engine) with the same base
 * config, once with the key changed, and the resources (types, names, inputs, options) must differ.
 * The program module stays loaded between runs (each run costs only its registrations).
 */
import { expect } from "chai";
import * as path from "path";
import { ProgramRun, recordProgram } from "../plan/engine";
import { loadProjectConfig } from "../plan/engine/project";
import { CONFIG_KEYS, Cloud, ConfigKey } from "../stacks/keys";

const ROOT = path.resolve(__dirname, "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const program = (): (() => unknown) => require("../stacks/index");

type Values = Record<string, string>;
interface Probe {
    /** Base config for this key on this cloud (added to the cloud's base). */
    readonly with?: Values;
    /** The key's changed value (JSON for lists). */
    readonly value: string;
    /** Set as a secret (`pulumi config set --secret`). */
    readonly secret?: boolean;
    /** Keys that must change with it (a credential whose value never shows needs its mode switched on). */
    readonly along?: Values;
    /**
     * A validation key: its effect is a refusal naming it (e.g. IAP members outside runway:iapDomains),
     * of a config that plans without it. @default false
     */
    readonly refuses?: boolean;
}

const ECR_IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:${"a".repeat(64)}`;
const list = (...items: string[]) => JSON.stringify(items);

const GCP_IMAGE = "us-docker.pkg.dev/cloudrun/container/hello:latest";
/** Each cloud's smallest base: the solo stack file without its GitHub repository, deploying a prebuilt image (a build costs a run ~25 ms). */
const BASE: Record<Cloud, { stack: string; values: Values }> = {
    gcp: {
        stack: "solo",
        values: {
            "runway:githubRepository": "",
            "runway:githubOwnerId": "",
            "runway:githubRepositoryId": "",
            "runway:githubVisibility": "",
            "runway:image": GCP_IMAGE,
        },
    },
    aws: {
        stack: "solo",
        values: {
            "runway:cloud": "aws",
            "aws:region": "us-east-1",
            "runway:githubRepository": "",
            "runway:githubOwnerId": "",
            "runway:githubRepositoryId": "",
            "runway:githubVisibility": "",
            "runway:image": ECR_IMAGE,
        },
    },
    local: { stack: "local", values: { "runway:database": "none", "runway:cache": "none" } },
};

/** Build `runway:buildContext` instead of deploying the base's prebuilt image. */
const BUILD: Values = { "runway:image": "" };
const AWS_FARGATE: Values = { "runway:tier": "staging", "runway:access": "public" };
const GCP_IAP: Values = { "runway:tier": "staging", "runway:iapMembers": list("group:team@example.com") };
const GITHUB: Values = {
    "runway:githubRepository": "example-org/example-app",
    "runway:githubOwnerId": "1000001",
    "runway:githubRepositoryId": "2000002",
    "runway:githubVisibility": "public",
};
const EDGE: Values = { "runway:edge": "true", "runway:domain": "app.example.com" };
const MANAGED_DB: Values = { "runway:database": "managed" };
const MANAGED_CACHE: Values = { "runway:cache": "managed" };

/** How to change each key, per cloud (a `*` entry serves every cloud the key claims). */
const PROBES: Record<string, Partial<Record<Cloud | "*", Probe>>> = {
    tier: {
        gcp: { value: "staging", with: { "runway:access": "public" } },
        aws: { value: "staging", with: { "runway:access": "public" } },
    },
    serviceName: { "*": { value: "web" } },
    stackInNames: { gcp: { value: "false" } },
    runtime: { gcp: { value: "kubernetes" }, aws: { value: "kubernetes" } },
    image: {
        gcp: { value: `${GCP_IMAGE.replace(/:latest$/, "")}:v2` },
        aws: { value: ECR_IMAGE.replace(/a{64}$/, "b".repeat(64)) },
        local: { value: "nginxinc/nginx-unprivileged:1.27" },
    },
    buildContext: { "*": { value: "examples/two-services-gcp/services", with: BUILD } },
    dockerfile: { "*": { value: "examples/two-services-gcp/services/Dockerfile", with: BUILD } },
    buildTarget: { "*": { value: "deps", with: BUILD } },
    port: { "*": { value: "9090" } },
    healthPath: { "*": { value: "/healthz" } },
    env: { "*": { value: list("GREETING=hello") } },
    minInstances: { gcp: { value: "2" }, aws: { value: "3", with: AWS_FARGATE } },
    maxInstances: { gcp: { value: "7" }, aws: { value: "7" } },
    cpu: { gcp: { value: "2" }, aws: { value: "0.25", with: AWS_FARGATE } },
    memory: { gcp: { value: "1Gi" }, aws: { value: "1Gi" } },
    cpuIdle: { gcp: { value: "false" } },
    startupCpuBoost: { gcp: { value: "false" } },
    concurrency: { gcp: { value: "20" } },
    timeoutSeconds: { gcp: { value: "60" }, aws: { value: "60" } },
    access: {
        gcp: { value: "iap", with: { "runway:iapMembers": list("group:team@example.com") } },
        aws: {
            value: "public",
            with: { "runway:tier": "staging", "runway:allowedCidrs": list("203.0.113.0/24") },
            along: { "runway:allowedCidrs": "[]" },
        },
    },
    iapMembers: { gcp: { value: list("group:ops@example.com"), with: GCP_IAP } },
    iapDomains: { gcp: { value: list("example.org"), with: GCP_IAP, refuses: true } },
    privateEgress: { gcp: { value: "true" } },
    staticEgressIp: { gcp: { value: "true", with: { "runway:privateEgress": "true" } } },
    // Below solo's 25 instances: the quota refuses the maximum it used to allow.
    directVpcInstanceQuota: { gcp: { value: "20", with: { "runway:privateEgress": "true" }, refuses: true } },
    registryKeepCount: { gcp: { value: "9" }, aws: { value: "9" } },
    untaggedImageDays: { gcp: { value: "3" }, aws: { value: "3" } },
    ignoreImageChanges: { gcp: { value: "false" }, aws: { value: "false" } },
    protect: { gcp: { value: "true" }, aws: { value: "true" } },
    budgetAmount: { gcp: { value: "33" }, aws: { value: "33" } },
    budgetCurrency: { gcp: { value: "EUR" } },
    billingAccount: { gcp: { value: "0123AB-4567CD-89EF01" } },
    alerts: { gcp: { value: "service" }, aws: { value: "service" } },
    alertEmails: { gcp: { value: list("ops@example.com") }, aws: { value: list("ops@example.com") } },
    pagerDutyServiceKey: { "*": { value: "pd-integration-key", secret: true, with: { "runway:alerts": "full" } } },
    githubRepository: {
        gcp: {
            value: "example-org/other-app",
            along: { "runway:githubOwnerId": "1000001", "runway:githubRepositoryId": "2000002", "runway:githubVisibility": "public" },
        },
        aws: { value: "example-org/other-app", along: { "runway:githubRepositoryId": "2000002", "runway:githubVisibility": "public" } },
    },
    // What GitHub sells the repository: a private one on Free cannot have the default branch's protection.
    githubVisibility: { "*": { value: "private", with: { ...GITHUB, "runway:githubPlan": "free" }, refuses: true } },
    githubPlan: {
        "*": { value: "free", with: { ...GITHUB, "runway:githubVisibility": "private", "runway:githubPlan": "pro" }, refuses: true },
    },
    githubOwnerId: { gcp: { value: "1000009", with: GITHUB } },
    githubRepositoryId: { "*": { value: "2000009", with: GITHUB } },
    githubReviewers: {
        "*": { value: list("ana"), with: { ...GITHUB, "runway:tier": "staging", "runway:access": "public", "runway:iapMembers": "[]" } },
    },
    defaultBranch: { "*": { value: "trunk", with: GITHUB } },
    stagingBranch: { "*": { value: "next", with: { ...GITHUB, "runway:tier": "staging", "runway:access": "public" } } },
    infraDirectory: { "*": { value: "infra", with: GITHUB } },
    previewStacks: { "*": { value: list("solo", "demo"), with: GITHUB } },
    database: { gcp: { value: "managed" }, aws: { value: "managed", with: AWS_FARGATE }, local: { value: "managed" } },
    databaseMachine: {
        gcp: { value: "db-g1-small", with: MANAGED_DB },
        aws: { value: "db.t4g.small", with: { ...AWS_FARGATE, ...MANAGED_DB } },
    },
    databaseHa: { gcp: { value: "true", with: MANAGED_DB }, aws: { value: "true", with: { ...AWS_FARGATE, ...MANAGED_DB } } },
    databaseBackups: { gcp: { value: "3", with: MANAGED_DB }, aws: { value: "3", with: { ...AWS_FARGATE, ...MANAGED_DB } } },
    databasePitr: {
        gcp: { value: "true", with: MANAGED_DB },
        aws: { value: "false", with: { ...AWS_FARGATE, ...MANAGED_DB }, refuses: true },
    },
    databaseReadReplica: { gcp: { value: "true", with: { ...MANAGED_DB, "runway:databaseHa": "true" } } },
    databaseVersion: {
        gcp: { value: "POSTGRES_17", with: MANAGED_DB },
        aws: { value: "POSTGRES_17", with: { ...AWS_FARGATE, ...MANAGED_DB } },
    },
    databaseDiskGb: { gcp: { value: "50", with: MANAGED_DB }, aws: { value: "50", with: { ...AWS_FARGATE, ...MANAGED_DB } } },
    databaseMaxDiskGb: { aws: { value: "500", with: { ...AWS_FARGATE, ...MANAGED_DB } } },
    cache: { gcp: { value: "managed" }, aws: { value: "managed", with: AWS_FARGATE }, local: { value: "managed" } },
    cacheSizeGb: { gcp: { value: "5", with: MANAGED_CACHE }, aws: { value: "5", with: { ...AWS_FARGATE, ...MANAGED_CACHE } } },
    cacheHa: { gcp: { value: "true", with: MANAGED_CACHE }, aws: { value: "true", with: { ...AWS_FARGATE, ...MANAGED_CACHE } } },
    awsOidcProviderArn: {
        aws: { value: "arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", with: GITHUB },
    },
    allowedCidrs: {
        aws: { value: list("198.51.100.0/24"), with: { "runway:tier": "staging", "runway:allowedCidrs": list("203.0.113.0/24") } },
    },
    domain: { gcp: { value: "app.example.com" }, aws: { value: "app.example.com", with: AWS_FARGATE } },
    // Its effect is that production plans at all without a domain (tests/aws.test.ts); here: refused beside one.
    allowPlainHttp: { aws: { value: "true", with: { "runway:tier": "production", "runway:domain": "app.example.com" }, refuses: true } },
    dnsZone: { gcp: { value: "example-zone", with: { "runway:domain": "app.example.com" } } },
    edge: { gcp: { value: "true", with: { "runway:domain": "app.example.com" } } },
    edgeWafSensitivity: { gcp: { value: "2", with: EDGE } },
    edgeRateLimit: { gcp: { value: "300", with: EDGE } },
    edgeDenyCountries: { gcp: { value: list("KP"), with: EDGE } },
    edgeDenyCidrs: { gcp: { value: list("198.51.100.0/24"), with: EDGE } },
    edgePreview: { gcp: { value: "true", with: EDGE } },
    edgeLogSampleRate: { gcp: { value: "0.5", with: EDGE } },
    databaseUrl: { "*": { value: "postgres://app:pw@db.example.com/app", secret: true, along: { "runway:database": "external" } } },
    migrationCommand: { gcp: { value: list("npm", "run", "migrate") }, aws: { value: list("npm", "run", "migrate"), with: AWS_FARGATE } },
    canaryPercent: { gcp: { value: "20", with: GITHUB }, aws: { value: "20", with: AWS_FARGATE } },
    canaryMinutes: {
        gcp: { value: "15", with: { ...GITHUB, "runway:canaryPercent": "10" } },
        aws: { value: "15", with: { ...AWS_FARGATE, "runway:canaryPercent": "10" } },
    },
};

const runs = new Map<string, Promise<ProgramRun>>();
/** Runs go one at a time: the mock runtime is process-wide. */
let queue: Promise<unknown> = Promise.resolve();

/** The program's resources for `values` on top of the stack file (cached: bases are shared). */
function resources(stack: string, values: Values, secrets: Values = {}): Promise<string> {
    const key = JSON.stringify([stack, values, secrets]);
    if (!runs.has(key)) {
        const project = loadProjectConfig(ROOT, stack, values, secrets);
        const run = queue.then(() =>
            recordProgram(program(), { project: project.project, stack, config: project.config, secretKeys: project.secretKeys }),
        );
        queue = run.catch(() => undefined);
        runs.set(key, run);
    }
    return runs.get(key)!.then((run) =>
        JSON.stringify(
            run.resources.map(({ type, name, inputs, protect, ignoreChanges, dependencies }) => ({
                type,
                name,
                inputs,
                protect,
                ignoreChanges,
                dependencies,
            })),
        ),
    );
}

const claims = (CONFIG_KEYS as readonly ConfigKey[]).flatMap((k) => k.clouds.map((cloud) => [k, cloud] as const));

describe("every config key changes the planned resources on each cloud it claims", function () {
    this.timeout(120_000);

    it("has a probe for every key × cloud it claims (a new key needs one here)", () => {
        const missing = claims
            .filter(([k, cloud]) => k.name !== "cloud" && !(PROBES[k.name]?.[cloud] ?? PROBES[k.name]?.["*"]))
            .map(([k, cloud]) => `${k.name} on ${cloud}`);
        expect(missing).to.deep.equal([]);
    });

    it("runway:cloud: each cloud plans different resources", async () => {
        const [gcp, aws, local] = await Promise.all(
            (["gcp", "aws", "local"] as const).map((c) => resources(BASE[c].stack, BASE[c].values)),
        );
        expect(new Set([gcp, aws, local]).size).to.equal(3);
    });

    for (const [key, cloud] of claims.filter(([k]) => k.name !== "cloud")) {
        const probe = PROBES[key.name]?.[cloud] ?? PROBES[key.name]?.["*"];
        if (!probe) continue;
        it(`runway:${key.name} on ${cloud}`, async () => {
            const { stack, values } = BASE[cloud];
            const base = { ...values, ...probe.with };
            const full = `runway:${key.name}`;
            const changed = { ...base, ...probe.along, ...(probe.secret ? {} : { [full]: probe.value }) };
            const before = await resources(stack, base);
            const after = resources(stack, changed, probe.secret ? { [full]: probe.value } : {});
            if (probe.refuses) {
                const refusal = await after.then(
                    () => undefined,
                    (err: Error) => err.message,
                );
                expect(refusal, `runway:${key.name}=${probe.value} on ${cloud} was accepted`).to.be.a("string").and.include(key.name);
            } else {
                expect(await after, `runway:${key.name}=${probe.value} on ${cloud} changed nothing`).to.not.equal(before);
            }
        });
    }
});
