/**
 * Runway's component library, root entry: the input-error type and the cloud-free modules. It loads
 * no cloud SDK, creates no resources and reads no config. Each flavour is its own entry point, so a
 * project installs only the `@pulumi/*` providers it uses: `runway-iac/gcp`, `runway-iac/aws`,
 * `runway-iac/github`, `runway-iac/docker`, `runway-iac/local` (and `runway-iac/cost`, `runway-iac/tiers`, also here);
 * the list is package.json's `exports`. Every child is parented to its component, so Pulumi's own
 * `transforms` resource option on a component adjusts any child (README, "Adjusting any child").
 *
 * @example
 * import * as gcp from "runway-iac/gcp";
 * import { RunwayInputError } from "runway-iac";
 */
export * as cost from "./cost";
export * as tiers from "./tiers";
export { RunwayInputError, Problem, formatProblem } from "../rules/problems";
