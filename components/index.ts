/** Runway's component library. Importing it creates no resources and reads no config. */
export * as aws from "./aws";
export * as cost from "./cost";
export * as docker from "./docker";
export * as gcp from "./gcp";
export * as github from "./github";
export * as local from "./local";
export * as tiers from "../rules/profile";
export { RunwayInputError, Problem, formatProblem } from "./errors";
