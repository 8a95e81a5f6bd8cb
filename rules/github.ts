/**
 * What GitHub sells where: the repository settings Runway's delivery uses, and for which visibility
 * and plan GitHub offers each. A stack that needs a setting its repository cannot have fails when its
 * config loads, naming the setting and what to change, instead of half-way through `pulumi up`
 * (GitHub answers 403/422 to the settings call after the cloud resources exist). Pure data.
 *
 * Sources (docs.github.com, availability notes, read 2026-12-06):
 * - "About protected branches": protected branches are available in public repositories with GitHub
 *   Free and GitHub Free for organizations, and in public and private repositories with GitHub Pro,
 *   GitHub Team, GitHub Enterprise Cloud and GitHub Enterprise Server.
 * - "Managing environments for deployment": environments, environment secrets and deployment protection
 *   rules are available in public repositories for all current plans; for environments and deployment
 *   branches in private or internal repositories you need GitHub Pro, GitHub Team or GitHub Enterprise;
 *   on Free, Pro and Team, other deployment protection rules (required reviewers, wait timers) are only
 *   available for public repositories. Prevent self-review and the administrators' bypass are settings
 *   of those protection rules.
 * - Internal repositories exist only in organisations on GitHub Enterprise.
 */
import { TIER_PROFILES, Tier } from "./profile";

export const GITHUB_VISIBILITIES = ["public", "private", "internal"] as const;
export type GithubVisibility = (typeof GITHUB_VISIBILITIES)[number];
/** The account's plan: Pro is for personal accounts, Team for organisations. */
export const GITHUB_PLANS = ["free", "pro", "team", "enterprise"] as const;
export type GithubPlan = (typeof GITHUB_PLANS)[number];

export const PLAN_NAMES: Readonly<Record<GithubPlan, string>> = {
    free: "GitHub Free",
    pro: "GitHub Pro",
    team: "GitHub Team",
    enterprise: "GitHub Enterprise",
};

/** A repository setting Runway's delivery uses, and the plans that offer it on a private or internal repository. */
export interface GithubFeature {
    readonly what: string;
    /** Plans that offer it on private and internal repositories (public repositories: every plan). */
    readonly nonPublic: readonly GithubPlan[];
    readonly source: string;
}

export const GITHUB_FEATURES = {
    branchProtection: {
        what: "branch protection (required checks and reviews on the default branch, reviewed pull requests into the staging branch)",
        nonPublic: ["pro", "team", "enterprise"],
        source: 'docs.github.com "About protected branches"',
    },
    environments: {
        what: "deployment environments that admit one branch (each deployer's and previewer's OIDC subject)",
        nonPublic: ["pro", "team", "enterprise"],
        source: 'docs.github.com "Managing environments for deployment"',
    },
    environmentReviewers: {
        what: "required reviewers on an environment (with prevent self-review and no administrators' bypass)",
        nonPublic: ["enterprise"],
        source: 'docs.github.com "Managing environments for deployment"',
    },
} as const satisfies Record<string, GithubFeature>;
export type GithubFeatureName = keyof typeof GITHUB_FEATURES;

/** What a stack's repository delivery creates, in the terms the availability rules use. */
export interface DeliveryShape {
    /** The stack protects the default branch (it owns the repository settings). */
    readonly protectsDefaultBranch: boolean;
    /** The stack protects its own deploy branch (staging: a branch other than the default). @default false */
    readonly protectsDeployBranch?: boolean;
    /** The stack creates at least one environment (its deploy environment or its preview environment). */
    readonly environments: boolean;
    /** One of its environments has required reviewers. */
    readonly reviewers: boolean;
}

/**
 * What a Runway stack of `tier` creates in its repository: default-branch protection when it owns the
 * repository settings; protection of its own deploy branch when that is not the default (staging); its deploy environment, and with `runway:githubReviewers` its preview
 * environment (`runway-preview-<stack>`), both then with required reviewers.
 */
export function deliveryShape(tier: Tier, reviewers: boolean): DeliveryShape {
    const d = TIER_PROFILES[tier].delivery;
    return {
        protectsDefaultBranch: d.managesRepository,
        protectsDeployBranch: d.deployFrom === "stagingBranch",
        environments: d.environment !== undefined || reviewers,
        reviewers,
    };
}

/** The repository settings a delivery uses. */
export function featuresOf(shape: DeliveryShape): GithubFeatureName[] {
    return [
        ...(shape.protectsDefaultBranch || shape.protectsDeployBranch ? (["branchProtection"] as const) : []),
        ...(shape.environments ? (["environments"] as const) : []),
        ...(shape.reviewers ? (["environmentReviewers"] as const) : []),
    ];
}

/** The plans on which a repository of this visibility has every one of `features` (every plan for public; Enterprise only for internal). */
export function plansOffering(features: readonly GithubFeatureName[], visibility: GithubVisibility): GithubPlan[] {
    if (visibility === "public") return [...GITHUB_PLANS];
    const plans = visibility === "internal" ? (["enterprise"] as GithubPlan[]) : [...GITHUB_PLANS];
    return plans.filter((p) => features.every((f) => (GITHUB_FEATURES[f].nonPublic as readonly GithubPlan[]).includes(p)));
}

/** The features a repository of this visibility on this plan lacks (none for public). */
export function missingFeatures(
    features: readonly GithubFeatureName[],
    visibility: GithubVisibility,
    plan: GithubPlan,
): GithubFeatureName[] {
    if (visibility === "public") return [];
    if (visibility === "internal" && plan !== "enterprise") return [...features];
    return features.filter((f) => !(GITHUB_FEATURES[f].nonPublic as readonly GithubPlan[]).includes(plan));
}

/** "GitHub Pro, GitHub Team or GitHub Enterprise". */
export function planList(plans: readonly GithubPlan[]): string {
    return plans
        .map((p) => PLAN_NAMES[p])
        .join(", ")
        .replace(/, ([^,]*)$/, " or $1");
}

/** "public, or private on GitHub Pro, GitHub Team or GitHub Enterprise": what a repository needs for `features`. */
export function requirementText(features: readonly GithubFeatureName[]): string {
    const plans = plansOffering(features, "private");
    if (plans.length === GITHUB_PLANS.length) return "any repository";
    return `a public repository, or a private one on ${plans
        .map((p) => PLAN_NAMES[p])
        .join(", ")
        .replace(/, ([^,]*)$/, " or $1")}`;
}

/**
 * Why a repository cannot carry `features`, one sentence naming what it lacks, its source and the ways
 * out (or undefined when it can).
 */
export function planProblem(features: readonly GithubFeatureName[], visibility: GithubVisibility, plan: GithubPlan): string | undefined {
    const missing = missingFeatures(features, visibility, plan);
    if (missing.length === 0) return undefined;
    const lacks = missing.map((f) => `${GITHUB_FEATURES[f].what} (${GITHUB_FEATURES[f].source})`).join("; ");
    const where =
        visibility === "internal" && plan !== "enterprise"
            ? "an internal repository (Enterprise only)"
            : `a ${visibility} repository on ${PLAN_NAMES[plan]}`;
    return `${where} cannot have ${lacks}: this delivery needs ${requirementText(features)}`;
}
