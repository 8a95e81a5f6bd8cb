/** The tier profile (`runway-iac/tiers`): every decision a tier makes, for both clouds. Defined in the dependency-free rules layer. */
export * from "../rules/profile";
