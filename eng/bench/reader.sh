#!/usr/bin/env bash
# Reader benchmark: generates an Alpaca-shaped Parquet file (default 1,000,000 rows, cached under artifacts/bench/)
# and streams it through DuckDbDatasetReader, each step in its own process; prints rows/s and peak RSS.
# Usage: eng/bench/reader.sh [rows]        Results are recorded in docs/benchmarks-data.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rows="${1:-1000000}"
data="$root/artifacts/bench/reader-$rows.parquet"
project="$root/eng/bench/Nuggets.Bench.Reader"
dotnet build "$project" -c Release --nologo -v quiet
bench="$project/bin/Release/net10.0/Nuggets.Bench.Reader.dll"
[ -f "$data" ] || dotnet "$bench" generate "$data" "$rows"
echo "== $(date -u +%FT%TZ) | $(lscpu | sed -n 's/^Model name: *//p') | $(nproc) cores"
dotnet "$bench" read "$data"
echo
dotnet "$bench" read "$data" --hash
alpaca="$root/../shared/data/alpaca/alpaca_data.parquet"
if [ -f "$alpaca" ]; then echo; dotnet "$bench" read "$alpaca" --hash; fi
