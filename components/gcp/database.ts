import { MANAGED_BY, RunwayComponent } from "../base";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { componentProfile, tierProblems } from "../../rules/profile";
import { checkDatabaseShape, DatabaseShape } from "../../rules/gcp/data";
import type { Tier } from "../../rules/profile";

/** Where a managed data service lives: shared by `Database` and `Cache`. */
export interface PrivateDataArgs {
    /** Project id. @default the provider's project */
    readonly project?: pulumi.Input<string>;
    /** Region. @example "us-central1" */
    readonly region: pulumi.Input<string>;
    /** VPC (id) with private services access: the service gets a private IP there and no public IP. */
    readonly network: pulumi.Input<string>;
    /** Tier whose presets fill the other settings. @default "solo" */
    readonly tier?: Tier;
    /** `protect` plus deletion protection. @default tier preset (production only) */
    readonly protect?: boolean;
}

export interface DatabaseArgs extends PrivateDataArgs {
    /** Machine. @default tier preset (db-f1-micro; production db-custom-2-7680) @example "db-custom-4-15360" */
    readonly machine?: string;
    /** Regional HA with a standby in another zone (×2 price). @default tier preset (production only) */
    readonly ha?: boolean;
    /** Daily backups retained. @default tier preset (7; production 30) */
    readonly backups?: number;
    /** Point-in-time recovery (7 days of logs). @default tier preset (production only) */
    readonly pitr?: boolean;
    /** Query insights. @default tier preset (production only) */
    readonly insights?: boolean;
    /** A read replica in the same region (needs `ha`). @default false */
    readonly readReplica?: boolean;
    /** Postgres major version; upgrades happen in place. @default "POSTGRES_16" */
    readonly version?: string;
    /** Disk in GB; grows automatically, never shrinks. @default 10 */
    readonly diskGb?: number;
    /** Database created for the service. @default "app" */
    readonly databaseName?: string;
    /** Database user the service connects as (password generated, kept secret). @default "app" */
    readonly userName?: string;
}

/** Slow-query logging and connection logs, as the source write-up recommends. */
export const DATABASE_FLAGS = [
    { name: "log_min_duration_statement", value: "500" },
    { name: "log_lock_waits", value: "on" },
    { name: "log_temp_files", value: "0" },
];

/**
 * Cloud SQL for PostgreSQL reachable only on a private IP (private services access; no public IPv4),
 * SSL required, backups and point-in-time recovery by tier, a maintenance window, query insights,
 * slow-query logging, a database and a user whose generated password never leaves secret outputs.
 * `url` is the connection URL to store in Secret Manager.
 *
 * @example
 * const db = new gcp.Database("db", { region: "us-central1", network: net.networkId, tier: "production" },
 *     { dependsOn: [net.privateServicesConnection!] });
 */
