#!/usr/bin/env bash
# Before a risky change (schema migration, bulk delete, restore test): the gateway's state and the
# memory database as one backup set, verified, with the command that undoes the change printed.
# Settings come from soniabk.toml or SONIABK_* variables (SONIABK_GATEWAY_DIR: the gateway's backups folder).
set -euo pipefail
soniabk=${SONIABK:-soniabk}

set_id=$("$soniabk" backup all --label manual --json | sed -n 's/^  "set_id": "\(set_[^"]*\)",$/\1/p')
"$soniabk" verify --latest --deep >/dev/null
echo "backup set $set_id taken; to go back: soniabk restore --set $set_id"
