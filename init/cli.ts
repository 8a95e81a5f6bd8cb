/**
 * `npx runway-iac init`: makes the current folder (an app repository, or an empty folder) run Runway.
 * Writes an `infra/` Pulumi project that depends on runway-iac and runs its program (rules/scaffold.ts),
 * with placeholder stack files for GCP and AWS that plan offline at once; with no Dockerfile at the
 * root, also Runway's example app in `app/`. Never overwrites a file it did not write: it refuses,
 * naming each, and writes nothing. Exit codes: 0 written (or already there), 2 refused or bad arguments.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import * as YAML from "yaml";
import {
    RunwayDependency,
    SCAFFOLD_CLOUDS,
    SCAFFOLD_FOLDER,
    SCAFFOLD_STACKS,
    ScaffoldCloud,
    ShippedBootstrap,
    conflicts,
    runwayDependency,
    scaffold,
    scaffoldBootstrap,
} from "../rules/scaffold";
import { runwayProject } from "../stacks/projectFile";

/** The package's own folder (dist/init/cli.js or init/cli.ts → the root with package.json). */
const PACKAGE_ROOT = path.resolve(__dirname, path.basename(path.dirname(__dirname)) === "dist" ? "../.." : "..");

/** The bootstrap project's files, as shipped in the package (bootstrap/). */
function shippedBootstrap(): ShippedBootstrap {
    const read = (file: string) => fs.readFileSync(path.join(PACKAGE_ROOT, "bootstrap", file), "utf8");
    return {
        projectFile: read("Pulumi.yaml"),
        stackFiles: { gcp: read("Pulumi.gcp.yaml"), aws: read("Pulumi.aws.yaml") },
        policyConfig: read("policy-config.json"),
        program: [
            "// Runway's bootstrap: the state bucket and the secrets key the stacks of ../ use (and on AWS the",
            "// account's GitHub OIDC provider), once per project or account. Written by `runway-iac init`.",
            'import bootstrap = require("runway-iac/bootstrap");',
            "",
            "export = bootstrap;",
            "",
        ].join("\n"),
    };
}

/** Runway's example app, as shipped in the package: what init writes to `app/` when the repository has no Dockerfile. */
const APP_FILES = ["Dockerfile", ".dockerignore", "package.json", "package-lock.json", "server.js", "lambda.js"];

export interface InitIo {
    stdout(text: string): void;
    stderr(text: string): void;
    /** The folder to set up (the shell's directory). */
    cwd: string;
    /**
     * The runway-iac spec of the project that installed this copy, and its folder (tests); null: none.
     * @default read from the package.json above this package's node_modules folder
     */
    installed?: { spec: string; from: string } | null;
}

const HELP = [
    "runway-iac init: sets up this folder (your app's repository, or an empty folder) to deploy with Runway.",
    "",
    "Writes <dir>/ (default infra/): a Pulumi project named `runway` that runs Runway's program, with typed",
    "runway:* config (Pulumi.yaml), a solo stack file per cloud with marked placeholders (Pulumi.solo.yaml for",
    "GCP, Pulumi.aws-solo.yaml for AWS), index.ts, tsconfig.json and package.json; and <dir>/bootstrap/, the",
    "program that creates the state bucket and secrets key once per cloud project or account. With no",
    "Dockerfile in this folder, also Runway's example app in app/. It never overwrites a file it did not write.",
    "",
    "Usage:",
    "  npx runway-iac init [--dir infra] [--cloud gcp|aws] [--package <spec>]",
    "",
    "Options:",
    "  --dir <folder>      the project's folder, relative to this one (default: infra)",
    "  --cloud <cloud>     write the stack file and providers of one cloud only: gcp or aws (default: both)",
    "  --package <spec>    how the project depends on runway-iac: a version range, a tarball or folder path",
    "                      (relative to this folder), a git or https URL (default: where this copy came from",
    "                      when npx ran a tarball, folder or git spec, else ^<this version> from npm)",
    "  -h, --help        print this help",
    "",
    "Exit codes:",
    "  0  written (or already written)",
    "  2  refused (a file exists with other content) or bad arguments",
    "",
].join("\n");

class InitError extends Error {}

/** The project's program: Runway's, which Pulumi's Node.js host calls (a function as `module.exports`). */
const PROGRAM = [
    "// Runway's program: reads this stack's runway:* config (Pulumi.<stack>.yaml) and creates the service,",
    "// its registry, secrets, monitoring, budget, CI identity and delivery for the tier. Written by `runway-iac init`.",
    'import runway = require("runway-iac/program");',
    "",
    "export = runway;",
    "",
].join("\n");

