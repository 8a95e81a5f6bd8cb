/**
 * A project OUTSIDE the repository (under os.tmpdir(), where nothing of this checkout resolves)
 * that installs the packed runway-iac tarball with a plain `npm install` (no --legacy-peer-deps),
 * as a user would. Only what the tarball declares gets installed for it, so a module Runway requires
 * at run time without declaring it fails the tests that use this project.
 *
 * Fast and offline-capable: the project gets a package-lock.json taken from this repository's own
 * (every package in it is in npm's cache once `npm ci` ran here; `--prefer-offline`), so npm fetches
 * no metadata; the packages it names besides the tarball are hard-linked from this checkout's install
 * with npm's record of them, so `npm install` unpacks only the tarball (the same tree, 0.6 instead of
 * 6 CPU seconds). The big provider packages (@pulumi/gcp and @pulumi/aws are 86 MB each) are the
 * programs' dependencies, not Runway's: they are hard-linked from this checkout's install into the
 * project's node_modules instead of being unpacked again; they then resolve @pulumi/pulumi from the
 * project, like an installed copy.
 */
import { execFileSync, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./plans";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

interface LockEntry {
    version?: string;
    resolved?: string;
    integrity?: string;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    [field: string]: unknown;
}

/** The two ends of the declared @pulumi/pulumi peer range that the tests run: the lowest and the newest (a devDependency alias). */
export const SDK_ENDS = { lowest: "node_modules/@pulumi/pulumi", newest: "node_modules/pulumi-peer-newest" } as const;

const rootLock = (): Record<string, LockEntry> => JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")).packages;

/** Where Node would find `name` from the package at `from` (a lockfile path), as the lockfile lays packages out. */
function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
    for (let at = from; ; ) {
        const candidate = `${at === "" ? "" : `${at}/`}node_modules/${name}`;
        if (packages[candidate]) return candidate;
        if (at === "") return undefined;
        const cut = at.lastIndexOf("/node_modules/");
        at = cut < 0 ? "" : at.slice(0, cut);
    }
}

/** The packages an entry needs at run time: dependencies, optional ones present here, and non-optional peers. */
function needs(entry: LockEntry): string[] {
    const peers = Object.keys(entry.peerDependencies ?? {}).filter((p) => entry.peerDependenciesMeta?.[p]?.optional !== true);
    return [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...peers];
}

/**
 * A package-lock.json for a project depending on `dependencies` (names whose versions are this
 * repository's) and the tarball, cut from this repository's lockfile: every package reachable from
 * them, at the same place. With `sdk: "newest"`, @pulumi/pulumi is the newest end of the peer range.
 */
export function consumerLock(
    name: string,
    tarball: { file: string; manifest: LockEntry & { name: string } },
    dependencies: readonly string[],
    sdk: keyof typeof SDK_ENDS,
): { packageJson: object; lock: { name: string; lockfileVersion: 3; requires: true; packages: Record<string, LockEntry> } } {
    const source = rootLock();
    // The newest SDK takes @pulumi/pulumi's place (and the lowest one is not reachable).
    const packages: Record<string, LockEntry> = { ...source, [SDK_ENDS.lowest]: source[SDK_ENDS[sdk]] };
    const out: Record<string, LockEntry> = {};
    const queue: { path: string; entry: LockEntry }[] = [];
    const visit = (from: string, dep: string) => {
        const at = resolveIn(packages, from, dep);
        if (!at || out[at]) return;
        const { dev, devOptional, peer, extraneous, name: alias, ...entry } = packages[at];
        out[at] = entry;
        queue.push({ path: at, entry });
    };
    const version = (dep: string) => packages[`node_modules/${dep}`]?.version;
    const tarballEntry: LockEntry = {
        version: tarball.manifest.version,
        resolved: `file:${path.basename(tarball.file)}`,
        integrity: `sha512-${crypto.createHash("sha512").update(fs.readFileSync(tarball.file)).digest("base64")}`,
        ...pick(tarball.manifest, ["dependencies", "peerDependencies", "peerDependenciesMeta", "bin", "license", "engines"]),
    };
    out[`node_modules/${tarball.manifest.name}`] = tarballEntry;
    queue.push({ path: "", entry: tarballEntry }); // the tarball's own needs resolve from the top, where npm hoists them
    for (const dep of dependencies) visit("", dep);
    while (queue.length > 0) {
        const { path: at, entry } = queue.shift()!;
        for (const dep of needs(entry)) visit(at, dep);
    }
    const direct = Object.fromEntries([
        [tarball.manifest.name, `file:${path.basename(tarball.file)}`],
        ...dependencies.map((d) => [d, version(d)!]),
    ]);
    const packageJson = { name, private: true, dependencies: direct };
    return {
        packageJson,
        lock: { name, lockfileVersion: 3, requires: true, packages: { "": packageJson, ...out } },
    };
}

function pick(from: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
}

