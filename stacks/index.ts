/**
 * The Runway program: reads the stack's config, then composes the components for the tier.
 * Every decision lives in a pure function (config.ts, keys.ts, rules/profile.ts); this file only wires.
 */
import type * as AwsSdk from "@pulumi/aws";
import * as dockerSdk from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type * as Aws from "../components/aws";
import * as docker from "../components/docker";
import * as gcp from "../components/gcp";
import * as github from "../components/github";
import * as local from "../components/local";
import { StackGcpNames } from "../rules/gcp/names";
import { cloudRunChecks } from "../rules/delivery";
import { gcpCallScope } from "../rules/trust/calls";
import { AwsSpec, GcpSpec, LocalSpec, loadConfig } from "./config";
import { awsManagedData, buildImage, definedOnly, gcpDataSecrets, gcpManagedData, gcpRegistryAndImage } from "./shared";
import { composeAwsKubernetes, composeGcpKubernetes } from "./kubernetes";
import { createRepository, deliverySettings, repositoryOf } from "./delivery";

/** The stack, as an outline: APIs → network and data → secrets → registry and image → service → CI → delivery → monitoring. */
function composeGcp(cfg: GcpSpec, planned: ReadonlySet<string>) {
    const { project, region, settings, tier, names } = cfg;

    if (settings.access === "iap" && cfg.iapDomains.length === 0) pulumi.log.warn(gcp.IAP_DOMAINS_UNKNOWN);
    const apis = new gcp.Apis("apis", { project, services: gcp.requiredApis(apiNeeds(cfg)) });
    const afterApis = { dependsOn: apis.services };
    const { network, database, cache } = createNetworkAndData(cfg, apis);
    const secrets = new gcp.Secrets(
        "secrets",
        {
            project,
            prefix: names.base,
            protect: settings.protect,
            values: { ...cfg.secrets, ...gcpDataSecrets({ database, cache }) },
        },
        afterApis,
    );

    const { registry, image } = gcpRegistryAndImage(cfg, afterApis);

    const service = createService(cfg, names, image?.imageRef ?? cfg.service.image, secrets, network, afterApis);
    const migration = createMigrationJob(cfg, names, image?.imageRef ?? cfg.service.image, secrets, network, service);
    // No pull grant for the runtime identity: Cloud Run pulls a same-project image with its service agent (docs/library.md).
    const front = createFront(cfg, service, afterApis);

    const ci =
        cfg.github === undefined
            ? undefined
            : new gcp.CiIdentity(
                  "ci",
                  {
                      project,
                      ...repositoryOf(cfg.github),
                      idPrefix: cfg.service.name,
                      deployerAccountIds: names.deployerAccount === undefined ? undefined : { [tier]: names.deployerAccount },
                      previewerAccountId: names.previewerAccount,
                      deployRoleId: names.deployRole,
                      previewRoleId: names.previewRole,
                      targets: [cfg.github.deploySource],
                      services: [
                          { name: service.serviceName, location: region, runtimeServiceAccount: service.runtimeServiceAccount.name },
                      ],
                      // Exactly what the generated deploy job calls on the service.
                      deployPermissions: cloudRunDeployCalls(cfg, front).filter((p) => gcpCallScope(p) === "service"),
                      previewEnvironment: cfg.github.previewEnvironment,
                  },
                  afterApis,
              );
    if (ci) registry.grantPush("deployer", ci.deployerMembers[0]);
    if (ci) createReleaseAccess(cfg, ci, migration, front, afterApis);
    const dashboard = new gcp.Dashboard(
        "dashboard",
        {
            project,
            serviceName: service.serviceName,
            databaseInstance: database?.instance.name,
            cache: cache ? { region, name: cache.instance.name } : undefined,
            loadBalancerUrlMap: front instanceof gcp.Edge ? front.urlMap.name : undefined,
        },
        afterApis,
    );
    const repository = ci ? createDelivery(cfg, ci, registry, service, front, migration, dashboard.url, afterApis) : undefined;

    const monitoring = new gcp.Monitoring(
        "monitoring",
        {
            project,
            billingAccount: cfg.budget.billingAccount,
            budgetAmount: settings.budgetAmount,
            budgetCurrency: cfg.budget.currency,
            alerts: settings.alerts,
            emails: cfg.alertEmails,
            pagerDutyServiceKey: cfg.pagerDutyServiceKey,
            services: [
                {
                    name: service.serviceName,
                    url: front?.url ?? service.url,
                    healthPath: cfg.service.healthPath,
                    loadBalancerUrlMap: front instanceof gcp.Edge ? front.urlMap.name : undefined,
                },
            ],
        },
        afterApis,
    );
    // Last: the previewer reads exactly the types this stack planned.
    ci?.grantPreviewReads({
        types: [...planned],
        secretIds: secrets.secretIds,
        quotaProject: cfg.quotaProject,
    });

    return definedOnly({
        tier,
        serviceUrl: service.url,
        url: front?.url,
        edgeIp: front instanceof gcp.Edge ? front.ipAddress : undefined,
        dnsRecords: front?.dnsRecords,
        serviceName: service.serviceName,
        runtimeServiceAccount: service.runtimeServiceAccount.email,
        registryUrl: registry.url,
        image: image?.imageRef ?? cfg.service.image,
        workloadIdentityProvider: ci?.providerName,
        deployerServiceAccounts: ci?.deployerEmails,
        previewerServiceAccount: ci?.previewerEmail,
        workflowsPullRequestUrl: repository?.pullRequestUrl,
        budgetName: monitoring.budgetName,
        dashboardUrl: dashboard.url,
        migrationJob: migration?.jobName,
        egressIp: network?.egressAddress?.address,
        databaseConnectionName: database?.connectionName,
    });
}

