/**
 * Every third-party action the generated workflows use, pinned to the full commit SHA of a
 * release tag, with that commit's `action.yml` inputs and outputs vendored beside it so a test can
 * check every `with:` key and every `steps.<id>.outputs.<name>` the generators write.
 *
 * Source of each row: the action's repository at `sha` (the commit the tag `version` points to,
 * checked to be on the default branch's history), file `action.yml`, read 2026-12-01. The generated
 * workflows take their pins from this table only (Dependabot leaves them alone, see `dependabotConfig()`):
 * a new pin reaches a repository with the Runway release that carries it and the next `pulumi up`.
 * Pure data: no imports.
 */
export interface PinnedAction {
    /** `owner/name` on GitHub. */
    readonly repo: string;
    /** Release tag the SHA was read from (written as a comment after the pin, which Dependabot updates). */
    readonly version: string;
    /** Full 40-hex commit SHA the tag pointed to. */
    readonly sha: string;
    /** Input names declared by `action.yml` at `sha`. */
    readonly inputs: readonly string[];
    /** Output names declared by `action.yml` at `sha`. */
    readonly outputs: readonly string[];
}

export const PINNED = {
    checkout: {
        repo: "actions/checkout",
        version: "v7.0.1",
        sha: "3d3c42e5aac5ba805825da76410c181273ba90b1",
        inputs: [
            "repository",
            "ref",
            "token",
            "ssh-key",
            "ssh-known-hosts",
            "ssh-strict",
            "ssh-user",
            "persist-credentials",
            "path",
            "clean",
            "filter",
            "sparse-checkout",
            "sparse-checkout-cone-mode",
            "fetch-depth",
            "fetch-tags",
            "show-progress",
            "lfs",
            "submodules",
            "set-safe-directory",
            "github-server-url",
            "allow-unsafe-pr-checkout",
        ],
        outputs: ["ref", "commit"],
    },
    setupNode: {
        repo: "actions/setup-node",
        version: "v7.0.0",
        sha: "820762786026740c76f36085b0efc47a31fe5020",
        inputs: [
            "node-version",
            "node-version-file",
            "architecture",
            "check-latest",
            "registry-url",
            "scope",
            "token",
            "cache",
            "package-manager-cache",
            "cache-dependency-path",
            "mirror",
            "mirror-token",
        ],
        outputs: ["cache-hit", "cache-primary-key", "cache-matched-key", "node-version"],
    },
    uploadArtifact: {
        repo: "actions/upload-artifact",
        version: "v7.0.0",
        sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",
        inputs: [
            "name",
            "path",
            "if-no-files-found",
            "retention-days",
            "compression-level",
            "overwrite",
            "include-hidden-files",
            "archive",
        ],
        outputs: ["artifact-id", "artifact-url", "artifact-digest"],
    },
    downloadArtifact: {
        repo: "actions/download-artifact",
        version: "v8.0.1",
        sha: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c",
        inputs: [
            "name",
            "artifact-ids",
            "path",
            "pattern",
            "merge-multiple",
            "github-token",
            "repository",
            "run-id",
            "skip-decompress",
            "digest-mismatch",
        ],
        outputs: ["download-path"],
    },
    setupBuildx: {
        repo: "docker/setup-buildx-action",
        version: "v4.3.0",
        sha: "37fe631027851001ddb9b187196cc803df7f5f0e",
        inputs: [
            "version",
            "driver",
            "driver-opts",
            "buildkitd-flags",
            "buildkitd-config",
            "buildkitd-config-inline",
            "use",
            "name",
            "endpoint",
            "platforms",
            "append",
            "keep-state",
            "cache-binary",
            "cleanup",
        ],
        outputs: ["name", "driver", "platforms", "nodes", "endpoint", "status", "flags"],
    },
    buildPush: {
        repo: "docker/build-push-action",
        version: "v7.3.0",
        sha: "53b7df96c91f9c12dcc8a07bcb9ccacbed38856a",
        inputs: [
            "add-hosts",
            "allow",
            "annotations",
            "attests",
            "build-args",
            "build-contexts",
            "builder",
            "cache-from",
            "cache-to",
            "call",
            "cgroup-parent",
            "context",
            "file",
            "labels",
            "load",
            "network",
            "no-cache",
            "no-cache-filters",
            "outputs",
            "platforms",
            "provenance",
            "pull",
            "push",
            "sbom",
            "secrets",
            "secret-envs",
            "secret-files",
            "shm-size",
            "ssh",
            "tags",
            "target",
            "ulimit",
            "github-token",
        ],
        outputs: ["imageid", "digest", "metadata"],
    },
    gcpAuth: {
        repo: "google-github-actions/auth",
        version: "v3.0.0",
        sha: "7c6bc770dae815cd3e89ee6cdf493a5fab2cc093",
        inputs: [
            "project_id",
            "workload_identity_provider",
            "service_account",
            "audience",
            "credentials_json",
            "create_credentials_file",
            "export_environment_variables",
            "token_format",
            "delegates",
            "universe",
            "request_reason",
            "cleanup_credentials",
            "access_token_lifetime",
            "access_token_scopes",
            "access_token_subject",
            "id_token_audience",
            "id_token_include_email",
        ],
        outputs: ["project_id", "credentials_file_path", "auth_token", "access_token", "id_token"],
    },
    setupGcloud: {
        repo: "google-github-actions/setup-gcloud",
        version: "v3.0.1",
        sha: "aa5489c8933f4cc7a4f7d45035b3b1440c9c10db",
        inputs: ["version", "project_id", "install_components", "skip_install", "cache"],
        outputs: ["version"],
    },
    stickyComment: {
        repo: "marocchino/sticky-pull-request-comment",
        version: "v3.0.5",
        sha: "5770ad5eb8f42dd2c4f34da00c94c5381e49af88",
        inputs: [
            "header",
            "append",
            "recreate",
            "delete",
            "only_create",
            "only_update",
            "hide_details",
            "hide",
            "hide_and_recreate",
            "hide_classify",
            "message",
            "path",
            "ignore_empty",
            "skip_unchanged",
            "follow_symbolic_links",
            "number",
            "number_force",
            "owner",
            "repo",
            "GITHUB_TOKEN",
        ],
        outputs: ["previous_comment_id", "created_comment_id"],
    },
    pulumi: {
        repo: "pulumi/actions",
        version: "v7.0.0",
        sha: "8e5e406f4007fca908480587cb9893c07090f58d",
        inputs: [
            "command",
            "stack-name",
            "pulumi-version",
            "pulumi-version-file",
            "work-dir",
            "comment-on-pr",
            "comment-on-pr-number",
            "comment-on-summary",
            "github-token",
            "cloud-url",
            "secrets-provider",
            "parallel",
            "message",
            "config-map",
            "expect-no-changes",
            "diff",
            "replace",
            "exclude",
            "exclude-dependents",
            "target",
            "target-dependents",
            "policyPacks",
            "policyPackConfigs",
            "refresh",
            "upsert",
            "remove",
            "edit-pr-comment",
            "color",
            "exclude-protected",
            "plan",
            "suppress-outputs",
            "suppress-progress",
            "always-include-summary",
            "continue-on-error",
            "log-verbosity",
            "log-flow",
            "debug",
        ],
        outputs: ["output"],
    },
    awsCredentials: {
        repo: "aws-actions/configure-aws-credentials",
        version: "v6.2.3",
        sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c",
        inputs: [
            "aws-region",
            "aws-profile",
            "overwrite-aws-profile",
            "role-to-assume",
            "aws-access-key-id",
            "aws-secret-access-key",
            "aws-session-token",
            "web-identity-token-file",
            "role-chaining",
            "audience",
            "http-proxy",
            "no-proxy",
            "mask-aws-account-id",
            "role-duration-seconds",
            "role-external-id",
            "role-session-name",
            "role-skip-session-tagging",
            "transitive-tag-keys",
            "inline-session-policy",
            "managed-session-policies",
            "output-credentials",
            "output-env-credentials",
            "unset-current-credentials",
            "disable-retry",
            "retry-max-attempts",
            "special-characters-workaround",
            "use-existing-credentials",
            "allowed-account-ids",
            "force-skip-oidc",
            "action-timeout-s",
            "custom-tags",
            "sts-endpoint",
        ],
        outputs: ["aws-account-id", "aws-access-key-id", "aws-secret-access-key", "aws-session-token", "aws-expiration"],
    },
    ecrLogin: {
        repo: "aws-actions/amazon-ecr-login",
        version: "v2.1.7",
        sha: "03f1aad4c6c7ffd436567f42f9384779290529bd",
        inputs: ["http-proxy", "mask-password", "registries", "registry-type", "skip-logout"],
        outputs: ["registry"],
    },
    ecsRender: {
        repo: "aws-actions/amazon-ecs-render-task-definition",
        version: "v1.9.0",
        sha: "138c24f321fdbdf7edee4a685519d253cae2cdea",
        inputs: [
            "task-definition",
            "task-definition-arn",
            "task-definition-family",
            "task-definition-revision",
            "container-name",
            "image",
            "environment-variables",
            "log-configuration-log-driver",
            "log-configuration-options",
            "docker-labels",
            "command",
            "task-role-arn",
            "execution-role-arn",
            "env-files",
            "secrets",
        ],
        outputs: ["task-definition"],
    },
    ecsDeploy: {
        repo: "aws-actions/amazon-ecs-deploy-task-definition",
        version: "v2.6.3",
        sha: "c465972ecbd160473f22e683363b422a5412a3de",
        inputs: [
            "task-definition",
            "desired-count",
            "service",
            "cluster",
            "wait-for-service-stability",
            "wait-for-minutes",
            "wait-max-delay-seconds",
            "codedeploy-appspec",
            "codedeploy-application",
            "codedeploy-deployment-group",
            "codedeploy-deployment-description",
            "codedeploy-deployment-config",
            "force-new-deployment",
            "service-managed-ebs-volume-name",
            "service-managed-ebs-volume",
            "run-task",
            "run-task-container-overrides",
            "run-task-security-groups",
            "run-task-subnets",
            "run-task-assign-public-IP",
            "run-task-capacity-provider-strategy",
            "run-task-launch-type",
            "run-task-started-by",
            "run-task-tags",
            "run-task-managed-ebs-volume-name",
            "run-task-managed-ebs-volume",
            "wait-for-task-stopped",
            "enable-ecs-managed-tags",
            "propagate-tags",
            "keep-null-value-keys",
            "max-retries",
        ],
        outputs: ["task-definition-arn", "codedeploy-deployment-id", "run-task-arn"],
    },
} as const satisfies Record<string, PinnedAction>;

