/** Pure decisions for GitHub delivery: where each tier deploys from and what the repository enforces. */
import { Tier } from "../../rules/profile";

export interface TierDelivery {
    /** Branch whose pushes deploy the tier. */
    readonly deployBranch: string;
    /** GitHub environment the deploy job runs in; its branch policy admits only `deployBranch`. */
    readonly environment?: string;
    /** Whether this tier's stack owns repository-wide settings (branch protection, ci and preview workflows). */
    readonly managesRepository: boolean;
    /** Approving reviews a pull request needs on the default branch. */
    readonly requiredApprovals: number;
    /** Stacks the preview workflow plans. */
    readonly previewStacks: string[];
}

/**
 * Solo deploys the default branch without an environment and owns the repository settings (a solo
 * developer cannot approve their own pull request, so none is required). Staging deploys its
 * branch through the `staging` environment. Production deploys the default branch through the
 * `production` environment (with reviewers) and owns the repository settings for both.
 */
export function deliveryFor(tier: Tier, defaultBranch: string, stagingBranch: string): TierDelivery {
    switch (tier) {
        case "solo":
            return { deployBranch: defaultBranch, managesRepository: true, requiredApprovals: 0, previewStacks: ["solo"] };
        case "staging":
            return { deployBranch: stagingBranch, environment: "staging", managesRepository: false, requiredApprovals: 1, previewStacks: ["staging", "production"] };
        case "production":
            return { deployBranch: defaultBranch, environment: "production", managesRepository: true, requiredApprovals: 1, previewStacks: ["staging", "production"] };
    }
}

/**
 * The branch a stack commits its workflow files to: never the default branch, which the production
 * and solo stacks protect (the contents API answers 409 there). One per tier, so stacks never share
 * a branch; the user merges it with a pull request (`compareUrl`).
 * @example workflowsBranch("production") === "runway/workflows-production"
 */
export function workflowsBranch(tier: string): string {
    return `runway/workflows-${tier}`;
}

/** The page that opens a pull request from the workflows branch into the default branch. */
export function compareUrl(owner: string, repo: string, defaultBranch: string, branch: string): string {
    return `https://github.com/${owner}/${repo}/compare/${defaultBranch}...${branch}?expand=1`;
}
