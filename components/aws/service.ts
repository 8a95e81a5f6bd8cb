import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { problemIf } from "../../rules/problems";
import { Tier, awsRuntimePreset, componentProfile, tierProblems } from "../../rules/profile";
import {
    ALB_IDLE_TIMEOUT_SECONDS,
    checkFargateShape,
    KEEP_ALIVE_ENV,
    logRetentionProblems,
    targetKeepAliveSeconds,
} from "../../rules/aws/limits";
import { awsNameProblems, awsNames } from "../../rules/aws/names";
import { ECS_LOAD_BALANCER_ROLE_POLICY, ecsCanaryDeployment, rollbackAlarms } from "../../rules/aws/release";
import type { CanaryPlan } from "../../rules/release";
import { serviceTrustPolicy, ssmReadPolicy } from "../../rules/aws/iam";
import { wafRules } from "../../rules/aws/waf";
import { albListeners } from "./listeners";
import { MANAGED_BY, RunwayComponent } from "../base";

export interface ServiceArgs {
    /** Image to run, by digest. @example "123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:..." */
    readonly image: pulumi.Input<string>;
    /** Tier whose presets fill CPU, memory, task counts, log retention, WAF and deletion protection. @default "staging" */
    readonly tier?: Tier;
    /** Cluster and service name: unique per account and region, so include the stack. @default the component name */
    readonly serviceName?: string;
    /** Container port. @default 8080 */
    readonly port?: number;
    /** Path the load balancer's health check requests (200-399 is healthy). @default "/health" */
    readonly healthPath?: string;
    /** Fargate CPU units (256-16384). @default tier preset (512 staging, 1024 production) */
    readonly cpu?: number;
    /** Memory in MiB, valid for the CPU (Fargate's table). @default tier preset (1024, 2048) */
    readonly memory?: number;
    /** Tasks always running, spread over the subnets' zones (Fargate cannot scale to zero). @default tier preset (1, 2) */
    readonly minTasks?: number;
    /** Ceiling of the CPU autoscaler. @default tier preset (4, 20) */
    readonly maxTasks?: number;
    /** Plain env vars. @default {} @example { LOG_LEVEL: "info" } */
    readonly env?: Record<string, pulumi.Input<string>>;
    /** Env name → SSM parameter or Secrets Manager ARN, injected by ECS (never plain env). @default {} */
    readonly secretArns?: Record<string, pulumi.Input<string>>;
    /** SSM path the execution role may read (e.g. arn:aws:ssm:us-east-1:123:parameter/shop/prod). @default none */
    readonly secretPathArn?: pulumi.Input<string>;
    /** Secrets Manager ARNs the execution role may read. @default [] */
    readonly secretsManagerArns?: pulumi.Input<string>[];
    /**
     * What holds the secret values (`aws.Secrets`'s `valuesReady`: parameters, Secrets Manager versions): the task
     * definition and service wait for them, since ECS reads every secret when a task starts. @default []
     */
    readonly secretsReady?: pulumi.Resource[];
    /** VPC of the load balancer's target group. */
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets for the tasks (no public IP; they reach ECR and logs through NAT). */
    readonly subnetIds: pulumi.Input<string>[];
    /** Public subnets for the internet-facing load balancer (two or more zones). */
    readonly publicSubnetIds: pulumi.Input<string>[];
    /** Security group of the tasks. */
    readonly securityGroupId: pulumi.Input<string>;
    /** Security group of the load balancer (who may reach it). */
    readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
    /** Resources the tasks need before they can pull their image (private route tables, NAT). @default [] */
    readonly egressReady?: pulumi.Resource[];
    /** Log retention in days. @default tier preset (14, 90) */
    readonly logRetentionDays?: number;
    /**
     * Load balancer idle timeout in seconds, 1-4000 (the longest request); the container keeps connections 5 s longer
     * (RUNWAY_KEEP_ALIVE_SECONDS). @default 300
     */
    readonly timeoutSeconds?: number;
    /** Hostname served over HTTPS with an ACM certificate (DNS validation); HTTP then redirects to HTTPS. @default none: HTTP on the load balancer's name */
    readonly domain?: string;
    /** AWS WAF web ACL (managed common, known-bad-inputs and SQLi rules + a per-IP rate limit). @default tier preset (production) */
    readonly waf?: boolean;
    /**
     * Let the WAF block request bodies over 8 KB (the common rule set's `SizeRestrictions_BODY`); by default that rule
     * only counts, so uploads and large form posts pass, and body bytes past the first 8 KB go uninspected. @default false
     */
    readonly wafBlockLargeBodies?: boolean;
    /**
     * Deletion protection on the load balancer: while on, `pulumi destroy` fails (OperationNotPermitted); turn it off
     * with an `up` before destroying on purpose. @default the tier's `protect` (production)
     */
    readonly deletionProtection?: boolean;
    /** Leave the task definition to CI (it deploys new images): `pulumi up` does not roll the service back. @default false */
    readonly ignoreImageChanges?: boolean;
    /**
     * Deploy through ECS's built-in CANARY strategy: a second target group and a production listener
     * rule whose weights ECS moves (`percent` of requests for `minutes`), rolling back on per-target-group
     * 5xx-ratio and p95 alarms at the alert thresholds. @default none: rolling updates with the circuit breaker
     */
    readonly canary?: CanaryPlan;
    /** Numeric user the container runs as (never root). @default "10001" */
    readonly user?: string;
}