/** Writes a small project: file name (may contain folders) → content. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
    for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
    }
}

/** Hard-links a folder (copies where linking is impossible); symbolic links are recreated as they are. */
export function linkTree(from: string, to: string, skip: (relative: string) => boolean = () => false, base = from): void {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
        const a = path.join(from, entry.name);
        const b = path.join(to, entry.name);
        if (skip(path.relative(base, a))) continue;
        if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(a), b);
        else if (entry.isDirectory()) linkTree(a, b, skip, base);
        else if (entry.isFile()) {
            try {
                fs.linkSync(a, b);
            } catch {
                fs.copyFileSync(a, b);
            }
        }
    }
}

/**
 * The packages of `lock` but `except` (the tarball) as npm would unpack them, hard-linked from this
 * checkout's install (the lock is cut from its lockfile: the same packages at the same places), their
 * bins linked, with npm's record of an installed tree (node_modules/.package-lock.json, written last:
 * npm trusts it only when no package folder is newer). `npm install` then finds them in place and
 * unpacks the tarball alone, as in a project that had the SDK before it added Runway.
 */
function linkInstalled(dir: string, packages: Record<string, LockEntry>, except: string): void {
    // Optional packages for other platforms are in the lock, not installed (npm skips them here too).
    const installed = Object.entries(packages).filter(([at]) => at !== "" && at !== except && fs.existsSync(path.join(ROOT, at)));
    for (const [at] of installed) linkTree(path.join(ROOT, at), path.join(dir, at), (relative) => relative === "node_modules");
    for (const [at, entry] of installed) {
        const modules = at.slice(0, at.lastIndexOf("node_modules/") + "node_modules".length);
        for (const [name, file] of Object.entries((entry.bin ?? {}) as Record<string, string>)) {
            const bin = path.join(dir, modules, ".bin", name);
            fs.mkdirSync(path.dirname(bin), { recursive: true });
            if (!fs.existsSync(bin)) fs.symlinkSync(path.relative(path.dirname(bin), path.join(dir, at, file)), bin);
        }
    }
    const record = { name: path.basename(dir), lockfileVersion: 3, requires: true, packages: Object.fromEntries(installed) };
    fs.writeFileSync(path.join(dir, "node_modules", ".package-lock.json"), `${JSON.stringify(record, null, 2)}\n`);
}

/** Runs npm in `cwd` without blocking this process; rejects with npm's output when it fails. */
function npm(cwd: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(NPM, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        child.on("error", reject);
        child.on("close", (code) =>
            code === 0 ? resolve() : reject(new Error(`npm ${args.join(" ")} exited ${code} in ${cwd}:\n${output}`)),
        );
    });
}

/**
 * Installs the tarball into `dir` with plain `npm install`: the tarball, `dependencies` (this
 * repository's versions) and, through the lockfile, whatever they declare; then links `providers`.
 * The project's own package.json fields (main, description) are kept; its dependencies are replaced.
 */
export async function installConsumer(
    dir: string,
    tarball: string,
    options: { dependencies: readonly string[]; providers?: readonly string[] },
): Promise<void> {
    fs.mkdirSync(dir, { recursive: true });
    const local = path.join(dir, path.basename(tarball));
    fs.copyFileSync(tarball, local);
    const manifest = JSON.parse(execFileSync("tar", ["-xzOf", local, "package/package.json"], { encoding: "utf8" }));
    const { packageJson, lock } = consumerLock(path.basename(dir), { file: local, manifest }, options.dependencies, "lowest");
    const file = path.join(dir, "package.json");
    const existing = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
    fs.writeFileSync(file, `${JSON.stringify({ ...existing, ...packageJson, devDependencies: {} }, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
    linkInstalled(dir, lock.packages, `node_modules/${manifest.name}`);
    // --package-lock: the examples' .npmrc turns lockfiles off for their users; this install reads the one written above.
    await npm(dir, ["install", "--prefer-offline", "--package-lock", "--no-audit", "--no-fund"]);
    for (const provider of options.providers ?? [])
        linkTree(path.join(ROOT, "node_modules", provider), path.join(dir, "node_modules", provider));
}

/**
 * The same project at the newest end of the @pulumi/pulumi peer range: its files linked, the SDK
 * swapped for the newest one (the devDependency alias `pulumi-peer-newest`). This repository's
 * lockfile resolves every dependency of that SDK to the packages the project already has (it nests
 * nothing under the alias), so the result is the tree `npm install @pulumi/pulumi@<newest>` makes.
 */
export function withNewestSdk(dir: string, to: string): string {
    const nested = Object.keys(rootLock()).filter((p) => p.startsWith(`${SDK_ENDS.newest}/node_modules/`));
    if (nested.length > 0) throw new Error(`the newest SDK needs other versions of ${nested.join(", ")}: install it for real`);
    linkTree(dir, to, (relative) => relative === path.join("node_modules", "@pulumi", "pulumi"));
    linkTree(path.join(ROOT, SDK_ENDS.newest), path.join(to, "node_modules", "@pulumi", "pulumi"));
    return JSON.parse(fs.readFileSync(path.join(to, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")).version;
}