export type ActionName = keyof typeof PINNED;

/** The `uses:` value of a pinned action: `owner/name@<sha>`. */
export function uses(name: ActionName): string {
    return `${PINNED[name].repo}@${PINNED[name].sha}`;
}

/** `uses:` values by action name (the pins the generated workflows use). */
export const ACTIONS: { readonly [K in ActionName]: string } = Object.fromEntries(
    Object.keys(PINNED).map((k) => [k, uses(k as ActionName)]),
) as { [K in ActionName]: string };

/** The pinned action a `uses:` value refers to, if any. */
export function pinnedActionOf(usesValue: string): PinnedAction | undefined {
    return Object.values(PINNED).find((a) => usesValue === `${a.repo}@${a.sha}`);
}

/** Appends `# <version>` to every `uses: <pinned>` line so readers (and Dependabot) see the release. */
export function annotatePins(yamlText: string): string {
    return yamlText.replace(/^(\s*(?:- )?uses: )(\S+)$/gm, (line, prefix: string, value: string) => {
        const pinned = pinnedActionOf(value);
        return pinned ? `${prefix}${value} # ${pinned.version}` : line;
    });
}

/** A release binary a workflow downloads by version and checks against its published SHA-256 before it runs. */
export interface PinnedTool {
    readonly version: string;
    /** The release asset: a .tar.gz holding `binary`, or (`archive: "binary"`) the executable itself. */
    readonly url: string;
    /** SHA-256 of the asset, as published with the release. */
    readonly sha256: string;
    /** The executable (inside the archive, or the name it is installed under). */
    readonly binary: string;
    /** What the asset is. @default "tar.gz" */
    readonly archive?: "tar.gz" | "binary";
}