const managedData = (cfg: GcpSpec) => cfg.database === "managed" || cfg.cache === "managed";

function apiNeeds(cfg: GcpSpec): gcp.ApiNeeds {
    return {
        network: cfg.settings.privateEgress || managedData(cfg),
        iap: cfg.settings.access === "iap",
        ciIdentity: cfg.github !== undefined,
        database: cfg.database === "managed",
        cache: cfg.cache === "managed",
        edge: cfg.settings.edge,
        dns: cfg.dnsZone !== undefined,
        // The registry scans pushed images (INHERITED): that needs the Container Scanning API.
        vulnerabilityScanning: true,
    };
}

/** The custom domain's front: the edge (load balancer + Cloud Armor) when on, else a Cloud Run domain mapping, else nothing. */
function createFront(cfg: GcpSpec, service: gcp.Service, opts: pulumi.ComponentResourceOptions): gcp.Edge | gcp.DomainMapping | undefined {
    const { project, region, domain, dnsZone } = cfg;
    if (cfg.settings.edge && cfg.edge && domain) {
        return new gcp.Edge(
            "edge",
            {
                project,
                region,
                serviceName: service.serviceName,
                domain,
                dnsZone,
                ...cfg.edge,
                iapMembers: cfg.settings.access === "iap" ? cfg.iapMembers : undefined,
            },
            opts,
        );
    }
    return domain
        ? new gcp.DomainMapping("domain", { project, region, serviceName: service.serviceName, domain, dnsZone }, opts)
        : undefined;
}

/** The VPC (for private egress, or for managed data, which needs private services access) and the managed data services. */
function createNetworkAndData(cfg: GcpSpec, apis: gcp.Apis) {
    const { project, region, settings } = cfg;
    const network =
        settings.privateEgress || managedData(cfg)
            ? new gcp.Network(
                  "network",
                  {
                      project,
                      region,
                      // Sized for the quota (the most instances a revision may egress with: maxInstances is
                      // refused above it), never for the current maximum: a smaller range replaces the subnet,
                      // and the replacement overlaps the range still in use, so lowering runway:maxInstances
                      // or the tier must leave it alone. A higher quota grows it in place.
                      maxInstances: cfg.directVpcInstanceQuota,
                      staticEgressIp: cfg.staticEgressIp,
                      privateServicesAccess: managedData(cfg),
                  },
                  { dependsOn: apis.services },
              )
            : undefined;
    if (!network) return { network, database: undefined, cache: undefined };
    const after = { dependsOn: [...apis.services, ...(network.privateServicesConnection ? [network.privateServicesConnection] : [])] };
    return { network, ...gcpManagedData(cfg, network.networkId, after) };
}

