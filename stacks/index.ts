/**
 * The Runway program: reads the stack's config, then composes the components for the tier.
 * Every decision lives in a pure function (config.ts, components/tiers.ts); this file only wires.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "../components/docker";
import * as gcp from "../components/gcp";
import * as github from "../components/github";
import { slug } from "../components/gcp/names";
import { deliveryFor } from "../components/github";
import { deploySourceFor } from "../components/tiers";
import { RunwayConfig, loadConfig } from "./config";

function composeGcp(cfg: RunwayConfig) {
    const { project, region, settings, tier } = cfg;
    const base = slug(`${cfg.service.name}-${pulumi.getStack()}`).slice(0, 40).replace(/-$/, "");
    const needsIap = settings.access === "iap";

    const apis = new gcp.Apis("apis", {
        project,
        services: gcp.requiredApis({
            network: settings.privateEgress || cfg.database === "managed" || cfg.cache === "managed",
            iap: needsIap, ciIdentity: cfg.github !== undefined,
            database: cfg.database === "managed", cache: cfg.cache === "managed",
        }),
    });
    const afterApis = { dependsOn: apis.services };

    // A managed database or cache needs a VPC with private services access, whatever the tier.
    const managedData = cfg.database === "managed" || cfg.cache === "managed";
    const network = settings.privateEgress || managedData
        ? new gcp.Network("network", { project, region, staticEgressIp: cfg.staticEgressIp, privateServicesAccess: managedData }, afterApis)
        : undefined;
    const afterPrivateServices = { dependsOn: [...apis.services, ...(network?.privateServicesConnection ? [network.privateServicesConnection] : [])] };

    const database = cfg.database === "managed" && network ? new gcp.Database("database", {
        project, region, tier,
        network: network.networkId,
        machine: settings.databaseMachine,
        ha: settings.databaseHa,
        backups: settings.databaseBackups,
        pitr: settings.databasePitr,
        readReplica: cfg.managedDatabase?.readReplica,
        version: cfg.managedDatabase?.version,
        diskGb: cfg.managedDatabase?.diskGb,
        protect: settings.protect,
    }, afterPrivateServices) : undefined;
    const cache = cfg.cache === "managed" && network ? new gcp.Cache("cache", {
        project, region, tier, network: network.networkId, sizeGb: cfg.cacheSizeGb, ha: settings.cacheHa, protect: settings.protect,
    }, afterPrivateServices) : undefined;

    const secrets = new gcp.Secrets("secrets", {
        project, prefix: base, protect: settings.protect,
        values: { ...cfg.secrets, ...(database ? { DATABASE_URL: database.url } : {}), ...(cache ? { REDIS_URL: cache.url } : {}) },
    }, afterApis);

    // The registry grants pull to the runtime identity and push to the CI deployer, both created
    // later (the service needs the image, which needs the registry): their members arrive deferred.
    const [runtimeMember, setRuntimeMember] = pulumi.deferredOutput<string>();
    const deployerMember = cfg.github ? pulumi.deferredOutput<string>() : undefined;
    const registry = new gcp.Registry("registry", {
        project, location: region, tier,
        repositoryId: base,
        keepCount: settings.registryKeepCount,
        untaggedImageDays: settings.untaggedImageDays,
        protect: settings.protect,
        writers: deployerMember ? [deployerMember[0]] : [],
        readers: [runtimeMember],
    }, afterApis);

    const build = cfg.service.build;
    const image = build === undefined ? undefined : new docker.Image("image", {
        context: build.context,
        dockerfile: build.dockerfile,
        target: build.target,
        platform: build.platform,
        repository: pulumi.interpolate`${registry.url}/${cfg.service.name}`,
        tag: pulumi.getStack(),
        ...gcp.artifactRegistryCredentials(region),
    }, { dependsOn: [registry.repository] });

    const service = new gcp.Service("app", {
        project, region, tier,
        serviceName: cfg.service.name,
        image: image?.imageRef ?? cfg.service.image,
        port: cfg.service.port,
        healthPath: cfg.service.healthPath,
        env: cfg.service.env,
        secretEnv: secrets.secretIds,
        minInstances: settings.minInstances,
        maxInstances: settings.maxInstances,
        cpu: settings.cpu,
        memory: settings.memory,
        cpuIdle: settings.cpuIdle,
        startupCpuBoost: settings.startupCpuBoost,
        concurrency: settings.concurrency,
        timeoutSeconds: settings.timeoutSeconds,
        access: settings.access,
        protect: settings.protect,
        iapMembers: cfg.iapMembers,
        vpcNetwork: network?.networkId,
        vpcSubnetwork: network?.subnetworkId,
        vpcEgress: cfg.staticEgressIp ? "ALL_TRAFFIC" : "PRIVATE_RANGES_ONLY",
        ignoreImageChanges: cfg.ignoreImageChanges,
    }, afterApis);
    setRuntimeMember(service.runtimeMember);

    const ci = cfg.github === undefined ? undefined : new gcp.CiIdentity("ci", {
        project,
        owner: cfg.github.owner,
        repo: cfg.github.repo,
        idPrefix: cfg.service.name,
        targets: [deploySourceFor(tier, cfg.github.defaultBranch)],
        serviceName: service.serviceName,
        serviceLocation: region,
        runtimeServiceAccount: service.runtimeServiceAccount.name,
    }, afterApis);
    if (ci && deployerMember) deployerMember[1](ci.deployerMembers[0]);

    if (cfg.github && ci) {
        const delivery = deliveryFor(tier, cfg.github.defaultBranch, cfg.github.stagingBranch);
        new github.Repository("github", {
            owner: cfg.github.owner,
            repo: cfg.github.repo,
            reviewers: cfg.github.reviewers,
            manageRepository: delivery.managesRepository,
            requiredApprovals: delivery.requiredApprovals,
            delivery: {
                tier,
                defaultBranch: cfg.github.defaultBranch,
                deployBranch: delivery.deployBranch,
                environment: delivery.environment,
                appDirectory: build?.context ?? "app",
                dockerfile: build?.dockerfile ?? "app/Dockerfile",
                infraDirectory: ".",
                previewStacks: delivery.previewStacks,
                healthPath: cfg.service.healthPath,
                nodeVersion: "20",
                smokeTest: needsIap ? "revision-ready" : "http",
            },
            variables: {
                [github.VARIABLES.workloadIdentityProvider]: ci.providerName,
                [github.VARIABLES.deployer]: ci.deployerEmails[tier],
                [github.VARIABLES.project]: project,
                [github.VARIABLES.region]: region,
                [github.VARIABLES.registry]: registry.url,
                [github.VARIABLES.service]: service.serviceName,
            },
        });
    }

    const monitoring = new gcp.Monitoring("monitoring", {
        project,
        billingAccount: cfg.budget.billingAccount,
        budgetAmount: settings.budgetAmount,
        budgetCurrency: cfg.budget.currency,
        alerts: settings.alerts,
        emails: cfg.alertEmails,
        pagerDutyServiceKey: cfg.pagerDutyServiceKey,
        serviceName: service.serviceName,
        serviceUrl: service.url,
        healthPath: cfg.service.healthPath,
    }, afterApis);

    return definedOnly({
        tier,
        serviceUrl: service.url,
        serviceName: service.serviceName,
        runtimeServiceAccount: service.runtimeServiceAccount.email,
        registryUrl: registry.url,
        image: image?.imageRef ?? cfg.service.image,
        workloadIdentityProvider: ci?.providerName,
        deployerServiceAccounts: ci?.deployerEmails,
        budgetName: monitoring.budgetName,
        egressIp: network?.egressAddress?.address,
        databaseConnectionName: database?.connectionName,
    });
}

/** Drops outputs a tier does not have (Pulumi warns about undefined stack outputs). */
function definedOnly<T extends Record<string, unknown>>(outputs: T): Partial<T> {
    return Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Pulumi's Node.js host calls a default-exported function and uses its result as stack outputs. */
export = async () => {
    const cfg = loadConfig();
    return composeGcp(cfg);
};
