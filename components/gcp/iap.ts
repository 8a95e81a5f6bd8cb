/**
 * Who IAP on a Cloud Run service can admit. With IAP enabled directly on the service, Google's
 * OAuth client signs in identities of the project's own organisation only; users of another
 * organisation, personal accounts, and any user when the project has no organisation need a
 * custom OAuth client and an external OAuth consent screen
 * (https://cloud.google.com/run/docs/securing/identity-aware-proxy-cloud-run, "Manage user or group access").
 * Runway does not create those, so it refuses such members at plan time when the organisation's
 * domains are known, and says so when they are not.
 */
import { Problem } from "../../rules/problems";

/** The domain of an IAM member (`user:`, `group:`, `domain:`), or undefined for service accounts and others. */
export function memberDomain(member: string): string | undefined {
    const m = /^(user|group):[^@\s]+@([^@\s]+)$/.exec(member) ?? /^(domain):([^@\s]+)$/.exec(member);
    return m ? m[2].toLowerCase() : undefined;
}

/** Problems with IAP members outside the organisation's domains (none when `domains` is empty: unknown). Pure. */
export function iapMemberProblems(members: readonly string[], domains: readonly string[], key: string): Problem[] {
    if (domains.length === 0) return [];
    const allowed = new Set(domains.map((d) => d.toLowerCase()));
    return members
        .filter((m) => {
            const domain = memberDomain(m);
            return domain !== undefined && !allowed.has(domain);
        })
        .map((m) => ({
            key,
            value: m,
            allowed: `members of the organisation's domains (iapDomains: ${domains.join(", ")}): IAP on Cloud Run with Google's OAuth client signs in only the project's organisation; outside users need a custom OAuth client (see docs/day-two.md, "IAP and who can sign in")`,
        }));
}

/** The warning a plan prints when IAP members cannot be checked because the organisation's domains are not configured. */
export const IAP_DOMAINS_UNKNOWN =
    "IAP admits only identities of the project's Google organisation (a project without one admits nobody) " +
    "unless you configure a custom OAuth client: set runway:iapDomains to your organisation's domains so Runway refuses members outside them.";
