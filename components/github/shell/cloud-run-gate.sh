# The canary's metric gate (runway:canaryPercent): waits CANARY_MINUTES while the new revision serves its
# share, reads that revision's requests by response class and its p95 latency from Cloud Monitoring
# (projects.timeSeries.list), prints the decision and exits 0 to promote or 1 to roll back (the rollback
# step then restores the previous split).
# Env: REVISION, SINCE (RFC 3339, when the share started), CANARY_MINUTES, MAX_ERROR_RATIO, MAX_P95_MS,
# MIN_REQUESTS, CLOUDSDK_CORE_PROJECT, RUNNER_TEMP, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT.
set -euo pipefail
sleep "$((CANARY_MINUTES * 60))"
end="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
window=$(($(date -u -d "$end" +%s) - $(date -u -d "$SINCE" +%s)))
if [ "$window" -lt 60 ]; then window=60; fi
# The token goes to a header file, never onto a command line.
printf 'Authorization: Bearer %s\n' "$(gcloud auth print-access-token --quiet)" > "$RUNNER_TEMP/monitoring.header"
revision="resource.type=\"cloud_run_revision\" AND resource.label.revision_name=\"${REVISION}\""
series() { # <metric> <per-series aligner> <cross-series reducer> <group-by field>
  curl --fail --silent --show-error --get --header @"$RUNNER_TEMP/monitoring.header" "https://monitoring.googleapis.com/v3/projects/${CLOUDSDK_CORE_PROJECT}/timeSeries" --data-urlencode "filter=metric.type=\"run.googleapis.com/$1\" AND ${revision}" --data-urlencode "interval.startTime=${SINCE}" --data-urlencode "interval.endTime=${end}" --data-urlencode "aggregation.alignmentPeriod=${window}s" --data-urlencode "aggregation.perSeriesAligner=$2" --data-urlencode "aggregation.crossSeriesReducer=$3" --data-urlencode "aggregation.groupByFields=$4"
}
counts="$(series request_count ALIGN_DELTA REDUCE_SUM metric.label.response_code_class)"
latency="$(series request_latencies ALIGN_DELTA REDUCE_PERCENTILE_95 resource.label.revision_name)"
rm -f "$RUNNER_TEMP/monitoring.header"
requests="$(jq '[.timeSeries[]?.points[]?.value.int64Value // 0 | tonumber] | add // 0' <<< "$counts")"
errors="$(jq '[.timeSeries[]? | select(.metric.labels.response_code_class == "5xx") | .points[]?.value.int64Value // 0 | tonumber] | add // 0' <<< "$counts")"
p95="$(jq '[.timeSeries[]?.points[]?.value.doubleValue // 0] | max // 0' <<< "$latency")"
ratio="$(jq -n --argjson e "$errors" --argjson r "$requests" 'if $r > 0 then $e / $r else 0 end')"
verdict="$(jq -rn --argjson r "$requests" --argjson ratio "$ratio" --argjson p95 "$p95" --argjson maxRatio "$MAX_ERROR_RATIO" --argjson maxP95 "$MAX_P95_MS" --argjson min "$MIN_REQUESTS" '
  if $r < $min then "promote:too few requests to judge (\($r) < \($min)); the smoke test passed"
  elif $ratio > $maxRatio then "rollback:5xx ratio \($ratio * 10000 | round / 100)% above \($maxRatio * 10000 | round / 100)%"
  elif $p95 > $maxP95 then "rollback:p95 latency \($p95 | round) ms above \($maxP95) ms"
  else "promote:5xx ratio \($ratio * 10000 | round / 100)% ≤ \($maxRatio * 10000 | round / 100)%, p95 \($p95 | round) ms ≤ \($maxP95) ms" end')"
decision="${verdict%%:*}"
reason="${verdict#*:}"
summary="Canary ${REVISION}: ${requests} requests, ${errors} 5xx, p95 $(jq -n --argjson p "$p95" '$p | round') ms over ${window} s: **${decision}** (${reason})"
echo "$summary"
echo "### Canary gate" >> "$GITHUB_STEP_SUMMARY"
echo "$summary" >> "$GITHUB_STEP_SUMMARY"
echo "decision=${decision}" >> "$GITHUB_OUTPUT"
if [ "$decision" = "rollback" ]; then
  echo "::error title=Canary rolled back::${REVISION}: ${reason}"
  exit 1
fi
if [ "$requests" -lt "$MIN_REQUESTS" ]; then echo "::warning title=Canary not judged::${REVISION}: ${reason}"; fi
