import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const greeting = config.require("greeting");

const uploads = new aws.s3.Bucket("uploads", { forceDestroy: true });

// A closure: the greeting and the bucket name are captured and serialized into the Lambda.
const onUpload = new aws.lambda.CallbackFunction("onUpload", {
    callback: async (event: aws.s3.BucketEvent) => {
        for (const record of event.Records ?? []) {
            console.log(`${greeting}: ${record.s3.object.key}`);
        }
    },
});

uploads.onObjectCreated("onUploadEvent", onUpload);

export const bucketName = uploads.bucket;
