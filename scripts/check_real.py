#!/usr/bin/env python3
"""Checks juesuan's text-layer path on real born-digital disclosures, against independent readings.

  python3 scripts/check_real.py [FOLDER] [--bin build/juesuan] [--list N]

For every PDF in FOLDER (default ../shared/real) it runs `juesuan extract` and then, without
juesuan:
  - reads every word of the text layer with `pdftotext -bbox-layout` (poppler-utils);
  - finds the pages with ruled tables by rendering each page with `pdftoppm -gray` at 72 dpi and
    looking for long dark horizontal and vertical runs (>= 3 of each);
and reports per document:
  pages, pages by path (text-layer/ocr), ruled pages vs table pages found (and those missed),
  tables found; words inside grids (centre inside a grid's outline on that page), how many land
  in exactly one cell (the cell holding the word's centre contains the word's characters), how
  many were split across neighbouring cells at a rule (every character in one of the cells the
  word overlaps), and the unmatched ones (listed below the table); the JSON's checks_summary;
  and an independent identity check on coded records: a 类 (3-digit code) equals the sum of its
  款 (5-digit) children, and a 款 the sum of its 项 (7-digit) children, per numeric column,
  within 0.01 x number of children (blank = 0; columns with a non-numeric value are skipped).
Always exits 0: this is a report, not a gate.

Coordinates: JSON cell bboxes are [x, y, w, h] in pixels at pages[].dpi; pdftotext boxes are in
points, so they are scaled by dpi/72.
Needs: python3 (stdlib only), poppler-utils.
"""
import argparse
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")

PAGE_RE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
WORD_RE = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>')


def squeeze(s):
    return re.sub(r"\s+", "", s or "")


def read_words(pdf):
    """Per page (1-based): list of (text, x0, y0, x1, y1) in points."""
    out = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True, check=True).stdout
    text = out.decode("utf-8", "replace")
    pages = {}
    for i, chunk in enumerate(text.split("<page ")[1:], 1):
        words = []
        for m in WORD_RE.finditer(chunk):
            w = html.unescape(m.group(5))
            words.append((w, float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4))))
        pages[i] = words
    return pages


def read_pgm(path):
    with open(path, "rb") as fh:
        data = fh.read()
    # P5 header: magic, width, height, maxval, separated by whitespace.
    fields, pos = [], 0
    while len(fields) < 4:
        m = re.compile(rb"\s*(#[^\n]*\n\s*)*(\S+)").match(data, pos)
        fields.append(m.group(2))
        pos = m.end()
    w, h = int(fields[1]), int(fields[2])
    pixels = data[pos + 1:pos + 1 + w * h]
    return w, h, pixels


def longest_runs(dark, n_lines, n_along, index):
    """For each of n_lines lines, the longest run of dark pixels along it."""
    best = []
    for i in range(n_lines):
        run = longest = 0
        for j in range(n_along):
            if dark[index(i, j)]:
                run += 1
                longest = max(longest, run)
            else:
                run = 0
        best.append(longest)
    return best


def count_rules(lengths, min_len):
    """Number of separate rules: neighbouring lines with a long run count once."""
    n, prev = 0, False
    for v in lengths:
        cur = v >= min_len
        n += cur and not prev
        prev = cur
    return n


def ruled_pages(pdf, n_pages):
    """Pages with a ruled table: >= 3 horizontal rules (>= 25 % of the page width) and >= 3
    vertical rules (>= 4 % of the page height), on a 72-dpi grayscale rendering."""
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-r", "72", pdf, os.path.join(tmp, "p")], check=True,
                       capture_output=True)
        files = sorted(f for f in os.listdir(tmp) if f.endswith(".pgm"))
        for f in files:
            page = int(re.search(r"-(\d+)\.pgm$", f).group(1))
            w, h, px = read_pgm(os.path.join(tmp, f))
            dark = bytes(1 if p < 160 else 0 for p in px)
            rows = longest_runs(dark, h, w, lambda i, j: i * w + j)
            cols = longest_runs(dark, w, h, lambda i, j: j * w + i)
            if count_rules(rows, 0.25 * w) >= 3 and count_rules(cols, 0.04 * h) >= 3:
                found.append(page)
    return found


