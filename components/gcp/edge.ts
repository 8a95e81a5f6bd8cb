import { RunwayComponent, keyedEntries } from "../base";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Problem, throwIfProblems } from "../../rules/problems";
import {
    DOMAIN_MAPPING_REGIONS,
    DEFAULT_TLS_PROFILE,
    DnsRecord,
    EDGE_DEFAULTS,
    MIN_TLS_VERSION,
    TLS_PROFILES,
    domainMappingDnsRecord,
    edgeDnsRecord,
    edgeProblems,
    securityPolicyRules,
} from "../../rules/gcp/edge";

export interface EdgeArgs {
    /** Region of the Cloud Run service (the serverless NEG is regional). @example "us-central1" */
    readonly region: pulumi.Input<string>;
    /** Project id. @default the provider's project */
    readonly project?: pulumi.Input<string>;
    /** Cloud Run service the load balancer sends every request to. */
    readonly serviceName: pulumi.Input<string>;
    /** Domain of the Google-managed certificate and the A record. @example "app.example.com" */
    readonly domain: string;
    /** Cloud DNS managed zone (in `project`) that gets the A record. @default none: create the record yourself from `dnsRecords` */
    readonly dnsZone?: string;
    /** Cloud Armor WAF sensitivity for the SQLi and XSS rule sets, 1-4. @default 1 */
    readonly wafSensitivity?: number;
    /** Requests per minute one client IP may send; above it Cloud Armor answers 429. @default 500 */
    readonly rateLimitPerMinute?: number;
    /** Country codes (ISO 3166-1 alpha-2) denied with 403. @default [] */
    readonly denyCountries?: string[];
    /** Source ranges (CIDR) denied with 403. @default [] */
    readonly denyCidrs?: string[];
    /** Log what every Cloud Armor rule would do without enforcing it (for new rules). @default false */
    readonly preview?: boolean;
    /** Fraction of requests the load balancer logs. @default 0.1 */
    readonly logSampleRate?: number;
    /** Members allowed through IAP on the load balancer's backend; empty: no IAP. @default [] @example ["group:team@example.com"] */
    readonly iapMembers?: pulumi.Input<string>[];
    /**
     * TLS profile of the HTTPS proxy's SSL policy (minimum TLS 1.2 either way): MODERN (wide client
     * support) or RESTRICTED (stricter compliance, fewer ciphers). @default "MODERN"
     */
    readonly tlsProfile?: "MODERN" | "RESTRICTED";
}

/** The edge's settings once defaults are applied. */
export function resolveEdgeArgs(name: string, args: EdgeArgs) {
    const resolved = {
        wafSensitivity: args.wafSensitivity ?? EDGE_DEFAULTS.wafSensitivity,
        rateLimitPerMinute: args.rateLimitPerMinute ?? EDGE_DEFAULTS.rateLimitPerMinute,
        denyCountries: args.denyCountries ?? [],
        denyCidrs: args.denyCidrs ?? [],
        preview: args.preview ?? false,
        logSampleRate: args.logSampleRate ?? EDGE_DEFAULTS.logSampleRate,
        tlsProfile: args.tlsProfile ?? DEFAULT_TLS_PROFILE,
    };
    const problems: Problem[] = edgeProblems({ domain: args.domain, ...resolved }, (field) => `Edge(${name}).${field}`);
    if (!TLS_PROFILES.includes(resolved.tlsProfile))
        problems.push({ key: `Edge(${name}).tlsProfile`, value: resolved.tlsProfile, allowed: TLS_PROFILES.join(" or ") });
    if (!args.domain)
        problems.push({
            key: `Edge(${name}).domain`,
            value: args.domain,
            allowed: "the domain the managed certificate is issued for, e.g. app.example.com",
        });
    throwIfProblems(`Invalid arguments for runway:gcp:Edge "${name}"`, problems);
    return resolved;
}

/** The edge's settings after defaults, as `resolveEdgeArgs` checked them. */
type ResolvedEdge = ReturnType<typeof resolveEdgeArgs>;

/**
 * Production edge: a global external Application Load Balancer in front of one Cloud Run
 * service (serverless NEG), a Google-managed certificate for `domain`, HTTP → HTTPS redirect, a
 * Cloud Armor policy (SQLi + XSS WAF, per-IP rate limit, optional deny-lists, preview mode),
 * sampled request logs, an SSL policy refusing TLS below 1.2, optional IAP, and the domain's A record. Set the service's ingress to
 * internal + load balancer so the `run.app` URL does not bypass Cloud Armor.
 * Costs ≈ $18.25/month for the forwarding rules, $5 + $1/rule for Cloud Armor, plus per request and GB.
 *
 * @example
 * const edge = new gcp.Edge("edge", { region: "us-central1", serviceName: svc.serviceName, domain: "app.example.com" });
 * export const dns = edge.dnsRecords;
 */
