import { expect } from "chai";
import * as path from "path";
import { ResourceRecord, mandatoryViolations } from "../plan";
import { kubernetesPodSecurity, nonRootImages } from "../policy/policies";
import { podSecurityProblems } from "../policy/lib/podSecurity";
import { EKS_NODE_PORT, eksClusterPlan, eksFitProblems, podsThatFit } from "../rules/aws/eks";
import { baselineReplicas, podRequests } from "../rules/cost/kubernetes";
import { AUTOPILOT_CONFLICTS, gkeClusterPlan, kubernetesServiceAccountMember, maintenanceHoursPer32Days } from "../rules/gcp/cluster";
import {
    CONTAINER_NAME,
    containerResources,
    disruptionBudgetSpec,
    mebibytes,
    millicores,
    networkPolicies,
    replicas,
    WorkloadInput,
    workloadProblems,
} from "../rules/kubernetes/workload";
import { TIER_PROFILES } from "../rules/profile";
import { resolveStack } from "../stacks/config";
import { parse } from "yaml";
import { execKubeconfig } from "../rules/kubernetes/kubeconfig";
import { kubernetesCheck } from "../rules/kubernetes/delivery";
import { parseCall, rbacRules, rulesAllow, rulesOnlyRead } from "../rules/kubernetes/rbac";
import { kubernetesJobCalls, stepCalls } from "../rules/trust/calls";
import { kubernetesReads } from "../rules/trust/reads";
import { checkPolicy, FakeResource, messages } from "./helpers/policyRun";
import { ROOT, cachedPlan, cli, planStack } from "./helpers/plans";
import { rawConfig } from "./helpers/raw";
import { AWS, KUBERNETES, MANAGED_DATA } from "./helpers/trust";
import { managedDataPorts } from "../rules/kubernetes/data";
import { kubernetesWiringProblems } from "../rules/kubernetes/wiring";
import { KUBERNETES_INPUT_RULES, kubernetesInputProblems } from "../rules/kubernetes/inputs";
import { inputRuleProblems } from "../rules/kubernetes/inputRules";
import { EKS_VERSIONS, isGraviton } from "../rules/aws/eksInputs";

const KUBE = { "runway:runtime": "kubernetes" };
const AWS_KUBE = { ...KUBE, "runway:cloud": "aws", "aws:region": "us-east-1" };
const FIXTURE = path.join(ROOT, "tests", "fixtures", "kubernetes-project");

const ofType = (resources: ResourceRecord[], type: string): any[] => resources.filter((r) => r.type === type);
const only = (resources: ResourceRecord[], type: string, name?: string): any => {
    const found = ofType(resources, type).filter((r) => name === undefined || r.name === name);
    expect(found, type).to.have.length(1);
    return found[0];
};
/** GKE production with Cloud SQL and Memorystore; EKS production with RDS and ElastiCache (shared with the trust simulator's plan). */
const GKE_DATA = { ...KUBE, ...MANAGED_DATA };
const EKS_DATA = { ...AWS, ...KUBERNETES, ...MANAGED_DATA };

const INPUT: WorkloadInput = {
    host: "gke",
    name: "app",
    port: 8080,
    healthPath: "/healthz",
    cpu: "1",
    memory: "512Mi",
    minReplicas: 1,
    maxReplicas: 10,
    loadBalancerCidrs: ["35.191.0.0/16"],
    dataPorts: [],
};

