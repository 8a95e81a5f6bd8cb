import { RunwayComponent } from "../base";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { throwIfProblems } from "../../rules/problems";
import { checkBuild, resolveBuild } from "../docker/buildPlan";
import { SECRET_ENV_LABEL, appHealthcheck, buildHash, engineName, envList, loopbackPort } from "./wiring";

export interface AppArgs {
    /** Docker network the container joins (where the database and cache are). */
    readonly network: pulumi.Input<string>;
    /** Prefix of the container and image names (unique per Docker engine). @example "runway-app-local" */
    readonly namePrefix: string;
    /** Build context, relative to the Pulumi project; ignored when `image` is set. @default "app" */
    readonly context?: string;
    /** Dockerfile, relative to the Pulumi project. @default "<context>/Dockerfile" */
    readonly dockerfile?: string;
    /** Dockerfile stage to build. @default the last stage */
    readonly target?: string;
    /** Prebuilt image to run instead of building. @default "" (build `context`) */
    readonly image?: string;
    /** Port the app listens on ($PORT), published on 127.0.0.1 with the same number. @default 8080 */
    readonly port?: number;
    /** Health endpoint the container health check calls. @default "/health" */
    readonly healthPath?: string;
    /** Plain env vars (never secrets). @default {} */
    readonly env?: Record<string, string>;
    /** Env vars whose values are secrets (DATABASE_URL, REDIS_URL, runway:secrets): stored encrypted in state. @default {} */
    readonly secretEnv?: Record<string, pulumi.Input<string>>;
}

/**
 * The service on the local Docker engine: the same Dockerfile the cloud tiers deploy, built for
 * this machine and tagged with a hash of its sources (a changed source replaces only this
 * container), the same env contract, a health check on the health path and the port on 127.0.0.1.
 *
 * @example
 * new local.App("app", { network: net.name, namePrefix: "shop-dev", secretEnv: { DATABASE_URL: db.url } });
 */
export class App extends RunwayComponent {
    /** The local build; undefined when a prebuilt image runs. */
    public readonly image?: docker.Image;
    public readonly container: docker.Container;
    /** `http://127.0.0.1:<port>`. */
    public readonly url: string;

    constructor(name: string, args: AppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:local:App", name, opts);
        throwIfProblems(
            `Invalid arguments for runway:local:App "${name}"`,
            checkBuild(args, (arg) => `App(${name}).${arg}`),
        );
        const port = args.port ?? 8080;
        const secretEnv = args.secretEnv ?? {};
        this.image = args.image ? undefined : this.build(name, args);
        const env = pulumi.all(secretEnv).apply((secrets) => envList({ ...args.env, ...secrets, PORT: String(port) }));

        this.container = new docker.Container(
            `${name}-container`,
            {
                name: engineName(args.namePrefix, "app"),
                image: this.image?.imageName ?? args.image!,
                envs: Object.keys(secretEnv).length > 0 ? pulumi.secret(env) : env,
                labels: [{ label: SECRET_ENV_LABEL, value: Object.keys(secretEnv).sort().join(",") }],
                networksAdvanced: [{ name: args.network }],
                ports: [loopbackPort(port)],
                healthcheck: appHealthcheck(port, args.healthPath ?? "/health"),
                restart: "unless-stopped",
                wait: true,
                waitTimeout: 60,
            },
            { parent: this },
        );
        this.url = `http://127.0.0.1:${port}`;
        this.registerOutputs({ url: this.url });
    }

    /** Builds the Dockerfile into the local engine only (no registry, no push). */
    private build(name: string, args: AppArgs): docker.Image {
        const build = resolveBuild(args);
        const tag = buildHash(build.context, build.dockerfile, build.target);
        return new docker.Image(
            `${name}-build`,
            {
                imageName: `${engineName(args.namePrefix)}:${tag}`,
                skipPush: true,
                buildOnPreview: false,
                // The machine's own platform: no emulation on arm64 laptops (the cloud builds linux/amd64).
                build: { context: build.context, dockerfile: build.dockerfile, target: build.target, builderVersion: "BuilderBuildKit" },
            },
            { parent: this },
        );
    }
}
