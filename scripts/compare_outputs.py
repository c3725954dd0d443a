#!/usr/bin/env python3
"""Compares two folders of juesuan outputs, JSON by JSON, for a refactor that must not change
behaviour: prints every difference grouped by where it is (array indices folded to []), with a
count and the first examples, ignoring what always changes (timings, version, config hash, the
input's file name).

    python3 scripts/compare_outputs.py BEFORE_DIR AFTER_DIR [--examples N]

Exit status 0 when the folders hold the same outputs, 1 otherwise."""
import argparse
import collections
import json
import os
import re
import sys

IGNORED = [re.compile(p) for p in (
    r"^pages\[\]\.seconds$", r"^pages\[\]\.stage_seconds(\..*)?$", r"^generator\.version$",
    r"^generator\.config_hash$", r"^source\.file$")]


def walk(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            sub = path + ("." if path else "") + k
            if k not in a or k not in b:
                out.append((sub, a.get(k, "<absent>"), b.get(k, "<absent>")))
            else:
                walk(a[k], b[k], sub, out)
    elif isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            sub = "%s[%d]" % (path, i)
            if i >= len(a) or i >= len(b):
                out.append((sub, a[i] if i < len(a) else "<absent>", b[i] if i < len(b) else "<absent>"))
            else:
                walk(a[i], b[i], sub, out)
    elif a != b:
        out.append((path, a, b))


def folded(path):
    return re.sub(r"\[\d+\]", "[]", path)


def short(v):
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= 80 else s[:77] + "..."


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--examples", type=int, default=3)
    args = ap.parse_args(argv)
    names = sorted(f for f in set(os.listdir(args.before)) | set(os.listdir(args.after))
                   if f.endswith(".json") and not f.startswith("_"))
    groups = collections.defaultdict(list)
    missing = []
    for name in names:
        pa, pb = os.path.join(args.before, name), os.path.join(args.after, name)
        if not (os.path.exists(pa) and os.path.exists(pb)):
            missing.append(name)
            continue
        with open(pa, encoding="utf-8") as fa, open(pb, encoding="utf-8") as fb:
            diffs = []
            walk(json.load(fa), json.load(fb), "", diffs)
        for path, va, vb in diffs:
            key = folded(path)
            if not any(p.match(key) for p in IGNORED):
                groups[key].append((name, path, va, vb))
    for name in missing:
        print("only in one folder: %s" % name)
    for key in sorted(groups, key=lambda k: -len(groups[k])):
        items = groups[key]
        print("%6d  %s" % (len(items), key))
        for name, path, va, vb in items[:args.examples]:
            print("        %s %s: %s -> %s" % (name, path, short(va), short(vb)))
    total = sum(len(v) for v in groups.values())
    print("compare_outputs: %d outputs, %d differences in %d places, %d only in one folder"
          % (len(names), total, len(groups), len(missing)))
    return 1 if total or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