describe("kubernetes rules (pure)", () => {
    it("reads Kubernetes CPU and memory quantities", () => {
        expect([millicores("1"), millicores("500m"), millicores("0.25"), millicores("x")]).to.deep.equal([1000, 500, 250, NaN]);
        expect([mebibytes("512Mi"), mebibytes("1Gi"), mebibytes("1G")]).to.deep.equal([512, 1024, 1e9 / 2 ** 20]);
        expect(mebibytes("lots")).to.be.NaN;
    });

    it("asks Autopilot for what it would bill (ratio 1:1 to 1:6.5, minimum 250m / 512Mi); EKS keeps the tier's shape", () => {
        // 1 vCPU with 512 MiB is below 1 GiB per vCPU: Autopilot raises memory to 1 GiB.
        expect(containerResources("gke", "1", "512Mi").requests).to.deep.equal({ cpu: "1000m", memory: "1024Mi" });
        // 250m with 4 GiB is above 6.5 GiB per vCPU: CPU rises to 4/6.5 vCPU.
        expect(containerResources("gke", "250m", "4Gi").requests).to.deep.equal({ cpu: "616m", memory: "4096Mi" });
        expect(containerResources("gke", "100m", "128Mi").requests).to.deep.equal({ cpu: "250m", memory: "512Mi" });
        expect(containerResources("eks", "1", "512Mi").requests).to.deep.equal({ cpu: "1000m", memory: "512Mi" });
        const r = containerResources("eks", "2", "1Gi");
        expect(r.limits).to.deep.equal(r.requests);
    });

    it("keeps one pod at least, two in production, and never a minimum above the maximum", () => {
        expect(replicas(0, 25, 1)).to.deep.equal({ min: 1, max: 25 });
        expect(replicas(1, 100, 2)).to.deep.equal({ min: 2, max: 100 });
        expect(replicas(3, 2, 1)).to.deep.equal({ min: 3, max: 3 });
    });

    it("lets a drain evict one pod at a time and never blocks it", () => {
        expect(disruptionBudgetSpec({ a: "b" })).to.deep.equal({
            maxUnavailable: 1,
            selector: { matchLabels: { a: "b" } },
            unhealthyPodEvictionPolicy: "AlwaysAllow",
        });
    });

    it("denies everything by default and allows only the load balancer in, DNS, identity, HTTPS and data out", () => {
        const gke = networkPolicies(INPUT, { app: "x" });
        expect(gke["default-deny"]).to.deep.equal({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        expect(gke["allow-load-balancer"].ingress).to.deep.equal([
            { from: [{ ipBlock: { cidr: "35.191.0.0/16" } }], ports: [{ protocol: "TCP", port: 8080 }] },
        ]);
        const egress = JSON.stringify(gke["allow-egress"].egress);
        expect(egress).to.include('"port":53').and.include("169.254.169.254/32").and.not.include("169.254.170.23");
        expect(egress).to.not.include("5432");
        const eks = JSON.stringify(networkPolicies({ ...INPUT, host: "eks", dataPorts: [5432] }, { app: "x" })["allow-egress"].egress);
        expect(eks).to.include("169.254.170.23/32").and.include('"port":5432').and.not.include("169.254.169.254");
    });

    it("names the key, value and what is allowed for a bad workload input", () => {
        expect(workloadProblems(INPUT)).to.deep.equal([]);
        const problems = workloadProblems({ ...INPUT, name: "App_1", cpu: "one", memory: "big", healthPath: "healthz" });
        expect(problems.map((p) => p.key)).to.deep.equal(["runway:serviceName", "runway:cpu", "runway:memory", "runway:healthPath"]);
    });

    it("GKE refuses a runway:domain its managed certificate cannot hold (over 63 characters, a wildcard); EKS's ACM certificate takes it", () => {
        const long = `${"a".repeat(60)}.example.com`;
        for (const domain of [long, "*.example.com"])
            expect(workloadProblems({ ...INPUT, domain })).to.deep.equal([
                {
                    key: "runway:domain",
                    value: domain,
                    allowed: "on GKE a hostname of at most 63 characters without a wildcard (a Google-managed certificate's limit)",
                },
            ]);
        expect(workloadProblems({ ...INPUT, domain: "app.example.com" })).to.deep.equal([]);
        expect(workloadProblems({ ...INPUT, host: "eks", domain: long })).to.deep.equal([]);
    });

    it("GKE: STABLE channel and private nodes in production, a maintenance window GKE accepts, the Workload Identity member", () => {
        expect(gkeClusterPlan(TIER_PROFILES.production.kubernetes)).to.include({ releaseChannel: "STABLE", privateNodes: true });
        expect(gkeClusterPlan(TIER_PROFILES.solo.kubernetes)).to.include({ releaseChannel: "REGULAR", privateNodes: false });
        // GKE refuses windows open fewer than 48 hours in 32 days.
        expect(maintenanceHoursPer32Days(gkeClusterPlan(TIER_PROFILES.production.kubernetes).maintenance)).to.be.at.least(48);
        expect(kubernetesServiceAccountMember("p", "ns", "ksa")).to.equal("serviceAccount:p.svc.id.goog[ns/ksa]");
    });

    it("EKS: the HPA ceiling is what fits on the fixed node group", () => {
        const plan = eksClusterPlan(TIER_PROFILES.production.kubernetes, 90);
        // m6i.xlarge: 4 vCPU, 16 GiB; 500m and 1 GiB kept for the system per node → three 1-vCPU pods per node.
        expect(podsThatFit(plan, 1000, 512)).to.equal(9);
        expect(podsThatFit(plan, 250, 4096)).to.equal(9);
        expect(eksFitProblems(plan, 4000, 512, 1).map((p) => p.key)).to.deep.equal(["runway:cpu"]);
        expect(eksFitProblems(plan, 500, 20000, 1).map((p) => p.key)).to.deep.equal(["runway:memory"]);
        expect(eksFitProblems(plan, 3500, 512, 4)[0].allowed).to.match(/3 fit/);
        expect(eksFitProblems(plan, 1000, 512, 2)).to.deep.equal([]);
        expect(podsThatFit(eksClusterPlan(TIER_PROFILES.solo.kubernetes, 7), 4000, 512)).to.equal(0);
    });

    it("a kubeconfig holds no credential: its user runs the cloud's exec plugin", () => {
        const text = execKubeconfig({
            name: "c",
            server: "https://1.2.3.4",
            caData: "Q0E=",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", "c"],
        });
        const doc = parse(text);
        expect(doc.clusters[0].cluster).to.deep.equal({ server: "https://1.2.3.4", "certificate-authority-data": "Q0E=" });
        expect(doc.users[0].user).to.deep.equal({
            exec: {
                apiVersion: "client.authentication.k8s.io/v1beta1",
                command: "aws",
                args: ["eks", "get-token", "--cluster-name", "c"],
                interactiveMode: "Never",
            },
        });
        expect(
            parse(
                execKubeconfig({
                    name: "g",
                    server: "https://x",
                    caData: "Q0E=",
                    command: "gke-gcloud-auth-plugin",
                    provideClusterInfo: true,
                }),
            ).users[0].user.exec.provideClusterInfo,
        ).to.equal(true);
    });

    it("prices Autopilot pods from their requests at the HPA's minimum", () => {
        expect(podRequests({ containers: [{ resources: { requests: { cpu: "500m", memory: "1Gi" } } }, {}] })).to.deep.equal({
            cpu: 1,
            gib: 3,
        });
        const deployment = {
            urn: "d",
            type: "kubernetes:apps/v1:Deployment",
            props: { metadata: { name: "a", namespace: "n" }, spec: { replicas: 5 } },
        };
        const hpa = {
            urn: "h",
            type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
            props: { metadata: { namespace: "n" }, spec: { minReplicas: 2, scaleTargetRef: { name: "a" } } },
        };
        expect(baselineReplicas(deployment as any, [deployment as any])).to.equal(5);
        expect(baselineReplicas(deployment as any, [deployment as any, hpa as any])).to.equal(2);
    });

    it("accepts managed data on the Kubernetes runtime, on AWS solo too, and none of Lambda's limits there (EKS nodes run in a VPC)", () => {
        expect(resolveStack(rawConfig({ ...KUBE, ...MANAGED_DATA })).database).to.equal("managed");
        // An image Lambda could not run (not in ECR): fine on EKS nodes.
        const awsSolo = {
            "runway:cloud": "aws",
            "aws:region": "us-east-1",
            "runway:cache": "managed",
            "runway:image": "ghcr.io/acme/app:1",
        };
        expect(resolveStack(rawConfig({ ...awsSolo, ...KUBE })).cache).to.equal("managed");
        // Sized like any Kubernetes stack: a warm pod and a CPU request Lambda has no knob for.
        const warm = { ...awsSolo, ...KUBE, "runway:minInstances": "1", "runway:cpu": "0.3", "runway:domain": "app.example.com" };
        expect(resolveStack(rawConfig(warm)).settings.minInstances).to.equal(1);
        const refusal = (raw: Record<string, string>) => {
            try {
                resolveStack(rawConfig(raw));
                return "accepted";
            } catch (e) {
                return (e as Error).message;
            }
        };
        expect(refusal({ ...warm, "runway:runtime": "serverless" }))
            .to.match(/runway:minInstances = 1: unset on AWS solo \(Lambda\)/)
            .and.match(/runway:cpu = "?0\.3"?: unset on AWS solo \(Lambda\)/);
        expect(refusal(awsSolo))
            .to.match(/runway:cache = "managed": unset on AWS solo \(Lambda\): Lambda runs without a VPC/)
            .and.match(/runway:image = "ghcr.io\/acme\/app:1": an image in a private ECR repository/);
    });

    it("opens the managed data's ports to private addresses only: Postgres 5432, Memorystore's TLS port 6378, ElastiCache 6379", () => {
        expect(managedDataPorts("gcp", { database: true, cache: true })).to.deep.equal([5432, 6378]);
        expect(managedDataPorts("aws", { database: false, cache: true })).to.deep.equal([6379]);
        expect(managedDataPorts("aws", { database: false, cache: false })).to.deep.equal([]);
        const egress = networkPolicies({ ...INPUT, dataPorts: [5432, 6378] }, { app: "a" })["allow-egress"].egress!;
        expect(egress.at(-1)).to.deep.equal({
            to: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((cidr) => ({ ipBlock: { cidr } })),
            ports: [
                { protocol: "TCP", port: 5432 },
                { protocol: "TCP", port: 6378 },
            ],
        });
    });

    it("names the runtime key for an unknown runtime", () => {
        expect(() => resolveStack(rawConfig({ "runway:runtime": "containers" }))).to.throw(
            /runway:runtime = "containers": one of serverless, kubernetes/,
        );
        expect(resolveStack(rawConfig(KUBE)).runtime).to.equal("kubernetes");
        expect(resolveStack(rawConfig({})).runtime).to.equal("serverless");
    });
});

describe("kubernetes wiring: what the API server refuses or what selects nothing (deployability check kubernetes-wiring)", () => {
    const k = (type: string, name: string | undefined, spec: object, namespace = "web") => ({
        urn: `urn:${type}::${name}`,
        type,
        inputs: { metadata: { ...(name === undefined ? {} : { name }), namespace }, spec },
    });
    const template = (app: string, ports: object[] = []) => ({
        metadata: { labels: { app } },
        spec: { containers: [{ name: "c", image: "i", ports }] },
    });
    const deployment = (app = "web", name = "web") =>
        k("kubernetes:apps/v1:Deployment", name, {
            selector: { matchLabels: { app: "web" } },
            template: template(app, [{ name: "http", containerPort: 8080 }]),
        });
    const messages = (objects: any[]) => kubernetesWiringProblems(objects).map((p) => `${p.level}: ${p.message}`);

    it("a selector the pod template does not carry is refused (mandatory); matching labels pass", () => {
        expect(messages([deployment("api")])).to.deep.equal([
            "mandatory: Deployment selector app=web is not among its pod template's labels: the API server refuses it (spec.selector must match spec.template.metadata.labels)",
        ]);
        expect(messages([deployment()])).to.deep.equal([]);
    });

    it("names must be DNS names: a Service an RFC 1035 label, a Namespace an RFC 1123 label; unknown names are not judged", () => {
        expect(messages([k("kubernetes:core/v1:Service", "1web", {}), k("kubernetes:core/v1:Namespace", "Web", {})])).to.deep.equal([
            "mandatory: Service name \"1web\" is not an RFC 1035 label (starting with a letter): at most 63 lowercase letters, digits and '-'; the API server refuses it",
            "mandatory: Namespace name \"Web\" is not an RFC 1123 label: at most 63 lowercase letters, digits and '-'; the API server refuses it",
        ]);
        expect(
            messages([
                deployment("web", "1web.v2"),
                k("kubernetes:core/v1:Service", "[unknown]", {}),
                k("kubernetes:core/v1:Service", undefined, {}),
            ]),
        ).to.deep.equal([]);
    });

    it("an HPA: at least 1 replica, a maximum not below the minimum, aimed at a planned workload", () => {
        const hpa = (spec: object) => k("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "web", spec);
        const target = { apiVersion: "apps/v1", kind: "Deployment", name: "web" };
        expect(messages([deployment(), hpa({ minReplicas: 0, maxReplicas: 3, scaleTargetRef: target })])).to.deep.equal([
            "mandatory: minReplicas 0: at least 1 (0 needs the alpha HPAScaleToZero gate)",
        ]);
        expect(messages([deployment(), hpa({ minReplicas: 4, maxReplicas: 3, scaleTargetRef: target })])).to.deep.equal([
            "mandatory: maxReplicas 3 is below minReplicas 4: the API server refuses it",
        ]);
        expect(messages([deployment(), hpa({ minReplicas: 1, maxReplicas: 3, scaleTargetRef: { ...target, name: "api" } })])).to.deep.equal(
            [
                'advisory: scales Deployment "api", which this program does not plan in namespace web (it plans web): the autoscaler finds nothing to scale',
            ],
        );
        expect(messages([deployment(), hpa({ minReplicas: 1, maxReplicas: 3, scaleTargetRef: target })])).to.deep.equal([]);
    });

    it("a Service, PDB or NetworkPolicy selecting no planned pod is advisory; empty selectors and namespaces without planned pods are not judged", () => {
        const pdb = (app: string, namespace = "web") =>
            k("kubernetes:policy/v1:PodDisruptionBudget", "b", { selector: { matchLabels: { app } } }, namespace);
        const netpol = (podSelector: object) => k("kubernetes:networking.k8s.io/v1:NetworkPolicy", "n", { podSelector });
        expect(messages([deployment(), pdb("api"), netpol({ matchLabels: { app: "api" } })])).to.deep.equal([
            "advisory: PodDisruptionBudget selects app=api, which no pod this program plans in namespace web carries: it applies to nothing",
            "advisory: NetworkPolicy selects app=api, which no pod this program plans in namespace web carries: it applies to nothing",
        ]);
        expect(messages([deployment(), pdb("web"), netpol({}), pdb("api", "other")])).to.deep.equal([]);
    });

    it("a Service's named targetPort must be a port name of the pods it selects", () => {
        const service = (targetPort: string | number) =>
            k("kubernetes:core/v1:Service", "web", { selector: { app: "web" }, ports: [{ port: 80, targetPort }] });
        expect(messages([deployment(), service("web-http")])).to.deep.equal([
            'advisory: Service targetPort "web-http" names no container port of the pods it selects (app=web): its traffic goes nowhere',
        ]);
        expect(messages([deployment(), service("http"), service(8080)])).to.deep.equal([]);
    });

    it("through the plan: a program whose Deployment selector misses its template gets a mandatory finding; its look-alike none", async function () {
        this.timeout(60000);
        const wiring = (d: { deployability: { policy: string; level: string }[] }) =>
            d.deployability
                .filter((f) => f.policy === "kubernetes-wiring")
                .map((f) => f.level)
                .sort();
        const bad = await cachedPlan({ cwd: FIXTURE, stack: "dev", config: { user: "10001", templateApp: "api" } });
        expect(wiring(bad.document), "the selector (refused) and the Service that selects nothing").to.deep.equal([
            "advisory",
            "mandatory",
        ]);
        const compliant = await cachedPlan({ cwd: FIXTURE, stack: "dev", config: { user: "10001" } });
        expect(wiring(compliant.document)).to.deep.equal([]);
        for (const config of [GKE_DATA, EKS_DATA]) expect(wiring((await planStack("production", config)).document)).to.deep.equal([]);
    });
});

describe("kubernetes policies", () => {
    const deployment = (spec: object): FakeResource => ({
        type: "kubernetes:apps/v1:Deployment",
        name: "web",
        props: { spec: { template: { spec } } },
    });
    const trusted = { config: { trustedImages: ["ghcr.io/acme/*"] } };
    const container = (securityContext: object = {}) => ({ name: "web", image: "ghcr.io/acme/web:1", securityContext });

    it("non-root-images: uid 0 on the container beats runAsNonRoot on the pod; a non-zero uid passes", async () => {
        const root = deployment({ securityContext: { runAsNonRoot: true }, containers: [container({ runAsUser: 0 })] });
        expect(messages(await checkPolicy(nonRootImages, [root], trusted))).to.deep.equal([
            '[mandatory] kubernetes:apps/v1:Deployment "web": container "web" runs as uid 0 (root): set runAsUser to a non-zero uid such as 10001',
        ]);
        const fine = deployment({ securityContext: { runAsNonRoot: true }, containers: [container({ runAsUser: 10001 })] });
        expect(messages(await checkPolicy(nonRootImages, [fine], trusted))).to.deep.equal([]);
    });

    it("kubernetes-pod-security: privileged, host namespaces, host paths, host ports and extra capabilities fail; restricted passes", async () => {
        expect(
            podSecurityProblems({
                hostNetwork: true,
                hostPID: true,
                volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }],
                containers: [
                    {
                        name: "c",
                        securityContext: { privileged: true, capabilities: { add: ["NET_BIND_SERVICE", "SYS_ADMIN"] } },
                        ports: [{ hostPort: 80 }],
                    },
                ],
            }),
        ).to.deep.equal([
            "hostNetwork: true shares the node's Network namespace",
            "hostPID: true shares the node's PID namespace",
            'volume "docker" mounts the node\'s /var/run/docker.sock (hostPath)',
            'container "c" is privileged (securityContext.privileged: true)',
            'container "c" adds capabilities SYS_ADMIN',
            'container "c" binds host port 80',
        ]);
        const job: FakeResource = {
            type: "kubernetes:batch/v1:CronJob",
            name: "nightly",
            props: { spec: { jobTemplate: { spec: { template: { spec: { hostIPC: true, containers: [container()] } } } } } },
        };
        expect(messages(await checkPolicy(kubernetesPodSecurity, [job]))).to.deep.equal([
            '[mandatory] kubernetes:batch/v1:CronJob "nightly": hostIPC: true shares the node\'s IPC namespace.',
        ]);
        const restricted = deployment({ containers: [container({ privileged: false, capabilities: { drop: ["ALL"] } })] });
        expect(messages(await checkPolicy(kubernetesPodSecurity, [restricted]))).to.deep.equal([]);
    });

    it("a Deployment running as uid 0 fails non-root-images through the plan, on a cluster whose endpoint is unknown", async function () {
        this.timeout(60000);
        const { document } = await cachedPlan({ cwd: FIXTURE, stack: "dev" });
        expect(document.outputs.endpoint, "the cluster endpoint is unknown during the plan").to.equal("[unknown]");
        expect(document.resources.map((r) => r.type)).to.include("kubernetes:apps/v1:Deployment");
        const rootUser = document.policies.filter((v) => v.policy === "non-root-images" && /uid 0/.test(v.message));
        expect(rootUser.map((v) => v.level)).to.deep.equal(["mandatory"]);
        const compliant = await cachedPlan({ cwd: FIXTURE, stack: "dev", config: { user: "10001" } });
        expect(compliant.document.policies.filter((v) => /uid 0|may run as root/.test(v.message))).to.deep.equal([]);
    });
});

describe("kubernetes runtime: whole stacks through the offline plan", function () {
    this.timeout(120000);

    it("GCP production: an Autopilot cluster with release channel, private nodes, Workload Identity, Dataplane V2 and a maintenance window", async () => {
        const { document } = await planStack("production", KUBE);
        const cluster = only(document.resources, "gcp:container/cluster:Cluster").inputs;
        expect(cluster).to.deep.include({
            enableAutopilot: true,
            location: "us-central1",
            releaseChannel: { channel: "STABLE" },
            datapathProvider: "ADVANCED_DATAPATH",
            secretManagerConfig: { enabled: true },
            deletionProtection: true,
        });
        expect(cluster.privateClusterConfig).to.deep.include({ enablePrivateNodes: true, enablePrivateEndpoint: false });
        expect(cluster.workloadIdentityConfig).to.deep.equal({ workloadPool: "runway-production-example.svc.id.goog" });
        expect(cluster.maintenancePolicy.recurringWindow.recurrence).to.equal("FREQ=WEEKLY;BYDAY=SA,SU");
        expect(cluster.ipAllocationPolicy).to.deep.equal({ clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" });
        // Private nodes egress through Cloud NAT.
        expect(ofType(document.resources, "gcp:compute/routerNat:RouterNat")).to.have.length(1);
        // Nodes pull images as their own account with the minimal node role.
        const nodeRole = ofType(document.resources, "gcp:projects/iAMMember:IAMMember").find((r) => r.name === "cluster-nodes-role");
        expect(nodeRole.inputs.role).to.equal("roles/container.defaultNodeServiceAccount");
        expect(cluster.clusterAutoscaling.autoProvisioningDefaults.serviceAccount).to.match(/^app-production-nodes@/);
        // Nothing the provider refuses on an Autopilot cluster.
        const at = (path: string) => path.split(".").reduce((v: any, k) => v?.[k], cluster);
        expect(AUTOPILOT_CONFLICTS.filter((path) => at(path) !== undefined)).to.deep.equal([]);
    });

    it("GCP production: a non-root Deployment with probes, an HPA, a PDB, default-deny network policies and a Workload Identity binding", async () => {
        const { document } = await planStack("production", KUBE);
        const deployment = only(document.resources, "kubernetes:apps/v1:Deployment").inputs;
        const pod = deployment.spec.template.spec;
        expect(pod.securityContext).to.deep.include({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } });
        expect(pod.containers[0].securityContext).to.deep.equal({
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
        });
        expect(pod.containers[0].readinessProbe.httpGet).to.deep.equal({ path: "/health", port: 8080 });
        expect(pod.containers[0].livenessProbe.httpGet).to.deep.equal({ path: "/health", port: 8080 });
        // Production's tier: 2 vCPU, 1 GiB → Autopilot's 1 GiB per vCPU floor makes it 2 GiB.
        expect(pod.containers[0].resources.requests).to.deep.equal({ cpu: "2000m", memory: "2048Mi" });
        expect(pod.automountServiceAccountToken).to.equal(false);
        const hpa = only(document.resources, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs;
        expect(hpa.spec).to.deep.include({ minReplicas: 2, maxReplicas: 100 });
        expect(only(document.resources, "kubernetes:policy/v1:PodDisruptionBudget").inputs.spec.maxUnavailable).to.equal(1);
        const policies = ofType(document.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => r.name);
        expect(policies).to.have.members(["app-default-deny", "app-allow-load-balancer", "app-allow-egress"]);
        const binding = ofType(document.resources, "gcp:serviceaccount/iAMMember:IAMMember").find(
            (r) => r.name === "workload-identity-workload-identity-user",
        );
        expect(binding.inputs).to.deep.include({
            role: "roles/iam.workloadIdentityUser",
            member: "serviceAccount:runway-production-example.svc.id.goog[app/app]",
        });
        const ksa = only(document.resources, "kubernetes:core/v1:ServiceAccount").inputs;
        expect(ksa.metadata.annotations["iam.gke.io/gcp-service-account"]).to.equal(
            "app-production-pods@runway-production-example.iam.gserviceaccount.com",
        );
        const namespace = only(document.resources, "kubernetes:core/v1:Namespace").inputs;
        expect(namespace.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
        // runway:domain → a Google-managed certificate on the Ingress, HTTP off.
        const ingress = only(document.resources, "kubernetes:networking.k8s.io/v1:Ingress").inputs;
        expect(ingress.metadata.annotations).to.deep.include({
            "networking.gke.io/managed-certificates": "app-certificate",
            "kubernetes.io/ingress.allow-http": "false",
        });
        expect(only(document.resources, "kubernetes:networking.gke.io/v1:ManagedCertificate").inputs.spec.domains).to.deep.equal([
            "app.example.com",
        ]);
        // No Kubernetes Secret holds a value: secrets are mounted by the CSI driver.
        expect(ofType(document.resources, "kubernetes:core/v1:Secret")).to.deep.equal([]);
    });

    it("GCP production: exit 0 (no mandatory violation or finding), every resource priced", async () => {
        const { document } = await planStack("production", KUBE);
        expect(mandatoryViolations(document)).to.deep.equal([]);
        expect(document.deployability.filter((f) => f.level === "mandatory")).to.deep.equal([]);
        expect(document.cost.unpriced).to.deep.equal([]);
        const lines = document.cost.lines.map((l) => l.dimension);
        expect(lines).to.include("cluster management fee");
        expect(lines.some((d) => /Pod\(s\) × 2 vCPU requested \(Autopilot\)/.test(d))).to.equal(true);
    });

    it("AWS production: an EKS cluster with API access entries, control-plane logs, standard support and pinned add-ons", async () => {
        const { document } = await planStack("production", AWS_KUBE);
        const cluster = only(document.resources, "aws:eks/cluster:Cluster").inputs;
        expect(cluster).to.deep.include({
            name: "app-production",
            version: "1.35",
            bootstrapSelfManagedAddons: false,
            upgradePolicy: { supportType: "STANDARD" },
            deletionProtection: true,
        });
        expect(cluster.accessConfig).to.deep.equal({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
        expect(cluster.enabledClusterLogTypes).to.deep.equal(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        expect(cluster.vpcConfig).to.deep.include({ endpointPrivateAccess: true });
        const logs = ofType(document.resources, "aws:cloudwatch/logGroup:LogGroup").find((r) => r.name === "cluster-control-plane-logs");
        expect(logs.inputs).to.deep.include({ name: "/aws/eks/app-production/cluster", retentionInDays: 90 });
        const addons = ofType(document.resources, "aws:eks/addon:Addon");
        expect(addons.map((a) => a.inputs.addonName)).to.have.members([
            "vpc-cni",
            "kube-proxy",
            "coredns",
            "eks-pod-identity-agent",
            "aws-secrets-store-csi-driver-provider",
        ]);
        expect(JSON.parse(addons.find((a) => a.inputs.addonName === "vpc-cni").inputs.configurationValues)).to.deep.equal({
            enableNetworkPolicy: "true",
        });
        const nodes = only(document.resources, "aws:eks/nodeGroup:NodeGroup").inputs;
        expect(nodes.instanceTypes).to.deep.equal(["m6i.xlarge"]);
        expect(nodes.scalingConfig).to.deep.equal({ minSize: 3, desiredSize: 3, maxSize: 3 });
    });

    it("AWS production: the EKS load balancer serves runway:domain over HTTPS (ACM certificate) and HTTP only redirects", async () => {
        const { document } = await planStack("production", AWS_KUBE);
        const listeners = ofType(document.resources, "aws:lb/listener:Listener");
        expect(listeners.map((l) => `${l.name} ${l.inputs.port} ${l.inputs.protocol}`).sort()).to.deep.equal([
            "cluster-http 80 HTTP",
            "cluster-https 443 HTTPS",
        ]);
        const https = listeners.find((l) => l.inputs.protocol === "HTTPS");
        expect(https.inputs.sslPolicy).to.match(/^ELBSecurityPolicy-TLS13-1-2-/);
        expect(listeners.find((l) => l.inputs.protocol === "HTTP").inputs.defaultActions).to.deep.equal([
            { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
        ]);
        expect(only(document.resources, "aws:acm/certificate:Certificate").inputs).to.deep.include({
            domainName: "app.example.com",
            validationMethod: "DNS",
        });
        expect(document.outputs.serviceUrl).to.equal("https://app.example.com");
    });

    it("AWS production: a Pod Identity association for the namespace's service account, trusted by pods.eks.amazonaws.com only", async () => {
        const { document } = await planStack("production", AWS_KUBE);
        const association = only(document.resources, "aws:eks/podIdentityAssociation:PodIdentityAssociation").inputs;
        expect(association).to.deep.include({ namespace: "app", serviceAccount: "app", clusterName: "app-production" });
        const role = ofType(document.resources, "aws:iam/role:Role").find((r) => r.name === "pod-identity-role");
        expect(JSON.parse(role.inputs.assumeRolePolicy).Statement).to.deep.equal([
            { Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] },
        ]);
        const service = only(document.resources, "kubernetes:core/v1:Service").inputs;
        expect(service.spec).to.deep.include({ type: "NodePort" });
        expect(service.spec.ports[0].nodePort).to.equal(EKS_NODE_PORT);
        const hpa = only(document.resources, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs;
        // Production's 2-vCPU pods: one per m6i.xlarge node beside the system reserve, three nodes.
        expect(hpa.spec).to.deep.include({ minReplicas: 2, maxReplicas: 3 });
    });

    it("AWS production: exit 0 and every resource priced (cluster fee, nodes, load balancer, NAT)", async () => {
        const { document } = await planStack("production", AWS_KUBE);
        expect(mandatoryViolations(document)).to.deep.equal([]);
        expect(document.cost.unpriced).to.deep.equal([]);
        const priced = new Set(document.cost.lines.map((l) => l.type));
        for (const t of [
            "aws:eks/cluster:Cluster",
            "aws:eks/nodeGroup:NodeGroup",
            "aws:lb/loadBalancer:LoadBalancer",
            "aws:ec2/natGateway:NatGateway",
        ])
            expect(priced.has(t), t).to.equal(true);
    });

    it("AWS: a minimum the node group cannot hold is refused before anything is planned, naming the key", async () => {
        const staging = { ...AWS_KUBE, "runway:allowedCidrs": '["203.0.113.0/24"]', "runway:iapMembers": "[]", "runway:minInstances": "5" };
        const message = await planStack("staging", staging).then(
            () => "planned",
            (e: Error) => e.message,
        );
        expect(message).to.match(/runway:minInstances = 5: at most 2: 2 fit on 2 × t3\.medium/);
    });

    it("GCP managed data: Cloud SQL and Memorystore on the cluster's own network (private services access), URLs mounted as files", async () => {
        const { document } = await planStack("production", GKE_DATA);
        const network = only(document.resources, "gcp:container/cluster:Cluster").inputs.network;
        expect(only(document.resources, "gcp:compute/globalAddress:GlobalAddress").inputs).to.deep.include({
            network,
            purpose: "VPC_PEERING",
            prefixLength: 16,
        });
        const psa = only(document.resources, "gcp:servicenetworking/connection:Connection");
        expect(psa.inputs.network).to.equal(network);
        const sql = only(document.resources, "gcp:sql/databaseInstance:DatabaseInstance");
        expect(sql.inputs.settings.ipConfiguration).to.deep.include({ ipv4Enabled: false, privateNetwork: network });
        const redis = only(document.resources, "gcp:redis/instance:Instance");
        expect(redis.inputs).to.deep.include({
            authorizedNetwork: network,
            connectMode: "PRIVATE_SERVICE_ACCESS",
            transitEncryptionMode: "SERVER_AUTHENTICATION",
        });
        // Created only once the peering exists (Cloud SQL and Memorystore fail without it).
        for (const type of ["runway:gcp:Database", "runway:gcp:Cache"])
            expect(only(document.resources, type).dependencies, type).to.include(psa.urn);
        // The same secrets path as every secret: Secret Manager → CSI file, read through Workload Identity.
        const secretIds = ofType(document.resources, "gcp:secretmanager/secret:Secret").map(
            (r) => `projects/runway-production-example/secrets/${r.inputs.secretId}`,
        );
        const entries = parse(
            only(document.resources, "kubernetes:secrets-store.gke.io/v1:SecretProviderClass").inputs.spec.parameters.secrets,
        );
        expect(entries.map((e: any) => e.path)).to.have.members(["DATABASE_URL", "REDIS_URL", "REDIS_CA_PEM"]);
        for (const e of entries) expect(secretIds.map((id) => `${id}/versions/latest`)).to.include(e.resourceName);
        const reads = ofType(document.resources, "gcp:secretmanager/secretIamMember:SecretIamMember").filter((r) =>
            r.name.startsWith("workload-identity-reads-"),
        );
        expect(reads.map((r) => r.name.replace("workload-identity-reads-", ""))).to.have.members([
            "DATABASE_URL",
            "REDIS_URL",
            "REDIS_CA_PEM",
        ]);
        const egress = only(document.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "app-allow-egress").inputs.spec.egress;
        expect(egress.at(-1).ports).to.deep.equal([
            { protocol: "TCP", port: 5432 },
            { protocol: "TCP", port: 6378 },
        ]);
        expect(ofType(document.resources, "kubernetes:core/v1:Secret")).to.deep.equal([]);
        expect(mandatoryViolations(document)).to.deep.equal([]);
        expect(document.deployability.filter((f) => f.level === "mandatory")).to.deep.equal([]);
        expect(document.cost.unpriced).to.deep.equal([]);
        const priced = new Set(document.cost.lines.map((l) => l.type));
        for (const t of ["gcp:sql/databaseInstance:DatabaseInstance", "gcp:redis/instance:Instance"])
            expect(priced.has(t), t).to.equal(true);
    });

    it("AWS managed data: RDS and ElastiCache in the EKS VPC's private subnets, admitting only the nodes' cluster security group", async () => {
        const { document } = await planStack("production", EKS_DATA);
        const clusterUrn = only(document.resources, "aws:eks/cluster:Cluster").urn;
        const privateSubnets = ofType(document.resources, "aws:ec2/subnet:Subnet")
            .filter((r) => r.name.startsWith("network-private-"))
            .map((r) => `${r.name}-id`);
        expect(only(document.resources, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds).to.have.members(privateSubnets);
        for (const [name, port] of [
            ["database-access", 5432],
            ["cache-access", 6379],
        ] as const) {
            const group = ofType(document.resources, "aws:ec2/securityGroup:SecurityGroup").find((r) => r.name === name);
            expect(group.inputs.ingress, name).to.deep.equal([
                { protocol: "tcp", fromPort: port, toPort: port, securityGroups: ["cluster-cluster-security-group-id"] },
            ]);
            expect(group.propertyDependencies.ingress, name).to.include(clusterUrn);
        }
        const objects = parse(
            only(document.resources, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass").inputs.spec.parameters.objects,
        );
        expect(objects.map((o: any) => o.objectAlias)).to.have.members(["DATABASE_URL", "REDIS_URL"]);
        const podPolicy = JSON.parse(
            ofType(document.resources, "aws:iam/rolePolicy:RolePolicy").find((r) => r.name === "pod-identity-secrets").inputs.policy,
        );
        expect(podPolicy.Statement[0].Resource).to.have.members(objects.map((o: any) => o.objectName));
        const egress = only(document.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "app-allow-egress").inputs.spec.egress;
        expect(egress.at(-1).ports).to.deep.equal([
            { protocol: "TCP", port: 5432 },
            { protocol: "TCP", port: 6379 },
        ]);
        expect(mandatoryViolations(document)).to.deep.equal([]);
        expect(document.cost.unpriced).to.deep.equal([]);
    });

    it("Kubernetes objects appear in the tree, the JSON and the pull-request diagram like any other resource", async () => {
        const args = ["--stack", "production", "--config", "runway:runtime=kubernetes"];
        const tree = await cli(...args);
        expect(tree.code).to.equal(0);
        expect(tree.stdout).to.match(/\+ kubernetes:apps\/v1:Deployment {2}app-deployment/);
        const json = JSON.parse((await cli(...args, "--json")).stdout);
        expect(json.resources.filter((r: ResourceRecord) => r.type.startsWith("kubernetes:")).length).to.be.above(8);
        const markdown = await cli(...args, "--markdown");
        expect(markdown.stdout).to.include("```mermaid").and.include('["NetworkPolicy: app-default-deny"]');
    });

    it("solo says what a cluster costs: the fee in full, GKE's per-billing-account credit as its own line, never $0", async () => {
        const { document } = await planStack("solo", KUBE);
        const fee = document.cost.lines.find((l) => l.dimension === "cluster management fee");
        expect(fee?.monthly).to.equal(73);
        const credit = document.cost.lines.filter((l) => l.type === "gcp:container/cluster:Cluster" && l.urn === "");
        expect(credit.map((l) => [l.dimension.endsWith("/gke.cluster"), l.monthly])).to.deep.equal([[true, -73]]);
        expect(document.cost.idleMonthly).to.be.greaterThan(0);
    });
});

/** The deploy workflow's Deploy job a stack commits, parsed. */
function deployJobOf(resources: ResourceRecord[], tier: string): any {
    const file = resources.find(
        (r) => r.type === "github:index/repositoryFile:RepositoryFile" && r.inputs.file === `.github/workflows/deploy-${tier}.yml`,
    );
    expect(file, `deploy-${tier}.yml`).to.not.equal(undefined);
    return parse(String(file!.inputs.content)).jobs.deploy;
}
const runOf = (job: any) => job.steps.map((s: any) => String(s.run ?? "")).join("\n");

describe("kubernetes delivery (issue #35 item 1): rules", () => {
    it("turns kubectl calls into one RBAC rule per resource, named where every verb allows a name", () => {
        const calls = ["apps/deployments:get", "apps/deployments:patch", "apps/replicasets:list", "core/pods:create"];
        expect(rbacRules(calls, { "apps/deployments": "shop", "core/pods": "x" })).to.deep.equal([
            { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "patch"], resourceNames: ["shop"] },
            { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["list"] },
            // create cannot be restricted by name (RBAC): no resourceNames rather than a rule that never matches.
            { apiGroups: [""], resources: ["pods"], verbs: ["create"] },
        ]);
        const rules = rbacRules(calls, { "apps/deployments": "shop" });
        expect(rulesAllow(rules, "apps/deployments:patch", "shop")).to.equal(true);
        expect(rulesAllow(rules, "apps/deployments:patch", "other")).to.equal(false);
        expect(rulesAllow(rules, "apps/deployments:delete", "shop")).to.equal(false);
        expect(rulesOnlyRead(rules)).to.equal(false);
        expect(rulesOnlyRead(rbacRules(["apps/deployments:get", "apps/replicasets:list"]))).to.equal(true);
        expect(() => parseCall("deployments.patch")).to.throw(/not a Kubernetes call/);
    });

    it("knows what each kubectl command of a deploy job calls, and reports one it does not know", () => {
        const steps = [
            { run: 'kubectl set image deployment/"$D" app=x@sha256:1\nkubectl rollout status deployment/"$D"' },
            { run: "kubectl delete pod x" },
        ];
        expect(kubernetesJobCalls(steps)).to.deep.equal({
            calls: ["apps/deployments:get", "apps/deployments:list", "apps/deployments:patch", "apps/deployments:watch"],
            unknown: ["kubectl delete pod"],
        });
        expect(stepCalls({ run: 'gcloud container clusters get-credentials "$C" --location "$R"' }, "gcp").calls).to.deep.equal([
            "container.clusters.get",
        ]);
        expect(stepCalls({ run: 'aws eks update-kubeconfig --name "$C"' }, "aws").calls).to.deep.equal(["eks:DescribeCluster"]);
    });

    it("calls the load balancer after the rollout only where the runner can reach it", () => {
        expect(kubernetesCheck({ allowListed: false })).to.equal("http");
        expect(kubernetesCheck({ allowListed: true })).to.equal("revision-ready");
    });

    it("previewer reads: a get per planned Kubernetes type, the cluster-scoped ones apart, unknown types reported", () => {
        const reads = kubernetesReads([
            "kubernetes:apps/v1:Deployment",
            "kubernetes:core/v1:Namespace",
            "kubernetes:example.com/v1:Widget",
            "gcp:x",
        ]);
        expect(reads).to.deep.equal({
            namespaced: ["apps/deployments:get"],
            cluster: ["core/namespaces:get"],
            unknown: ["kubernetes:example.com/v1:Widget"],
        });
    });
});

describe("kubernetes delivery (issue #35 item 1): whole stacks", function () {
    this.timeout(120000);

    it("GKE: the deploy job ships the scanned archive by digest, waits for the rollout, smoke-tests and rolls back to the remembered revision", async () => {
        const { document } = await planStack("production", KUBE);
        const job = deployJobOf(document.resources, "production");
        expect(job.needs).to.equal("security");
        const names = job.steps.map((s: any) => s.name ?? s.uses);
        const at = (n: string) => names.indexOf(n);
        expect(at("Push the scanned image")).to.be.lessThan(at("Roll out the scanned digest"));
        expect(at("Roll out the scanned digest")).to.be.lessThan(at("Wait for every new pod to pass its readiness probe"));
        expect(at("Wait for every new pod to pass its readiness probe")).to.be.lessThan(at("Smoke test through the load balancer"));
        const run = runOf(job);
        expect(run).to.include('kubectl set image deployment/"$DEPLOYMENT" "app=${REPOSITORY}@${DIGEST}" --namespace "$NAMESPACE"');
        expect(run).to.include('kubectl rollout status deployment/"$DEPLOYMENT" --namespace "$NAMESPACE" --timeout 10m');
        expect(run).to.include('gcloud container clusters get-credentials "$CLUSTER" --location "$REGION" --quiet');
        const rollback = job.steps.find((s: any) => s.name === "Roll back to the previous revision");
        expect(rollback.if).to.equal("failure() && steps.rollout.outputs.previous != ''");
        expect(rollback.run).to.include('kubectl rollout undo deployment/"$DEPLOYMENT" --namespace "$NAMESPACE" --to-revision "$PREVIOUS"');
        // Every waiter gives up inside its step, and the job outlasts its steps: a stuck rollout ends in the rollback.
        const wait = job.steps.find((s: any) => s.name === "Wait for every new pod to pass its readiness probe");
        expect(wait["timeout-minutes"]).to.be.greaterThan(10);
        expect(job["timeout-minutes"]).to.equal(5 + job.steps.reduce((n: number, s: any) => n + s["timeout-minutes"], 0));
        expect(job.steps.find((s: any) => String(s.uses).startsWith("google-github-actions/setup-gcloud@")).with).to.deep.equal({
            install_components: "gke-gcloud-auth-plugin",
        });
        expect(job.env.REPOSITORY).to.equal("${{ vars.RUNWAY_REGISTRY }}/${{ vars.RUNWAY_K8S_DEPLOYMENT }}");
        // The image the plan pushes lives at the same path: registry/<deployment name>.
        const image = only(document.resources, "docker:index/image:Image").inputs;
        expect(String(image.imageName)).to.match(/\/app:production$/);
        // The preview job can run the cluster's credential plugin.
        const preview = document.resources.find((r) => r.inputs.file === ".github/workflows/runway-pulumi-preview.yml")!;
        expect(String(preview.inputs.content)).to.include("install_components: gke-gcloud-auth-plugin");
    });

    it("GKE: the deployer may connect to the cluster (container.clusters.get, nothing else in IAM) and patch the one Deployment through RBAC", async () => {
        const { document, diagnostics } = await planStack("production", KUBE);
        expect(diagnostics.join("\n")).to.not.match(/plans no CI identity/);
        const role = ofType(document.resources, "gcp:projects/iAMCustomRole:IAMCustomRole").find(
            (r) => r.name === "cluster-deployer-connect-role",
        );
        expect(role.inputs.permissions).to.deep.equal(["container.clusters.get"]);
        const grant = ofType(document.resources, "gcp:projects/iAMMember:IAMMember").find((r) => r.name === "cluster-deployer-connect");
        expect(grant.inputs.member).to.equal("serviceAccount:app-production-deploy@runway-production-example.iam.gserviceaccount.com");
        const binding = ofType(document.resources, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").find(
            (r) => r.name === "deployer-access-binding",
        );
        expect(binding.inputs.subjects).to.deep.equal([
            {
                kind: "User",
                name: "app-production-deploy@runway-production-example.iam.gserviceaccount.com",
                apiGroup: "rbac.authorization.k8s.io",
            },
        ]);
        expect(binding.inputs.metadata.namespace).to.equal("app");
        const rbac = ofType(document.resources, "kubernetes:rbac.authorization.k8s.io/v1:Role").find(
            (r) => r.name === "deployer-access-role",
        );
        expect(rbac.inputs.rules).to.deep.equal([
            { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "patch", "watch"], resourceNames: ["app"] },
            { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["list"] },
        ]);
        // The registry: push by the deployer.
        const push = ofType(document.resources, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember").find((r) =>
            /deployer/.test(r.name),
        );
        expect(push.inputs.role).to.equal("roles/artifactregistry.writer");
    });

    it("EKS: access entries map the CI roles to groups (no EKS access policy), bound to a namespace Role; the deploy role may describe only its cluster", async () => {
        const { document } = await planStack("production", AWS_KUBE);
        expect(ofType(document.resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")).to.deep.equal([]);
        const entries = ofType(document.resources, "aws:eks/accessEntry:AccessEntry");
        expect(entries.map((e) => [e.name, e.inputs.type, e.inputs.kubernetesGroups])).to.have.deep.members([
            ["cluster-deployer-access", "STANDARD", ["runway:deploy:app"]],
            ["cluster-previewer-access", "STANDARD", ["runway:preview:app"]],
        ]);
        const policy = ofType(document.resources, "aws:iam/rolePolicy:RolePolicy").find((r) => r.name === "ci-deploy-production");
        const statements = JSON.parse(policy.inputs.policy).Statement;
        expect(statements.find((s: any) => s.Action === "eks:DescribeCluster").Resource).to.equal(
            "arn:aws:eks:us-east-1:123456789012:cluster/app-production",
        );
        const job = deployJobOf(document.resources, "production");
        expect(runOf(job)).to.include('aws eks update-kubeconfig --name "$CLUSTER"');
        expect(job.steps.map((s: any) => s.name)).to.include("Smoke test through the load balancer");
        const vars = ofType(document.resources, "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable").map(
            (v) => v.inputs.variableName,
        );
        expect(vars).to.include.members(["RUNWAY_K8S_CLUSTER", "RUNWAY_K8S_NAMESPACE", "RUNWAY_K8S_DEPLOYMENT", "RUNWAY_SERVICE_URL"]);
    });

    it("EKS staging behind runway:allowedCidrs: the readiness probes decide, the runner never calls the allow-listed load balancer", async () => {
        const staging = { ...AWS_KUBE, "runway:allowedCidrs": '["203.0.113.0/24"]', "runway:iapMembers": "[]" };
        const { document } = await planStack("staging", staging);
        const job = deployJobOf(document.resources, "staging");
        expect(job.steps.map((s: any) => s.name)).to.not.include("Smoke test through the load balancer");
        const vars = ofType(document.resources, "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable").map(
            (v) => v.inputs.variableName,
        );
        expect(vars).to.not.include("RUNWAY_SERVICE_URL");
    });

    it("pulumi up leaves the HPA's replica count alone, and the image CI rolled out with runway:ignoreImageChanges; client-side apply", async () => {
        const { document } = await planStack("production", KUBE);
        const deployment = only(document.resources, "kubernetes:apps/v1:Deployment");
        expect(deployment.ignoreChanges).to.deep.equal(["spec.replicas", "spec.template.spec.containers[0].image"]);
        expect(deployment.inputs.spec.template.spec.containers[0].name).to.equal(CONTAINER_NAME);
        const provider = document.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
        expect(provider.inputs.enableServerSideApply).to.equal("false");
        const plain = only(
            (await planStack("production", { ...KUBE, "runway:ignoreImageChanges": "false" })).document.resources,
            "kubernetes:apps/v1:Deployment",
        );
        expect(plain.ignoreChanges).to.deep.equal(["spec.replicas"]);
    });
});

describe("kubernetes input rules: each input checked against the provider's source and docs (deployability check kubernetes-inputs)", function () {
    this.timeout(120000);
    /** The plan's day for support windows: the rules judge the pinned EKS version on it. */
    const TODAY = "2026-12-06";
    type Resources = ResourceRecord[];
    const find = (rs: Resources, type: string, name?: string): any => {
        const r = rs.find((x) => x.type === type && (name === undefined || x.name === name));
        expect(r, `${type} ${name ?? ""}`).to.exist;
        return r;
    };
    const CLUSTER = "gcp:container/cluster:Cluster";
    const EKS = "aws:eks/cluster:Cluster";
    const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
    const container = (rs: Resources) => find(rs, DEPLOYMENT).inputs.spec.template.spec.containers[0];
    const gke = (rs: Resources) => find(rs, CLUSTER).inputs;
    const eks = (rs: Resources) => find(rs, EKS).inputs;
    const wiUser = (rs: Resources) => find(rs, "gcp:serviceaccount/iAMMember:IAMMember", "workload-identity-workload-identity-user").inputs;
    /** Per rule: the plan whose inputs pass, a bad look-alike of them (what the mutation does) and what the finding says. */
    const CASES: Record<string, { plan: "gke" | "eks"; bad: string; mutate: (rs: Resources) => void; says: RegExp }> = {
        "gke-cluster-name": {
            plan: "gke",
            bad: "a name starting with a digit",
            mutate: (rs) => (gke(rs).name = "1-app"),
            says: /not a GKE cluster name/,
        },
        "gke-autopilot-conflicts": {
            plan: "gke",
            bad: "a node pool on Autopilot",
            mutate: (rs) => (gke(rs).nodePools = [{ name: "extra" }]),
            says: /nodePools is set on an Autopilot cluster/,
        },
        "gke-autopilot-regional": { plan: "gke", bad: "a zone", mutate: (rs) => (gke(rs).location = "us-central1-a"), says: /is a zone/ },
        "gke-release-channel": {
            plan: "gke",
            bad: "UNSPECIFIED on Autopilot",
            mutate: (rs) => (gke(rs).releaseChannel = { channel: "UNSPECIFIED" }),
            says: /cannot leave its release channel/,
        },
        "gke-vpc-native": { plan: "gke", bad: "ROUTES", mutate: (rs) => (gke(rs).networkingMode = "ROUTES"), says: /VPC_NATIVE/ },
        "gke-secondary-ranges": {
            plan: "gke",
            bad: "a pod range the subnetwork lacks",
            mutate: (rs) => (gke(rs).ipAllocationPolicy.clusterSecondaryRangeName = "pod-range"),
            says: /"pod-range" is not on the subnetwork \(it has pods, services\)/,
        },
        "gke-dataplane-v2": {
            plan: "gke",
            bad: "LEGACY_DATAPATH on Autopilot",
            mutate: (rs) => (gke(rs).datapathProvider = "LEGACY_DATAPATH"),
            says: /always runs Dataplane V2/,
        },
        "gke-workload-pool": {
            plan: "gke",
            bad: "another project's pool",
            mutate: (rs) => (gke(rs).workloadIdentityConfig.workloadPool = "other.svc.id.goog"),
            says: /not runway-production-example\.svc\.id\.goog/,
        },
        "gke-private-cluster": {
            plan: "gke",
            bad: "a /24 control-plane range",
            mutate: (rs) => (gke(rs).privateClusterConfig.masterIpv4CidrBlock = "172.16.0.0/24"),
            says: /not a private \/28/,
        },
        "gke-private-nodes-egress": {
            plan: "gke",
            bad: "private nodes without the Cloud NAT",
            mutate: (rs) => rs.splice(rs.indexOf(find(rs, "gcp:compute/routerNat:RouterNat")), 1),
            says: /no Cloud NAT/,
        },
        "gke-node-identity": {
            plan: "gke",
            bad: "a node service account without the node role",
            mutate: (rs) => rs.splice(rs.indexOf(find(rs, "gcp:projects/iAMMember:IAMMember", "cluster-nodes-role")), 1),
            says: /no planned roles\/container.defaultNodeServiceAccount grant to serviceAccount:app-production-nodes@/,
        },
        "gke-maintenance-window": {
            plan: "gke",
            bad: "weekend windows of 5.5 h (44 h in the worst 32 days)",
            mutate: (rs) => (gke(rs).maintenancePolicy.recurringWindow.endTime = "2026-01-03T07:30:00Z"),
            says: /open 44 h in its worst 32 days/,
        },
        "gke-telemetry-components": {
            plan: "gke",
            bad: "a misspelt log component",
            mutate: (rs) => gke(rs).loggingConfig.enableComponents.push("WORKLOAD"),
            says: /"WORKLOAD" is not one of/,
        },
        "gke-authorized-networks": {
            plan: "gke",
            bad: "an address with host bits as a network",
            mutate: (rs) => (gke(rs).masterAuthorizedNetworksConfig = { cidrBlocks: [{ cidrBlock: "10.0.0.1/8" }] }),
            says: /"10\.0\.0\.1\/8" is not an IPv4 CIDR network/,
        },
        "gke-resource-labels": {
            plan: "gke",
            bad: "an upper-case label value",
            mutate: (rs) => (gke(rs).resourceLabels.team = "Platform"),
            says: /label team="Platform" is not a GCP label value/,
        },
        "gke-workload-identity-member": {
            plan: "gke",
            bad: "an upper-case namespace",
            mutate: (rs) => (wiUser(rs).member = "serviceAccount:runway-production-example.svc.id.goog[App/app]"),
            says: /namespace "App"/,
        },
        "gke-workload-identity-pairing": {
            plan: "gke",
            bad: "a service account the program does not plan",
            mutate: (rs) => (wiUser(rs).member = "serviceAccount:runway-production-example.svc.id.goog[app/worker]"),
            says: /names app\/worker, which this program does not plan/,
        },
        "gke-ingress-backend": {
            plan: "gke",
            bad: "a ClusterIP backend without the network endpoint group annotation",
            mutate: (rs) => delete find(rs, "kubernetes:core/v1:Service").inputs.metadata.annotations,
            says: /backend Service app is a ClusterIP without cloud.google.com\/neg/,
        },
        "gke-ingress-health-check": {
            plan: "gke",
            bad: "pods whose readiness probe checks another port",
            mutate: (rs) => (container(rs).readinessProbe.httpGet.port = 9090),
            says: /no readiness probe httpGet on port 8080 behind app/,
        },
        "gke-managed-certificate": {
            plan: "gke",
            bad: "a wildcard domain",
            mutate: (rs) => (find(rs, "kubernetes:networking.gke.io/v1:ManagedCertificate").inputs.spec.domains = ["*.example.com"]),
            says: /domain "\*\.example\.com" is a wildcard/,
        },
        "gke-managed-certificate (Ingress)": {
            plan: "gke",
            bad: "an Ingress naming a certificate nobody plans",
            mutate: (rs) =>
                (find(rs, "kubernetes:networking.k8s.io/v1:Ingress").inputs.metadata.annotations["networking.gke.io/managed-certificates"] =
                    "app-cert"),
            says: /names app-cert, which is not planned in namespace app/,
        },
        "eks-cluster-name": {
            plan: "eks",
            bad: "a leading underscore",
            mutate: (rs) => (eks(rs).name = "_app"),
            says: /not an EKS cluster name/,
        },
        "eks-version": { plan: "eks", bad: "a patch version", mutate: (rs) => (eks(rs).version = "1.35.2"), says: /not a minor version/ },
        "eks-version-support": {
            plan: "eks",
            bad: "1.34, out of standard support since 2026-12-02",
            mutate: (rs) => (eks(rs).version = "1.34"),
            says: /left standard support on 2026-12-02/,
        },
        "eks-access-config": {
            plan: "eks",
            bad: "an unknown authentication mode",
            mutate: (rs) => (eks(rs).accessConfig.authenticationMode = "IAM"),
            says: /"IAM" is not one of/,
        },
        "eks-endpoint-access": {
            plan: "eks",
            bad: "allow-listed CIDRs on a private-only endpoint",
            mutate: (rs) => Object.assign(eks(rs).vpcConfig, { endpointPublicAccess: false, publicAccessCidrs: ["203.0.113.0/24"] }),
            says: /publicAccessCidrs without public access/,
        },
        "eks-subnets": {
            plan: "eks",
            bad: "every subnet in one zone",
            mutate: (rs) => {
                for (const r of rs.filter((x) => x.type === "aws:ec2/subnet:Subnet")) (r.inputs as any).availabilityZone = "us-east-1a";
            },
            says: /every subnet of vpcConfig is in us-east-1a/,
        },
        "eks-log-types": {
            plan: "eks",
            bad: "a log type EKS does not have",
            mutate: (rs) => eks(rs).enabledClusterLogTypes.push("kubelet"),
            says: /"kubelet" is not one of/,
        },
        "eks-log-group": {
            plan: "eks",
            bad: "a log group under another name",
            mutate: (rs) => (find(rs, "aws:cloudwatch/logGroup:LogGroup", "cluster-control-plane-logs").inputs.name = "/eks/app"),
            says: /no planned log group \/aws\/eks\/app-production\/cluster/,
        },
        "eks-auto-mode": {
            plan: "eks",
            bad: "Auto Mode compute without its storage and load balancing",
            mutate: (rs) => (eks(rs).computeConfig = { enabled: true }),
            says: /Auto Mode half on/,
        },
        "eks-upgrade-policy": {
            plan: "eks",
            bad: "an unknown support type",
            mutate: (rs) => (eks(rs).upgradePolicy.supportType = "LTS"),
            says: /"LTS" is not STANDARD or EXTENDED/,
        },
        "eks-encryption-config": {
            plan: "eks",
            bad: "envelope encryption of configmaps",
            mutate: (rs) =>
                (eks(rs).encryptionConfig = {
                    resources: ["configmaps"],
                    provider: { keyArn: "arn:aws:kms:us-east-1:123456789012:key/k" },
                }),
            says: /resource "configmaps" is not "secrets"/,
        },
        "eks-node-group-size": {
            plan: "eks",
            bad: "a desired size above the maximum",
            mutate: (rs) => (find(rs, "aws:eks/nodeGroup:NodeGroup").inputs.scalingConfig.desiredSize = 4),
            says: /desiredSize 4 is outside minSize 3…maxSize 3/,
        },
        "eks-node-group-ami": {
            plan: "eks",
            bad: "a Graviton instance on the x86_64 AMI",
            mutate: (rs) => (find(rs, "aws:eks/nodeGroup:NodeGroup").inputs.instanceTypes = ["m7g.xlarge"]),
            says: /m7g\.xlarge is arm64, amiType AL2023_x86_64_STANDARD is not/,
        },
        "eks-node-group-ami (Amazon Linux 2)": {
            plan: "eks",
            bad: "Amazon Linux 2 nodes on 1.35",
            mutate: (rs) => (find(rs, "aws:eks/nodeGroup:NodeGroup").inputs.amiType = "AL2_x86_64"),
            says: /AL2_x86_64 on Kubernetes 1\.35: EKS publishes no Amazon Linux 2 AMI/,
        },
        "eks-private-compute": {
            plan: "eks",
            bad: "nodes in the public subnets",
            mutate: (rs) => {
                const publicSubnets = rs.filter((r) => r.type === "aws:ec2/subnet:Subnet" && r.name.startsWith("network-public-"));
                find(rs, "aws:eks/nodeGroup:NodeGroup").propertyDependencies.subnetIds = publicSubnets.map((r) => r.urn);
            },
            says: /subnet network-public-0 routes to an internet gateway but assigns no public IPs/,
        },
        "eks-private-compute (Fargate)": {
            plan: "eks",
            bad: "a Fargate profile in a public subnet",
            mutate: (rs) => {
                const nodes = find(rs, "aws:eks/nodeGroup:NodeGroup");
                const publicSubnet = find(rs, "aws:ec2/subnet:Subnet", "network-public-1");
                rs.push({
                    ...nodes,
                    urn: "urn:pulumi:production::runway::aws:eks/fargateProfile:FargateProfile::pods",
                    type: "aws:eks/fargateProfile:FargateProfile",
                    inputs: { clusterName: "app-production", selectors: [{ namespace: "app" }] },
                    propertyDependencies: { subnetIds: [publicSubnet.urn] },
                });
            },
            says: /subnet network-public-1 routes to an internet gateway: Fargate runs pods in private subnets only/,
        },
        "eks-addon": {
            plan: "eks",
            bad: "PRESERVE on create",
            mutate: (rs) => (find(rs, "aws:eks/addon:Addon", "cluster-vpc-cni").inputs.resolveConflictsOnCreate = "PRESERVE"),
            says: /resolveConflictsOnCreate "PRESERVE" is not NONE or OVERWRITE/,
        },
        "eks-access-entry": {
            plan: "eks",
            bad: "access entries on a CONFIG_MAP cluster",
            mutate: (rs) => (eks(rs).accessConfig.authenticationMode = "CONFIG_MAP"),
            says: /CONFIG_MAP: it accepts no access entries/,
        },
        "eks-access-policy": {
            plan: "eks",
            bad: "a namespace scope without namespaces and an IAM policy ARN",
            mutate: (rs) =>
                rs.push({
                    ...find(rs, "aws:eks/accessEntry:AccessEntry", "cluster-deployer-access"),
                    urn: "urn:pulumi:production::runway::aws:eks/accessPolicyAssociation:AccessPolicyAssociation::edit",
                    type: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
                    inputs: {
                        clusterName: "app-production",
                        policyArn: "arn:aws:iam::aws:policy/AmazonEKSEditPolicy",
                        accessScope: { type: "namespace" },
                    },
                }),
            says: /is not arn:aws:eks::aws:cluster-access-policy/,
        },
        "eks-pod-identity": {
            plan: "eks",
            bad: "a role trust without sts:TagSession",
            mutate: (rs) => {
                const role = find(rs, "aws:iam/role:Role", "pod-identity-role").inputs;
                const policy = JSON.parse(role.assumeRolePolicy);
                policy.Statement[0].Action = ["sts:AssumeRole"];
                role.assumeRolePolicy = JSON.stringify(policy);
            },
            says: /sts:AssumeRole and sts:TagSession: the pods get no credentials/,
        },
        "k8s-labels": {
            plan: "gke",
            bad: "a 64-character label value",
            mutate: (rs) => (find(rs, DEPLOYMENT).inputs.metadata.labels["app.kubernetes.io/name"] = "a".repeat(64)),
            says: /a value is at most 63/,
        },
        "k8s-resources": {
            plan: "gke",
            bad: "a CPU request above its limit",
            mutate: (rs) => (container(rs).resources.requests.cpu = "3"),
            says: /requests 3 cpu, above its limit 2000m/,
        },
        "k8s-probes": {
            plan: "gke",
            bad: "a liveness probe needing two successes",
            mutate: (rs) => (container(rs).livenessProbe.successThreshold = 2),
            says: /livenessProbe\.successThreshold 2: must be 1/,
        },
        "k8s-security-context-level": {
            plan: "gke",
            bad: "readOnlyRootFilesystem on the pod",
            mutate: (rs) => (find(rs, DEPLOYMENT).inputs.spec.template.spec.securityContext.readOnlyRootFilesystem = true),
            says: /pod securityContext\.readOnlyRootFilesystem is a container field/,
        },
        "k8s-restricted-pods": {
            plan: "gke",
            bad: "a container that may escalate privileges",
            mutate: (rs) => delete container(rs).securityContext.allowPrivilegeEscalation,
            says: /restricted namespace: container "app" does not set allowPrivilegeEscalation: false/,
        },
        "k8s-disruption-budget": {
            plan: "gke",
            bad: "minAvailable beside maxUnavailable",
            mutate: (rs) => (find(rs, "kubernetes:policy/v1:PodDisruptionBudget").inputs.spec.minAvailable = 1),
            says: /both minAvailable and maxUnavailable/,
        },
        "k8s-autoscaler-metrics": {
            plan: "gke",
            bad: "a Utilization target without its percentage",
            mutate: (rs) =>
                delete find(rs, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec.metrics[0].resource.target
                    .averageUtilization,
            says: /target Utilization without averageUtilization/,
        },
        "k8s-service": {
            plan: "eks",
            bad: "a node port outside 30000–32767",
            mutate: (rs) => (find(rs, "kubernetes:core/v1:Service").inputs.spec.ports[0].nodePort = 8080),
            says: /nodePort 8080 is outside the default node port range/,
        },
        "k8s-ingress": {
            plan: "gke",
            bad: "a rule path without pathType",
            mutate: (rs) =>
                (find(rs, "kubernetes:networking.k8s.io/v1:Ingress").inputs.spec.rules = [
                    { http: { paths: [{ path: "/", backend: { service: { name: "app", port: { number: 80 } } } }] } },
                ]),
            says: /pathType unset: networking.k8s.io\/v1 requires/,
        },
        "k8s-deployment-strategy": {
            plan: "gke",
            bad: "a rollout that may neither add nor remove a pod",
            mutate: (rs) => (find(rs, DEPLOYMENT).inputs.spec.strategy.rollingUpdate.maxSurge = 0),
            says: /maxSurge and maxUnavailable are both 0/,
        },
        "k8s-rbac-resource-names": {
            plan: "gke",
            bad: "create restricted to one Deployment name",
            mutate: (rs) =>
                find(rs, "kubernetes:rbac.authorization.k8s.io/v1:Role", "deployer-access-role").inputs.rules[0].verbs.push("create"),
            says: /create on deployments restricted by resourceNames is never allowed/,
        },
        "k8s-network-policy": {
            plan: "gke",
            bad: "an exception outside its ipBlock",
            mutate: (rs) =>
                (find(
                    rs,
                    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                    "app-allow-load-balancer",
                ).inputs.spec.ingress[0].from[0].ipBlock.except = ["10.0.0.0/8"]),
            says: /except 10\.0\.0\.0\/8 is not inside 35\.191\.0\.0\/16/,
        },
    };

    it("every rule has a case below (its docs row names it) and cites a source", () => {
        const ruleOf = (key: string) => key.split(" (")[0];
        expect(KUBERNETES_INPUT_RULES.map((r) => r.id)).to.have.members([...new Set(Object.keys(CASES).map(ruleOf))]);
        for (const rule of KUBERNETES_INPUT_RULES) expect(rule.source, rule.id).to.match(/\S{8,}/);
    });

    /** A rule's cases are keyed by its id, or `<id> (<variant>)` for a second bad look-alike. */
    for (const [key, c] of Object.entries(CASES)) {
        const rule = KUBERNETES_INPUT_RULES.find((r) => r.id === key.split(" (")[0])!;
        it(`input rule ${key}: Runway's planned inputs pass; ${c.bad} is found (${rule?.level})`, async () => {
            const { document } = await planStack("production", c.plan === "gke" ? KUBE : AWS_KUBE);
            expect(inputRuleProblems([rule], document.resources, TODAY)).to.deep.equal([]);
            const copy: Resources = structuredClone(document.resources);
            c.mutate(copy);
            const found = inputRuleProblems([rule], copy, TODAY);
            expect(found.map((f) => f.message).join("\n")).to.match(c.says);
            expect(found.every((f) => f.level === rule.level && f.message.startsWith(`${rule.id}: `))).to.equal(true);
        });
    }

    it("no rule fires on Runway's other Kubernetes stacks (managed data, GKE solo, EKS staging), nor on unknown values", async () => {
        for (const config of [GKE_DATA, EKS_DATA])
            expect(kubernetesInputProblems((await planStack("production", config)).document.resources, TODAY)).to.deep.equal([]);
        // GKE solo (public nodes, no domain) and EKS staging behind an allow-list, as the tests above plan them.
        const eksStaging = { ...AWS_KUBE, "runway:allowedCidrs": '["203.0.113.0/24"]', "runway:iapMembers": "[]" };
        for (const [stack, config] of [
            ["solo", KUBE],
            ["staging", eksStaging],
        ] as const)
            expect(kubernetesInputProblems((await planStack(stack, config)).document.resources, TODAY), stack).to.deep.equal([]);
        const unknown = [
            {
                urn: "u",
                type: CLUSTER,
                inputs: { enableAutopilot: true, location: "[unknown]", name: "[unknown]", maintenancePolicy: "[unknown]" },
            },
        ];
        expect(kubernetesInputProblems(unknown, TODAY)).to.deep.equal([]);
        // A pod in a restricted namespace whose security settings are outputs, and a log group named by one.
        const namespace = {
            urn: "n",
            type: "kubernetes:core/v1:Namespace",
            inputs: { metadata: { name: "web", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
        };
        const securityContext = {
            allowPrivilegeEscalation: "[unknown]",
            runAsNonRoot: "[unknown]",
            seccompProfile: { type: "[unknown]" },
            capabilities: "[unknown]",
        };
        const pod = {
            urn: "p",
            type: "kubernetes:core/v1:Pod",
            inputs: { metadata: { namespace: "web" }, spec: { containers: [{ name: "c", securityContext }] } },
        };
        const eksLogs = [
            { urn: "c", type: "aws:eks/cluster:Cluster", inputs: { name: "c", enabledClusterLogTypes: ["audit"] } },
            { urn: "l", type: "aws:cloudwatch/logGroup:LogGroup", inputs: { name: "[unknown]" } },
        ];
        expect(kubernetesInputProblems([namespace, pod, ...eksLogs], TODAY)).to.deep.equal([]);
        // Inputs shaped unlike anything an API accepts (another program's) never crash the plan.
        const odd: unknown[] = [null, 7, "x", [], { constructor: 1 }, { __proto__: { spec: 1 } }];
        const types = ["gcp:container/cluster:Cluster", "aws:eks/cluster:Cluster", "aws:eks/nodeGroup:NodeGroup", "aws:eks/addon:Addon"];
        const hostile = [
            ...types,
            ...["HorizontalPodAutoscaler", "Deployment", "Service", "NetworkPolicy"].map((k) => `kubernetes:x/v1:${k}`),
        ].flatMap((type, i) =>
            odd.map((v, j) => ({
                urn: `${i}-${j}`,
                type,
                inputs: {
                    metadata: v,
                    spec: { metrics: [{ type: "constructor" }, v], template: v, ports: v },
                    version: "constructor",
                    vpcConfig: v,
                },
                propertyDependencies: { subnetIds: ["missing"] },
            })),
        );
        expect(() => kubernetesInputProblems(hostile as any, TODAY)).to.not.throw();
    });

    it("GKE counts maintenance hours in the worst 32 days and only blocks of 4 h or more", () => {
        const w = (start: string, end: string, recurrence: string) => ({
            startTime: `2026-01-03T${start}:00Z`,
            endTime: `2026-01-03T${end}:00Z`,
            recurrence,
        });
        // Weekends: 4 weeks hold 8 weekend days, and 4 days Monday–Thursday none; 8 × 6 h = 48 h.
        expect(maintenanceHoursPer32Days(w("02:00", "08:00", "FREQ=WEEKLY;BYDAY=SA,SU"))).to.equal(48);
        expect(maintenanceHoursPer32Days(w("02:00", "07:30", "FREQ=WEEKLY;BYDAY=SA,SU"))).to.equal(44);
        // Daily 3 h blocks are never counted; daily 4 h blocks are 128 h.
        expect(maintenanceHoursPer32Days(w("02:00", "05:00", "FREQ=DAILY"))).to.equal(0);
        expect(maintenanceHoursPer32Days(w("02:00", "06:00", "FREQ=DAILY"))).to.equal(128);
        // Weekly without BYDAY: the start's weekday (2026-01-03 is a Saturday).
        expect(maintenanceHoursPer32Days(w("00:00", "12:00", "FREQ=WEEKLY"))).to.equal(48);
        expect(maintenanceHoursPer32Days(w("00:00", "12:00", "FREQ=MONTHLY;BYMONTHDAY=1"))).to.equal(undefined);
    });

    it("EKS pins a version in standard support, and knows Graviton instance types", () => {
        expect(EKS_VERSIONS[eksClusterPlan(TIER_PROFILES.production.kubernetes, 90).version].standardSupportEnds > TODAY).to.equal(true);
        expect(["m7g.large", "t4g.small", "c6gn.xlarge", "r6gd.large", "a1.medium", "im4gn.large"].filter(isGraviton)).to.have.length(6);
        expect(["m6i.xlarge", "t3.medium", "g5.xlarge", "gr6.4xlarge", "m5dn.large", "inf2.xlarge"].filter(isGraviton)).to.deep.equal([]);
    });

    it("through the plan: a zonal Autopilot cluster is a mandatory kubernetes-inputs finding (exit 1); the regional look-alike has none", async () => {
        const inputs = (d: { deployability: { policy: string; level: string; message: string }[] }) =>
            d.deployability.filter((f) => f.policy === "kubernetes-inputs").map((f) => `${f.level}: ${f.message.split(" (")[0]}`);
        const zonal = await cachedPlan({ cwd: FIXTURE, stack: "dev", config: { user: "10001", location: "us-central1-a" } });
        expect(inputs(zonal.document)).to.deep.equal([
            'mandatory: gke-autopilot-regional: location "us-central1-a" is a zone: Autopilot clusters are regional',
        ]);
        const regional = await cachedPlan({ cwd: FIXTURE, stack: "dev", config: { user: "10001" } });
        expect(inputs(regional.document)).to.deep.equal([]);
    });
});