interface InitOptions {
    dir: string;
    clouds: readonly ScaffoldCloud[];
    help: boolean;
    /** `--package`: the runway-iac spec to depend on. */
    package?: string;
}

function options(argv: readonly string[]): InitOptions {
    let parsed: ReturnType<typeof parseArgs>;
    try {
        parsed = parseArgs({
            args: [...argv],
            options: {
                dir: { type: "string" },
                cloud: { type: "string" },
                package: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
            allowPositionals: false,
        });
    } catch (err) {
        throw new InitError((err as Error).message);
    }
    const dir = (parsed.values.dir as string | undefined) ?? "infra";
    if (!SCAFFOLD_FOLDER.test(dir))
        throw new InitError(
            `--dir ${JSON.stringify(dir)}: a folder inside this one, such as infra (no .., no leading /); to write elsewhere, cd there first`,
        );
    const spec = parsed.values.package as string | undefined;
    if (spec !== undefined && !/^\S+$/.test(spec))
        throw new InitError(`--package ${JSON.stringify(spec)}: one npm spec without spaces, such as ./runway-iac-0.1.0.tgz or ^0.1.0`);
    const cloud = parsed.values.cloud as string | undefined;
    if (cloud !== undefined && !SCAFFOLD_CLOUDS.includes(cloud as ScaffoldCloud))
        throw new InitError(`--cloud ${JSON.stringify(cloud)}: one of ${SCAFFOLD_CLOUDS.join(", ")} (or leave it out for both)`);
    return {
        dir,
        clouds: cloud ? [cloud as ScaffoldCloud] : SCAFFOLD_CLOUDS,
        help: parsed.values.help === true,
        ...(spec !== undefined ? { package: spec } : {}),
    };
}

/**
 * The runway-iac spec in the package.json of the project this copy is installed in (npx's own, under
 * its cache, when npx ran a tarball), with that project's folder; undefined when there is none.
 */
function installedSpec(packageRoot: string): { spec: string; from: string } | undefined {
    if (path.basename(path.dirname(packageRoot)) !== "node_modules") return undefined;
    const from = path.dirname(path.dirname(packageRoot));
    try {
        const spec = JSON.parse(fs.readFileSync(path.join(from, "package.json"), "utf8")).dependencies?.["runway-iac"];
        return typeof spec === "string" ? { spec, from } : undefined;
    } catch {
        return undefined;
    }
}

/** Runway and the providers its program loads: every stack's, plus @pulumi/aws for AWS stacks. */
function dependencies(
    manifest: { version: string; peerDependencies: Record<string, string> },
    clouds: readonly ScaffoldCloud[],
    runway: RunwayDependency,
) {
    const needed = ["@pulumi/pulumi", "@pulumi/policy", "@pulumi/gcp", "@pulumi/random", "@pulumi/docker", "@pulumi/github"];
    if (clouds.includes("aws")) needed.push("@pulumi/aws");
    return {
        "runway-iac": runway.spec,
        ...Object.fromEntries(needed.sort().map((p) => [p, manifest.peerDependencies[p]])),
    };
}

/** The whole command, in-process: returns the exit code. */
export function runInit(argv: readonly string[], io: InitIo): number {
    try {
        const o = options(argv);
        if (o.help) {
            io.stdout(HELP);
            return 0;
        }
        const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8"));
        const hasDockerfile = fs.existsSync(path.join(io.cwd, "Dockerfile"));
        const up = o.dir
            .split("/")
            .map(() => "..")
            .join("/");
        const extraFiles = {
            ...scaffoldBootstrap(o.dir, o.clouds, shippedBootstrap()),
            ...(hasDockerfile
                ? {}
                : Object.fromEntries(APP_FILES.map((f) => [`app/${f}`, fs.readFileSync(path.join(PACKAGE_ROOT, "app", f), "utf8")]))),
        };
        const runway = runwayDependency({
            version: manifest.version,
            cwd: io.cwd,
            projectDir: path.join(io.cwd, o.dir),
            ...(o.package !== undefined ? { given: o.package } : {}),
            ...(io.installed !== null ? { installed: io.installed ?? installedSpec(PACKAGE_ROOT) } : {}),
        });
        const description = `Runway's program for ${path.basename(io.cwd)}: the app's service, data, delivery and budget (runway-iac init).`;
        const files = scaffold({
            folder: o.dir,
            clouds: o.clouds,
            buildContext: hasDockerfile ? up : `${up}/app`,
            projectFile: `# Written by \`runway-iac init\`: Runway's program with its typed runway:* config. The project is named\n# runway because Pulumi types only the keys of a project's own namespace.\n${YAML.stringify(runwayProject(description, "index.ts"), { lineWidth: 0 })}`,
            program: PROGRAM,
            packageName: `${
                path
                    .basename(io.cwd)
                    .toLowerCase()
                    .replace(/[^a-z0-9._-]+/g, "-") || "app"
            }-infra`,
            dependencies: dependencies(manifest, o.clouds, runway),
            devDependencies: {
                "@types/node": manifest.devDependencies["@types/node"].replace(/^(\d)/, "^$1"),
                typescript: `^${manifest.devDependencies.typescript}`,
            },
            extraFiles,
        });
        const read = (file: string) =>
            fs.existsSync(path.join(io.cwd, file)) ? fs.readFileSync(path.join(io.cwd, file), "utf8") : undefined;
        const refused = conflicts(files, read);
        if (refused.length > 0)
            throw new InitError(
                `refused: ${refused.length === 1 ? "this file exists" : "these files exist"} with other content, and init never overwrites a file it did not write:\n${refused.map((f) => `  ${f}`).join("\n")}\nMove ${refused.length === 1 ? "it" : "them"} away, or choose another folder with --dir. Nothing was written.`,
            );
        const written = Object.keys(files).filter((f) => read(f) === undefined);
        for (const file of written) {
            fs.mkdirSync(path.dirname(path.join(io.cwd, file)), { recursive: true });
            fs.writeFileSync(path.join(io.cwd, file), files[file]);
        }
        io.stdout(summary(o, written, hasDockerfile, io.cwd, runway));
        return 0;
    } catch (err) {
        if (!(err instanceof InitError)) throw err;
        io.stderr(
            `runway-iac init: ${err.message}\n${/--|one of|folder inside/.test(err.message) ? "Run with --help for every option.\n" : ""}`,
        );
        return 2;
    }
}

function summary(o: InitOptions, written: string[], hasDockerfile: boolean, cwd: string, runway: RunwayDependency): string {
    const stacks = o.clouds.map((c) => `${SCAFFOLD_STACKS[c]} (${c.toUpperCase()})`).join(", ");
    const dockerignore = path.join(cwd, ".dockerignore");
    const ignored =
        fs.existsSync(dockerignore) &&
        fs
            .readFileSync(dockerignore, "utf8")
            .split("\n")
            .some((l) => l.trim().replace(/\/$/, "") === o.dir);
    return [
        written.length === 0 ? "Nothing to write: every file is already there, as init writes it." : `Wrote ${written.length} files:`,
        ...written.map((f) => `  ${f}`),
        "",
        `A Pulumi project in ${o.dir}/ running Runway's program; stacks ${stacks} with placeholders marked in their files.`,
        hasDockerfile
            ? `It builds this folder's Dockerfile.${ignored ? "" : ` Add ${o.dir}/ to .dockerignore: the build context is this folder, and ${o.dir}/node_modules need not reach the image.`}`
            : "There was no Dockerfile here: it builds Runway's example app in app/ (runway:buildContext says which folder).",
        `${o.dir}/package.json depends on runway-iac ${runway.spec}.${runway.note ? ` ${runway.note}` : ""}`,
        "",
        "Next:",
        `  cd ${o.dir} && npm install`,
        `  npx runway-iac plan --stack ${SCAFFOLD_STACKS[o.clouds[0]]}       # offline, no account needed`,
        `  once per cloud project or account, the state bucket and secrets key: the program in ${o.dir}/bootstrap/`,
        "  (docs/adoption.md, node_modules/runway-iac/docs/adoption.md), then replace the placeholders (the plan",
        "  lists each with its `pulumi config set`) and `pulumi up --policy-pack node_modules/runway-iac/dist/policy`",
        "",
    ].join("\n");
}

/** Runs the command on the process's arguments (after `init`) and exits with its code (bin/runway-iac.js). */
export function main(): void {
    const code = runInit(process.argv.slice(3), {
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        cwd: process.cwd(),
    });
    process.stdout.write("", () => process.exit(code));
}
