/**
 * Pure decisions of the bootstrap program: names, lifecycle rules, policies and the exact Pulumi
 * commands that use the state bucket and the secrets key. The components only create resources.
 */

/** Google APIs the GCP backend needs. */
export const GCP_APIS = ["cloudkms.googleapis.com", "storage.googleapis.com"];

/** Role on the state bucket only: read and write state objects, nothing on the bucket itself. */
export const GCS_STATE_ROLE = "roles/storage.objectAdmin";
/** Role on the secrets key only: encrypt and decrypt, no key administration. */
export const KMS_SECRETS_ROLE = "roles/cloudkms.cryptoKeyEncrypterDecrypter";

/** Key ring and key names (key rings can never be deleted, so the names are fixed). */
export const KEY_RING = "pulumi";
export const CRYPTO_KEY = "pulumi-secrets";

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

/** The S3 bucket policy: refuse any request not over TLS; let each deployer read and write state only. */
export function s3BucketPolicy(bucketArn: string, deployers: readonly string[]): string {
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
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * The KMS key policy: the account keeps administration (without it the key could be locked out
 * for good); deployers may only encrypt, decrypt and make data keys (state secrets and S3 SSE-KMS).
 */
export function kmsKeyPolicy(accountId: string, deployers: readonly string[]): string {
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

/** The exact commands: log in to the bucket, then create each Runway stack with the key as secrets provider. */
export function backendCommands(loginUrl: string, secretsProvider: string, stacks: readonly string[] = RUNWAY_STACKS) {
    return {
        login: `pulumi login '${loginUrl}'`,
        stackInit: Object.fromEntries(stacks.map((s) => [s, `pulumi stack init ${s} --secrets-provider '${secretsProvider}'`])),
    };
}
