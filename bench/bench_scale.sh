#!/usr/bin/env bash
# Scale benchmark: `list`, `status` and `prune --dry-run` on a repository of 5,000 backups,
# release build, warm cache. Prints, per command over ROUNDS runs, the median and worst wall time, the median
# CPU time (user + sys: the wall time on an idle machine, as these commands are single-threaded and do no
# waiting on a warm cache) and the peak RSS. On a machine shared with other work, RUN_PREFIX="chrt -f 10"
# (as root) runs each timed command at real-time priority, so the wall time is the command's own.
# Usage: bench/bench_scale.sh [COUNT=5000] [ROUNDS=7]   (run from the repository root)
set -euo pipefail

count=${1:-5000}
rounds=${2:-7}
build=build/release
prefix=(${RUN_PREFIX:-})

cmake --preset release >/dev/null
cmake --build --preset release -j2 --target soniabk soniabk-bench-gen-repo >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bin/soniabk-bench-gen-repo" "$work/repo" "$count"
export SONIABK_REPO="$work/repo"

commands=("list" "list --json" "status" "status --json --prometheus $work/soniabk.prom" "prune --dry-run"
          "prune --dry-run --json")

# One untimed pass each so the page cache is warm, as it is on a machine that runs them daily.
for cmd in "${commands[@]}"; do "$build/bin/soniabk" $cmd >/dev/null 2>&1 || true; done

printf '%-44s %9s %9s %9s %9s\n' "command ($count backups)" "median s" "max s" "CPU s" "peak RSS"
for cmd in "${commands[@]}"; do
    times=()
    cpus=()
    rss=0
    for _ in $(seq "$rounds"); do
        start=$EPOCHREALTIME
        if [[ -x /usr/bin/time ]]; then  # GNU time (Debian package `time`) reports peak RSS
            "${prefix[@]}" /usr/bin/time -o "$work/time" -f '%M %U %S' "$build/bin/soniabk" $cmd >/dev/null 2>&1 || true
        else
            "${prefix[@]}" "$build/bin/soniabk" $cmd >/dev/null 2>&1 || true
            echo 0 0 0 >"$work/time"
        fi
        end=$EPOCHREALTIME
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')")
        read -r kb user sys < <(tail -1 "$work/time")
        cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
        (( kb > rss )) && rss=$kb
    done
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    median=$(echo "$sorted" | sed -n "$(( (rounds + 1) / 2 ))p")
    worst=$(echo "$sorted" | tail -1)
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (rounds + 1) / 2 ))p")
    printf '%-44s %9.3f %9.3f %9.2f %6d MB\n' "${cmd/$work/\$TMP}" "$median" "$worst" "$cpu" $(( rss / 1024 ))
done
