/**
 * Plausible values for what a provider would compute, so resources that depend on them resolve in
 * an offline plan. Pure: type + name + inputs → state. Unknown types echo their inputs.
 */

const DEFAULT_PROJECT = "offline-project";
const PROJECT_NUMBER = "123456789012";

type State = Record<string, unknown>;

/** Values the mocks fall back to: the stack's provider config, or offline placeholders. */
export interface MockDefaults {
    project: string;
    region: string;
}

let PROJECT = DEFAULT_PROJECT;
let REGION = "us-central1";

function str(value: unknown, fallback: string): string {
    return typeof value === "string" && value !== "" ? value : fallback;
}

/** Extra outputs for well-known resource types (inputs are always echoed as well). */
const COMPUTED: Record<string, (name: string, inputs: State) => State> = {
    "gcp:serviceaccount/account:Account": (name, i) => {
        const project = str(i.project, PROJECT);
        const email = `${str(i.accountId, name)}@${project}.iam.gserviceaccount.com`;
        return { email, member: `serviceAccount:${email}`, name: `projects/${project}/serviceAccounts/${email}`, uniqueId: "100000000000000000001" };
    },
    "gcp:cloudrunv2/service:Service": (name, i) => {
        const serviceName = str(i.name, name);
        return {
            name: serviceName, project: str(i.project, PROJECT), uri: `https://${serviceName}-offline-uc.a.run.app`,
            urls: [`https://${serviceName}-offline-uc.a.run.app`], latestReadyRevision: `${serviceName}-00001-abc`,
        };
    },
    "gcp:artifactregistry/repository:Repository": (name, i) => {
        const location = str(i.location, REGION);
        const project = str(i.project, PROJECT);
        const repositoryId = str(i.repositoryId, name);
        return {
            project, repositoryId, name: repositoryId,
            registryUri: `${location}-docker.pkg.dev/${project}/${repositoryId}`,
        };
    },
    "gcp:secretmanager/secret:Secret": (name, i) => ({
        project: str(i.project, PROJECT), secretId: str(i.secretId, name), name: `projects/${PROJECT_NUMBER}/secrets/${str(i.secretId, name)}`,
        id: `projects/${str(i.project, PROJECT)}/secrets/${str(i.secretId, name)}`,
    }),
    "gcp:secretmanager/secretVersion:SecretVersion": (name) => ({ name: `projects/${PROJECT_NUMBER}/secrets/${name}/versions/1`, version: "1" }),
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": (name, i) => ({
        name: `projects/${PROJECT_NUMBER}/locations/global/workloadIdentityPools/${str(i.workloadIdentityPoolId, name)}`,
    }),
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": (name, i) => ({
        name: `projects/${PROJECT_NUMBER}/locations/global/workloadIdentityPools/${str(i.workloadIdentityPoolId, "pool")}/providers/${str(i.workloadIdentityPoolProviderId, name)}`,
    }),
    "gcp:compute/network:Network": (name, i) => ({
        name: str(i.name, name), id: `projects/${str(i.project, PROJECT)}/global/networks/${str(i.name, name)}`, selfLink: `https://www.googleapis.com/compute/v1/projects/${str(i.project, PROJECT)}/global/networks/${str(i.name, name)}`,
    }),
    "gcp:compute/subnetwork:Subnetwork": (name, i) => ({
        name: str(i.name, name), id: `projects/${str(i.project, PROJECT)}/regions/${str(i.region, REGION)}/subnetworks/${str(i.name, name)}`, selfLink: `https://www.googleapis.com/compute/v1/projects/${str(i.project, PROJECT)}/regions/${str(i.region, REGION)}/subnetworks/${str(i.name, name)}`,
    }),
    "gcp:projects/serviceIdentity:ServiceIdentity": (_name, i) => {
        const agent = str(i.service, "run.googleapis.com").split(".")[0];
        const email = `service-${PROJECT_NUMBER}@gcp-sa-${agent}.iam.gserviceaccount.com`;
        return { email, member: `serviceAccount:${email}` };
    },
    "gcp:compute/address:Address": () => ({ address: "203.0.113.10" }),
    "gcp:pubsub/topic:Topic": (name, i) => ({ name: str(i.name, name), id: `projects/${str(i.project, PROJECT)}/topics/${str(i.name, name)}` }),
    "gcp:monitoring/notificationChannel:NotificationChannel": (name, i) => ({ name: `projects/${str(i.project, PROJECT)}/notificationChannels/${name}`, id: `projects/${str(i.project, PROJECT)}/notificationChannels/${name}` }),
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": (name) => ({ uptimeCheckId: `${name}-id`, name: `projects/${PROJECT}/uptimeCheckConfigs/${name}-id` }),
    "gcp:billing/budget:Budget": (name) => ({ name: `billingAccounts/000000-000000-000000/budgets/${name}` }),
    "random:index/randomString:RandomString": (name, i) => ({ result: "x".repeat(typeof i.length === "number" ? i.length : 6) }),
    "random:index/randomId:RandomId": () => ({ hex: "a1b2c3", b64Url: "obLD", dec: "10597059" }),
};

/** Sets the project and region the mocks fall back to (from the stack's gcp:project / gcp:region). */
export function setMockDefaults(defaults: Partial<MockDefaults>): void {
    PROJECT = defaults.project || DEFAULT_PROJECT;
    REGION = defaults.region || "us-central1";
}

/**
 * The mock id and state for a new resource: inputs plus plausible computed values. The id is the
 * provider's id format where known (e.g. `projects/p/secrets/s`), else `<name>-id`.
 */
export function mockResource(type: string, name: string, inputs: State): { id: string; state: State } {
    const { id, ...computed } = COMPUTED[type]?.(name, inputs) ?? {};
    return { id: typeof id === "string" ? id : `${name}-id`, state: { ...inputs, ...computed } };
}

/** Results for provider function calls (data sources). */
export function mockCall(token: string, inputs: State): State {
    switch (token) {
        case "gcp:organizations/getProject:getProject":
            return { projectId: str(inputs.projectId, PROJECT), number: PROJECT_NUMBER, name: str(inputs.projectId, PROJECT) };
        case "gcp:organizations/getClientConfig:getClientConfig":
            return { project: PROJECT, region: REGION, accessToken: "offline-token" };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/offline", userId: "OFFLINE" };
        case "aws:index/getRegion:getRegion":
            return { name: "us-east-1", region: "us-east-1" };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com" };
        default:
            return { ...inputs };
    }
}
