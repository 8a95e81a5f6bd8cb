import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Problem, throwIfProblems } from "../../rules/problems";
import { CLOUD_RUN_SERVICE_NAME, SERVICE_NAME_ALLOWED } from "../../rules/patterns";
import { DIRECT_VPC_DEFAULT_INSTANCE_QUOTA, directVpcInstanceProblems } from "../../rules/gcp/directVpc";
import { Access, Tier, TierSettings, componentTier, resolveTier, tierProblems } from "../../rules/profile";
import { iapMemberProblems } from "./iap";
import { checkServiceShape, executionEnvironmentFor } from "../../rules/gcp/limits";
import { SERVICE_ACCOUNT_ID, SERVICE_ACCOUNT_ID_ALLOWED, serviceAccountId } from "./names";
import { MANAGED_BY, RunwayComponent, keyedEntries } from "../base";

export interface ServiceArgs {
    /** Cloud Run region. @example "us-central1" */
    readonly region: pulumi.Input<string>;
    /** Project id. @default the provider's project */
    readonly project?: pulumi.Input<string>;
    /** Image to run, ideally by digest. @example "us-central1-docker.pkg.dev/p/app/app@sha256:..." */
    readonly image: pulumi.Input<string>;
    /** Cloud Run service name. @default the component name */
    readonly serviceName?: string;
    /**
     * Id of the runtime service account (unique in the project: give each stack its own, e.g. with
     * `stackScopedId(name, stack, "run", 30)`). @default `<serviceName>-run` (shortened with a hash past 30 characters)
     */
    readonly runtimeAccountId?: string;
    /** Tier whose presets fill every setting not given here. @default "solo" */
    readonly tier?: Tier;
    /** Container port. @default 8080 */
    readonly port?: number;
    /** Health endpoint for the startup and liveness probes. @default "/health" */
    readonly healthPath?: string;
    /** Plain environment variables. @default {} @example { LOG_LEVEL: "info" } */
    readonly env?: Record<string, pulumi.Input<string>>;
    /**
     * Env vars read from Secret Manager: env name → secret id (`projects/p/secrets/s` or `s`). The
     * runtime service account gets `secretAccessor` on exactly these secrets.
     * @default {}
     * @example { DATABASE_URL: secrets.secretIds["DATABASE_URL"] }
     */
    readonly secretEnv?: Record<string, pulumi.Input<string>>;
    /**
     * The secret versions `secretEnv` reads at `latest`: the service waits for them, so the first
     * revision never starts before its secrets have a value.
     * @default []
     * @example Object.values(secrets.versions)
     */
    readonly secretVersions?: pulumi.Resource[];
    /** @default tier preset (solo 0, staging 0, production 1) */
    readonly minInstances?: number;
    /** @default tier preset (solo 25, staging 10, production 100) */
    readonly maxInstances?: number;
    /** vCPUs. @default tier preset ("1", "1", "2") */
    readonly cpu?: string;
    /** @default tier preset ("512Mi", "512Mi", "1Gi") */
    readonly memory?: string;
    /** CPU only during requests (request-based billing). @default tier preset (true, true, false) */
    readonly cpuIdle?: boolean;
    /** @default true */
    readonly startupCpuBoost?: boolean;
    /** @default 80 */
    readonly concurrency?: number;
    /** @default 300 */
    readonly timeoutSeconds?: number;
    /** "public" (allUsers may invoke) or "iap" (IAP, only `iapMembers`). @default tier preset */
    readonly access?: Access;
    /** Members allowed through IAP. @default [] (required when access is iap) @example ["user:ana@example.com", "group:qa@example.com"] */
    readonly iapMembers?: pulumi.Input<string>[];
    /**
     * Domains of the project's Google organisation. IAP on Cloud Run signs in only the organisation's
     * identities (outside users need a custom OAuth client), so `iapMembers` outside these are refused.
     * @default [] (not checked) @example ["example.com"]
     */
    readonly iapDomains?: string[];
    /** VPC network for Direct VPC egress. @default none: no VPC access */
    readonly vpcNetwork?: pulumi.Input<string>;
    /** Subnetwork for Direct VPC egress. @default none (required with `vpcNetwork`) */
    readonly vpcSubnetwork?: pulumi.Input<string>;
    /**
     * The project's Direct VPC egress instance quota per revision in this region (console: Quotas &
     * System Limits). With `vpcNetwork`, `maxInstances` above it is refused: Cloud Run would reject the
     * revision. @default 100 (Google documents 100–200 by region: https://cloud.google.com/run/quotas)
     */
    readonly directVpcInstanceQuota?: number;
    /** "PRIVATE_RANGES_ONLY" or "ALL_TRAFFIC" (through Cloud NAT, for a static IP). @default "PRIVATE_RANGES_ONLY" */
    readonly vpcEgress?: "PRIVATE_RANGES_ONLY" | "ALL_TRAFFIC";
    /** Deletion protection on the service and `protect` on it. @default tier preset (production only) */
    readonly protect?: boolean;
    /** Leave image, client and traffic to CI: `pulumi up` stops reverting CI deployments. @default false */
    readonly ignoreImageChanges?: boolean;
    /** Who may reach the service: anyone (`all`), or only internal traffic and Cloud load balancers (`internal-and-load-balancer`, behind an edge). @default "all" */
    readonly ingress?: "all" | "internal-and-load-balancer";
    /** Where IAP runs when access is iap: on the service, or on the load balancer's backend (the edge grants `iapMembers` there). @default "service" */
    readonly iapAt?: "service" | "loadBalancer";
    /** Extra labels for the service. @default {} */
    readonly labels?: Record<string, string>;
}

