/**
 * Pure decisions of the bootstrap program: names, lifecycle rules, policies and the exact Pulumi
 * commands that use the state bucket and the secrets key. The components only create resources.
 */
import { FOUNDATION_APIS, requiredApis } from "../rules/gcp/apis";

/**
 * Google APIs the GCP bootstrap enables: the backend's own (KMS, Storage), what enabling APIs needs
 * on the quota project (Service Usage, Cloud Resource Manager), and every API each Runway stack
 * enables, so that by a stack's first `up` their eventually consistent activation has settled.
 */
export const GCP_APIS = [
    ...new Set([
        "cloudkms.googleapis.com",
        "storage.googleapis.com",
        ...FOUNDATION_APIS,
        ...requiredApis({ ciIdentity: true, vulnerabilityScanning: true }),
    ]),
].sort();

/** Role on the state bucket only: read and write state objects, nothing on the bucket itself. */
export const GCS_STATE_ROLE = "roles/storage.objectAdmin";
/** Role on the secrets key only: encrypt and decrypt, no key administration. */
export const KMS_SECRETS_ROLE = "roles/cloudkms.cryptoKeyEncrypterDecrypter";

/** Key ring and key names (key rings can never be deleted, so the names are fixed). */
export const KEY_RING = "pulumi";
export const CRYPTO_KEY = "pulumi-secrets";

/** A previewed stack's own secrets key: only its previewer may decrypt with it (`pulumi-secrets-<stack>`). */
export function stackKeyName(stack: string): string {
    return `${CRYPTO_KEY}-${stack}`;
}

/** A previewer's roles: read state objects (narrowed by a condition to its stack's) and decrypt with its stack's key. */
export const GCS_PREVIEW_ROLE = "roles/storage.objectViewer";
export const KMS_PREVIEW_ROLE = "roles/cloudkms.cryptoKeyDecrypter";

/**
 * The state objects a preview of one stack reads on a DIY backend: the backend's `meta.yaml` and the
 * stack's checkpoint (`<stack>.json`, or `.json.gz` when compressed). A preview writes nothing and takes
 * no lock (pulumi/pulumi `pkg/backend/diy/backend.go`: Preview → apply with DryRun, no snapshot
 * persister, no Lock; `meta.go`: readPulumiMeta).
 */
export function previewStateObjects(project: string, stack: string): { meta: string; checkpoint: string } {
    return { meta: ".pulumi/meta.yaml", checkpoint: `.pulumi/stacks/${project}/${stack}.json` };
}

/**
 * The IAM condition that narrows a previewer's object read on the state bucket to its stack's objects
 * (cloud.google.com/iam/docs/conditions-resource-attributes: Cloud Storage object names are
 * `projects/_/buckets/<bucket>/objects/<object>`; a list request names the bucket, so it is refused).
 */
export function gcsPreviewCondition(bucket: string, project: string, stack: string) {
    const { meta, checkpoint } = previewStateObjects(project, stack);
    const object = (name: string) => `projects/_/buckets/${bucket}/objects/${name}`;
    return {
        title: `preview ${project}/${stack}`.slice(0, 100),
        description: `Only the state objects a preview of ${project}/${stack} reads.`,
        expression: `resource.name == "${object(meta)}" || resource.name.startsWith("${object(checkpoint)}")`,
    };
}

/** The stacks of the Runway program whose `pulumi stack init` commands the bootstrap prints. */
export const RUNWAY_STACKS = ["solo", "staging", "production"];

/** Bucket names are global: the GCP project id or AWS account + region makes the default unique. */
export function defaultBucketName(owner: string, region?: string): string {
    return [owner, region, "pulumi-state"].filter(Boolean).join("-").toLowerCase().slice(0, 63).replace(/-$/, "");
}

/** `rotationPeriod` for Cloud KMS: days in seconds, e.g. "7776000s" for 90 days. */
export function rotationPeriod(days: number): string {
    return `${days * 86_400}s`;
}

/** GCS lifecycle: delete a state file's old versions once they have been noncurrent for `days`. */
export function gcsLifecycleRules(days: number) {
    return [{ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: days, withState: "ARCHIVED" } }];
}

