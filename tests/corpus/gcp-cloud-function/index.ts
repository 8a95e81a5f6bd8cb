import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

const region = gcp.config.region ?? "us-central1";
const source = new gcp.storage.Bucket("sources", { location: "EU", uniformBucketLevelAccess: true });
const archive = new gcp.storage.BucketObject("hello-source", {
    bucket: source.name,
    source: new pulumi.asset.FileArchive("./function"),
});

const fn = new gcp.cloudfunctionsv2.Function("hello", {
    location: region,
    buildConfig: {
        runtime: "nodejs20",
        entryPoint: "hello",
        source: { storageSource: { bucket: source.name, object: archive.name } },
    },
    serviceConfig: { maxInstanceCount: 3, availableMemory: "256M", timeoutSeconds: 60 },
});

new gcp.cloudrun.IamMember("hello-public", {
    location: region,
    service: fn.name,
    role: "roles/run.invoker",
    member: "allUsers",
});

export const url = fn.url;
