import { expect } from "chai";
import { requiredApis } from "../components/gcp/apis";
import { loadBalancerErrorRatioCondition } from "../rules/gcp/alerts";
import {
    EDGE_DEFAULTS,
    EDGE_PRIORITIES,
    MAX_RANGES_PER_RULE,
    MAX_SUBEXPRESSIONS,
    edgeProblems,
    securityPolicyRules,
} from "../rules/gcp/edge";
import { ResourceRecord } from "../plan";
import { productionBehindEdge } from "../policy/policies";
import { resolveStack } from "../stacks/config";
import { checkPolicy } from "./helpers/policyRun";
import { planStack } from "./helpers/plans";
import { rawConfig } from "./helpers/raw";

const ofType = (resources: ResourceRecord[], type: string): any[] => resources.filter((r) => r.type === type);
const one = (resources: ResourceRecord[], type: string): any => {
    const found = ofType(resources, type);
    expect(found, type).to.have.length(1);
    return found[0];
};
const T = {
    run: "gcp:cloudrunv2/service:Service",
    rule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    https: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
    http: "gcp:compute/targetHttpProxy:TargetHttpProxy",
    urlMap: "gcp:compute/uRLMap:URLMap",
    backend: "gcp:compute/backendService:BackendService",
    neg: "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
    armor: "gcp:compute/securityPolicy:SecurityPolicy",
    cert: "gcp:compute/managedSslCertificate:ManagedSslCertificate",
    record: "gcp:dns/recordSet:RecordSet",
    mapping: "gcp:cloudrun/domainMapping:DomainMapping",
};
/** The resource a property of `r` was built from (the chain of the load balancer). */
const source = (all: ResourceRecord[], r: ResourceRecord, property: string) =>
    all.filter((x) => (r.propertyDependencies[property] ?? []).includes(x.urn));
const problems = (values: Record<string, string | undefined>) => {
    try {
        resolveStack(rawConfig(values));
        return "";
    } catch (err) {
        return (err as Error).message;
    }
};

