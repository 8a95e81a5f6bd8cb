/** Wiring shared by the compositions (serverless and Kubernetes). */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "../components/docker";
import type { ResolvedBuild } from "../components/docker/buildPlan";
import type { RunwayConfig } from "./config";

/** Where a cloud pushes the built image: repository, tag and push credentials (only asked for when there is a build). */
export type ImageDestination = Pick<docker.ImageArgs, "repository" | "tag" | "registryServer" | "registryUsername" | "registryPassword">;

/** Builds the service's Dockerfile (as the config resolved it) into `destination`, unless a prebuilt image is configured. */
export function buildImage(
    cfg: RunwayConfig,
    registry: pulumi.Resource,
    destination: (build: ResolvedBuild) => ImageDestination,
): docker.Image | undefined {
    const build = cfg.service.build;
    return build === undefined ? undefined : new docker.Image("image", { ...build, ...destination(build) }, { dependsOn: [registry] });
}

/** Drops outputs a tier does not have (Pulumi warns about undefined stack outputs). */
export function definedOnly<T extends Record<string, unknown>>(outputs: T): Partial<T> {
    return Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined)) as Partial<T>;
}
