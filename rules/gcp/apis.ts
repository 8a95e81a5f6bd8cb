/**
 * The Google APIs a Runway stack enables, by feature. Pure.
 *
 * API enablement is eventually consistent: a call right after `services.enable` may still get 403
 * "API has not been used in project … or it is disabled", and the Google provider does not retry
 * that error (magic-modules mmv1/third_party/terraform/transport/error_retry_predicates.go has no
 * predicate for it; website/docs/guides/google_project_service.html.markdown, "Newly activated
 * service errors", suggests a sleep). Runway's bootstrap therefore enables these APIs minutes before
 * a stack's first `up`.
 */

/**
 * APIs the enabling itself needs on the project that is billed for the calls (the quota project,
 * `gcp:billingProject` with `gcp:userProjectOverride`): Service Usage enables APIs, Cloud Resource
 * Manager resolves the project. https://cloud.google.com/docs/quotas/set-quota-project
 */
export const FOUNDATION_APIS = ["cloudresourcemanager.googleapis.com", "serviceusage.googleapis.com"];

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
