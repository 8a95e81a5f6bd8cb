import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

class EventChannel extends pulumi.ComponentResource {
    readonly topic: gcp.pubsub.Topic;
    constructor(name: string, args: { pushEndpoint?: pulumi.Input<string> }, opts?: pulumi.ComponentResourceOptions) {
        super("acme:events:EventChannel", name, {}, opts);
        this.topic = new gcp.pubsub.Topic(`${name}-topic`, {}, { parent: this });
        const deadLetter = new gcp.pubsub.Topic(`${name}-dead-letter`, {}, { parent: this });
        new gcp.pubsub.Subscription(`${name}-sub`, {
            topic: this.topic.id,
            ackDeadlineSeconds: 20,
            deadLetterPolicy: { deadLetterTopic: deadLetter.id, maxDeliveryAttempts: 5 },
            ...(args.pushEndpoint ? { pushConfig: { pushEndpoint: args.pushEndpoint } } : {}),
        }, { parent: this });
        this.registerOutputs({ topic: this.topic.name });
    }
}

const shared = new pulumi.StackReference(`${pulumi.getOrganization()}/webhooks/${pulumi.getStack()}`);
const orders = new EventChannel("orders", { pushEndpoint: shared.getOutput("endpoint").apply((e) => String(e ?? "https://example.com/push")) });
const audit = new EventChannel("audit", {});

export const topics = [orders.topic.name, audit.topic.name];
export const previewOnly = pulumi.runtime.isDryRun();
