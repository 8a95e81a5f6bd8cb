import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Problem, throwIfProblems } from "../errors";
import { AlertLevel } from "../../rules/profile";
import { budgetMoney, budgetThresholdRules, errorRatioCondition, latencyCondition, loadBalancerErrorRatioCondition, uptimeCondition } from "./alertRules";

export interface MonitoringArgs {
    /** Project id (whose spend the budget watches). */
    readonly project: pulumi.Input<string>;
    /** Billing account holding the budget. @example "012345-6789AB-CDEF01" */
    readonly billingAccount: pulumi.Input<string>;
    /** Monthly budget amount. @example 20 */
    readonly budgetAmount: number;
    /** @default "USD" */
    readonly budgetCurrency?: string;
    /** Cloud Run service to watch (for `service` and `full`). @default none (required for those levels) */
    readonly serviceName?: pulumi.Input<string>;
    /** Service URL for the uptime check (for `full`). @default none (required for `full`) */
    readonly serviceUrl?: pulumi.Input<string>;
    /** URL map of a load balancer in front of the service: the 5xx policy also watches its responses. @default none */
    readonly loadBalancerUrlMap?: pulumi.Input<string>;
    /** Path the uptime check requests. @default "/health" */
    readonly healthPath?: string;
    /** budget: budget alerts only; service: + 5xx and p95 policies; full: + uptime check. @default "budget" */
    readonly alerts?: AlertLevel;
    /** Email recipients of alerts and budget notifications. @default [] (billing admins still get budget mail) @example ["ops@example.com"] */
    readonly emails?: string[];
    /** PagerDuty integration key (secret), a channel of the alert policies at the `full` level (budgets notify email channels only). @default none */
    readonly pagerDutyServiceKey?: pulumi.Input<string>;
}

/**
 * Notification channels, the service's alert policies and uptime check (by alert level), and a
 * monthly billing budget that notifies the channels and a Pub/Sub topic.
 *
 * @example
 * new gcp.Monitoring("ops", { project, billingAccount, budgetAmount: 100, alerts: "service",
 *     serviceName: svc.serviceName, emails: ["ops@example.com"] });
 */
export class Monitoring extends pulumi.ComponentResource {
    public readonly budget: gcp.billing.Budget;
    public readonly budgetTopic: gcp.pubsub.Topic;
    public readonly channels: gcp.monitoring.NotificationChannel[];
    public readonly alertPolicies: gcp.monitoring.AlertPolicy[] = [];
    public readonly uptimeCheck?: gcp.monitoring.UptimeCheckConfig;
    /** The budget's resource name. */
    public readonly budgetName: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:Monitoring", name, {}, opts);
        const alerts = args.alerts ?? "budget";
        const emails = args.emails ?? [];
        validate(name, args, alerts, emails);
        const parent = { parent: this };

        const emailChannels = emails.map((email, index) => new gcp.monitoring.NotificationChannel(`${name}-email-${index}`, {
            project: args.project, type: "email", displayName: `Runway alerts: ${email}`, labels: { email_address: email },
        }, parent));
        this.channels = [...emailChannels];
        if (alerts === "full" && args.pagerDutyServiceKey !== undefined) {
            this.channels.push(new gcp.monitoring.NotificationChannel(`${name}-pagerduty`, {
                project: args.project, type: "pagerduty", displayName: "Runway alerts: PagerDuty",
                sensitiveLabels: { serviceKey: pulumi.secret(args.pagerDutyServiceKey) },
            }, parent));
        }
        const channelIds = this.channels.map((c) => c.id);

