import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface QueueWorkerArgs {
    /** Seconds a message stays invisible while being worked on. */
    visibilityTimeout?: pulumi.Input<number>;
}

/** An SQS queue with a dead-letter queue and an alarm on its depth. */
export class QueueWorker extends pulumi.ComponentResource {
    readonly queue: aws.sqs.Queue;

    constructor(name: string, args: QueueWorkerArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("acme:messaging:QueueWorker", name, {}, opts);
        const dlq = new aws.sqs.Queue(`${name}-dlq`, { messageRetentionSeconds: 1209600 }, { parent: this });
        this.queue = new aws.sqs.Queue(`${name}-queue`, {
            visibilityTimeoutSeconds: args.visibilityTimeout ?? 30,
            redrivePolicy: dlq.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 5 })),
        }, { parent: this });
        new aws.cloudwatch.MetricAlarm(`${name}-depth`, {
            comparisonOperator: "GreaterThanThreshold",
            evaluationPeriods: 1,
            metricName: "ApproximateNumberOfMessagesVisible",
            namespace: "AWS/SQS",
            period: 300,
            statistic: "Average",
            threshold: 100,
            dimensions: { QueueName: this.queue.name },
        }, { parent: this });
        this.registerOutputs({ queueUrl: this.queue.url });
    }
}
