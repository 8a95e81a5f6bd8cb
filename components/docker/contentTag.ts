import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Directories never part of an image's content (and never worth hashing). */
const SKIPPED = new Set([".git", "node_modules", ".pulumi"]);

/**
 * A tag that names the build's content: `src-` + the first 12 hex digits of a SHA-256 over the
 * Dockerfile and every file of the context (paths and bytes, sorted). The same sources give the
 * same tag and new sources a new one, so an IMMUTABLE repository (ECR in production) never sees a
 * tag pushed twice with different images. Runs when the program starts, never inside a resource.
 * @example contentTag("app", "app/Dockerfile") → "src-3f2a9c0d1b7e"
 */
export function contentTag(context: string, dockerfile: string): string {
    const hash = createHash("sha256");
    const files: string[] = [];
    const walk = (dir: string) => {
        if (!fs.existsSync(dir)) return;
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            if (SKIPPED.has(entry.name)) continue;
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (entry.isFile()) files.push(full);
        }
    };
    walk(context);
    for (const file of [dockerfile, ...files.sort()]) {
        if (!fs.existsSync(file)) continue;
        hash.update(path.relative(context, file)).update("\0").update(fs.readFileSync(file)).update("\0");
    }
    return `src-${hash.digest("hex").slice(0, 12)}`;
}
