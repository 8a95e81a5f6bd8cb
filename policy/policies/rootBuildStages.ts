import { ResourceValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { checkDockerfile } from "../lib/dockerfile";
import { readDockerfile } from "../lib/dockerfileSource";
import { IMAGE_BUILD_TYPES } from "../lib/workloads";

export interface RootBuildStagesConfig {
    /** Directory Dockerfile paths are relative to; empty = the policy pack's parent directory. */
    dockerfileRoot: string;
}

export const ROOT_BUILD_STAGES_DEFAULTS: RootBuildStagesConfig = { dockerfileRoot: "" };

/** Advisory, as hadolint DL3002: build stages whose last USER is root. */
export const rootBuildStages: ResourceValidationPolicy = {
    name: "root-build-stages",
    description: "Build stages of a Dockerfile should not end as the root user.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
        "Switch back to a non-root USER at the end of each build stage, or accept it: only the final stage's user reaches production.",
    configSchema: schemaWithDefaults(ROOT_BUILD_STAGES_DEFAULTS, {
        dockerfileRoot: {
            type: "string",
            description: "Directory Dockerfile paths are relative to; empty means the policy pack's parent directory.",
        },
    }),
    validateResource: (args, reportViolation) => {
        if (!IMAGE_BUILD_TYPES.includes(args.type)) args.notApplicable(`only applies to ${IMAGE_BUILD_TYPES.join(", ")}`);
        const config = withDefaults(ROOT_BUILD_STAGES_DEFAULTS, args.getConfig<Partial<RootBuildStagesConfig>>());
        const source = readDockerfile(args.type, args.props, config.dockerfileRoot);
        if (source.content === undefined) return; // non-root-images reports unreadable Dockerfiles
        for (const stage of checkDockerfile(source.content, source).rootBuildStages) {
            reportViolation(`${source.path}: build stage "${stage.stage}" ends as "${stage.user}" (line ${stage.line}).`);
        }
    },
};
