/** Pure naming rules for GCP resources whose ids have tight length and character limits. */
import { createHash } from "crypto";

function shortHash(text: string, length: number): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Lowercases and replaces anything but letters, digits and hyphens; trims edge hyphens. */
export function slug(text: string): string {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-+/g, "-")
        .replace(/^-|-$/g, "");
}

/**
 * A fitting id: `${base}-${role}` when it fits `max`, else base truncated plus a stable hash so
 * different long bases never collide. Always starts with a letter.
 */
export function fitId(base: string, role: string, max: number): string {
    let id = slug(`${base}-${role}`);
    if (!/^[a-z]/.test(id)) id = `r-${id}`;
    if (id.length <= max) return id;
    const hash = shortHash(id, 6);
    const keep = max - role.length - hash.length - 2;
    const head = slug(slug(base).slice(0, Math.max(1, keep)));
    return `${/^[a-z]/.test(head) ? head : "r"}-${role}-${hash}`.slice(0, max).replace(/-$/, "");
}

/**
 * Service account id (6-30 chars: lowercase letter first, then letters, digits, hyphens).
 * @example serviceAccountId("shop-production", "run") === "shop-production-run"
 */
export function serviceAccountId(base: string, role: string): string {
    const id = fitId(base, role, 30);
    return id.length >= 6 ? id : id.padEnd(6, "0");
}

/** Workload Identity pool / provider id (4-32 chars; `gcp-` is reserved by Google). */
export function workloadIdentityId(base: string, role: string): string {
    const id = fitId(base, role, 32);
    return id.startsWith("gcp-") ? `p${id}`.slice(0, 32) : id;
}
