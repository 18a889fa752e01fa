#!/usr/bin/env bash
# Nightly job: back up the memory database (and the gateway state where a gateway runs), apply the
# retention policy, and fail loudly when the newest backup does not verify. Settings come from
# soniabk.toml or SONIABK_* variables; the exit status is what the scheduler reports.
set -euo pipefail
soniabk=${SONIABK:-soniabk}

"$soniabk" backup db
if [[ -n ${SONIABK_GATEWAY:-} ]]; then
  "$soniabk" backup state
fi
"$soniabk" prune
"$soniabk" verify --latest
