#!/usr/bin/env bash
# The plan half of action.yml, in a pull_request job with a read-only token and no secrets: plans the
# pull request's head and, when it can, the same stack on the base branch (a separate worktree whose
# dependencies install without scripts), then writes the comment, the PR number and the exit code.
# Needs: the project's dependencies installed (npm ci), Runway among them (npx runway).
# Env: STACK (required), CONFIG (key=value lines), BASE_REF, PR_NUMBER, OUT (output directory).
set -uo pipefail
: "${STACK:?the stack input is required in mode plan}"
: "${OUT:?}"
mkdir -p "$OUT"
args=(--stack "$STACK")
while IFS= read -r pair; do
    if [ -n "$pair" ]; then args+=(--config "$pair"); fi
done <<< "${CONFIG:-}"

compare=()
if [ -n "${BASE_REF:-}" ] && git fetch --no-tags --depth=1 origin "$BASE_REF" >/dev/null 2>&1; then
    rel="$(git rev-parse --show-prefix)"
    base="${RUNNER_TEMP:-$OUT}/runway-base"
    git worktree add --detach "$base" FETCH_HEAD >/dev/null 2>&1
    if (cd "$base/$rel" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null 2>&1 && npx --no-install runway-iac plan "${args[@]}" --json > "$OUT/base.json"); then
        compare=(--compare "$OUT/base.json")
    else
        echo "::warning::no base plan of stack $STACK on $BASE_REF (does the base branch install Runway?): the comment shows no diff"
    fi
fi

npx --no-install runway-iac plan "${args[@]}" --markdown --summary "$OUT/summary.md" "${compare[@]}" > "$OUT/plan.md"
code=$?
# The comment is capped at GitHub's 65,536 characters; the job summary (and the artifact) hold it whole.
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -s "$OUT/summary.md" ]; then cat "$OUT/summary.md" >> "$GITHUB_STEP_SUMMARY"; fi
rm -f "$OUT/base.json"
printf '%s\n' "${PR_NUMBER:-}" > "$OUT/pr-number"
echo "exit-code=$code" >> "${GITHUB_OUTPUT:-/dev/stdout}"
if [ "$code" -eq 2 ] && [ ! -s "$OUT/plan.md" ]; then
    printf '## Runway plan: `%s`\n\nThe plan could not run (bad config or a program error): see the job log.\n' "$STACK" > "$OUT/plan.md"
fi
exit 0
