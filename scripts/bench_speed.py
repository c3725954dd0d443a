#!/usr/bin/env python3
"""Speed: juesuan vs whole-page Tesseract on the same pages, measured in one run.

  python3 scripts/bench_speed.py [--pdf ../shared/corpus/000a/scan.pdf] [--pages 3-13] [--repeat 3]

Both sides run on one thread (OMP_THREAD_LIMIT=1, juesuan --threads 1), alternating A B A B.
The peer is `tesseract page.png - -l chi_sim --psm 3 --dpi 300` on 300-dpi PNGs rendered by
pdftoppm beforehand (its rendering is not timed; juesuan's own rendering is). Prints seconds
per page (median of the repeats) and the ratio juesuan / tesseract.
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, env):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pdf", default=os.path.join(here, "..", "..", "shared", "corpus", "000a", "scan.pdf"))
    ap.add_argument("--pages", default="3-13", help="table pages, qpdf range syntax")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--bin", default=os.path.join(here, "..", "build", "juesuan"))
    a = ap.parse_args()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory() as tmp:
        sub = os.path.join(tmp, "pages.pdf")
        subprocess.run(["qpdf", "--empty", "--pages", a.pdf, a.pages, "--", sub], check=True)
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", sub, os.path.join(tmp, "p")], check=True)
        pngs = sorted(os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".png"))
        n = len(pngs)
        ours, peer = [], []
        for _ in range(a.repeat):
            ours.append(timed([a.bin, "extract", sub, "--threads", "1", "-o", os.path.join(tmp, "o.json")], env) / n)
            peer.append(sum(timed(["tesseract", p, "-", "-l", "chi_sim", "--psm", "3", "--dpi", "300"], env)
                            for p in pngs) / n)
        ratios = [o / p for o, p in zip(ours, peer)]
        print("pages: %d, repeats: %d" % (n, a.repeat))
        print("juesuan extract (1 thread, incl. rendering)  %.2f s/page  (min %.2f, max %.2f)" %
              (statistics.median(ours), min(ours), max(ours)))
        print("tesseract whole page, chi_sim psm 3          %.2f s/page  (min %.2f, max %.2f)" %
              (statistics.median(peer), min(peer), max(peer)))
        print("ratio juesuan / tesseract (median of pairs)  %.2f" % statistics.median(ratios))


if __name__ == "__main__":
    main()
