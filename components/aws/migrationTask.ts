import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Problem, throwIfProblems } from "../../rules/problems";
import { awsNameProblems } from "../../rules/aws/names";
import { ecsCommand, parseMigrationCommand } from "../../rules/release";

export interface MigrationTaskArgs {
    /** Task definition family, unique in the account and region. @example "shop-production-migrate" */
    readonly family: string;
    /** The service's image: the deploy workflow registers a revision with each new digest before it runs the task. */
    readonly image: pulumi.Input<string>;
    /** The command, as a list of words, the program first (no shell). @example ["npm", "run", "migrate"] */
    readonly command: string[];
    /** Container name (the service's, so the workflow replaces the image the same way). @default "app" */
    readonly containerName?: string;
    /** The service's execution role: pulls the image, writes logs, reads the secrets. */
    readonly executionRoleArn: pulumi.Input<string>;
    /** The service's task role: the application's own identity. */
    readonly taskRoleArn: pulumi.Input<string>;
    /** Fargate CPU units, as the service's tasks. @default 256 */
    readonly cpu?: number;
    /** Memory in MiB, valid for the CPU (Fargate's table), as the service's tasks. @default 512 */
    readonly memory?: number;
    /** Plain env vars (the service's). @default {} */
    readonly env?: Record<string, pulumi.Input<string>>;
    /** Env name → SSM parameter or Secrets Manager ARN (the service's). @default {} */
    readonly secretArns?: Record<string, pulumi.Input<string>>;
    /** Log group the task writes to (stream prefix `migrate`). */
    readonly logGroupName: pulumi.Input<string>;
    /** Numeric user the container runs as (never root). @default "10001" */
    readonly user?: string;
    /** What the secret values are held in: a task reads every secret when it starts. @default [] */
    readonly secretsReady?: pulumi.Resource[];
}

/**
 * The database migration as an ECS task definition with the service's image, roles, env and secrets:
 * the deploy workflow registers a revision with the scanned digest and runs it once on Fargate in the
 * service's private subnets with its security group (`aws ecs run-task`), before any traffic moves; a
 * non-zero exit stops the deploy. Nothing runs between deploys: each run is billed as Fargate seconds.
 *
 * @example
 * new aws.MigrationTask("migrate", { family: "shop-production-migrate", image, command: ["npm", "run", "migrate"],
 *     executionRoleArn: app.executionRole.arn, taskRoleArn: app.taskRole.arn, logGroupName: app.logGroup.name });
 */
export class MigrationTask extends pulumi.ComponentResource {
    public readonly taskDefinition: aws.ecs.TaskDefinition;
    /** The family the workflow registers revisions of and runs. */
    public readonly family: string;

    constructor(name: string, args: MigrationTaskArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:MigrationTask", name, {}, opts);
        validate(name, args);
        this.family = args.family;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const containerDefinitions = pulumi
            .all([
                args.image,
                region,
                args.logGroupName,
                pulumi.all(Object.entries(args.env ?? {}).map(([n, v]) => pulumi.all([n, v]))),
                pulumi.all(Object.entries(args.secretArns ?? {}).map(([n, v]) => pulumi.all([n, v]))),
            ])
            .apply(([image, awsRegion, logGroup, env, secrets]) =>
                JSON.stringify([
                    {
                        name: args.containerName ?? "app",
                        image,
                        essential: true,
                        user: args.user ?? "10001",
                        // The entry point is the program: the image's CMD no longer applies (as on Cloud Run).
                        ...ecsCommand(args.command),
                        environment: env.map(([n, value]) => ({ name: n, value })),
                        secrets: secrets.map(([n, valueFrom]) => ({ name: n, valueFrom })),
                        logConfiguration: {
                            logDriver: "awslogs",
                            options: { "awslogs-group": logGroup, "awslogs-region": awsRegion, "awslogs-stream-prefix": "migrate" },
                        },
                    },
                ]),
            );
        this.taskDefinition = new aws.ecs.TaskDefinition(
            `${name}-task`,
            {
                family: args.family,
                cpu: String(args.cpu ?? 256),
                memory: String(args.memory ?? 512),
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
                executionRoleArn: args.executionRoleArn,
                taskRoleArn: args.taskRoleArn,
                containerDefinitions,
                // The workflow registers later revisions of the family: keep Pulumi's from being deregistered under them.
                skipDestroy: true,
                tags: { "managed-by": "runway", "runway-role": "migration" },
            },
            // A config change registers a new revision: the workflow runs the family's latest with its own digest.
            { parent: this, dependsOn: args.secretsReady ?? [] },
        );
        this.registerOutputs({ family: this.family });
    }
}

function validate(name: string, args: MigrationTaskArgs): void {
    const key = (field: string) => `MigrationTask(${name}).${field}`;
    const problems: Problem[] = [...parseMigrationCommand(JSON.stringify(args.command ?? null), key("command")).problems];
    // ECS: up to 255 letters, digits, hyphens and underscores.
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(args.family))
        problems.push({ key: key("family"), value: args.family, allowed: "1-255 letters, digits, hyphens or underscores" });
    problems.push(...awsNameProblems("ecsContainer", args.containerName, key("containerName")));
    throwIfProblems(`Invalid arguments for runway:aws:MigrationTask "${name}"`, problems);
}
