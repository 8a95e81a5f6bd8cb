// A project that is not Runway: it takes Runway's building blocks from the npm package and
// composes them with its own names and settings.
import * as pulumi from "@pulumi/pulumi";
import * as docker from "runway-iac/docker";
import * as gcp from "runway-iac/gcp";

const config = new pulumi.Config();
const gcpConfig = new pulumi.Config("gcp");
const project = gcpConfig.require("project");
const region = gcpConfig.get("region") ?? "us-central1";

const registry = new gcp.Registry("shop-images", { location: region, tier: "staging", repositoryId: "shop-images", keepCount: 3 });

const image = new docker.Image(
    "shop-web",
    {
        context: "web",
        repository: pulumi.interpolate`${registry.url}/shop-web`,
        tag: pulumi.getStack(),
        ...gcp.artifactRegistryCredentials(region),
    },
    { dependsOn: [registry.repository] },
);

const web = new gcp.Service("shop-web", {
    region,
    serviceName: "shop-web",
    image: image.imageRef,
    tier: "staging",
    access: "public",
    maxInstances: 4,
    port: 3000,
    healthPath: "/healthz",
});

new gcp.Monitoring("shop-ops", {
    project,
    billingAccount: config.require("billingAccount"),
    budgetAmount: 15,
    alerts: "service",
    emails: [config.require("alertEmail")],
    services: [{ name: web.serviceName }],
});

export const url = web.url;
export const imageRef = image.imageRef;
