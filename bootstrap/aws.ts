import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GITHUB_OIDC_URL } from "../rules/oidc";
import {
    StackPreviewer,
    awskmsUrl,
    backendCommands,
    backendUrl,
    defaultBucketName,
    kmsKeyPolicy,
    s3BucketPolicy,
    s3LifecycleRules,
} from "./backend";

export interface AwsStateBackendArgs {
    /** Region of the bucket and key. @example "us-east-1" */
    readonly region: string;
    /** Bucket name (global). @default "<account>-<region>-pulumi-state" */
    readonly bucketName?: string;
    /** IAM role or user ARNs that run Pulumi: state objects and the key's encrypt/decrypt only. @default [] */
    readonly deployers?: string[];
    /**
     * Read-only previewer roles, one per stack (a Runway stack's `previewRoleArn`): each reads only that
     * stack's state objects (decrypting them only through S3) and decrypts only with that stack's own key
     * (`alias/<bootstrap>-<stack>-secrets`, which the stack must use as its secrets provider). @default []
     */
    readonly previewers?: StackPreviewer[];
    /** The Pulumi project whose stacks the previewers read. @default "runway" */
    readonly previewProject?: string;
    /** Days an old state version is kept once superseded (the 10 newest are always kept). @default 90 */
    readonly noncurrentVersionDays?: number;
    /** Days between automatic key rotations (90-2560). @default 90 */
    readonly keyRotationDays?: number;
}

/**
 * Pulumi state and secrets on AWS: a versioned S3 bucket encrypted with its own KMS key, all
 * public access blocked, ACLs off, TLS-only policy, old versions expiring; the key (rotation on)
 * doubles as the `awskms://` secrets provider. The bucket and key are protected.
 */