export class Edge extends RunwayComponent {
    /** The global IPv4 address the domain points at. */
    public readonly address: gcp.compute.GlobalAddress;
    /** The Cloud Armor policy attached to the backend. */
    public readonly securityPolicy: gcp.compute.SecurityPolicy;
    /** The backend service (serverless NEG, logging, Cloud Armor, IAP). */
    public readonly backendService: gcp.compute.BackendService;
    /** The HTTPS URL map; its name identifies the load balancer in metrics. */
    public readonly urlMap: gcp.compute.URLMap;
    /** The HTTPS proxy's SSL policy: TLS 1.2 or newer only. */
    public readonly sslPolicy: gcp.compute.SSLPolicy;
    /** The Google-managed certificate (provisions once DNS points at the address). */
    public readonly certificate: gcp.compute.ManagedSslCertificate;
    /** `https://<domain>`. */
    public readonly url: pulumi.Output<string>;
    /** The global IP address. */
    public readonly ipAddress: pulumi.Output<string>;
    /** The DNS records that make the domain reach the load balancer. */
    public readonly dnsRecords: pulumi.Output<DnsRecord[]>;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:Edge", name, opts);
        const settings = resolveEdgeArgs(name, args);
        const project = args.project;
        this.address = new gcp.compute.GlobalAddress(
            this.childName("ip"),
            { project, addressType: "EXTERNAL", ipVersion: "IPV4", description: `Runway edge for ${args.domain}` },
            this.childOpts(),
        );
        this.ipAddress = this.address.address;
        const backend = this.createBackend(args, settings);
        this.securityPolicy = backend.securityPolicy;
        this.backendService = backend.backendService;
        this.urlMap = new gcp.compute.URLMap(
            this.childName("urlmap"),
            { project, defaultService: this.backendService.id },
            this.childOpts(),
        );
        // Immutable: a new domain replaces it. Auto-named, so the replacement is created first and
        // the proxy switches to it before the old certificate is deleted.
        this.certificate = new gcp.compute.ManagedSslCertificate(
            this.childName("cert"),
            { project, managed: { domains: [args.domain] } },
            this.childOpts(),
        );
        // Without a policy the proxy negotiates the COMPATIBLE profile from TLS 1.0.
        this.sslPolicy = new gcp.compute.SSLPolicy(
            this.childName("tls"),
            {
                project,
                profile: settings.tlsProfile,
                minTlsVersion: MIN_TLS_VERSION,
                description: `Runway edge for ${args.domain}: TLS 1.2+`,
            },
            this.childOpts(),
        );
        this.createHttpsFrontend(project);
        this.createRedirect(name, project);
        this.dnsRecords = this.ipAddress.apply((ip) => [edgeDnsRecord(args.domain, ip)]);
        if (args.dnsZone !== undefined) this.createDnsRecord(project, args.dnsZone, args.domain);
        this.url = pulumi.output(`https://${args.domain}`);
        this.registerOutputs({ url: this.url, ipAddress: this.ipAddress, dnsRecords: this.dnsRecords });
    }

    /** The serverless NEG of the service, its Cloud Armor policy, the backend service and, with members, IAP on it. */
    private createBackend(args: EdgeArgs, settings: ResolvedEdge) {
        const project = args.project;
        const neg = new gcp.compute.RegionNetworkEndpointGroup(
            this.childName("neg"),
            { project, region: args.region, networkEndpointType: "SERVERLESS", cloudRun: { service: args.serviceName } },
            this.childOpts(),
        );
        const securityPolicy = new gcp.compute.SecurityPolicy(
            this.childName("armor"),
            {
                project,
                type: "CLOUD_ARMOR",
                description: `Runway edge for ${args.domain}: WAF, rate limit, deny-lists`,
                rules: securityPolicyRules(settings),
            },
            this.childOpts(),
        );
        const iapMembers = args.iapMembers ?? [];
        const backendService = new gcp.compute.BackendService(
            this.childName("backend"),
            {
                project,
                loadBalancingScheme: "EXTERNAL_MANAGED",
                // Serverless NEGs take no health check, port or timeout: Cloud Run's own apply.
                backends: [{ group: neg.id }],
                securityPolicy: securityPolicy.selfLink,
                logConfig: { enable: true, sampleRate: settings.logSampleRate },
                iap: iapMembers.length > 0 ? { enabled: true } : undefined,
            },
            this.childOpts(),
        );
        for (const { entry: member, name: child, aliases } of keyedEntries(this.childName("iap-access"), iapMembers)) {
            new gcp.iap.WebBackendServiceIamMember(
                child,
                { project, webBackendService: backendService.name, role: "roles/iap.httpsResourceAccessor", member },
                this.childOpts({ aliases }),
            );
        }
        return { securityPolicy, backendService };
    }

    /** Port 443: the HTTPS proxy (certificate, SSL policy) on the address. */
    private createHttpsFrontend(project: pulumi.Input<string> | undefined): void {
        const httpsProxy = new gcp.compute.TargetHttpsProxy(
            this.childName("https-proxy"),
            { project, urlMap: this.urlMap.id, sslCertificates: [this.certificate.id], sslPolicy: this.sslPolicy.selfLink },
            this.childOpts(),
        );
        new gcp.compute.GlobalForwardingRule(
            this.childName("https"),
            {
                project,
                target: httpsProxy.id,
                portRange: "443",
                ipProtocol: "TCP",
                ipAddress: this.address.id,
                loadBalancingScheme: "EXTERNAL_MANAGED",
            },
            this.childOpts(),
        );
    }

    /** The domain's A record in `zone`. */
    private createDnsRecord(project: pulumi.Input<string> | undefined, zone: pulumi.Input<string>, domain: string): void {
        new gcp.dns.RecordSet(
            this.childName("dns"),
            { project, managedZone: zone, name: `${domain}.`, type: "A", ttl: 300, rrdatas: [this.ipAddress] },
            this.childOpts(),
        );
    }

    /** Port 80 answers every request with a 301 to the same URL on https. */
    private createRedirect(name: string, project: pulumi.Input<string> | undefined): void {
        const parent = { parent: this };
        const redirect = new gcp.compute.URLMap(
            `${name}-redirect`,
            {
                project,
                defaultUrlRedirect: { httpsRedirect: true, stripQuery: false, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT" },
            },
            parent,
        );
        const httpProxy = new gcp.compute.TargetHttpProxy(`${name}-http-proxy`, { project, urlMap: redirect.id }, parent);
        new gcp.compute.GlobalForwardingRule(
            `${name}-http`,
            {
                project,
                target: httpProxy.id,
                portRange: "80",
                ipProtocol: "TCP",
                ipAddress: this.address.id,
                loadBalancingScheme: "EXTERNAL_MANAGED",
            },
            parent,
        );
    }
}

