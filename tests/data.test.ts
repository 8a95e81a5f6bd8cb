import { expect } from "chai";
import * as gcp from "../components/gcp";
import { checkDatabaseShape, machineProblem } from "../rules/gcp/data";
import { RunwayInputError } from "../rules/problems";
import { identityOf } from "../plan";
import { resolveStack } from "../stacks/config";
import { planStack } from "./helpers/plans";
import { rawConfig } from "./helpers/raw";
import { expectRejected, one, record } from "./helpers/record";

const SQL = "gcp:sql/databaseInstance:DatabaseInstance";
const REDIS = "gcp:redis/instance:Instance";
const MANAGED = { "runway:database": "managed", "runway:cache": "managed" };

function problemsOf(values: Record<string, string | undefined>): string {
    try {
        resolveStack(rawConfig(values));
    } catch (err) {
        expect(RunwayInputError.isInstance(err)).to.equal(true);
        return (err as Error).message;
    }
    throw new Error("expected the config to be rejected");
}

describe("database and cache settings", () => {
    it("accept the machines Cloud SQL offers and explain the ones it does not", () => {
        for (const ok of ["db-f1-micro", "db-g1-small", "db-custom-1-3840", "db-custom-2-7680", "db-custom-4-15360"])
            expect(machineProblem(ok), ok).to.equal(undefined);
        expect(machineProblem("db-n1-standard-1")).to.match(/db-custom-<vCPU>-<memory MB>/);
        expect(machineProblem("db-custom-3-7680")).to.match(/1 or an even number of vCPUs/);
        expect(machineProblem("db-custom-2-1000")).to.match(/multiples of 256 MB/);
        expect(machineProblem("db-custom-2-30720")).to.match(/between 2048 and 13312 MB for 2 vCPU/);
    });

    it("reject a read replica without HA, PITR without backups, and production without backups", () => {
        const base = {
            machine: "db-f1-micro",
            ha: false,
            backups: 7,
            pitr: false,
            readReplica: false,
            version: "POSTGRES_16",
            diskGb: 10,
            requireBackups: false,
        };
        const keys = (shape: typeof base) => checkDatabaseShape(shape, (f) => f).map((p) => p.key);
        expect(keys(base)).to.deep.equal([]);
        expect(keys({ ...base, readReplica: true })).to.deep.equal(["readReplica"]);
        expect(keys({ ...base, backups: 0, pitr: true })).to.deep.equal(["pitr"]);
        expect(keys({ ...base, backups: 0, requireBackups: true })).to.deep.equal(["backups"]);
    });

    const bad: [string, Record<string, string>, RegExp][] = [
        [
            "an invalid machine",
            { ...MANAGED, "runway:databaseMachine": "db-n1-standard-2" },
            /runway:databaseMachine = "db-n1-standard-2": db-f1-micro, db-g1-small or db-custom/,
        ],
        [
            "a cache size outside 1-300 GB",
            { ...MANAGED, "runway:cacheSizeGb": "500" },
            /runway:cacheSizeGb = "500": a whole number from 1 to 300/,
        ],
        [
            "a read replica without HA",
            { ...MANAGED, "runway:databaseReadReplica": "true" },
            /runway:databaseReadReplica = true: false unless the primary is highly available/,
        ],
        [
            "backups turned off in production",
            { ...MANAGED, "runway:tier": "production", "runway:databaseBackups": "0" },
            /runway:databaseBackups = 0: at least 1 retained backup in production/,
        ],
        [
            "an unknown Postgres version",
            { ...MANAGED, "runway:databaseVersion": "POSTGRES_9" },
            /runway:databaseVersion = "POSTGRES_9": one of POSTGRES_14/,
        ],
        [
            "DATABASE_URL set twice",
            { ...MANAGED, "runway:env": JSON.stringify(["DATABASE_URL=postgres://x"]) },
            /runway:database = "managed": DATABASE_URL set only by the managed service/,
        ],
    ];
    for (const [label, values, expected] of bad) {
        it(`config rejects ${label}`, () => {
            expect(problemsOf(values)).to.match(expected);
        });
    }
});