/** Settings a Service runs with once the tier preset and explicit args are combined. */
export function resolveServiceSettings(name: string, args: ServiceArgs): TierSettings {
    const problems: Problem[] = [...tierProblems(args.tier, `Service(${name}).tier`)];
    const settings = resolveTier(componentTier(args.tier, "solo"), {
        minInstances: args.minInstances,
        maxInstances: args.maxInstances,
        cpu: args.cpu,
        memory: args.memory,
        cpuIdle: args.cpuIdle,
        startupCpuBoost: args.startupCpuBoost,
        concurrency: args.concurrency,
        timeoutSeconds: args.timeoutSeconds,
        access: args.access,
        protect: args.protect,
    });
    problems.push(...checkServiceShape(settings, (field) => `Service(${name}).${field}`));
    if (settings.access !== "public" && settings.access !== "iap") {
        problems.push({ key: `Service(${name}).access`, value: settings.access, allowed: "public or iap" });
    }
    if (settings.access === "iap") {
        const plainMembers = (args.iapMembers ?? []).filter((m): m is string => typeof m === "string");
        problems.push(...iapMemberProblems(plainMembers, args.iapDomains ?? [], `Service(${name}).iapMembers`));
    }
    if (settings.access === "iap" && (args.iapMembers ?? []).length === 0) {
        problems.push({
            key: `Service(${name}).iapMembers`,
            value: args.iapMembers ?? [],
            allowed: "at least one member when access is iap",
        });
    }
    const serviceName = args.serviceName ?? name;
    if (!CLOUD_RUN_SERVICE_NAME.test(serviceName)) {
        problems.push({ key: `Service(${name}).serviceName`, value: serviceName, allowed: SERVICE_NAME_ALLOWED });
    }
    if (args.vpcNetwork !== undefined)
        problems.push(
            ...directVpcInstanceProblems(
                settings.maxInstances,
                args.directVpcInstanceQuota ?? DIRECT_VPC_DEFAULT_INSTANCE_QUOTA,
                `Service(${name}).maxInstances`,
                `Service(${name}).directVpcInstanceQuota`,
            ),
        );
    if ((args.vpcNetwork === undefined) !== (args.vpcSubnetwork === undefined)) {
        problems.push({
            key: `Service(${name}).vpcSubnetwork`,
            value: args.vpcSubnetwork === undefined ? undefined : "(set)",
            allowed: "vpcNetwork and vpcSubnetwork together, or neither",
        });
    }
    if (args.runtimeAccountId !== undefined && !SERVICE_ACCOUNT_ID.test(args.runtimeAccountId)) {
        problems.push({ key: `Service(${name}).runtimeAccountId`, value: args.runtimeAccountId, allowed: SERVICE_ACCOUNT_ID_ALLOWED });
    }
    if (args.port !== undefined && (!Number.isInteger(args.port) || args.port < 1 || args.port > 65535)) {
        problems.push({ key: `Service(${name}).port`, value: args.port, allowed: "a port from 1 to 65535" });
    }
    throwIfProblems(`Invalid arguments for runway:gcp:Service "${name}"`, problems);
    return settings;
}

