import { dockerfileAdvisory } from "../lib/dockerfileSource";

/**
 * Advisory: a final USER that depends on a variable only the base image's ENV can set
 * (`USER $APP_UID` on .NET images, `USER ${NB_UID}` on Jupyter stacks). Neither hadolint DL3002 nor
 * Trivy DS-0002 fails these; the pack cannot read the base image offline, so it says so here instead
 * of passing or failing them under non-root-images.
 */
export const baseImageUsers = dockerfileAdvisory(
    {
        name: "base-image-users",
        description: "A Dockerfile's final USER that only the base image's environment can resolve is named for someone to check.",
        severity: "low",
        remediationSteps:
            "Check that the base image sets the variable to a non-root user (e.g. `docker inspect --format '{{.Config.Env}}' <image>`), or write the user into the Dockerfile: `USER 10001`.",
    },
    (report) => report.baseImageAdvisories.map((advisory) => `${advisory}.`),
);