export class Database extends RunwayComponent {
    public readonly instance: gcp.sql.DatabaseInstance;
    public readonly replica?: gcp.sql.DatabaseInstance;
    public readonly database: gcp.sql.Database;
    public readonly user: gcp.sql.User;
    /** `postgresql://<user>:<password>@<private ip>:5432/<db>?sslmode=require`, secret. */
    public readonly url: pulumi.Output<string>;
    /** `project:region:instance`, for the Cloud SQL connectors. */
    public readonly connectionName: pulumi.Output<string>;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:Database", name, opts);
        const spec = this.resolve(args);
        const instance = (role: string, availability: "REGIONAL" | "ZONAL", primary?: pulumi.Output<string>) =>
            new gcp.sql.DatabaseInstance(
                this.childName(role),
                {
                    project: args.project,
                    region: args.region,
                    databaseVersion: spec.shape.version,
                    ...(primary ? { masterInstanceName: primary } : {}),
                    deletionProtection: spec.protect,
                    settings: instanceSettings(spec, args.network, availability, primary === undefined),
                },
                this.childOpts({ protect: spec.protect }),
            );
        this.instance = instance("instance", spec.shape.ha ? "REGIONAL" : "ZONAL");
        if (spec.shape.readReplica) this.replica = instance("replica", "ZONAL", this.instance.name);
        this.database = new gcp.sql.Database(
            this.childName("db"),
            { project: args.project, instance: this.instance.name, name: args.databaseName ?? "app" },
            this.childOpts({ protect: spec.protect }),
        );
        const password = new random.RandomPassword(this.childName("password"), { length: 32, special: false }, this.childOpts());
        this.user = new gcp.sql.User(
            this.childName("user"),
            {
                project: args.project,
                instance: this.instance.name,
                name: args.userName ?? "app",
                password: password.result,
                // Postgres cannot DROP ROLE while the role owns objects in the database, and destroy
                // does not order the user after the database: abandon the role, as the provider
                // recommends for Postgres (magic-modules website/docs/r/sql_user.html.markdown).
                deletionPolicy: "ABANDON",
            },
            this.childOpts(),
        );
        this.url = pulumi.secret(
            pulumi.interpolate`postgresql://${this.user.name}:${password.result}@${this.instance.privateIpAddress}:5432/${this.database.name}?sslmode=require`,
        );
        this.connectionName = this.instance.connectionName;
        this.registerOutputs({ url: this.url, connectionName: this.connectionName });
    }

    /** Checks the arguments and fills the tier's defaults. */
    private resolve(args: DatabaseArgs): DatabaseSpec {
        const profile = componentProfile(args.tier, "solo");
        const preset = profile.settings;
        const shape: DatabaseShape = {
            machine: args.machine ?? preset.databaseMachine,
            ha: args.ha ?? preset.databaseHa,
            backups: args.backups ?? preset.databaseBackups,
            pitr: args.pitr ?? preset.databasePitr,
            readReplica: args.readReplica ?? false,
            version: args.version ?? "POSTGRES_16",
            diskGb: args.diskGb ?? 10,
            requireBackups: profile.data.backupsRequired,
        };
        const argName: Record<keyof DatabaseShape, string> = {
            machine: "machine",
            ha: "ha",
            backups: "backups",
            pitr: "pitr",
            readReplica: "readReplica",
            version: "version",
            diskGb: "diskGb",
            requireBackups: "tier",
        };
        this.refuse([...tierProblems(args.tier, this.argKey("tier")), ...checkDatabaseShape(shape, (f) => this.argKey(argName[f]))]);
        return { shape, protect: args.protect ?? preset.protect, insights: args.insights ?? preset.databaseInsights };
    }
}

/** What a `Database` builds from: the checked shape and its protection and insights. */
interface DatabaseSpec {
    readonly shape: DatabaseShape;
    readonly protect: boolean;
    readonly insights: boolean;
}

/** The settings of the primary (with backups) or of the read replica (without). */
function instanceSettings(
    spec: DatabaseSpec,
    network: pulumi.Input<string>,
    availability: "REGIONAL" | "ZONAL",
    withBackups: boolean,
): gcp.types.input.sql.DatabaseInstanceSettings {
    const { shape, protect } = spec;
    return {
        tier: shape.machine,
        // Shared-core and custom machines exist only in the Enterprise edition (Enterprise Plus is the default for new Postgres 16+).
        edition: "ENTERPRISE",
        availabilityType: availability,
        diskType: "PD_SSD",
        diskSize: shape.diskGb,
        diskAutoresize: true,
        deletionProtectionEnabled: protect,
        retainBackupsOnDelete: protect,
        ipConfiguration: {
            ipv4Enabled: false,
            privateNetwork: network,
            sslMode: "ENCRYPTED_ONLY",
            enablePrivatePathForGoogleCloudServices: true,
        },
        backupConfiguration: withBackups
            ? {
                  enabled: shape.backups > 0,
                  startTime: "03:00",
                  pointInTimeRecoveryEnabled: shape.pitr,
                  transactionLogRetentionDays: shape.pitr ? 7 : undefined,
                  backupRetentionSettings: shape.backups > 0 ? { retainedBackups: shape.backups, retentionUnit: "COUNT" } : undefined,
              }
            : undefined,
        maintenanceWindow: { day: 7, hour: 4, updateTrack: "stable" },
        insightsConfig: {
            queryInsightsEnabled: spec.insights,
            queryStringLength: 1024,
            recordApplicationTags: false,
            recordClientAddress: false,
        },
        databaseFlags: DATABASE_FLAGS,
        userLabels: { ...MANAGED_BY },
    };
}
