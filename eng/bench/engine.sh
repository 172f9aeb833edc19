#!/usr/bin/env bash
# Scoring-engine throughput benchmark (docs/benchmarks-engine.md). Extra arguments pass through, e.g.
#   eng/bench/engine.sh --models stories --anchors 100 --candidates 10 --threads 2
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dotnet run -c Release --project "$root/eng/bench/Nuggets.Bench.Engine" -- --shared "$root/../shared" "$@"
