import { MANAGED_BY, RunwayComponent } from "../base";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { cacheNodeType, CACHE_NODE_TYPES } from "../../rules/aws/data";

/**
 * Valkey major.minor: ElastiCache takes `<major>.<minor>` for Valkey (the Terraform provider refuses any other form,
 * internal/service/elasticache/engine_version.go) and picks the newest patch; the default parameter group is default.valkey8.
 * The pin stays what runs because AWS's minor-version upgrades are off (`autoMinorVersionUpgrade: false` below): the
 * provider reads the running version back as `<major>.<minor>` and plans a pin *below* it as a downgrade, which it
 * forces as a replacement (same file, engineVersionForceNewOnDowngrade), so an 8.0 pin after AWS moved the group to
 * 8.1 would replace the cache (and its data) on the next refreshing `up`. Patch releases keep coming as service
 * updates; raising this constant is an in-place upgrade.
 */
export const VALKEY_VERSION = "8.0";

export interface CacheArgs {
    /** VPC whose private subnets host the cache. */
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets (two or more AZs for `ha`). */
    readonly subnetIds: pulumi.Input<string>[];
    /** Security group of the clients (the service's tasks); only it may connect. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** Replication group id: unique per account and region, so include the stack (≤ 40 characters). @default the component name */
    readonly cacheName?: string;
    /** Memory the cache needs, in GB: the smallest node type that holds it is used. @default 1 (cache.t4g.small, 1.37 GiB) */
    readonly sizeGb?: number;
    /** A replica in another zone with automatic failover (×2 price). @default false */
    readonly ha?: boolean;
    /** `protect` the replication group. @default false */
    readonly protect?: boolean;
}

/**
 * ElastiCache for Valkey in private subnets: encrypted in transit (TLS) and at rest, AUTH with a
 * generated token, reachable only from the service's security group; a replica with automatic
 * failover across zones with `ha`. `url` (secret) is what the service gets as REDIS_URL.
 *
 * @example
 * const cache = new aws.Cache("cache", { vpcId: net.vpc.id, subnetIds: net.privateSubnetIds, clientSecurityGroupId: net.serviceSecurityGroupId, cacheName: "shop-production", ha: true });
 */
export class Cache extends RunwayComponent {
    public readonly replicationGroup: aws.elasticache.ReplicationGroup;
    /** `rediss://:<token>@<primary endpoint>:6379`, secret. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:Cache", name, opts);
        const sizeGb = args.sizeGb ?? 1;
        const nodeType = cacheNodeType(sizeGb);
        const cacheName = args.cacheName ?? name;
        this.refuse([
            ...(nodeType && sizeGb > 0
                ? []
                : [
                      {
                          key: `Cache(${name}).sizeGb`,
                          value: sizeGb,
                          allowed: `more than 0 and at most ${CACHE_NODE_TYPES[CACHE_NODE_TYPES.length - 1][1]} GB`,
                      },
                  ]),
            ...(/^[a-z]([a-z0-9]|-(?!-)){0,39}$/.test(cacheName) && !cacheName.endsWith("-")
                ? []
                : [
                      {
                          key: `Cache(${name}).cacheName`,
                          value: cacheName,
                          allowed: "1-40 lowercase letters, digits and single hyphens, starting with a letter",
                      },
                  ]),
        ]);
        const parent = { parent: this };
        const subnets = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            { subnetIds: args.subnetIds, description: "Runway cache: private subnets" },
            parent,
        );
        const sg = new aws.ec2.SecurityGroup(
            `${name}-access`,
            {
                vpcId: args.vpcId,
                description: "Valkey from the service only",
                ingress: [{ protocol: "tcp", fromPort: 6379, toPort: 6379, securityGroups: [args.clientSecurityGroupId] }],
            },
            parent,
        );
        // AUTH tokens: 16-128 printable characters without @, " or / (letters and digits here).
        const token = new random.RandomPassword(`${name}-auth`, { length: 48, special: false }, parent);
        this.replicationGroup = new aws.elasticache.ReplicationGroup(
            `${name}-cache`,
            {
                replicationGroupId: cacheName,
                description: "Runway cache (Valkey, TLS + AUTH)",
                engine: "valkey",
                engineVersion: VALKEY_VERSION,
                nodeType: nodeType!,
                port: 6379,
                numCacheClusters: args.ha ? 2 : 1,
                automaticFailoverEnabled: args.ha ?? false,
                multiAzEnabled: args.ha ?? false,
                subnetGroupName: subnets.name,
                securityGroupIds: [sg.id],
                transitEncryptionEnabled: true,
                atRestEncryptionEnabled: true,
                authToken: token.result,
                snapshotRetentionLimit: args.ha ? 7 : 0,
                // Minor versions move only with VALKEY_VERSION: an AWS-side minor upgrade would make the pin a downgrade (replacement).
                autoMinorVersionUpgrade: false,
                maintenanceWindow: "sun:05:00-sun:06:00",
                tags: { ...MANAGED_BY },
            },
            { parent: this, protect: args.protect ?? false },
        );
        this.url = pulumi.secret(pulumi.interpolate`rediss://:${token.result}@${this.replicationGroup.primaryEndpointAddress}:6379`);
        this.registerOutputs({ url: this.url });
    }
}
