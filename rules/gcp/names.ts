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
    /** The deployer's custom role id; undefined: the component's own (`runwayDeploy_<service>_<tier>`). */
    readonly deployRole?: string;
    /** The previewer's custom role id; undefined: the component's own (`runwayPreview_<service>_<tier>`). */
    readonly previewRole?: string;
}

/** What Google allows as a custom role id. Source: https://cloud.google.com/iam/docs/reference/rest/v1/projects.roles/create (roleId). */
export const CUSTOM_ROLE_ID = /^[a-zA-Z0-9_.]{3,64}$/;
export const CUSTOM_ROLE_ID_ALLOWED = "3-64 letters, digits, underscores and periods";

/**
 * A project-unique custom role id for `kind` of one service: `${kind}_${service}_${scope}`, every
 * character a role id refuses (`[a-zA-Z0-9_.]{3,64}`) as `_`; past 64 characters, cut and ended with
 * a hash of the full id, so two scopes never share it. A role id is reserved for about 37 days after
 * its role is deleted (https://cloud.google.com/iam/docs/creating-custom-roles#deleting-custom-role);
 * the provider undeletes a deleted role of the same id (magic-modules
 * resource_google_project_iam_custom_role.go, Create), so a stack re-created under its old name works,
 * and a scope in the id keeps two stacks from ever sharing one.
 * @example customRoleId("runwayDeploy", "app", "production-eu") === "runwayDeploy_app_production_eu"
 */
export function customRoleId(kind: string, service: string, scope: string): string {
    const full = `${kind}_${service}_${scope}`.replace(/[^a-zA-Z0-9_.]/g, "_");
    if (full.length <= 64) return full;
    return `${full.slice(0, 64 - 5)}_${stableHash(full, 4)}`;
}

/**
 * The Runway program's project-unique names for a stack: with `withStack` (the default) each
 * carries the stack, so solo, staging and production (or two production stacks) can share a project;
 * without, the service keeps its name and the components name the accounts as earlier releases did
 * (`<service>-run`, `<service>-deploy-<tier>`, `<service>-preview-<tier>`), for a stack that must keep
 * its existing service and accounts. The CI custom roles carry the stack when it is not named `tier`
 * (two stacks of one tier share no role id).
 */
export function stackGcpNames(service: string, stack: string, withStack: boolean, tier?: string): StackGcpNames {
    if (!withStack) return { service };
    return {
        service: stackScopedId(service, stack, "", 49),
        runtimeAccount: stackScopedId(service, stack, "run", 30),
        deployerAccount: stackScopedId(service, stack, "deploy", 30),
        previewerAccount: stackScopedId(service, stack, "preview", 30),
        // A stack named after its tier keeps the component's ids (`<kind>_<service>_<tier>`, as earlier releases).
        ...(stack === tier
            ? {}
            : { deployRole: customRoleId("runwayDeploy", service, stack), previewRole: customRoleId("runwayPreview", service, stack) }),
    };
}
