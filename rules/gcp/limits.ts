/**
 * Cloud Run's documented limits on CPU, memory, concurrency, billing and scaling, as pure checks.
 * Sources (read 2026-12-01):
 * - https://cloud.google.com/run/docs/configuring/services/cpu — vCPU/memory table; below 1 vCPU:
 *   memory over 512MiB needs 0.5 vCPU, over 1GiB needs 1 vCPU, concurrency must be 1, billing must
 *   be request-based (`cpuIdle`), first generation execution environment.
 * - https://cloud.google.com/run/docs/configuring/services/memory-limits — 128MiB to 32GiB.
 * - https://cloud.google.com/run/docs/about-execution-environments — the second generation needs
 *   at least 512MiB.
 * - https://cloud.google.com/run/docs/about-concurrency — at most 1000 concurrent requests.
 */
import { Problem } from "../problems";

/** Whole CPU counts Cloud Run accepts; below 1, any value from 0.08 in steps of 0.001. */
export const WHOLE_CPUS = [1, 2, 4, 6, 8] as const;

/** Parses "0.5", "1", "2" into a number, or `undefined` when Cloud Run would reject it. */
export function parseCpu(cpu: string): number | undefined {
    if (!/^\d+(\.\d{1,3})?$/.test(cpu.trim())) return undefined;
    const value = Number(cpu);
    if (value >= 0.08 && value < 1) return value;
    return (WHOLE_CPUS as readonly number[]).includes(value) ? value : undefined;
}

/** Parses "512Mi" / "1Gi" into MiB, or `undefined` for any other spelling. */
export function parseMemoryMiB(memory: string): number | undefined {
    const match = /^(\d+)(Mi|Gi)$/.exec(memory.trim());
    if (!match) return undefined;
    return Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
}

/** Minimum vCPUs Cloud Run requires for a memory size. */
export function minCpuForMemory(memoryMiB: number): number {
    if (memoryMiB > 24 * 1024) return 8;
    if (memoryMiB > 16 * 1024) return 6;
    if (memoryMiB > 8 * 1024) return 4;
    if (memoryMiB > 4 * 1024) return 2;
    return 0.08;
}

/** Maximum memory (MiB) Cloud Run allows for a CPU count. */
export function maxMemoryForCpu(cpu: number): number {
    if (cpu < 0.5) return 512;
    if (cpu < 1) return 1024;
    if (cpu < 2) return 4 * 1024;
    if (cpu < 4) return 8 * 1024;
    if (cpu < 6) return 16 * 1024;
    if (cpu < 8) return 24 * 1024;
    return 32 * 1024;
}

/** Memory at which the second generation execution environment starts (it needs at least 512MiB). */
export const GEN2_MIN_MEMORY_MIB = 512;

/**
 * The execution environment a shape can run in: below 1 vCPU only the first generation; below
 * 512MiB the second generation is refused; otherwise the second (full Linux, faster network).
 */
export function executionEnvironmentFor(cpu: string, memory: string): "EXECUTION_ENVIRONMENT_GEN1" | "EXECUTION_ENVIRONMENT_GEN2" {
    const cores = parseCpu(cpu);
    const memoryMiB = parseMemoryMiB(memory);
    if ((cores !== undefined && cores < 1) || (memoryMiB !== undefined && memoryMiB < GEN2_MIN_MEMORY_MIB))
        return "EXECUTION_ENVIRONMENT_GEN1";
    return "EXECUTION_ENVIRONMENT_GEN2";
}

/** Minimum memory (MiB) Cloud Run requires for a CPU count. */
export function minMemoryForCpu(cpu: number): number {
    if (cpu >= 6) return 4096;
    if (cpu >= 4) return 2048;
    return 128;
}

export interface ResourceShape {
    cpu: string;
    memory: string;
    concurrency: number;
    minInstances: number;
    maxInstances: number;
    timeoutSeconds: number;
    /** true: CPU only during requests (request-based billing); false: always allocated. */
    cpuIdle?: boolean;
}

/**
 * Every problem Cloud Run would reject in a service's shape. `keyOf` names each field the way
 * the caller's user knows it (a config key or a component argument).
 */
