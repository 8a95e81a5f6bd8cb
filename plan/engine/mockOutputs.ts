/**
 * Plausible values for what a provider would compute, so resources that depend on them resolve in
 * an offline plan. Pure: type + name + inputs → state. Unknown types echo their inputs.
 */

import { createHash } from "crypto";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import * as YAML from "yaml";
import { functionResult, placeholderFor } from "./invokeShapes";

const AWS_ACCOUNT = "123456789012";
const awsArn = (d: { awsRegion?: string }, service: string, resource: string) =>
    `arn:aws:${service}:${d.awsRegion ?? "us-east-1"}:${AWS_ACCOUNT}:${resource}`;

const DEFAULT_PROJECT = "offline-project";
const PROJECT_NUMBER = "123456789012";

type State = Record<string, unknown>;

/** Values the mocks fall back to: the stack's provider config, or offline placeholders. */
export interface MockDefaults {
    project: string;
    region: string;
    /** The stack's aws:region (AWS resources are regional). */
    awsRegion?: string;
    /** The stack planned: generated values differ per stack, as real ones would. */
    stack?: string;
}

/** Defaults for a stack with no provider config. */
export const OFFLINE_DEFAULTS: MockDefaults = { project: DEFAULT_PROJECT, region: "us-central1" };

/** The mock defaults for a stack's config: its gcp:project and gcp:region, else placeholders. */
export function mockDefaultsFrom(config: Readonly<Record<string, string>>, stack?: string): MockDefaults {
    return {
        project: config["gcp:project"] || OFFLINE_DEFAULTS.project,
        region: config["gcp:region"] || OFFLINE_DEFAULTS.region,
        awsRegion: config["aws:region"] || "us-east-1",
        stack,
    };
}

/**
 * A stand-in for a `random` provider's result: `length` characters from the alphabet its inputs
 * allow (lower, upper, numeric, special; `minLower` etc. are not enforced), derived from the stack
 * and resource name, so two stacks or two resources get different values as real ones would, and
 * every plan of one stack the same.
 */
export function generatedString(i: State, seed: string): string {
    const allowed = (key: string, alternative?: string) => i[key] !== false && (alternative === undefined || i[alternative] !== false);
    const alphabet =
        [
            allowed("lower") ? "abcdefghijklmnopqrstuvwxyz" : "",
            allowed("upper") ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "",
            allowed("numeric", "number") ? "0123456789" : "",
            allowed("special")
                ? typeof i.overrideSpecial === "string" && i.overrideSpecial !== ""
                    ? i.overrideSpecial
                    : "!@#$%&*()-_=+[]{}<>:?"
                : "",
        ].join("") || "abcdefghijklmnopqrstuvwxyz";
    const length = typeof i.length === "number" && i.length > 0 ? Math.min(i.length, 1024) : 16;
    let bytes = Buffer.alloc(0);
    for (let n = 0; bytes.length < length; n++) bytes = Buffer.concat([bytes, createHash("sha256").update(`${seed}|${n}`).digest()]);
    return [...bytes.subarray(0, length)].map((b) => alphabet[b % alphabet.length]).join("");
}

function str(value: unknown, fallback: string): string {
    return typeof value === "string" && value !== "" ? value : fallback;
}

/** A global Compute Engine resource: the provider's auto-name (known at preview), id and self link. */
function globalCompute(collection: string): (name: string, i: State, d: MockDefaults) => State {
    return (name, i, d) => {
        const resourceName = str(i.name, `${name}-0a1b2c3`);
        const id = `projects/${str(i.project, d.project)}/global/${collection}/${resourceName}`;
        return { name: resourceName, id, selfLink: `https://www.googleapis.com/compute/v1/${id}` };
    };
}

