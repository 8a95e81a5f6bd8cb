/**
 * Where things sit in the app repository. A Runway project may live in a subfolder of the repository
 * (`runway-iac init` writes `infra/`); its paths (build context, Dockerfile) are relative to the
 * project, while GitHub workflows and Dependabot name paths from the repository's root.
 */
/** A repository-relative folder as `runway:infraDirectory` takes it: `.`, `infra`, `deploy/pulumi` (no `..`, no leading `/`). */
export const REPOSITORY_DIRECTORY = /^(?:\.|(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*)$/;

/**
 * The repository-relative path of `projectPath` (relative to the project in `infraDirectory`), or
 * undefined when it leaves the repository. `repositoryPath("infra", "..") === "."`,
 * `repositoryPath("infra", "../app/Dockerfile") === "app/Dockerfile"`.
 */
export function repositoryPath(infraDirectory: string, projectPath: string): string | undefined {
    if (projectPath.startsWith("/")) return undefined;
    const parts: string[] = [];
    for (const part of `${infraDirectory}/${projectPath}`.split("/")) {
        if (part === "" || part === ".") continue;
        if (part !== "..") parts.push(part);
        else if (parts.pop() === undefined) return undefined;
    }
    return parts.length === 0 ? "." : parts.join("/");
}