/**
 * A Cloud Run v2 service with its own runtime service account, probes on the health path,
 * tier-aware scaling, secret env from Secret Manager, optional Direct VPC egress and public or
 * IAP access. Public means the invoker IAM check is off (`invokerIamDisabled`), not an `allUsers`
 * grant, so it works in organisations that enforce domain-restricted sharing.
 *
 * @example
 * const svc = new gcp.Service("web", { region: "us-central1", image, tier: "production" });
 * export const url = svc.url;
 */
export class Service extends RunwayComponent {
    /** The Cloud Run service. */
    public readonly service: gcp.cloudrunv2.Service;
    /** Identity the revisions run as; has no roles beyond what Runway grants it. */
    public readonly runtimeServiceAccount: gcp.serviceaccount.Account;
    /** The service's https URL. */
    public readonly url: pulumi.Output<string>;
    /** The Cloud Run service name. */
    public readonly serviceName: pulumi.Output<string>;
    /** `serviceAccount:<email>` of the runtime identity, for IAM grants elsewhere. */
    public readonly runtimeMember: pulumi.Output<string>;
    /** The settings after the tier preset and explicit args were combined. */
    public readonly settings: TierSettings;

    constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:Service", name, opts);
        const settings = resolveServiceSettings(name, args);
        this.settings = settings;
        const serviceName = args.serviceName ?? name;
        const iapOnService = settings.access === "iap" && args.iapAt !== "loadBalancer";

        this.runtimeServiceAccount = new gcp.serviceaccount.Account(
            `${name}-runtime`,
            {
                project: args.project,
                accountId: args.runtimeAccountId ?? serviceAccountId(serviceName, "run"),
                displayName: `Runtime identity of Cloud Run service ${serviceName}`,
            },
            { parent: this },
        );
        this.runtimeMember = pulumi.interpolate`serviceAccount:${this.runtimeServiceAccount.email}`;

        const secretGrants = Object.entries(args.secretEnv ?? {}).map(
            ([envName, secretId]) =>
                new gcp.secretmanager.SecretIamMember(
                    `${name}-secret-${envName.toLowerCase()}`,
                    {
                        project: args.project,
                        secretId,
                        role: "roles/secretmanager.secretAccessor",
                        member: this.runtimeMember,
                    },
                    { parent: this },
                ),
        );

