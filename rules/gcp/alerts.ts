/** Pure definitions of Runway's Cloud Monitoring alert conditions and budget rules. */
import { BUDGET_THRESHOLDS, SERVICE_ALERTS } from "../profile";

/** An aggregation of a Cloud Monitoring filter (the API's `Aggregation`). */
export interface Aggregation {
    alignmentPeriod: string;
    perSeriesAligner: string;
    crossSeriesReducer: string;
    groupByFields: string[];
}

/** A threshold alert condition, in the shape of the provider's `AlertPolicyCondition` input. */
export interface Condition {
    displayName: string;
    conditionThreshold: {
        filter: string;
        denominatorFilter?: string;
        aggregations: Aggregation[];
        denominatorAggregations?: Aggregation[];
        comparison: string;
        thresholdValue: number;
        duration: string;
        trigger: { count: number };
    };
}

/** A budget threshold rule, in the shape of the provider's `BudgetThresholdRule` input. */
export interface BudgetThresholdRule {
    thresholdPercent: number;
    spendBasis: string;
}

function runFilter(metric: string, serviceName: string, extra = ""): string {
    return `metric.type="run.googleapis.com/${metric}" AND resource.type="cloud_run_revision" AND resource.label.service_name="${serviceName}"${extra}`;
}

/** 5xx responses above `ratio` of all responses for `durationSeconds`. */
export function errorRatioCondition(
    serviceName: string,
    ratio: number = SERVICE_ALERTS.errorRatio,
    durationSeconds: number = SERVICE_ALERTS.durationSeconds,
): Condition {
    const all = runFilter("request_count", serviceName);
    return ratioCondition(
        "5xx ratio",
        all,
        `${all} AND metric.label.response_code_class="5xx"`,
        "resource.label.service_name",
        ratio,
        durationSeconds,
    );
}

/**
 * The load balancer's own 5xx (e.g. 502 when Cloud Run cannot be reached), above `ratio` of all its
 * responses. Cloud Armor answers 403/429, so its denials never count.
 * Metric: loadbalancing.googleapis.com/https/request_count on https_lb_rule (https://cloud.google.com/monitoring/api/metrics_gcp_i_o#gcp-loadbalancing).
 */
export function loadBalancerErrorRatioCondition(
    urlMapName: string,
    ratio: number = SERVICE_ALERTS.errorRatio,
    durationSeconds: number = SERVICE_ALERTS.durationSeconds,
): Condition {
    const all = `metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule" AND resource.label.url_map_name="${urlMapName}"`;
    return ratioCondition(
        "load balancer 5xx ratio",
        all,
        `${all} AND metric.label.response_code_class=500`,
        "resource.label.url_map_name",
        ratio,
        durationSeconds,
    );
}

/** `errors` above `ratio` of `all` (both summed per `groupBy`) for `durationSeconds`. */
function ratioCondition(label: string, all: string, errors: string, groupBy: string, ratio: number, durationSeconds: number): Condition {
    const aggregation = {
        alignmentPeriod: "60s",
        perSeriesAligner: "ALIGN_RATE",
        crossSeriesReducer: "REDUCE_SUM",
        groupByFields: [groupBy],
    };
    return {
        displayName: `${label} > ${ratio * 100}% for ${durationSeconds / 60} min`,
        conditionThreshold: {
            filter: errors,
            denominatorFilter: all,
            aggregations: [aggregation],
            denominatorAggregations: [aggregation],
            comparison: "COMPARISON_GT",
            thresholdValue: ratio,
            duration: `${durationSeconds}s`,
            trigger: { count: 1 },
        },
    };
}

/** p95 request latency above `thresholdMs` for `durationSeconds`. */
export function latencyCondition(
    serviceName: string,
    thresholdMs: number = SERVICE_ALERTS.latencyP95Ms,
    durationSeconds: number = SERVICE_ALERTS.durationSeconds,
): Condition {
    return {
        displayName: `p95 latency > ${thresholdMs / 1000} s for ${durationSeconds / 60} min`,
        conditionThreshold: {
            filter: runFilter("request_latencies", serviceName),
            aggregations: [
                {
                    alignmentPeriod: "60s",
                    perSeriesAligner: "ALIGN_PERCENTILE_95",
                    crossSeriesReducer: "REDUCE_MAX",
                    groupByFields: ["resource.label.service_name"],
                },
            ],
            comparison: "COMPARISON_GT",
            thresholdValue: thresholdMs,
            duration: `${durationSeconds}s`,
            trigger: { count: 1 },
        },
    };
}

/** The uptime check failing from more than one checker region for 10 minutes. */
export function uptimeCondition(checkId: string): Condition {
    return {
        displayName: "Uptime check failing",
        conditionThreshold: {
            filter: `metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND metric.label.check_id="${checkId}" AND resource.type="uptime_url"`,
            aggregations: [
                {
                    alignmentPeriod: "1200s",
                    perSeriesAligner: "ALIGN_NEXT_OLDER",
                    crossSeriesReducer: "REDUCE_COUNT_FALSE",
                    groupByFields: ["resource.label.*"],
                },
            ],
            comparison: "COMPARISON_GT",
            thresholdValue: 1,
            duration: "600s",
            trigger: { count: 1 },
        },
    };
}

/** Budget threshold rules: 50% and 90% of actual spend, 100% of forecast. */
export function budgetThresholdRules(): BudgetThresholdRule[] {
    return [
        ...BUDGET_THRESHOLDS.actual.map((t) => ({ thresholdPercent: t, spendBasis: "CURRENT_SPEND" })),
        ...BUDGET_THRESHOLDS.forecasted.map((t) => ({ thresholdPercent: t, spendBasis: "FORECASTED_SPEND" })),
    ];
}

/** A money amount as the Billing API wants it: whole units as a string plus nanos. */
export function budgetMoney(amount: number, currencyCode: string): { currencyCode: string; units: string; nanos: number } {
    const units = Math.floor(amount);
    const nanos = Math.round((amount - units) * 1e9);
    // A fraction within half a nano of 1 rounds up to a whole unit: nanos stay below 1e9, as the API requires.
    return nanos === 1e9 ? { currencyCode, units: String(units + 1), nanos: 0 } : { currencyCode, units: String(units), nanos };
}
