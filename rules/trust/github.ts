/**
 * GitHub's side of the trust simulator: which workflow runs on which event, whether its job gets an
 * OIDC token at all, and the claims that token carries (real claim names and formats). Pure data
 * and functions over already-parsed workflow objects; dependency-free.
 *
 * Sources:
 * - Claims and subject formats: docs.github.com/en/actions/reference/security/oidc ("OIDC token
 *   claims", "Example subject claims": environment jobs `repo:O/R:environment:E`, pull requests
 *   `repo:O/R:pull_request`, other jobs `repo:O/R:ref:<ref>`; `job_workflow_ref` = `O/R/<path>@<ref>`).
 * - Immutable subject (repositories created, renamed or transferred after the 2026 switch, or opted
 *   in): the changelog (github.blog/changelog/2026-04-23-immutable-subject-claims-for-github-actions-oidc-tokens)
 *   shows `repo:octocat-123456/my-repo-456789:…`; the docs change (github/docs PR #45221) and
 *   aws-actions/configure-aws-credentials' README (2026-08) show `repo:octo-org@123456/octo-repo@789012:…`.
 *   Runway's trust never reads `sub`, so the simulator issues all three spellings.
 * - Refs per event: docs.github.com "Events that trigger workflows" (`GITHUB_REF`: push → the pushed
 *   branch; pull_request → `refs/pull/<n>/merge`; workflow_run and schedule → the default branch;
 *   workflow_dispatch → the branch chosen).
 * - No token for pull requests from forks (and Dependabot): "Automatic token authentication —
 *   permissions for the GITHUB_TOKEN" (read-only; `id-token: write` is not granted) and "OpenID
 *   Connect — adding permissions settings".
 * - Environments: "Managing environments for deployment" — a job that names an environment its
 *   deployment branch policy does not admit fails before it runs ("Branch "refs/pull/1/merge" is not
 *   allowed to deploy"); required reviewers hold the job until one approves; a job naming an
 *   environment that does not exist creates it with no protection.
 */

/** A repository as tokens name it, with its immutable IDs. */
export interface RepositoryIdentity {
    readonly owner: string;
    readonly repo: string;
    readonly ownerId: string;
    readonly repositoryId: string;
    readonly defaultBranch: string;
}

/** How `sub` spells the repository: names only, or with the immutable IDs (both spellings GitHub published). */
export const SUB_FORMATS = ["names", "ids-at", "ids-dash"] as const;
export type SubFormat = (typeof SUB_FORMATS)[number];

/** Events the simulator fires; `fork` and `dependabot` are pull requests GitHub gives no token. */
export type EventName = "push" | "pull_request" | "workflow_run" | "schedule" | "workflow_dispatch";

export interface RunEvent {
    readonly name: EventName;
    /** push / workflow_dispatch: the branch; pull_request: the base branch; workflow_run / schedule: the default branch. */
    readonly branch: string;
    /** pull_request from a fork. */
    readonly fork?: boolean;
    /** Who triggered it (`dependabot[bot]` for Dependabot's pull requests). @default "maintainer" */
    readonly actor?: string;
    /** workflow_run: the triggering workflow's name and event. */
    readonly upstream?: { readonly workflow: string; readonly event: EventName };
}

/** A protected GitHub environment as the stack plans it. */
export interface EnvironmentRule {
    readonly name: string;
    /** Branch patterns allowed to deploy; undefined = every ref (no deployment branch policy). */
    readonly branches?: readonly string[];
    /** Required reviewers (user ids or names); empty = none. */
    readonly reviewers: readonly unknown[];
}

const PR_NUMBER = 7;

/** The ref a job of `event` runs on (GITHUB_REF). */
export function refOf(event: RunEvent): string {
    return event.name === "pull_request" ? `refs/pull/${PR_NUMBER}/merge` : `refs/heads/${event.branch}`;
}

/** The repository part of `sub` in `format`. */
export function subjectRepository(r: RepositoryIdentity, format: SubFormat): string {
    if (format === "ids-at") return `${r.owner}@${r.ownerId}/${r.repo}@${r.repositoryId}`;
    if (format === "ids-dash") return `${r.owner}-${r.ownerId}/${r.repo}-${r.repositoryId}`;
    return `${r.owner}/${r.repo}`;
}

