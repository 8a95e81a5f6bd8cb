// A second project composing Runway for more than one service: two Cloud Run services (web, api)
// built from one Dockerfile, one registry, ONE billing budget and ONE CI identity that deploys both.
// It imports only the package's entry points: runway-iac/gcp and runway-iac/docker (no @pulumi/aws needed).
import * as pulumi from "@pulumi/pulumi";
import * as docker from "runway-iac/docker";
import * as gcp from "runway-iac/gcp";

const config = new pulumi.Config();
const gcpConfig = new pulumi.Config("gcp");
const project = gcpConfig.require("project");
const region = gcpConfig.get("region") ?? "us-central1";

const registry = new gcp.Registry(
    "images",
    {
        project,
        location: region,
        tier: "staging",
        repositoryId: "shop-images",
    },
    {
        // Pulumi's own transforms option adjusts any child without forking the component: here a label.
        transforms: [
            ({ type, props, opts }) =>
                type === "gcp:artifactregistry/repository:Repository"
                    ? { props: { ...props, labels: { ...props.labels, team: "shop" } }, opts }
                    : undefined,
        ],
    },
);

/** One service: its image (a stage of the shared Dockerfile) and a Cloud Run service that may pull it. */
function service(name: "web" | "api", maxInstances: number): gcp.Service {
    const image = new docker.Image(
        name,
        {
            context: "services",
            target: name,
            repository: pulumi.interpolate`${registry.url}/${name}`,
            tag: pulumi.getStack(),
            ...gcp.artifactRegistryCredentials(region),
        },
        { dependsOn: [registry.repository] },
    );
    const svc = new gcp.Service(name, {
        project,
        region,
        serviceName: `shop-${name}`,
        image: image.imageRef,
        tier: "staging",
        access: "public",
        maxInstances,
        port: 3000,
        healthPath: "/healthz",
    });
    registry.grantPull(name, svc.runtimeMember);
    return svc;
}

const services = [service("web", 4), service("api", 2)];

// One deployer for main's deploy workflow, allowed to deploy exactly these two services.
const ci = new gcp.CiIdentity("ci", {
    project,
    owner: config.require("githubOwner"),
    repo: config.require("githubRepo"),
    // The trust is keyed on these immutable IDs (gh api repos/OWNER/REPO --jq '.owner.id, .id').
    ownerId: config.require("githubOwnerId"),
    repositoryId: config.require("githubRepositoryId"),
    // Only runs of this workflow file on main, never any other workflow there.
    targets: [{ name: "main", branch: "main", workflow: ".github/workflows/deploy.yml" }],
    services: services.map((s) => ({ name: s.serviceName, location: region, runtimeServiceAccount: s.runtimeServiceAccount.name })),
});
registry.grantPush("ci", ci.deployerMembers[0]);

// One budget for the project; 5xx and latency alerts for each service.
const ops = new gcp.Monitoring("ops", {
    project,
    billingAccount: config.require("billingAccount"),
    budgetAmount: 40,
    alerts: "service",
    emails: [config.require("alertEmail")],
    services: services.map((s) => ({ name: s.serviceName })),
});

export const urls = services.map((s) => s.url);
export const workloadIdentityProvider = ci.providerName;
export const deployer = ci.deployerEmails.main;
export const budget = ops.budgetName;
