#!/usr/bin/env bash
# Whole-pipeline benchmark through the real CLI (issue 5): cold pairs/s, what exact pruning at t = 0.85 saves,
# and an incremental rerun after +1% rows as a fraction of the cold run. Prints a Markdown table.
#
#   eng/bench/pipeline.sh [rows=100] [anchors=20]
#
# Data: the first <rows> rows of ../shared/data/alpaca/alpaca_2k.jsonl as candidates, rows 1000.. as the anchor
# file; model ../shared/models/stories260K.gguf. Every run is a separate process, as a user would run it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rows="${1:-100}"; anchors="${2:-20}"
shared="$root/../shared"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
dotnet build "$root/src/Nuggets.Cli" -c Release --nologo -v:q >/dev/null
tool=(dotnet "$root/src/Nuggets.Cli/bin/Release/net10.0/dotnet-nuggets.dll")

head -n "$rows" "$shared/data/alpaca/alpaca_2k.jsonl" > "$work/data.jsonl"
sed -n "1001,$((1000 + anchors))p" "$shared/data/alpaca/alpaca_2k.jsonl" > "$work/anchors.jsonl"
extra=$(( (rows + 99) / 100 ))   # +1% rows, at least one

run() { # name, extra args...; prints seconds and leaves the manifest in $work/$name
  local name="$1"; shift
  local start end
  start=$(date +%s.%N)
  "${tool[@]}" run --config "$root/nuggets.config.json" --dataset "$work/data.jsonl" --anchors "$work/anchors.jsonl" \
    --output "$work/$name" --quiet "$@"
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
count() { python3 -c "import json,sys; print(json.load(open('$work/$1/manifest.json'))['counts']['$2'])"; }

full=$(run full --no-prune --threshold 0.85 --cache "$work/full.duckdb")
pruned=$(run pruned --threshold 0.85 --cache "$work/pruned.duckdb")
sed -n "$((1001 + anchors)),$((1000 + anchors + extra))p" "$shared/data/alpaca/alpaca_2k.jsonl" >> "$work/data.jsonl"
incremental=$(run incremental --no-prune --threshold 0.85 --cache "$work/full.duckdb")

pairs_full=$(count full pairsDecoded); pairs_pruned=$(count pruned pairsDecoded); pairs_incr=$(count incremental pairsDecoded)
same=$(cmp -s "$work/full/selected.parquet" "$work/pruned/selected.parquet" && echo yes || echo NO)
cat <<TABLE
| run | seconds | pairs decoded | pairs/s | vs cold full |
|---|---:|---:|---:|---:|
| cold, full scoring ($rows rows × $anchors anchors) | $full | $pairs_full | $(echo "scale=1; $pairs_full / $full" | bc) | 1.00 |
| cold, exact pruning at t = 0.85 | $pruned | $pairs_pruned | $(echo "scale=1; $pairs_pruned / $pruned" | bc) | $(echo "scale=3; $pruned / $full" | bc) |
| rerun after +1% rows ($extra new), cache warm | $incremental | $pairs_incr | | $(echo "scale=3; $incremental / $full" | bc) |

Pruned selection identical to full scoring's (byte for byte): $same.
Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $(date -u +%Y-%m-%d); commit $(git -C "$root" rev-parse --short HEAD).
TABLE
