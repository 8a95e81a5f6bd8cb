/** The one input-error type and its problems (defined in the dependency-free rules layer). */
export * from "../rules/problems";
