#!/usr/bin/env python3
"""Recall and precision of juesuan's narrative facts against a hand-made truth list.

    python3 scripts/facts_eval.py [--juesuan build/juesuan] [--truth testdata/facts_truth.json]
                                  [--pred DIR] [--misses]

The truth (testdata/facts_truth.json) lists, per test PDF of testdata/, the facts a person read
off its pages: kind, subject code (null when the sentence names none) and the numbers by role
as printed ("307.82"; a decrease as "-109.37"; a 无 statement as amount "0"); a scan's entry says
"scan": true. Without --pred the PDFs are extracted into a temporary folder first.

A fact is right when a predicted fact has the same kind, subject and numbers (role and text,
each once); numbers are also scored one by one as (kind, subject, role, text). Prints one row per
document and the total; exit 0.
"""
import argparse
import collections
import json
import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent.parent


def fact_key(kind, subject, numbers):
    return (kind, subject or None, tuple(sorted(numbers)))


def truth_facts(doc):
    out = []
    for f in doc["facts"]:
        numbers = []
        for role, texts in f["numbers"].items():
            for text in texts if isinstance(texts, list) else [texts]:
                numbers.append((role, text))
        out.append(fact_key(f["kind"], f.get("subject"), numbers))
    return out


def predicted_facts(output):
    return [fact_key(f["kind"], f["subject"]["code"], [(n["role"], n["text"]) for n in f["numbers"]])
            for f in output.get("facts", [])]


def numbers_of(facts):
    return collections.Counter((k, s, role, text) for k, s, numbers in facts for role, text in numbers)


def score(truth, pred):
    t, p = collections.Counter(truth), collections.Counter(pred)
    facts_right = sum((t & p).values())
    tn, pn = numbers_of(truth), numbers_of(pred)
    numbers_right = sum((tn & pn).values())
    return facts_right, len(truth), len(pred), numbers_right, sum(tn.values()), sum(pn.values())


def ratio(a, b):
    return f"{a / b:.3f}" if b else "-"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--juesuan", default=str(HERE / "build" / "juesuan"))
    ap.add_argument("--truth", default=str(HERE / "testdata" / "facts_truth.json"))
    ap.add_argument("--pred", help="folder of outputs named <pdf>.json (default: extract now)")
    ap.add_argument("--misses", action="store_true", help="list missed and wrong facts")
    args = ap.parse_args()
    truth = json.loads(pathlib.Path(args.truth).read_text())["documents"]
    pred_dir = pathlib.Path(args.pred) if args.pred else pathlib.Path(tempfile.mkdtemp())
    totals = [0] * 6
    print("| document | facts (truth) | facts found | right | recall | precision | number recall | number precision |")
    print("|---|---|---|---|---|---|---|---|")
    for name, doc in truth.items():
        pdf = name
        out = pred_dir / (pdf + ".json")
        if not args.pred:
            subprocess.run([args.juesuan, "extract", str(HERE / "testdata" / pdf), "-o", str(out)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t, p = truth_facts(doc), predicted_facts(json.loads(out.read_text()))
        s = score(t, p)
        totals = [a + b for a, b in zip(totals, s)]
        print(f"| {pdf} | {s[1]} | {s[2]} | {s[0]} | {ratio(s[0], s[1])} | {ratio(s[0], s[2])} "
              f"| {ratio(s[3], s[4])} | {ratio(s[3], s[5])} |")
        if args.misses:
            tc, pc = collections.Counter(t), collections.Counter(p)
            for k in (tc - pc).elements():
                print("   missed:", k, file=sys.stderr)
            for k in (pc - tc).elements():
                print("   wrong: ", k, file=sys.stderr)
    s = totals
    print(f"| **all** | {s[1]} | {s[2]} | {s[0]} | {ratio(s[0], s[1])} | {ratio(s[0], s[2])} "
          f"| {ratio(s[3], s[4])} | {ratio(s[3], s[5])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
