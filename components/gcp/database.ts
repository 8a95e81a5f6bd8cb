import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { throwIfProblems } from "../../rules/problems";
import { TIER_PROFILES, tierProblems } from "../../rules/profile";
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
export class Database extends pulumi.ComponentResource {
    public readonly instance: gcp.sql.DatabaseInstance;
    public readonly replica?: gcp.sql.DatabaseInstance;
    public readonly database: gcp.sql.Database;
    public readonly user: gcp.sql.User;
    /** `postgresql://<user>:<password>@<private ip>:5432/<db>?sslmode=require`, secret. */
    public readonly url: pulumi.Output<string>;
    /** `project:region:instance`, for the Cloud SQL connectors. */
    public readonly connectionName: pulumi.Output<string>;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:Database", name, {}, opts);
        const preset = TIER_PROFILES[args.tier ?? "solo"]?.settings;
        const shape: DatabaseShape = {
            machine: args.machine ?? preset?.databaseMachine,
            ha: args.ha ?? preset?.databaseHa,
            backups: args.backups ?? preset?.databaseBackups,
            pitr: args.pitr ?? preset?.databasePitr,
            readReplica: args.readReplica ?? false,
            version: args.version ?? "POSTGRES_16",
            diskGb: args.diskGb ?? 10,
            requireBackups: TIER_PROFILES[args.tier ?? "solo"]?.data.backupsRequired ?? false,
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
        throwIfProblems(`Invalid arguments for runway:gcp:Database "${name}"`, [
            ...tierProblems(args.tier, `Database(${name}).tier`),
            ...(preset ? checkDatabaseShape(shape, (f) => `Database(${name}).${argName[f]}`) : []),
        ]);
        const protect = args.protect ?? preset.protect;
        const insights = args.insights ?? preset.databaseInsights;
        const parent = { parent: this };

        const settings = (availability: "REGIONAL" | "ZONAL", withBackups: boolean): gcp.types.input.sql.DatabaseInstanceSettings => ({
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
                privateNetwork: args.network,
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
                queryInsightsEnabled: insights,
                queryStringLength: 1024,
                recordApplicationTags: false,
                recordClientAddress: false,
            },
            databaseFlags: DATABASE_FLAGS,
            userLabels: { "managed-by": "runway" },
        });

        this.instance = new gcp.sql.DatabaseInstance(
            `${name}-instance`,
            {
                project: args.project,
                region: args.region,
                databaseVersion: shape.version,
                deletionProtection: protect,
                settings: settings(shape.ha ? "REGIONAL" : "ZONAL", true),
            },
            { parent: this, protect },
        );
        if (shape.readReplica) {
            this.replica = new gcp.sql.DatabaseInstance(
                `${name}-replica`,
                {
                    project: args.project,
                    region: args.region,
                    databaseVersion: shape.version,
                    masterInstanceName: this.instance.name,
                    deletionProtection: protect,
                    settings: settings("ZONAL", false),
                },
                { parent: this, protect },
            );
        }

        this.database = new gcp.sql.Database(
            `${name}-db`,
            {
                project: args.project,
                instance: this.instance.name,
                name: args.databaseName ?? "app",
            },
            { ...parent, protect },
        );
        const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, parent);
        this.user = new gcp.sql.User(
            `${name}-user`,
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
            parent,
        );
        this.url = pulumi.secret(
            pulumi.interpolate`postgresql://${this.user.name}:${password.result}@${this.instance.privateIpAddress}:5432/${this.database.name}?sslmode=require`,
        );
        this.connectionName = this.instance.connectionName;
        this.registerOutputs({ url: this.url, connectionName: this.connectionName });
    }
}
