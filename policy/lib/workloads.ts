/**
 * Where workloads keep their images and users, per resource type. Reading a property through the
 * policy SDK's proxy throws `UnknownValueError` when it is unknown during preview; callers let it.
 */

import { isUnknown } from "./unknowns";

/** A container on a Docker engine (the local target): `image`, `user`, `envs` as NAME=value. */
export const DOCKER_CONTAINER = "docker:index/container:Container";

/** Non-Kubernetes types that run containers (Kubernetes workloads: `isKubernetesWorkload`). */
export const WORKLOAD_TYPES = [
    "gcp:cloudrunv2/service:Service",
    "gcp:cloudrunv2/job:Job",
    "gcp:cloudrun/service:Service",
    "aws:ecs/taskDefinition:TaskDefinition",
    "aws:ecs/expressGatewayService:ExpressGatewayService",
    "aws:lambda/function:Function",
    DOCKER_CONTAINER,
];

/** Types that build a container image from a Dockerfile. */
export const IMAGE_BUILD_TYPES = ["docker:index/image:Image", "docker-build:index:Image"];

export interface DeployedImage {
    /** Top-level property holding the image: the key of its property dependencies. */
    readonly property: string;
    /** Path for messages, e.g. `template.containers[0].image`. */
    readonly path: string;
    /** The image reference; undefined when it is unknown during preview (e.g. a digest not built yet). */
    readonly image: string | undefined;
    /** The policy SDK's unknown-value error when `image` is unknown: rethrow it to get the advisory. */
    readonly unknown?: unknown;
    /** The object naming the image (a container, or the resource's props): where the runtime's user is set. */
    readonly holder: Props;
}

type Props = Record<string, any>;

const KUBERNETES_POD_SPEC: Record<string, (p: Props) => Props | undefined> = {
    "kubernetes:core/v1:Pod": (p) => p.spec,
    "kubernetes:apps/v1:Deployment": (p) => p.spec?.template?.spec,
    "kubernetes:apps/v1:StatefulSet": (p) => p.spec?.template?.spec,
    "kubernetes:apps/v1:DaemonSet": (p) => p.spec?.template?.spec,
    "kubernetes:apps/v1:ReplicaSet": (p) => p.spec?.template?.spec,
    "kubernetes:batch/v1:Job": (p) => p.spec?.template?.spec,
    "kubernetes:batch/v1:CronJob": (p) => p.spec?.jobTemplate?.spec?.template?.spec,
};

export function isKubernetesWorkload(type: string): boolean {
    return type in KUBERNETES_POD_SPEC;
}

/** The Kubernetes pod spec of a workload, or undefined for other types. */
export function kubernetesPodSpec(type: string, props: Props): Props | undefined {
    return KUBERNETES_POD_SPEC[type]?.(props);
}

/** ECS container definitions (the provider takes them as a JSON string). */
export function ecsContainerDefinitions(props: Props): Props[] {
    const raw = props.containerDefinitions;
    if (typeof raw !== "string") return Array.isArray(raw) ? raw : [];
    try {
        const parsed = JSON.parse(raw);
        return Array.isArray(parsed) ? parsed : [];
    } catch {
        return [];
    }
}

/** The user a Docker container starts as, or undefined when it runs as the image's USER. */
export function dockerContainerUser(props: Props): string | undefined {
    return typeof props.user === "string" && props.user.trim() !== "" ? props.user.trim() : undefined;
}

/** Reads `holder.image`: null when absent, `{ unknown }` instead of an exception when unknown. */
function imageOf(holder: Props): { image: string | undefined; unknown?: unknown } | null {
    try {
        return typeof holder?.image === "string" ? { image: holder.image } : null;
    } catch (err) {
        if (isUnknown(err)) return { image: undefined, unknown: err };
        throw err;
    }
}

function containerImages(property: string, base: string, containers: unknown): DeployedImage[] {
    if (!Array.isArray(containers)) return [];
    return containers.flatMap((c: Props, i: number) => {
        const image = imageOf(c);
        return image === null ? [] : [{ property, path: `${base}[${i}].image`, holder: c, ...image }];
    });
}

/** Every image a resource deploys; empty for types that deploy none. */
export function deployedImages(type: string, props: Props): DeployedImage[] {
    switch (type) {
        case "gcp:cloudrunv2/service:Service":
        case "gcp:cloudrunv2/job:Job":
            return containerImages(
                "template",
                "template.containers",
                type.endsWith("Job") ? props.template?.template?.containers : props.template?.containers,
            );
        case "gcp:cloudrun/service:Service":
            return containerImages("template", "template.spec.containers", props.template?.spec?.containers);
        case "aws:ecs/taskDefinition:TaskDefinition":
            return containerImages("containerDefinitions", "containerDefinitions", ecsContainerDefinitions(props));
        case "aws:lambda/function:Function": {
            // Container-image functions only (zip functions carry no image).
            const image =
                props.packageType === "Image"
                    ? imageOf({
                          get image() {
                              return props.imageUri;
                          },
                      })
                    : null;
            return image === null ? [] : [{ property: "imageUri", path: "imageUri", holder: props, ...image }];
        }
        case "aws:ecs/expressGatewayService:ExpressGatewayService": {
            // A single-item block; accept the list form too.
            const primary = Array.isArray(props.primaryContainer) ? props.primaryContainer[0] : props.primaryContainer;
            const image = imageOf(primary);
            return image === null ? [] : [{ property: "primaryContainer", path: "primaryContainer.image", holder: primary, ...image }];
        }
        case DOCKER_CONTAINER: {
            const image = imageOf(props);
            return image === null ? [] : [{ property: "image", path: "image", holder: props, ...image }];
        }
        default: {
            const spec = kubernetesPodSpec(type, props);
            return spec ? containerImages("spec", "spec.containers", spec.containers) : [];
        }
    }
}
