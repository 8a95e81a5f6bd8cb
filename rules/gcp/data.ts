/**
 * Cloud SQL and Memorystore settings Runway accepts, as pure checks. Each problem names the
 * argument (a component argument or a config key), the value and what is allowed.
 * https://cloud.google.com/sql/docs/postgres/instance-settings, .../memorystore/docs/redis/redis-tiers
 */
import { Problem } from "../problems";

export const POSTGRES_VERSIONS = ["POSTGRES_14", "POSTGRES_15", "POSTGRES_16", "POSTGRES_17"] as const;

export type Machine = { kind: "shared"; name: "db-f1-micro" | "db-g1-small" } | { kind: "custom"; vcpu: number; memoryMb: number };

/** Parses `db-f1-micro`, `db-g1-small` or `db-custom-<vCPU>-<MB>`; undefined for anything else. */
export function parseMachine(machine: string): Machine | undefined {
    if (machine === "db-f1-micro" || machine === "db-g1-small") return { kind: "shared", name: machine };
    const m = /^db-custom-(\d+)-(\d+)$/.exec(machine);
    return m ? { kind: "custom", vcpu: Number(m[1]), memoryMb: Number(m[2]) } : undefined;
}

/** Cloud SQL custom machine rules: 1 or an even number of vCPUs up to 96; 0.9-6.5 GB per vCPU in 256 MB steps, ≥ 3.75 GB. */
export function machineProblem(machine: string): string | undefined {
    const parsed = parseMachine(machine);
    if (!parsed) return "db-f1-micro, db-g1-small or db-custom-<vCPU>-<memory MB> (e.g. db-custom-2-7680)";
    if (parsed.kind === "shared") return undefined;
    const { vcpu, memoryMb } = parsed;
    if (!(vcpu === 1 || (vcpu % 2 === 0 && vcpu >= 2 && vcpu <= 96))) return "a custom machine with 1 or an even number of vCPUs up to 96";
    if (memoryMb % 256 !== 0) return "custom memory in multiples of 256 MB (e.g. 3840, 7680)";
    if (memoryMb < 3840) return "at least 3840 MB of memory for a custom machine";
    if (memoryMb < vcpu * 921.6 || memoryMb > vcpu * 6656)
        return `between ${Math.ceil((vcpu * 921.6) / 256) * 256} and ${vcpu * 6656} MB for ${vcpu} vCPU (0.9-6.5 GB per vCPU)`;
    return undefined;
}

export interface DatabaseShape {
    readonly machine: string;
    readonly ha: boolean;
    readonly backups: number;
    readonly pitr: boolean;
    readonly readReplica: boolean;
    readonly version: string;
    readonly diskGb: number;
    /** Production refuses to run without backups. */
    readonly requireBackups: boolean;
}

/** Every problem with a database shape. `keyOf` spells the argument for messages. */
export function checkDatabaseShape(d: DatabaseShape, keyOf: (field: keyof DatabaseShape) => string): Problem[] {
    const problems: Problem[] = [];
    const machine = machineProblem(d.machine);
    if (machine) problems.push({ key: keyOf("machine"), value: d.machine, allowed: machine });
    if (!(POSTGRES_VERSIONS as readonly string[]).includes(d.version))
        problems.push({
            key: keyOf("version"),
            value: d.version,
            allowed: `one of ${POSTGRES_VERSIONS.join(", ")} (major upgrades happen in place)`,
        });
    if (!Number.isInteger(d.backups) || d.backups < 0 || d.backups > 365)
        problems.push({ key: keyOf("backups"), value: d.backups, allowed: "a whole number of retained daily backups from 0 to 365" });
    else if (d.backups === 0 && d.requireBackups)
        problems.push({ key: keyOf("backups"), value: 0, allowed: "at least 1 retained backup in production (the tier keeps 30)" });
    if (d.pitr && d.backups === 0)
        problems.push({
            key: keyOf("pitr"),
            value: true,
            allowed: "false when backups are off (point-in-time recovery replays logs onto a backup)",
        });
    if (d.readReplica && !d.ha)
        problems.push({
            key: keyOf("readReplica"),
            value: true,
            allowed:
                "false unless the primary is highly available (databaseHa true): a replica of a zonal primary shares its single point of failure",
        });
    if (!Number.isInteger(d.diskGb) || d.diskGb < 10 || d.diskGb > 65536)
        problems.push({
            key: keyOf("diskGb"),
            value: d.diskGb,
            allowed: "a whole number of GB from 10 to 65536 (the disk grows automatically; it never shrinks)",
        });
    return problems;
}

/** Memorystore for Redis capacity: 1-300 GB in both tiers. */
export function checkCacheSize(sizeGb: number, key: string): Problem[] {
    return Number.isInteger(sizeGb) && sizeGb >= 1 && sizeGb <= 300
        ? []
        : [{ key, value: sizeGb, allowed: "a whole number of GB from 1 to 300" }];
}
