#!/usr/bin/env bash
# How far ggml's CPU variants drift apart on the real stories260K model (docs/exactness.md, "Measured drift"): every
# zero-shot and one-shot sum of N Alpaca candidates x M anchors under each variant, each in its own process, compared
# with the variant ggml picks on this machine: the largest difference of a sum, the wins (o > z) that flip and the
# golden scores that change; plus each variant's largest difference from the full-logit oracle on K candidates.
#
#   eng/variant-drift.sh                                  N = 2000, M = 20, K = 20, every variant this CPU runs
#   eng/variant-drift.sh --candidates 200 x64 haswell     a subset
#
# Prints a Markdown table; the JSON reports stay in artifacts/variant-drift/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
candidates=2000; anchors=20; oracle=20; variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --candidates) candidates="$2"; shift 2 ;;
    --anchors) anchors="$2"; shift 2 ;;
    --oracle) oracle="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "variant-drift: unknown option '$1'" >&2; exit 2 ;;
    *) variants+=("$1"); shift ;;
  esac
done

dotnet build "$root/tests/Nuggets.Llama.VariantHost" -c Release --nologo -v quiet >&2
bin="$root/tests/Nuggets.Llama.VariantHost/bin/Release/net10.0"
host="$bin/Nuggets.Llama.VariantHost.dll"
if [ ${#variants[@]} -eq 0 ]; then
  for f in "$bin"/runtimes/linux-x64/native/libggml-cpu-*.so; do v="${f##*/libggml-cpu-}"; variants+=("${v%.so}"); done
fi
out="$root/artifacts/variant-drift"; mkdir -p "$out"

echo "variant-drift: $candidates candidates x $anchors anchors, oracle on $oracle candidates" >&2
dotnet "$host" drift auto "$candidates" "$anchors" "$oracle" "$out/auto.json"
picked="$(sed -n 's/^ *"variant": "\(.*\)",$/\1/p' "$out/auto.json" | head -1)"
echo "variant-drift: ggml picks $picked here (the reference)" >&2
reports=()
for v in "${variants[@]}"; do
  [ "$v" = "$picked" ] && continue
  set +e; dotnet "$host" drift "$v" "$candidates" "$anchors" "$oracle" "$out/$v.json"; rc=$?; set -e
  case "$rc" in
    0) reports+=("$out/$v.json"); echo "variant-drift: $v done" >&2 ;;
    3) echo "variant-drift: $v cannot run on this CPU" >&2 ;;
    *) exit "$rc" ;;
  esac
done
dotnet "$host" compare "$out/auto.json" "${reports[@]}"