/** S3 lifecycle: expire noncurrent state versions after `days` (keeping the 10 newest), drop stale uploads. */
export function s3LifecycleRules(days: number) {
    return [
        {
            id: "expire-old-state-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: days, newerNoncurrentVersions: 10 },
        },
        { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
    ];
}

/** A previewer of one stack, as the bootstrap grants it. */
export interface StackPreviewer {
    readonly stack: string;
    readonly member: string;
}

/**
 * The S3 bucket policy: refuse any request not over TLS; let each deployer read and write state only;
 * let each previewer read its own stack's state objects only.
 */
export function s3BucketPolicy(
    bucketArn: string,
    deployers: readonly string[],
    previewers: readonly StackPreviewer[] = [],
    project = "runway",
): string {
    const statements: object[] = [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucketArn, `${bucketArn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    ];
    if (deployers.length > 0) {
        statements.push(
            { Sid: "DeployersList", Effect: "Allow", Principal: { AWS: [...deployers] }, Action: "s3:ListBucket", Resource: bucketArn },
            {
                Sid: "DeployersState",
                Effect: "Allow",
                Principal: { AWS: [...deployers] },
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                Resource: `${bucketArn}/*`,
            },
        );
    }
    for (const p of previewers) {
        const { meta, checkpoint } = previewStateObjects(project, p.stack);
        statements.push({
            Sid: `Preview${p.stack.replace(/[^A-Za-z0-9]/g, "")}State`,
            Effect: "Allow",
            Principal: { AWS: p.member },
            Action: "s3:GetObject",
            Resource: [`${bucketArn}/${meta}`, `${bucketArn}/${checkpoint}*`],
        });
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * The KMS key policy: the account keeps administration (without it the key could be locked out
 * for good); deployers may only encrypt, decrypt and make data keys (state secrets and S3 SSE-KMS).
 * `previewers` (of the bucket's key): decrypt only through S3 and only for this bucket's objects
 * (an S3 Bucket Key's encryption context is the bucket ARN: docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html),
 * so they read the state objects the bucket policy lets them read and decrypt no stack secret.
 * `stackPreviewer` (of a stack's own key): decrypt with it, for that stack's secrets.
 */
export function kmsKeyPolicy(
    accountId: string,
    deployers: readonly string[],
    readers: { previewers?: readonly string[]; bucketArn?: string; region?: string; stackPreviewer?: string } = {},
): string {
    const statements: object[] = [
        {
            Sid: "AccountAdministers",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${accountId}:root` },
            Action: "kms:*",
            Resource: "*",
        },
    ];
    if (deployers.length > 0) {
        statements.push({
            Sid: "DeployersUseKey",
            Effect: "Allow",
            Principal: { AWS: [...deployers] },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
            Resource: "*",
        });
    }
    if ((readers.previewers ?? []).length > 0 && readers.bucketArn && readers.region)
        statements.push({
            Sid: "PreviewersReadStateThroughS3",
            Effect: "Allow",
            Principal: { AWS: [...readers.previewers!] },
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: {
                StringEquals: {
                    "kms:ViaService": `s3.${readers.region}.amazonaws.com`,
                    "kms:EncryptionContext:aws:s3:arn": readers.bucketArn,
                },
            },
        });
    if (readers.stackPreviewer)
        statements.push({
            Sid: "PreviewerDecryptsItsStack",
            Effect: "Allow",
            Principal: { AWS: readers.stackPreviewer },
            Action: "kms:Decrypt",
            Resource: "*",
        });
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** `gcpkms://projects/<p>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>`. */
export function gcpkmsUrl(cryptoKeyId: string): string {
    return `gcpkms://${cryptoKeyId}`;
}

/** `awskms://alias/<name>?region=<region>`. */
export function awskmsUrl(aliasName: string, region: string): string {
    return `awskms://${aliasName}?region=${region}`;
}

/** The `pulumi login` URL of the state bucket. */
export function backendUrl(cloud: "gcp" | "aws", bucket: string, region: string): string {
    return cloud === "gcp" ? `gs://${bucket}` : `s3://${bucket}?region=${region}&awssdk=v2`;
}

/**
 * The exact commands: log in to the bucket, then create each Runway stack with the key as secrets
 * provider (a previewed stack with its own key, `stackProviders`); an existing previewed stack moves to
 * its own key with `pulumi stack change-secrets-provider`.
 */
export function backendCommands(
    loginUrl: string,
    secretsProvider: string,
    stacks: readonly string[] = RUNWAY_STACKS,
    stackProviders: Readonly<Record<string, string>> = {},
) {
    const providerOf = (s: string) => stackProviders[s] ?? secretsProvider;
    return {
        login: `pulumi login '${loginUrl}'`,
        stackInit: Object.fromEntries(
            [...new Set([...stacks, ...Object.keys(stackProviders)])].map((s) => [
                s,
                `pulumi stack init ${s} --secrets-provider '${providerOf(s)}'`,
            ]),
        ),
        ...(Object.keys(stackProviders).length > 0
            ? {
                  changeSecretsProvider: Object.fromEntries(
                      Object.entries(stackProviders).map(([s, url]) => [s, `pulumi stack change-secrets-provider --stack ${s} '${url}'`]),
                  ),
              }
            : {}),
    };
}
