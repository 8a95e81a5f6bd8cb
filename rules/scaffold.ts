/**
 * What `runway-iac init` writes: the adoption model as files. The app repository holds an `infra/`
 * Pulumi project (named `runway`, so Pulumi.yaml can type the `runway:*` keys) that depends on
 * runway-iac and runs its program; its stack files carry clearly marked placeholders (rules/placeholders.ts)
 * so that it plans offline at once. Pure: the caller supplies the rendered project file, the
 * versions and the example app's files, and writes the result.
 */
import { SAMPLE_GITHUB } from "./placeholders";

export type ScaffoldCloud = "gcp" | "aws";
export const SCAFFOLD_CLOUDS: readonly ScaffoldCloud[] = ["gcp", "aws"];

export interface ScaffoldOptions {
    /** The project's folder, relative to the repository's root. @example "infra" */
    readonly folder: string;
    /** Clouds to write a stack file for (and whose providers to depend on). */
    readonly clouds: readonly ScaffoldCloud[];
    /** The build context, relative to the project: `..` (a Dockerfile at the root) or `../app` (the example app). */
    readonly buildContext: string;
    /** Pulumi.yaml, rendered (stacks/projectFile.ts). */
    readonly projectFile: string;
    /** index.ts: the program, which runs Runway's. */
    readonly program: string;
    /** package.json `name`. */
    readonly packageName: string;
    readonly dependencies: Readonly<Record<string, string>>;
    readonly devDependencies: Readonly<Record<string, string>>;
    /** More files to write (repository-relative path → content): the example app when there is no Dockerfile. */
    readonly extraFiles: Readonly<Record<string, string>>;
}

/** The stack each cloud's file defines. */
export const SCAFFOLD_STACKS: Readonly<Record<ScaffoldCloud, string>> = { gcp: "solo", aws: "aws-solo" };

const HEADER = "# Written by `runway-iac init`.";

const githubLines = (cloud: ScaffoldCloud) => [
    "  # The app repository the stack manages (workflows, environment, variables), and the immutable IDs the",
    "  # CI trust is keyed on: gh api repos/OWNER/REPO --jq '.owner.id, .id'",
    `  runway:githubRepository: ${SAMPLE_GITHUB.owner}/example-app`,
    ...(cloud === "gcp" ? [`  runway:githubOwnerId: "${SAMPLE_GITHUB.ownerId}"`] : []),
    `  runway:githubRepositoryId: "${SAMPLE_GITHUB.repositoryId}"`,
    "  # What GitHub sells this repository (gh api repos/OWNER/REPO --jq .visibility): a private or internal",
    "  # one also needs runway:githubPlan (free | pro | team | enterprise); see docs/delivery.md.",
    "  runway:githubVisibility: public",
];

/** A stack file: comments that name every placeholder and the commands that replace them, then the config. */
export function scaffoldStack(cloud: ScaffoldCloud, folder: string, buildContext: string): string {
    const gcp = cloud === "gcp";
    const lines = [
        HEADER,
        gcp
            ? "# Solo on Google Cloud Run: scales to zero, public, budget alert only (~$0/month idle)."
            : "# Solo on AWS Lambda behind a function URL: scales to zero, budget alert only (~$0/month idle).",
        "# PLACEHOLDERS (they plan offline with a warning; `pulumi up` refuses them): replace each before `pulumi up`:",
        ...(gcp
            ? [
                  "#   pulumi config set gcp:project <your-project-id>",
                  "#   pulumi config set gcp:billingProject <your-project-id>",
                  "#   pulumi config set runway:billingAccount <your-billing-account-id>",
              ]
            : []),
        "#   pulumi config set --path 'runway:alertEmails[0]' you@your-domain.com",
        "#   pulumi config set runway:githubRepository <owner>/<repo>",
        ...(gcp ? ['#   pulumi config set runway:githubOwnerId "$(gh api repos/<owner>/<repo> --jq .owner.id)"'] : []),
        '#   pulumi config set runway:githubRepositoryId "$(gh api repos/<owner>/<repo> --jq .id)"',
        '#   pulumi config set runway:githubVisibility "$(gh api repos/<owner>/<repo> --jq .visibility)"',
        "# Every runway:* key and its default: Pulumi.yaml (or node_modules/runway-iac/docs/keys.md).",
        "config:",
        ...(gcp
            ? [
                  "  gcp:project: runway-solo-example",
                  "  gcp:region: us-central1",
                  "  # Budgets API calls need a quota project when you run with your own (ADC) credentials.",
                  '  gcp:userProjectOverride: "true"',
                  "  gcp:billingProject: runway-solo-example",
              ]
            : ["  aws:region: us-east-1", "  runway:cloud: aws"]),
        "  runway:tier: solo",
        ...(gcp ? ["  runway:billingAccount: 000000-000000-000000"] : []),
        "  runway:alertEmails:",
        "    - owner@example.com",
        ...githubLines(cloud),
        "  # Where this project sits in the repository, and what it builds (relative to this project).",
        `  runway:infraDirectory: ${folder}`,
        `  runway:buildContext: ${buildContext}`,
        "  # CI's deploy workflow ships images after the first `pulumi up`: leave them alone.",
        "  runway:ignoreImageChanges: true",
    ];
    return `${lines.join("\n")}\n`;
}

