/** The GCP naming rules live in rules/gcp/names.ts; re-exported here for the components and the library's users. */
export * from "../../rules/gcp/names";
