import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    CONTAINER_NAME,
    KubernetesHost,
    SECRETS_DIR,
    WorkloadInput,
    autoscalerSpec,
    containerResources,
    containerSecurityContext,
    disruptionBudgetSpec,
    networkPolicies,
    podSecurityContext,
    probes,
    replicas,
    workloadProblems,
} from "../../rules/kubernetes/workload";
import { throwIfProblems } from "../../rules/problems";

/** One secret the pod mounts as a file named `name` under `SECRETS_DIR` (the env name the app reads). */
export interface MountedSecret {
    /** GKE: `projects/<p>/secrets/<id>/versions/latest`; EKS: the parameter's or secret's ARN. */
    readonly resource: pulumi.Input<string>;
}

export interface WorkloadArgs {
    /** The cluster's Kubernetes provider (built from its endpoint and CA, never from a kubeconfig file). */
    readonly provider: k8s.Provider;
    /** `gke` or `eks`: which identity endpoint, secrets provider and load balancer the pods talk to. */
    readonly host: KubernetesHost;
    /** Namespace, Deployment, ServiceAccount and Service name. */
    readonly name: string;
    /** Image to run (a digest reference from the build). */
    readonly image: pulumi.Input<string>;
    /** Port the container listens on (also its PORT variable). */
    readonly port: number;
    /** HTTP path of the readiness, liveness and startup probes. */
    readonly healthPath: string;
    /** Plain environment variables. @default {} */
    readonly env?: Record<string, string>;
    /** Env name → secret, mounted read-only by the Secrets Store CSI driver (never a Kubernetes Secret). @default {} */
    readonly secrets?: Record<string, MountedSecret>;
    /** CPU request (= limit), a Kubernetes quantity ("1", "500m"); raised to Autopilot's rules on GKE. */
    readonly cpu: string;
    /** Memory request (= limit), a Kubernetes quantity ("512Mi", "1Gi"). */
    readonly memory: string;
    /** The HPA's minimum. */
    readonly minReplicas: number;
    /** The HPA's maximum. */
    readonly maxReplicas: number;
    /** Pods kept at least whatever `minReplicas` says (the tier's `kubernetes.minPods`). @default 1 */
    readonly minPods?: number;
    /** Annotations of the pods' ServiceAccount (GKE: the Google service account it acts as). @default {} */
    readonly serviceAccountAnnotations?: Record<string, pulumi.Input<string>>;
    /** CIDRs the load balancer reaches the pods from. */
    readonly loadBalancerCidrs: readonly string[];
    /** Ports of managed data on private addresses. @default [] */
    readonly dataPorts?: readonly number[];
    /** A fixed NodePort for a load balancer outside the cluster (EKS); unset, the Service is a ClusterIP. @default undefined */
    readonly nodePort?: number;
    /** A GKE Ingress (container-native load balancing) with a Google-managed certificate when `domain` is set. @default undefined (no Ingress) */
    readonly gkeIngress?: { readonly domain?: string; readonly staticIpName?: pulumi.Input<string> };
    /** CI sets the container's image (`kubectl set image`): `pulumi up` then leaves the running image alone. @default false */
    readonly ignoreImageChanges?: boolean;
}

const LABEL = "app.kubernetes.io/name";

/**
 * One service on Kubernetes: Namespace → ServiceAccount → secrets class → Deployment (non-root,
 * read-only root filesystem, no capabilities, seccomp RuntimeDefault, probes, requests = limits)
 * → Service → HPA → PodDisruptionBudget → default-deny NetworkPolicy plus the allows it needs →
 * ingress. Decisions: rules/kubernetes/workload.ts.
 * @example
 * const provider = kubernetesProvider("gke", cluster.kubeconfig);
 * new Workload("app", { provider, host: "gke", name: "shop", image, port: 8080, healthPath: "/health", cpu: "1",
 *     memory: "1Gi", minReplicas: 1, maxReplicas: 10, loadBalancerCidrs: ["35.191.0.0/16", "130.211.0.0/22"], gkeIngress: {} });
 */
export class Workload extends pulumi.ComponentResource {
    public readonly namespace: k8s.core.v1.Namespace;
    public readonly serviceAccount: k8s.core.v1.ServiceAccount;
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly service: k8s.core.v1.Service;
    /** The namespace's name (the deployer's RBAC scope). */
    public readonly namespaceName: pulumi.Output<string>;
    /** With `gkeIngress`: `https://<domain>`, or `http://<the Ingress's address>` without one (known once GKE has programmed it). */
    public readonly url?: pulumi.Output<string>;

