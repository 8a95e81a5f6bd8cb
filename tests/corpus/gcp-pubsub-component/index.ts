import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

// Legacy decorators (experimentalDecorators in this program's tsconfig) get the member name as a string.
const decoratorStyle: string[] = [];
function traced(_target: unknown, key: unknown) {
    decoratorStyle.push(typeof key === "string" ? "legacy" : "standard");
}

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

    @traced
    describe() {
        return `channel ${this.topic}`;
    }
}

const shared = new pulumi.StackReference(`${pulumi.getOrganization()}/webhooks/${pulumi.getStack()}`);
const orders = new EventChannel("orders", { pushEndpoint: shared.getOutput("endpoint").apply((e) => String(e ?? "https://example.com/push")) });
const audit = new EventChannel("audit", {});

export const topics = [orders.topic.name, audit.topic.name];
export const decorators = decoratorStyle[0];
export const previewOnly = pulumi.runtime.isDryRun();
