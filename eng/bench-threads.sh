#!/usr/bin/env bash
# model.threads on a shared machine (issue 22): the same scoring job alone and as two copies started at once, with
# threads = auto and with threads = every physical core (the default before auto). Prints a Markdown table: the load
# average at the start of each case, the threads each process used (from its summary line: "1-2 (from 2)" when auto
# followed the load during the run), wall time and pairs/s.
#
#   eng/bench-threads.sh                           150 rows x 10 anchors of alpaca_2k.parquet on stories260K
#   eng/bench-threads.sh --rows 40 --anchors 5     a quicker check
#   eng/bench-threads.sh --all 4 --timeout 900     "all cores" = 4 threads; stop a process after 900 s (then "> 900")
#   eng/bench-threads.sh --pairs-only --repeat 2   only the two-at-once cases, auto and all cores back to back, twice
#
# Every process gets a fresh cache and output folder (nothing comes from a cache), scores every anchor (--no-prune)
# and runs the built tool (src/Nuggets.Cli/bin/Release). Work files go to artifacts/bench-threads/. The scores are
# the same in every case (the thread count never changes a sum): only the times differ.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows=150; anchors=10; all=""; timeout_s=0; build=1; alone=1; repeat=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --anchors) anchors="$2"; shift 2 ;;
    --all) all="$2"; shift 2 ;;
    --timeout) timeout_s="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --pairs-only) alone=0; shift ;;
    --repeat) repeat="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "bench-threads: unknown option '$1'" >&2; exit 2 ;;
  esac
done

if [ "$build" = 1 ]; then dotnet build "$root/src/Nuggets.Cli" -c Release --nologo -v quiet >&2; fi
tool="$root/src/Nuggets.Cli/bin/Release/net10.0/dotnet-nuggets.dll"
dataset="$root/../shared/data/alpaca/alpaca_2k.parquet"
model="$root/../shared/models/stories260K.gguf"
for f in "$tool" "$dataset" "$model"; do [ -f "$f" ] || { echo "bench-threads: $f not found" >&2; exit 1; }; done
# "All cores" is what model.threads meant before auto: the physical cores, at most the CPUs the process may run on.
if [ -z "$all" ]; then
  all="$(lscpu -p=core,socket 2>/dev/null | grep -v '^#' | sort -u | wc -l)"
  if [ "${all:-0}" -lt 1 ] || [ "$all" -gt "$(nproc)" ]; then all="$(nproc)"; fi
fi
work="$root/artifacts/bench-threads"; rm -rf "$work"; mkdir -p "$work"

load() { cut -d' ' -f1 /proc/loadavg; }

# One process: $1 case folder, $2 threads setting. Writes wall seconds to $1/wall and the exit code to $1/rc.
job() {
  local dir="$1" threads="$2" start end rc
  mkdir -p "$dir"
  start="$(date +%s.%N)"
  set +e
  if [ "$timeout_s" -gt 0 ]; then
    timeout "$timeout_s" dotnet "$tool" run --config "$root/nuggets.config.json" --dataset "$dataset" --model "$model" \
      --set "dataset.maxRows=$rows" --anchors "random:$anchors" --no-prune --no-report --threads "$threads" \
      --output "$dir/out" --cache "$dir/cache.duckdb" > "$dir/stdout" 2> "$dir/stderr"
  else
    dotnet "$tool" run --config "$root/nuggets.config.json" --dataset "$dataset" --model "$model" \
      --set "dataset.maxRows=$rows" --anchors "random:$anchors" --no-prune --no-report --threads "$threads" \
      --output "$dir/out" --cache "$dir/cache.duckdb" > "$dir/stdout" 2> "$dir/stderr"
  fi
  rc=$?
  set -e
  end="$(date +%s.%N)"
  echo "$rc" > "$dir/rc"
  echo "$end - $start" | bc -l > "$dir/wall"
}

# Reads a manifest number (counts.pairsDecoded) without jq.
manifest_number() { sed -n "s/^ *\"$2\": \([0-9]*\),\{0,1\}$/\1/p" "$1/out/manifest.json" 2>/dev/null | head -1; }

# The threads a process used, from its summary line: "2", or "1-2 (from 2)" when auto followed the load mid-run.
threads_used() {
  sed -n -e 's/^compute: \([0-9]*-[0-9]*\) threads, adapted to load.*started with \([0-9]*\) .*/\1 (from \2)/p' \
    -e 's/^compute: \([0-9]*\) threads\{0,1\} (.*/\1/p' "$1/stdout" 2>/dev/null | head -1
}

row() {
  local label="$1" copies="$2" at_start="$3"; shift 3
  local threads="" walls="" rates="" total=0 longest=0 dir wall pairs rc
  for dir in "$@"; do
    wall="$(printf '%.1f' "$(cat "$dir/wall")")"; rc="$(cat "$dir/rc")"
    if [ "$rc" = 0 ]; then
      pairs="$(manifest_number "$dir" pairsDecoded)"
      threads+="${threads:+, }$(threads_used "$dir")"
      walls+="${walls:+, }$wall"
      rates+="${rates:+, }$(printf '%.1f' "$(echo "$pairs / $wall" | bc -l)")"
      total="$(echo "$total + $pairs" | bc)"
    elif [ "$rc" = 124 ]; then
      threads+="${threads:+, }?"; walls+="${walls:+, }> $timeout_s"; rates+="${rates:+, }—"
    else
      echo "bench-threads: $dir failed (exit $rc): $(tail -3 "$dir/stderr")" >&2; exit 1
    fi
    longest="$(echo "if ($wall > $longest) $wall else $longest" | bc -l)"
  done
  local overall="—"
  [ "$total" != 0 ] && overall="$(printf '%.1f' "$(echo "$total / $longest" | bc -l)")"
  echo "| $label | $copies | $at_start | $threads | $walls | $rates | $overall |"
}

echo "bench-threads: $rows rows x $anchors anchors, stories260K, --no-prune; all cores = $all; $(nproc) CPUs allowed" >&2
{
  echo "| model.threads | copies | load at start (1 min) | threads used | wall s | pairs/s each | pairs/s together |"
  echo "|---|---|---|---|---|---|---|"
} > "$work/table.md"
for round in $(seq 1 "$repeat"); do
  for setting in auto "$all"; do
    label="$setting"; [ "$setting" != auto ] && label="$setting (all cores)"
    case_dir="$work/r$round-$setting"
    if [ "$alone" = 1 ]; then
      at_start="$(load)"
      echo "bench-threads: $label, alone (load $at_start)" >&2
      job "$case_dir-alone" "$setting"
      row "$label" 1 "$at_start" "$case_dir-alone" >> "$work/table.md"
    fi

    at_start="$(load)"
    echo "bench-threads: $label, two at once (load $at_start)" >&2
    job "$case_dir-pair-a" "$setting" & a=$!
    job "$case_dir-pair-b" "$setting" & b=$!
    wait "$a" "$b"
    row "$label" 2 "$at_start" "$case_dir-pair-a" "$case_dir-pair-b" >> "$work/table.md"
  done
done
echo "" >> "$work/table.md"
# The thread count never changes a sum, so every finished process wrote the same scores, byte for byte.
distinct="$(sha256sum "$work"/*/out/scores.parquet 2>/dev/null | cut -d' ' -f1 | sort -u | wc -l)"
echo "scores.parquet identical in every finished process: $([ "$distinct" = 1 ] && echo yes || echo "NO ($distinct different files)")" >> "$work/table.md"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs allowed, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)" >> "$work/table.md"
cat "$work/table.md"
