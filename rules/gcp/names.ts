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
 * unless it leaves no room for 3 characters of `base`: then `base` comes first, as much of the stack
 * as fits, the role and the hash. Always starts with a letter and never ends with a hyphen.
 * @example stackScopedId("shop", "production", "run", 30) === "shop-production-run"
 */
export function stackScopedId(base: string, stack: string, role: string, max: number): string {
    const tail = slug([slug(stack), slug(role)].filter(Boolean).join("-"));
    let full = slug(`${base}-${tail}`);
    if (!/^[a-z]/.test(full)) full = `r-${full}`;
    if (full.length <= max) return full;
    const hash = stableHash(full, 4);
    const room = max - tail.length - hash.length - 2;
    // Room for a few characters of the service: shortened as earlier releases did (their stacks keep these ids).
    if (room >= 3) {
        const head = slug(slug(base).slice(0, room)) || "r";
        return `${/^[a-z]/.test(head) ? head : "r"}-${tail}-${hash}`.slice(0, max);
    }
    return serviceFirstId(base, stack, role, max, hash);
}

/** Characters of a cut stack a name keeps when room allows (the plan's name-shared-by-stacks check reads them as the stack). */
export const STACK_CUT_MIN = 12;

/**
 * An id for a stack too long to fit whole: the service first (cut to leave the stack
 * `STACK_CUT_MIN` characters), as much of the stack as fits, the role, and a hash of the full id
 * that keeps stacks sharing that much apart.
 * @example serviceFirstId("app", "a-very-long-stack-name-for-the-team-of-payments-eu", "deploy", 30, "qdj8") === "app-a-very-long-st-deploy-qdj8"
 */
function serviceFirstId(base: string, stack: string, role: string, max: number, hash: string): string {
    const roleTail = slug(role) ? `-${slug(role)}` : "";
    const room = max - hash.length - 1 - roleTail.length;
    const stackSlug = slug(stack);
    let head = slug(slug(base).slice(0, Math.max(1, room - 1 - Math.min(STACK_CUT_MIN, stackSlug.length))));
    if (!/^[a-z]/.test(head)) head = "r";
    const cut = slug(stackSlug.slice(0, room - head.length - 1));
    return `${[head, cut].filter(Boolean).join("-")}${roleTail}-${hash}`;
}

/**
 * The stack's base name, `<service>-<stack>` (registry, secrets prefix, cluster; every AWS name),
 * at most `max` characters: as it reads when it fits (the names of existing stacks), else the
 * service first, as much of the stack as fits and a hash of the whole, so two long stacks never
 * share it.
 * @example stackBase("app", "production", 40) === "app-production"
 */
export function stackBase(service: string, stack: string, max: number): string {
    const full = slug(`${service}-${stack}`);
    if (full.length <= max && /^[a-z]/.test(full)) return full;
    return serviceFirstId(service, stack, "", max, stableHash(full, 4));
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

/**
 * `<service>_<stack>` as a custom role id spells it (the release gate's role suffix), at most 40
 * characters: as it reads when it fits, else `stackBase` with underscores.
 * @example releaseRoleSuffix("app", "production-eu") === "app_production_eu"
 */
export function releaseRoleSuffix(service: string, stack: string): string {
    const full = `${service}_${stack}`.replace(/[^a-zA-Z0-9_]/g, "_");
    return full.length <= 40 ? full : stackBase(service, stack, 40).replace(/-/g, "_");
}