/** Extra outputs for well-known resource types (inputs are always echoed as well). */
const COMPUTED: Record<string, (name: string, i: State, d: MockDefaults) => State> = {
    "docker:index/image:Image": (name, i) => {
        const imageName = str(i.imageName, `offline/${name}:latest`);
        const repository = imageName.replace(/:[\w][\w.-]*$/, "");
        const digest = createHash("sha256").update(`${name}|${imageName}`).digest("hex");
        return {
            imageName,
            repoDigest: `${repository}@sha256:${digest}`,
            baseImageName: imageName,
            registryServer: repository.split("/")[0],
        };
    },
    "gcp:serviceaccount/account:Account": (name, i, d) => {
        const project = str(i.project, d.project);
        const email = `${str(i.accountId, name)}@${project}.iam.gserviceaccount.com`;
        return {
            email,
            member: `serviceAccount:${email}`,
            name: `projects/${project}/serviceAccounts/${email}`,
            uniqueId: "100000000000000000001",
        };
    },
    "gcp:cloudrunv2/service:Service": (name, i, d) => {
        const serviceName = str(i.name, name);
        return {
            name: serviceName,
            project: str(i.project, d.project),
            uri: `https://${serviceName}-offline-uc.a.run.app`,
            urls: [`https://${serviceName}-offline-uc.a.run.app`],
            latestReadyRevision: `${serviceName}-00001-abc`,
        };
    },
    "gcp:artifactregistry/repository:Repository": (name, i, d) => {
        const location = str(i.location, d.region);
        const project = str(i.project, d.project);
        const repositoryId = str(i.repositoryId, name);
        return {
            project,
            repositoryId,
            name: repositoryId,
            registryUri: `${location}-docker.pkg.dev/${project}/${repositoryId}`,
        };
    },
    "gcp:secretmanager/secret:Secret": (name, i, d) => ({
        project: str(i.project, d.project),
        secretId: str(i.secretId, name),
        name: `projects/${PROJECT_NUMBER}/secrets/${str(i.secretId, name)}`,
        id: `projects/${str(i.project, d.project)}/secrets/${str(i.secretId, name)}`,
    }),
    "gcp:secretmanager/secretVersion:SecretVersion": (name) => ({
        name: `projects/${PROJECT_NUMBER}/secrets/${name}/versions/1`,
        version: "1",
    }),
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": (name, i) => ({
        name: `projects/${PROJECT_NUMBER}/locations/global/workloadIdentityPools/${str(i.workloadIdentityPoolId, name)}`,
    }),
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": (name, i) => ({
        name: `projects/${PROJECT_NUMBER}/locations/global/workloadIdentityPools/${str(i.workloadIdentityPoolId, "pool")}/providers/${str(i.workloadIdentityPoolProviderId, name)}`,
    }),
    "gcp:compute/network:Network": (name, i, d) => ({
        name: str(i.name, name),
        id: `projects/${str(i.project, d.project)}/global/networks/${str(i.name, name)}`,
        selfLink: `https://www.googleapis.com/compute/v1/projects/${str(i.project, d.project)}/global/networks/${str(i.name, name)}`,
    }),
    "gcp:compute/subnetwork:Subnetwork": (name, i, d) => ({
        name: str(i.name, name),
        id: `projects/${str(i.project, d.project)}/regions/${str(i.region, d.region)}/subnetworks/${str(i.name, name)}`,
        selfLink: `https://www.googleapis.com/compute/v1/projects/${str(i.project, d.project)}/regions/${str(i.region, d.region)}/subnetworks/${str(i.name, name)}`,
    }),
    "gcp:projects/serviceIdentity:ServiceIdentity": (_name, i) => {
        const agent = str(i.service, "run.googleapis.com").split(".")[0];
        const email = `service-${PROJECT_NUMBER}@gcp-sa-${agent}.iam.gserviceaccount.com`;
        return { email, member: `serviceAccount:${email}` };
    },
    "gcp:compute/address:Address": () => ({ address: "203.0.113.10" }),
    "gcp:sql/databaseInstance:DatabaseInstance": (name, i, d) => {
        const instance = str(i.name, `${name}-offline`);
        return {
            name: instance,
            connectionName: `${str(i.project, d.project)}:${str(i.region, d.region)}:${instance}`,
            privateIpAddress: "10.64.0.3",
            publicIpAddress: "",
            serverCaCerts: [],
        };
    },
    "gcp:redis/instance:Instance": () => ({
        host: "10.64.1.4",
        port: 6378,
        authString: "offline-auth-string",
        serverCaCerts: [{ cert: "-----BEGIN CERTIFICATE-----\noffline\n-----END CERTIFICATE-----" }],
    }),
    // External addresses come from TEST-NET-3 (RFC 5737), which is reserved for documentation.
    "gcp:compute/globalAddress:GlobalAddress": (name, i) => ({
        name,
        address: i.addressType === "EXTERNAL" ? "203.0.113.10" : "10.64.0.0",
    }),
    "gcp:compute/uRLMap:URLMap": globalCompute("urlMaps"),
    "gcp:compute/securityPolicy:SecurityPolicy": globalCompute("securityPolicies"),
    "gcp:compute/backendService:BackendService": globalCompute("backendServices"),
    "gcp:compute/managedSslCertificate:ManagedSslCertificate": globalCompute("sslCertificates"),
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy": globalCompute("targetHttpsProxies"),
    "gcp:compute/targetHttpProxy:TargetHttpProxy": globalCompute("targetHttpProxies"),
    "random:index/randomPassword:RandomPassword": (name, i, d) => ({ result: generatedString(i, `${d.stack}|${name}`) }),
    "aws:ecr/repository:Repository": (name, i, d) => {
        const repo = str(i.name, name);
        return {
            name: repo,
            arn: awsArn(d, "ecr", `repository/${repo}`),
            registryId: AWS_ACCOUNT,
            repositoryUrl: `${AWS_ACCOUNT}.dkr.ecr.${d.awsRegion ?? "us-east-1"}.amazonaws.com/${repo}`,
        };
    },
    "aws:iam/role:Role": (name, i) => ({
        name: str(i.name, `${name}-offline`),
        arn: `arn:aws:iam::${AWS_ACCOUNT}:role/${str(i.name, `${name}-offline`)}`,
    }),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": () => ({
        arn: `arn:aws:iam::${AWS_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    }),
    "aws:ecs/cluster:Cluster": (name, i, d) => ({ name: str(i.name, name), arn: awsArn(d, "ecs", `cluster/${str(i.name, name)}`) }),
    // Name and ARN only: the endpoint and CA stay unknown until the cluster exists (a provider built from them plans offline).
    "aws:eks/cluster:Cluster": (name, i, d) => ({
        name: str(i.name, name),
        arn: awsArn(d, "eks", `cluster/${str(i.name, name)}`),
        // The security group EKS creates for the control plane and managed nodes (what data admits).
        vpcConfig: {
            ...(typeof i.vpcConfig === "object" && i.vpcConfig !== null ? i.vpcConfig : {}),
            clusterSecurityGroupId: `${name}-security-group-id`,
        },
    }),
    "aws:ecs/service:Service": (name, i, d) => ({
        name: str(i.name, name),
        arn: awsArn(d, "ecs", `service/${str(i.name, name)}/${str(i.name, name)}`),
    }),
    "aws:ecs/taskDefinition:TaskDefinition": (name, i, d) => ({
        arn: awsArn(d, "ecs", `task-definition/${str(i.family, name)}:1`),
        revision: 1,
    }),
    "aws:lb/loadBalancer:LoadBalancer": (name, _i, d) => ({
        arn: awsArn(d, "elasticloadbalancing", `loadbalancer/app/${name}-offline/0123456789abcdef`),
        arnSuffix: `app/${name}-offline/0123456789abcdef`,
        dnsName: `${name}-offline-123456789.${d.awsRegion ?? "us-east-1"}.elb.amazonaws.com`,
    }),
    "aws:lb/targetGroup:TargetGroup": (name, _i, d) => ({
        arn: awsArn(d, "elasticloadbalancing", `targetgroup/${name}-offline/0123456789abcdef`),
        arnSuffix: `targetgroup/${name}-offline/0123456789abcdef`,
    }),
    "aws:lb/listener:Listener": (name, _i, d) => ({
        arn: awsArn(d, "elasticloadbalancing", `listener/app/${name}-offline/0123456789abcdef/fedcba9876543210`),
    }),
    "aws:acm/certificate:Certificate": (name, i, d) => ({
        arn: awsArn(d, "acm", `certificate/${name}-offline`),
        domainValidationOptions: [
            {
                domainName: str(i.domainName, "example.com"),
                resourceRecordName: `_offline.${str(i.domainName, "example.com")}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: "_offline.acm-validations.aws.",
            },
        ],
    }),
    "aws:acm/certificateValidation:CertificateValidation": (_name, i) => ({ certificateArn: i.certificateArn }),
    "aws:wafv2/webAcl:WebAcl": (name, _i, d) => ({ arn: awsArn(d, "wafv2", `regional/webacl/${name}-offline/0123`) }),
    "aws:lambda/function:Function": (name, i, d) => ({
        name: str(i.name, name),
        arn: awsArn(d, "lambda", `function:${str(i.name, name)}`),
        version: "1",
    }),
    "aws:lambda/alias:Alias": (name, i, d) => ({
        name: str(i.name, name),
        arn: awsArn(d, "lambda", `function:${str(i.functionName, name)}:${str(i.name, name)}`),
    }),
    "aws:lambda/functionUrl:FunctionUrl": (name) => ({ functionUrl: `https://${name}-offline.lambda-url.on.aws/` }),
    "aws:elasticache/replicationGroup:ReplicationGroup": (name, i, d) => ({
        primaryEndpointAddress: `master.${str(i.replicationGroupId, name)}.offline.${d.awsRegion ?? "us-east-1"}.cache.amazonaws.com`,
    }),
    "aws:ssm/parameter:Parameter": (name, i, d) => ({ arn: awsArn(d, "ssm", `parameter${str(i.name, `/${name}`)}`) }),
    "aws:secretsmanager/secret:Secret": (name, i, d) => ({ arn: awsArn(d, "secretsmanager", `secret:${str(i.name, name)}-AbCdEf`) }),
    "aws:sns/topic:Topic": (name, _i, d) => ({ arn: awsArn(d, "sns", `${name}-offline`) }),
    "aws:cloudwatch/logGroup:LogGroup": (name, i, d) => ({
        name: str(i.name, name),
        arn: awsArn(d, "logs", `log-group:${str(i.name, name)}`),
    }),
    "aws:rds/instance:Instance": (name, _i, d) => ({
        address: `${name}.offline.${d.awsRegion ?? "us-east-1"}.rds.amazonaws.com`,
        endpoint: `${name}.offline.${d.awsRegion ?? "us-east-1"}.rds.amazonaws.com:5432`,
    }),
    "aws:budgets/budget:Budget": (name, i) => ({ name: str(i.name, `${name}-offline`) }),
    "gcp:pubsub/topic:Topic": (name, i, d) => ({
        name: str(i.name, name),
        id: `projects/${str(i.project, d.project)}/topics/${str(i.name, name)}`,
    }),
    "gcp:monitoring/notificationChannel:NotificationChannel": (name, i, d) => ({
        name: `projects/${str(i.project, d.project)}/notificationChannels/${name}`,
        id: `projects/${str(i.project, d.project)}/notificationChannels/${name}`,
    }),
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": (name, _i, d) => ({
        uptimeCheckId: `${name}-id`,
        name: `projects/${d.project}/uptimeCheckConfigs/${name}-id`,
    }),
    "gcp:billing/budget:Budget": (name) => ({ name: `billingAccounts/000000-000000-000000/budgets/${name}` }),
    "random:index/randomString:RandomString": (name, i, d) => ({ result: generatedString(i, `${d.stack}|${name}`) }),
    "random:index/randomId:RandomId": (name, i, d) => {
        const bytes = createHash("sha256")
            .update(`${d.stack}|${name}`)
            .digest()
            .subarray(0, typeof i.byteLength === "number" && i.byteLength > 0 ? Math.min(i.byteLength, 32) : 4);
        const prefix = typeof i.prefix === "string" ? i.prefix : "";
        return {
            hex: `${prefix}${bytes.toString("hex")}`,
            b64Url: `${prefix}${bytes.toString("base64url")}`,
            b64Std: `${prefix}${bytes.toString("base64")}`,
            dec: `${prefix}${BigInt(`0x${bytes.toString("hex")}`).toString()}`,
        };
    },
    "gcp:kms/keyRing:KeyRing": (name, i, d) => ({
        id: `projects/${str(i.project, d.project)}/locations/${str(i.location, d.region)}/keyRings/${str(i.name, name)}`,
    }),
    "gcp:kms/cryptoKey:CryptoKey": (name, i) => ({
        id: `${str(i.keyRing, "projects/p/locations/l/keyRings/r")}/cryptoKeys/${str(i.name, name)}`,
    }),
    "gcp:storage/bucket:Bucket": (name, i) => ({ id: str(i.name, name), url: `gs://${str(i.name, name)}` }),
    "aws:kms/key:Key": (name, _i, d) => ({ keyId: `${name}-0000-offline`, arn: awsArn(d, "kms", `key/${name}-0000-offline`) }),
    "aws:s3/bucket:Bucket": (name, i) => ({ bucket: str(i.bucket, name), arn: `arn:aws:s3:::${str(i.bucket, name)}` }),
    // Another stack's outputs cannot be known offline: unknown, as a preview shows what it cannot read.
    "pulumi:pulumi:StackReference": () => ({ outputs: unknownValue, secretOutputNames: [] }),
};