        if (alerts !== "budget" && args.serviceName !== undefined) {
            const serviceName = pulumi.output(args.serviceName);
            type Condition = pulumi.Input<gcp.types.input.monitoring.AlertPolicyCondition>;
            const policy = (role: string, displayName: string, ...conditions: Condition[]) =>
                new gcp.monitoring.AlertPolicy(`${name}-${role}`, {
                    project: args.project, displayName, combiner: "OR", conditions,
                    notificationChannels: channelIds, severity: "ERROR",
                    documentation: { content: "Raised by Runway. Check the service's logs and latest revision; roll back with `gcloud run services update-traffic --to-revisions=<previous>=100`.", mimeType: "text/markdown" },
                }, parent);
            this.alertPolicies.push(
                policy("errors", "Cloud Run 5xx ratio", serviceName.apply((s) => errorRatioCondition(s)),
                    ...(args.loadBalancerUrlMap === undefined ? [] : [pulumi.output(args.loadBalancerUrlMap).apply((m) => loadBalancerErrorRatioCondition(m))])),
                policy("latency", "Cloud Run p95 latency", serviceName.apply((s) => latencyCondition(s))),
            );
            if (alerts === "full" && args.serviceUrl !== undefined) {
                this.uptimeCheck = new gcp.monitoring.UptimeCheckConfig(`${name}-uptime`, {
                    project: args.project,
                    displayName: pulumi.interpolate`${serviceName} health`,
                    timeout: "10s",
                    period: "300s",
                    httpCheck: { path: args.healthPath ?? "/health", port: 443, useSsl: true, validateSsl: true, requestMethod: "GET" },
                    monitoredResource: { type: "uptime_url", labels: { project_id: args.project, host: pulumi.output(args.serviceUrl).apply((u) => new URL(u).host) } },
                }, parent);
                this.alertPolicies.push(policy("uptime", "Cloud Run uptime", this.uptimeCheck.uptimeCheckId.apply(uptimeCondition)));
            }
        }

        this.budgetTopic = new gcp.pubsub.Topic(`${name}-budget-topic`, { project: args.project, labels: { "managed-by": "runway" } }, parent);
        // The lookup needs cloudresourcemanager: it waits for what the component waits for (the APIs).
        const projectNumber = gcp.organizations.getProjectOutput({ projectId: args.project }, { parent: this, dependsOn: opts?.dependsOn }).number;
        this.budget = new gcp.billing.Budget(`${name}-budget`, {
            billingAccount: args.billingAccount,
            displayName: pulumi.interpolate`Runway ${args.project}`,
            budgetFilter: { projects: [pulumi.interpolate`projects/${projectNumber}`], calendarPeriod: "MONTH" },
            amount: { specifiedAmount: budgetMoney(args.budgetAmount, args.budgetCurrency ?? "USD") },
            thresholdRules: budgetThresholdRules(),
            allUpdatesRule: {
                pubsubTopic: this.budgetTopic.id,
                // Budgets notify email channels only; PagerDuty stays on the alert policies.
                monitoringNotificationChannels: emailChannels.map((c) => c.id),
                disableDefaultIamRecipients: false,
            },
        }, parent);
        this.budgetName = this.budget.name;
        this.registerOutputs({ budgetName: this.budgetName });
    }
}

function validate(name: string, args: MonitoringArgs, alerts: AlertLevel, emails: string[]): void {
    const problems: Problem[] = [];
    const key = (field: string) => `Monitoring(${name}).${field}`;
    if (!(args.budgetAmount > 0)) problems.push({ key: key("budgetAmount"), value: args.budgetAmount, allowed: "an amount greater than 0" });
    if (!["budget", "service", "full"].includes(alerts)) problems.push({ key: key("alerts"), value: alerts, allowed: "budget, service or full" });
    if (alerts !== "budget" && args.serviceName === undefined) problems.push({ key: key("serviceName"), value: undefined, allowed: `the Cloud Run service to watch when alerts is ${alerts}` });
    if (alerts === "full" && args.serviceUrl === undefined) problems.push({ key: key("serviceUrl"), value: undefined, allowed: "the service URL for the uptime check when alerts is full" });
    if (alerts !== "budget" && emails.length === 0) problems.push({ key: key("emails"), value: [], allowed: `at least one email when alerts is ${alerts}` });
    // A budget notifies at most 5 monitoring channels, and only email ones.
    if (emails.length > 5) problems.push({ key: key("emails"), value: emails, allowed: "at most 5 emails (a budget notifies at most 5 email channels)" });
    throwIfProblems(`Invalid arguments for runway:gcp:Monitoring "${name}"`, problems);
}
