#!/usr/bin/env bash
# The one benchmark command (issue 8): on this machine, how fast selection is and how far from the hardware's
# limit, all rows measured side by side in one run. Prints the tables and writes docs/benchmarks.md (between its
# bench markers) and docs/benchmarks-scaling.svg.
#
#   eng/bench.sh                 full run: stories260K and a generated 30M F16 model, M = 100, 3 repetitions
#   eng/bench.sh --quick         smoke run in seconds (tiny sizes; numbers not meaningful)
#   eng/bench.sh --models stories --repeat 5 --candidates 8 --out /tmp/bench.md
#
# Work files (generated model, data slices, the 1M-row Parquet file, run folders) go to artifacts/bench/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$root/eng/bench/Nuggets.Bench"
dotnet build "$project" -c Release --nologo -v quiet >&2
exec dotnet "$project/bin/Release/net10.0/Nuggets.Bench.dll" --repo "$root" "$@"
