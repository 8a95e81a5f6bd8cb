/** Small pure helpers over URNs and name patterns. */

/** The stack name inside a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string {
    const m = /^urn:pulumi:([^:]+)::/.exec(urn);
    return m ? m[1] : "";
}

/**
 * True when `value` matches a pattern where `*` stands for any run of characters and everything
 * else is literal (`us-docker.pkg.dev/cloudrun/container/*`, `prod*`).
 */
export function matchesPattern(value: string, pattern: string): boolean {
    const body = pattern
        .split("*")
        .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
        .join(".*");
    return new RegExp(`^${body}$`).test(value);
}

export function matchesAny(value: string, patterns: readonly string[]): boolean {
    return patterns.some((p) => matchesPattern(value, p));
}
