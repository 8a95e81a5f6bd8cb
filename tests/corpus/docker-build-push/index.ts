import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const registry = config.require("registry");

const image = new docker.Image("api", {
    imageName: `${registry}/api:${pulumi.getStack()}`,
    build: { context: "./app", dockerfile: "./app/Dockerfile", platform: "linux/amd64", target: "" },
    registry: { server: registry.split("/")[0], username: "acme-bot", password: config.requireSecret("registryPassword") },
});

export const imageName = image.imageName;
export const digest = image.repoDigest;
