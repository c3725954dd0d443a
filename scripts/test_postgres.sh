#!/usr/bin/env bash
# Proves the README's PostgreSQL load commands for --records-jsonl: installs PostgreSQL from
# Debian when it is missing, starts a throwaway cluster (a temporary folder, a Unix socket in it,
# no TCP), runs a small batch, loads its records file with exactly the lines the README shows
# between its "postgres-load" markers, and compares the loaded rows with the output JSON: the
# number of values and the sum of every table's numbers, per document. Then the same for a batch
# run as three shards of a Kubernetes Indexed Job (--shard auto) into one folder, loaded with the
# README's "postgres-load-shards" lines: every input's values exactly once. Run by .ci/run; takes
# about 10 s once PostgreSQL is installed.
#   bash scripts/test_postgres.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
juesuan=$build/juesuan
[ -x "$juesuan" ] || { echo "test_postgres: no $juesuan (build first)" >&2; exit 2; }
. "$here/scripts/lib/apt.sh"
apt_ensure test_postgres postgresql
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

tmp=$(mktemp -d)
cleanup() {
  as_db_user "$pgbin/pg_ctl" -D "$tmp/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
# PostgreSQL refuses to run as root: then the cluster belongs to the Debian package's user.
if [ "$(id -u)" -eq 0 ]; then
  as_db_user() { runuser -u postgres -- "$@"; }
  chmod 755 "$tmp"
else
  as_db_user() { "$@"; }
fi

# A small batch: a born-digital document (01, 04, 09) and a scan (two tables).
"$juesuan" batch "$here/testdata/corpus_000a_01_04_09.pdf" "$here/testdata/scan_tables.pdf" \
  -o "$tmp/out" --records-jsonl "$tmp/out/records.jsonl" --quiet --jobs 2
# The same inputs and four more in three shards of a Kubernetes Indexed Job, into one folder.
mkdir -p "$tmp/in/a" "$tmp/in/b"
cp "$here/testdata/corpus_000a_01_04_09.pdf" "$here/testdata/scan_tables.pdf" "$tmp/in/"
for d in a b; do
  cp "$here/testdata/digital_traits.pdf" "$here/testdata/digital_turned_90_180.pdf" "$tmp/in/$d/"
done
for index in 0 1 2; do
  JOB_COMPLETION_INDEX=$index "$juesuan" batch "$tmp/in" -o "$tmp/shards" --shard auto \
    --shard-count 3 --records-jsonl "$tmp/shards/records.jsonl" --quiet --jobs 2
done
chmod -R a+rX "$tmp/out" "$tmp/shards"

# The cluster: a socket in the temporary folder only; the port merely names the socket.
mkdir "$tmp/pg" "$tmp/sock"
[ "$(id -u)" -ne 0 ] || chown postgres "$tmp/pg" "$tmp/sock"
port=$((20000 + RANDOM % 20000))
as_db_user "$pgbin/initdb" -D "$tmp/pg" -U juesuan -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
  >/dev/null
as_db_user "$pgbin/pg_ctl" -D "$tmp/pg" -l "$tmp/sock/log" -w \
  -o "-k $tmp/sock -p $port -c listen_addresses= -c fsync=off" start >/dev/null
# psql in folder DIR (where the records files are, as the README's \copy expects).
psql_in() { local dir=$1; shift; (cd "$dir" && as_db_user psql -X -q -v ON_ERROR_STOP=1 \
  -h "$tmp/sock" -p "$port" -U juesuan -d postgres "$@"); }
psql_run() { psql_in "$tmp/out" "$@"; }
# The README's lines between "<!-- begin: NAME (" and "<!-- end: NAME -->", verbatim, into OUT;
# fails unless they hold MUST (a fixed string).
readme_block() {
  local name=$1 must=$2 out=$3
  awk -v b="<!-- begin: $name (" -v e="<!-- end: $name -->" \
    'index($0, e) {on = 0} on; index($0, b) {on = 1}' "$here/README.md" |
    grep -v '^ *```' | sed 's/^  //' >"$out"
  grep -qF "$must" "$out" || { echo "test_postgres: no $name commands in README" >&2; exit 1; }
  chmod a+r "$out"
}

readme_block postgres-load '\copy raw FROM' "$tmp/load.sql"
psql_run -f "$tmp/load.sql" >"$tmp/readme_query.txt"

# Per document and table: values loaded and the sum of the numbers, against the output JSON.
psql_run -At -F '|' -c "SELECT r->>'sha256', r->>'table', count(*),
  coalesce(sum((r->>'value')::numeric) FILTER (WHERE jsonb_typeof(r->'value') = 'number'), 0)
  FROM raw WHERE NOT r ? 'fact' GROUP BY 1, 2" >"$tmp/loaded.txt"
python3 - "$tmp/out" "$tmp/loaded.txt" <<'EOF'
import json, pathlib, sys
from decimal import Decimal
out, loaded_path = pathlib.Path(sys.argv[1]), sys.argv[2]
want = {}
for path in out.rglob("*.json"):
    if path.name.startswith("_"):
        continue
    doc = json.loads(path.read_text(), parse_float=Decimal)
    for table in doc["tables"]:
        key = (doc["source"]["sha256"], str(table["index"]))
        values = [v for r in table["records"] for v in r["values"]]
        total = sum((v["value"] for v in values if isinstance(v["value"], (int, Decimal))), Decimal(0))
        if values:
            want[key] = (len(values), total)
got = {}
for line in pathlib.Path(loaded_path).read_text().splitlines():
    sha, table, count, total = line.split("|")
    got[(sha, table)] = (int(count), Decimal(total))
if got != want:
    print("test_postgres: PostgreSQL and the JSON disagree", file=sys.stderr)
    for key in sorted(set(got) | set(want)):
        if got.get(key) != want.get(key):
            print(f"  {key}: loaded {got.get(key)}, JSON {want.get(key)}", file=sys.stderr)
    sys.exit(1)
values = sum(c for c, _ in want.values())
print(f"test_postgres: {values} values in {len(want)} tables of "
      f"{len({k[0] for k in want})} documents loaded with the README's commands; "
      "counts and sums equal the JSON's")
EOF
# The shards: the README's lines, run where the shards' records files are; then every input's
# values once (no document twice, none missing), with the same counts and sums as its JSON.
readme_block postgres-load-shards 'FROM PROGRAM' "$tmp/load_shards.sql"
psql_in "$tmp/shards" -f "$tmp/load_shards.sql"
psql_in "$tmp/shards" -At -F '|' -c "SELECT r->>'document', r->>'table', count(*),
  count(DISTINCT (r->>'row', r->>'column')),
  coalesce(sum((r->>'value')::numeric) FILTER (WHERE jsonb_typeof(r->'value') = 'number'), 0)
  FROM raw_shards WHERE NOT r ? 'fact' GROUP BY 1, 2" >"$tmp/shards_loaded.txt"
python3 - "$tmp/shards" "$tmp/shards_loaded.txt" <<'EOF'
import json, pathlib, sys
from decimal import Decimal
out, loaded_path = pathlib.Path(sys.argv[1]), sys.argv[2]
want = {}
for path in out.rglob("*.pdf.json"):
    document = str(path.relative_to(out))[: -len(".json")]
    doc = json.loads(path.read_text(), parse_float=Decimal)
    for table in doc["tables"]:
        values = [v for r in table["records"] for v in r["values"]]
        total = sum((v["value"] for v in values if isinstance(v["value"], (int, Decimal))), Decimal(0))
        if values:
            want[(document, str(table["index"]))] = (len(values), total)
got = {}
for line in pathlib.Path(loaded_path).read_text().splitlines():
    document, table, count, distinct, total = line.split("|")
    if count != distinct:
        sys.exit(f"test_postgres: {document} table {table}: {count} rows for {distinct} values")
    got[(document, table)] = (int(count), Decimal(total))
summaries = list(out.glob("_summary-*-of-3.json"))
done = sum(json.loads(p.read_text())["done"] for p in summaries)
documents = {k[0] for k in want}
if got != want or len(summaries) != 3 or done != 6 or len(documents) != 6:
    sys.exit(f"test_postgres: shards: {len(summaries)} summaries, {done} done, "
             f"{len(documents)} documents; loaded == JSON: {got == want}")
print(f"test_postgres: 3 shards converted 6 inputs once; {sum(c for c, _ in want.values())} "
      f"values of {len(documents)} documents loaded once from the shards' records files")
EOF
grep -q '三门峡市公共资源交易中心' "$tmp/readme_query.txt" ||
  { echo "test_postgres: the README's query printed no department" >&2; cat "$tmp/readme_query.txt" >&2; exit 1; }
