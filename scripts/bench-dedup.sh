#!/usr/bin/env bash
# Benchmark: `retold dedup` against datasketch's MinHashLSH on the same synthetic
# corpus, same threshold and permutation count. Reports articles/s, peak memory,
# and recall/precision per derivation type, for each corpus size.
#
#   scripts/bench-dedup.sh SOURCE_DIR [SIZES...]       (default sizes: 10000 100000)
#   e.g. scripts/bench-dedup.sh ../shared/data/pan13-text-alignment-train/src 10000 100000 1000000
#
# Environment: THRESHOLD (0.8), NUM_PERM (128), PEER=0 to skip datasketch,
# WORK (a scratch folder, default target/bench-dedup).
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:?usage: scripts/bench-dedup.sh SOURCE_DIR [SIZES...]}
shift
sizes=${*:-10000 100000}
threshold=${THRESHOLD:-0.8}
num_perm=${NUM_PERM:-128}
work=${WORK:-target/bench-dedup}
mkdir -p "$work"

cargo build --release -q -p retold
bin=target/release/retold

if [ "${PEER:-1}" = 1 ]; then
  if [ ! -x "$work/venv/bin/python" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q datasketch
  fi
  py="$work/venv/bin/python"
fi

measure() { # label, command...: prints wall seconds and peak RSS (MiB)
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" 2>"$work/$label.log" >/dev/null
  read -r secs kb < "$work/time.txt"
  echo "$secs $((kb / 1024))"
}

printf '| articles | tool | seconds | articles/s | peak MiB | precision | recall (all derived) | recall per derivation |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for n in $sizes; do
  corpus="$work/synth-$n.jsonl"
  [ -f "$corpus" ] || "$bin" synth --from "$src" -n "$n" --seed 7 -o "$corpus" 2>/dev/null
  read -r secs mib < <(measure retold-$n "$bin" dedup -q --threshold "$threshold" --num-perm "$num_perm" "$corpus" -o "$work/retold-$n.jsonl")
  score=$(python3 scripts/bench/score_dedup.py "$corpus" "$work/retold-$n.jsonl")
  python3 - "$n" retold "$secs" "$mib" "$score" <<'PY'
import json, sys
n, tool, secs, mib, score = sys.argv[1:]
s = json.loads(score)
per = ", ".join(f"{k} {v:.2f}" for k, v in s["recall"].items())
print(f"| {int(n):,} | {tool} | {float(secs):.1f} | {int(n) / max(float(secs), 1e-9):,.0f} | {mib} | {s['precision']} | {s['recall_all']} | {per} |")
PY
  if [ "${PEER:-1}" = 1 ]; then
    read -r secs mib < <(measure datasketch-$n "$py" scripts/bench/datasketch_dedup.py --threshold "$threshold" --num-perm "$num_perm" "$corpus" -o "$work/datasketch-$n.jsonl")
    score=$(python3 scripts/bench/score_dedup.py "$corpus" "$work/datasketch-$n.jsonl")
    python3 - "$n" datasketch "$secs" "$mib" "$score" <<'PY'
import json, sys
n, tool, secs, mib, score = sys.argv[1:]
s = json.loads(score)
per = ", ".join(f"{k} {v:.2f}" for k, v in s["recall"].items())
print(f"| {int(n):,} | {tool} | {float(secs):.1f} | {int(n) / max(float(secs), 1e-9):,.0f} | {mib} | {s['precision']} | {s['recall_all']} | {per} |")
PY
  fi
done
