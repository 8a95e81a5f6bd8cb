import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { throwIfProblems, Problem } from "../errors";
import { Tier, tierProblems } from "../tiers";
import { AWS_TIER_PRESETS, serviceTrustPolicy, ssmReadPolicy } from "./plan";

/** Fargate's valid CPU → memory (MiB) pairs for the sizes Runway offers. */
const FARGATE_MEMORY: Record<number, [number, number]> = { 256: [512, 2048], 512: [1024, 4096], 1024: [2048, 8192], 2048: [4096, 16384], 4096: [8192, 30720] };

export interface ServiceArgs {
    /** Image to run, ideally by digest. @example "123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:..." */
    readonly image: pulumi.Input<string>;
    /** Tier whose presets fill CPU, memory, task counts and log retention. @default "solo" */
    readonly tier?: Tier;
    /** Service name. @default the component name */
    readonly serviceName?: string;
    /** Container port. @default 8080 */
    readonly port?: number;
    /** Path the load balancer's health check requests. @default "/health" */
    readonly healthPath?: string;
    /** Fargate CPU units (256, 512, 1024, 2048, 4096). @default tier preset (256, 512, 1024) */
    readonly cpu?: number;
    /** Memory in MiB, valid for the CPU. @default tier preset (512, 1024, 2048) */
    readonly memory?: number;
    /** Tasks always running (Fargate cannot scale to zero). @default tier preset (1, 1, 2) */
    readonly minTasks?: number;
    /** Ceiling of the autoscaler. @default tier preset (2, 4, 20) */
    readonly maxTasks?: number;
    /** Plain env vars. @default {} @example { LOG_LEVEL: "info" } */
    readonly env?: Record<string, pulumi.Input<string>>;
    /** Env name → SSM parameter or Secrets Manager ARN, injected by ECS (never plain env). @default {} */
    readonly secretArns?: Record<string, pulumi.Input<string>>;
    /** SSM path the execution role may read (e.g. arn:aws:ssm:us-east-1:123:parameter/shop/prod). @default none */
    readonly secretPathArn?: pulumi.Input<string>;
    /** Secrets Manager ARNs the execution role may read. @default [] */
    readonly secretsManagerArns?: pulumi.Input<string>[];
    /** Private subnets for the tasks; omit to use the default VPC. @default none */
    readonly subnetIds?: pulumi.Input<string>[];
    /** Security groups for the tasks (with `subnetIds`). @default [] */
    readonly securityGroupIds?: pulumi.Input<string>[];
    /** Log retention in days. @default tier preset (7, 14, 90) */
    readonly logRetentionDays?: number;
}

/** Every problem with the task shape. */
export function checkTaskShape(s: { cpu: number; memory: number; minTasks: number; maxTasks: number }, keyOf: (f: string) => string): Problem[] {
    const problems: Problem[] = [];
    const range = FARGATE_MEMORY[s.cpu];
    if (!range) problems.push({ key: keyOf("cpu"), value: s.cpu, allowed: `one of ${Object.keys(FARGATE_MEMORY).join(", ")} CPU units` });
    else if (s.memory < range[0] || s.memory > range[1] || s.memory % 512 !== 0 && s.cpu > 256) problems.push({ key: keyOf("memory"), value: s.memory, allowed: `${range[0]}-${range[1]} MiB for ${s.cpu} CPU units` });
    if (!Number.isInteger(s.minTasks) || s.minTasks < 1) problems.push({ key: keyOf("minTasks"), value: s.minTasks, allowed: "at least 1 (Fargate cannot scale to zero)" });
    if (!Number.isInteger(s.maxTasks) || s.maxTasks < s.minTasks) problems.push({ key: keyOf("maxTasks"), value: s.maxTasks, allowed: `a whole number ≥ minTasks (${s.minTasks})` });
    return problems;
}

/**
 * An ECS Express Mode service (Fargate behind a managed load balancer) with three separate roles:
 * the execution role pulls the image and reads exactly the service's secrets, the infrastructure
 * role lets ECS manage the load balancer, the task role has no permissions of its own.
 *
 * @example
 * const svc = new aws.Service("web", { image: image.imageRef, tier: "production", subnetIds: net.privateSubnetIds });
 */
