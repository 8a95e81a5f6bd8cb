import { StackValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { checkDockerfile, isRootUser } from "../lib/dockerfile";
import { DOCKERFILE_ROOT_SETTING, readDockerfile } from "../lib/dockerfileSource";
import { matchesAny } from "../lib/names";
import { UnknownCollector } from "../lib/unknowns";
import {
    DOCKER_CONTAINER,
    IMAGE_BUILD_TYPES,
    deployedImages,
    dockerContainerUser,
    ecsContainerDefinitions,
    kubernetesPodSpec,
} from "../lib/workloads";

export interface NonRootImagesConfig {
    /** Directory Dockerfile paths are relative to; empty = the policy pack's parent directory. */
    dockerfileRoot: string;
    /** Images that may be deployed without being built in the stack; `*` matches anything. */
    trustedImages: string[];
}

const ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

export const NON_ROOT_IMAGES_DEFAULTS: NonRootImagesConfig = { dockerfileRoot: "", trustedImages: [] };

/** Problems with one Dockerfile build, or [] when it runs as a non-root user. */
function dockerfileProblems(type: string, props: Record<string, any>, root: string): string[] {
    const source = readDockerfile(type, props, root);
    if (source.content === undefined) {
        return [
            `cannot read the Dockerfile at ${source.path} (${source.error}); set the policy's dockerfileRoot to the directory the build paths are relative to`,
        ];
    }
    return checkDockerfile(source.content, source).finalStageProblems.map((p) => `${source.path}: ${p}`);
}

/** A Kubernetes container's effective runAsUser and runAsNonRoot: its securityContext over the pod's, field by field. */
function kubernetesUser(spec: Record<string, any>, container: Record<string, any>): { user: unknown; nonRoot: unknown } {
    const pod = spec.securityContext ?? {};
    const own = container.securityContext ?? {};
    return { user: own.runAsUser ?? pod.runAsUser, nonRoot: own.runAsNonRoot ?? pod.runAsNonRoot };
}

/**
 * Kubernetes: each container's effective user: uid 0 is root whatever runAsNonRoot says (the
 * kubelet would refuse to start it); otherwise runAsNonRoot: true or runAsUser > 0 is required.
 */
function kubernetesProblems(spec: Record<string, any>): string[] {
    const containers: Record<string, any>[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    return containers.flatMap((c) => {
        const { user, nonRoot } = kubernetesUser(spec, c);
        if (user === 0) return [`container "${c.name}" runs as uid 0 (root): set runAsUser to a non-zero uid such as 10001`];
        if (nonRoot === true || (typeof user === "number" && user > 0)) return [];
        return [
            `container "${c.name}" may run as root: set securityContext.runAsNonRoot: true or runAsUser > 0 (on the pod or the container)`,
        ];
    });
}

/**
 * True when the runtime, not the image's USER, decides who a container starts as, and the checks on
 * the workload judge that user (root there is a violation of its own): an ECS container definition's
 * or a Docker container's `user` replaces the image's USER (Docker `run --user`); a Kubernetes
 * runAsUser does too, and runAsNonRoot: true makes the kubelet refuse to start an image whose user is
 * root or not numeric ("container has runAsNonRoot and image will run as root").
 */
function runtimeSetsUser(type: string, props: Record<string, any>, holder: Record<string, any>): boolean {
    if (type === DOCKER_CONTAINER) return dockerContainerUser(props) !== undefined;
    if (type === ECS_TASK_DEFINITION) return typeof holder?.user === "string" && holder.user.trim() !== "";
    const spec = kubernetesPodSpec(type, props);
    if (!spec) return false;
    const { user, nonRoot } = kubernetesUser(spec, holder ?? {});
    return typeof user === "number" || nonRoot === true;
}

/**
 * Mandatory: nothing the stack deploys runs as root. Dockerfiles built in the stack (Trivy DS-0002),
 * ECS container `user`, Kubernetes `runAsNonRoot`/`runAsUser`, and every image a Cloud Run or ECS
 * service deploys is built in the stack from a passing Dockerfile or on the trusted list.
 */
export const nonRootImages: StackValidationPolicy = {
    name: "non-root-images",
    description: "Every container the stack builds or deploys runs as a non-root user.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: [
        "In the Dockerfile's final stage, create a user and switch to it by number: `USER 10001:10001` (not root or 0).",
        'For ECS task definitions and Docker containers set each container\'s `user` (e.g. "10001"); for Kubernetes set securityContext.runAsUser: 10001 or runAsNonRoot: true. Either also lets an image that is not built in the stack run.',
        "Deploy images built in the stack from such a Dockerfile, or add a reviewed prebuilt image to the policy's trustedImages.",
    ].join(" "),
    configSchema: schemaWithDefaults(NON_ROOT_IMAGES_DEFAULTS, {
        dockerfileRoot: DOCKERFILE_ROOT_SETTING,
        trustedImages: {
            type: "array",
            items: { type: "string" },
            description:
                "Images allowed without an in-stack build; `*` matches any characters (e.g. `us-docker.pkg.dev/cloudrun/container/*`).",
        },
    }),
    validateStack: (args, reportViolation) => {
        const config = withDefaults(NON_ROOT_IMAGES_DEFAULTS, args.getConfig<Partial<NonRootImagesConfig>>());
        const unknowns = new UnknownCollector();
        const builds = new Map<string, string[]>(); // image-build URN → problems
        for (const r of args.resources.filter((x) => IMAGE_BUILD_TYPES.includes(x.type))) {
            unknowns.check(() => {
                const problems = dockerfileProblems(r.type, r.props, config.dockerfileRoot);
                builds.set(r.urn, problems);
                for (const p of problems) reportViolation(`Image "${r.name}" would run as root: ${p}`, r.urn);
            });
        }
        for (const r of args.resources) {
            unknowns.check(() => {
                if (r.type === ECS_TASK_DEFINITION) {
                    for (const c of ecsContainerDefinitions(r.props)) {
                        if (typeof c.user !== "string" || c.user.trim() === "")
                            reportViolation(
                                `ECS container "${c.name}" has no user, so it runs as the image's user (root for most images); set "user": "10001".`,
                                r.urn,
                            );
                        else if (isRootUser(c.user))
                            reportViolation(`ECS container "${c.name}" runs as "${c.user}", which is root.`, r.urn);
                    }
                }
                if (r.type === DOCKER_CONTAINER) {
                    const user = dockerContainerUser(r.props);
                    if (user !== undefined && isRootUser(user))
                        reportViolation(`Docker container "${r.name}" runs as "${user}", which is root.`, r.urn);
                }
                const podSpec = kubernetesPodSpec(r.type, r.props);
                if (podSpec) for (const p of kubernetesProblems(podSpec)) reportViolation(`${r.type} "${r.name}": ${p}`, r.urn);
            });
            unknowns.check(() => {
                for (const deployed of deployedImages(r.type, r.props)) {
                    if (runtimeSetsUser(r.type, r.props, deployed.holder)) continue;
                    if (deployed.image !== undefined && matchesAny(deployed.image, config.trustedImages)) continue;
                    const built = (r.propertyDependencies[deployed.property] ?? []).filter((d) => IMAGE_BUILD_TYPES.includes(d.type));
                    if (built.length === 0 && deployed.image === undefined) {
                        throw deployed.unknown; // the engine reports it as "cannot check during preview"
                    } else if (built.length === 0) {
                        reportViolation(
                            `"${r.name}" deploys ${deployed.path} = "${deployed.image}", which is neither built in this stack nor on the trusted image list (trustedImages).`,
                            r.urn,
                        );
                    } else if (built.some((b) => (builds.get(b.urn) ?? []).length > 0)) {
                        reportViolation(
                            `"${r.name}" deploys ${deployed.path} from image build "${built.map((b) => b.name).join(", ")}", whose Dockerfile runs as root (see that build's violation).`,
                            r.urn,
                        );
                    }
                }
            });
        }
        unknowns.finish();
    },
};
