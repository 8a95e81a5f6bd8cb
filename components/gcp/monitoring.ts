import { MANAGED_BY, RunwayComponent, keyedEntries } from "../base";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Problem, throwIfProblems } from "../../rules/problems";
import { AlertLevel } from "../../rules/profile";
import { nthName } from "../childNames";
import {
    budgetMoney,
    budgetThresholdRules,
    errorRatioCondition,
    latencyCondition,
    loadBalancerErrorRatioCondition,
    uptimeCondition,
} from "../../rules/gcp/alerts";

/** One Cloud Run service a `Monitoring` watches. */
export interface WatchedService {
    /** Cloud Run service name. @example "shop-web" */
    readonly name: pulumi.Input<string>;
    /** Service URL for the uptime check (for `full`). @default none (required for `full`) */
    readonly url?: pulumi.Input<string>;
    /** Path the uptime check requests. @default "/health" */
    readonly healthPath?: string;
    /** URL map of a load balancer in front of the service: the 5xx policy also watches its responses. @default none */
    readonly loadBalancerUrlMap?: pulumi.Input<string>;
}

export interface MonitoringArgs {
    /** Project id (whose spend the budget watches). */
    readonly project: pulumi.Input<string>;
    /** Billing account holding the budget. @example "012345-6789AB-CDEF01" */
    readonly billingAccount: pulumi.Input<string>;
    /** Monthly budget amount. @example 20 */
    readonly budgetAmount: number;
    /** @default "USD" */
    readonly budgetCurrency?: string;
    /**
     * Cloud Run services to watch (for `service` and `full`): each gets its own 5xx and p95 policies
     * (and uptime check), all notifying the same channels; the budget watches the whole project.
     * Children are named by position (`nthName`): append new services at the end.
     * @default [] (required for `service` and `full`)
     * @example [{ name: web.serviceName, url: web.url }, { name: api.serviceName, url: api.url }]
     */
    readonly services?: WatchedService[];
    /** budget: budget alerts only; service: + 5xx and p95 policies; full: + uptime check. @default "budget" */
    readonly alerts?: AlertLevel;
    /** Email recipients of alerts and budget notifications. @default [] (billing admins still get budget mail) @example ["ops@example.com"] */
    readonly emails?: string[];
    /** PagerDuty integration key (secret), a channel of the alert policies at the `full` level (budgets notify email channels only). @default none */
    readonly pagerDutyServiceKey?: pulumi.Input<string>;
    /**
     * Also publish the budget's notifications to a new Pub/Sub topic (`budgetTopic`), for a subscriber
     * you add (a function that caps spend, a chat relay). Off by default: messages to a topic without a
     * subscription are dropped, and the Budget API then requires whoever runs `up` to hold
     * `pubsub.topics.setIamPolicy` on the topic (project Editor does not).
     * @default false
     */
    readonly budgetTopic?: boolean;
}

/**
 * Notification channels, each watched service's alert policies and uptime check (by alert level),
 * and one monthly billing budget for the project that notifies the channels (and, on request, a Pub/Sub topic).
 * The budget belongs to the project, not to a service: watch any number of services (or none).
 *
 * @example
 * new gcp.Monitoring("ops", { project, billingAccount, budgetAmount: 100, alerts: "service",
 *     services: [{ name: web.serviceName }, { name: api.serviceName }], emails: ["ops@example.com"] });
 */
export class Monitoring extends RunwayComponent {
    public readonly budget: gcp.billing.Budget;
    /** The topic the budget publishes to, with `budgetTopic`. */
    public readonly budgetTopic?: gcp.pubsub.Topic;
    public readonly channels: gcp.monitoring.NotificationChannel[];
    public readonly alertPolicies: gcp.monitoring.AlertPolicy[] = [];
    /** One uptime check per watched service (at `full`), in the order of `services`. */
    public readonly uptimeChecks: gcp.monitoring.UptimeCheckConfig[] = [];
    /** The budget's resource name. */
    public readonly budgetName: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:Monitoring", name, opts);
        const alerts = args.alerts ?? "budget";
        const emails = args.emails ?? [];
        validate(name, args, alerts, emails);
        const parent = { parent: this };

        const emailChannels = keyedEntries(`${name}-email`, emails).map(
            ({ entry: email, name: child, aliases }) =>
                new gcp.monitoring.NotificationChannel(
                    child,
                    {
                        project: args.project,
                        type: "email",
                        displayName: `Runway alerts: ${email}`,
                        labels: { email_address: email },
                    },
                    { ...parent, aliases },
                ),
        );
        this.channels = [...emailChannels];
        if (alerts === "full" && args.pagerDutyServiceKey !== undefined) {
            this.channels.push(
                new gcp.monitoring.NotificationChannel(
                    `${name}-pagerduty`,
                    {
                        project: args.project,
                        type: "pagerduty",
                        displayName: "Runway alerts: PagerDuty",
                        sensitiveLabels: { serviceKey: pulumi.secret(args.pagerDutyServiceKey) },
                    },
                    parent,
                ),
            );
        }
        const channelIds = this.channels.map((c) => c.id);

        if (alerts !== "budget") {
            const services = args.services ?? [];
            for (const [index, service] of services.entries())
                this.createServiceAlerts(name, args.project, alerts, service, index, services.length > 1, channelIds);
        }

