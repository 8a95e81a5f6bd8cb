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

/**
 * A project-unique id that carries the stack, so two stacks of one program can share a project:
 * `${base}-${stack}-${role}` (no role part when `role` is ""). When it is longer than `max`, `base`
 * is shortened first and a hash of the full id keeps different bases apart; the stack stays whole
 * unless it alone leaves no room. Always starts with a letter and never ends with a hyphen.
 * @example stackScopedId("shop", "production", "run", 30) === "shop-production-run"
 */
export function stackScopedId(base: string, stack: string, role: string, max: number): string {
    const tail = slug([slug(stack), slug(role)].filter(Boolean).join("-"));
    let full = slug(`${base}-${tail}`);
    if (!/^[a-z]/.test(full)) full = `r-${full}`;
    if (full.length <= max) return full;
    const hash = shortHash(full, 4);
    const room = max - tail.length - hash.length - 2;
    if (room >= 1) {
        const head = slug(slug(base).slice(0, room)) || "r";
        return `${/^[a-z]/.test(head) ? head : "r"}-${tail}-${hash}`.slice(0, max);
    }
    return `${slug(`r-${tail}`.slice(0, max - hash.length - 1))}-${hash}`;
}

/** What Google allows as a service account id (6-30 characters). */
export const SERVICE_ACCOUNT_ID = /^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/;
export const SERVICE_ACCOUNT_ID_ALLOWED = "6-30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen";

/** The project-unique names the Runway program gives one stack's GCP resources. */
export interface StackGcpNames {
    /** Cloud Run service name (≤ 49 characters). */
    readonly service: string;
    /** Runtime service account id. */
    readonly runtimeAccount: string;
    /** Deployer service account id. */
    readonly deployerAccount: string;
    /** Previewer service account id. */
    readonly previewerAccount: string;
}

/**
 * The Runway program's project-unique names for a stack: with `withStack` (the default) each
 * carries the stack, so solo, staging and production (or two production stacks) can share a project;
 * without, the names of earlier releases (`<service>`, `<service>-run`, `<service>-deploy-<tier>`,
 * `<service>-preview-<tier>`), for a stack that must keep its existing service and accounts.
 */
export function stackGcpNames(service: string, stack: string, tier: string, withStack: boolean): StackGcpNames {
    if (!withStack)
        return {
            service,
            runtimeAccount: serviceAccountId(service, "run"),
            deployerAccount: serviceAccountId(service, `deploy-${tier}`),
            previewerAccount: serviceAccountId(service, `preview-${tier}`),
        };
    return {
        service: stackScopedId(service, stack, "", 49),
        runtimeAccount: stackScopedId(service, stack, "run", 30),
        deployerAccount: stackScopedId(service, stack, "deploy", 30),
        previewerAccount: stackScopedId(service, stack, "preview", 30),
    };
}
