#!/usr/bin/env bash
# Sets up, builds, generates an example memory database, backs it up and verifies the backup.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
bin=build/release/bin
demo=build/demo
rm -rf "$demo" && mkdir -p "$demo"

echo "== generating an example memory database (20 MB)"
"$bin/soniabk-gen-memory-db" --out "$demo/memory.db" --size-mb 20
echo "== soniabk init"
"$bin/soniabk" init --repo "$demo/repo" --db "$demo/memory.db"
echo "== soniabk backup db"
"$bin/soniabk" backup db --db "$demo/memory.db" --repo "$demo/repo"
echo "== soniabk verify --deep"
"$bin/soniabk" verify --deep --repo "$demo/repo"
echo "== soniabk list"
"$bin/soniabk" list --repo "$demo/repo"