        if (args.budgetTopic)
            this.budgetTopic = new gcp.pubsub.Topic(`${name}-budget-topic`, { project: args.project, labels: { ...MANAGED_BY } }, parent);
        // The lookup needs cloudresourcemanager: it waits for what the component waits for (the APIs).
        const projectNumber = gcp.organizations.getProjectOutput(
            { projectId: args.project },
            { parent: this, dependsOn: opts?.dependsOn },
        ).number;
        this.budget = new gcp.billing.Budget(
            `${name}-budget`,
            {
                billingAccount: args.billingAccount,
                displayName: pulumi.interpolate`Runway ${args.project}`,
                budgetFilter: { projects: [pulumi.interpolate`projects/${projectNumber}`], calendarPeriod: "MONTH" },
                amount: { specifiedAmount: budgetMoney(args.budgetAmount, args.budgetCurrency ?? "USD") },
                thresholdRules: budgetThresholdRules(),
                allUpdatesRule: {
                    ...(this.budgetTopic ? { pubsubTopic: this.budgetTopic.id } : {}),
                    // Budgets notify email channels only; PagerDuty stays on the alert policies.
                    monitoringNotificationChannels: emailChannels.map((c) => c.id),
                    disableDefaultIamRecipients: false,
                },
            },
            parent,
        );
        this.budgetName = this.budget.name;
        this.registerOutputs({ budgetName: this.budgetName });
    }

    /** The 5xx and p95 policies of one service and, at `full`, its uptime check and policy. */
    private createServiceAlerts(
        name: string,
        project: pulumi.Input<string>,
        alerts: AlertLevel,
        service: WatchedService,
        index: number,
        several: boolean,
        channelIds: pulumi.Output<string>[],
    ): void {
        const parent = { parent: this };
        const serviceName = pulumi.output(service.name);
        // With several services, each policy's title names its service.
        const title = (text: string) => (several ? pulumi.interpolate`${text}: ${serviceName}` : text);
        type Condition = pulumi.Input<gcp.types.input.monitoring.AlertPolicyCondition>;
        const policy = (role: string, displayName: pulumi.Input<string>, ...conditions: Condition[]) =>
            new gcp.monitoring.AlertPolicy(
                nthName(`${name}-${role}`, index),
                {
                    project,
                    displayName,
                    combiner: "OR",
                    conditions,
                    notificationChannels: channelIds,
                    severity: "ERROR",
                    documentation: {
                        content:
                            "Raised by Runway. Check the service's logs and latest revision; roll back with `gcloud run services update-traffic --to-revisions=<previous>=100`.",
                        mimeType: "text/markdown",
                    },
                },
                parent,
            );
        this.alertPolicies.push(
            policy(
                "errors",
                title("Cloud Run 5xx ratio"),
                serviceName.apply((s) => errorRatioCondition(s)),
                ...(service.loadBalancerUrlMap === undefined
                    ? []
                    : [pulumi.output(service.loadBalancerUrlMap).apply((m) => loadBalancerErrorRatioCondition(m))]),
            ),
            policy(
                "latency",
                title("Cloud Run p95 latency"),
                serviceName.apply((s) => latencyCondition(s)),
            ),
        );
        if (alerts !== "full" || service.url === undefined) return;
        const uptimeCheck = new gcp.monitoring.UptimeCheckConfig(
            nthName(`${name}-uptime`, index),
            {
                project,
                displayName: pulumi.interpolate`${serviceName} health`,
                timeout: "10s",
                period: "300s",
                httpCheck: { path: service.healthPath ?? "/health", port: 443, useSsl: true, validateSsl: true, requestMethod: "GET" },
                monitoredResource: {
                    type: "uptime_url",
                    labels: { project_id: project, host: pulumi.output(service.url).apply((u) => new URL(u).host) },
                },
            },
            parent,
        );
        this.uptimeChecks.push(uptimeCheck);
        this.alertPolicies.push(policy("uptime", title("Cloud Run uptime"), uptimeCheck.uptimeCheckId.apply(uptimeCondition)));
    }
}

function validate(name: string, args: MonitoringArgs, alerts: AlertLevel, emails: string[]): void {
    const problems: Problem[] = [];
    const key = (field: string) => `Monitoring(${name}).${field}`;
    if (!(args.budgetAmount > 0))
        problems.push({ key: key("budgetAmount"), value: args.budgetAmount, allowed: "an amount greater than 0" });
    if (!["budget", "service", "full"].includes(alerts))
        problems.push({ key: key("alerts"), value: alerts, allowed: "budget, service or full" });
    const services = args.services ?? [];
    if (alerts !== "budget" && services.length === 0)
        problems.push({ key: key("services"), value: [], allowed: `at least one Cloud Run service to watch when alerts is ${alerts}` });
    services.forEach((service, i) => {
        if (alerts === "full" && service.url === undefined)
            problems.push({
                key: key(`services[${i}].url`),
                value: undefined,
                allowed: "the service URL for the uptime check when alerts is full",
            });
    });
    if (alerts !== "budget" && emails.length === 0)
        problems.push({ key: key("emails"), value: [], allowed: `at least one email when alerts is ${alerts}` });
    // A budget notifies at most 5 monitoring channels, and only email ones.
    if (emails.length > 5)
        problems.push({ key: key("emails"), value: emails, allowed: "at most 5 emails (a budget notifies at most 5 email channels)" });
    throwIfProblems(`Invalid arguments for runway:gcp:Monitoring "${name}"`, problems);
}
