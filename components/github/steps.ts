/**
 * Steps and the scan job shared by the ci and deploy workflows. Pure functions returning plain
 * objects (workflows.ts and deploy.ts assemble them; files.ts renders YAML).
 *
 * The scan job never holds a cloud credential: it has no `id-token: write`, so no step in it can mint
 * an OIDC token for a deployer. It builds the image first, before any third-party tool runs (a
 * compromised scanner could otherwise edit the build context), records the archive's SHA-256 and,
 * in the deploy workflow, uploads it; the deploy job loads exactly that archive.
 */
import { imageRetentionDays } from "../../rules/delivery";
import { ACTIONS, GITLEAKS, HADOLINT, PinnedTool, TRIVY } from "./actions";
import type { DeliverySettings } from "./workflows";

/** Job names, which are also the status check names branch protection requires. */
export const CHECKS = { lint: "Lint", test: "Test", security: "Security" } as const;
/** The checks the default branch requires before merging. */
export const REQUIRED_CHECKS: readonly string[] = [CHECKS.lint, CHECKS.test, CHECKS.security];

export type Job = Record<string, unknown>;
export type Step = Record<string, unknown>;

export const expr = (e: string) => `\${{ ${e} }}`;

/**
 * Every generated workflow's `defaults`: `shell: bash` makes GitHub run each script with
 * `bash --noprofile --norc -eo pipefail {0}` instead of `bash -e {0}` (docs.github.com, workflow
 * syntax, `jobs.<job_id>.steps[*].shell`), so a failing command inside a pipeline fails its step.
 */
export const SHELL_DEFAULTS = { run: { shell: "bash" } } as const;
export const vars = (name: string) => expr(`vars.${name}`);

/** Checkouts never leave the token in .git/config, where later steps (and PR code) could read it. */
export const checkout = (extra: Record<string, unknown> = {}): Step => ({
    uses: ACTIONS.checkout,
    with: { "persist-credentials": false, ...extra },
});

/** The image the scan job builds: a docker archive (no registry, no credential), loaded by the deploy job. */
export const IMAGE = {
    /** Local name the archive carries (`docker load` restores it). */
    name: "runway-app:candidate",
    /** Artifact that carries the archive from the scan job to the deploy job. */
    artifact: "runway-image",
    /** Directory (under the runner's temp directory) holding `image.tar`. */
    directory: "runway-image",
    file: "image.tar",
    /** Job output of the scan job: the archive's SHA-256, recorded before any third-party tool ran. */
    output: "archive-sha256",
} as const;
const ARCHIVE = `$RUNNER_TEMP/${IMAGE.directory}/${IMAGE.file}`;

/** gcloud with GKE's kubectl credential plugin (gke-gcloud-auth-plugin), which a GKE kubeconfig runs. */
export const SETUP_GCLOUD_FOR_GKE: Step = {
    uses: ACTIONS.setupGcloud,
    "timeout-minutes": 5,
    with: { install_components: "gke-gcloud-auth-plugin" },
};

/** Downloads a release binary by version into `$RUNNER_TEMP/bin` (on PATH afterwards), checked against its SHA-256 first. */
export function toolInstallStep(tool: PinnedTool): Step {
    const binary = tool.archive === "binary";
    const download = `\${RUNNER_TEMP}/${tool.binary}.${binary ? "download" : "tar.gz"}`;
    return {
        name: `Install ${tool.binary} ${tool.version} (SHA-256 checked)`,
        "timeout-minutes": 5,
        env: { TOOL_URL: tool.url, TOOL_SHA256: tool.sha256 },
        run: [
            `mkdir -p "$RUNNER_TEMP/bin" && curl --fail --silent --show-error --location "$TOOL_URL" -o "${download}"`,
            `echo "\${TOOL_SHA256}  ${download}" | sha256sum --check --strict`,
            binary
                ? `install -m 0755 "${download}" "$RUNNER_TEMP/bin/${tool.binary}"`
                : `tar -xzf "${download}" -C "$RUNNER_TEMP/bin" ${tool.binary}`,
            'echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"',
        ].join("\n"),
    };
}

/**
 * The gitleaks scan of the commits this change adds (gitleaks-action needs a paid licence for
 * organisations). With no `--log-opts`, gitleaks runs `git log --all`: with the full-history checkout
 * (every branch and tag) one secret on anyone's branch, or once in the history, would fail every pull
 * request and every deploy (gitleaks v8.30.1 sources/git.go). So: a pull request's commits
 * (`origin/<base>..HEAD`), a push's (`<before>..HEAD`), and, when the push cannot tell (a new branch,
 * a force push, a manual run), the branch's commits that the default branch lacks, or the whole
 * default branch when that is what runs. Same diff filter as gitleaks' default.
 */
export function secretScanStep(defaultBranch: string): Step {
    return {
        name: "Secret scan",
        "timeout-minutes": 10,
        env: {
            BASE_REF: expr("github.base_ref"),
            BEFORE: expr("github.event.before"),
            REF_NAME: expr("github.ref_name"),
            DEFAULT_BRANCH: defaultBranch,
        },
        run: [
            'if [ -n "$BASE_REF" ]; then',
            '  range="origin/${BASE_REF}..HEAD"',
            'elif [ -n "$BEFORE" ] && [ "$BEFORE" != 0000000000000000000000000000000000000000 ] && git cat-file -e "${BEFORE}^{commit}" 2> /dev/null; then',
            '  range="${BEFORE}..HEAD"',
            'elif [ "$REF_NAME" != "$DEFAULT_BRANCH" ]; then',
            '  range="origin/${DEFAULT_BRANCH}..HEAD"',
            "else",
            '  range="HEAD"',
            "fi",
            'echo "Scanning ${range}"',
            'gitleaks git --redact --no-banner --verbose --log-opts="--full-history --diff-filter=tuxdb ${range}" .',
        ].join("\n"),
    };
}

