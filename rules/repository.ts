/**
 * Where things sit in the app repository. A Runway project may live in a subfolder of the repository
 * (`runway-iac init` writes `infra/`); its paths (build context, Dockerfile) are relative to the
 * project, while GitHub workflows and Dependabot name paths from the repository's root.
 */
import { posix } from "path";

/** A repository-relative folder as `runway:infraDirectory` takes it: `.`, `infra`, `deploy/pulumi` (no `..`, no leading `/`). */
export const REPOSITORY_DIRECTORY = /^(?:\.|(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*)$/;

/**
 * The repository-relative path of `projectPath` (relative to the project in `infraDirectory`), or
 * undefined when it leaves the repository. `repositoryPath("infra", "..") === "."`,
 * `repositoryPath("infra", "../app/Dockerfile") === "app/Dockerfile"`.
 */
export function repositoryPath(infraDirectory: string, projectPath: string): string | undefined {
    if (posix.isAbsolute(projectPath)) return undefined;
    const joined = posix.normalize(posix.join(infraDirectory, projectPath));
    if (joined === ".." || joined.startsWith("../")) return undefined;
    return joined.replace(/\/$/, "") || ".";
}