export { certificateRecordMessage } from "./listeners";

/**
 * An ECS Fargate service in private subnets behind an internet-facing Application Load Balancer in
 * public subnets: its own cluster, a task definition with separate execution and task roles
 * (secrets injected from SSM / Secrets Manager ARNs), a target group health-checking `healthPath`,
 * HTTP (or HTTPS with an ACM certificate for `domain`, HTTP redirecting), an optional WAF web ACL,
 * CPU autoscaling, a deployment circuit breaker with rollback, and `pulumi up` waiting for steady state.
 *
 * @example
 * const svc = new aws.Service("app", { image: image.imageRef, tier: "production", vpcId: net.vpc.id,
 *     subnetIds: net.privateSubnetIds, publicSubnetIds: net.publicSubnetIds, securityGroupId: net.serviceSecurityGroupId,
 *     loadBalancerSecurityGroupId: net.loadBalancerSecurityGroupId, egressReady: net.egressReady });
 */
export class Service extends RunwayComponent {
    public readonly cluster: aws.ecs.Cluster;
    public readonly service: aws.ecs.Service;
    public readonly taskDefinition: aws.ecs.TaskDefinition;
    public readonly loadBalancer: aws.lb.LoadBalancer;
    public readonly executionRole: aws.iam.Role;
    public readonly taskRole: aws.iam.Role;
    public readonly logGroup: aws.cloudwatch.LogGroup;
    public readonly clusterName: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;
    public readonly serviceArn: pulumi.Output<string>;
    /** The load balancer's target groups: the service's, then (with `canary`) the alternate one ECS alternates with. */
    public readonly targetGroups: aws.lb.TargetGroup[];
    /** The alarms a CANARY deployment rolls back on (empty without `canary`). */
    public readonly rollbackAlarmNames: string[] = [];
    /** Container name in the task definition (what a deploy workflow replaces the image of). */
    public readonly containerName: string;
    /** `https://<domain>` or `http://<load balancer DNS name>`. */
    public readonly url: pulumi.Output<string>;
    /** DNS records that validate the certificate (add them at your DNS host); empty without a domain. */
    public readonly certificateValidationRecords: pulumi.Output<{ name: string; type: string; value: string }[]>;

    constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:Service", name, opts);
        const spec = this.resolve(args);
        this.containerName = awsNames(spec.serviceName).container;
        this.logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: awsNames(spec.serviceName).logGroup("fargate"), retentionInDays: spec.logRetentionDays },
            { parent: this },
        );
        const roles = this.createRoles(name, args);
        this.executionRole = roles.execution;
        this.taskRole = roles.task;
        this.cluster = new aws.ecs.Cluster(`${name}-cluster`, { name: spec.serviceName, tags: { ...MANAGED_BY } }, { parent: this });
        this.taskDefinition = this.createTaskDefinition(name, args, spec.serviceName, spec.shape, spec.port, spec.idle);
        const edge = this.createLoadBalancer(name, args, spec.port, spec.idle, spec.deletionProtection);
        this.loadBalancer = edge.loadBalancer;
        this.certificateValidationRecords = edge.validationRecords;
        if (spec.waf) this.createWaf(name, spec.serviceName, args.wafBlockLargeBodies ?? false);
        const canary = args.canary ? this.createCanary(name, spec.serviceName, args, spec.port, edge) : undefined;
        this.targetGroups = [edge.targetGroup, ...(canary ? [canary.alternate] : [])];
        this.service = this.createService(args, spec, edge, roles.grants, canary);
        this.createAutoscaling(name, spec.shape);

        this.clusterName = this.cluster.name;
        this.serviceName = this.service.name;
        this.serviceArn = this.service.arn;
        this.url = args.domain ? pulumi.output(`https://${args.domain}`) : pulumi.interpolate`http://${this.loadBalancer.dnsName}`;
        this.registerOutputs({
            url: this.url,
            serviceArn: this.serviceArn,
            clusterName: this.clusterName,
            serviceName: this.serviceName,
            containerName: this.containerName,
        });
    }

    /** Checks the arguments and fills the defaults: the tier's Fargate preset (a Lambda tier's is staging's). */
    private resolve(args: ServiceArgs) {
        this.refuse(tierProblems(args.tier, this.argKey("tier")));
        const preset = awsRuntimePreset("fargate", args.tier);
        const shape = {
            cpu: args.cpu ?? preset.cpu,
            memory: args.memory ?? preset.memory,
            minTasks: args.minTasks ?? preset.minTasks,
            maxTasks: args.maxTasks ?? preset.maxTasks,
        };
        const idle = args.timeoutSeconds ?? 300;
        const logRetentionDays = args.logRetentionDays ?? preset.logRetentionDays;
        this.refuse([
            // The cluster and the service take it (one rule for both).
            ...awsNameProblems("ecsService", args.serviceName ?? this.baseName, this.argKey("serviceName")),
            ...checkFargateShape(shape, (f) => this.argKey(f)),
            ...logRetentionProblems(logRetentionDays, this.argKey("logRetentionDays")),
            ...problemIf(
                !(Number.isInteger(idle) && idle >= ALB_IDLE_TIMEOUT_SECONDS.min && idle <= ALB_IDLE_TIMEOUT_SECONDS.max),
                this.argKey("timeoutSeconds"),
                idle,
                `${ALB_IDLE_TIMEOUT_SECONDS.min}-${ALB_IDLE_TIMEOUT_SECONDS.max} seconds (the load balancer's idle timeout)`,
            ),
        ]);
        return {
            shape,
            idle,
            logRetentionDays,
            serviceName: args.serviceName ?? this.baseName,
            port: args.port ?? 8080,
            deletionProtection: args.deletionProtection ?? componentProfile(args.tier, "staging").settings.protect,
            waf: args.waf ?? preset.waf,
        };
    }

    /** The ECS service: behind the target group, rolled back by its circuit breaker (or, with a canary, by its alarms). */
    private createService(
        args: ServiceArgs,
        spec: { serviceName: string; port: number; shape: { minTasks: number } },
        edge: { targetGroup: aws.lb.TargetGroup; listeners: pulumi.Resource[] },
        grants: pulumi.Resource[],
        canary:
            | { advancedConfiguration: aws.types.input.ecs.ServiceLoadBalancerAdvancedConfiguration; ready: pulumi.Resource[] }
            | undefined,
    ): aws.ecs.Service {
        return new aws.ecs.Service(
            `${this.baseName}-service`,
            {
                name: spec.serviceName,
                cluster: this.cluster.arn,
                taskDefinition: this.taskDefinition.arn,
                desiredCount: spec.shape.minTasks,
                launchType: "FARGATE",
                networkConfiguration: { subnets: args.subnetIds, securityGroups: [args.securityGroupId], assignPublicIp: false },
                loadBalancers: [
                    {
                        targetGroupArn: edge.targetGroup.arn,
                        containerName: this.containerName,
                        containerPort: spec.port,
                        ...(canary ? { advancedConfiguration: canary.advancedConfiguration } : {}),
                    },
                ],
                healthCheckGracePeriodSeconds: 60,
                ...(canary && args.canary
                    ? {
                          ...ecsCanaryDeployment(args.canary),
                          alarms: { alarmNames: this.rollbackAlarmNames, enable: true, rollback: true },
                      }
                    : { deploymentCircuitBreaker: { enable: true, rollback: true } }),
                availabilityZoneRebalancing: "ENABLED",
                waitForSteadyState: true,
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
                tags: { ...MANAGED_BY },
            },
            {
                parent: this,
                // A target group must belong to a load balancer (via a listener) before a service uses it;
                // tasks need their NAT route to pull the image and the execution role's grants to start.
                // Tasks read every secret at start: a Secrets Manager secret without its version fails them.
                dependsOn: [
                    ...edge.listeners,
                    ...(args.egressReady ?? []),
                    ...grants,
                    ...(args.secretsReady ?? []),
                    ...(canary?.ready ?? []),
                ],
                // The autoscaler owns the task count; with ignoreImageChanges CI owns the task definition. With a
                // canary ECS alternates the two target groups between deployments: the wiring is fixed at creation.
                ignoreChanges: [
                    "desiredCount",
                    ...(args.ignoreImageChanges ? ["taskDefinition"] : []),
                    ...(canary ? ["loadBalancers"] : []),
                ],
            },
        );
    }

    private createRoles(name: string, args: ServiceArgs) {
        const parent = { parent: this };
        const execution = new aws.iam.Role(
            `${name}-execution`,
            {
                assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com"),
                description: "Pulls the image, writes logs, reads this service's secrets",
            },
            parent,
        );
        const grants: pulumi.Resource[] = [
            new aws.iam.RolePolicyAttachment(
                `${name}-execution-managed`,
                { role: execution.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" },
                parent,
            ),
        ];
        if (args.secretPathArn !== undefined || (args.secretsManagerArns ?? []).length > 0) {
            grants.push(
                new aws.iam.RolePolicy(
                    `${name}-execution-secrets`,
                    {
                        role: execution.name,
                        policy: pulumi
                            .all([args.secretPathArn, pulumi.all(args.secretsManagerArns ?? [])])
                            .apply(([p, sm]) => ssmReadPolicy(p, sm)),
                    },
                    parent,
                ),
            );
        }
        const task = new aws.iam.Role(
            `${name}-task`,
            {
                assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com"),
                description: "The application's own identity: no permissions by default",
            },
            parent,
        );
        return { execution, task, grants };
    }

    private createTaskDefinition(
        name: string,
        args: ServiceArgs,
        family: string,
        shape: { cpu: number; memory: number },
        port: number,
        idle: number,
    ): aws.ecs.TaskDefinition {
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const containerDefinitions = pulumi
            .all([
                args.image,
                region,
                this.logGroup.name,
                pulumi.all(Object.entries(args.env ?? {}).map(([n, v]) => pulumi.all([n, v]))),
                pulumi.all(Object.entries(args.secretArns ?? {}).map(([n, v]) => pulumi.all([n, v]))),
            ])
            .apply(([image, awsRegion, logGroup, env, secrets]) =>
                JSON.stringify([
                    {
                        name: this.containerName,
                        image,
                        essential: true,
                        user: args.user ?? "10001",
                        portMappings: [{ containerPort: port, protocol: "tcp" }],
                        environment: [
                            ...env.map(([n, value]) => ({ name: n, value })),
                            { name: "PORT", value: String(port) },
                            { name: KEEP_ALIVE_ENV, value: String(targetKeepAliveSeconds(idle)) },
                        ],
                        secrets: secrets.map(([n, valueFrom]) => ({ name: n, valueFrom })),
                        logConfiguration: {
                            logDriver: "awslogs",
                            options: { "awslogs-group": logGroup, "awslogs-region": awsRegion, "awslogs-stream-prefix": family },
                        },
                    },
                ]),
            );
        return new aws.ecs.TaskDefinition(
            `${name}-task`,
            {
                family,
                cpu: String(shape.cpu),
                memory: String(shape.memory),
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
                executionRoleArn: this.executionRole.arn,
                taskRoleArn: this.taskRole.arn,
                containerDefinitions,
                // Replaced revisions stay ACTIVE: the deploy workflow rolls back to the previous one, and a service
                // cannot be updated to an INACTIVE revision (ECS DeregisterTaskDefinition). Cleanup: docs/day-two.md.
                skipDestroy: true,
            },
            { parent: this, dependsOn: args.secretsReady ?? [] },
        );
    }

    private createLoadBalancer(name: string, args: ServiceArgs, port: number, idle: number, deletionProtection: boolean) {
        const parent = { parent: this };
        const loadBalancer = new aws.lb.LoadBalancer(
            `${name}-lb`,
            {
                internal: false,
                loadBalancerType: "application",
                securityGroups: [args.loadBalancerSecurityGroupId],
                subnets: args.publicSubnetIds,
                idleTimeout: idle,
                dropInvalidHeaderFields: true,
                enableDeletionProtection: deletionProtection,
                tags: { "managed-by": "runway" },
            },
            parent,
        );
        const targetGroup = new aws.lb.TargetGroup(`${name}-targets`, targetGroupArgs(args, port), parent);
        const { listeners, validationRecords } = albListeners(
            name,
            { loadBalancerArn: loadBalancer.arn, targetGroupArn: targetGroup.arn, domain: args.domain },
            this,
        );
        return { loadBalancer, targetGroup, listeners, validationRecords };
    }

    /**
     * What a CANARY deployment needs besides the service: the alternate target group, the production
     * listener rule on the forwarding listener (every path, both groups; ECS owns its weights, so Pulumi
     * ignores its actions), ECS's infrastructure role that moves them, and the rollback alarms.
     */
    private createCanary(
        name: string,
        serviceName: string,
        args: ServiceArgs,
        port: number,
        edge: { loadBalancer: aws.lb.LoadBalancer; targetGroup: aws.lb.TargetGroup; listeners: aws.lb.Listener[] },
    ) {
        const parent = { parent: this };
        const green = new aws.lb.TargetGroup(`${name}-targets-alternate`, targetGroupArgs(args, port), parent);
        const rule = new aws.lb.ListenerRule(
            `${name}-production`,
            {
                listenerArn: edge.listeners[0].arn,
                priority: 1,
                conditions: [{ pathPattern: { values: ["/*"] } }],
                actions: [
                    {
                        type: "forward",
                        forward: {
                            targetGroups: [
                                { arn: edge.targetGroup.arn, weight: 100 },
                                { arn: green.arn, weight: 0 },
                            ],
                        },
                    },
                ],
            },
            { ...parent, ignoreChanges: ["actions"] },
        );
        const role = new aws.iam.Role(
            `${name}-ecs-infrastructure`,
            {
                assumeRolePolicy: serviceTrustPolicy("ecs.amazonaws.com"),
                description: "Lets ECS move the production listener rule's weights during a canary deployment",
            },
            parent,
        );
        const attachment = new aws.iam.RolePolicyAttachment(
            `${name}-ecs-infrastructure`,
            { role: role.name, policyArn: ECS_LOAD_BALANCER_ROLE_POLICY },
            parent,
        );
        const alarms = rollbackAlarms(serviceName, edge.loadBalancer.arnSuffix, [edge.targetGroup.arnSuffix, green.arnSuffix]).map(
            (a) =>
                new aws.cloudwatch.MetricAlarm(
                    `${name}-${a.name.slice(serviceName.length + 1)}`,
                    {
                        name: a.name,
                        alarmDescription: a.description,
                        comparisonOperator: "GreaterThanThreshold",
                        threshold: a.threshold,
                        evaluationPeriods: a.periods,
                        datapointsToAlarm: a.periods,
                        treatMissingData: "notBreaching",
                        metricQueries: a.queries,
                    },
                    parent,
                ),
        );
        this.rollbackAlarmNames.push(...rollbackAlarms(serviceName, "", ["", ""]).map((a) => a.name));
        return {
            alternate: green,
            advancedConfiguration: { alternateTargetGroupArn: green.arn, productionListenerRule: rule.arn, roleArn: role.arn },
            ready: [rule, attachment, ...alarms],
        };
    }

    private createWaf(name: string, serviceName: string, blockLargeBodies: boolean): void {
        const acl = new aws.wafv2.WebAcl(
            `${name}-waf`,
            {
                scope: "REGIONAL",
                defaultAction: { allow: {} },
                rules: wafRules(serviceName, undefined, blockLargeBodies),
                visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: serviceName, sampledRequestsEnabled: true },
            },
            { parent: this },
        );
        new aws.wafv2.WebAclAssociation(`${name}-waf`, { resourceArn: this.loadBalancer.arn, webAclArn: acl.arn }, { parent: this });
    }

    private createAutoscaling(name: string, shape: { minTasks: number; maxTasks: number }): void {
        const target = new aws.appautoscaling.Target(
            `${name}-scaling`,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: pulumi.interpolate`service/${this.cluster.name}/${this.service.name}`,
                minCapacity: shape.minTasks,
                maxCapacity: shape.maxTasks,
            },
            { parent: this },
        );
        new aws.appautoscaling.Policy(
            `${name}-cpu`,
            {
                policyType: "TargetTrackingScaling",
                serviceNamespace: target.serviceNamespace,
                scalableDimension: target.scalableDimension,
                resourceId: target.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                    targetValue: 60,
                    scaleInCooldown: 120,
                    scaleOutCooldown: 60,
                },
            },
            { parent: this },
        );
    }
}

/** The service's target groups: IP targets on the container port, health-checked on the health path. */
function targetGroupArgs(args: ServiceArgs, port: number): aws.lb.TargetGroupArgs {
    return {
        vpcId: args.vpcId,
        port,
        protocol: "HTTP",
        targetType: "ip",
        deregistrationDelay: 30,
        healthCheck: {
            path: args.healthPath ?? "/health",
            matcher: "200-399",
            interval: 15,
            timeout: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 3,
        },
    };
}
