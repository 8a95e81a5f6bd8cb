import { RunwayComponent } from "../base";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { cloudMonitoringDashboardUrl, cloudRunDashboard } from "../../rules/gcp/dashboard";

export interface DashboardArgs {
    /** Project id. */
    readonly project: pulumi.Input<string>;
    /** Cloud Run service the dashboard shows. */
    readonly serviceName: pulumi.Input<string>;
    /** Title. @default the service name */
    readonly displayName?: pulumi.Input<string>;
    /** Cloud SQL instance name (its panels: CPU, memory, connections). @default none */
    readonly databaseInstance?: pulumi.Input<string>;
    /** Memorystore instance: its region and name (memory usage, clients). @default none */
    readonly cache?: { region: pulumi.Input<string>; name: pulumi.Input<string> };
    /** URL map of the edge's load balancer (its requests by class). @default none */
    readonly loadBalancerUrlMap?: pulumi.Input<string>;
}

/**
 * A Cloud Monitoring dashboard for one Cloud Run service: requests by class, 5xx ratio and p50/p95
 * latency (the alert thresholds drawn in), instances, CPU and memory, plus database, cache and edge
 * panels when given. Free. `url` opens it in the console.
 *
 * @example
 * const board = new gcp.Dashboard("dashboard", { project, serviceName: app.serviceName });
 * export const dashboardUrl = board.url;
 */
export class Dashboard extends RunwayComponent {
    public readonly dashboard: gcp.monitoring.Dashboard;
    /** The dashboard in the Cloud console. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:Dashboard", name, opts);
        const json = pulumi
            .all([
                args.project,
                args.serviceName,
                args.displayName ?? args.serviceName,
                args.databaseInstance,
                args.cache?.region,
                args.cache?.name,
                args.loadBalancerUrlMap,
            ])
            .apply(([project, serviceName, displayName, database, cacheRegion, cacheName, urlMap]) =>
                JSON.stringify(
                    cloudRunDashboard({
                        serviceName,
                        displayName,
                        ...(database ? { databaseId: `${project}:${database}` } : {}),
                        ...(cacheName ? { cacheId: `projects/${project}/locations/${cacheRegion}/instances/${cacheName}` } : {}),
                        ...(urlMap ? { urlMap } : {}),
                    }),
                ),
            );
        this.dashboard = new gcp.monitoring.Dashboard(
            `${name}-dashboard`,
            { project: args.project, dashboardJson: json },
            { parent: this },
        );
        this.url = pulumi.all([this.dashboard.id, args.project]).apply(([id, project]) => cloudMonitoringDashboardUrl(id, project));
        this.registerOutputs({ url: this.url });
    }
}