/**
 * The claims of the OIDC token a job gets (GitHub's claim names; every value is a string), or
 * undefined when GitHub issues none: no `id-token: write`, a fork's or Dependabot's pull request.
 */
export function githubClaims(
    r: RepositoryIdentity,
    job: { readonly workflowPath: string; readonly environment?: string; readonly idToken: boolean },
    event: RunEvent,
    format: SubFormat,
    audience: string,
): Record<string, string> | undefined {
    const actor = event.actor ?? "maintainer";
    if (!job.idToken || event.fork || (event.name === "pull_request" && actor === "dependabot[bot]")) return undefined;
    const ref = refOf(event);
    const prefix = `repo:${subjectRepository(r, format)}`;
    const sub =
        job.environment !== undefined
            ? `${prefix}:environment:${job.environment}`
            : event.name === "pull_request"
              ? `${prefix}:pull_request`
              : `${prefix}:ref:${ref}`;
    const workflowRef = `${r.owner}/${r.repo}/${job.workflowPath}@${ref}`;
    return {
        iss: "https://token.actions.githubusercontent.com",
        aud: audience,
        sub,
        ref,
        ref_type: "branch",
        event_name: event.name,
        repository: `${r.owner}/${r.repo}`,
        repository_id: r.repositoryId,
        repository_owner: r.owner,
        repository_owner_id: r.ownerId,
        repository_visibility: "private",
        actor,
        actor_id: "1000",
        workflow: job.workflowPath,
        workflow_ref: workflowRef,
        job_workflow_ref: workflowRef,
        run_id: "4200000000",
        run_number: "12",
        run_attempt: "1",
        runner_environment: "github-hosted",
        head_ref: event.name === "pull_request" ? "feature" : "",
        base_ref: event.name === "pull_request" ? event.branch : "",
        ...(job.environment !== undefined ? { environment: job.environment } : {}),
    };
}

/** GitHub's branch filter patterns: `*` matches within a path segment, `**` across; `!` negation is not used here. */
export function branchMatches(pattern: string, branch: string): boolean {
    const re = pattern
        .split("**")
        .map((part) => part.replace(/[.+^${}()|[\]\\?]/g, "\\$&").replace(/\*/g, "[^/]*"))
        .join(".*");
    return new RegExp(`^${re}$`).test(branch);
}

type Triggers = Record<string, Record<string, unknown> | null>;

function triggersOf(workflow: Record<string, unknown>): Triggers {
    const on = workflow.on;
    if (typeof on === "string") return { [on]: {} };
    if (Array.isArray(on)) return Object.fromEntries(on.map((e) => [String(e), {}]));
    return (on ?? {}) as Triggers;
}

function branchFilter(filter: Record<string, unknown> | null, branch: string): boolean {
    const only = filter?.branches as string[] | undefined;
    const ignore = filter?.["branches-ignore"] as string[] | undefined;
    if (only) return only.some((p) => branchMatches(p, branch));
    if (ignore) return !ignore.some((p) => branchMatches(p, branch));
    return true;
}

/** Whether `event` starts a run of `workflow` (its `on:` filters). */
export function triggers(workflow: Record<string, unknown>, event: RunEvent): boolean {
    const on = triggersOf(workflow);
    if (!(event.name in on)) return false;
    const filter = on[event.name];
    switch (event.name) {
        case "push":
        case "pull_request":
            return branchFilter(filter, event.branch);
        case "workflow_run":
            return ((filter?.workflows as string[] | undefined) ?? []).includes(event.upstream?.workflow ?? "");
        default:
            return true;
    }
}

/** The `github` context a job's `if:` reads for `event`. */
export function githubContext(r: RepositoryIdentity, event: RunEvent): Record<string, unknown> {
    const repository = `${r.owner}/${r.repo}`;
    const head = event.fork ? `someone/${r.repo}` : repository;
    return {
        event_name: event.name,
        repository,
        repository_owner: r.owner,
        actor: event.actor ?? "maintainer",
        ref: refOf(event),
        event: {
            ...(event.name === "pull_request" ? { pull_request: { number: PR_NUMBER, head: { repo: { full_name: head } } } } : {}),
            ...(event.name === "workflow_run"
                ? { workflow_run: { event: event.upstream?.event ?? "push", head_repository: { full_name: head } } }
                : {}),
        },
    };
}

