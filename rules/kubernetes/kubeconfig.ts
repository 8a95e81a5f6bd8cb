/**
 * A kubeconfig for one cluster whose user authenticates through an exec credential plugin
 * (client.authentication.k8s.io/v1beta1): it holds no credential, so it is safe in state and outputs.
 * Used by `@pulumi/kubernetes` providers built from a cluster's outputs. Dependency-free.
 */
export interface ExecKubeconfig {
    readonly name: string;
    /** API server URL (https://…). */
    readonly server: string;
    /** Base64 PEM of the cluster CA. */
    readonly caData: string;
    /** The credential plugin and its arguments (e.g. gke-gcloud-auth-plugin, or aws eks get-token). */
    readonly command: string;
    readonly args?: readonly string[];
    /** Pass the cluster's server and CA to the plugin (KUBERNETES_EXEC_INFO). @default false */
    readonly provideClusterInfo?: boolean;
}

export function execKubeconfig(k: ExecKubeconfig): string {
    const lines = [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `- name: ${k.name}`,
        "  cluster:",
        `    server: ${k.server}`,
        `    certificate-authority-data: ${k.caData}`,
        "contexts:",
        `- name: ${k.name}`,
        "  context:",
        `    cluster: ${k.name}`,
        `    user: ${k.name}`,
        `current-context: ${k.name}`,
        "users:",
        `- name: ${k.name}`,
        "  user:",
        "    exec:",
        "      apiVersion: client.authentication.k8s.io/v1beta1",
        `      command: ${k.command}`,
        ...(k.args && k.args.length > 0 ? [`      args: ${JSON.stringify(k.args)}`] : []),
        ...(k.provideClusterInfo ? ["      provideClusterInfo: true"] : []),
        "      interactiveMode: Never",
    ];
    return `${lines.join("\n")}\n`;
}
