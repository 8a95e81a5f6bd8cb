/**
 * The Cloud Monitoring dashboard of one Cloud Run service, as the Dashboards API takes it
 * (cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards: mosaicLayout tiles of xyChart
 * widgets with timeSeriesQuery filters). Pure: names in, JSON-ready object out. Metric types and
 * labels: cloud.google.com/monitoring/api/metrics_gcp (run.googleapis.com, cloudsql.googleapis.com,
 * redis.googleapis.com, loadbalancing.googleapis.com). Dashboards are free.
 */
import { SERVICE_ALERTS } from "../profile";

export interface CloudRunDashboardInput {
    /** Cloud Run service name. */
    readonly serviceName: string;
    /** Title shown in the console. */
    readonly displayName: string;
    /** Cloud SQL instance, as its metrics name it (`<project>:<instance>`). @default none: no database panels */
    readonly databaseId?: string;
    /** Memorystore instance, as its metrics name it (`projects/<p>/locations/<r>/instances/<name>`). @default none */
    readonly cacheId?: string;
    /** URL map of the edge's load balancer. @default none */
    readonly urlMap?: string;
}

type Json = Record<string, unknown>;

const WIDTH = 6;
const HEIGHT = 4;

const filter = (metric: string, resource: string, labels: Record<string, string>, extra = "") =>
    [`metric.type="${metric}"`, `resource.type="${resource}"`, ...Object.entries(labels).map(([k, v]) => `resource.label.${k}="${v}"`)]
        .join(" AND ")
        .concat(extra);

const aggregation = (aligner: string, reducer?: string, groupBy: string[] = []) => ({
    alignmentPeriod: "60s",
    perSeriesAligner: aligner,
    ...(reducer ? { crossSeriesReducer: reducer, groupByFields: groupBy } : {}),
});

const series = (f: string, agg: Json, legend?: string): Json => ({
    timeSeriesQuery: { timeSeriesFilter: { filter: f, aggregation: agg } },
    plotType: "LINE",
    ...(legend ? { legendTemplate: legend } : {}),
});

const chart = (title: string, dataSets: Json[], yLabel: string, threshold?: { value: number; label: string }): Json => ({
    title,
    xyChart: {
        dataSets,
        yAxis: { label: yLabel, scale: "LINEAR" },
        ...(threshold ? { thresholds: [{ label: threshold.label, value: threshold.value, color: "RED", direction: "ABOVE" }] } : {}),
    },
});

/** The service's panels: traffic, errors, latency, instances, CPU, memory. */
function servicePanels(service: string): Json[] {
    const run = (metric: string, extra = "") =>
        filter(`run.googleapis.com/${metric}`, "cloud_run_revision", { service_name: service }, extra);
    const requests = run("request_count");
    const latency = (p: number) =>
        series(run("request_latencies"), aggregation("ALIGN_DELTA", `REDUCE_PERCENTILE_${p}`, ["resource.label.service_name"]), `p${p}`);
    return [
        chart(
            "Requests per second, by response class",
            [series(requests, aggregation("ALIGN_RATE", "REDUCE_SUM", ["metric.label.response_code_class"]))],
            "requests/s",
        ),
        chart(
            "5xx ratio",
            [
                {
                    timeSeriesQuery: {
                        timeSeriesFilterRatio: {
                            numerator: {
                                filter: `${requests} AND metric.label.response_code_class="5xx"`,
                                aggregation: aggregation("ALIGN_RATE", "REDUCE_SUM", ["resource.label.service_name"]),
                            },
                            denominator: {
                                filter: requests,
                                aggregation: aggregation("ALIGN_RATE", "REDUCE_SUM", ["resource.label.service_name"]),
                            },
                        },
                    },
                    plotType: "LINE",
                },
            ],
            "ratio",
            { value: SERVICE_ALERTS.errorRatio, label: "alert" },
        ),
        chart("Request latency p50 / p95 (ms)", [latency(50), latency(95)], "ms", {
            value: SERVICE_ALERTS.latencyP95Ms,
            label: "p95 alert",
        }),
        chart(
            "Instances, by state",
            [series(run("container/instance_count"), aggregation("ALIGN_MAX", "REDUCE_SUM", ["metric.label.state"]))],
            "instances",
        ),
        chart(
            "CPU utilisation p95",
            [
                series(
                    run("container/cpu/utilizations"),
                    aggregation("ALIGN_DELTA", "REDUCE_PERCENTILE_95", ["resource.label.service_name"]),
                ),
            ],
            "fraction",
        ),
        chart(
            "Memory utilisation p95",
            [
                series(
                    run("container/memory/utilizations"),
                    aggregation("ALIGN_DELTA", "REDUCE_PERCENTILE_95", ["resource.label.service_name"]),
                ),
            ],
            "fraction",
        ),
    ];
}

