/** Name rules shared by config validation and component argument checks. One copy of each. */

/** An environment variable name. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * A Cloud Run service name: lowercase letter first, letters/digits/hyphens, at most 49 characters; no
 * two hyphens in a row, because the ids Runway derives from it (service accounts, identity pools) fold
 * them into one, so "shop--web" and "shop-web" would share them.
 */
export const CLOUD_RUN_SERVICE_NAME = /^(?!.*--)[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/;
/** What `CLOUD_RUN_SERVICE_NAME` allows, as a fix. */
export const SERVICE_NAME_ALLOWED =
    "lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen, at most 49 characters";
/** A Pulumi stack's own name (sdk/go/common/tokens ParseStackName): safe in a file name, a branch and a shell word. */
export const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
/** A GitHub user or organisation name. */
export const GITHUB_OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
/** A GitHub repository name. */
export const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/;
/** `owner/repo`. */
export const GITHUB_REPOSITORY = new RegExp(`^${GITHUB_OWNER.source.slice(1, -1)}/${GITHUB_REPO.source.slice(1, -1)}$`);
