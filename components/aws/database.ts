import { RunwayComponent } from "../base";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { componentProfile, Tier, tierProblems } from "../../rules/profile";
import { finalSnapshotIdentifier, rdsMaxStorageGb, rdsMaxStorageProblems } from "../../rules/aws/data";

export interface DatabaseArgs {
    /** VPC whose private subnets host the database. */
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets (two or more AZs). */
    readonly subnetIds: pulumi.Input<string>[];
    /** Security group of the clients (the service's tasks); only it may connect. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** Tier: production is Multi-AZ with deletion protection and 30 days of backups. @default "staging" */
    readonly tier?: Tier;
    /** Instance class. @default "db.t4g.micro" (≈ $11.68/month single-AZ, $23.36 Multi-AZ) */
    readonly instanceClass?: string;
    /** gp3 storage in GB. @default 20 */
    readonly storageGb?: number;
    /**
     * Ceiling in GB that storage autoscaling may grow it to (RDS autoscales only with one; without it a full
     * disk stops writes). At least 10% above `storageGb`. Billed only as it grows. @default 10 × storageGb
     */
    readonly maxStorageGb?: number;
    /** `protect` the instance. @default tier preset (production only) */
    readonly protect?: boolean;
    /** A standby in another zone (×2 price). @default tier preset (production only) */
    readonly multiAz?: boolean;
    /** Days of automated backups (0-35; point-in-time recovery comes with them). @default tier preset (7, 30 in production) */
    readonly backupRetentionDays?: number;
    /** Write a final snapshot when the instance is deleted or replaced. @default the tier's (staging and production) */
    readonly finalSnapshot?: boolean;
    /** PostgreSQL major version. @default "16" */
    readonly engineVersion?: string;
}

/**
 * RDS for PostgreSQL in private subnets, encrypted, reachable only from the service's security
 * group, with storage autoscaling up to `maxStorageGb`; Multi-AZ, deletion protection, 30 days of
 * backups and a final snapshot in production.
 * `url` (secret) is what the service gets as DATABASE_URL.
 *
 * @example
 * const db = new aws.Database("db", { vpcId: net.vpc.id, subnetIds: net.privateSubnetIds, clientSecurityGroupId: net.serviceSecurityGroupId, tier: "production" });
 */
export class Database extends RunwayComponent {
    public readonly instance: aws.rds.Instance;
    /** `postgresql://app:<password>@<host>:5432/app?sslmode=require`, secret. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:Database", name, opts);
        const storageGb = args.storageGb ?? 20;
        const maxStorageGb = rdsMaxStorageGb(storageGb, args.maxStorageGb);
        this.refuse([
            ...tierProblems(args.tier, this.argKey("tier")),
            ...rdsMaxStorageProblems(storageGb, maxStorageGb, this.argKey("maxStorageGb")),
        ]);
        const profile = componentProfile(args.tier, "staging");
        const protect = args.protect ?? profile.settings.protect;
        const finalSnapshot = args.finalSnapshot ?? profile.data.finalSnapshot;
        const parent = { parent: this };
        const subnets = new aws.rds.SubnetGroup(`${name}-subnets`, { subnetIds: args.subnetIds }, parent);
        const sg = new aws.ec2.SecurityGroup(
            `${name}-access`,
            {
                vpcId: args.vpcId,
                description: "PostgreSQL from the service only",
                ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [args.clientSecurityGroupId] }],
            },
            parent,
        );
        const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, parent);
        // A new suffix whenever the instance is replaced: each deletion writes its own final snapshot.
        const snapshotSuffix = new random.RandomId(
            `${name}-snapshot-suffix`,
            { byteLength: 4, keepers: { engine: "postgres", subnets: subnets.name, encrypted: "true" } },
            parent,
        );
        this.instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                engine: "postgres",
                engineVersion: args.engineVersion ?? "16",
                // A new runway:databaseVersion is a major upgrade, which RDS refuses without this flag (InvalidParameterCombination).
                allowMajorVersionUpgrade: true,
                instanceClass: args.instanceClass ?? profile.data.awsInstanceClass,
                allocatedStorage: storageGb,
                // Storage autoscaling; the provider ignores an allocatedStorage below the grown size while it is on.
                maxAllocatedStorage: maxStorageGb,
                storageType: "gp3",
                storageEncrypted: true,
                dbName: "app",
                username: "app",
                password: password.result,
                multiAz: args.multiAz ?? profile.settings.databaseHa,
                publiclyAccessible: false,
                dbSubnetGroupName: subnets.name,
                vpcSecurityGroupIds: [sg.id],
                backupRetentionPeriod: args.backupRetentionDays ?? profile.settings.databaseBackups,
                deletionProtection: protect,
                skipFinalSnapshot: !finalSnapshot,
                finalSnapshotIdentifier: finalSnapshot ? snapshotSuffix.hex.apply((hex) => finalSnapshotIdentifier(name, hex)) : undefined,
                copyTagsToSnapshot: true,
                autoMinorVersionUpgrade: true,
                maintenanceWindow: "sun:04:00-sun:05:00",
                backupWindow: "03:00-03:30",
            },
            { parent: this, protect },
        );
        this.url = pulumi.secret(pulumi.interpolate`postgresql://app:${password.result}@${this.instance.address}:5432/app?sslmode=require`);
        this.registerOutputs({ url: this.url });
    }
}