function createService(
    cfg: GcpSpec,
    names: StackGcpNames,
    image: pulumi.Input<string>,
    secrets: gcp.Secrets,
    network: gcp.Network | undefined,
    opts: pulumi.ComponentResourceOptions,
): gcp.Service {
    const { settings } = cfg;
    return new gcp.Service(
        "app",
        {
            project: cfg.project,
            region: cfg.region,
            tier: cfg.tier,
            serviceName: names.service,
            runtimeAccountId: names.runtimeAccount,
            image,
            port: cfg.service.port,
            healthPath: cfg.service.healthPath,
            env: cfg.service.env,
            secretEnv: secrets.secretIds,
            secretVersions: Object.values(secrets.versions),
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
            iapDomains: cfg.iapDomains,
            vpcNetwork: network?.networkId,
            vpcSubnetwork: network?.subnetworkId,
            vpcEgress: cfg.staticEgressIp ? "ALL_TRAFFIC" : "PRIVATE_RANGES_ONLY",
            directVpcInstanceQuota: cfg.directVpcInstanceQuota,
            ignoreImageChanges: cfg.ignoreImageChanges,
            // Behind the edge only the load balancer may reach the service, and IAP (if any) runs there.
            ingress: settings.edge ? "internal-and-load-balancer" : "all",
            iapAt: settings.edge ? "loadBalancer" : "service",
        },
        opts,
    );
}

/** The migration (runway:migrationCommand) as a Cloud Run job with the service's image, identity, env, secrets and egress. */
function createMigrationJob(
    cfg: GcpSpec,
    names: StackGcpNames,
    image: pulumi.Input<string>,
    secrets: gcp.Secrets,
    network: gcp.Network | undefined,
    service: gcp.Service,
): gcp.MigrationJob | undefined {
    const command = cfg.release.migrationCommand;
    if (command === undefined) return undefined;
    return new gcp.MigrationJob("migrate", {
        project: cfg.project,
        region: cfg.region,
        jobName: `${names.service}-migrate`,
        image,
        command,
        serviceAccount: service.runtimeServiceAccount.email,
        env: cfg.service.env,
        secretEnv: secrets.secretIds,
        vpcNetwork: network?.networkId,
        vpcSubnetwork: network?.subnetworkId,
        vpcEgress: cfg.staticEgressIp ? "ALL_TRAFFIC" : "PRIVATE_RANGES_ONLY",
        cpu: cfg.settings.cpu,
        memory: cfg.settings.memory,
        ignoreImageChanges: cfg.ignoreImageChanges,
        // After the service (its runtime identity's secret grants) and the secrets' values: tasks read them at start.
        dependsOn: [service, ...Object.values(secrets.versions)],
    });
}

/** What the generated Cloud Run deploy job calls (the deployer is granted exactly these, each where it acts). */
function cloudRunDeployCalls(cfg: GcpSpec, front: gcp.Edge | gcp.DomainMapping | undefined): string[] {
    const checks = cloudRunDeliveryChecks(cfg, front);
    return github.deployJobCalls(
        deliverySettings(cfg, cfg.github!, { target: "cloud-run", smokeTest: checks.candidate, edgeCheck: checks.edge }),
    );
}

/** The deployer's grants for the release steps: running the migration job, and the canary gate's metric reads. */
function createReleaseAccess(
    cfg: GcpSpec,
    ci: gcp.CiIdentity,
    migration: gcp.MigrationJob | undefined,
    front: gcp.Edge | gcp.DomainMapping | undefined,
    opts: pulumi.ComponentResourceOptions,
): void {
    const calls = cloudRunDeployCalls(cfg, front);
    const jobCalls = calls.filter((p) => gcpCallScope(p) === "job");
    const metricReads = calls.filter((p) => gcpCallScope(p) === "project");
    if (jobCalls.length === 0 && metricReads.length === 0) return;
    new gcp.ReleaseAccess(
        "release",
        {
            project: cfg.project,
            deployerEmail: ci.deployerEmails[cfg.tier],
            roleSuffix: cfg.names.releaseRole,
            ...(migration && jobCalls.length > 0
                ? { migrationJob: { location: cfg.region, name: migration.jobName, permissions: jobCalls } }
                : {}),
            ...(metricReads.length > 0 ? { metricReads } : {}),
        },
        opts,
    );
}

