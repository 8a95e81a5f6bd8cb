/**
 * Finds and reads the Dockerfile an image-build resource builds. The analyzer runs with the policy
 * pack directory as its working directory, so paths resolve against a root that defaults to the
 * pack's parent directory (the Pulumi project the pack sits in). An unreadable file is reported,
 * never treated as a pass.
 */
import * as fs from "fs";
import * as path from "path";
import { BuildOptions } from "./dockerfile";

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
