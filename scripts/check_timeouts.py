#!/usr/bin/env python3
"""Shows that `juesuan batch --timeout T` gives up within a short margin of its limit.

A benchmark, not a unit test: it times whole processes, which a busy machine slows. Inputs:
  - a 30-page scan made here from testdata/scan_tables.pdf (its two pages repeated, by qpdf);
  - testdata/hard/image-declared-200000x200000.pdf (701 bytes whose image takes 77 s to decode);
  - testdata/hard/scan-image-matrix-x99999.pdf (an image scaled x99999: 2 GB in-process).
For each it runs `batch INPUT -o OUT --timeout T --jobs 2` and times the process. The time to
give up is that wall time less the start-up of the same batch on a file that fails at once
(not_a_pdf.pdf: loading the OCR models and the dictionary). Exits 1 when the scans are not
reported as timed out, or one gives up later than T + MARGIN seconds.

  python3 scripts/check_timeouts.py [--bin build/juesuan] [--timeout 5] [--margin 2]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "juesuan"))
    ap.add_argument("--timeout", type=int, default=5)
    ap.add_argument("--margin", type=float, default=2.0)
    args = ap.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        scan30 = os.path.join(tmp, "scan-30-pages.pdf")
        src = os.path.join(ROOT, "testdata", "scan_tables.pdf")
        subprocess.run(["qpdf", "--empty", "--pages"] + [src] * 15 + ["--", scan30], check=True)
        inputs = [
            scan30,
            os.path.join(ROOT, "testdata", "hard", "image-declared-200000x200000.pdf"),
            os.path.join(ROOT, "testdata", "hard", "scan-image-matrix-x99999.pdf"),
        ]
        def run(path):
            out = os.path.join(tmp, "out-" + os.path.basename(path))
            t0 = time.monotonic()
            proc = subprocess.run(
                [args.bin, "batch", path, "-o", out, "--timeout", str(args.timeout),
                 "--jobs", "2", "--quiet"], capture_output=True, text=True)
            return proc, out, time.monotonic() - t0

        startup = min(run(os.path.join(ROOT, "testdata", "not_a_pdf.pdf"))[2] for _ in range(3))
        print(f"start-up (models, dictionary): {startup:.2f} s")
        print(f"{'input':40} {'outcome':10} {'gave up after (s)':>18} {'process wall (s)':>17}")
        for path in inputs:
            proc, out, wall = run(path)
            errors = []
            err_file = os.path.join(out, "_errors.jsonl")
            if os.path.exists(err_file):
                errors = [json.loads(l) for l in open(err_file, encoding="utf-8") if l.strip()]
            stage = errors[0].get("stage") if errors else ("done" if proc.returncode == 0 else "?")
            seconds = wall - startup
            shown = f"{seconds:.2f}"
            print(f"{os.path.basename(path):40} {stage:10} {shown:>18} {wall:17.2f}")
            if stage != "timeout" and os.path.basename(path) != "scan-image-matrix-x99999.pdf":
                failed = True
            limit = args.timeout + args.margin
            if stage == "timeout" and seconds > limit:
                failed = True
    print("FAIL" if failed else "OK", f"(limit {args.timeout} s, margin {args.margin} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
