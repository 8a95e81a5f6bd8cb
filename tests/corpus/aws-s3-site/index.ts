import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";

const site = new aws.s3.Bucket("site");
const website = new aws.s3.BucketWebsiteConfiguration("site", {
    bucket: site.id,
    indexDocument: { suffix: "index.html" },
    errorDocument: { key: "404.html" },
});
const publicAccess = new aws.s3.BucketPublicAccessBlock("site", {
    bucket: site.id, blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: false,
});
new aws.s3.BucketPolicy("site", {
    bucket: site.id,
    policy: site.arn.apply((arn) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: ["s3:GetObject"], Resource: [`${arn}/*`] }],
    })),
}, { dependsOn: [publicAccess] });

const types: Record<string, string> = { ".html": "text/html", ".css": "text/css" };
const dir = path.join(__dirname, "www");
for (const file of fs.readdirSync(dir).sort()) {
    new aws.s3.BucketObject(file, {
        bucket: site,
        key: file,
        source: new pulumi.asset.FileAsset(path.join("www", file)),
        contentType: types[path.extname(file)] ?? "application/octet-stream",
    });
}

export const endpoint = website.websiteEndpoint;
