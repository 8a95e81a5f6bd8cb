/**
 * What a secret looks like, shared by config validation and the policy pack. Dependency-free so the
 * policy pack can import it without loading any provider SDK.
 */

/** Env var names that announce a credential (`DB_PASSWORD`, `STRIPE_API_KEY`, `GITHUB_TOKEN`). */
export const SECRET_LOOKING_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;

/** Values that are credentials whatever their name: cloud keys, PEM keys, tokens, URLs with passwords. */
export const SECRET_LOOKING_VALUE =
    /^(AKIA|ASIA)[0-9A-Z]{16}$|-----BEGIN [A-Z ]*PRIVATE KEY-----|^gh[pousr]_[A-Za-z0-9]{20,}|^xox[abpr]-|^sk_live_|^AIza[0-9A-Za-z_-]{35}$|^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/;

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

/**
 * What a program sees offline for a config value stored under `secure:` (nothing can be decrypted
 * without the stack's secrets provider). A value equal to it is opaque: never validated, never shown.
 */
export const OFFLINE_SECRET_PLACEHOLDER = "[offline-secret]";

/** Config keys and paths (`runway:secrets.STRIPE_API_KEY`) whose last segment names a credential. */
function lastSegment(key: string): string {
    return (
        key
            .split(/[:.[\]]/)
            .filter((s) => s !== "")
            .pop() ?? key
    );
}

/**
 * True when a value given for `key` must not be printed: the key names a credential, the value
 * looks like one, or it is the offline secret placeholder (never the user's value).
 */
export function mustHide(key: string, value: unknown): boolean {
    if (SECRET_LOOKING_NAME.test(lastSegment(key))) return true;
    const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
    return (
        text.includes(OFFLINE_SECRET_PLACEHOLDER) ||
        text.split(/["\s,[\]{}=]+/).some((part) => SECRET_LOOKING_VALUE.test(part)) ||
        SECRET_LOOKING_VALUE.test(text)
    );
}
