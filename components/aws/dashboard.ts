import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsDashboardBody, cloudWatchDashboardUrl } from "../../rules/aws/dashboard";
import { awsNameProblems } from "../../rules/aws/names";
import { throwIfProblems } from "../../rules/problems";

export interface DashboardArgs {
    /** Dashboard name, unique in the account (letters, digits, `-` and `_`). @example "shop-production" */
    readonly dashboardName: string;
    /** ECS service behind its load balancer: dimension values of the cluster, service, load balancer and target groups (`arnSuffix`). @default none */
    readonly ecs?: {
        cluster: pulumi.Input<string>;
        service: pulumi.Input<string>;
        loadBalancer: pulumi.Input<string>;
        targetGroups: pulumi.Input<string>[];
    };
    /** Lambda function behind its function URL. @default none */
    readonly functionName?: pulumi.Input<string>;
    /** RDS instance identifier (CPU, connections, free storage). @default none */
    readonly databaseInstance?: pulumi.Input<string>;
    /** ElastiCache replication group id (its primary node's engine CPU and memory). @default none */
    readonly cacheReplicationGroup?: pulumi.Input<string>;
}

/**
 * A CloudWatch dashboard for one service: requests, 5xx ratio and p50/p95 latency (the alert thresholds
 * drawn in), healthy tasks or concurrency, CPU and memory, plus database and cache panels when given.
 * $3.00 a month beyond the account's three free dashboards. `url` opens it in the console.
 *
 * @example
 * const board = new aws.Dashboard("dashboard", { dashboardName: "shop-production",
 *     ecs: { cluster: app.clusterName, service: app.serviceName, loadBalancer: app.loadBalancer.arnSuffix, targetGroups: [tg.arnSuffix] } });
 */
export class Dashboard extends pulumi.ComponentResource {
    public readonly dashboard: aws.cloudwatch.Dashboard;
    /** The dashboard in the CloudWatch console. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:Dashboard", name, {}, opts);
        throwIfProblems(
            `Invalid arguments for runway:aws:Dashboard "${name}"`,
            awsNameProblems("dashboard", args.dashboardName, `Dashboard(${name}).dashboardName`),
        );
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const body = pulumi
            .all([
                region,
                args.ecs
                    ? pulumi.all([args.ecs.cluster, args.ecs.service, args.ecs.loadBalancer, pulumi.all(args.ecs.targetGroups)])
                    : undefined,
                args.functionName,
                args.databaseInstance,
                args.cacheReplicationGroup,
            ])
            .apply(([r, ecs, functionName, database, cache]) =>
                JSON.stringify(
                    awsDashboardBody({
                        region: r,
                        ...(ecs ? { ecs: { cluster: ecs[0], service: ecs[1], loadBalancer: ecs[2], targetGroups: ecs[3] } } : {}),
                        ...(functionName ? { lambda: { functionName } } : {}),
                        ...(database ? { database } : {}),
                        ...(cache ? { cacheNode: `${cache}-001` } : {}),
                    }),
                ),
            );
        this.dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            { dashboardName: args.dashboardName, dashboardBody: body },
            { parent: this },
        );
        this.url = region.apply((r) => cloudWatchDashboardUrl(r, args.dashboardName));
        this.registerOutputs({ url: this.url });
    }
}
