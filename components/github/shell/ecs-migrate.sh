# Runs the migration once as an ECS task with the scanned image, before any traffic moves
# (runway:migrationCommand): a new revision of the migration task family with the pushed digest, run on
# Fargate in the service's private subnets with its security group, its log stream linked from the job
# summary. A task that exits non-zero, or runs past MIGRATION_MINUTES (then it is stopped), fails the
# step: nothing is deployed.
# Env: CLUSTER, MIGRATION_FAMILY, CONTAINER, IMAGE, SUBNETS (comma-separated), SECURITY_GROUP, LOG_GROUP,
# MIGRATION_MINUTES, AWS_REGION, RUNNER_TEMP, GITHUB_RUN_ID, GITHUB_STEP_SUMMARY.
set -euo pipefail
aws ecs describe-task-definition --task-definition "$MIGRATION_FAMILY" --query taskDefinition --output json \
  | jq --arg image "$IMAGE" --arg container "$CONTAINER" '(.containerDefinitions[] | select(.name == $container) | .image) = $image | del(.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities, .registeredAt, .registeredBy, .deregisteredAt)' \
  > "$RUNNER_TEMP/migration-task.json"
arn="$(aws ecs register-task-definition --cli-input-json "file://$RUNNER_TEMP/migration-task.json" --query taskDefinition.taskDefinitionArn --output text)"
task="$(aws ecs run-task --cluster "$CLUSTER" --task-definition "$arn" --launch-type FARGATE --count 1 --started-by "github-run-${GITHUB_RUN_ID}" --network-configuration "awsvpcConfiguration={subnets=[${SUBNETS}],securityGroups=[${SECURITY_GROUP}],assignPublicIp=DISABLED}" --query 'tasks[0].taskArn' --output text)"
if [ -z "$task" ] || [ "$task" = "None" ]; then
  echo "::error title=Migration did not start::run-task started no task for ${arn}: nothing was deployed."
  exit 1
fi
# The awslogs stream is <prefix>/<container>/<task id>; the console URL encodes each / as $252F.
stream="migrate/${CONTAINER}/${task##*/}"
encode() { printf '%s' "$1" | sed 's|/|$252F|g'; }
logs="https://${AWS_REGION}.console.aws.amazon.com/cloudwatch/home?region=${AWS_REGION}#logsV2:log-groups/log-group/$(encode "$LOG_GROUP")/log-events/$(encode "$stream")"
echo "### Migration" >> "$GITHUB_STEP_SUMMARY"
echo "Task \`${task##*/}\` of \`${arn##*/}\`: [logs](${logs})" >> "$GITHUB_STEP_SUMMARY"
# The waiter gives up after 100 polls of 6 s: wait again until the deadline, then stop the task.
deadline=$((SECONDS + MIGRATION_MINUTES * 60))
until aws ecs wait tasks-stopped --cluster "$CLUSTER" --tasks "$task"; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    aws ecs stop-task --cluster "$CLUSTER" --task "$task" --reason "Runway: migration ran past ${MIGRATION_MINUTES} minutes" > /dev/null
    echo "::error title=Migration timed out::${task##*/} ran past ${MIGRATION_MINUTES} minutes and was stopped: nothing was deployed. Logs: ${logs}"
    exit 1
  fi
done
result="$(aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$task" --query "tasks[0].{code: containers[?name=='${CONTAINER}'] | [0].exitCode, reason: stoppedReason}" --output json)"
code="$(jq -r '.code // "none"' <<< "$result")"
if [ "$code" != "0" ]; then
  echo "::error title=Migration failed::${task##*/} exited ${code} ($(jq -r '.reason // "no reason given"' <<< "$result")): nothing was deployed and traffic did not move. Logs: ${logs}"
  exit 1
fi
echo "Migration ${task##*/} succeeded."
