/** Name rules shared by config validation and component argument checks. One copy of each. */

/** An environment variable name. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A Cloud Run service name: lowercase letter first, letters/digits/hyphens, at most 49 characters. */
export const CLOUD_RUN_SERVICE_NAME = /^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/;
/** A GitHub user or organisation name. */
export const GITHUB_OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
/** A GitHub repository name. */
export const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/;
/** `owner/repo`. */
export const GITHUB_REPOSITORY = new RegExp(`^${GITHUB_OWNER.source.slice(1, -1)}/${GITHUB_REPO.source.slice(1, -1)}$`);
