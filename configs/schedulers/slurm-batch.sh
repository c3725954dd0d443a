#!/usr/bin/env bash
# juesuan nightly batch as a Slurm job array: `sbatch configs/schedulers/slurm-batch.sh`.
# Each array task converts its own shard; --shard auto reads SLURM_ARRAY_TASK_ID, _MIN, _STEP
# and _COUNT (shard = (ID - MIN) / STEP of COUNT), so the array range may start anywhere and
# step. Every per-run file is named per shard (…-3-of-8…) in the one shared output folder; a
# requeued task resumes. Load every shard's records afterwards: cat $OUT/records-*-of-8.jsonl.
#SBATCH --job-name=juesuan-nightly
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=06:00:00
#SBATCH --output=juesuan-%A-%a.log
set -euo pipefail
CORPUS=${CORPUS:-/shared/disclosures}
OUT=${OUT:-/shared/juesuan-out}
exec juesuan batch "$CORPUS" -o "$OUT" --shard auto --jobs "${SLURM_CPUS_PER_TASK:-2}" \
  --timeout 900 --records-jsonl "$OUT/records.jsonl" --json-log
