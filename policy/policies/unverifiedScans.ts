import { StackValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { placeJobs, readWorkflows, unverifiedScans as unverified } from "../lib/scanCoverage";
import { UnknownCollector } from "../lib/unknowns";
import { AUDIT_LEVELS, AuditLevel } from "../lib/workflows";

export interface UnverifiedScansConfig {
    /** As blocking-scans' setting: the highest severity a scan may start failing at. */
    maxAuditLevel: AuditLevel;
}

export const UNVERIFIED_SCANS_DEFAULTS: UnverifiedScansConfig = { maxAuditLevel: "high" };

/**
 * Advisory: scans blocking-scans counts as blocking on the workflow's word, because what decides it
 * is not in the stack: a scanner config file named in the step (`trivy --config trivy.yaml`), a
 * local action whose action.yml the stack does not hold, a script in a shell the pack does not judge.
 */
export const unverifiedScans: StackValidationPolicy = {
    name: "unverified-scans",
    description: "Scans whose blocking depends on files the stack does not hold are named for someone to check.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
        "Put the setting that makes the scan fail in the workflow itself (e.g. `--exit-code 1`, `--fail-on high`), or add the local action's action.yml to the stack's repository files.",
    configSchema: schemaWithDefaults(UNVERIFIED_SCANS_DEFAULTS, {
        maxAuditLevel: {
            type: "string",
            enum: [...AUDIT_LEVELS],
            description: "The highest severity a scan may start failing at (keep it equal to blocking-scans').",
        },
    }),
    validateStack: (args, reportViolation) => {
        const config = withDefaults(UNVERIFIED_SCANS_DEFAULTS, args.getConfig<Partial<UnverifiedScansConfig>>());
        const unknowns = new UnknownCollector();
        const workflows = readWorkflows(args.resources, config.maxAuditLevel, unknowns);
        if (workflows.length === 0) args.notApplicable("the stack has no workflow files");
        for (const { message, workflow } of unverified(placeJobs(workflows))) reportViolation(`${message}.`, workflow.resource.urn);
        unknowns.finish();
    },
};
