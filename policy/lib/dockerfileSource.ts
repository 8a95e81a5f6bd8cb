/**
 * Finds and reads the Dockerfile an image-build resource builds. The analyzer runs with the policy
 * pack directory as its working directory, so paths resolve against a root that defaults to the
 * pack's parent directory (the Pulumi project the pack sits in). An unreadable file is reported,
 * never treated as a pass.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import * as fs from "fs";
import * as path from "path";
import { schemaWithDefaults, withDefaults } from "./config";
import { BuildOptions, DockerfileReport, checkDockerfile } from "./dockerfile";
import { IMAGE_BUILD_TYPES } from "./workloads";

/**
 * Where Dockerfile paths are relative to by default: the nearest directory above the pack that holds
 * a Pulumi.yaml (the project running `pulumi preview --policy-pack <pack>`, also when the pack is
 * installed under its node_modules), else the pack's parent directory.
 */
export function defaultDockerfileRoot(packDir: string = path.resolve(__dirname, "..")): string {
    for (let dir = path.dirname(packDir); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml")) || fs.existsSync(path.join(dir, "Pulumi.yml"))) return dir;
        if (path.dirname(dir) === dir) return path.dirname(packDir);
    }
}

export interface DockerfileSource extends BuildOptions {
    /** Absolute path of the Dockerfile. */
    readonly path: string;
    /** Its content, or undefined with `error` set when it cannot be read. */
    readonly content?: string;
    readonly error?: string;
}

type Props = Record<string, any>;

/** Dockerfile path and build options of a `docker:index/image:Image` or `docker-build:index:Image`. */
export function buildOf(type: string, props: Props): { dockerfile: string; target?: string; buildArgs: Record<string, string> } {
    if (type === "docker-build:index:Image") {
        const context: string = props.context?.location ?? ".";
        const dockerfile: string = props.dockerfile?.location ?? path.join(context, "Dockerfile");
        return { dockerfile, target: props.target, buildArgs: { ...(props.buildArgs ?? {}) } };
    }
    const build = props.build ?? {};
    const context: string = build.context ?? ".";
    return { dockerfile: build.dockerfile ?? path.join(context, "Dockerfile"), target: build.target, buildArgs: { ...(build.args ?? {}) } };
}

/** Reads the Dockerfile of an image-build resource relative to `root` (default: the pack's parent). */
export function readDockerfile(type: string, props: Props, root: string | undefined): DockerfileSource {
    const { dockerfile, target, buildArgs } = buildOf(type, props);
    const base = root && root.trim() !== "" ? path.resolve(root) : defaultDockerfileRoot();
    const file = path.resolve(base, dockerfile);
    try {
        return { path: file, content: fs.readFileSync(file, "utf8"), target, buildArgs };
    } catch (err) {
        return { path: file, error: (err as NodeJS.ErrnoException).code ?? String(err), target, buildArgs };
    }
}

export interface DockerfileRootConfig {
    /** Directory Dockerfile paths are relative to; empty = the policy pack's parent directory. */
    dockerfileRoot: string;
}

export const DOCKERFILE_ROOT_DEFAULTS: DockerfileRootConfig = { dockerfileRoot: "" };

/** The `dockerfileRoot` setting, as every Dockerfile policy declares it. */
export const DOCKERFILE_ROOT_SETTING = {
    type: "string",
    description: "Directory Dockerfile paths are relative to; empty means the policy pack's parent directory.",
} as const;

/**
 * An advisory policy on each image build's Dockerfile: `findings` turns the Dockerfile report into
 * messages. An unreadable Dockerfile is left to non-root-images, which reports it.
 */
export function dockerfileAdvisory(
    spec: Pick<ResourceValidationPolicy, "name" | "description" | "severity" | "remediationSteps">,
    findings: (report: DockerfileReport) => string[],
): ResourceValidationPolicy {
    return {
        ...spec,
        enforcementLevel: "advisory",
        configSchema: schemaWithDefaults(DOCKERFILE_ROOT_DEFAULTS, { dockerfileRoot: DOCKERFILE_ROOT_SETTING }),
        validateResource: (args, reportViolation) => {
            if (!IMAGE_BUILD_TYPES.includes(args.type)) args.notApplicable(`only applies to ${IMAGE_BUILD_TYPES.join(", ")}`);
            const config = withDefaults(DOCKERFILE_ROOT_DEFAULTS, args.getConfig<Partial<DockerfileRootConfig>>());
            const source = readDockerfile(args.type, args.props, config.dockerfileRoot);
            if (source.content === undefined) return;
            for (const finding of findings(checkDockerfile(source.content, source))) reportViolation(`${source.path}: ${finding}`);
        },
    };
}
