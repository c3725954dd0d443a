#!/usr/bin/env python3
"""Benchmark for `juesuan batch` (issue 4): throughput, memory, time per page by stage.

  python3 scripts/bench_batch.py [--repeat 1] [--json bench_batch.json]
                                 [--bin build/juesuan] [--corpus ../shared/corpus]
                                 [--skip-throughput] [--skip-memory]

1. Throughput: the scanned corpus documents (CORPUS/*/scan.pdf, copied to <id>.pdf so the outputs
   do not collide) through `juesuan batch --jobs 1` and `--jobs 2`, alternating 1 2 1 2 ...,
   --force and a fresh OUTDIR each run. pages/s is taken from OUTDIR/_summary.json (the batch's own
   clock) and from the wall clock around the process (adds start-up and model loading); the median
   over the repeats is reported, and the ratio jobs2 / jobs1 (issue target >= 1.7x on 2 cores).
2. Memory: peak RSS (os.wait4 rusage of the child, ru_maxrss) of `juesuan batch --jobs 2` over 20
   vs 200 documents. The documents are copies d000.pdf ... of small test PDFs: every 10th is
   testdata/scan_upside_down.pdf (one scanned page with a table), the rest alternate
   testdata/blank.pdf and testdata/no_table.pdf, so both sets have the same mix of work per
   document. The peak must not grow with the batch size (ratio 200/20 close to 1).
3. Time per page by stage: pages[].stage_seconds of the last jobs-2 corpus run, mean seconds per
   page and share of the stage total, separately for pages with tables and pages without.

Prints a markdown report and, with --json FILE, writes the same numbers as JSON.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, ".."))
STAGES = ["rasterise", "prepare", "find grids", "ocr"]


def run_batch(binary, inputs, out_dir, jobs, start_retries=5):
    """Runs `juesuan batch`; returns (wall seconds, peak RSS MiB of the child, summary dict)."""
    cmd = [binary, "batch", *inputs, "-o", out_dir, "--jobs", str(jobs), "--force", "--quiet"]
    load_before = os.getloadavg()[0]
    for attempt in range(start_retries + 1):
        t0 = time.perf_counter()
        try:
            p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except OSError:
            # The binary may be being relinked by someone else; wait and retry.
            if attempt == start_retries:
                raise
            time.sleep(5)
            continue
        # Read stderr in full (it is small with --quiet) before reaping the child ourselves, so the
        # rusage is this child's alone.
        err = p.stderr.read()
        p.stderr.close()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        rc = os.waitstatus_to_exitcode(status)
        p.returncode = rc
        # A binary caught half-written dies at start (killed by a signal, or 126/127): retry.
        if (rc < 0 or rc in (126, 127)) and attempt < start_retries and not os.path.exists(
                os.path.join(out_dir, "_summary.json")):
            time.sleep(5)
            continue
        break
    if rc != 0:
        sys.exit("batch failed (exit %d): %s\n%s" % (rc, " ".join(cmd), err.decode(errors="replace")[-2000:]))
    with open(os.path.join(out_dir, "_summary.json")) as f:
        summary = json.load(f)
    if summary.get("failed", 0) or summary.get("done") != len(inputs):
        sys.exit("batch did not finish every input: %s" % json.dumps(summary))
    # Other work on the machine skews the numbers: keep the 1-minute load average next to them.
    summary["_load"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    # ru_maxrss is in KiB on Linux.
    return wall, ru.ru_maxrss / 1024.0, summary


def fresh_dir(base, name):
    d = os.path.join(base, name)
    shutil.rmtree(d, ignore_errors=True)
    return d


def throughput(a, tmp):
    in_dir = os.path.join(tmp, "corpus_in")
    os.makedirs(in_dir)
    docs = sorted(d for d in os.listdir(a.corpus) if os.path.isfile(os.path.join(a.corpus, d, "scan.pdf")))
    if not docs:
        sys.exit("no CORPUS/*/scan.pdf under %s" % a.corpus)
    inputs = []
    for d in docs:
        dst = os.path.join(in_dir, d + ".pdf")
        shutil.copyfile(os.path.join(a.corpus, d, "scan.pdf"), dst)
        inputs.append(dst)
    runs = {1: [], 2: []}
    last_out2 = None
    for r in range(a.repeat):
        for jobs in (1, 2):
            out = fresh_dir(tmp, "tp_j%d" % jobs)
            wall, rss, s = run_batch(a.bin, inputs, out, jobs)
            runs[jobs].append({"pages": s["pages"], "seconds": s["seconds"],
                               "pages_per_second": s["pages_per_second"],
                               "wall_seconds": wall, "wall_pages_per_second": s["pages"] / wall,
                               "peak_rss_mib": rss, "loadavg_before_after": s["_load"]})
            print("  throughput run %d/%d --jobs %d: %d pages, %.1f s, %.3f pages/s (wall %.1f s), peak RSS %.0f MiB, load %s"
                  % (r + 1, a.repeat, jobs, s["pages"], s["seconds"], s["pages_per_second"], wall, rss, s["_load"]),
                  file=sys.stderr, flush=True)
            if jobs == 2:
                last_out2 = os.path.join(tmp, "tp_j2_keep")
                shutil.rmtree(last_out2, ignore_errors=True)
                shutil.move(out, last_out2)
    res = {"documents": len(inputs), "pages": runs[1][0]["pages"], "repeat": a.repeat, "runs": runs}
    for jobs in (1, 2):
        res["jobs%d" % jobs] = {
            "pages_per_second": statistics.median(x["pages_per_second"] for x in runs[jobs]),
            "wall_pages_per_second": statistics.median(x["wall_pages_per_second"] for x in runs[jobs]),
            "seconds": statistics.median(x["seconds"] for x in runs[jobs]),
            "peak_rss_mib": max(x["peak_rss_mib"] for x in runs[jobs]),
        }
    res["ratio_jobs2_jobs1"] = res["jobs2"]["pages_per_second"] / res["jobs1"]["pages_per_second"]
    res["ratio_jobs2_jobs1_wall"] = res["jobs2"]["wall_pages_per_second"] / res["jobs1"]["wall_pages_per_second"]
    res["ratio_per_repeat"] = [y["pages_per_second"] / x["pages_per_second"] for x, y in zip(runs[1], runs[2])]
    res["target_ratio"] = 1.7
    res["meets_target"] = res["ratio_jobs2_jobs1"] >= 1.7
    return res, last_out2


def stage_times(out_dir):
    groups = {"with tables": [], "without tables": [], "all": []}
    for dirpath, _, files in os.walk(out_dir):
        for f in files:
            if not f.endswith(".pdf.json"):
                continue
            with open(os.path.join(dirpath, f)) as fh:
                doc = json.load(fh)
            for p in doc.get("pages", []):
                key = "with tables" if p.get("tables", 0) else "without tables"
                groups[key].append(p)
                groups["all"].append(p)
    res = {}
    for key, pages in groups.items():
        n = len(pages)
        sums = {s: sum(p.get("stage_seconds", {}).get(s, 0.0) for p in pages) for s in STAGES}
        extra = sorted({s for p in pages for s in p.get("stage_seconds", {})} - set(STAGES))
        for s in extra:
            sums[s] = sum(p.get("stage_seconds", {}).get(s, 0.0) for p in pages)
        total = sum(sums.values())
        res[key] = {
            "pages": n,
            "page_seconds_mean": (sum(p.get("seconds", 0.0) for p in pages) / n) if n else 0.0,
            "stage_total_mean": total / n if n else 0.0,
            "stages": {s: {"mean_seconds": v / n if n else 0.0, "share": v / total if total else 0.0}
                       for s, v in sums.items()},
        }
    return res


def memory(a, tmp):
    kinds = [os.path.join(root, "testdata", f) for f in ("scan_upside_down.pdf", "blank.pdf", "no_table.pdf")]
    for k in kinds:
        if not os.path.isfile(k):
            sys.exit("missing %s" % k)

    def make_set(n):
        d = os.path.join(tmp, "mem_in_%d" % n)
        os.makedirs(d)
        inputs = []
        for i in range(n):
            src = kinds[0] if i % 10 == 0 else kinds[1 + (i % 10) % 2]
            dst = os.path.join(d, "d%03d.pdf" % i)
            shutil.copyfile(src, dst)
            inputs.append(dst)
        return inputs

    sets = {n: make_set(n) for n in (20, 200)}
    runs = {20: [], 200: []}
    for r in range(a.repeat):
        for n in (20, 200):
            out = fresh_dir(tmp, "mem_out_%d" % n)
            wall, rss, s = run_batch(a.bin, sets[n], out, 2)
            runs[n].append({"documents": n, "pages": s["pages"], "seconds": s["seconds"],
                            "pages_per_second": s["pages_per_second"], "wall_seconds": wall,
                            "peak_rss_mib": rss, "loadavg_before_after": s["_load"]})
            print("  memory run %d/%d %d docs: %d pages, %.1f s, %.3f pages/s, peak RSS %.1f MiB, load %s"
                  % (r + 1, a.repeat, n, s["pages"], s["seconds"], s["pages_per_second"], rss, s["_load"]),
                  file=sys.stderr, flush=True)
            shutil.rmtree(out, ignore_errors=True)
    res = {"jobs": 2, "mix": "every 10th scan_upside_down.pdf (1 scanned page), rest alternate blank.pdf / no_table.pdf",
           "repeat": a.repeat, "runs": {str(k): v for k, v in runs.items()}}
    for n in (20, 200):
        res["docs%d" % n] = {
            "documents": n,
            "scanned": sum(1 for i in range(n) if i % 10 == 0),
            "pages": runs[n][0]["pages"],
            "peak_rss_mib": max(x["peak_rss_mib"] for x in runs[n]),
            "pages_per_second": statistics.median(x["pages_per_second"] for x in runs[n]),
            "seconds": statistics.median(x["seconds"] for x in runs[n]),
        }
    res["rss_ratio_200_20"] = res["docs200"]["peak_rss_mib"] / res["docs20"]["peak_rss_mib"]
    return res


def report(res):
    L = []
    L.append("## juesuan batch benchmark (%s, %d cores, %s)" % (res["version"], res["cores"], res["date"]))
    tp = res.get("throughput")
    if tp:
        L.append("")
        L.append("### Throughput: %d scanned corpus documents, %d pages, median of %d run(s)"
                 % (tp["documents"], tp["pages"], tp["repeat"]))
        L.append("")
        L.append("| jobs | pages/s (batch clock) | pages/s (wall) | seconds | peak RSS MiB | load avg (1 min) |")
        L.append("|---:|---:|---:|---:|---:|---|")
        for j in (1, 2):
            x = tp["jobs%d" % j]
            loads = " ".join("%.1f→%.1f" % tuple(r["loadavg_before_after"]) for r in tp["runs"][j])
            L.append("| %d | %.3f | %.3f | %.1f | %.0f | %s |" % (j, x["pages_per_second"], x["wall_pages_per_second"],
                                                                x["seconds"], x["peak_rss_mib"], loads))
        L.append("| **jobs2/jobs1** | **%.2f×** | %.2f× | | | |" % (tp["ratio_jobs2_jobs1"], tp["ratio_jobs2_jobs1_wall"]))
        L.append("")
        L.append("Target ≥ 1.7×: %s (per repeat: %s)" % ("met" if tp["meets_target"] else "NOT met",
                                                         ", ".join("%.2f" % r for r in tp["ratio_per_repeat"])))
    mem = res.get("memory")
    if mem:
        L.append("")
        L.append("### Memory: peak RSS, --jobs 2, 1 in 10 documents scanned (%d run(s), max)" % mem["repeat"])
        L.append("")
        L.append("| documents | scanned | pages | peak RSS MiB | pages/s | seconds | load avg (1 min) |")
        L.append("|---:|---:|---:|---:|---:|---:|---|")
        for n in (20, 200):
            x = mem["docs%d" % n]
            loads = " ".join("%.1f→%.1f" % tuple(r["loadavg_before_after"]) for r in mem["runs"][str(n)])
            L.append("| %d | %d | %d | %.1f | %.3f | %.1f | %s |" % (n, x["scanned"], x["pages"], x["peak_rss_mib"],
                                                                   x["pages_per_second"], x["seconds"], loads))
        L.append("| **200/20** | | | **%.2f×** | | | |" % mem["rss_ratio_200_20"])
    st = res.get("stages")
    if st:
        L.append("")
        L.append("### Time per page by stage (jobs-2 corpus run; mean seconds per page, share of stage total)")
        L.append("")
        stages = list(st["all"]["stages"].keys())
        cols = ["with tables", "without tables", "all"]
        L.append("| stage | " + " | ".join("%s (%d pages)" % (c, st[c]["pages"]) for c in cols) + " |")
        L.append("|---|" + "---:|" * len(cols))
        for s in stages:
            cells = []
            for c in cols:
                v = st[c]["stages"].get(s, {"mean_seconds": 0.0, "share": 0.0})
                cells.append("%.3f s (%.0f%%)" % (v["mean_seconds"], 100 * v["share"]))
            L.append("| %s | %s |" % (s, " | ".join(cells)))
        L.append("| **sum of stages** | " + " | ".join("%.3f s" % st[c]["stage_total_mean"] for c in cols) + " |")
        L.append("| page seconds | " + " | ".join("%.3f s" % st[c]["page_seconds_mean"] for c in cols) + " |")
        L.append("")
        L.append("Stage seconds are wall-clock time on the worker thread that ran the page; with --jobs 2 two pages run at once, so they include contention between the two.")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(root, "build", "juesuan"))
    ap.add_argument("--corpus", default=os.path.normpath(os.path.join(root, "..", "shared", "corpus")))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json", help="also write the results as JSON to this file")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--skip-throughput", action="store_true")
    a = ap.parse_args()
    a.bin = os.path.abspath(a.bin)
    a.corpus = os.path.abspath(a.corpus)
    if a.repeat < 1:
        ap.error("--repeat must be >= 1")
    try:
        version = subprocess.run([a.bin, "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        version = "?"
    res = {"version": version, "binary": a.bin, "cores": os.cpu_count(), "machine": platform.machine(),
           "date": time.strftime("%Y-%m-%d %H:%M:%S"), "repeat": a.repeat}
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as tmp:
        if not a.skip_throughput:
            res["throughput"], out2 = throughput(a, tmp)
            res["stages"] = stage_times(out2)
        if not a.skip_memory:
            res["memory"] = memory(a, tmp)
    text = report(res)
    print(text)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
