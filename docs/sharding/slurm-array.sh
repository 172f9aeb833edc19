#!/usr/bin/env bash
# One shard per array task: sbatch --array=0-7 docs/sharding/slurm-array.sh
#SBATCH --job-name=nuggets-score
#SBATCH --cpus-per-task=8
#SBATCH --mem=16G
#SBATCH --requeue
set -euo pipefail
cd "${SLURM_SUBMIT_DIR}"
i="${SLURM_ARRAY_TASK_ID}"
n="${SLURM_ARRAY_TASK_COUNT}"
mkdir -p caches shards
# --threads: Slurm's allocation, not the node's core count.
dotnet nuggets score --shard "$i/$n" --threads "${SLURM_CPUS_PER_TASK}" \
  --cache "caches/shard-$i.duckdb" --output "shards/$i/"
