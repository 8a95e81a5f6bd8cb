# ECS's canary decision, printed (runway:canaryPercent): the service's CANARY deployment shifts a share,
# watches the rollback alarms for the bake time and then promotes, or rolls itself back. The deploy action
# waits for a steady state either way, so this step reads which task definition the service runs now:
# the one just deployed (promoted) or another (ECS rolled back), and which alarms fired.
# Env: CLUSTER, SERVICE, DEPLOYED (the task definition ARN the deploy registered), ALARMS (comma-separated
# names), GITHUB_STEP_SUMMARY.
set -euo pipefail
service="$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" --query 'services[0]' --output json)"
running="$(jq -r '.taskDefinition' <<< "$service")"
state="$(jq -r '[.deployments[]? | select(.status == "PRIMARY") | .rolloutState][0] // "UNKNOWN"' <<< "$service")"
IFS=',' read -r -a names <<< "$ALARMS"
fired="$(aws cloudwatch describe-alarms --alarm-names "${names[@]}" --state-value ALARM --query 'MetricAlarms[].AlarmName' --output text)"
if [ "$running" = "$DEPLOYED" ] && [ "$state" = "COMPLETED" ]; then
  summary="Canary of ${DEPLOYED##*/}: **promote** (ECS completed the deployment; no rollback alarm fired)"
  decision=promote
else
  summary="Canary of ${DEPLOYED##*/}: **rollback** (the service runs ${running##*/}, deployment ${state}; alarms in ALARM: ${fired:-none})"
  decision=rollback
fi
echo "$summary"
echo "### Canary gate" >> "$GITHUB_STEP_SUMMARY"
echo "$summary" >> "$GITHUB_STEP_SUMMARY"
if [ "$decision" = "rollback" ]; then
  echo "::error title=Canary rolled back::${summary}"
  exit 1
fi