describe("gcp.Database and gcp.Cache under the mock runtime", () => {
    it("production database: regional HA, 30 backups + PITR, private IP only, SSL required, protected, slow-query logs", async () => {
        const run = await record(
            () =>
                new gcp.Database("db", {
                    region: "us-central1",
                    network: "projects/p/global/networks/vpc",
                    tier: "production",
                    readReplica: true,
                }),
        );
        const instance = one(run, SQL, "db-instance");
        const s = instance.inputs.settings as any;
        expect(s).to.deep.include({
            tier: "db-custom-2-7680",
            edition: "ENTERPRISE",
            availabilityType: "REGIONAL",
            diskType: "PD_SSD",
            deletionProtectionEnabled: true,
            retainBackupsOnDelete: true,
        });
        expect(s.ipConfiguration).to.deep.equal({
            ipv4Enabled: false,
            privateNetwork: "projects/p/global/networks/vpc",
            sslMode: "ENCRYPTED_ONLY",
            enablePrivatePathForGoogleCloudServices: true,
        });
        expect(s.backupConfiguration).to.deep.include({
            enabled: true,
            pointInTimeRecoveryEnabled: true,
            transactionLogRetentionDays: 7,
            backupRetentionSettings: { retainedBackups: 30, retentionUnit: "COUNT" },
        });
        expect(s.maintenanceWindow).to.deep.equal({ day: 7, hour: 4, updateTrack: "stable" });
        expect(s.insightsConfig.queryInsightsEnabled).to.equal(true);
        expect(s.databaseFlags).to.deep.include({ name: "log_min_duration_statement", value: "500" });
        expect(instance.protect).to.equal(true);
        expect(instance.inputs.deletionProtection).to.equal(true);
        const replica = one(run, SQL, "db-replica");
        expect(replica.protect).to.equal(true);
        expect(replica.propertyDependencies.masterInstanceName).to.include(instance.urn);
        // failoverTarget is MySQL-only: the API rejects it on a Postgres replica.
        expect(replica.inputs).not.to.have.property("replicaConfiguration");
        expect(one(run, "gcp:sql/user:User", "db-user").secretInputs).to.deep.equal(["password"]);
    });

    it("staging database: db-f1-micro zonal with 7 backups, unprotected", async () => {
        const run = await record(() => new gcp.Database("db", { region: "us-central1", network: "vpc", tier: "staging" }));
        const instance = one(run, SQL, "db-instance");
        expect(instance.inputs.settings as any).to.deep.include({ tier: "db-f1-micro", availabilityType: "ZONAL" });
        expect((instance.inputs.settings as any).backupConfiguration.backupRetentionSettings.retainedBackups).to.equal(7);
        expect(instance.protect).to.equal(false);
    });

    it("exposes the connection URL only as a secret", async () => {
        let secret: boolean | undefined;
        await record(() => {
            const db = new gcp.Database("db", { region: "us-central1", network: "vpc" });
            return (db.url as any).isSecret.then((s: boolean) => (secret = s));
        });
        expect(secret).to.equal(true);
    });

    it("cache: STANDARD_HA in production, BASIC otherwise, AUTH, TLS, private services access, maintenance window", async () => {
        const prod = await record(() => new gcp.Cache("cache", { region: "us-central1", network: "vpc", tier: "production", sizeGb: 2 }));
        const redis = one(prod, REDIS, "cache-instance");
        expect(redis.inputs).to.deep.include({
            tier: "STANDARD_HA",
            memorySizeGb: 2,
            authEnabled: true,
            transitEncryptionMode: "SERVER_AUTHENTICATION",
            connectMode: "PRIVATE_SERVICE_ACCESS",
            authorizedNetwork: "vpc",
            deletionProtection: true,
        });
        expect((redis.inputs.maintenancePolicy as any).weeklyMaintenanceWindows[0].day).to.equal("SUNDAY");
        expect(redis.protect).to.equal(true);
        const staging = await record(() => new gcp.Cache("cache", { region: "us-central1", network: "vpc", tier: "staging" }));
        expect(one(staging, REDIS, "cache-instance").inputs.tier).to.equal("BASIC");
    });

    it("reject bad arguments before creating anything", async () => {
        await expectRejected(
            () => new gcp.Database("db", { region: "r", network: "vpc", machine: "db-custom-3-100", readReplica: true }),
            /Database\(db\)\.machine = "db-custom-3-100"[\s\S]*Database\(db\)\.readReplica = true/,
        );
        await expectRejected(
            () => new gcp.Cache("cache", { region: "r", network: "vpc", sizeGb: 0 }),
            /Cache\(cache\)\.sizeGb = 0: a whole number of GB from 1 to 300/,
        );
    });
});

