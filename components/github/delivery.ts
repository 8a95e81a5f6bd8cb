/** Pure decisions for GitHub delivery: where each tier deploys from and what the repository enforces. */
import { TierDelivery, deliveryFor } from "../../rules/profile";

export { TierDelivery, deliveryFor };

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
