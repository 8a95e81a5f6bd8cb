/**
 * The CloudWatch dashboard of one Runway service, as PutDashboard takes its body
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html:
 * metric widgets with `metrics` arrays, metric math by `expression`, horizontal annotations). Metric
 * names: ELB "CloudWatch metrics for your Application Load Balancer", ECS "Amazon ECS CloudWatch
 * metrics", RDS and ElastiCache metric references, Lambda "function URL metrics". Pure: names in,
 * JSON-ready object out. Priced: $3.00 per dashboard-month beyond three per account (CloudWatch pricing).
 */
import { SERVICE_ALERTS } from "../profile";

export interface AwsDashboardInput {
    readonly region: string;
    /** ECS: the cluster and service, the load balancer's and target groups' dimension values (`arnSuffix`). */
    readonly ecs?: { cluster: string; service: string; loadBalancer: string; targetGroups: string[] };
    /** Lambda: the function name (its function URL's metrics). */
    readonly lambda?: { functionName: string };
    /** RDS instance identifier. @default none */
    readonly database?: string;
    /** ElastiCache primary node id (`<replication group>-001`). @default none */
    readonly cacheNode?: string;
}

type Metric = (string | Record<string, unknown>)[];
type Widget = Record<string, unknown>;

const W = 12;
const H = 6;

function widget(region: string, title: string, metrics: Metric[], extra: Record<string, unknown> = {}): Widget {
    return { type: "metric", width: W, height: H, properties: { title, region, view: "timeSeries", period: 60, metrics, ...extra } };
}

const threshold = (label: string, value: number) => ({ annotations: { horizontal: [{ label, value }] } });

function ecsWidgets(region: string, e: NonNullable<AwsDashboardInput["ecs"]>): Widget[] {
    const lb = ["AWS/ApplicationELB"];
    const at = ["LoadBalancer", e.loadBalancer];
    return [
        widget(region, "Requests per minute", [[...lb, "RequestCount", ...at, { stat: "Sum" }]]),
        widget(
            region,
            "5xx ratio (targets and load balancer)",
            [
                [{ expression: "IF(r > 0, (t + l) / r, 0)", label: "5xx ratio", id: "ratio" }],
                [...lb, "HTTPCode_Target_5XX_Count", ...at, { id: "t", stat: "Sum", visible: false }],
                [...lb, "HTTPCode_ELB_5XX_Count", ...at, { id: "l", stat: "Sum", visible: false }],
                [...lb, "RequestCount", ...at, { id: "r", stat: "Sum", visible: false }],
            ],
            threshold("alert", SERVICE_ALERTS.errorRatio),
        ),
        widget(
            region,
            "Latency p50 / p95 (s)",
            [
                [...lb, "TargetResponseTime", ...at, { stat: "p50", label: "p50" }],
                [...lb, "TargetResponseTime", ...at, { stat: "p95", label: "p95" }],
            ],
            threshold("p95 alert", SERVICE_ALERTS.latencyP95Ms / 1000),
        ),
        widget(
            region,
            "Healthy tasks per target group",
            e.targetGroups.map((tg) => [...lb, "HealthyHostCount", "TargetGroup", tg, ...at, { stat: "Maximum" }]),
        ),
        widget(region, "CPU utilisation (%)", [["AWS/ECS", "CPUUtilization", "ClusterName", e.cluster, "ServiceName", e.service]]),
        widget(region, "Memory utilisation (%)", [["AWS/ECS", "MemoryUtilization", "ClusterName", e.cluster, "ServiceName", e.service]]),
    ];
}

function lambdaWidgets(region: string, fn: string): Widget[] {
    const at = ["AWS/Lambda"];
    const f = ["FunctionName", fn];
    return [
        widget(region, "Requests per minute (function URL)", [[...at, "UrlRequestCount", ...f, { stat: "Sum" }]]),
        widget(
            region,
            "5xx ratio (function URL)",
            [
                [{ expression: "IF(r > 0, e / r, 0)", label: "5xx ratio", id: "ratio" }],
                [...at, "Url5xxCount", ...f, { id: "e", stat: "Sum", visible: false }],
                [...at, "UrlRequestCount", ...f, { id: "r", stat: "Sum", visible: false }],
            ],
            threshold("alert", SERVICE_ALERTS.errorRatio),
        ),
        widget(
            region,
            "Latency p50 / p95 (ms)",
            [
                [...at, "UrlRequestLatency", ...f, { stat: "p50", label: "p50" }],
                [...at, "UrlRequestLatency", ...f, { stat: "p95", label: "p95" }],
            ],
            threshold("p95 alert", SERVICE_ALERTS.latencyP95Ms),
        ),
        widget(region, "Concurrent executions (instances)", [[...at, "ConcurrentExecutions", ...f, { stat: "Maximum" }]]),
        widget(region, "Duration p95 (ms) and errors", [
            [...at, "Duration", ...f, { stat: "p95" }],
            [...at, "Errors", ...f, { stat: "Sum", yAxis: "right" }],
        ]),
    ];
}

function dataWidgets(region: string, o: AwsDashboardInput): Widget[] {
    const db = o.database ? ["AWS/RDS", "DBInstanceIdentifier", o.database] : undefined;
    const cache = o.cacheNode ? ["AWS/ElastiCache", "CacheClusterId", o.cacheNode] : undefined;
    const rds = (metric: string, extra: Record<string, unknown> = {}): Metric => [db![0], metric, db![1], db![2], extra];
    const redis = (metric: string): Metric => [cache![0], metric, cache![1], cache![2]];
    return [
        ...(db
            ? [
                  widget(region, "Database CPU (%)", [rds("CPUUtilization")]),
                  widget(region, "Database connections and free storage", [
                      rds("DatabaseConnections"),
                      rds("FreeStorageSpace", { yAxis: "right" }),
                  ]),
              ]
            : []),
        ...(cache
            ? [widget(region, "Cache engine CPU and memory (%)", [redis("EngineCPUUtilization"), redis("DatabaseMemoryUsagePercentage")])]
            : []),
    ];
}

/**
 * The dashboard body: traffic, 5xx ratio and p50/p95 latency (the alert thresholds drawn in), tasks
 * or concurrency, CPU and memory, then database and cache panels when the stack has them; laid out
 * two widgets a row.
 */
export function awsDashboardBody(o: AwsDashboardInput): { widgets: Widget[] } {
    const widgets = [
        ...(o.ecs ? ecsWidgets(o.region, o.ecs) : []),
        ...(o.lambda ? lambdaWidgets(o.region, o.lambda.functionName) : []),
        ...dataWidgets(o.region, o),
    ];
    return { widgets: widgets.map((w, i) => ({ ...w, x: (i % 2) * W, y: Math.floor(i / 2) * H })) };
}

/** The console URL of a CloudWatch dashboard. */
export function cloudWatchDashboardUrl(region: string, name: string): string {
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${encodeURIComponent(name)}`;
}
