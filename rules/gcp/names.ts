/** Pure naming rules for GCP resources whose ids have tight length and character limits. Dependency-free. */

/** A short, stable hash (FNV-1a, 32 bits, base 36) that tells shortened ids apart. */
function stableHash(text: string, length: number): string {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h.toString(36).padStart(7, "0").slice(-length);
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
    const hash = stableHash(full, 4);
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
    /** Runtime service account id; undefined: the component's own (earlier releases' `<service>-run`). */
    readonly runtimeAccount?: string;
    /** Deployer service account id; undefined: the component's own (`<service>-deploy-<tier>`). */
    readonly deployerAccount?: string;
    /** Previewer service account id; undefined: the component's own (`<service>-preview-<tier>`). */
    readonly previewerAccount?: string;
}

/**
 * The Runway program's project-unique names for a stack: with `withStack` (the default) each
 * carries the stack, so solo, staging and production (or two production stacks) can share a project;
 * without, the service keeps its name and the components name the accounts as earlier releases did
 * (`<service>-run`, `<service>-deploy-<tier>`, `<service>-preview-<tier>`), for a stack that must keep
 * its existing service and accounts.
 */
export function stackGcpNames(service: string, stack: string, withStack: boolean): StackGcpNames {
    if (!withStack) return { service };
    return {
        service: stackScopedId(service, stack, "", 49),
        runtimeAccount: stackScopedId(service, stack, "run", 30),
        deployerAccount: stackScopedId(service, stack, "deploy", 30),
        previewerAccount: stackScopedId(service, stack, "preview", 30),
    };
}
