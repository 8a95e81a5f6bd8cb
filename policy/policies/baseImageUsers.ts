import { ResourceValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { checkDockerfile } from "../lib/dockerfile";
import { readDockerfile } from "../lib/dockerfileSource";
import { IMAGE_BUILD_TYPES } from "../lib/workloads";

export interface BaseImageUsersConfig {
    /** Directory Dockerfile paths are relative to; empty = the policy pack's parent directory. */
    dockerfileRoot: string;
}

export const BASE_IMAGE_USERS_DEFAULTS: BaseImageUsersConfig = { dockerfileRoot: "" };

/**
 * Advisory: a final USER that depends on a variable only the base image's ENV can set
 * (`USER $APP_UID` on .NET images, `USER ${NB_UID}` on Jupyter stacks). Neither hadolint DL3002 nor
 * Trivy DS-0002 fails these; the pack cannot read the base image offline, so it says so here instead
 * of passing or failing them under non-root-images.
 */
export const baseImageUsers: ResourceValidationPolicy = {
    name: "base-image-users",
    description: "A Dockerfile's final USER that only the base image's environment can resolve is named for someone to check.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
        "Check that the base image sets the variable to a non-root user (e.g. `docker inspect --format '{{.Config.Env}}' <image>`), or write the user into the Dockerfile: `USER 10001`.",
    configSchema: schemaWithDefaults(BASE_IMAGE_USERS_DEFAULTS, {
        dockerfileRoot: {
            type: "string",
            description: "Directory Dockerfile paths are relative to; empty means the policy pack's parent directory.",
        },
    }),
    validateResource: (args, reportViolation) => {
        if (!IMAGE_BUILD_TYPES.includes(args.type)) args.notApplicable(`only applies to ${IMAGE_BUILD_TYPES.join(", ")}`);
        const config = withDefaults(BASE_IMAGE_USERS_DEFAULTS, args.getConfig<Partial<BaseImageUsersConfig>>());
        const source = readDockerfile(args.type, args.props, config.dockerfileRoot);
        if (source.content === undefined) return; // non-root-images reports unreadable Dockerfiles
        for (const advisory of checkDockerfile(source.content, source).baseImageAdvisories) reportViolation(`${source.path}: ${advisory}.`);
    },
};
