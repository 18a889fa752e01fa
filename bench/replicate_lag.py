# One line of figures for one bench_replicate.sh run directory RUN (params.txt, commits.txt, replicate.json,
# wal-samples.txt, repo/replica/<lineage>/*.seg): python3 bench/replicate_lag.py RUN READ_EVERY [SEEN]
# A segment's durable time is its file's mtime (ns), or, with SEEN (lines "epoch_ms key size", an object store's
# listing polled), the first listing that showed it. Fields: name rate interval seconds committed shipped
# counted segments lineage_dirs approx_p50 approx_p99 approx_max true_p50 true_p99 true_max per_tx_p50 per_tx_p99
# seen_after_min seen_after_max segment_bytes max_wal_bytes wal_sampled_max checkpoints complete_checkpoints
# barrier_skips truncations ship_failures lineages (lags in ms).
import json
import os
import re
import sys

run, read_every = sys.argv[1], sys.argv[2]
seen_file = sys.argv[3] if len(sys.argv) > 3 else None
m = re.fullmatch(r"([\d.]+)(ms|s)", read_every)
precision_ms = float(m[1]) * (1 if m[2] == "ms" else 1000)
name, rate, interval, secs = open(os.path.join(run, "params.txt")).read().split()
commits = [int(line) for line in open(os.path.join(run, "commits.txt"))]
rep = json.load(open(os.path.join(run, "replicate.json")))
pattern = re.compile(r"(?:.*/)?replica/([^/]+)/(\d{12})_(\d+)_(\d+)_(\d+)\.seg[^/]*")

segs = []  # (lineage, sequence, first ms, last ms, transactions, durable ms, bytes)
if seen_file:
    sizes, first_seen = {}, {}
    for line in open(seen_file):
        fields = line.split()
        if len(fields) < 3:
            continue  # the last line, cut by the kill
        first_seen.setdefault(fields[1], int(fields[0]))
        sizes[fields[1]] = int(fields[2])
    for key, ms in first_seen.items():
        m = pattern.fullmatch(key)
        if m:
            segs.append((m[1], int(m[2]), int(m[3]), int(m[4]), int(m[5]), float(ms), sizes.get(key, 0)))
else:
    replica = os.path.join(run, "repo", "replica")
    for lineage in sorted(os.listdir(replica)):
        for f in os.listdir(os.path.join(replica, lineage)):
            m = pattern.fullmatch("replica/" + lineage + "/" + f)
            if m:
                st = os.stat(os.path.join(replica, lineage, f))
                segs.append((m[1], int(m[2]), int(m[3]), int(m[4]), int(m[5]), st.st_mtime_ns / 1e6, st.st_size))
segs.sort()


def pct(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


approx, true, per_tx, skew = [], [], [], []
k = 0
for (_, _, first, last, n, durable, size) in segs:
    if n == 0:
        continue
    approx.append(durable - first + precision_ms)
    if k + n <= len(commits):
        true.append(durable - commits[k])
        skew.append(first - commits[k])  # how long after the writer's COMMIT returned replicate saw it
        per_tx.extend(durable - c for c in commits[k:k + n])
    k += n
wal_path = os.path.join(run, "wal-samples.txt")
wal = [int(x) for x in open(wal_path).read().split()] if os.path.exists(wal_path) else []
seg_bytes = sum(s[6] for s in segs)
f0 = lambda x: "%.0f" % x
print(" ".join(str(x) for x in [
    name, rate, interval, secs, len(commits), rep["transactions"], k, len(segs), len({s[0] for s in segs}),
    f0(pct(approx, 50)), f0(pct(approx, 99)), f0(max(approx)),
    f0(pct(true, 50)), f0(pct(true, 99)), f0(max(true)),
    f0(pct(per_tx, 50)), f0(pct(per_tx, 99)),
    f0(min(skew)), f0(max(skew)),
    seg_bytes, rep["max_wal_bytes"], max(wal) if wal else 0, rep["checkpoints"], rep["complete_checkpoints"],
    rep["barrier_skips"], rep["truncations"], rep["ship_failures"], len(rep["lineages"])]))