export function checkServiceShape(shape: ResourceShape, keyOf: (field: keyof ResourceShape) => string): Problem[] {
    const problems: Problem[] = [];
    const cpu = parseCpu(shape.cpu);
    const memoryMiB = parseMemoryMiB(shape.memory);
    if (cpu === undefined) {
        problems.push({
            key: keyOf("cpu"),
            value: shape.cpu,
            allowed: 'one of 1, 2, 4, 6, 8, or a fraction from 0.08 to 0.99 (e.g. "0.5")',
        });
    }
    if (memoryMiB === undefined || memoryMiB < 128 || memoryMiB > 32 * 1024) {
        problems.push({
            key: keyOf("memory"),
            value: shape.memory,
            allowed: 'a size from 128Mi to 32Gi written with Mi or Gi (e.g. "512Mi", "2Gi")',
        });
    }
    if (cpu !== undefined && memoryMiB !== undefined) {
        if (cpu < minCpuForMemory(memoryMiB)) {
            problems.push({
                key: keyOf("cpu"),
                value: shape.cpu,
                allowed: `at least ${minCpuForMemory(memoryMiB)} vCPU for memory ${shape.memory} (Cloud Run: over 4Gi needs 2, over 8Gi needs 4, over 16Gi needs 6, over 24Gi needs 8)`,
            });
        }
        if (memoryMiB < minMemoryForCpu(cpu)) {
            problems.push({
                key: keyOf("memory"),
                value: shape.memory,
                allowed: `at least ${minMemoryForCpu(cpu) / 1024}Gi for ${shape.cpu} vCPU (Cloud Run: 4 vCPU need 2Gi, 6 or 8 need 4Gi)`,
            });
        }
        if (cpu < 1 && memoryMiB > maxMemoryForCpu(cpu)) {
            problems.push({
                key: keyOf("memory"),
                value: shape.memory,
                allowed: `at most ${maxMemoryForCpu(cpu)}Mi with fractional CPU ${shape.cpu} (Cloud Run: over 512Mi needs 0.5 vCPU, over 1Gi needs 1); or use cpu "1"`,
            });
        }
        if (cpu < 1 && shape.concurrency !== 1) {
            problems.push({
                key: keyOf("concurrency"),
                value: shape.concurrency,
                allowed: `1 with fractional CPU ${shape.cpu} (Cloud Run rejects concurrency above 1 below 1 vCPU); or use cpu "1"`,
            });
        }
        if (cpu < 1 && shape.cpuIdle === false) {
            problems.push({
                key: keyOf("cpuIdle"),
                value: false,
                allowed: `true with fractional CPU ${shape.cpu} (Cloud Run allows CPU always allocated, instance-based billing, only from 1 vCPU); or use cpu "1"`,
            });
        }
    }
    if (!Number.isInteger(shape.concurrency) || shape.concurrency < 1 || shape.concurrency > 1000) {
        problems.push({ key: keyOf("concurrency"), value: shape.concurrency, allowed: "a whole number from 1 to 1000" });
    }
    if (!Number.isInteger(shape.minInstances) || shape.minInstances < 0 || shape.minInstances > 1000) {
        problems.push({ key: keyOf("minInstances"), value: shape.minInstances, allowed: "a whole number from 0 to 1000" });
    }
    if (!Number.isInteger(shape.maxInstances) || shape.maxInstances < 1 || shape.maxInstances > 1000) {
        problems.push({ key: keyOf("maxInstances"), value: shape.maxInstances, allowed: "a whole number from 1 to 1000" });
    }
    if (Number.isInteger(shape.minInstances) && Number.isInteger(shape.maxInstances) && shape.minInstances > shape.maxInstances) {
        problems.push({
            key: keyOf("minInstances"),
            value: shape.minInstances,
            allowed: `at most maxInstances (${shape.maxInstances}); raise ${keyOf("maxInstances")} or lower ${keyOf("minInstances")}`,
        });
    }
    if (!Number.isInteger(shape.timeoutSeconds) || shape.timeoutSeconds < 1 || shape.timeoutSeconds > 3600) {
        problems.push({ key: keyOf("timeoutSeconds"), value: shape.timeoutSeconds, allowed: "a whole number of seconds from 1 to 3600" });
    }
    return problems;
}
