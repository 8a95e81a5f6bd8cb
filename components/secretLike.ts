/**
 * What a secret looks like, shared by config validation and the policy pack. Dependency-free so the
 * policy pack can import it without loading any provider SDK.
 */

/** Env var names that announce a credential (`DB_PASSWORD`, `STRIPE_API_KEY`, `GITHUB_TOKEN`). */
export const SECRET_LOOKING_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;

/** Values that are credentials whatever their name: cloud keys, PEM keys, tokens, URLs with passwords. */
export const SECRET_LOOKING_VALUE =
    /^(AKIA|ASIA)[0-9A-Z]{16}$|-----BEGIN [A-Z ]*PRIVATE KEY-----|^gh[pousr]_[A-Za-z0-9]{20,}|^xox[abpr]-|^sk_live_|^AIza[0-9A-Za-z_-]{35}$|^[a-z][a-z0-9+.-]*:\/\/[^\/\s:@]+:[^\/\s@]+@/;

/** True when a plain env var (name, value) would put a credential in a service definition. */
export function looksLikeSecret(name: string, value: string): boolean {
    if (value.trim() === "") return false;
    return SECRET_LOOKING_NAME.test(name) || SECRET_LOOKING_VALUE.test(value);
}

/**
 * Label on a local Docker container listing the env names whose values come from the stack's
 * secrets (stored encrypted in state). Docker without Swarm has no secret store, so env is the only
 * channel an unchanged app reads; the no-plaintext-secrets policy accepts secret-looking values on a
 * Docker container only for the names listed here, and a reviewer sees the list in the diff.
 */
export const SECRET_ENV_LABEL = "dev.runway.secret-env";
