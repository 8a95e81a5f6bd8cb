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
import { awsManagedData, awsSecrets, buildImage, definedOnly, gcpDataSecrets, gcpManagedData, gcpRegistryAndImage } from "./shared";
import { composeAwsKubernetes, composeGcpKubernetes } from "./kubernetes";
import { createRepository, deliverySettings, repositoryOf } from "./delivery";

/** The stack, as an outline: APIs → network and data → secrets → registry and image → service → CI → delivery → monitoring. */
function composeGcp(cfg: GcpSpec, planned: ReadonlySet<string>) {
    if (cfg.settings.access === "iap" && cfg.iapDomains.length === 0) pulumi.log.warn(gcp.IAP_DOMAINS_UNKNOWN);
    const apis = new gcp.Apis("apis", { project: cfg.project, services: gcp.requiredApis(apiNeeds(cfg)) });
    const afterApis = { dependsOn: apis.services };
    const { network, database, cache } = createNetworkAndData(cfg, apis);
    const secrets = new gcp.Secrets(
        "secrets",
        {
            project: cfg.project,
            prefix: cfg.names.base,
            protect: cfg.settings.protect,
            values: { ...cfg.secrets, ...gcpDataSecrets({ database, cache }) },
        },
        afterApis,
    );
    const { registry, image } = gcpRegistryAndImage(cfg, afterApis);
    const imageRef = image?.imageRef ?? cfg.service.image;
    const service = createService(cfg, cfg.names, imageRef, secrets, network, afterApis);
    const migration = createMigrationJob(cfg, cfg.names, imageRef, secrets, network, service);
    // No pull grant for the runtime identity: Cloud Run pulls a same-project image with its service agent (docs/library.md).
    const front = createFront(cfg, service, afterApis);
    const ci = createCiIdentity(cfg, service, front, afterApis);
    if (ci) registry.grantPush("deployer", ci.deployerMembers[0]);
    if (ci) createReleaseAccess(cfg, ci, migration, front, afterApis);
    const dashboard = new gcp.Dashboard(
        "dashboard",
        {
            project: cfg.project,
            serviceName: service.serviceName,
            databaseInstance: database?.instance.name,
            cache: cache ? { region: cfg.region, name: cache.instance.name } : undefined,
            loadBalancerUrlMap: front instanceof gcp.Edge ? front.urlMap.name : undefined,
        },
        afterApis,
    );
    const repository = ci ? createDelivery(cfg, ci, registry, service, front, migration, dashboard.url, afterApis) : undefined;
    const monitoring = createMonitoring(cfg, service, front, afterApis);
    // Last: the previewer reads exactly the types this stack planned.
    ci?.grantPreviewReads({ types: [...planned], secretIds: secrets.secretIds, quotaProject: cfg.quotaProject });

    return definedOnly({
        tier: cfg.tier,
        serviceUrl: service.url,
        url: front?.url,
        edgeIp: front instanceof gcp.Edge ? front.ipAddress : undefined,
        dnsRecords: front?.dnsRecords,
        serviceName: service.serviceName,
        runtimeServiceAccount: service.runtimeServiceAccount.email,
        registryUrl: registry.url,
        image: imageRef,
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

/** With GitHub delivery: the keyless CI identity, trusted from the stack's one deploy source, allowed exactly the deploy job's calls. */
function createCiIdentity(
    cfg: GcpSpec,
    service: gcp.Service,
    front: gcp.Edge | gcp.DomainMapping | undefined,
    opts: pulumi.ComponentResourceOptions,
): gcp.CiIdentity | undefined {
    const { github: gh, names } = cfg;
    if (gh === undefined) return undefined;
    return new gcp.CiIdentity(
        "ci",
        {
            project: cfg.project,
            ...repositoryOf(gh),
            idPrefix: cfg.service.name,
            deployerAccountIds: names.deployerAccount === undefined ? undefined : { [cfg.tier]: names.deployerAccount },
            previewerAccountId: names.previewerAccount,
            deployRoleId: names.deployRole,
            previewRoleId: names.previewRole,
            targets: [gh.deploySource],
            services: [{ name: service.serviceName, location: cfg.region, runtimeServiceAccount: service.runtimeServiceAccount.name }],
            // Exactly what the generated deploy job calls on the service.
            deployPermissions: cloudRunDeployCalls(cfg, front).filter((p) => gcpCallScope(p) === "service"),
            previewEnvironment: gh.previewEnvironment,
        },
        opts,
    );
}

/** The budget on the billing account, and the tier's alerts on the service (through the edge's URL when there is one). */
function createMonitoring(
    cfg: GcpSpec,
    service: gcp.Service,
    front: gcp.Edge | gcp.DomainMapping | undefined,
    opts: pulumi.ComponentResourceOptions,
): gcp.Monitoring {
    return new gcp.Monitoring(
        "monitoring",
        {
            project: cfg.project,
            billingAccount: cfg.budget.billingAccount,
            budgetAmount: cfg.settings.budgetAmount,
            budgetCurrency: cfg.budget.currency,
            alerts: cfg.settings.alerts,
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
        opts,
    );
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
    const network = createAwsNetwork(cfg);
    const { registry, image } = createAwsRegistryAndImage(cfg);
    const data = createAwsData(cfg, network);
    const secrets = awsSecrets(cfg, data.secrets);
    const imageRef = image?.imageRef ?? cfg.service.image;
    const service =
        cfg.aws.runtime === "lambda"
            ? createFunctionService(cfg, imageRef, registry, secrets)
            : createFargateService(cfg, imageRef, network!, secrets);
    const smoke = service instanceof aws.Service ? createSmokeTest(cfg, network!) : undefined;
    const migration = service instanceof aws.Service ? createMigrationTask(cfg, imageRef, secrets, service) : undefined;
    const ci = createAwsCiIdentity(cfg, registry, service, smoke, migration);
    const dashboard = createAwsDashboard(cfg, service, data);
    const repository = ci ? createAwsDelivery(cfg, ci, registry, service, smoke, network, migration, dashboard.url) : undefined;
    const monitoring = new aws.Monitoring("monitoring", {
        budgetAmount: cfg.settings.budgetAmount,
        accountId: awsSdk.getCallerIdentityOutput().accountId,
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
                  certificateValidationRecords: cfg.aws.domain ? service.certificateValidationRecords : undefined,
              }
            : { functionName: service.functionName, aliasName: service.aliasName }),
    });
}

/** The VPC of Fargate (none for Lambda): the tier's zones and NAT, the service port, the load balancer's allow-list. */
function createAwsNetwork(cfg: AwsSpec): Aws.Network | undefined {
    const shape = cfg.aws;
    if (shape.runtime === "lambda") return undefined;
    return new aws.Network("network", {
        azCount: shape.azCount,
        nat: shape.nat,
        servicePort: cfg.service.port,
        allowedCidrs: shape.allowedCidrs.length > 0 ? shape.allowedCidrs : undefined,
    });
}

/** The ECR repository and the image built into it, tagged by content (never a reused tag: production's repository is immutable). */
function createAwsRegistryAndImage(cfg: AwsSpec) {
    const registry = new aws.Registry("registry", {
        tier: cfg.tier,
        repositoryName: cfg.names.repository,
        immutableTags: cfg.aws.immutableTags,
        keepCount: cfg.settings.registryKeepCount,
        untaggedImageDays: cfg.settings.untaggedImageDays,
        protect: cfg.settings.protect,
    });
    const image = buildImage(cfg, registry.repository, (build) => ({
        repository: registry.url,
        tag: docker.contentTag(build.context, build.dockerfile),
        ...aws.ecrCredentials(registry.repository.registryId),
    }));
    return { registry, image };
}

/** With CI deploying an ECS service: the function its deploy job checks the new tasks with, from inside the VPC. */
function createSmokeTest(cfg: AwsSpec, network: Aws.Network): Aws.SmokeTest | undefined {
    if (cfg.github === undefined) return undefined;
    return new aws.SmokeTest("smoke-test", {
        functionName: `${cfg.names.service}-smoke`,
        subnetIds: network.privateSubnetIds,
        securityGroupId: network.loadBalancerSecurityGroupId,
        logRetentionDays: cfg.aws.logRetentionDays,
    });
}

/** With GitHub delivery: the deploy role (trusted from the stack's one deploy source) allowed exactly what its job does to the service. */
function createAwsCiIdentity(
    cfg: AwsSpec,
    registry: Aws.Registry,
    service: Aws.Service | Aws.FunctionService,
    smoke: Aws.SmokeTest | undefined,
    migration: Aws.MigrationTask | undefined,
): Aws.CiIdentity | undefined {
    const gh = cfg.github;
    if (gh === undefined) return undefined;
    return new aws.CiIdentity("ci", {
        ...repositoryOf(gh),
        targets: [gh.deploySource],
        existingProviderArn: cfg.aws.oidcProviderArn,
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
        previewEnvironment: gh.previewEnvironment,
    });
}

/** The CloudWatch dashboard of the service (ECS + load balancer, or the function) and its managed data. */
function createAwsDashboard(
    cfg: AwsSpec,
    service: Aws.Service | Aws.FunctionService,
    data: ReturnType<typeof createAwsData>,
): Aws.Dashboard {
    return new aws.Dashboard("dashboard", {
        dashboardName: cfg.names.service,
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
        logRetentionDays: shape.logRetentionDays,
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