export interface DomainMappingArgs {
    /** Region of the Cloud Run service; must offer domain mappings. @example "us-central1" */
    readonly region: string;
    /** Project id (the mapping's namespace). */
    readonly project: pulumi.Input<string>;
    /** Cloud Run service to map. */
    readonly serviceName: pulumi.Input<string>;
    /** Subdomain to map; its ownership must be verified for the deploying identity. @example "staging.example.com" */
    readonly domain: string;
    /** Cloud DNS managed zone that gets the CNAME. @default none: create the record yourself from `dnsRecords` */
    readonly dnsZone?: string;
}

/**
 * A custom domain for solo and staging without a load balancer ($0): a Cloud Run domain mapping
 * (Preview; only in `DOMAIN_MAPPING_REGIONS`; subdomains get a CNAME to ghs.googlehosted.com).
 *
 * @example
 * new gcp.DomainMapping("domain", { region: "us-central1", project, serviceName: svc.serviceName, domain: "staging.example.com" });
 */
export class DomainMapping extends RunwayComponent {
    /** The Cloud Run (v1 API) domain mapping. */
    public readonly mapping: gcp.cloudrun.DomainMapping;
    /** `https://<domain>`. */
    public readonly url: pulumi.Output<string>;
    /** The DNS records that make the domain reach the service. */
    public readonly dnsRecords: pulumi.Output<DnsRecord[]>;

    constructor(name: string, args: DomainMappingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:DomainMapping", name, opts);
        const problems = edgeProblems({ domain: args.domain }, (field) => `DomainMapping(${name}).${field}`);
        if (!DOMAIN_MAPPING_REGIONS.includes(args.region)) {
            problems.push({
                key: `DomainMapping(${name}).region`,
                value: args.region,
                allowed: `a region with Cloud Run domain mappings (${DOMAIN_MAPPING_REGIONS.join(", ")}); elsewhere use the edge (runway:gcp:Edge)`,
            });
        }
        this.refuse(problems);
        const parent = { parent: this };
        this.mapping = new gcp.cloudrun.DomainMapping(
            `${name}-mapping`,
            {
                project: args.project,
                location: args.region,
                name: args.domain,
                metadata: { namespace: args.project },
                spec: { routeName: args.serviceName },
            },
            parent,
        );
        const record = domainMappingDnsRecord(args.domain);
        if (args.dnsZone !== undefined) {
            new gcp.dns.RecordSet(
                `${name}-dns`,
                { project: args.project, managedZone: args.dnsZone, ...record },
                { parent: this, dependsOn: [this.mapping] },
            );
        }
        this.url = pulumi.output(`https://${args.domain}`);
        this.dnsRecords = pulumi.output([record]);
        this.registerOutputs({ url: this.url, dnsRecords: this.dnsRecords });
    }
}
