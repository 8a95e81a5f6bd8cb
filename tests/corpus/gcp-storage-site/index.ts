import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";

const bucket = new gcp.storage.Bucket("site", {
    location: "US",
    uniformBucketLevelAccess: true,
    website: { mainPageSuffix: "index.html", notFoundPage: "404.html" },
});
new gcp.storage.BucketIAMMember("public-read", { bucket: bucket.name, role: "roles/storage.objectViewer", member: "allUsers" });

for (const file of fs.readdirSync("public").sort()) {
    new gcp.storage.BucketObject(file, { bucket: bucket.name, name: file, source: new pulumi.asset.FileAsset(`public/${file}`), contentType: "text/html" });
}

new gcp.storage.BucketObject("bundle.zip", {
    bucket: bucket.name,
    source: new pulumi.asset.AssetArchive({
        "robots.txt": new pulumi.asset.StringAsset("User-agent: *\nAllow: /\n"),
        public: new pulumi.asset.FileArchive("public"),
    }),
});

export const siteUrl = pulumi.interpolate`https://storage.googleapis.com/${bucket.name}/index.html`;