def inside(px, py, box, pad=0.0):
    x, y, w, h = box
    return x - pad <= px < x + w + pad and y - pad <= py < y + h + pad


def overlap(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return max(0, min(ax + aw, bx + bw) - max(ax, bx)) * max(0, min(ay + ah, by + bh) - max(ay, by))


def check_words(doc, words):
    """Words inside grids and where they land. Returns (inside, one_cell, split, unmatched list)."""
    dpi = {p["page"]: p["dpi"] for p in doc["pages"]}
    path = {p["page"]: p["path"] for p in doc["pages"]}
    # Grid outlines and cells per page, from the cells (a table may span pages).
    cells_by_page, outlines = {}, {}
    for ti, t in enumerate(doc["tables"]):
        per_page = {}
        for c in t["cells"]:
            per_page.setdefault(c["page"], []).append(c)
        for page, cells in per_page.items():
            x0 = min(c["bbox"][0] for c in cells)
            y0 = min(c["bbox"][1] for c in cells)
            x1 = max(c["bbox"][0] + c["bbox"][2] for c in cells)
            y1 = max(c["bbox"][1] + c["bbox"][3] for c in cells)
            outlines.setdefault(page, []).append((ti, (x0, y0, x1 - x0, y1 - y0)))
            cells_by_page.setdefault(page, []).extend((ti, c) for c in cells)
    n_inside = n_one = n_split = 0
    unmatched = []
    for page, page_words in words.items():
        if page not in outlines or path.get(page) != "text-layer":
            continue
        s = dpi[page] / 72.0
        for text, x0, y0, x1, y1 in page_words:
            wt = squeeze(text)
            if not wt:
                continue
            box = (x0 * s, y0 * s, (x1 - x0) * s, (y1 - y0) * s)
            cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
            # The outline is between the outer rules; allow the rule's own width around it.
            if not any(inside(cx, cy, o, pad=2) for _, o in outlines[page]):
                continue
            n_inside += 1
            holders = [c for _, c in cells_by_page[page] if inside(cx, cy, c["bbox"], pad=1)]
            texts = [squeeze(c["raw"]) + "\x00" + squeeze(c["text"]) for c in holders]
            if len(holders) == 1 and wt in texts[0]:
                n_one += 1
                continue
            touched = [c for _, c in cells_by_page[page] if overlap(box, c["bbox"]) > 0]
            if len(touched) >= 2 and all(any(ch in squeeze(c["raw"]) for c in touched) for ch in wt):
                n_split += 1
                continue
            where = "; ".join("r%d c%d %r" % (c["r"], c["c"], c["text"]) for c in holders) or "no cell"
            unmatched.append("p%d %r at (%.0f,%.0f) -> %s" % (page, text, cx, cy, where))
    return n_inside, n_one, n_split, unmatched


def number(v):
    if v is None:
        return 0.0
    if isinstance(v, (int, float)):
        return float(v)
    raise ValueError(v)


def values_by_column(record):
    """A record's values by column: schema 2.0 lists them ({column, value}); 1.x keyed them."""
    values = record["values"]
    if isinstance(values, dict):
        return values
    return {v["column"]: v.get("value") for v in values}


def check_identities(doc):
    """Parent = sum of children for coded records, per table and numeric column.
    Returns (lei_pass, lei_fail, kuan_pass, kuan_fail, failures)."""
    res = {3: [0, 0], 5: [0, 0]}
    failures = []
    for t in doc["tables"]:
        by_code = {}
        for r in t["records"]:
            if r.get("code"):  # label and line records (schema 2.0) have no code
                by_code.setdefault(r["code"], r)  # a repeated code (other code block) keeps the first
        for code, parent in by_code.items():
            if len(code) not in res:
                children = []
            else:
                children = [r for c, r in by_code.items() if len(c) == len(code) + 2 and c.startswith(code)]
            if not children:
                continue
            for col, pv in values_by_column(parent).items():
                try:
                    total = sum(number(values_by_column(ch).get(col)) for ch in children)
                    p = number(pv)
                except ValueError:
                    continue
                if pv is None and all(values_by_column(ch).get(col) is None for ch in children):
                    continue
                ok = abs(p - total) <= 0.01 * len(children) + 1e-9
                res[len(code)][0 if ok else 1] += 1
                if not ok:
                    failures.append("table %s p%s %s %s: %s != sum of %d children %.2f" % (
                        t.get("number"), t["pages"], code, col, pv, len(children), total))
    return res[3][0], res[3][1], res[5][0], res[5][1], failures


def fmt_pages(pages):
    return ",".join(str(p) for p in pages) if pages else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", default=os.path.join(ROOT, "..", "shared", "real"))
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "juesuan"))
    ap.add_argument("--list", type=int, default=20, help="unmatched words / failures listed per document")
    args = ap.parse_args()
    pdfs = sorted(f for f in os.listdir(args.folder) if f.lower().endswith(".pdf"))
    rows, details = [], []
    for f in pdfs:
        pdf = os.path.join(args.folder, f)
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.json")
            t0 = time.time()
            r = subprocess.run([args.bin, "extract", pdf, "-o", out], capture_output=True, text=True)
            secs = time.time() - t0
            if r.returncode != 0:
                rows.append([f, "exit %d" % r.returncode] + [""] * 10)
                details.append((f, ["juesuan failed: " + r.stderr.strip()]))
                continue
            with open(out, encoding="utf-8") as fh:
                doc = json.load(fh)
        words = read_words(pdf)
        n_pages = doc["source"]["pages"]
        ruled = ruled_pages(pdf, n_pages)
        found = sorted({p for t in doc["tables"] for p in t["pages"]})
        missed = [p for p in ruled if p not in found]
        extra = [p for p in found if p not in ruled]
        paths = {}
        for p in doc["pages"]:
            paths[p["path"]] = paths.get(p["path"], 0) + 1
        n_in, n_one, n_split, unmatched = check_words(doc, words)
        lp, lf, kp, kf, failures = check_identities(doc)
        cs = doc.get("checks_summary") or {}
        rows.append([
            f, str(n_pages), "/".join("%s %d" % (k, v) for k, v in sorted(paths.items())),
            "%d: %s" % (len(ruled), fmt_pages(ruled)), "%d: %s" % (len(found), fmt_pages(found)),
            fmt_pages(missed) + ("" if not extra else " (+%s)" % fmt_pages(extra)), str(len(doc["tables"])),
            str(n_in), str(n_one), str(n_split), str(len(unmatched)),
            "%s/%s/%s" % (cs.get("pass"), cs.get("fail"), cs.get("warning")),
            "%d/%d" % (lp, lf), "%d/%d" % (kp, kf), "%.1f" % secs,
        ])
        extra_lines = []
        if unmatched:
            extra_lines.append("unmatched words (%d):" % len(unmatched))
            extra_lines += ["  " + u for u in unmatched[:args.list]]
        if failures:
            extra_lines.append("identity failures (%d):" % len(failures))
            extra_lines += ["  " + x for x in failures[:args.list]]
        fails = [c for c in doc.get("checks", []) if c.get("status") == "fail"]
        if fails:
            extra_lines.append("juesuan checks failed (%d):" % len(fails))
            extra_lines += ["  " + json.dumps(c, ensure_ascii=False)[:300] for c in fails[:args.list]]
        if doc.get("warnings"):
            extra_lines.append("warnings: " + "; ".join(doc["warnings"])[:600])
        details.append((f, extra_lines))

    head = ["file", "pages", "paths", "ruled pages", "table pages found", "missed", "tables",
            "words in grids", "1 cell", "split", "unmatched", "checks p/f/w", "类=Σ款 p/f", "款=Σ项 p/f", "s"]
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    print("  ".join(h.ljust(w) for h, w in zip(head, widths)))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    for f, lines in details:
        if lines:
            print("\n" + f)
            for line in lines:
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
