/** Wiring shared by the compositions (serverless and Kubernetes). */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "../components/docker";
import * as gcp from "../components/gcp";
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

/** The stack's Artifact Registry repository (named `base`) and the image built into it, tagged with the stack. */
export function gcpRegistryAndImage(cfg: RunwayConfig, base: string, opts: pulumi.ComponentResourceOptions) {
    const { project, region, settings, tier } = cfg;
    const registry = new gcp.Registry(
        "registry",
        {
            project,
            location: region,
            tier,
            repositoryId: base,
            keepCount: settings.registryKeepCount,
            untaggedImageDays: settings.untaggedImageDays,
            imageRetentionDays: settings.imageRetentionDays,
            protect: settings.protect,
        },
        opts,
    );
    const image = buildImage(cfg, registry.repository, () => ({
        repository: pulumi.interpolate`${registry.url}/${cfg.service.name}`,
        tag: pulumi.getStack(),
        ...gcp.artifactRegistryCredentials(region),
    }));
    return { registry, image };
}
