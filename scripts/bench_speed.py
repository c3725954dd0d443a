#!/usr/bin/env python3
"""Speed: juesuan vs whole-page Tesseract on the same table pages, measured in one run.

  python3 scripts/bench_speed.py [--repeat 3] [--sets corpus,real] [--bin build/juesuan] [--vs-bin OLD]
  python3 scripts/bench_speed.py --callgrind [--vs-bin OLD]

Two sets of table pages: the corpus scan 000a (pages 3-13, 300 dpi) and the real-budget scan
b25-commerce-dept (pages 9-21, 200 dpi). Both sides run on one thread (OMP_THREAD_LIMIT=1,
juesuan --threads 1), alternating A B A B. The peer is `tesseract page.png - -l chi_sim --psm 3
--dpi D` on PNGs rendered by pdftoppm at the scan's own resolution beforehand (its rendering is
not timed; juesuan's own rendering is). Prints seconds per page (median of the repeats) and the
ratio juesuan / tesseract per set (median of the pairs), and the per-stage seconds juesuan wrote
(pages[].stage_seconds). With --vs-bin a second build runs in the same rounds (A, B, tesseract),
and their ratio is printed too.

--callgrind counts instructions (valgrind --tool=callgrind, stable on a busy machine) of
`juesuan extract` on one table page (000a page 4) for --bin and, with --vs-bin, for a second
build. The render worker is a child process and is not counted.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
shared = os.path.join(here, "..", "..", "shared")
SETS = {
    "corpus": (os.path.join(shared, "corpus", "000a", "scan.pdf"), "3-13", 300),
    "real": (os.path.join(shared, "real-budget", "b25-commerce-dept", "scan.pdf"), "9-21", 200),
}


def timed(cmd, env):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def stage_seconds(path):
    totals = {}
    with open(path, encoding="utf-8") as f:
        for page in json.load(f).get("pages", []):
            for k, v in (page.get("stage_seconds") or {}).items():
                totals[k] = totals.get(k, 0.0) + v
    return totals


def bench_set(name, a, env, tmp):
    pdf, pages, dpi = SETS[name]
    work = os.path.join(tmp, name)
    os.makedirs(work)
    sub = os.path.join(work, "pages.pdf")
    subprocess.run(["qpdf", "--empty", "--pages", pdf, pages, "--", sub], check=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", sub, os.path.join(work, "p")], check=True)
    pngs = sorted(os.path.join(work, f) for f in os.listdir(work) if f.endswith(".png"))
    n = len(pngs)
    out = os.path.join(work, "o.json")
    bins = [a.bin] + ([a.vs_bin] if a.vs_bin else [])
    ours = {b: [] for b in bins}
    stages = {b: [] for b in bins}
    peer = []
    for _ in range(a.repeat):
        for b in bins:
            ours[b].append(timed([b, "extract", sub, "--threads", "1", "-o", out], env) / n)
            stages[b].append(stage_seconds(out))
        peer.append(sum(timed(["tesseract", p, "-", "-l", "chi_sim", "--psm", "3", "--dpi", str(dpi)], env)
                        for p in pngs) / n)
    print("== %s: %s pages %s (%d table pages, %d dpi), repeats %d" %
          (name, os.path.normpath(pdf), pages, n, dpi, a.repeat))
    print("tesseract whole page, chi_sim psm 3: %.2f s/page (min %.2f, max %.2f)" %
          (statistics.median(peer), min(peer), max(peer)))
    for b in bins:
        ratios = [o / p for o, p in zip(ours[b], peer)]
        print("juesuan extract %s (1 thread, incl. rendering): %.2f s/page (min %.2f, max %.2f)" %
              (b, statistics.median(ours[b]), min(ours[b]), max(ours[b])))
        print("  ratio to tesseract, median of pairs: %.2f (min %.2f, max %.2f)" %
              (statistics.median(ratios), min(ratios), max(ratios)))
        keys = sorted({k for s in stages[b] for k in s})
        print("  stage seconds per page (median): " +
              ", ".join("%s %.2f" % (k, statistics.median(s.get(k, 0.0) for s in stages[b]) / n)
                        for k in keys))
    if a.vs_bin:
        pairs = [x / y for x, y in zip(ours[a.bin], ours[a.vs_bin])]
        print("ratio %s / %s, median of pairs: %.2f (min %.2f, max %.2f)" %
              (a.bin, a.vs_bin, statistics.median(pairs), min(pairs), max(pairs)))


def instructions(binary, pdf, env, tmp):
    out = os.path.join(tmp, "cg.out")
    log = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, binary,
                          "extract", pdf, "--threads", "1", "-o", os.path.join(tmp, "cg.json")],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    m = re.search(r"Collected : (\d+)", log)
    return int(m.group(1)) if m else None


def callgrind(a, env, tmp):
    pdf = os.path.join(tmp, "page.pdf")
    subprocess.run(["qpdf", "--empty", "--pages", SETS["corpus"][0], "4", "--", pdf], check=True)
    print("== instructions (callgrind) of juesuan extract --threads 1, 000a page 4")
    ours = instructions(a.bin, pdf, env, tmp)
    print("%-40s %15s" % (a.bin, format(ours, ",")))
    if a.vs_bin:
        theirs = instructions(a.vs_bin, pdf, env, tmp)
        print("%-40s %15s" % (a.vs_bin, format(theirs, ",")))
        print("ratio %.3f" % (ours / theirs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="corpus,real", help="comma-separated: corpus, real")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--bin", default=os.path.join(here, "..", "build", "juesuan"))
    ap.add_argument("--callgrind", action="store_true", help="count instructions of one page instead")
    ap.add_argument("--vs-bin", help="a second build, timed (or counted) in the same run")
    a = ap.parse_args()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory() as tmp:
        if a.callgrind:
            callgrind(a, env, tmp)
            return
        for name in a.sets.split(","):
            bench_set(name.strip(), a, env, tmp)


if __name__ == "__main__":
    main()