describe("edge rules (pure)", () => {
    const defaults = { wafSensitivity: 1, rateLimitPerMinute: 500, denyCountries: [], denyCidrs: [], preview: false };

    it("denies SQLi and XSS at the configured sensitivity, throttles per IP with 429 and allows the rest last", () => {
        const rules = securityPolicyRules({ ...defaults, wafSensitivity: 3, rateLimitPerMinute: 120 });
        expect(
            rules
                .map((r) => r.match)
                .map((m: any) => m.expr?.expression)
                .filter(Boolean),
        ).to.deep.equal([
            "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 3})",
            "evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 3})",
        ]);
        const throttle = rules.find((r) => r.action === "throttle") as any;
        expect(throttle.rateLimitOptions).to.deep.equal({
            conformAction: "allow",
            exceedAction: "deny(429)",
            enforceOnKey: "IP",
            rateLimitThreshold: { count: 120, intervalSec: 60 },
        });
        const last = rules[rules.length - 1] as any;
        expect([last.priority, last.action, last.match.config.srcIpRanges]).to.deep.equal([EDGE_PRIORITIES.default, "allow", ["*"]]);
        const priorities = rules.map((r) => r.priority as number);
        expect(priorities).to.deep.equal([...priorities].sort((a, b) => a - b));
    });

    it("splits deny-lists into rules Cloud Armor accepts (10 ranges, 5 subexpressions) with unique priorities", () => {
        const denyCidrs = Array.from({ length: 23 }, (_, i) => `198.51.${i}.0/24`);
        const denyCountries = ["KP", "IR", "SY", "CU", "RU", "BY", "VE"];
        const rules = securityPolicyRules({ ...defaults, denyCidrs, denyCountries });
        const cidrRules = rules.filter((r: any) => r.action === "deny(403)" && r.match.config) as any[];
        expect(cidrRules.map((r) => r.match.config.srcIpRanges.length)).to.deep.equal([10, 10, 3]);
        expect(cidrRules.every((r) => r.match.config.srcIpRanges.length <= MAX_RANGES_PER_RULE)).to.equal(true);
        const countryRules = rules.filter((r: any) => r.match.expr?.expression.startsWith("origin.region_code")) as any[];
        expect(countryRules.map((r) => r.match.expr.expression.split(" || ").length)).to.deep.equal([5, 2]);
        expect(countryRules.every((r) => r.match.expr.expression.split(" || ").length <= MAX_SUBEXPRESSIONS)).to.equal(true);
        expect(countryRules[1].match.expr.expression).to.equal("origin.region_code == 'BY' || origin.region_code == 'VE'");
        expect(new Set(rules.map((r) => r.priority)).size).to.equal(rules.length);
        // Deny-lists run before the WAF, which runs before the rate limit.
        const first = (pred: (r: any) => boolean) => rules.findIndex(pred);
        expect(first((r) => r.match.config?.srcIpRanges?.[0] === "198.51.0.0/24")).to.be.lessThan(
            first((r) => r.description.includes("sqli")),
        );
        expect(first((r) => r.description.includes("xss"))).to.be.lessThan(first((r) => r.action === "throttle"));
    });

    it("preview makes every rule but the default log-only", () => {
        const rules = securityPolicyRules({ ...defaults, denyCountries: ["KP"], preview: true });
        expect(rules.map((r) => r.preview ?? false)).to.deep.equal([true, true, true, true, false]);
        expect(securityPolicyRules(defaults).some((r) => r.preview === true)).to.equal(false);
    });

    it("names each bad edge input, and accepts good ones", () => {
        const key = (f: string) => `edge.${f}`;
        expect(
            edgeProblems(
                {
                    domain: "app.example.com",
                    wafSensitivity: 4,
                    rateLimitPerMinute: 1_000_000,
                    denyCountries: ["KP"],
                    denyCidrs: ["203.0.113.0/24", "2001:db8::/32"],
                    logSampleRate: 0,
                },
                key,
            ),
        ).to.deep.equal([]);
        const found = edgeProblems(
            {
                domain: "https://App.example.com",
                wafSensitivity: 5,
                rateLimitPerMinute: 0,
                denyCountries: ["usa"],
                denyCidrs: ["10.0.0.0/33"],
                logSampleRate: 1.5,
            },
            key,
        );
        expect(found.map((p) => [p.key, p.value])).to.deep.equal([
            ["edge.domain", "https://App.example.com"],
            ["edge.wafSensitivity", 5],
            ["edge.rateLimitPerMinute", 0],
            ["edge.denyCountries", "usa"],
            ["edge.denyCidrs", "10.0.0.0/33"],
            ["edge.logSampleRate", 1.5],
        ]);
        expect(edgeProblems({ wafSensitivity: 0 }, key)[0].allowed).to.match(/1, 2, 3 or 4/);
    });

    it("enables Compute Engine for the edge and Cloud DNS for a DNS zone", () => {
        expect(requiredApis({ edge: true })).to.include("compute.googleapis.com");
        expect(requiredApis({ dns: true })).to.include("dns.googleapis.com");
        expect(requiredApis({})).not.to.include.members(["compute.googleapis.com", "dns.googleapis.com"]);
    });

    it("the load balancer's 5xx condition watches its own responses by URL map, and Cloud Armor's 403/429 are not 5xx", () => {
        const c = loadBalancerErrorRatioCondition("edge-urlmap-x") as any;
        expect(c.conditionThreshold.filter)
            .to.include('resource.type="https_lb_rule"')
            .and.include('url_map_name="edge-urlmap-x"')
            .and.include("response_code_class=500");
        expect(c.conditionThreshold.denominatorFilter).not.to.include("response_code_class");
    });
});

