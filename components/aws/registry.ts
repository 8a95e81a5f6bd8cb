import { MANAGED_BY, RunwayComponent } from "../base";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsNameProblems } from "../../rules/aws/names";
import { componentProfile, Tier, tierProblems } from "../../rules/profile";
import { ecrLifecyclePolicy } from "../../rules/aws/registry";

export interface RegistryArgs {
    /** Repository name. @default the component name */
    readonly repositoryName?: string;
    /** Tier whose profile sets the defaults below. @default "staging" */
    readonly tier?: Tier;
    /** Newest images kept. @default tier profile (5, 10, 30) */
    readonly keepCount?: number;
    /** Untagged images expire after this many days. @default tier profile (7) */
    readonly untaggedImageDays?: number;
    /** Immutable tags (a tag always names the same image). @default tier profile (true in production) */
    readonly immutableTags?: boolean;
    /**
     * `protect` the repository and never force-delete it; unprotected, destroy deletes it with its images (ECR refuses
     * to delete a non-empty repository otherwise). @default tier profile (true in production)
     */
    readonly protect?: boolean;
}

/** Short-lived push credentials: the ECR authorization token (12 hours), kept secret. */
export function ecrCredentials(registryId: pulumi.Input<string>, opts?: pulumi.InvokeOutputOptions) {
    const token = aws.ecr.getAuthorizationTokenOutput({ registryId }, opts);
    return {
        registryServer: token.proxyEndpoint.apply((e) => e.replace(/^https:\/\//, "")),
        registryUsername: token.userName,
        registryPassword: pulumi.secret(token.password),
    };
}

/**
 * An ECR repository that scans on push, encrypts at rest, expires untagged images and keeps the
 * newest N; the tier profile sets the defaults (immutable tags and `protect` in production).
 *
 * @example
 * const registry = new aws.Registry("images", { tier: "production" }); // keeps 30, immutable tags, protected
 */
export class Registry extends RunwayComponent {
    public readonly repository: aws.ecr.Repository;
    /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: RegistryArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:Registry", name, opts);
        this.refuse(tierProblems(args.tier, `Registry(${name}).tier`));
        const profile = componentProfile(args.tier, "staging");
        const keep = args.keepCount ?? profile.settings.registryKeepCount;
        const days = args.untaggedImageDays ?? profile.settings.untaggedImageDays;
        this.refuse([
            ...awsNameProblems("ecrRepository", args.repositoryName ?? name, `Registry(${name}).repositoryName`),
            ...(Number.isInteger(keep) && keep >= 1
                ? []
                : [{ key: `Registry(${name}).keepCount`, value: keep, allowed: "a whole number ≥ 1" }]),
            ...(Number.isInteger(days) && days >= 1
                ? []
                : [{ key: `Registry(${name}).untaggedImageDays`, value: days, allowed: "a whole number of days ≥ 1" }]),
        ]);
        this.repository = new aws.ecr.Repository(
            `${name}-repository`,
            {
                name: args.repositoryName ?? name,
                imageTagMutability: (args.immutableTags ?? profile.aws.immutableTags) ? "IMMUTABLE" : "MUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "AES256" }],
                forceDelete: !(args.protect ?? profile.settings.protect),
                tags: { ...MANAGED_BY },
            },
            { parent: this, protect: args.protect ?? profile.settings.protect },
        );
        new aws.ecr.LifecyclePolicy(
            `${name}-lifecycle`,
            { repository: this.repository.name, policy: ecrLifecyclePolicy(keep, days) },
            { parent: this },
        );
        this.url = this.repository.repositoryUrl;
        this.registerOutputs({ url: this.url });
    }
}
