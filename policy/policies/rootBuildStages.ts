import { dockerfileAdvisory } from "../lib/dockerfileSource";

/** Advisory, as hadolint DL3002: build stages whose last USER is root. */
export const rootBuildStages = dockerfileAdvisory(
    {
        name: "root-build-stages",
        description: "Build stages of a Dockerfile should not end as the root user.",
        severity: "low",
        remediationSteps:
            "Switch back to a non-root USER at the end of each build stage, or accept it: only the final stage's user reaches production.",
    },
    (report) =>
        report.rootBuildStages.map((stage) => `build stage "${stage.stage}" ends as "${stage.value ?? stage.user}" (line ${stage.line}).`),
);
