import { RunwayComponent } from "../base";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { throwIfProblems } from "../../rules/problems";
import { checkBuild, resolveBuild } from "./buildPlan";

export interface ImageArgs {
    /** Build context directory, relative to the Pulumi project. @default "app" */
    readonly context?: string;
    /** Dockerfile, relative to the Pulumi project. @default "<context>/Dockerfile" */
    readonly dockerfile?: string;
    /** Stage to build (`docker build --target`). @default the last stage */
    readonly target?: string;
    /** Platform to build for. @default "linux/amd64" (what Cloud Run and Fargate run) */
    readonly platform?: string;
    /** Build args; never secrets (they stay in the image history). @default {} (plus BUILDKIT_INLINE_CACHE=1) @example { NODE_ENV: "production" } */
    readonly buildArgs?: Record<string, pulumi.Input<string>>;
    /** Repository to push to, without tag. @example "us-central1-docker.pkg.dev/my-project/app/app" */
    readonly repository: pulumi.Input<string>;
    /** Tag pushed alongside the digest. @default "latest" */
    readonly tag?: pulumi.Input<string>;
    /** Images whose layers the build may reuse. @default ["<repository>:<tag>"] */
    readonly cacheFrom?: pulumi.Input<string>[];
    /** Registry host. @example "us-central1-docker.pkg.dev" */
    readonly registryServer: pulumi.Input<string>;
    /** Registry user for the short-lived credential. @example "oauth2accesstoken" (Artifact Registry), "AWS" (ECR) */
    readonly registryUsername: pulumi.Input<string>;
    /** Short-lived registry credential (an access token, never a key); always stored as a secret. */
    readonly registryPassword: pulumi.Input<string>;
}

/**
 * Builds a Dockerfile and pushes it with short-lived credentials; `imageRef` is the pushed image by
 * digest, so a service deploying it changes exactly when the image does.
 *
 * @example
 * const creds = gcp.artifactRegistryCredentials("us-central1");
 * const image = new docker.Image("app", { repository: pulumi.interpolate`${registry.url}/app`, ...creds });
 * new gcp.Service("web", { region: "us-central1", image: image.imageRef });
 */
export class Image extends RunwayComponent {
    public readonly image: docker.Image;
    /** `<repository>@sha256:<digest>`: deploy this. */
    public readonly imageRef: pulumi.Output<string>;
    /** `<repository>:<tag>`. */
    public readonly imageName: pulumi.Output<string>;

    constructor(name: string, args: ImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:docker:Image", name, opts);
        const argName = (arg: string) => `Image(${name}).${arg === "buildArgNames" ? "buildArgs" : arg}`;
        throwIfProblems(
            `Invalid arguments for runway:docker:Image "${name}"`,
            checkBuild({ ...args, buildArgNames: Object.keys(args.buildArgs ?? {}) }, argName),
        );
        const build = resolveBuild(args);
        const imageName = pulumi.interpolate`${args.repository}:${args.tag ?? "latest"}`;

        this.image = new docker.Image(
            `${name}-build`,
            {
                imageName,
                // Previews never build or push: the digest stays unknown and policies follow the build instead.
                buildOnPreview: false,
                build: {
                    context: build.context,
                    dockerfile: build.dockerfile,
                    platform: build.platform,
                    target: build.target,
                    // Inline cache metadata lets the next build reuse layers from the pushed image.
                    args: { BUILDKIT_INLINE_CACHE: "1", ...args.buildArgs },
                    builderVersion: "BuilderBuildKit",
                    cacheFrom: { images: args.cacheFrom ?? [imageName] },
                },
                registry: {
                    server: args.registryServer,
                    username: args.registryUsername,
                    password: pulumi.secret(args.registryPassword),
                },
            },
            { parent: this },
        );
        this.imageRef = this.image.repoDigest;
        this.imageName = this.image.imageName;
        this.registerOutputs({ imageRef: this.imageRef, imageName: this.imageName });
    }
}