describe("edge config", () => {
    it("refuses production without a domain, naming the key and the way out", () => {
        expect(problems({ "runway:tier": "production" })).to.match(
            /runway:domain = \(not set\): a domain such as app\.example\.com: tier production puts the service behind the edge.*or set runway:edge false/,
        );
        expect(problems({ "runway:tier": "production", "runway:edge": "false" })).to.equal("");
        expect(resolveStack(rawConfig({ "runway:tier": "production", "runway:domain": "app.example.com" })).edge).to.deep.equal({
            ...EDGE_DEFAULTS,
            denyCountries: [],
            denyCidrs: [],
            preview: false,
        });
    });

    it("refuses keys that would do nothing: edge settings with the edge off, a domain mapping where Cloud Run has none, a zone without a domain, AWS", () => {
        expect(problems({ "runway:edgeRateLimit": "100" })).to.match(/runway:edgeRateLimit = 100: its default while runway:edge is false/);
        expect(problems({ "runway:domain": "app.example.com", "gcp:region": "europe-west2" })).to.match(
            /runway:domain = "app.example.com": empty, or runway:edge true: .*region europe-west2 does not offer/,
        );
        expect(problems({ "runway:domain": "app.example.com", "gcp:region": "europe-west1" })).to.equal("");
        expect(problems({ "runway:dnsZone": "example-zone" })).to.match(
            /runway:dnsZone = "example-zone": empty unless runway:domain is set/,
        );
        const aws = { "runway:cloud": "aws", "aws:region": "us-east-1", "gcp:project": undefined, "runway:billingAccount": undefined };
        expect(problems({ ...aws, "runway:edge": "true" })).to.match(
            /runway:edge = "true": unset on aws \(runway:edge applies to gcp only: the edge is a Google Cloud load balancer/,
        );
        // AWS production has no edge: its domain is asked for by the load balancer's HTTPS (tests/aws.test.ts), not the edge.
        expect(problems({ ...aws, "runway:tier": "production", "runway:githubRepository": undefined })).not.to.match(/edge/);
    });

    it("reports a bad value with its key and the raw text", () => {
        const message = problems({
            "runway:tier": "production",
            "runway:domain": "app.example.com",
            "runway:edgeWafSensitivity": "high",
            "runway:edgeLogSampleRate": "2",
            "runway:edgeDenyCountries": JSON.stringify(["Korea"]),
        });
        expect(message)
            .to.include('runway:edgeWafSensitivity = "high"')
            .and.include("runway:edgeLogSampleRate = 2")
            .and.include('runway:edgeDenyCountries = "Korea"');
    });
});

describe("edge in whole stacks", function () {
    this.timeout(120000);

    it("production: HTTPS :443 → proxy with the managed certificate → URL map → backend with Cloud Armor → serverless NEG → the service, whose ingress admits only the load balancer", async () => {
        const { document } = await planStack("production");
        const all = document.resources;
        const [https] = ofType(all, T.rule).filter((r) => r.inputs.portRange === "443");
        expect(https.inputs.loadBalancingScheme).to.equal("EXTERNAL_MANAGED");
        const [proxy] = source(all, https, "target");
        expect(proxy.type).to.equal(T.https);
        const [cert] = source(all, proxy, "sslCertificates");
        expect(cert.inputs.managed).to.deep.equal({ domains: ["app.example.com"] });
        // Immutable and replaced on a new domain: auto-named, so the new one exists before the old goes.
        expect(cert.inputs.name).to.equal(undefined);
        const [urlMap] = source(all, proxy, "urlMap");
        const [backend] = source(all, urlMap, "defaultService");
        expect(backend.type).to.equal(T.backend);
        expect(source(all, backend, "securityPolicy").map((r) => r.type)).to.deep.equal([T.armor]);
        expect(backend.inputs.logConfig).to.deep.equal({ enable: true, sampleRate: 0.1 });
        expect(backend.inputs.healthChecks).to.equal(undefined);
        const [neg] = source(all, backend, "backends");
        expect(neg.inputs).to.deep.include({
            networkEndpointType: "SERVERLESS",
            region: "us-central1",
            cloudRun: { service: "app-production" },
        });
        const svc = one(all, T.run);
        expect(source(all, neg, "cloudRun")).to.deep.equal([svc]);
        expect(svc.inputs.ingress).to.equal("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
    });

    it("production: the deploy workflow's smoke test waits for the revision to be Ready (its run.app URL admits only the load balancer)", async () => {
        const { document } = await planStack("production");
        const file = document.resources.find((r) => r.inputs.file === ".github/workflows/deploy-production.yml")!;
        const content = String(file.inputs.content);
        expect(content).to.include("gcloud run revisions describe").and.include('select(.type == "Ready")');
    });

    it("production: port 80 redirects to https; Cloud Armor has SQLi, XSS and the rate limit; DNS records are output", async () => {
        const { document } = await planStack("production");
        const all = document.resources;
        const [http] = ofType(all, T.rule).filter((r) => r.inputs.portRange === "80");
        const [redirect] = source(all, source(all, http, "target")[0], "urlMap");
        expect(redirect.inputs.defaultUrlRedirect).to.deep.equal({
            httpsRedirect: true,
            stripQuery: false,
            redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT",
        });
        expect(redirect.inputs.defaultService).to.equal(undefined);
        const armor = one(all, T.armor);
        const expressions = armor.inputs.rules.map((r: any) => r.match.expr?.expression ?? "").join("\n");
        expect(expressions).to.include("sqli-v33-stable").and.include("xss-v33-stable");
        expect(armor.inputs.rules.find((r: any) => r.action === "throttle").rateLimitOptions.rateLimitThreshold).to.deep.equal({
            count: 500,
            intervalSec: 60,
        });
        expect(document.outputs.url).to.equal("https://app.example.com");
        expect(document.outputs.dnsRecords).to.deep.equal([
            { name: "app.example.com.", type: "A", ttl: 300, rrdatas: [document.outputs.edgeIp] },
        ]);
        expect(ofType(all, T.record)).to.have.length(0);
        expect(ofType(all, "gcp:projects/service:Service").map((r) => r.inputs.service)).to.include("compute.googleapis.com");
    });

    it("production: the uptime check requests the domain and the 5xx alert also watches the load balancer", async () => {
        const { document } = await planStack("production");
        const all = document.resources;
        const uptime = one(all, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig");
        expect(uptime.inputs.monitoredResource.labels.host).to.equal("app.example.com");
        const errors: any = all.find((r) => r.name === "monitoring-errors")!;
        expect(errors.inputs.conditions.map((c: any) => c.conditionThreshold.filter.match(/resource\.type="(\w+)"/)[1])).to.deep.equal([
            "cloud_run_revision",
            "https_lb_rule",
        ]);
        const urlMap = all.find((r) => r.name === "edge-urlmap")!;
        expect(errors.propertyDependencies.conditions).to.include(urlMap.urn);
    });

    it("production: forwarding rules, Cloud Armor and load balancer data are priced, and the budget still covers the estimate", async () => {
        const { document } = await planStack("production");
        const lines = document.cost.lines.filter((l) => /edge-/.test(l.urn));
        const byDimension = (re: RegExp) => lines.filter((l) => re.test(l.dimension));
        // The first five forwarding rules share one $0.025/hour fee: 730 h for both rules together.
        expect(byDimension(/forwarding rules/).reduce((s, l) => s + l.monthly, 0)).to.be.closeTo(730 * 0.025, 0.011); // each share in whole cents
        expect(byDimension(/Cloud Armor policy/).map((l) => l.monthly)).to.deep.equal([5]);
        const armorRules = one(document.resources, T.armor).inputs.rules.length;
        expect(byDimension(/rules \(default rule included\)/).map((l) => l.quantity)).to.deep.equal([armorRules]);
        expect(byDimension(/requests evaluated/).map((l) => l.quantity)).to.deep.equal([document.cost.assumptions.requestsPerMonth / 1e6]);
        expect(byDimension(/outbound data processed/).map((l) => l.quantity)).to.deep.equal([document.cost.assumptions.egressGb]);
        expect(byDimension(/request logs \(10% sampled/)).to.have.length(1);
        expect(document.cost.unpriced.filter((u) => /edge-/.test(u.urn))).to.deep.equal([]);
        const budget = one(document.resources, "gcp:billing/budget:Budget").inputs.amount.specifiedAmount.units;
        expect(Number(budget)).to.be.greaterThan(document.cost.usageMonthly);
        expect(
            document.policies.filter((p) => p.policy === "budget-covers-estimate" || p.policy === "production-behind-edge"),
        ).to.deep.equal([]);
    });

    it("production: edge keys reach Cloud Armor and logging; a DNS zone gets the A record and Cloud DNS is enabled", async () => {
        const { document } = await planStack("production", {
            "runway:edgeWafSensitivity": "2",
            "runway:edgeRateLimit": "90",
            "runway:edgeDenyCountries": JSON.stringify(["KP"]),
            "runway:edgeDenyCidrs": JSON.stringify(["203.0.113.0/24"]),
            "runway:edgePreview": "true",
            "runway:edgeLogSampleRate": "1",
            "runway:dnsZone": "example-com",
        });
        const all = document.resources;
        const rules = one(all, T.armor).inputs.rules;
        expect(rules.map((r: any) => r.match.expr?.expression ?? r.match.config.srcIpRanges.join(","))).to.deep.equal([
            "203.0.113.0/24",
            "origin.region_code == 'KP'",
            "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 2})",
            "evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 2})",
            "*",
            "*",
        ]);
        expect(rules.map((r: any) => r.preview ?? false)).to.deep.equal([true, true, true, true, true, false]);
        expect(rules[4].rateLimitOptions.rateLimitThreshold.count).to.equal(90);
        expect(one(all, T.backend).inputs.logConfig.sampleRate).to.equal(1);
        const record = one(all, T.record);
        expect(record.inputs).to.deep.include({ managedZone: "example-com", name: "app.example.com.", type: "A", ttl: 300 });
        expect(source(all, record, "rrdatas").map((r) => r.name)).to.deep.equal(["edge-ip"]);
        expect(ofType(all, "gcp:projects/service:Service").map((r) => r.inputs.service)).to.include("dns.googleapis.com");
    });

    it("staging with the edge: IAP moves to the load balancer's backend, the service keeps only the IAP agent as invoker", async () => {
        const { document } = await planStack("staging", { "runway:edge": "true", "runway:domain": "staging.example.com" });
        const all = document.resources;
        const svc = one(all, T.run);
        expect([svc.inputs.iapEnabled, svc.inputs.ingress]).to.deep.equal([false, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"]);
        expect(one(all, T.backend).inputs.iap).to.deep.equal({ enabled: true });
        // The members, and the deployer, whose smoke test calls the edge with a JWT after the traffic shift.
        const members = ofType(all, "gcp:iap/webBackendServiceIamMember:WebBackendServiceIamMember").map((r) => String(r.inputs.member));
        expect(members.sort()).to.deep.equal([
            "group:team@example.com",
            "serviceAccount:app-staging-deploy@runway-staging-example.iam.gserviceaccount.com",
        ]);
        expect(ofType(all, "gcp:iap/webCloudRunServiceIamMember:WebCloudRunServiceIamMember")).to.have.length(0);
        expect(all.filter((r) => r.inputs.role === "roles/run.invoker").map((r) => r.name)).to.deep.equal(["app-iap-invoker"]);
        expect(all.some((r) => r.inputs.member === "allUsers")).to.equal(false);
    });

    it("solo with a domain: a Cloud Run domain mapping (no load balancer) and, with a zone, its CNAME", async () => {
        const { document } = await planStack("solo", { "runway:domain": "dev.example.com", "runway:dnsZone": "example-com" });
        const all = document.resources;
        const mapping = one(all, T.mapping);
        expect(mapping.inputs).to.deep.include({
            name: "dev.example.com",
            location: "us-central1",
            metadata: { namespace: "runway-solo-example" },
            spec: { routeName: "app-solo" },
        });
        expect(one(all, T.record).inputs).to.deep.include({ type: "CNAME", name: "dev.example.com.", rrdatas: ["ghs.googlehosted.com."] });
        expect(ofType(all, T.rule)).to.have.length(0);
        expect(one(all, T.run).inputs.ingress).to.equal("INGRESS_TRAFFIC_ALL");
        expect(document.cost.usageMonthly).to.equal((await planStack("solo")).document.cost.usageMonthly);
    });

    it("production without the edge is reported by production-behind-edge (advisory)", async () => {
        const { document } = await planStack("production", { "runway:edge": "false", "runway:domain": "" });
        expect(ofType(document.resources, T.rule)).to.have.length(0);
        expect(document.policies.filter((p) => p.policy === "production-behind-edge").map((p) => p.level)).to.deep.equal(["advisory"]);
    });
});

describe("policy production-behind-edge", () => {
    const service = (ingress?: string, invokerIamDisabled?: boolean) => ({
        type: "gcp:cloudrunv2/service:Service",
        name: "app-service",
        props: { name: "app", ...(ingress ? { ingress } : {}), ...(invokerIamDisabled === undefined ? {} : { invokerIamDisabled }) },
    });
    const invoker = (member: string) => ({
        type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
        name: "invoker",
        props: { name: "app", role: "roles/run.invoker", member },
    });

    it("reports a public production service whose run.app URL admits all traffic; mandatory when configured", async () => {
        const report = await checkPolicy(productionBehindEdge, [service(), invoker("allUsers")], { stack: "production" });
        expect(report.violations.map((v) => v.level)).to.deep.equal(["advisory"]);
        expect(report.violations[0].message).to.match(/public with ingress INGRESS_TRAFFIC_ALL/);
        const strict = await checkPolicy(productionBehindEdge, [service("INGRESS_TRAFFIC_ALL"), invoker("allAuthenticatedUsers")], {
            stack: "prod-eu",
            config: { enforcementLevel: "mandatory" },
        });
        expect(strict.violations.map((v) => v.level)).to.deep.equal(["mandatory"]);
        // Public through the invoker check turned off, no grant at all: the same finding.
        const noCheck = await checkPolicy(productionBehindEdge, [service(undefined, true)], { stack: "production" });
        expect(noCheck.violations.map((v) => v.level)).to.deep.equal(["advisory"]);
        expect((await checkPolicy(productionBehindEdge, [service(undefined, false)], { stack: "production" })).violations).to.deep.equal(
            [],
        );
        expect(
            (await checkPolicy(productionBehindEdge, [service("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", true)], { stack: "production" }))
                .violations,
        ).to.deep.equal([]);
    });

    it("passes behind the load balancer, without anonymous invokers, and outside production", async () => {
        for (const [resources, stack] of [
            [[service("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"), invoker("allUsers")], "production"],
            [[service(), invoker("group:team@example.com")], "production"],
            [[service(), invoker("allUsers")], "staging"],
        ] as const) {
            expect((await checkPolicy(productionBehindEdge, [...resources], { stack })).violations, stack).to.deep.equal([]);
        }
    });
});
