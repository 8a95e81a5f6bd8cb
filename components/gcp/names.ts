/**
 * Naming rules for GCP resources whose ids have tight length and character limits. The stack-scoped
 * names and the slug are pure rules (rules/gcp/names.ts); these ids keep their SHA-256 suffix, so the
 * ids existing stacks were given never change.
 */
import { createHash } from "crypto";
import { slug } from "../../rules/gcp/names";

export * from "../../rules/gcp/names";

function shortHash(text: string, length: number): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
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