/** How the Cloud Run deploy checks its candidate and, behind the edge, the promoted service. */
function cloudRunDeliveryChecks(cfg: GcpSpec, front: gcp.Edge | gcp.DomainMapping | undefined) {
    return cloudRunChecks({ access: cfg.settings.access, behindEdge: cfg.settings.edge, edgeUrl: front instanceof gcp.Edge });
}

/** The Cloud Run wiring of the app repository: variables, and how the deploy job reaches the service over HTTP. */
function createDelivery(
    cfg: GcpSpec,
    ci: gcp.CiIdentity,
    registry: gcp.Registry,
    service: gcp.Service,
    front: gcp.Edge | gcp.DomainMapping | undefined,
    migration: gcp.MigrationJob | undefined,
    dashboardUrl: pulumi.Output<string>,
    opts: pulumi.ComponentResourceOptions,
): github.Repository | undefined {
    const edge = front instanceof gcp.Edge ? front : undefined;
    const checks = cloudRunDeliveryChecks(cfg, front);
    if (checks.candidate === "iap" || checks.edge === "iap") {
        new gcp.SmokeTestAccess(
            "smoke-test",
            {
                deployer: ci.deployers[cfg.tier].name,
                deployerEmail: ci.deployerEmails[cfg.tier],
                ...(checks.candidate === "iap"
                    ? { cloudRunService: { project: cfg.project, location: cfg.region, name: service.serviceName } }
                    : { backendService: { project: cfg.project, name: edge!.backendService.name } }),
            },
            opts,
        );
    }
    return createRepository(cfg, {
        target: "cloud-run",
        smokeTest: checks.candidate,
        edgeCheck: checks.edge,
        previewVariables:
            ci.previewerEmail === undefined
                ? undefined
                : {
                      [github.PREVIEW_VARIABLES.workloadIdentityProvider]: ci.providerName,
                      [github.PREVIEW_VARIABLES.serviceAccount]: ci.previewerEmail,
                  },
        variables: {
            [github.VARIABLES.workloadIdentityProvider]: ci.providerName,
            [github.VARIABLES.deployer]: ci.deployerEmails[cfg.tier],
            [github.VARIABLES.project]: cfg.project,
            [github.VARIABLES.region]: cfg.region,
            [github.VARIABLES.registry]: registry.url,
            [github.VARIABLES.service]: service.serviceName,
            ...(checks.edge ? { [github.EDGE_URL_VARIABLE]: edge!.url } : {}),
            ...(migration ? { [github.RELEASE_VARIABLES.migrationJob]: migration.jobName } : {}),
            [github.RELEASE_VARIABLES.dashboardUrl]: dashboardUrl,
        },
    });
}

/** Loaded by composeAws only: a GCP or local stack never loads the AWS SDK (about 0.3 s of a plan). */
let awsSdk: typeof AwsSdk;
let aws: typeof Aws;

/** The ECS or Lambda wiring of the app repository: `awsDelivery` names the target and its variables. */
function createAwsDelivery(
    cfg: AwsSpec,
    ci: Aws.CiIdentity,
    registry: Aws.Registry,
    service: Aws.Service | Aws.FunctionService,
    smoke: Aws.SmokeTest | undefined,
    network: Aws.Network | undefined,
    migration: Aws.MigrationTask | undefined,
    dashboardUrl: pulumi.Output<string>,
): github.Repository | undefined {
    const gh = cfg.github;
    if (!gh) return undefined;
    const r = github.RELEASE_VARIABLES;
    const release =
        service instanceof aws.Service
            ? {
                  ...(migration
                      ? {
                            [r.migrationTask]: migration.family,
                            [r.subnets]: pulumi.all(network!.privateSubnetIds).apply((ids) => ids.join(",")),
                            [r.securityGroup]: network!.serviceSecurityGroupId,
                            [r.logGroup]: service.logGroup.name,
                        }
                      : {}),
                  ...(service.rollbackAlarmNames.length > 0 ? { [r.rollbackAlarms]: service.rollbackAlarmNames.join(",") } : {}),
              }
            : {};
    const { target, variables } = github.awsDelivery<pulumi.Input<string>>({
        roleArn: ci.roleArns[gh.deploySource.name],
        region: cfg.region,
        repositoryUrl: registry.url,
        healthPath: cfg.service.healthPath,
        ...(service instanceof aws.Service
            ? {
                  ecs: {
                      clusterName: service.clusterName,
                      serviceName: service.serviceName,
                      containerName: service.containerName,
                      smokeFunctionName: smoke!.functionName,
                      port: String(cfg.service.port),
                  },
              }
            : { lambda: { functionName: service.functionName, aliasName: service.aliasName, url: service.url } }),
    });
    const previewVariables =
        ci.previewerRoleArn === undefined
            ? undefined
            : { [github.AWS_PREVIEW_VARIABLES.roleArn]: ci.previewerRoleArn, [github.AWS_PREVIEW_VARIABLES.region]: cfg.region };
    return createRepository(cfg, {
        target,
        variables: { ...variables, ...release, [r.dashboardUrl]: dashboardUrl },
        previewVariables,
    });
}