/**
 * The gitleaks release the secret scan downloads (a binary, not gitleaks-action, which needs a paid
 * licence for organisation repositories), verified by SHA-256 before it runs. Source:
 * github.com/gitleaks/gitleaks/releases/tag/v8.30.1, asset gitleaks_8.30.1_linux_x64.tar.gz; the
 * digest is the one published for that asset (gitleaks_8.30.1_checksums.txt), read 2026-12-01 from two
 * independent public records of it. The release tag is v8.30.1 of gitleaks/gitleaks.
 */
export const GITLEAKS: PinnedTool = {
    version: "8.30.1",
    url: "https://github.com/gitleaks/gitleaks/releases/download/v8.30.1/gitleaks_8.30.1_linux_x64.tar.gz",
    sha256: "551f6fc83ea457d62a0d98237cbad105af8d557003051f41f3e7ca7b3f2470eb",
    binary: "gitleaks",
};

/**
 * The trivy release the image scan runs, as a verified binary instead of aquasecurity/trivy-action:
 * in March 2026 that action's tags (and setup-trivy, which fetches the binary at run time) were moved
 * to a commit that dumped the runner's memory to steal CI credentials, and trivy 0.69.4–0.69.6 were
 * malicious releases (aquasecurity/trivy-action#541; GHSA-69fq-xp46-6x23). 0.70.0 is the first release
 * after the clean-up. Source: github.com/aquasecurity/trivy/releases/tag/v0.70.0, asset
 * trivy_0.70.0_Linux-64bit.tar.gz, digest from trivy_0.70.0_checksums.txt, read 2026-12-06 from two
 * independent public records of it.
 */