/**
 * The mock id and state for a new resource: inputs plus plausible computed values. The id is the
 * provider's id format where known (e.g. `projects/p/secrets/s`), else `<name>-id`.
 */
export function mockResource(
    type: string,
    name: string,
    inputs: State,
    defaults: MockDefaults = OFFLINE_DEFAULTS,
): { id: string; state: State } {
    const { id, ...computed } = COMPUTED[type]?.(name, inputs, defaults) ?? {};
    return { id: typeof id === "string" ? id : `${name}-id`, state: { ...inputs, ...computed } };
}

/** A lookup's answer, and the fields of its declared result that got placeholders. */
export interface CallAnswer {
    readonly value: State;
    readonly placeholders: string[];
    /** How the answer was made, when not from the declared type (`parsed offline`, `not rendered offline`…). */
    readonly note?: string;
}

/**
 * The answer to a provider function call (a data lookup): a value of the function's declared
 * result type (invokeShapes.ts), its fields taken from a plausible value below where there is one,
 * else from the call's arguments of the same name, else placeholders of the declared type.
 * Optional fields nobody set stay absent, as the provider leaves them. A function whose declaration
 * cannot be found is answered with its arguments, as before; a resource method with nothing.
 */
export function answerCall(
    token: string,
    inputs: State,
    d: MockDefaults = OFFLINE_DEFAULTS,
    cwd = process.cwd(),
    method = false,
): CallAnswer {
    if (token in UNANSWERED) return { ...UNANSWERED[token], placeholders: [...UNANSWERED[token].placeholders] };
    const known = knownCall(token, inputs, d);
    const result = method ? undefined : functionResult(token, cwd);
    // A resource method (`Cluster/getKubeconfig`) is answered by the component's plugin: offline, by nothing.
    if (!result) {
        if (known)
            return { value: known, placeholders: [], note: token === "kubernetes:yaml:decode" ? "parsed offline" : "answered offline" };
        return method
            ? { value: {}, placeholders: [], note: "a component method: no value offline" }
            : { value: { ...inputs }, placeholders: [], note: "no declared result type found: answered with its arguments" };
    }
    const fn = token.split(":")[2];
    const value: State = { ...known };
    const placeholders: string[] = [];
    for (const f of result.fields) {
        if (known !== undefined && f.name in known) continue;
        if (inputs[f.name] !== undefined) value[f.name] = inputs[f.name];
        else if (!f.optional) {
            value[f.name] = placeholderFor(f.shape, fn, f.name, result);
            placeholders.push(f.name);
        }
    }
    return { value, placeholders };
}