/** The migration (runway:migrationCommand) as an ECS task family with the service's image, roles, env, secrets and logs. */
function createMigrationTask(
    cfg: AwsSpec,
    image: pulumi.Input<string>,
    secrets: Aws.Secrets,
    service: Aws.Service,
): Aws.MigrationTask | undefined {
    const command = cfg.release.migrationCommand;
    if (command === undefined) return undefined;
    return new aws.MigrationTask("migrate", {
        family: `${cfg.names.service}-migrate`,
        image,
        command,
        containerName: service.containerName,
        executionRoleArn: service.executionRole.arn,
        taskRoleArn: service.taskRole.arn,
        cpu: cfg.aws.cpu,
        memory: cfg.aws.memory,
        env: cfg.service.env,
        secretArns: secrets.arns,
        logGroupName: service.logGroup.name,
        secretsReady: secrets.valuesReady,
    });
}

/**
 * The AWS flavour, as an outline: network → registry and image → data → secrets → service (Lambda
 * on solo, Fargate + ALB otherwise) → CI identity → delivery → monitoring. Every account-unique name carries
 * the stack (awsNames), so staging and production can share an account.
 */
function composeAws(cfg: AwsSpec, planned: ReadonlySet<string>) {
    awsSdk = require("@pulumi/aws");
    aws = require("../components/aws");
    const { aws: aws_, names } = cfg;
    const preset = aws_;
    const account = awsSdk.getCallerIdentityOutput().accountId;
    const network =
        preset.runtime === "lambda"
            ? undefined
            : new aws.Network("network", {
                  azCount: preset.azCount,
                  nat: preset.nat,
                  servicePort: cfg.service.port,
                  allowedCidrs: aws_.allowedCidrs.length > 0 ? aws_.allowedCidrs : undefined,
              });
    const registry = new aws.Registry("registry", {
        tier: cfg.tier,
        repositoryName: names.repository,
        keepCount: cfg.settings.registryKeepCount,
        untaggedImageDays: cfg.settings.untaggedImageDays,
        protect: cfg.settings.protect,
    });
    // Tagged by content, never a reused tag: production's repository is immutable.
    const image = buildImage(cfg, registry.repository, (build) => ({
        repository: registry.url,
        tag: docker.contentTag(build.context, build.dockerfile),
        ...aws.ecrCredentials(registry.repository.registryId),
    }));
    const data = createAwsData(cfg, network);
    const path = names.secretsPath;
    const secrets = new aws.Secrets("secrets", {
        tier: cfg.tier,
        path,
        values: { ...cfg.secrets, ...data.secrets },
        protect: cfg.settings.protect,
    });
    const imageRef = image?.imageRef ?? cfg.service.image;

    const service =
        preset.runtime === "lambda"
            ? createFunctionService(cfg, imageRef, registry, secrets)
            : createFargateService(cfg, imageRef, network!, secrets);
    // With CI deploying an ECS service: the function its deploy job checks the new tasks with, from inside the VPC.
    const smoke =
        cfg.github !== undefined && service instanceof aws.Service
            ? new aws.SmokeTest("smoke-test", {
                  functionName: `${names.service}-smoke`,
                  subnetIds: network!.privateSubnetIds,
                  securityGroupId: network!.loadBalancerSecurityGroupId,
                  logRetentionDays: preset.logRetentionDays,
              })
            : undefined;

    const migration = service instanceof aws.Service ? createMigrationTask(cfg, imageRef, secrets, service) : undefined;

    const ci =
        cfg.github === undefined
            ? undefined
            : new aws.CiIdentity("ci", {
                  ...repositoryOf(cfg.github),
                  targets: [cfg.github.deploySource],
                  existingProviderArn: aws_.oidcProviderArn,
                  repositoryArns: [registry.repository.arn],
                  services: [
                      service instanceof aws.Service
                          ? {
                                serviceArn: service.serviceArn,
                                passRoleArns: [service.executionRole.arn, service.taskRole.arn],
                                smokeFunctionArn: smoke?.functionArn,
                                migrationFamily: migration?.family,
                                rollbackAlarmNames: service.rollbackAlarmNames,
                            }
                          : { functionArn: service.functionArn },
                  ],
                  previewEnvironment: cfg.github.previewEnvironment,
              });
    const dashboard = new aws.Dashboard("dashboard", {
        dashboardName: names.service,
        ...(service instanceof aws.Service
            ? {
                  ecs: {
                      cluster: service.clusterName,
                      service: service.serviceName,
                      loadBalancer: service.loadBalancer.arnSuffix,
                      targetGroups: service.targetGroups.map((tg) => tg.arnSuffix),
                  },
              }
            : { functionName: service.functionName }),
        databaseInstance: data.database?.instance.identifier,
        cacheReplicationGroup: data.cache?.replicationGroup.replicationGroupId,
    });
    const repository = ci ? createAwsDelivery(cfg, ci, registry, service, smoke, network, migration, dashboard.url) : undefined;

    const monitoring = new aws.Monitoring("monitoring", {
        budgetAmount: cfg.settings.budgetAmount,
        accountId: account,
        emails: cfg.alertEmails,
        alerts: cfg.settings.alerts,
        pagerDutyServiceKey: cfg.pagerDutyServiceKey,
        services: [
            service instanceof aws.Service
                ? { serviceName: service.serviceName, clusterName: service.clusterName, loadBalancer: service.loadBalancer.arnSuffix }
                : { functionName: service.functionName },
        ],
    });
    // Last: the previewer reads exactly the types this stack planned, and this stack's secrets only.
    ci?.grantPreviewReads({
        types: [...planned],
        parameterPathArn: secrets.names.length > 0 ? secrets.pathArn : undefined,
        secretArns: secrets.secretsManagerArns,
    });

    return definedOnly({
        tier: cfg.tier,
        cloud: "aws",
        serviceUrl: service.url,
        registryUrl: registry.url,
        image: imageRef,
        deployRoleArns: ci?.roleArns,
        previewRoleArn: ci?.previewerRoleArn,
        workflowsPullRequestUrl: repository?.pullRequestUrl,
        budgetName: monitoring.budget.name,
        dashboardUrl: dashboard.url,
        migrationTask: migration?.family,
        vpcId: network?.vpc.id,
        ...(service instanceof aws.Service
            ? {
                  clusterName: service.clusterName,
                  serviceName: service.serviceName,
                  containerName: service.containerName,
                  certificateValidationRecords: aws_.domain ? service.certificateValidationRecords : undefined,
              }
            : { functionName: service.functionName, aliasName: service.aliasName }),
    });
}

