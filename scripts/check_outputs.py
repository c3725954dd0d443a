#!/usr/bin/env python3
"""Checks juesuan outputs the way a loader would: every JSON in the given files or folders is
valid against configs/output.schema.json (JSON Schema 2020-12, python3-jsonschema from Debian),
every record value points at a real column, and no two values of a record share a column.

    python3 scripts/check_outputs.py OUT_DIR [more files or folders]

Prints one line per problem and a summary; exit status 1 when there is any problem."""
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))


def outputs(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                for f in sorted(files):
                    if f.endswith(".json") and not f.startswith("_"):
                        yield os.path.join(root, f)
        else:
            yield p


def problems_of(doc, validator):
    for e in validator.iter_errors(doc):
        yield "schema: %s: %s" % ("/".join(str(x) for x in e.absolute_path), e.message[:200])
    for t in doc.get("tables", []):
        n = len(t.get("columns", []))
        for r in t.get("records", []):
            seen = set()
            for v in r.get("values", []):
                c = v.get("column")
                if not isinstance(c, int) or not 0 <= c < n:
                    yield "table %s row %s: value of column %s, which the table lacks" % (
                        t.get("index"), r.get("row"), c)
                if c in seen:
                    yield "table %s row %s: column %s twice" % (t.get("index"), r.get("row"), c)
                seen.add(c)


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    with open(os.path.join(HERE, "..", "configs", "output.schema.json"), encoding="utf-8") as f:
        validator = jsonschema.Draft202012Validator(json.load(f))
    files = bad = values = 0
    for path in outputs(argv):
        files += 1
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        values += sum(len(r["values"]) for t in doc.get("tables", []) for r in t.get("records", []))
        found = list(problems_of(doc, validator))
        bad += bool(found)
        for p in found[:20]:
            print("%s: %s" % (path, p))
    print("check_outputs: %d outputs, %d with problems, %d record values" % (files, bad, values))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
