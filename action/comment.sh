#!/usr/bin/env bash
# The comment half's check (action.yml, mode comment), in a workflow_run job that may write pull-request
# comments. The artifact comes from pull-request code, so its pull request number is believed only when
# that pull request's head is the commit the triggering run built (as Runway's own self-plan-comment
# does); otherwise the job refuses, and no comment is written anywhere.
# Env: FILE (the artifact's pr-number), REPO (owner/name), HEAD_SHA (github.event.workflow_run.head_sha),
#      HEAD_REPOSITORY (github.event.workflow_run.head_repository.full_name), GH_TOKEN (read access to pull requests).
set -euo pipefail
n="$(tr -cd 0-9 < "$FILE")"
if [ -z "$n" ]; then
    echo "::error::the plan artifact names no pull request: refusing to comment"
    exit 1
fi
head="$(gh api "repos/${REPO}/pulls/${n}" --jq '"\(.head.sha) \(.head.repo.full_name)"')"
if [ "$head" != "$HEAD_SHA $HEAD_REPOSITORY" ]; then
    echo "::error::pull request #${n}'s head is ${head}, not ${HEAD_SHA} of ${HEAD_REPOSITORY} (what this run planned): refusing to comment"
    exit 1
fi
echo "number=$n" >> "$GITHUB_OUTPUT"
