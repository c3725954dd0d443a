#!/usr/bin/env bash
# Set-up command 1: install, build, and extract the bundled sample (two table pages of a scan).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/build.sh"
mkdir -p "$here/out"
"$here/build/juesuan" extract "$here/testdata/scan_tables.pdf" -o "$here/out/sample.json" \
  --debug-dir "$here/out/sample-debug"
python3 - "$here/out/sample.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
print("disclosure:", doc["disclosure"])
for t in doc["tables"]:
    print("table %-4s %-40s %2d x %2d, %d records" % (t["number"], t["title"], t["n_rows"], t["n_cols"], len(t["records"])))
PY
echo "wrote $here/out/sample.json and page images in $here/out/sample-debug/"