/**
 * The project's tsconfig.json: `tsc` resolves modules as `pulumi up` runs them (the CLI's ts-node
 * defaults, plan/engine/transpile.ts `cliCompilerOptions`: `nodenext`, CommonJS for a package.json
 * without "type"). TypeScript 5 and 6 both accept it; 6 refuses `moduleResolution: "node"` (TS5107).
 */
const TSCONFIG = {
    compilerOptions: {
        strict: true,
        target: "ES2020",
        module: "nodenext",
        moduleResolution: "nodenext",
        esModuleInterop: true,
        skipLibCheck: true,
        noEmit: true,
    },
    files: ["index.ts"],
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every file init writes, by repository-relative path. */
export function scaffold(o: ScaffoldOptions): Record<string, string> {
    const at = (file: string) => `${o.folder}/${file}`;
    const files: Record<string, string> = {
        [at("Pulumi.yaml")]: o.projectFile,
        [at("index.ts")]: o.program,
        [at("tsconfig.json")]: json(TSCONFIG),
        [at("package.json")]: json({
            name: o.packageName,
            private: true,
            description: "The app's infrastructure: Runway's program as a Pulumi project (runway-iac init).",
            main: "index.ts",
            scripts: { plan: "runway-iac plan" },
            dependencies: o.dependencies,
            devDependencies: o.devDependencies,
        }),
        [at(".gitignore")]: "node_modules/\n",
    };
    for (const cloud of o.clouds) files[at(`Pulumi.${SCAFFOLD_STACKS[cloud]}.yaml`)] = scaffoldStack(cloud, o.folder, o.buildContext);
    return { ...files, ...o.extraFiles };
}

/** The bootstrap project's files as the package ships them (bootstrap/ of this repository). */
export interface ShippedBootstrap {
    /** Pulumi.yaml: the `runway-bootstrap` project, its typed keys, `main: index.ts`, a local file backend. */
    readonly projectFile: string;
    /** Pulumi.gcp.yaml and Pulumi.aws.yaml: the example stacks, with marked placeholders. */
    readonly stackFiles: Readonly<Record<ScaffoldCloud, string>>;
    /** policy-config.json: budget-presence off for the bootstrap (its budget is the Runway stack's). */
    readonly policyConfig: string;
    /** index.ts: the program, which runs the package's bootstrap. */
    readonly program: string;
}

/** The stack each cloud's bootstrap file defines. */
export const BOOTSTRAP_STACKS: Readonly<Record<ScaffoldCloud, string>> = { gcp: "gcp", aws: "aws" };

/**
 * `<folder>/bootstrap/`: the state bucket and secrets key program (once per project or account), run
 * from the installed package (`runway-iac/bootstrap`) with its own local state (`.pulumi/`, ignored).
 */
export function scaffoldBootstrap(folder: string, clouds: readonly ScaffoldCloud[], shipped: ShippedBootstrap): Record<string, string> {
    const at = (file: string) => `${folder}/bootstrap/${file}`;
    const files: Record<string, string> = {
        [at("Pulumi.yaml")]:
            `# Written by \`runway-iac init\`: Runway's bootstrap, run from the installed package (runway-iac/bootstrap).\n${shipped.projectFile}`,
        [at("index.ts")]: shipped.program,
        [at("tsconfig.json")]: json({ extends: "../tsconfig.json", files: ["index.ts"] }),
        [at("policy-config.json")]: shipped.policyConfig,
        // The bootstrap's own state stays on this machine (backend file://.); it holds no secret of yours.
        [at(".gitignore")]: ".pulumi/\n",
    };
    for (const cloud of clouds) files[at(`Pulumi.${BOOTSTRAP_STACKS[cloud]}.yaml`)] = shipped.stackFiles[cloud];
    return files;
}

/**
 * The files init may not write: they exist with other content (init never overwrites a file it did not
 * write; one it wrote, unchanged, is left as it is). `read` returns a file's content, or undefined.
 */
export function conflicts(files: Readonly<Record<string, string>>, read: (file: string) => string | undefined): string[] {
    return Object.entries(files)
        .filter(([file, content]) => {
            const existing = read(file);
            return existing !== undefined && existing !== content;
        })
        .map(([file]) => file);
}

/** The project folder as init takes it: one or more plain path segments, no `..`. */
export const SCAFFOLD_FOLDER = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/** Where a runway-iac spec says the package comes from: npm's registry (a version or tag), a file (tarball or folder), or a git or URL location. */
export function specKind(spec: string): "registry" | "file" | "location" {
    if (/^(file:|link:)/.test(spec) || /^(\.{1,2}|~)?\//.test(spec) || /^\.{1,2}$/.test(spec) || /\.(tgz|tar\.gz|tar)$/.test(spec)) {
        return /^(git\+|https?:)/.test(spec) ? "location" : "file";
    }
    // git (git+ssh:, git+https:, github:, gitlab:, bitbucket:, gist:, owner/repo#ref) and remote tarballs (https:).
    if (/^(git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:)/.test(spec) || /^[^@\s/:]+\/[^\s/:]+(#\S*)?$/.test(spec)) return "location";
    return "registry";
}

/** How init's package.json depends on runway-iac, and a note when that source will not install elsewhere. */
export interface RunwayDependency {
    readonly spec: string;
    readonly note?: string;
}

/**
 * The `runway-iac` dependency init writes. From `--package <spec>` when given; else from the spec the
 * running copy was installed with (npx writes it to its own package.json: `npx ./runway-iac-0.1.0.tgz
 * init` records `file:…/runway-iac-0.1.0.tgz`) when that is a file, git or URL spec: a package not on
 * npm yet installs from where it came from; else `^<version>` from npm. A file spec is rewritten
 * relative to the project folder, as `npm install <file>` writes it; one outside the repository gets
 * a note (CI's `npm ci` cannot reach it). Paths are absolute POSIX paths (pure: no `path` module here).
 * @example runwayDependency({ version: "0.1.0", cwd: "/r", projectDir: "/r/infra", installed: { spec: "file:../../../../r/runway-iac-0.1.0.tgz", from: "/home/u/.npm/_npx/ab12" } }).spec === "file:../runway-iac-0.1.0.tgz"
 */
export function runwayDependency(o: {
    version: string;
    /** The folder init runs in (the repository's root). */
    cwd: string;
    /** The project's folder (absolute). */
    projectDir: string;
    /** `--package`: a spec as the user typed it (a file spec is relative to `cwd`). */
    given?: string;
    /** The spec in the package.json of the project that installed the running copy, and that project's folder. */
    installed?: { spec: string; from: string };
}): RunwayDependency {
    const source = o.given !== undefined ? { spec: o.given, from: o.cwd } : o.installed;
    if (source === undefined || specKind(source.spec) === "registry") {
        return { spec: o.given ?? `^${o.version}` };
    }
    // A home-relative path (npm expands `~/`) stays as given: this machine's home is not known here.
    if (specKind(source.spec) === "location" || /^(file:|link:)?~/.test(source.spec)) return { spec: source.spec };
    const target = resolvePath(source.from, source.spec.replace(/^(file|link):/, ""));
    const relative = relativePath(o.projectDir, target);
    const inside = !relativePath(o.cwd, target).startsWith("..");
    return {
        spec: `file:${relative.startsWith(".") ? relative : `./${relative}`}`,
        ...(inside
            ? {}
            : {
                  note: `runway-iac is installed from ${target}, outside this folder: CI's npm ci cannot reach it. Copy the tarball into the repository and run init again with --package <its path>, or use a git or https URL (--package github:<owner>/<repo>#<tag>).`,
              }),
    };
}

/** The segments of an absolute POSIX path, `.` and `..` applied. */
function segments(absolute: string): string[] {
    const out: string[] = [];
    for (const part of absolute.split("/")) {
        if (part === "" || part === ".") continue;
        if (part === "..") out.pop();
        else out.push(part);
    }
    return out;
}

/** `p` (absolute, or relative to the absolute folder `from`) as an absolute path. */
function resolvePath(from: string, p: string): string {
    return `/${segments(p.startsWith("/") ? p : `${from}/${p}`).join("/")}`;
}

/** The path from folder `from` to `to` (both absolute), as path.posix.relative writes it. */
function relativePath(from: string, to: string): string {
    const a = segments(from);
    const b = segments(to);
    let common = 0;
    while (common < a.length && common < b.length && a[common] === b[common]) common++;
    return [...a.slice(common).map(() => ".."), ...b.slice(common)].join("/");
}
