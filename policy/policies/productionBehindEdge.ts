import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { matchesAny, stackOfUrn } from "../lib/names";
import { UnknownCollector } from "../lib/unknowns";

export interface ProductionBehindEdgeConfig {
    /** Stack names that serve production traffic; `*` matches any characters. */
    productionStacks: string[];
}

export const PRODUCTION_BEHIND_EDGE_DEFAULTS: ProductionBehindEdgeConfig = {
    productionStacks: ["production", "prod", "production-*", "prod-*"],
};

const RUN_SERVICE = "gcp:cloudrunv2/service:Service";
const INVOKER_GRANTS = [
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
    "gcp:cloudrun/iamMember:IamMember",
    "gcp:cloudrun/iamBinding:IamBinding",
];
const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];
/** Ingress settings that keep the run.app URL closed to the internet (the load balancer, or nothing). */
const CLOSED_INGRESS = ["INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "INGRESS_TRAFFIC_INTERNAL_ONLY"];

/**
 * Names of Cloud Run services that anyone may invoke: `allUsers`/`allAuthenticatedUsers` hold
 * run.invoker, or the service turns its invoker IAM check off (`invokerIamDisabled`).
 */
export function publicServiceNames(resources: readonly Pick<PolicyResource, "type" | "props">[]): Set<string> {
    const names = new Set<string>();
    for (const r of resources.filter((x) => x.type === RUN_SERVICE && x.props.invokerIamDisabled === true)) names.add(String(r.props.name));
    for (const r of resources.filter((x) => INVOKER_GRANTS.includes(x.type))) {
        const members: unknown[] = Array.isArray(r.props.members) ? r.props.members : [r.props.member];
        if (r.props.role === "roles/run.invoker" && members.some((m) => PUBLIC_MEMBERS.includes(String(m))))
            names.add(String(r.props.name ?? r.props.service));
    }
    return names;
}

/**
 * Advisory (mandatory when configured): in production stacks, a Cloud Run service that anyone may
 * invoke only admits the load balancer (ingress internal + Cloud Load Balancing), so its run.app
 * URL cannot bypass the edge's Cloud Armor WAF and rate limit.
 */
export const productionBehindEdge: StackValidationPolicy = {
    name: "production-behind-edge",
    description:
        "A public Cloud Run service in a production stack is reachable only through the load balancer (edge), never on its run.app URL.",
    enforcementLevel: "advisory",
    severity: "high",
    remediationSteps:
        'Put the service behind runway:gcp:Edge (runway:edge true and runway:domain) and set its ingress to INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER; make this policy mandatory with {"production-behind-edge": {"enforcementLevel": "mandatory"}}.',
    configSchema: schemaWithDefaults(PRODUCTION_BEHIND_EDGE_DEFAULTS, {
        productionStacks: {
            type: "array",
            items: { type: "string" },
            description: "Stack names that serve production traffic; `*` matches any characters.",
        },
    }),
    validateStack: (args, reportViolation) => {
        const config = withDefaults(PRODUCTION_BEHIND_EDGE_DEFAULTS, args.getConfig<Partial<ProductionBehindEdgeConfig>>());
        const unknowns = new UnknownCollector();
        const services = args.resources.filter((r) => r.type === RUN_SERVICE && matchesAny(stackOfUrn(r.urn), config.productionStacks));
        if (services.length === 0) return;
        let publicNames = new Set<string>();
        unknowns.check(() => {
            publicNames = publicServiceNames(args.resources);
        });
        for (const svc of services) {
            unknowns.check(() => {
                const ingress = svc.props.ingress ?? "INGRESS_TRAFFIC_ALL";
                if (!publicNames.has(String(svc.props.name)) || CLOSED_INGRESS.includes(ingress)) return;
                reportViolation(
                    `Cloud Run service "${svc.name}" in production stack "${stackOfUrn(svc.urn)}" is public with ingress ${ingress}: its run.app URL bypasses the edge (Cloud Armor WAF, rate limit). Put it behind the edge and set ingress INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER.`,
                    svc.urn,
                );
            });
        }
        unknowns.finish();
    },
};
