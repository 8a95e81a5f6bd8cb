import ignore from "@balena/dockerignore";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { goFileModeString } from "../../rules/docker/fileMode";

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/**
 * The ignore file the Docker provider applies to a build context: `<dockerfile>.dockerignore` if present, else
 * `<context>/.dockerignore` (pulumi/pulumi-docker `provider/provider.go`, `getIgnorePatterns`), as its text.
 */
function ignoreFile(context: string, dockerfile: string): string {
    for (const candidate of [`${dockerfile}.dockerignore`, path.join(context, ".dockerignore")]) {
        if (fs.existsSync(candidate)) return fs.readFileSync(candidate, "utf8");
    }
    return "";
}

/** What the provider hashes of one file besides its path and mode: the content, or a symlink's resolved target path. */
function fileDigest(full: string, stats: fs.Stats, context: string): string {
    if (stats.isSymbolicLink()) {
        let target: string;
        try {
            const resolved = fs.realpathSync(full);
            target = path.isAbsolute(context) ? resolved : path.relative(process.cwd(), resolved);
        } catch {
            target = fs.readlinkSync(full); // dangling: the provider refuses the build anyway
        }
        return sha256(target.split(path.sep).join("/"));
    }
    return sha256(stats.isFile() ? fs.readFileSync(full) : "");
}

/**
 * Whether an exception (`!pattern`) can keep a file under an ignored directory: its literal part before the first
 * wildcard and the directory lie on one path (`!node_modules/x/index.js` under `node_modules`; a pattern starting with
 * a wildcard under any directory). Conservative: looking inside an ignored directory costs only time, the ignore rules
 * still decide each file.
 */
function mayReinclude(dir: string, exceptions: readonly string[]): boolean {
    return exceptions.some((pattern) => {
        const literal = pattern.split(/[*?[\\]/)[0];
        return literal.startsWith(`${dir}/`) || `${dir}/`.startsWith(literal);
    });
}

/**
 * A tag that names the build's content the way the Docker provider's context digest does (pulumi/pulumi-docker
 * `provider/provider.go`, `hashContext`/`hashPath`): `src-` + the first 12 hex digits of a SHA-256 over the
 * Dockerfile's content and, for every file of the context its `.dockerignore` keeps, its path, its mode (Go's
 * `FileMode.String()`, permission bits included) and its content (a symlink: its resolved target). Whenever the
 * provider's digest changes, so does the tag: a checkout with other permission bits pushes a new tag instead of
 * rebuilding a different image under a tag an IMMUTABLE repository (ECR in production) already holds
 * (ImageTagAlreadyExistsException). Runs when the program starts, never inside a resource.
 * @example contentTag("app", "app/Dockerfile") → "src-3f2a9c0d1b7e"
 */
export function contentTag(context: string, dockerfile: string): string {
    const text = ignoreFile(context, dockerfile);
    const ignored = ignore().add(text);
    const exceptions = text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.startsWith("!"))
        .map((line) => path.posix.normalize(line.slice(1).trim()).replace(/^\/+/, ""));
    const files: string[] = [];
    const walk = (rel: string) => {
        const dir = path.join(context, rel);
        for (const name of fs.readdirSync(dir)) {
            const relPath = rel === "" ? name : path.join(rel, name);
            const full = path.join(context, relPath);
            const stats = fs.lstatSync(full);
            const skip = ignored.ignores(relPath);
            if (stats.isDirectory()) {
                if (!skip || mayReinclude(relPath.split(path.sep).join("/"), exceptions)) walk(relPath);
            } else if (!skip) {
                const posix = relPath.split(path.sep).join("/");
                files.push(`${posix}\0${goFileModeString(stats.mode, process.platform)}\0${fileDigest(full, stats, context)}`);
            }
        }
    };
    if (fs.existsSync(context)) walk("");
    const hash = createHash("sha256");
    hash.update(`Dockerfile\0${fs.existsSync(dockerfile) ? sha256(fs.readFileSync(dockerfile)) : ""}\0`);
    for (const entry of files.sort()) hash.update(entry).update("\0\0");
    return `src-${hash.digest("hex").slice(0, 12)}`;
}
