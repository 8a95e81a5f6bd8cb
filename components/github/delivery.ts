/** Pure decisions for GitHub delivery: where each tier deploys from and what the repository enforces. */
import { createHash } from "crypto";
import { TierDelivery, deliveryFor } from "../../rules/profile";

export { TierDelivery, deliveryFor };

/**
 * The branch a stack commits its workflow files to: never the default branch, which the production
 * and solo stacks protect (the contents API answers 409 there). Named after the stack and a digest of
 * the files' paths and contents, so every change starts a new branch from the default branch's tip:
 * whatever merge method brought the previous one in (merge commit, squash or rebase), the new branch
 * holds only this change on top of it and never conflicts with its own earlier commits (a reused
 * branch does, after a squash or rebase merge: both sides added the same files).
 * @example workflowsBranch("production", files) === "runway/workflows-production-3f9c0a1b2d"
 */
export function workflowsBranch(stack: string, files: Readonly<Record<string, string>>): string {
    const digest = createHash("sha256");
    for (const path of Object.keys(files).sort()) digest.update(`${path}\0${files[path]}\0`);
    return `runway/workflows-${stack}-${digest.digest("hex").slice(0, 10)}`;
}

/** The page that opens a pull request from the workflows branch into the default branch. */
export function compareUrl(owner: string, repo: string, defaultBranch: string, branch: string): string {
    return `https://github.com/${owner}/${repo}/compare/${defaultBranch}...${branch}?expand=1`;
}
