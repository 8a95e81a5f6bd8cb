/** Wiring shared by the compositions (serverless and Kubernetes). */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "../components/docker";
import * as gcp from "../components/gcp";
import type * as Aws from "../components/aws";
import type { ResolvedBuild } from "../components/docker/buildPlan";
import type { AwsSpec, GcpSpec, StackSpec } from "./config";

/** Where a cloud pushes the built image: repository, tag and push credentials (only asked for when there is a build). */
export type ImageDestination = Pick<docker.ImageArgs, "repository" | "tag" | "registryServer" | "registryUsername" | "registryPassword">;

/** Builds the service's Dockerfile (as the config resolved it) into `destination`, unless a prebuilt image is configured. */
export function buildImage(
    cfg: StackSpec,
    registry: pulumi.Resource,
    destination: (build: ResolvedBuild) => ImageDestination,
): docker.Image | undefined {
    const build = cfg.service.build;
    return build === undefined ? undefined : new docker.Image("image", { ...build, ...destination(build) }, { dependsOn: [registry] });
}

/** Drops outputs a tier does not have (Pulumi warns about undefined stack outputs). */
export function definedOnly<T extends Record<string, unknown>>(outputs: T): Partial<T> {
    return Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The stack's Artifact Registry repository (named `<service>-<stack>`) and the image built into it, tagged with the stack. */
export function gcpRegistryAndImage(cfg: GcpSpec, opts: pulumi.ComponentResourceOptions) {
    const { project, region, settings, tier } = cfg;
    const registry = new gcp.Registry(
        "registry",
        {
            project,
            location: region,
            tier,
            repositoryId: cfg.names.base,
            keepCount: settings.registryKeepCount,
            untaggedImageDays: settings.untaggedImageDays,
            imageRetentionDays: settings.imageRetentionDays,
            protect: settings.protect,
        },
        opts,
    );
    const image = buildImage(cfg, registry.repository, () => ({
        repository: pulumi.interpolate`${registry.url}/${cfg.service.name}`,
        tag: pulumi.getStack(),
        ...gcp.artifactRegistryCredentials(region),
    }));
    return { registry, image };
}

/** Cloud SQL and Memorystore on `network` (which has private services access), as the stack asked. */
export function gcpManagedData(cfg: GcpSpec, network: pulumi.Input<string>, opts: pulumi.ComponentResourceOptions) {
    const { project, region, settings, tier } = cfg;
    const database =
        cfg.database !== "managed"
            ? undefined
            : new gcp.Database(
                  "database",
                  {
                      project,
                      region,
                      tier,
                      network,
                      machine: settings.databaseMachine,
                      ha: settings.databaseHa,
                      backups: settings.databaseBackups,
                      pitr: settings.databasePitr,
                      insights: settings.databaseInsights,
                      readReplica: cfg.managedDatabase?.readReplica,
                      version: cfg.managedDatabase?.version,
                      diskGb: cfg.managedDatabase?.diskGb,
                      protect: settings.protect,
                  },
                  opts,
              );
    const cache =
        cfg.cache !== "managed"
            ? undefined
            : new gcp.Cache(
                  "cache",
                  { project, region, tier, network, sizeGb: cfg.cacheSizeGb, ha: settings.cacheHa, protect: settings.protect },
                  opts,
              );
    return { database, cache };
}

/** The secrets managed data adds on GCP: its URLs, and the CA a TLS Redis client must trust. */
export function gcpDataSecrets(data: { database?: gcp.Database; cache?: gcp.Cache }): Record<string, pulumi.Input<string>> {
    return {
        ...(data.database ? { DATABASE_URL: data.database.url } : {}),
        ...(data.cache ? { REDIS_URL: data.cache.url, REDIS_CA_PEM: data.cache.caCert } : {}),
    };
}

/** Where AWS managed data lives and who may connect: the private subnets, and the security group of its clients. */
export interface AwsDataPlacement {
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: pulumi.Input<string>[];
    readonly clientSecurityGroupId: pulumi.Input<string>;
}

/** RDS and ElastiCache in `placement`, reachable from its client security group only; their URLs as secrets. */
export function awsManagedData(cfg: AwsSpec, placement: AwsDataPlacement) {
    const aws: typeof Aws = require("../components/aws");
    const { settings, tier, names } = cfg;
    const shape = cfg.aws;
    const database =
        cfg.database !== "managed"
            ? undefined
            : new aws.Database("database", {
                  ...placement,
                  tier,
                  protect: settings.protect,
                  instanceClass: shape.database.instanceClass,
                  multiAz: shape.database.multiAz,
                  backupRetentionDays: shape.database.backupRetentionDays,
                  engineVersion: shape.database.engineVersion,
                  storageGb: shape.database.storageGb,
                  maxStorageGb: shape.database.maxStorageGb,
                  finalSnapshot: shape.database.finalSnapshot,
              });
    const cache =
        cfg.cache !== "managed"
            ? undefined
            : new aws.Cache("cache", {
                  ...placement,
                  cacheName: names.cache,
                  sizeGb: shape.cache.sizeGb,
                  ha: shape.cache.ha,
                  protect: settings.protect,
              });
    return {
        secrets: { ...(database ? { DATABASE_URL: database.url } : {}), ...(cache ? { REDIS_URL: cache.url } : {}) },
        database,
        cache,
    };
}

/** The stack's secrets store on AWS: the configured secrets plus the managed data's URLs, under the stack's path. */
export function awsSecrets(cfg: AwsSpec, dataSecrets: Record<string, pulumi.Input<string>>): Aws.Secrets {
    const aws: typeof Aws = require("../components/aws");
    return new aws.Secrets("secrets", {
        tier: cfg.tier,
        path: cfg.names.secretsPath,
        values: { ...cfg.secrets, ...dataSecrets },
        secretsManager: cfg.aws.secretsManager,
        recoveryWindowDays: cfg.aws.secretRecoveryDays,
        protect: cfg.settings.protect,
    });
}
