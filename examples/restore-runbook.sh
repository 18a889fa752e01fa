#!/usr/bin/env bash
# Restore runbook: put the newest good backup back under SONIA, stopping and restarting the service
# around an atomic swap. Read the plan it prints before saying yes; the replaced database is kept.
#   SONIA_STOP_CMD / SONIA_START_CMD   default: systemctl stop|start sonia
#   SONIA_HEALTH_URL                   polled after the restart (optional)
set -euo pipefail
soniabk=${SONIABK:-soniabk}
restore=(restore --latest --stop-cmd "${SONIA_STOP_CMD:-systemctl stop sonia}"
         --start-cmd "${SONIA_START_CMD:-systemctl start sonia}")
[[ -n ${SONIA_HEALTH_URL:-} ]] && restore+=(--health-url "$SONIA_HEALTH_URL")

# 1. Is the newest backup intact, content included?
"$soniabk" verify --latest --deep
# 2. What will happen: the backup chosen, every file that moves, the space needed.
"$soniabk" "${restore[@]}" --dry-run
if [[ -t 0 ]]; then
  read -rp "Restore now? [y/N] " answer
  [[ $answer == [yY]* ]] || { echo "nothing changed"; exit 1; }
fi
# 3. Restore, timed against the 60 s objective; the output names the replaced copy.
"$soniabk" "${restore[@]}"
# 4. One look at recovery health afterwards.
"$soniabk" status