describe("managed data in whole stacks", function () {
    this.timeout(60000);

    it("staging and production: Cloud SQL and Memorystore on private services access, URLs as secret env", async () => {
        for (const stack of ["staging", "production"]) {
            const { document } = await planStack(stack, MANAGED);
            const byName = (name: string) => document.resources.find((r) => r.name === name)!;
            expect(byName("network-psa").inputs.service).to.equal("servicenetworking.googleapis.com");
            // Google picks the /16 for the peering range from what the VPC holds at that moment: after the
            // Direct VPC subnet exists, so it can never take the subnet's range first (review item 10).
            expect(byName("network-psa-range").dependencies, stack).to.include(byName("network-subnet").urn);
            // Children register after their component, which waits for private services access.
            expect(
                byName("database").dependencies.some((u) => u.endsWith("network-psa")),
                stack,
            ).to.equal(true);
            expect(
                byName("cache").dependencies.some((u) => u.endsWith("network-psa")),
                stack,
            ).to.equal(true);
            expect((byName("database-instance").inputs.settings as any).ipConfiguration.ipv4Enabled).to.equal(false);
            for (const secret of ["secrets-database-url-version", "secrets-redis-url-version"])
                expect(byName(secret).secretInputs, `${stack} ${secret}`).to.deep.equal(["secretData"]);
            const envs = (byName("app-service").inputs.template as any).containers[0].envs;
            for (const variable of ["DATABASE_URL", "REDIS_URL"]) {
                const env = envs.find((e: any) => e.name === variable);
                expect(env, `${stack} ${variable}`).to.have.nested.property("valueSource.secretKeyRef.secret");
                expect(env).not.to.have.property("value");
            }
            const text = JSON.stringify(document);
            expect(text, stack).not.to.include("offline-auth-string").and.not.include("p".repeat(32));
            expect(
                document.policies.filter((v) => v.level === "mandatory"),
                stack,
            ).to.deep.equal([]);
        }
    });

    it("production: HA, PITR, 30 backups, deletion protection and protect on the database and cache; the plan prices them", async () => {
        const { document } = await planStack("production", MANAGED);
        const db = document.resources.find((r) => r.type === SQL)!;
        expect((db.inputs.settings as any).availabilityType).to.equal("REGIONAL");
        expect(db.protect && db.inputs.deletionProtection).to.equal(true);
        expect(document.resources.find((r) => r.type === REDIS)!.protect).to.equal(true);
        const sqlCost = document.cost.lines.filter((l) => l.urn === db.urn).reduce((t, l) => t + l.monthly, 0);
        expect(sqlCost).to.be.closeTo(201.446, 0.01);
        expect(document.cost.lines.some((l) => l.type === REDIS && l.dimension.includes("Standard"))).to.equal(true);
    });

    it("solo with a managed database creates the VPC it needs and egresses into it", async () => {
        const { document } = await planStack("solo", { "runway:database": "managed" });
        expect(document.resources.some((r) => r.type === "gcp:compute/network:Network")).to.equal(true);
        expect(
            (document.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service")!.inputs.template as any).vpcAccess.egress,
        ).to.equal("PRIVATE_RANGES_ONLY");
        expect(document.cost.lines.some((l) => l.type === SQL)).to.equal(true);
    });

    it("keeps the identity of stateful resources across tiers, so a tier change updates instead of replacing", async () => {
        const stateful = async (stack: string) =>
            (await planStack(stack, MANAGED)).document.resources
                .filter((r) => [SQL, REDIS, "gcp:sql/database:Database", "gcp:secretmanager/secret:Secret"].includes(r.type))
                .map(identityOf)
                .sort();
        expect(await stateful("staging")).to.deep.equal(await stateful("production"));
        expect(await stateful("solo")).to.deep.equal(await stateful("production"));
    });

    it("the protected-production-data policy fires when production's protection is turned off", async () => {
        const { document } = await planStack("production", { ...MANAGED, "runway:protect": "false" });
        const fired = document.policies.filter((v) => v.policy === "protected-production-data");
        expect(fired.every((v) => v.level === "mandatory")).to.equal(true);
        const names = new Set(fired.map((v) => document.resources.find((r) => r.urn === v.urn)?.name));
        for (const name of ["database-instance", "cache-instance", "registry-repository", "secrets-database-url"])
            expect(names.has(name), name).to.equal(true);
        expect(fired.some((v) => /deletionProtection = false/.test(v.message))).to.equal(true);
    });
});