/** RDS and ElastiCache in the private subnets, reachable from the service's tasks only; their URLs become secrets. */
function createAwsData(cfg: AwsSpec, network: Aws.Network | undefined) {
    if (!network) return { secrets: {}, database: undefined, cache: undefined };
    return awsManagedData(cfg, {
        vpcId: network.vpc.id,
        subnetIds: network.privateSubnetIds,
        clientSecurityGroupId: network.serviceSecurityGroupId,
    });
}

/** Solo: the image on Lambda behind a function URL on alias `live`; it reads its secrets from the SSM path at start-up. */
function createFunctionService(cfg: AwsSpec, image: pulumi.Input<string>, registry: Aws.Registry, secrets: Aws.Secrets) {
    const shape = cfg.aws;
    return new aws.FunctionService("app", {
        image,
        repositoryName: registry.repository.name,
        functionName: cfg.names.function,
        port: cfg.service.port,
        healthPath: cfg.service.healthPath,
        env: cfg.service.env,
        ...(secrets.names.length > 0
            ? {
                  secretsPath: secrets.path,
                  secretPathArn: secrets.pathArn,
                  secretNames: secrets.names,
                  secretsReady: secrets.valuesReady,
              }
            : {}),
        memory: shape.memory,
        timeoutSeconds: shape.timeoutSeconds,
        maxConcurrency: shape.maxConcurrency,
        logRetentionDays: shape.logRetentionDays,
        ignoreImageChanges: cfg.ignoreImageChanges,
    });
}