function databasePanels(databaseId: string): Json[] {
    const sql = (metric: string) => filter(`cloudsql.googleapis.com/database/${metric}`, "cloudsql_database", { database_id: databaseId });
    return [
        chart(
            "Database CPU and memory utilisation",
            [
                series(sql("cpu/utilization"), aggregation("ALIGN_MEAN"), "cpu"),
                series(sql("memory/utilization"), aggregation("ALIGN_MEAN"), "memory"),
            ],
            "fraction",
        ),
        chart("Database connections", [series(sql("postgresql/num_backends"), aggregation("ALIGN_MEAN", "REDUCE_SUM"))], "connections"),
    ];
}

function cachePanels(cacheId: string): Json[] {
    const redis = (metric: string) => filter(`redis.googleapis.com/${metric}`, "redis_instance", { instance_id: cacheId });
    return [
        chart("Cache memory usage ratio", [series(redis("stats/memory/usage_ratio"), aggregation("ALIGN_MAX", "REDUCE_MAX"))], "fraction"),
        chart("Cache connected clients", [series(redis("clients/connected"), aggregation("ALIGN_MEAN", "REDUCE_SUM"))], "clients"),
    ];
}

function edgePanels(urlMap: string): Json[] {
    const requests = filter("loadbalancing.googleapis.com/https/request_count", "https_lb_rule", { url_map_name: urlMap });
    return [
        chart(
            "Edge requests per second, by response class",
            [series(requests, aggregation("ALIGN_RATE", "REDUCE_SUM", ["metric.label.response_code_class"]))],
            "requests/s",
        ),
    ];
}

/**
 * The dashboard: the service's traffic, 5xx ratio and latency (with the alert thresholds drawn in),
 * instances, CPU and memory; then the database, cache and edge panels when the stack has them.
 * @example cloudRunDashboard({ serviceName: "app-production", displayName: "app-production" }).mosaicLayout.tiles.length === 6
 */
export function cloudRunDashboard(o: CloudRunDashboardInput): { displayName: string; mosaicLayout: { columns: number; tiles: Json[] } } {
    const widgets = [
        ...servicePanels(o.serviceName),
        ...(o.urlMap ? edgePanels(o.urlMap) : []),
        ...(o.databaseId ? databasePanels(o.databaseId) : []),
        ...(o.cacheId ? cachePanels(o.cacheId) : []),
    ];
    return {
        displayName: o.displayName,
        mosaicLayout: {
            columns: 2 * WIDTH,
            // Zero positions are left out: the API returns them omitted, and a stored 0 would show as a change on every preview.
            tiles: widgets.map((widget, i) => ({
                ...(i % 2 > 0 ? { xPos: WIDTH } : {}),
                ...(i >= 2 ? { yPos: Math.floor(i / 2) * HEIGHT } : {}),
                width: WIDTH,
                height: HEIGHT,
                widget,
            })),
        },
    };
}

/**
 * The console URL of a dashboard from its resource id (`projects/<project>/dashboards/<id>`).
 * @example dashboardUrl("projects/p/dashboards/abc", "p") === "https://console.cloud.google.com/monitoring/dashboards/custom/abc?project=p"
 */
export function cloudMonitoringDashboardUrl(id: string, project: string): string {
    return `https://console.cloud.google.com/monitoring/dashboards/custom/${id.split("/").pop()}?project=${encodeURIComponent(project)}`;
}