/**
 * Evaluates a job-level `if:` (GitHub expression syntax, the subset Runway writes: literals,
 * `github.*` lookups, `==`, `!=` (case-insensitive for strings, as GitHub compares), `!`, `&&`,
 * `||`, parentheses, `startsWith`, `contains`, `success()`, `always()`). A job without `if:` runs.
 */
export function jobRuns(condition: unknown, context: Record<string, unknown>): boolean {
    if (condition === undefined || condition === null) return true;
    if (typeof condition === "boolean") return condition;
    const source = String(condition)
        .replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, "$1")
        .trim();
    return truthy(evalExpression(source, { github: context }));
}

const truthy = (v: unknown) => v !== false && v !== 0 && v !== "" && v !== null && v !== undefined;
const norm = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);

function evalExpression(source: string, contexts: Record<string, unknown>): unknown {
    const tokens = source.match(/'(?:[^']|'')*'|&&|\|\||==|!=|[!(),]|[A-Za-z_][\w.\-[\]*]*|\d+|\S/g) ?? [];
    let i = 0;
    const peek = () => tokens[i];
    const expect = (t: string) => {
        if (tokens[i++] !== t) throw new SyntaxError(`expression: expected ${t} in: ${source}`);
    };
    const or = (): unknown => {
        let l = and();
        while (peek() === "||") {
            i++;
            const r = and();
            l = truthy(l) ? l : r;
        }
        return l;
    };
    const and = (): unknown => {
        let l = eq();
        while (peek() === "&&") {
            i++;
            const r = eq();
            l = truthy(l) ? r : l;
        }
        return l;
    };
    const eq = (): unknown => {
        const l = unary();
        if (peek() !== "==" && peek() !== "!=") return l;
        const op = tokens[i++];
        const r = unary();
        return (norm(l) === norm(r)) === (op === "==");
    };
    const unary = (): unknown => {
        if (peek() !== "!") return primary();
        i++;
        return !truthy(unary());
    };
    const primary = (): unknown => {
        const t = tokens[i++];
        if (t === undefined) throw new SyntaxError(`expression: unexpected end of: ${source}`);
        if (t === "(") {
            const v = or();
            expect(")");
            return v;
        }
        if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
        if (/^\d+$/.test(t)) return Number(t);
        if (t === "true" || t === "false") return t === "true";
        if (t === "null") return null;
        if (peek() === "(") {
            i++;
            const args: unknown[] = [];
            while (peek() !== ")") {
                args.push(or());
                if (peek() === ",") i++;
            }
            expect(")");
            return callFunction(t, args, source);
        }
        return t
            .split(".")
            .reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), contexts);
    };
    const value = or();
    if (i !== tokens.length) throw new SyntaxError(`expression: unexpected "${tokens[i]}" in: ${source}`);
    return value;
}

function callFunction(name: string, args: unknown[], source: string): unknown {
    const [a, b] = args.map((v) => String(v ?? "").toLowerCase());
    switch (name) {
        case "startsWith":
            return a.startsWith(b);
        case "contains":
            return a.includes(b);
        case "success":
        case "always":
            return true;
        case "failure":
        case "cancelled":
            return false;
    }
    throw new SyntaxError(`expression: unsupported function ${name}() in: ${source}`);
}

/**
 * Whether a job naming `environment` runs on `event`, and what holds it: GitHub refuses refs the
 * environment's branch policy does not admit; required reviewers hold it until approved. An
 * environment the stack does not plan is created on first use with no protection.
 */
export function environmentGate(
    environment: string,
    rules: readonly EnvironmentRule[],
    event: RunEvent,
): { readonly runs: boolean; readonly approval: boolean; readonly planned: boolean } {
    const rule = rules.find((e) => e.name.toLowerCase() === environment.toLowerCase());
    if (!rule) return { runs: true, approval: false, planned: false };
    // A pull request's ref is refs/pull/<n>/merge: no branch pattern admits it.
    const branch = event.name === "pull_request" ? refOf(event) : event.branch;
    const admitted = rule.branches === undefined || rule.branches.some((p) => branchMatches(p, branch));
    return { runs: admitted, approval: rule.reviewers.length > 0, planned: true };
}
