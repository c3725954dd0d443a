#!/usr/bin/env bash
# Runs the two scheduler configurations in configs/schedulers/ the way their schedulers would:
# every task of the Slurm array (the script itself, with the SLURM_ARRAY_* variables Slurm sets
# for its #SBATCH --array range) and every index of the Kubernetes Indexed Job (the container's
# args from the manifest, with JOB_COMPLETION_INDEX), each into one shared output folder. Passes
# when each configuration converts every input exactly once and its shards' records files hold
# every document's records exactly once.
#   bash tests/scheduler_configs.sh JUESUAN_BIN
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/corpus"
ln -s "$bin" "$tmp/bin/juesuan"
for i in 0 1 2 3 4 5 6; do
  mkdir -p "$tmp/corpus/d$i"
  cp "$here/testdata/digital_traits.pdf" "$tmp/corpus/d$i/x.pdf"
done

# The array range from the script's own #SBATCH line, e.g. --array=1-8.
range=$(sed -n 's/^#SBATCH --array=\([0-9]*-[0-9]*\).*/\1/p' "$here/configs/schedulers/slurm-batch.sh")
first=${range%-*} last=${range#*-}
for id in $(seq "$first" "$last"); do
  env PATH="$tmp/bin:$PATH" CORPUS="$tmp/corpus" OUT="$tmp/slurm" SLURM_ARRAY_TASK_ID="$id" \
    SLURM_ARRAY_TASK_MIN="$first" SLURM_ARRAY_TASK_COUNT=$((last - first + 1)) \
    SLURM_CPUS_PER_TASK=1 bash "$here/configs/schedulers/slurm-batch.sh" 2>/dev/null
done

# The container's args and completions from the manifest, with the volumes mapped to folders.
python3 - "$here/configs/schedulers/kubernetes-job.yaml" "$tmp" >"$tmp/k8s.args" <<'PY'
import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
args = job["spec"]["template"]["spec"]["containers"][0]["args"]
args = [a.replace("/corpus", sys.argv[2] + "/corpus").replace("/out", sys.argv[2] + "/k8s")
        for a in args]
print(job["spec"]["completions"])
print("\0".join(args), end="")
PY
completions=$(head -1 "$tmp/k8s.args")
mapfile -d '' args < <(tail -n +2 "$tmp/k8s.args")
for index in $(seq 0 $((completions - 1))); do
  JOB_COMPLETION_INDEX=$index "$bin" "${args[@]}" 2>/dev/null
done

python3 - "$tmp" 7 <<'PY'
import glob, json, os, sys, collections
tmp, n = sys.argv[1], int(sys.argv[2])
for run in ("slurm", "k8s"):
    out = os.path.join(tmp, run)
    summaries = glob.glob(os.path.join(out, "_summary-*-of-*.json"))
    done = sum(json.load(open(s))["done"] for s in summaries)
    outputs = sorted(glob.glob(os.path.join(out, "d*", "x.pdf.json")))
    per_doc = collections.Counter()
    for f in glob.glob(os.path.join(out, "records-*-of-*.jsonl")):
        for line in open(f):
            per_doc[json.loads(line)["document"]] += 1
    assert len(summaries) == 8, (run, summaries)
    assert done == n and len(outputs) == n, (run, done, outputs)
    assert not os.path.exists(os.path.join(out, "records.jsonl")), run
    assert len(per_doc) == n and len(set(per_doc.values())) == 1, (run, per_doc)
    print(f"{run}: {len(summaries)} shards converted {done} inputs once, "
          f"{sum(per_doc.values())} record lines, {per_doc.most_common(1)[0][1]} per document")
PY
