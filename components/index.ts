/** Runway's component library. Importing it creates no resources and reads no config. */
export * as docker from "./docker";
export * as gcp from "./gcp";
export * as tiers from "./tiers";
export { RunwayInputError, Problem, formatProblem } from "./errors";
