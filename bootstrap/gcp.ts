import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Apis } from "../components/gcp/apis";
import { slug } from "../components/gcp/names";
import {
    CRYPTO_KEY,
    GCP_APIS,
    GCS_PREVIEW_ROLE,
    KMS_PREVIEW_ROLE,
    StackPreviewer,
    gcsPreviewCondition,
    stackKeyName,
    GCS_STATE_ROLE,
    KEY_RING,
    KMS_SECRETS_ROLE,
    backendCommands,
    backendUrl,
    defaultBucketName,
    gcpkmsUrl,
    gcsLifecycleRules,
    rotationPeriod,
} from "./backend";

export interface GcpStateBackendArgs {
    /** Project that holds the state bucket and key. */
    readonly project: string;
    /** Region of the bucket and key ring. @default "us-central1" */
    readonly region?: string;
    /** Bucket name (global). @default "<project>-pulumi-state" */
    readonly bucketName?: string;
    /** Members that run Pulumi (deployer service accounts, people): object admin on the bucket and encrypter/decrypter on the key, nothing else. @default [] */
    readonly deployers?: string[];
    /**
     * Read-only previewers, one per stack (a Runway stack's `previewerServiceAccount`): each reads only
     * that stack's state objects and decrypts only with that stack's own key (`pulumi-secrets-<stack>`,
     * which the stack must use as its secrets provider); deployers may use every key. @default []
     */
    readonly previewers?: StackPreviewer[];
    /** The Pulumi project whose stacks the previewers read. @default "runway" */
    readonly previewProject?: string;
    /** Days an old state version is kept once superseded. @default 90 */
    readonly noncurrentVersionDays?: number;
    /** Days between automatic key rotations. @default 90 */
    readonly keyRotationDays?: number;
}

/**
 * Pulumi state and secrets on GCP: a versioned bucket with uniform access and public access
 * prevention (old versions expire), a Cloud KMS key for `gcpkms://` with scheduled rotation, and
 * least-privilege grants on exactly those two. The bucket, key ring and key are protected.
 */
export class GcpStateBackend extends pulumi.ComponentResource {
    public readonly bucket: gcp.storage.Bucket;
    public readonly key: gcp.kms.CryptoKey;
    /** The state bucket's name. */
    public readonly bucketName: pulumi.Output<string>;
    /** `pulumi login` URL (`gs://<bucket>`). */
    public readonly loginUrl: pulumi.Output<string>;
    /** `--secrets-provider` value (`gcpkms://projects/.../cryptoKeys/pulumi-secrets`). */
    public readonly secretsProvider: pulumi.Output<string>;
    /** Previewed stack → its own `--secrets-provider` value. */
    public readonly stackSecretsProviders: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: GcpStateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:bootstrap:GcpStateBackend", name, {}, opts);
        const { project } = args;
        const region = args.region ?? "us-central1";
        const apis = new Apis(`${name}-apis`, { project, services: GCP_APIS }, { parent: this });
        const after = { parent: this, dependsOn: apis.services };

        this.bucket = new gcp.storage.Bucket(
            `${name}-state`,
            {
                project,
                name: args.bucketName ?? defaultBucketName(project),
                location: region,
                uniformBucketLevelAccess: true,
                publicAccessPrevention: "enforced",
                versioning: { enabled: true },
                lifecycleRules: gcsLifecycleRules(args.noncurrentVersionDays ?? 90),
                forceDestroy: false,
            },
            { ...after, protect: true },
        );

        // Key rings and keys can never be deleted in Cloud KMS; protect them so a destroy stops early.
        const ring = new gcp.kms.KeyRing(`${name}-keyring`, { project, name: KEY_RING, location: region }, { ...after, protect: true });
        this.key = new gcp.kms.CryptoKey(
            `${name}-key`,
            {
                name: CRYPTO_KEY,
                keyRing: ring.id,
                purpose: "ENCRYPT_DECRYPT",
                rotationPeriod: rotationPeriod(args.keyRotationDays ?? 90),
            },
            { parent: this, protect: true },
        );

        for (const member of args.deployers ?? []) {
            new gcp.storage.BucketIAMMember(
                `${name}-state-${slug(member)}`,
                { bucket: this.bucket.name, role: GCS_STATE_ROLE, member },
                { parent: this },
            );
            new gcp.kms.CryptoKeyIAMMember(
                `${name}-key-${slug(member)}`,
                { cryptoKeyId: this.key.id, role: KMS_SECRETS_ROLE, member },
                { parent: this },
            );
        }

        this.stackSecretsProviders = this.grantPreviewers(name, ring, args, after);

        this.bucketName = this.bucket.name;
        this.loginUrl = this.bucket.name.apply((b) => backendUrl("gcp", b, region));
        this.secretsProvider = this.key.id.apply(gcpkmsUrl);
        this.registerOutputs({ loginUrl: this.loginUrl, secretsProvider: this.secretsProvider });
    }

    /** The exact `pulumi login` and `pulumi stack init --secrets-provider` commands. */
    commands() {
        return pulumi
            .all([this.loginUrl, this.secretsProvider, pulumi.all(this.stackSecretsProviders)])
            .apply(([url, provider, perStack]) => backendCommands(url, provider, undefined, perStack));
    }

    /**
     * Each previewer's own stack key (deployers may use it too; it can never be deleted, so it is
     * protected) and its read of that stack's state objects only (a conditioned object viewer).
     */
    private grantPreviewers(
        name: string,
        ring: gcp.kms.KeyRing,
        args: GcpStateBackendArgs,
        after: pulumi.CustomResourceOptions,
    ): Record<string, pulumi.Output<string>> {
        const providers: Record<string, pulumi.Output<string>> = {};
        const project = args.previewProject ?? "runway";
        for (const p of args.previewers ?? []) {
            const key = new gcp.kms.CryptoKey(
                `${name}-key-${p.stack}`,
                {
                    name: stackKeyName(p.stack),
                    keyRing: ring.id,
                    purpose: "ENCRYPT_DECRYPT",
                    rotationPeriod: rotationPeriod(args.keyRotationDays ?? 90),
                },
                { parent: this, protect: true },
            );
            for (const member of args.deployers ?? [])
                new gcp.kms.CryptoKeyIAMMember(
                    `${name}-key-${p.stack}-${slug(member)}`,
                    { cryptoKeyId: key.id, role: KMS_SECRETS_ROLE, member },
                    { parent: this },
                );
            new gcp.kms.CryptoKeyIAMMember(
                `${name}-key-${p.stack}-preview`,
                { cryptoKeyId: key.id, role: KMS_PREVIEW_ROLE, member: p.member },
                { parent: this },
            );
            new gcp.storage.BucketIAMMember(
                `${name}-state-preview-${p.stack}`,
                {
                    bucket: this.bucket.name,
                    role: GCS_PREVIEW_ROLE,
                    member: p.member,
                    condition: this.bucket.name.apply((b) => gcsPreviewCondition(b, project, p.stack)),
                },
                after,
            );
            providers[p.stack] = key.id.apply(gcpkmsUrl);
        }
        return providers;
    }
}
