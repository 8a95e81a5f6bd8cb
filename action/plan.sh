#!/usr/bin/env bash
# The plan half of action.yml, in a pull_request job with a read-only token and no secrets: plans the
# pull request's head and, when it can, the same stack on the base branch (a separate worktree whose
# dependencies install without scripts), then writes the comment, the PR number and the exit code,
# and adds the comment to the job's step summary. A plan that cannot run (exit 2, or no output)
# still gets a comment: "The plan could not run: <message>". A comment cut to GitHub's size limit says
# "see the job summary and the plan artifact": then the whole plan (text) goes to the summary, and the
# text and the --json document to the artifact.
# Needs: the project's dependencies installed (npm ci), runway-iac among them.
# Env: STACK (required), CONFIG (key=value lines), POLICY_CONFIG (a file, relative to the project),
#      BASE_REF, PR_NUMBER, OUT (output directory), ACTION_DIR (this package's folder).
set -uo pipefail
: "${STACK:?the stack input is required}"
: "${OUT:?}"
ACTION_DIR="${ACTION_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
mkdir -p "$OUT"
args=(--stack "$STACK")
while IFS= read -r pair; do
    if [ -n "$pair" ]; then args+=(--config "$pair"); fi
done <<< "${CONFIG:-}"
if [ -n "${POLICY_CONFIG:-}" ]; then args+=(--policy-config "$POLICY_CONFIG"); fi

compare=()
# The base branch: fetched, or already here (a checkout with fetch-depth 0 and no persisted credentials).
base_commit=""
if [ -n "${BASE_REF:-}" ]; then
    if git fetch --no-tags --depth=1 origin "$BASE_REF" >/dev/null 2>&1; then base_commit="$(git rev-parse FETCH_HEAD)"
    else base_commit="$(git rev-parse --verify --quiet "refs/remotes/origin/$BASE_REF" || true)"; fi
fi
if [ -n "$base_commit" ]; then
    rel="$(git rev-parse --show-prefix)"
    # Beside this stack's output, so several stacks planned in one job each get their own base checkout.
    base="$OUT-base"
    rm -rf "$base"
    git worktree add --force --detach "$base" "$base_commit" >/dev/null 2>&1
    if (cd "$base/$rel" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null 2>&1 && npx --no-install runway-iac plan "${args[@]}" --json > "$OUT/base.json"); then
        compare=(--compare "$OUT/base.json")
    else
        echo "::warning::no base plan of this stack on the base branch (does it install runway-iac?): the comment shows no diff"
    fi
    git worktree remove --force "$base" >/dev/null 2>&1 || rm -rf "$base"
fi

npx --no-install runway-iac plan "${args[@]}" --markdown "${compare[@]}" > "$OUT/plan.md" 2> "$OUT/plan.err"
code=$?
cat "$OUT/plan.err" >&2
if [ "$code" -ge 2 ] || [ ! -s "$OUT/plan.md" ]; then
    # Never an empty comment: say that the plan could not run, and why (escaped for Markdown).
    node "$ACTION_DIR/action/crash.js" "$STACK" < "$OUT/plan.err" > "$OUT/plan.md"
    if [ ! -s "$OUT/plan.md" ]; then
        # Not even that could run (no Node.js, no package): a fixed comment, still never an empty one.
        printf '## Runway plan\n\n**The plan could not run:** see the job log.\n\nExit code 2: bad arguments, bad config or a program error.\n' > "$OUT/plan.md"
    fi
    if [ "$code" -lt 2 ]; then code=2; fi
fi
rm -f "$OUT/base.json" "$OUT/plan.err"
if grep -q 'see the job summary and the plan artifact' "$OUT/plan.md"; then
    # The comment was cut to GitHub's size limit: the whole plan goes to the step summary and the artifact.
    npx --no-install runway-iac plan "${args[@]}" > "$OUT/plan.txt" 2> /dev/null
    npx --no-install runway-iac plan "${args[@]}" --json > "$OUT/plan.json" 2> /dev/null
fi
printf '%s\n' "${PR_NUMBER:-}" > "$OUT/pr-number"
echo "exit-code=$code" >> "${GITHUB_OUTPUT:-/dev/stdout}"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$OUT/plan.md" >> "$GITHUB_STEP_SUMMARY"
    if [ -s "$OUT/plan.txt" ]; then
        # A code fence longer than any run of backticks in the plan, so nothing in it ends the block.
        longest="$(grep -o '`*' "$OUT/plan.txt" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')"
        fence="$(printf '%*s' "$((longest < 3 ? 3 : longest + 1))" '' | tr ' ' '`')"
        printf '\n### The whole plan\n\n%s\n' "$fence" >> "$GITHUB_STEP_SUMMARY"
        cat "$OUT/plan.txt" >> "$GITHUB_STEP_SUMMARY"
        printf '%s\n' "$fence" >> "$GITHUB_STEP_SUMMARY"
    fi
fi
exit 0
