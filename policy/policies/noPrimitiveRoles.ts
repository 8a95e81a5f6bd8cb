import { ResourceValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";

export interface NoPrimitiveRolesConfig {
    /** Roles (GCP) and managed policy ARNs (AWS) that grant everything. */
    forbiddenRoles: string[];
}

export const NO_PRIMITIVE_ROLES_DEFAULTS: NoPrimitiveRolesConfig = {
    forbiddenRoles: [
        "roles/owner",
        "roles/editor",
        "roles/viewer",
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/PowerUserAccess",
    ],
};

/** Roles a resource grants: `role` (IAM member/binding), `policyData` bindings (IAM policy), AWS `policyArn(s)`. */
export function grantedRoles(props: Record<string, any>): string[] {
    const roles: string[] = [];
    if (typeof props.role === "string") roles.push(props.role);
    if (typeof props.policyArn === "string") roles.push(props.policyArn);
    if (Array.isArray(props.managedPolicyArns)) roles.push(...props.managedPolicyArns.filter((a: unknown) => typeof a === "string"));
    if (typeof props.policyData === "string") {
        try {
            const policy = JSON.parse(props.policyData);
            for (const b of policy?.bindings ?? []) if (typeof b?.role === "string") roles.push(b.role);
        } catch {
            // not JSON: nothing to read
        }
    }
    return roles;
}

/** Mandatory: nothing is granted owner/editor/viewer (or the AWS administrator policies). */
export const noPrimitiveRoles: ResourceValidationPolicy = {
    name: "no-primitive-roles",
    description: "No identity is granted a primitive role (owner, editor, viewer) or an AWS administrator policy.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Grant the narrowest predefined role on the single resource that needs it (e.g. roles/run.developer on one service, roles/artifactregistry.writer on one repository).",
    configSchema: schemaWithDefaults(NO_PRIMITIVE_ROLES_DEFAULTS, {
        forbiddenRoles: {
            type: "array",
            items: { type: "string" },
            description: "GCP roles and AWS managed policy ARNs that must never be granted.",
        },
    }),
    validateResource: (args, reportViolation) => {
        const config = withDefaults(NO_PRIMITIVE_ROLES_DEFAULTS, args.getConfig<Partial<NoPrimitiveRolesConfig>>());
        const isGrant = /iam|IAM|Iam|rolePolicyAttachment|policyAttachment|:Role$/.test(args.type);
        if (!isGrant) args.notApplicable("not an IAM grant");
        for (const role of grantedRoles(args.props)) {
            if (config.forbiddenRoles.includes(role))
                reportViolation(`${args.type} "${args.name}" grants ${role}, a primitive role that allows almost everything.`);
        }
    },
};