/**
 * Functions whose answer needs a tool the offline plan does not run: answered empty, the field
 * named as a placeholder. `kubernetes:helm:template` renders a chart with helm (the Kubernetes
 * provider's helm/v3 Chart): offline the chart has no manifests.
 */
const UNANSWERED: Readonly<Record<string, CallAnswer>> = {
    "kubernetes:helm:template": {
        value: { result: [] },
        placeholders: ["result"],
        note: "not rendered offline (helm): the chart has no manifests here",
    },
};

/** Plausible answers for lookups whose values matter to Runway's own programs (or undefined). */
function knownCall(token: string, inputs: State, d: MockDefaults): State | undefined {
    switch (token) {
        case "gcp:organizations/getProject:getProject":
            return { projectId: str(inputs.projectId, d.project), number: PROJECT_NUMBER, name: str(inputs.projectId, d.project) };
        case "github:index/getUser:getUser": {
            const login = str(inputs.username, "octocat");
            const id = String(parseInt(createHash("sha256").update(login).digest("hex").slice(0, 7), 16));
            return { id, login, nodeId: `U_${id}`, name: login };
        }
        case "gcp:organizations/getClientConfig:getClientConfig":
            return { project: d.project, region: d.region, accessToken: "offline-token" };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/offline", userId: "OFFLINE" };
        case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
            return {
                userName: "AWS",
                password: "offline-ecr-token",
                authorizationToken: "offline",
                proxyEndpoint: `https://${AWS_ACCOUNT}.dkr.ecr.${d.awsRegion ?? "us-east-1"}.amazonaws.com`,
            };
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const region = d.awsRegion ?? "us-east-1";
            return { names: ["a", "b", "c", "d"].map((z) => `${region}${z}`), zoneIds: [], id: region };
        }
        case "aws:index/getRegion:getRegion": {
            const region = d.awsRegion ?? "us-east-1";
            return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com` };
        }
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com" };
        case "kubernetes:yaml:decode":
            // The provider parses the manifests (yaml.ConfigFile, ConfigGroup); so can the plan.
            return {
                result: YAML.parseAllDocuments(String(inputs.text ?? ""))
                    .map((doc) => doc.toJS())
                    .filter((o) => o !== null && o !== undefined),
            };
        default:
            return undefined;
    }
}
