import { MANAGED_BY, RunwayComponent } from "../base";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { componentProfile, tierProblems } from "../../rules/profile";
import { checkCacheSize } from "../../rules/gcp/data";
import type { PrivateDataArgs } from "./database";

export interface CacheArgs extends PrivateDataArgs {
    /** Capacity in GB (1-300). @default 1 */
    readonly sizeGb?: number;
    /** STANDARD_HA (replica and automatic failover) instead of BASIC. Changing it replaces the instance. @default tier preset (production only) */
    readonly ha?: boolean;
}

/**
 * Memorystore for Redis on private services access, with AUTH and in-transit encryption (clients
 * verify the server with `caCert`) and a Sunday-morning maintenance window. `url` is secret.
 *
 * @example
 * const cache = new gcp.Cache("cache", { region: "us-central1", network: net.networkId, tier: "production" });
 */
export class Cache extends RunwayComponent {
    public readonly instance: gcp.redis.Instance;
    /** `rediss://:<auth>@<host>:<port>`, secret. */
    public readonly url: pulumi.Output<string>;
    /** PEM of the server CAs the client must trust for TLS (the Runway program delivers it as `REDIS_CA_PEM`). */
    public readonly caCert: pulumi.Output<string>;

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:Cache", name, opts);
        const preset = componentProfile(args.tier, "solo").settings;
        const sizeGb = args.sizeGb ?? 1;
        this.refuse([...tierProblems(args.tier, `Cache(${name}).tier`), ...checkCacheSize(sizeGb, `Cache(${name}).sizeGb`)]);
        const protect = args.protect ?? preset.protect;
        const ha = args.ha ?? preset.cacheHa;

        this.instance = new gcp.redis.Instance(
            `${name}-instance`,
            {
                project: args.project,
                region: args.region,
                tier: ha ? "STANDARD_HA" : "BASIC",
                memorySizeGb: sizeGb,
                redisVersion: "REDIS_7_2",
                authorizedNetwork: args.network,
                connectMode: "PRIVATE_SERVICE_ACCESS",
                authEnabled: true,
                transitEncryptionMode: "SERVER_AUTHENTICATION",
                deletionProtection: protect,
                maintenancePolicy: {
                    weeklyMaintenanceWindows: [{ day: "SUNDAY", startTime: { hours: 4, minutes: 0, seconds: 0, nanos: 0 } }],
                },
                labels: { ...MANAGED_BY },
            },
            { parent: this, protect },
        );
        this.url = pulumi.secret(pulumi.interpolate`rediss://:${this.instance.authString}@${this.instance.host}:${this.instance.port}`);
        // Every current CA: during a CA rotation Memorystore lists the new one beside the old.
        this.caCert = this.instance.serverCaCerts.apply((certs) =>
            (certs ?? [])
                .map((c) => c.cert)
                .filter(Boolean)
                .join("\n"),
        );
        this.registerOutputs({ url: this.url, caCert: this.caCert });
    }
}