export class Service extends pulumi.ComponentResource {
    public readonly service: aws.ecs.ExpressGatewayService;
    public readonly executionRole: aws.iam.Role;
    public readonly infrastructureRole: aws.iam.Role;
    public readonly taskRole: aws.iam.Role;
    public readonly logGroup: aws.cloudwatch.LogGroup;
    public readonly serviceName: pulumi.Output<string>;
    public readonly serviceArn: pulumi.Output<string>;
    /** The service's HTTPS endpoint. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:Service", name, {}, opts);
        throwIfProblems(`Invalid arguments for runway:aws:Service "${name}"`, tierProblems(args.tier, `Service(${name}).tier`));
        const preset = AWS_TIER_PRESETS[args.tier ?? "solo"];
        const shape = { cpu: args.cpu ?? preset.cpu, memory: args.memory ?? preset.memory, minTasks: args.minTasks ?? preset.minTasks, maxTasks: args.maxTasks ?? preset.maxTasks };
        throwIfProblems(`Invalid arguments for runway:aws:Service "${name}"`, checkTaskShape(shape, (f) => `Service(${name}).${f}`));
        const parent = { parent: this };
        const serviceName = args.serviceName ?? name;

        this.logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/runway/${serviceName}`, retentionInDays: args.logRetentionDays ?? preset.logRetentionDays }, parent);
        this.executionRole = new aws.iam.Role(`${name}-execution`, { assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com"), description: "Pulls the image, writes logs, reads this service's secrets" }, parent);
        const executionPolicy = new aws.iam.RolePolicyAttachment(`${name}-execution-managed`, { role: this.executionRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" }, parent);
        const secretsPolicy = args.secretPathArn === undefined && (args.secretsManagerArns ?? []).length === 0 ? undefined :
            new aws.iam.RolePolicy(`${name}-execution-secrets`, {
                role: this.executionRole.name,
                policy: pulumi.all([args.secretPathArn ?? "arn:aws:ssm:::parameter/none", pulumi.all(args.secretsManagerArns ?? [])]).apply(([p, sm]) => ssmReadPolicy(p, sm)),
            }, parent);
        this.infrastructureRole = new aws.iam.Role(`${name}-infrastructure`, { assumeRolePolicy: serviceTrustPolicy("ecs.amazonaws.com"), description: "Lets ECS manage the service's load balancer and scaling" }, parent);
        const infrastructurePolicy = new aws.iam.RolePolicyAttachment(`${name}-infrastructure-managed`, { role: this.infrastructureRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices" }, parent);
        this.taskRole = new aws.iam.Role(`${name}-task`, { assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com"), description: "The application's own identity: no permissions by default" }, parent);

        this.service = new aws.ecs.ExpressGatewayService(`${name}-service`, {
            serviceName,
            executionRoleArn: this.executionRole.arn,
            infrastructureRoleArn: this.infrastructureRole.arn,
            taskRoleArn: this.taskRole.arn,
            cpu: String(shape.cpu),
            memory: String(shape.memory),
            healthCheckPath: args.healthPath ?? "/health",
            primaryContainer: {
                image: args.image,
                containerPort: args.port ?? 8080,
                environments: Object.entries(args.env ?? {}).map(([n, value]) => ({ name: n, value })),
                secrets: Object.entries(args.secretArns ?? {}).map(([n, valueFrom]) => ({ name: n, valueFrom })),
                awsLogsConfigurations: [{ logGroup: this.logGroup.name, logStreamPrefix: serviceName }],
            },
            scalingTargets: [{ minTaskCount: shape.minTasks, maxTaskCount: shape.maxTasks, autoScalingMetric: "AVERAGE_CPU", autoScalingTargetValue: 60 }],
            ...(args.subnetIds ? { networkConfigurations: [{ subnets: args.subnetIds, securityGroups: args.securityGroupIds ?? [] }] } : {}),
            tags: { "managed-by": "runway" },
        }, { parent: this, dependsOn: [executionPolicy, infrastructurePolicy, ...(secretsPolicy ? [secretsPolicy] : [])] });
        this.serviceName = this.service.serviceName;
        this.serviceArn = this.service.serviceArn;
        this.url = this.service.ingressPaths.apply((paths) => `https://${paths?.[0]?.endpoint ?? ""}`);
        this.registerOutputs({ url: this.url, serviceArn: this.serviceArn });
    }
}
