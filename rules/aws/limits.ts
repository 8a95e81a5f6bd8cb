/**
 * What Fargate and Lambda accept for CPU, memory, timeout and scaling, as pure checks, and how the
 * cloud-neutral config spellings (`runway:cpu = "0.5"`, `runway:memory = "1Gi"`) map onto them.
 * Fargate: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 * Lambda: https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html (128-10,240 MB in 1 MB steps),
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html (1-900 s).
 */
import { Problem } from "../problems";

/** CPU units → [min MiB, max MiB, step MiB] Fargate accepts (Linux). 256 units take only 512, 1024 or 2048 (not 1536). */
export const FARGATE_SIZES: Readonly<Record<number, readonly [number, number, number]>> = {
    256: [512, 2048, 512],
    512: [1024, 4096, 1024],
    1024: [2048, 8192, 1024],
    2048: [4096, 16384, 1024],
    4096: [8192, 30720, 1024],
    8192: [16384, 61440, 4096],
    16384: [32768, 122880, 8192],
};

export const LAMBDA_MEMORY_MB = { min: 128, max: 10240 } as const;
export const LAMBDA_TIMEOUT_SECONDS = { min: 1, max: 900 } as const;
/** The application load balancer's idle timeout range. */
export const ALB_IDLE_TIMEOUT_SECONDS = { min: 1, max: 4000 } as const;

/** Env var telling the container how long to keep an idle connection open (app/ reads it). */
export const KEEP_ALIVE_ENV = "RUNWAY_KEEP_ALIVE_SECONDS";

/**
 * A target's keep-alive must outlast the load balancer's idle timeout, or the target closes a connection the
 * load balancer is about to reuse and the client gets a 502:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#connection-idle-timeout
 */
export function targetKeepAliveSeconds(idleTimeoutSeconds: number): number {
    return idleTimeoutSeconds + 5;
}

/** "0.25", "0.5", "1", "2", "4", "8", "16" vCPU → Fargate CPU units, or undefined. */
export function fargateCpuUnits(cpu: string): number | undefined {
    if (!/^\d+(\.\d{1,2})?$/.test(cpu.trim())) return undefined;
    const units = Number(cpu) * 1024;
    return FARGATE_SIZES[units] ? units : undefined;
}

/** "512Mi", "1Gi" → MiB, or undefined for any other spelling (the same spelling as on Cloud Run). */
export function memoryMiB(memory: string): number | undefined {
    const match = /^(\d+)(Mi|Gi)$/.exec(memory.trim());
    return match ? Number(match[1]) * (match[2] === "Gi" ? 1024 : 1) : undefined;
}

/** Every problem Fargate would reject in a task shape; `keyOf` names each field as the user knows it. */
export function checkFargateShape(
    s: { cpu: number; memory: number; minTasks: number; maxTasks: number },
    keyOf: (f: "cpu" | "memory" | "minTasks" | "maxTasks") => string,
): Problem[] {
    const problems: Problem[] = [];
    const size = FARGATE_SIZES[s.cpu];
    if (!size)
        problems.push({
            key: keyOf("cpu"),
            value: s.cpu,
            allowed: `one of ${Object.keys(FARGATE_SIZES).join(", ")} CPU units (0.25-16 vCPU)`,
        });
    else if (s.memory < size[0] || s.memory > size[1] || (s.memory - size[0]) % size[2] !== 0 || (s.cpu === 256 && s.memory === 1536)) {
        problems.push({ key: keyOf("memory"), value: s.memory, allowed: fargateMemoryAllowed(s.cpu) });
    }
    if (!Number.isInteger(s.minTasks) || s.minTasks < 1)
        problems.push({
            key: keyOf("minTasks"),
            value: s.minTasks,
            allowed: "at least 1 (Fargate cannot scale to zero; solo on AWS runs on Lambda, which does)",
        });
    if (!Number.isInteger(s.maxTasks) || s.maxTasks < s.minTasks)
        problems.push({ key: keyOf("maxTasks"), value: s.maxTasks, allowed: `a whole number ≥ the minimum (${s.minTasks})` });
    return problems;
}

/** "1024-8192 MiB in 1024 MiB steps for 1024 CPU units", as the Fargate table says it. */
export function fargateMemoryAllowed(cpu: number): string {
    const [min, max, step] = FARGATE_SIZES[cpu];
    return cpu === 256
        ? "512, 1024 or 2048 MiB for 256 CPU units (0.25 vCPU)"
        : `${min}-${max} MiB in ${step} MiB steps for ${cpu} CPU units (${cpu / 1024} vCPU)`;
}

/** Every problem Lambda would reject in a function's memory and timeout. */
export function checkLambdaShape(
    s: { memory: number; timeoutSeconds: number },
    keyOf: (f: "memory" | "timeoutSeconds") => string,
): Problem[] {
    const problems: Problem[] = [];
    if (!Number.isInteger(s.memory) || s.memory < LAMBDA_MEMORY_MB.min || s.memory > LAMBDA_MEMORY_MB.max) {
        problems.push({
            key: keyOf("memory"),
            value: s.memory,
            allowed: `${LAMBDA_MEMORY_MB.min}-${LAMBDA_MEMORY_MB.max} MiB (Lambda; CPU grows with memory)`,
        });
    }
    if (
        !Number.isInteger(s.timeoutSeconds) ||
        s.timeoutSeconds < LAMBDA_TIMEOUT_SECONDS.min ||
        s.timeoutSeconds > LAMBDA_TIMEOUT_SECONDS.max
    ) {
        problems.push({
            key: keyOf("timeoutSeconds"),
            value: s.timeoutSeconds,
            allowed: `${LAMBDA_TIMEOUT_SECONDS.min}-${LAMBDA_TIMEOUT_SECONDS.max} seconds (Lambda's maximum is 15 minutes)`,
        });
    }
    return problems;
}

/**
 * Lambda runs container images from a private ECR repository in its own region only (another account's repository
 * works with its policy); never Docker Hub, GHCR or ECR Public: https://docs.aws.amazon.com/lambda/latest/dg/images-create.html
 */
export function lambdaImageProblems(image: string, region: string, key: string): Problem[] {
    const ecr = new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${region.replace(/[^a-z0-9-]/g, "")}\\.amazonaws\\.com(\\.cn)?/[^\\s]+$`);
    return ecr.test(image)
        ? []
        : [
              {
                  key,
                  value: image,
                  allowed:
                      `an image in a private ECR repository in ${region} (<account>.dkr.ecr.${region}.amazonaws.com/<repo>@sha256:...), ` +
                      "which is all Lambda runs; or unset it to build app/ into the stack's repository",
              },
          ];
}

/** The retention periods CloudWatch Logs accepts, in days: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html */
export const LOG_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** A retention CloudWatch Logs would refuse, as a problem. */
export function logRetentionProblems(days: number, key: string): Problem[] {
    return LOG_RETENTION_DAYS.includes(days)
        ? []
        : [{ key, value: days, allowed: `one of ${LOG_RETENTION_DAYS.join(", ")} days (CloudWatch Logs)` }];
}

/**
 * Email subscribers AWS Budgets accepts per notification:
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_NotificationWithSubscribers.html
 */
export const BUDGET_EMAIL_LIMIT = 10;