        this.service = new gcp.cloudrunv2.Service(
            `${name}-service`,
            {
                name: serviceName,
                project: args.project,
                location: args.region,
                ingress: args.ingress === "internal-and-load-balancer" ? "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" : "INGRESS_TRAFFIC_ALL",
                deletionProtection: settings.protect,
                iapEnabled: iapOnService,
                // Public without an allUsers binding: new organisations enforce domain-restricted sharing
                // (iam.allowedPolicyMemberDomains), which refuses allUsers in any IAM policy.
                invokerIamDisabled: settings.access === "public" ? true : undefined,
                // No launchStage: IAP on Cloud Run is GA, and the API fills in the stage it observes
                // (default_from_api), so a pinned "BETA" showed as a change on every preview.
                labels: { ...MANAGED_BY, ...(args.labels ?? {}) },
                // Minimum instances at service level: on the revision template they would keep every
                // tagged revision warm (and holding Direct VPC addresses) as well as the serving one.
                scaling: serviceScaling(settings),
                template: serviceTemplate(args, settings, this.runtimeServiceAccount.email),
                traffics: [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }],
            },
            {
                parent: this,
                protect: settings.protect,
                dependsOn: [...secretGrants, ...(args.secretVersions ?? [])],
                ignoreChanges: args.ignoreImageChanges
                    ? ["template.containers[0].image", "client", "clientVersion", "traffics"]
                    : undefined,
            },
        );
        this.url = this.service.uri;
        this.serviceName = this.service.name;

        this.grantAccess(name, args, settings);
        this.registerOutputs({ url: this.url, serviceName: this.serviceName, runtimeMember: this.runtimeMember });
    }

    private grantAccess(name: string, args: ServiceArgs, settings: TierSettings): void {
        const scope = { project: this.service.project, location: this.service.location };
        // Public: the service skips the invoker check (invokerIamDisabled), no IAM grant needed.
        if (settings.access === "public") return;
        // IAP calls the service as its service agent, which needs run.invoker. The agent exists
        // only once asked for, so the stack creates it rather than guessing its email.
        const iapAgent = new gcp.projects.ServiceIdentity(
            `${name}-iap-agent`,
            {
                project: this.service.project,
                service: "iap.googleapis.com",
            },
            { parent: this },
        );
        new gcp.cloudrunv2.ServiceIamMember(
            `${name}-iap-invoker`,
            {
                ...scope,
                name: this.service.name,
                role: "roles/run.invoker",
                member: iapAgent.member,
            },
            { parent: this },
        );
        if (args.iapAt === "loadBalancer") return; // the load balancer's backend admits the members
        for (const { entry: member, name: child, aliases } of keyedEntries(`${name}-iap-access`, args.iapMembers ?? [])) {
            new gcp.iap.WebCloudRunServiceIamMember(
                child,
                {
                    ...scope,
                    cloudRunServiceName: this.service.name,
                    role: "roles/iap.httpsResourceAccessor",
                    member,
                },
                { parent: this, aliases },
            );
        }
    }
}

/**
 * Service-level scaling: the warm floor, divided among the revisions that receive traffic (Google
 * recommends it over the revision-level minimum: https://cloud.google.com/run/docs/configuring/min-instances).
 */
export function serviceScaling(settings: Pick<TierSettings, "minInstances">): gcp.types.input.cloudrunv2.ServiceScaling {
    return { minInstanceCount: settings.minInstances };
}

/** A container's env: plain values, then each secret env var read from Secret Manager at `latest` (services and jobs alike). */
export function containerEnvs(args: Pick<ServiceArgs, "env" | "secretEnv">): {
    name: string;
    value?: pulumi.Input<string>;
    valueSource?: { secretKeyRef: { secret: pulumi.Input<string>; version: string } };
}[] {
    return [
        ...Object.entries(args.env ?? {}).map(([name, value]) => ({ name, value })),
        ...Object.entries(args.secretEnv ?? {}).map(([name, secret]) => ({
            name,
            valueSource: { secretKeyRef: { secret, version: "latest" } },
        })),
    ];
}

/** The revision template: one container, probes, scaling and optional VPC egress. */
export function serviceTemplate(
    args: ServiceArgs,
    settings: TierSettings,
    serviceAccount: pulumi.Input<string>,
): gcp.types.input.cloudrunv2.ServiceTemplate {
    const port = args.port ?? 8080;
    const healthPath = args.healthPath ?? "/health";
    const envs = containerEnvs(args);
    return {
        serviceAccount,
        timeout: `${settings.timeoutSeconds}s`,
        maxInstanceRequestConcurrency: settings.concurrency,
        executionEnvironment: executionEnvironmentFor(settings.cpu, settings.memory),
        // Per revision: only the ceiling. The floor is the service's (see serviceScaling).
        scaling: { maxInstanceCount: settings.maxInstances },
        vpcAccess:
            args.vpcNetwork === undefined
                ? undefined
                : {
                      egress: args.vpcEgress ?? "PRIVATE_RANGES_ONLY",
                      networkInterfaces: [{ network: args.vpcNetwork, subnetwork: args.vpcSubnetwork }],
                  },
        containers: [
            {
                image: args.image,
                ports: { containerPort: port },
                envs,
                resources: {
                    limits: { cpu: settings.cpu, memory: settings.memory },
                    cpuIdle: settings.cpuIdle,
                    startupCpuBoost: settings.startupCpuBoost,
                },
                startupProbe: { httpGet: { path: healthPath, port }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 24 },
                livenessProbe: { httpGet: { path: healthPath, port }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
            },
        ],
    };
}