    constructor(name: string, args: WorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:kubernetes:Workload", name, {}, opts);
        const input: WorkloadInput = { ...args, dataPorts: args.dataPorts ?? [] };
        throwIfProblems(`Invalid Kubernetes workload "${name}"`, workloadProblems(input));
        const o = { parent: this, provider: args.provider };
        const labels = { [LABEL]: args.name };
        const metadata = (role?: string) => ({ name: role ? `${args.name}-${role}` : args.name, namespace: args.name, labels });

        this.namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            // Pod Security Admission enforces "restricted" on everything in the namespace, not only this Deployment.
            { metadata: { name: args.name, labels: { ...labels, "pod-security.kubernetes.io/enforce": "restricted" } } },
            o,
        );
        this.namespaceName = this.namespace.metadata.name;
        const inNs = { ...o, dependsOn: [this.namespace] };
        this.serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-service-account`,
            { metadata: { ...metadata(), annotations: args.serviceAccountAnnotations ?? {} }, automountServiceAccountToken: false },
            inNs,
        );
        const secretClass = this.secretProviderClass(name, args, metadata("secrets"), inNs);
        this.deployment = this.createDeployment(name, args, labels, secretClass, {
            ...o,
            dependsOn: [this.serviceAccount, ...(secretClass ? [secretClass] : [])],
        });
        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                // GKE Ingress sends traffic straight to the pods (network endpoint groups): stated, not left to the cluster's default
                // (cloud.google.com/kubernetes-engine/docs/how-to/container-native-load-balancing).
                metadata: { ...metadata(), ...(args.gkeIngress ? { annotations: { "cloud.google.com/neg": '{"ingress": true}' } } : {}) },
                spec: {
                    type: args.nodePort ? "NodePort" : "ClusterIP",
                    selector: labels,
                    ports: [{ name: "http", port: 80, targetPort: args.port, ...(args.nodePort ? { nodePort: args.nodePort } : {}) }],
                },
            },
            inNs,
        );
        const range = replicas(args.minReplicas, args.maxReplicas, args.minPods ?? 1);
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-autoscaler`,
            { metadata: metadata(), spec: autoscalerSpec(args.name, range.min, range.max) },
            inNs,
        );
        new k8s.policy.v1.PodDisruptionBudget(
            `${name}-disruption-budget`,
            { metadata: metadata(), spec: disruptionBudgetSpec(labels) },
            inNs,
        );
        for (const [role, spec] of Object.entries(networkPolicies(input, labels)))
            new k8s.networking.v1.NetworkPolicy(
                `${name}-${role}`,
                { metadata: metadata(role), spec: spec as k8s.types.input.networking.v1.NetworkPolicySpec },
                inNs,
            );
        if (args.gkeIngress) this.url = this.createGkeIngress(name, args, metadata, inNs);
        this.registerOutputs({ namespace: this.namespaceName, url: this.url });
    }

    /** The pod template: one non-root container, a tmpfs /tmp, the secrets volume. */
    private createDeployment(
        name: string,
        args: WorkloadArgs,
        labels: Record<string, string>,
        secretClass: pulumi.Resource | undefined,
        opts: pulumi.CustomResourceOptions,
    ) {
        const range = replicas(args.minReplicas, args.maxReplicas, args.minPods ?? 1);
        const secretNames = Object.keys(args.secrets ?? {});
        const env = [
            ...Object.entries(args.env ?? {}).map(([n, value]) => ({ name: n, value })),
            { name: "PORT", value: String(args.port) },
            ...(secretNames.length > 0 ? [{ name: "RUNWAY_SECRETS_DIR", value: SECRETS_DIR }] : []),
        ];
        return new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: { name: args.name, namespace: args.name, labels },
                spec: {
                    // The HPA owns the count after creation; this is only the first rollout's size.
                    replicas: range.min,
                    selector: { matchLabels: labels },
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
                    template: {
                        metadata: { labels },
                        spec: {
                            serviceAccountName: args.name,
                            automountServiceAccountToken: false,
                            securityContext: podSecurityContext(),
                            terminationGracePeriodSeconds: 30,
                            topologySpreadConstraints: [
                                {
                                    maxSkew: 1,
                                    topologyKey: "topology.kubernetes.io/zone",
                                    whenUnsatisfiable: "ScheduleAnyway",
                                    labelSelector: { matchLabels: labels },
                                },
                            ],
                            containers: [
                                {
                                    name: CONTAINER_NAME,
                                    image: args.image,
                                    ports: [{ name: "http", containerPort: args.port }],
                                    env,
                                    resources: containerResources(args.host, args.cpu, args.memory),
                                    securityContext: containerSecurityContext(),
                                    ...probes(args.port, args.healthPath),
                                    volumeMounts: [
                                        { name: "tmp", mountPath: "/tmp" },
                                        ...(secretClass ? [{ name: "secrets", mountPath: SECRETS_DIR, readOnly: true }] : []),
                                    ],
                                },
                            ],
                            volumes: [
                                { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } },
                                ...(secretClass
                                    ? [
                                          {
                                              name: "secrets",
                                              csi: {
                                                  driver: "secrets-store.csi.k8s.io",
                                                  readOnly: true,
                                                  volumeAttributes: { secretProviderClass: `${args.name}-secrets` },
                                              },
                                          },
                                      ]
                                    : []),
                            ],
                        },
                    },
                },
            },
            // The HPA owns the count after the first rollout; with `ignoreImageChanges` CI owns the image. Both are left out of
            // every later update (client-side apply patches only what changed between the old and new inputs).
            { ...opts, ignoreChanges: ["spec.replicas", ...(args.ignoreImageChanges ? [`spec.template.spec.containers[0].image`] : [])] },
        );
    }

    /**
     * The Secrets Store CSI class listing the secrets (GKE's Secret Manager add-on, or the AWS provider
     * through Pod Identity). Values never pass through Kubernetes: no Secret object, nothing in state.
     */
    private secretProviderClass(name: string, args: WorkloadArgs, metadata: Record<string, unknown>, opts: pulumi.CustomResourceOptions) {
        const entries = Object.entries(args.secrets ?? {});
        if (entries.length === 0) return undefined;
        const spec =
            args.host === "gke"
                ? // cloud.google.com/secret-manager/docs/secret-manager-managed-csi-component
                  {
                      provider: "gke",
                      parameters: {
                          secrets: pulumi
                              .output(entries.map(([n, s]) => pulumi.interpolate`- resourceName: "${s.resource}"\n  path: "${n}"`))
                              .apply((l) => l.join("\n")),
                      },
                  }
                : // docs.aws.amazon.com/secretsmanager/latest/userguide/ascp-pod-identity-integration.html
                  {
                      provider: "aws",
                      parameters: {
                          usePodIdentity: "true",
                          objects: pulumi
                              .output(entries.map(([n, s]) => pulumi.interpolate`- objectName: "${s.resource}"\n  objectAlias: "${n}"`))
                              .apply((l) => l.join("\n")),
                      },
                  };
        return new k8s.apiextensions.CustomResource(
            `${name}-secrets`,
            {
                apiVersion: args.host === "gke" ? "secrets-store.gke.io/v1" : "secrets-store.csi.x-k8s.io/v1",
                kind: "SecretProviderClass",
                metadata,
                spec,
            },
            opts,
        );
    }

    /** GKE Ingress (external Application Load Balancer) and, with a domain, its Google-managed certificate. */
    private createGkeIngress(
        name: string,
        args: WorkloadArgs,
        metadata: (role?: string) => Record<string, unknown>,
        opts: pulumi.CustomResourceOptions,
    ) {
        const domain = args.gkeIngress?.domain;
        const certificate = domain
            ? new k8s.apiextensions.CustomResource(
                  `${name}-certificate`,
                  {
                      apiVersion: "networking.gke.io/v1",
                      kind: "ManagedCertificate",
                      metadata: metadata("certificate"),
                      spec: { domains: [domain] },
                  },
                  opts,
              )
            : undefined;
        const ingress = new k8s.networking.v1.Ingress(
            `${name}-ingress`,
            {
                metadata: {
                    ...metadata(),
                    annotations: {
                        // GKE Ingress still selects its controller by this annotation (cloud.google.com/kubernetes-engine/docs/concepts/ingress).
                        "kubernetes.io/ingress.class": "gce",
                        ...(certificate
                            ? {
                                  "networking.gke.io/managed-certificates": `${args.name}-certificate`,
                                  "kubernetes.io/ingress.allow-http": "false",
                              }
                            : {}),
                        ...(args.gkeIngress?.staticIpName
                            ? { "kubernetes.io/ingress.global-static-ip-name": args.gkeIngress.staticIpName }
                            : {}),
                    },
                },
                spec: { defaultBackend: { service: { name: args.name, port: { number: 80 } } } },
            },
            { ...opts, dependsOn: [this.service, ...(certificate ? [certificate] : [])] },
        );
        // The provider's Ingress await returns once the load balancer has an address (status.loadBalancer.ingress).
        return domain
            ? pulumi.output(`https://${domain}`)
            : ingress.status.apply((st) => `http://${st?.loadBalancer?.ingress?.[0]?.ip ?? ""}`);
    }
}