/** Blocking trivy scan of the image archive: HIGH and CRITICAL findings with a fix fail the job. */
function imageScanStep(): Step {
    return {
        name: "Image scan",
        "timeout-minutes": 15,
        run: `trivy image --input "${ARCHIVE}" --exit-code 1 --severity HIGH,CRITICAL --ignore-unfixed --no-progress`,
    };
}

/** Builds the Dockerfile once into a docker archive and records the archive's SHA-256 (step id `archive`). */
function buildArchiveSteps(s: DeliverySettings): Step[] {
    return [
        { uses: ACTIONS.setupBuildx, "timeout-minutes": 5 },
        {
            name: "Build the image into an archive",
            "timeout-minutes": 20,
            uses: ACTIONS.buildPush,
            with: {
                context: s.appDirectory,
                file: s.dockerfile,
                platforms: "linux/amd64",
                push: false,
                tags: IMAGE.name,
                outputs: `type=docker,dest=${expr("runner.temp")}/${IMAGE.directory}/${IMAGE.file}`,
                // One image manifest, no attestation: Lambda refuses an image index (aws/aws-lambda-roadmap#82).
                provenance: false,
                sbom: false,
                "cache-from": "type=gha",
                "cache-to": "type=gha,mode=max",
            },
        },
        {
            name: "Record the archive's SHA-256 (before any scanner runs)",
            id: "archive",
            "timeout-minutes": 2,
            run: [`sha256="$(sha256sum "${ARCHIVE}" | cut -d ' ' -f 1)"`, 'echo "sha256=${sha256}" >> "$GITHUB_OUTPUT"'].join("\n"),
        },
    ];
}

/** Scans of the source and the image: secrets (the commits the change adds), dependencies, Dockerfile, image. Each fails its job on findings. */
function scans(s: DeliverySettings): Step[] {
    return [
        toolInstallStep(GITLEAKS),
        toolInstallStep(TRIVY),
        toolInstallStep(HADOLINT),
        secretScanStep(s.defaultBranch),
        {
            name: "Dependency audit",
            "timeout-minutes": 5,
            run: "npm audit --omit=dev --audit-level=high",
            "working-directory": s.appDirectory,
        },
        {
            name: "Dockerfile lint",
            "timeout-minutes": 5,
            env: { DOCKERFILE: s.dockerfile },
            run: 'hadolint --failure-threshold warning "$DOCKERFILE"',
        },
        imageScanStep(),
    ];
}

/**
 * The scan job, with no cloud credential: checkout → build the image archive → (deploy: upload it)
 * → scans. In `ci` the archive stays on the runner; in `deploy` the deploy job downloads it, checks
 * the recorded SHA-256 and ships exactly what was scanned.
 */
export function securityJob(s: DeliverySettings, options: { needs?: string; ship: boolean }): Job {
    const upload: Step[] = options.ship
        ? [
              {
                  uses: ACTIONS.uploadArtifact,
                  "timeout-minutes": 10,
                  with: {
                      name: IMAGE.artifact,
                      path: `${expr("runner.temp")}/${IMAGE.directory}/${IMAGE.file}`,
                      "retention-days": imageRetentionDays(s.reviewedDeploy ?? false),
                      "if-no-files-found": "error",
                  },
              },
          ]
        : [];
    return {
        name: CHECKS.security,
        ...(options.needs ? { needs: options.needs } : {}),
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 45,
        // Writes cache entries and artifacts only: both use the runtime token, not `permissions`.
        permissions: { contents: "read" },
        ...(options.ship ? { outputs: { [IMAGE.output]: expr("steps.archive.outputs.sha256") } } : {}),
        steps: [checkout({ "fetch-depth": 0 }), ...buildArchiveSteps(s), ...upload, ...scans(s)],
    };
}

/**
 * The deploy job's first steps: download the scan job's archive, refuse it unless its SHA-256 is the
 * one recorded before the scans ran, and load it into the runner's Docker.
 */
export function restoreImageSteps(scanJob: string): Step[] {
    return [
        {
            uses: ACTIONS.downloadArtifact,
            "timeout-minutes": 10,
            with: { name: IMAGE.artifact, path: `${expr("runner.temp")}/${IMAGE.directory}` },
        },
        {
            name: "Load the scanned image (its SHA-256 must match the scan job's)",
            "timeout-minutes": 5,
            env: { ARCHIVE_SHA256: expr(`needs.${scanJob}.outputs.${IMAGE.output}`) },
            run: [`echo "\${ARCHIVE_SHA256}  ${ARCHIVE}" | sha256sum --check --strict`, `docker load --input "${ARCHIVE}"`].join("\n"),
        },
    ];
}

/**
 * Tags the loaded image `${REPOSITORY}:${IMAGE_TAG}` (a tag never reused: production registries are
 * immutable), pushes it and outputs the digest the registry stored (step id `push`, output `digest`).
 */
export function pushImageStep(): Step {
    return {
        name: "Push the scanned image",
        id: "push",
        "timeout-minutes": 15,
        run: [
            `docker tag ${IMAGE.name} "\${REPOSITORY}:\${IMAGE_TAG}"`,
            'docker push --quiet "${REPOSITORY}:${IMAGE_TAG}"',
            'digest="$(docker image inspect --format \'{{range .RepoDigests}}{{println .}}{{end}}\' "${REPOSITORY}:${IMAGE_TAG}" | grep -m 1 -F "${REPOSITORY}@")"',
            'test -n "$digest"',
            'echo "digest=${digest#*@}" >> "$GITHUB_OUTPUT"',
        ].join("\n"),
    };
}
