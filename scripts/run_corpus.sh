#!/usr/bin/env bash
# Runs `juesuan extract` on every ../shared/corpus/<doc>/<variant>.pdf and scores the outputs
# (check_outputs.py: schema and columns; score.py: accuracy; silent.py: wrong cells without a
# flag, and false alarms).
#   scripts/run_corpus.sh [scan|digital] [OUTDIR]
#   CORPUS=../shared/real-budget scripts/run_corpus.sh scan out/rb-scan   # the real set
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
variant=${1:-scan}
out=${2:-$here/out/corpus-$variant}
corpus=${CORPUS:-$here/../shared/corpus}
mkdir -p "$out"
for d in "$corpus"/*/; do
  doc=$(basename "$d")
  [ -f "$d/$variant.pdf" ] || continue
  "$here/build/juesuan" extract "$d/$variant.pdf" -o "$out/$doc.json" ${JUESUAN_ARGS:-}
done
python3 "$here/scripts/check_outputs.py" "$out"
python3 "$corpus/../tools/corpus/score.py" --truth "$corpus" --pred "$out"
python3 "$corpus/../tools/corpus/silent.py" --truth "$corpus" --pred "$out"
