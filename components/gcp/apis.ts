import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** Which optional features the stack uses; decides the Google APIs to enable. */
export interface ApiNeeds {
    network?: boolean;
    iap?: boolean;
    ciIdentity?: boolean;
    /** Cloud SQL through private services access. */
    database?: boolean;
    /** Memorystore through private services access. */
    cache?: boolean;
    /** The edge: load balancer, Cloud Armor and certificate are Compute Engine resources. */
    edge?: boolean;
    /** DNS records in a Cloud DNS zone. */
    dns?: boolean;
    /** Artifact Registry vulnerability scanning (`enablementConfig: INHERITED` needs the Container Scanning API). */
    vulnerabilityScanning?: boolean;
}

/** The Google APIs a Runway stack needs. Pure. */
export function requiredApis(needs: ApiNeeds): string[] {
    const apis = [
        "run.googleapis.com",
        "artifactregistry.googleapis.com",
        "secretmanager.googleapis.com",
        "monitoring.googleapis.com",
        "pubsub.googleapis.com",
        "billingbudgets.googleapis.com",
        "cloudresourcemanager.googleapis.com",
        "iam.googleapis.com",
    ];
    if (needs.network || needs.edge) apis.push("compute.googleapis.com");
    if (needs.dns) apis.push("dns.googleapis.com");
    if (needs.iap) apis.push("iap.googleapis.com");
    if (needs.ciIdentity) apis.push("iamcredentials.googleapis.com", "sts.googleapis.com");
    if (needs.database || needs.cache) apis.push("servicenetworking.googleapis.com");
    if (needs.database) apis.push("sqladmin.googleapis.com");
    if (needs.cache) apis.push("redis.googleapis.com");
    if (needs.vulnerabilityScanning) apis.push("containerscanning.googleapis.com");
    return apis.sort();
}

export interface ApisArgs {
    /** Project id. */
    readonly project: pulumi.Input<string>;
    /** API service names. @example ["run.googleapis.com"] */
    readonly services: string[];
}

/**
 * Enables Google APIs on the project. Destroying the stack leaves them enabled: other workloads
 * in the project may rely on them.
 *
 * @example
 * const apis = new gcp.Apis("apis", { project, services: gcp.requiredApis({ network: true }) });
 * new gcp.Network("net", { region: "us-central1" }, { dependsOn: apis.services });
 */
export class Apis extends pulumi.ComponentResource {
    /** The enabled services, for `dependsOn`. */
    public readonly services: gcp.projects.Service[];

    constructor(name: string, args: ApisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:Apis", name, {}, opts);
        this.services = args.services.map(
            (service) =>
                new gcp.projects.Service(
                    `${name}-${service.split(".")[0]}`,
                    {
                        project: args.project,
                        service,
                        disableOnDestroy: false,
                        disableDependentServices: false,
                    },
                    { parent: this },
                ),
        );
        this.registerOutputs({ services: args.services });
    }
}
