/** Container image builds, cloud-agnostic: give it a repository and short-lived credentials. */
export { Image, ImageArgs } from "./image";
export { BuildInputs, ResolvedBuild, checkBuild, resolveBuild } from "./buildPlan";
export { contentTag } from "./contentTag";
