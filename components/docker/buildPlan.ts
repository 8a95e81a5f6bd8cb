/** Pure decisions for an image build: paths, platform, cache and argument checks. */
import * as path from "path";
import { Problem } from "../../rules/problems";
import { SECRET_LOOKING_NAME } from "../../rules/secretLike";

const PLATFORM = /^linux\/(amd64|arm64|arm\/v7)$/;
const STAGE = /^[a-zA-Z][a-zA-Z0-9_.-]*$/;
const BUILD_ARG = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface BuildInputs {
    readonly context?: string;
    readonly dockerfile?: string;
    readonly target?: string;
    readonly platform?: string;
    readonly buildArgNames?: readonly string[];
}

export interface ResolvedBuild {
    /** Build context, relative to the Pulumi project (as @pulumi/docker expects). */
    readonly context: string;
    /** Dockerfile path, relative to the Pulumi project. */
    readonly dockerfile: string;
    readonly platform: string;
    readonly target?: string;
}

/**
 * A project-relative path. It may lead out of the project: a project in `infra/` builds the app at
 * the repository's root (`..`), as @pulumi/docker allows; the Runway program keeps it inside the
 * repository (rules/repository.ts).
 */
function isProjectRelative(p: string): boolean {
    return p !== "" && !path.isAbsolute(p) && !path.win32.isAbsolute(p);
}

/**
 * Validates the plain build arguments; every problem names the argument (as `keyOf` spells it:
 * a component argument or a config key), the value and the fix.
 */
export function checkBuild(args: BuildInputs, keyOf: (arg: keyof BuildInputs) => string): Problem[] {
    const problems: Problem[] = [];
    const key = (k: keyof BuildInputs) => keyOf(k);
    if (args.context !== undefined && !isProjectRelative(args.context))
        problems.push({
            key: key("context"),
            value: args.context,
            allowed: 'a directory relative to the Pulumi project (e.g. "app", or ".." from an infra/ project)',
        });
    if (args.dockerfile !== undefined && !isProjectRelative(args.dockerfile))
        problems.push({
            key: key("dockerfile"),
            value: args.dockerfile,
            allowed: 'a path relative to the Pulumi project (e.g. "app/Dockerfile")',
        });
    if (args.platform !== undefined && !PLATFORM.test(args.platform))
        problems.push({
            key: key("platform"),
            value: args.platform,
            allowed: "linux/amd64 (Cloud Run and Fargate), linux/arm64 or linux/arm/v7",
        });
    if (args.target !== undefined && !STAGE.test(args.target))
        problems.push({ key: key("target"), value: args.target, allowed: "a stage name from the Dockerfile's FROM ... AS <name>" });
    for (const name of args.buildArgNames ?? []) {
        if (!BUILD_ARG.test(name))
            problems.push({ key: key("buildArgNames"), value: name, allowed: "names made of letters, digits and underscores" });
        else if (SECRET_LOOKING_NAME.test(name))
            problems.push({
                key: key("buildArgNames"),
                value: name,
                allowed: "no secrets as build args: they stay in the image history; use a build secret or a runtime secret",
            });
    }
    return problems;
}

/** Fills the defaults: context `app`, Dockerfile `<context>/Dockerfile`, platform linux/amd64. */
export function resolveBuild(args: BuildInputs): ResolvedBuild {
    const context = args.context ?? "app";
    return {
        context,
        dockerfile: args.dockerfile ?? path.posix.join(context.replace(/\\/g, "/"), "Dockerfile"),
        platform: args.platform ?? "linux/amd64",
        ...(args.target ? { target: args.target } : {}),
    };
}
