import { RunwayComponent } from "../base";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { REDIS_IMAGE } from "./images";
import { engineName, loopbackPort, redisConfig, redisHealthcheck, redisUrl } from "./wiring";

export interface RedisArgs {
    /** Docker network the container joins; the app reaches it there by container name. */
    readonly network: pulumi.Input<string>;
    /** Prefix of the container and volume names (unique per Docker engine). @example "runway-app-local" */
    readonly namePrefix: string;
    /** Host port published on 127.0.0.1 for tools on your machine (redis-cli). @default 6379 */
    readonly hostPort?: number;
}

const CONFIG_FILE = "/usr/local/etc/redis/redis.conf";

/**
 * Redis on the local Docker engine: the official image pinned by digest, running as its non-root
 * `redis` user, append-only data in a named volume that outlives the container, a generated
 * password in a config file (not in the command line or env), a health check, 127.0.0.1 only.
 *
 * @example
 * const cache = new local.Redis("cache", { network: net.name, namePrefix: "shop-dev" });
 * // cache.url → REDIS_URL for containers on the network, secret
 */
export class Redis extends RunwayComponent {
    public readonly volume: docker.Volume;
    public readonly container: docker.Container;
    /** `redis://:<password>@<container>:6379` for containers on the network, secret. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:local:Redis", name, opts);
        const containerName = engineName(args.namePrefix, "redis");
        this.volume = new docker.Volume(
            `${name}-data`,
            { name: engineName(args.namePrefix, "redisdata") },
            { parent: this, retainOnDelete: true },
        );
        const image = new docker.RemoteImage(`${name}-image`, { name: REDIS_IMAGE.ref, keepLocally: true }, { parent: this });
        const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { parent: this });

        this.container = new docker.Container(
            `${name}-container`,
            {
                name: containerName,
                image: image.imageId,
                user: REDIS_IMAGE.user,
                command: ["redis-server", CONFIG_FILE],
                uploads: [{ file: CONFIG_FILE, content: pulumi.secret(password.result.apply(redisConfig)), permissions: "0444" }],
                volumes: [{ volumeName: this.volume.name, containerPath: "/data" }],
                networksAdvanced: [{ name: args.network, aliases: ["redis"] }],
                ports: [loopbackPort(6379, args.hostPort ?? 6379)],
                healthcheck: redisHealthcheck(CONFIG_FILE),
                restart: "unless-stopped",
                wait: true,
                waitTimeout: 60,
            },
            { parent: this },
        );

        this.url = pulumi.secret(password.result.apply((p) => redisUrl(p, containerName, 6379)));
        this.registerOutputs({ url: this.url });
    }
}
