import { ResourceValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { matchesAny, stackOfUrn } from "../lib/names";

export interface ProtectedProductionDataConfig {
    /** Stack names that hold production data; `*` matches any characters. */
    productionStacks: string[];
    /** Resource types that hold data (or the images and secrets a service cannot run without). */
    statefulTypes: string[];
}

export const PROTECTED_PRODUCTION_DATA_DEFAULTS: ProtectedProductionDataConfig = {
    productionStacks: ["production", "prod", "production-*", "prod-*"],
    statefulTypes: [
        "gcp:sql/databaseInstance:DatabaseInstance",
        "gcp:redis/instance:Instance",
        "gcp:storage/bucket:Bucket",
        "gcp:secretmanager/secret:Secret",
        "gcp:artifactregistry/repository:Repository",
        "aws:rds/instance:Instance",
        "aws:rds/cluster:Cluster",
        "aws:dynamodb/table:Table",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws:secretsmanager/secret:Secret",
        "aws:ecr/repository:Repository",
        "aws:ssm/parameter:Parameter",
    ],
};

/** Provider-side guards against deletion the resource type offers, as [property, safe value]. */
const DELETION_GUARDS: Record<string, [string, unknown][]> = {
    "gcp:sql/databaseInstance:DatabaseInstance": [["deletionProtection", true]],
    "aws:rds/instance:Instance": [["deletionProtection", true]],
    "aws:rds/cluster:Cluster": [["deletionProtection", true]],
    "aws:dynamodb/table:Table": [["deletionProtectionEnabled", true]],
};
/** Settings that make a delete destroy contents without asking. */
const FORCE_DELETE: Record<string, string> = {
    "gcp:storage/bucket:Bucket": "forceDestroy",
    "aws:s3/bucket:Bucket": "forceDestroy",
    "aws:s3/bucketV2:BucketV2": "forceDestroy",
    "aws:ecr/repository:Repository": "forceDelete",
};

/**
 * How to take production down on purpose, appended to the "not protected" violation (and the remediation): protection off in the program, this rule
 * relaxed for that one `up`, then destroy (the README's day-two page walks through it).
 */
export const DECOMMISSION_HINT =
    'In Runway, runway:protect=true (the production default) sets all of this. To take production down on purpose: pulumi config set runway:protect false, then pulumi up --policy-pack-config policy/decommission.json ({"protected-production-data": "advisory"}), then pulumi destroy (docs/day-two.md, "Taking production down").';

/** Mandatory: in production stacks, stateful resources carry `protect` and their provider's deletion guard. */
export const protectedProductionData: ResourceValidationPolicy = {
    name: "protected-production-data",
    description: "Databases, secrets, registries and buckets in production stacks are protected from accidental deletion.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Set the `protect: true` resource option (Runway's production tier does), turn on the provider's deletion protection, and never set forceDestroy/forceDelete in production. " +
        DECOMMISSION_HINT,
    configSchema: schemaWithDefaults(PROTECTED_PRODUCTION_DATA_DEFAULTS, {
        productionStacks: {
            type: "array",
            items: { type: "string" },
            description: "Stack names that hold production data; `*` matches any characters.",
        },
        statefulTypes: { type: "array", items: { type: "string" }, description: "Resource types that must be protected in production." },
    }),
    validateResource: (args, reportViolation) => {
        const config = withDefaults(PROTECTED_PRODUCTION_DATA_DEFAULTS, args.getConfig<Partial<ProtectedProductionDataConfig>>());
        const stack = stackOfUrn(args.urn);
        if (!matchesAny(stack, config.productionStacks)) args.notApplicable(`stack "${stack}" is not a production stack`);
        if (!config.statefulTypes.includes(args.type)) args.notApplicable("not a stateful resource type");
        if (args.type === "aws:ssm/parameter:Parameter" && args.props.type !== "SecureString")
            args.notApplicable("not a SecureString parameter");
        if (!args.opts.protect)
            reportViolation(
                `${args.type} "${args.name}" in production stack "${stack}" is not protected: set the protect resource option. ${DECOMMISSION_HINT}`,
            );
        for (const [property, safe] of DELETION_GUARDS[args.type] ?? []) {
            if (args.props[property] !== safe)
                reportViolation(
                    `${args.type} "${args.name}" has ${property} = ${JSON.stringify(args.props[property])}; production needs ${JSON.stringify(safe)}.`,
                );
        }
        const force = FORCE_DELETE[args.type];
        if (force && args.props[force] === true)
            reportViolation(`${args.type} "${args.name}" has ${force} = true, which deletes its contents with it.`);
    },
};
