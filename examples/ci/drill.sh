#!/usr/bin/env bash
# CI step: rehearse recovery from the backup repository (SONIABK_REPO or the config file) in a
# scratch directory, keep the drill report as an artifact, and fail the build when the drill fails.
set -uo pipefail
soniabk=${SONIABK:-soniabk}
report=${DRILL_REPORT:-drill.json}

# --recover-probe: a memory deleted from the scratch copy must come back from the backup (row recovery works).
"$soniabk" drill --recover-probe --json > "$report"
status=$?
if command -v jq >/dev/null && [[ -s $report ]]; then
  jq -r '"drill \(.status): passed=\(.passed), RTO \(.rto_actual_seconds)s of \(.rto_target_seconds)s",
         (.steps[] | "  \(if .skipped then "skip" elif .passed then "ok  " else "FAIL" end) \(.step): \(.detail)")' \
    "$report" || true
fi
if ((status != 0)); then
  echo "recovery drill FAILED (exit status $status); see $report and the incident bundle it names" >&2
fi
exit "$status"