/** Staging/production: Fargate tasks in private subnets behind the internet-facing ALB; secrets from SSM or Secrets Manager. */
function createFargateService(cfg: AwsSpec, image: pulumi.Input<string>, network: Aws.Network, secrets: Aws.Secrets) {
    const shape = cfg.aws;
    return new aws.Service("app", {
        image,
        tier: cfg.tier,
        serviceName: cfg.names.service,
        port: cfg.service.port,
        healthPath: cfg.service.healthPath,
        env: cfg.service.env,
        cpu: shape.cpu,
        memory: shape.memory,
        minTasks: shape.minTasks,
        maxTasks: shape.maxTasks,
        timeoutSeconds: shape.timeoutSeconds,
        secretArns: secrets.arns,
        // Secrets live in SSM or in Secrets Manager, never both: read only where they are.
        secretPathArn: secrets.names.length > 0 && secrets.secretsManagerArns.length === 0 ? secrets.pathArn : undefined,
        secretsManagerArns: secrets.secretsManagerArns,
        secretsReady: secrets.valuesReady,
        vpcId: network.vpc.id,
        subnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
        securityGroupId: network.serviceSecurityGroupId,
        loadBalancerSecurityGroupId: network.loadBalancerSecurityGroupId,
        egressReady: network.egressReady,
        domain: shape.domain,
        waf: shape.waf,
        // runway:protect (the tier's default) alone: false lets production be destroyed on purpose.
        deletionProtection: cfg.settings.protect,
        canary: cfg.release.canary,
        ignoreImageChanges: cfg.ignoreImageChanges,
    });
}

/** The local flavour on the Docker engine: network → database and cache → the app built from its Dockerfile. */
function composeLocal(cfg: LocalSpec) {
    const namePrefix = cfg.names.engine;
    const network = new dockerSdk.Network("network", { name: namePrefix, driver: "bridge" });
    const after = { dependsOn: [network] };
    const database = cfg.database === "managed" ? new local.Postgres("database", { network: network.name, namePrefix }, after) : undefined;
    const cache = cfg.cache === "managed" ? new local.Redis("cache", { network: network.name, namePrefix }, after) : undefined;
    const build = cfg.service.build;
    const app = new local.App(
        "app",
        {
            network: network.name,
            namePrefix,
            ...(build ? { context: build.context, dockerfile: build.dockerfile, target: build.target } : { image: cfg.service.image }),
            port: cfg.service.port,
            healthPath: cfg.service.healthPath,
            env: cfg.service.env,
            secretEnv: { ...cfg.secrets, ...(database ? { DATABASE_URL: database.url } : {}), ...(cache ? { REDIS_URL: cache.url } : {}) },
        },
        { dependsOn: [network, ...(database ? [database] : []), ...(cache ? [cache] : [])] },
    );

    return definedOnly({
        cloud: "local",
        serviceUrl: app.url,
        image: app.image?.imageName ?? cfg.service.image,
        databaseUrl: database?.hostUrl,
        network: network.name,
    });
}

/**
 * The types of every custom resource the program constructs from here on, for the previewer's
 * reads. Stack transformations run in the SDK as each resource is constructed (not through the
 * engine), so the set is complete once composition returns.
 */
function plannedTypes(): Set<string> {
    const types = new Set<string>();
    pulumi.runtime.registerStackTransformation((args) => {
        if (args.resource instanceof pulumi.CustomResource && !(args.resource instanceof pulumi.ProviderResource)) types.add(args.type);
        return undefined;
    });
    return types;
}

/** Pulumi's Node.js host calls a default-exported function and uses its result as stack outputs. */
export = async () => {
    const cfg = loadConfig();
    switch (cfg.cloud) {
        case "aws":
            return cfg.runtime === "kubernetes" ? composeAwsKubernetes(cfg, plannedTypes()) : composeAws(cfg, plannedTypes());
        case "local":
            return composeLocal(cfg);
        default:
            return cfg.runtime === "kubernetes" ? composeGcpKubernetes(cfg, plannedTypes()) : composeGcp(cfg, plannedTypes());
    }
};
