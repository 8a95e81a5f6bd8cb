import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const project = await gcp.organizations.getProject({});

const account = new gcp.serviceaccount.Account("web", { accountId: "web-runtime", displayName: "web runtime" });

const service = new gcp.cloudrunv2.Service("web", {
    location: "us-central1",
    deletionProtection: false,
    ingress: "INGRESS_TRAFFIC_ALL",
    template: {
        serviceAccount: account.email,
        scaling: { minInstanceCount: 0, maxInstanceCount: 5 },
        containers: [{
            image: config.require("image"),
            resources: { limits: { cpu: "1", memory: "512Mi" }, cpuIdle: true },
            envs: [{ name: "PROJECT_NUMBER", value: project.number }],
        }],
    },
});

new gcp.cloudrunv2.ServiceIamMember("web-public", {
    name: service.name,
    location: service.location,
    role: "roles/run.invoker",
    member: "allUsers",
});

export default async () => ({ url: service.uri, projectNumber: project.number });
