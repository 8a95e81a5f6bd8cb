# Runs the migration job once with the scanned image, before any traffic moves (runway:migrationCommand).
# Env: JOB, REGION, REPOSITORY, DIGEST, MIGRATION_MINUTES; gcloud reads the project from CLOUDSDK_CORE_PROJECT.
# The job gets the new digest, one execution starts, its logs link goes to the job summary, and the step
# waits for the execution: a failed or timed-out execution fails the step, so nothing is deployed.
set -euo pipefail
gcloud run jobs update "$JOB" --region "$REGION" --image "${REPOSITORY}@${DIGEST}" --quiet
execution="$(gcloud run jobs execute "$JOB" --region "$REGION" --async --quiet --format='value(metadata.name)')"
test -n "$execution"
describe() { gcloud run jobs executions describe "$execution" --region "$REGION" --format=json; }
logs="$(describe | jq -r '.status.logUri // empty')"
echo "### Migration" >> "$GITHUB_STEP_SUMMARY"
echo "Execution \`${execution}\` of job \`${JOB}\` with \`${DIGEST}\`: [logs](${logs:-https://console.cloud.google.com/run/jobs})" >> "$GITHUB_STEP_SUMMARY"
deadline=$((SECONDS + MIGRATION_MINUTES * 60))
while :; do
  state="$(describe | jq -r '[.status.conditions[]? | select(.type == "Completed") | .status][0] // "Unknown"')"
  case "$state" in
    True)
      echo "Migration ${execution} succeeded."
      exit 0 ;;
    False)
      echo "::error title=Migration failed::Execution ${execution} failed: nothing was deployed and traffic did not move. Logs: ${logs}"
      exit 1 ;;
  esac
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "::error title=Migration timed out::Execution ${execution} ran past ${MIGRATION_MINUTES} minutes: nothing was deployed. Logs: ${logs}"
    exit 1
  fi
  sleep 10
done
