#!/usr/bin/env bash
# Merge the shard caches and select: sbatch --dependency=afterok:<array job id> docs/sharding/slurm-select.sh
#SBATCH --job-name=nuggets-select
#SBATCH --cpus-per-task=2
set -euo pipefail
cd "${SLURM_SUBMIT_DIR}"
dotnet nuggets cache merge caches/shard-*.duckdb -o .nuggets/cache.duckdb
dotnet nuggets select --output out/