export class AwsStateBackend extends pulumi.ComponentResource {
    public readonly bucket: aws.s3.Bucket;
    public readonly key: aws.kms.Key;
    /** The state bucket's name. */
    public readonly bucketName: pulumi.Output<string>;
    /** `pulumi login` URL (`s3://<bucket>?region=...`). */
    public readonly loginUrl: pulumi.Output<string>;
    /** `--secrets-provider` value (`awskms://alias/...?region=...`). */
    public readonly secretsProvider: pulumi.Output<string>;
    /** Previewed stack → its own `--secrets-provider` value. */
    public readonly stackSecretsProviders: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: AwsStateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:bootstrap:AwsStateBackend", name, {}, opts);
        const deployers = args.deployers ?? [];
        const previewers = args.previewers ?? [];
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const bucketName = args.bucketName ?? account.apply((a) => defaultBucketName(a, args.region));
        const bucketArn = pulumi.interpolate`arn:aws:s3:::${bucketName}`;

        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: "Pulumi state encryption and stack secrets (awskms://)",
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                enableKeyRotation: true,
                rotationPeriodInDays: args.keyRotationDays ?? 90,
                deletionWindowInDays: 30,
                policy: pulumi
                    .all([account, bucketArn])
                    .apply(([a, arn]) =>
                        kmsKeyPolicy(a, deployers, { previewers: previewers.map((p) => p.member), bucketArn: arn, region: args.region }),
                    ),
            },
            { parent: this, protect: true },
        );
        for (const p of previewers) this.stackSecretsProviders[p.stack] = this.createStackKey(name, p, account, deployers, args);
        const alias = new aws.kms.Alias(
            `${name}-key-alias`,
            { name: `alias/${pulumi.getProject()}-${pulumi.getStack()}-secrets`, targetKeyId: this.key.keyId },
            { parent: this },
        );

        this.bucket = this.createStateBucket(name, args, bucketName);

        this.bucketName = this.bucket.bucket;
        this.loginUrl = this.bucket.bucket.apply((b) => backendUrl("aws", b, args.region));
        this.secretsProvider = alias.name.apply((n) => awskmsUrl(n, args.region));
        this.registerOutputs({ loginUrl: this.loginUrl, secretsProvider: this.secretsProvider });
    }

    /** The state bucket: owner-enforced, never public, versioned, encrypted with the state key, old versions expiring. Protected. */
    private createStateBucket(name: string, args: AwsStateBackendArgs, bucketName: pulumi.Input<string>): aws.s3.Bucket {
        const stateBucket = new aws.s3.Bucket(
            `${name}-state`,
            {
                bucket: bucketName,
                forceDestroy: false,
            },
            { parent: this, protect: true },
        );
        const bucket = stateBucket.id;
        const child = { parent: this };
        new aws.s3.BucketOwnershipControls(`${name}-state-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-state-public-access`,
            {
                bucket,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            child,
        );
        new aws.s3.BucketVersioning(`${name}-state-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } }, child);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-state-encryption`,
            {
                bucket,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn },
                        bucketKeyEnabled: true,
                    },
                ],
            },
            child,
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-state-lifecycle`,
            { bucket, rules: s3LifecycleRules(args.noncurrentVersionDays ?? 90) },
            child,
        );
        // After the public access block, so S3 evaluates the policy with it in place.
        new aws.s3.BucketPolicy(
            `${name}-state-policy`,
            {
                bucket,
                policy: stateBucket.arn.apply((arn) =>
                    s3BucketPolicy(arn, args.deployers ?? [], args.previewers ?? [], args.previewProject ?? "runway"),
                ),
            },
            { parent: this, dependsOn: [publicAccess] },
        );
        return stateBucket;
    }

    /** The exact `pulumi login` and `pulumi stack init --secrets-provider` commands. */
    commands() {
        return pulumi
            .all([this.loginUrl, this.secretsProvider, pulumi.all(this.stackSecretsProviders)])
            .apply(([url, provider, perStack]) => backendCommands(url, provider, undefined, perStack));
    }

    /** A previewed stack's own secrets key: deployers use it, its previewer only decrypts with it. Protected, like the bucket's. */
    private createStackKey(
        name: string,
        previewer: StackPreviewer,
        account: pulumi.Output<string>,
        deployers: readonly string[],
        args: AwsStateBackendArgs,
    ): pulumi.Output<string> {
        const key = new aws.kms.Key(
            `${name}-key-${previewer.stack}`,
            {
                description: `Stack secrets of ${previewer.stack} (awskms://); its previewer may decrypt`,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                enableKeyRotation: true,
                rotationPeriodInDays: args.keyRotationDays ?? 90,
                deletionWindowInDays: 30,
                policy: account.apply((a) => kmsKeyPolicy(a, deployers, { stackPreviewer: previewer.member })),
            },
            { parent: this, protect: true },
        );
        const alias = new aws.kms.Alias(
            `${name}-key-${previewer.stack}-alias`,
            { name: `alias/${pulumi.getProject()}-${pulumi.getStack()}-${previewer.stack}-secrets`, targetKeyId: key.keyId },
            { parent: this },
        );
        return alias.name.apply((n) => awskmsUrl(n, args.region));
    }
}

/**
 * The account's GitHub OIDC provider (`token.actions.githubusercontent.com`, audience `sts.amazonaws.com`): IAM allows
 * one per URL per account, so it belongs here, created once per account, and every stack's CI roles trust it without
 * owning it (destroying a stack never breaks another's CI). Protected. No thumbprints: IAM trusts GitHub's issuer
 * through its own library of root CAs (IAM "Create an OpenID Connect (OIDC) identity provider").
 */
export class GithubOidcProvider extends pulumi.ComponentResource {
    public readonly provider: aws.iam.OpenIdConnectProvider;
    /** The ARN the stacks look up (or `runway:awsOidcProviderArn`). */
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("runway:bootstrap:GithubOidcProvider", name, {}, opts);
        this.provider = new aws.iam.OpenIdConnectProvider(
            `${name}-provider`,
            { url: GITHUB_OIDC_URL, clientIdLists: ["sts.amazonaws.com"], tags: { "managed-by": "runway-bootstrap" } },
            { parent: this, protect: true },
        );
        this.arn = this.provider.arn;
        this.registerOutputs({ arn: this.arn });
    }
}
