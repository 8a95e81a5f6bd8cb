/** Pure decisions for GitHub delivery: where each tier deploys from and what the repository enforces. */
import { Tier } from "../tiers";

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