export const TRIVY: PinnedTool = {
    version: "0.70.0",
    url: "https://github.com/aquasecurity/trivy/releases/download/v0.70.0/trivy_0.70.0_Linux-64bit.tar.gz",
    sha256: "8b4376d5d6befe5c24d503f10ff136d9e0c49f9127a4279fd110b727929a5aa9",
    binary: "trivy",
};

/**
 * The hadolint release the Dockerfile lint runs, as a verified binary instead of
 * hadolint/hadolint-action: pinning that action's SHA does not pin its image (its Dockerfile is
 * `FROM ghcr.io/hadolint/hadolint:<tag>`, built at run time), and a container action runs with the
 * job's cache token in a job that writes the build cache the next image build reads. Source:
 * github.com/hadolint/hadolint/releases/tag/v2.14.0, asset hadolint-linux-x86_64 (a static
 * executable, also published as hadolint-Linux-x86_64); its digest is the one published beside it
 * (hadolint-linux-x86_64.sha256), read 2026-12-07 from independent public records of it (pinned
 * tool lists, Dockerfiles and an Arch Linux package build) that agree.
 */
export const HADOLINT: PinnedTool = {
    version: "2.14.0",
    url: "https://github.com/hadolint/hadolint/releases/download/v2.14.0/hadolint-linux-x86_64",
    sha256: "6bf226944684f56c84dd014e8b979d27425c0148f61b3bd99bcc6f39e9dc5a47",
    binary: "hadolint",
    archive: "binary",
};
