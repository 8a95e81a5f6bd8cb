import * as aws from "@pulumi/aws";

export function eventQueue(name: string): aws.sqs.Queue {
    return new aws.sqs.Queue(name, { visibilityTimeoutSeconds: 120 });
}
