import { RunwayComponent } from "../base";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { POSTGRES_IMAGE } from "./images";
import { SECRETS_DIR, engineName, loopbackPort, postgresHealthcheck, postgresUrl } from "./wiring";

export interface PostgresArgs {
    /** Docker network the container joins; the app reaches it there by container name. */
    readonly network: pulumi.Input<string>;
    /** Prefix of the container and volume names (unique per Docker engine). @example "runway-app-local" */
    readonly namePrefix: string;
    /** Database and user name. @default "app" */
    readonly database?: string;
    /** Host port published on 127.0.0.1 for tools on your machine (psql, migrations). @default 5432 */
    readonly hostPort?: number;
}

/**
 * PostgreSQL on the local Docker engine: the official image pinned by digest, running as its
 * non-root `postgres` user, data in a named volume that outlives the container (and `pulumi
 * destroy`), a generated password passed as a file, a health check, and the port on 127.0.0.1 only.
 *
 * @example
 * const db = new local.Postgres("database", { network: net.name, namePrefix: "shop-dev" });
 * // db.url → DATABASE_URL for containers on the network, secret
 */
export class Postgres extends RunwayComponent {
    public readonly volume: docker.Volume;
    public readonly container: docker.Container;
    /** Connection URL for containers on the network (host = container name), secret. */
    public readonly url: pulumi.Output<string>;
    /** Connection URL from your machine through 127.0.0.1, secret. */
    public readonly hostUrl: pulumi.Output<string>;

    constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:local:Postgres", name, opts);
        const database = args.database ?? "app";
        const hostPort = args.hostPort ?? 5432;
        const containerName = engineName(args.namePrefix, "postgres");
        // The data outlives every container change; a new image or setting never touches it.
        this.volume = new docker.Volume(
            `${name}-data`,
            { name: engineName(args.namePrefix, "pgdata") },
            { parent: this, retainOnDelete: true },
        );
        const image = new docker.RemoteImage(`${name}-image`, { name: POSTGRES_IMAGE.ref, keepLocally: true }, { parent: this });
        const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { parent: this });
        const passwordFile = `${SECRETS_DIR}/postgres-password`;

        this.container = new docker.Container(
            `${name}-container`,
            {
                name: containerName,
                image: image.imageId,
                user: POSTGRES_IMAGE.user,
                envs: [`POSTGRES_USER=${database}`, `POSTGRES_DB=${database}`, `POSTGRES_PASSWORD_FILE=${passwordFile}`],
                uploads: [{ file: passwordFile, content: pulumi.secret(password.result), permissions: "0444" }],
                volumes: [{ volumeName: this.volume.name, containerPath: "/var/lib/postgresql/data" }],
                networksAdvanced: [{ name: args.network, aliases: ["postgres"] }],
                ports: [loopbackPort(5432, hostPort)],
                healthcheck: postgresHealthcheck(database, database),
                restart: "unless-stopped",
                wait: true,
                waitTimeout: 120,
            },
            { parent: this },
        );

        this.url = pulumi.secret(password.result.apply((p) => postgresUrl(database, p, containerName, 5432, database)));
        this.hostUrl = pulumi.secret(password.result.apply((p) => postgresUrl(database, p, "127.0.0.1", hostPort, database)));
        this.registerOutputs({ url: this.url, hostUrl: this.hostUrl });
    }
}
