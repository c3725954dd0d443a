#!/usr/bin/env python3
"""Regenerates the small PDFs in testdata/ (stdlib + qpdf only).

Table pages are cut from the project's rendered corpus (scans of synthetic renders of public
disclosures, not the government's own files); the broken inputs are written here by hand.
  python3 scripts/make_testdata.py ../shared/corpus
"""
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "testdata")
corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "shared", "corpus")


def write_pdf(path, page_objs):
    """Writes a minimal valid PDF with correct xref offsets. page_objs: list of page dicts
    (without /Parent), content streams given as (dict, bytes) tuples follow each page."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None]
    kids = []
    for page, stream in page_objs:
        kids.append(len(objs) + 1)
        if stream is not None:
            objs.append(page.replace(b"CONTENTS", b"%d 0 R" % (len(objs) + 2)))
            objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        else:
            objs.append(page)
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    data = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        if b"/Type /Page " in o or o.endswith(b"/Type /Page >>"):
            o = o.replace(b"<<", b"<< /Parent 2 0 R", 1)
        offsets.append(len(data))
        data += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        data += b"%010d 00000 n \n" % off
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    with open(path, "wb") as fh:
        fh.write(data)


def main():
    os.makedirs(out, exist_ok=True)
    scan = os.path.join(corpus, "000b", "scan.pdf")
    # Two table pages of a 200-dpi scan: 公开02表 (landscape, codes, wrapped name) and 公开09表
    # (four-level merged header).
    subprocess.run(["qpdf", "--empty", "--pages", scan, "4,12", "--", os.path.join(out, "scan_tables.pdf")], check=True)
    # The same 公开02表 page turned on its side with /Rotate, as a sideways-scanned page renders.
    subprocess.run(["qpdf", "--empty", "--pages", scan, "4", "--", "--rotate=+90:1",
                    os.path.join(out, "scan_sideways.pdf")], check=True)
    subprocess.run(["qpdf", "--empty", "--pages", scan, "12", "--", "--rotate=180:1",
                    os.path.join(out, "scan_upside_down.pdf")], check=True)
    # One page of a real office scan (收入预算总表 of a 2025 Shanghai budget, ../shared/real-budget)
    # on which juesuan flags cells and fails checks: the review page's test needs something to show.
    real_budget = os.path.join(corpus, "..", "real-budget", "b25-commerce-dept", "scan.pdf")
    subprocess.run(["qpdf", "--empty", "--pages", real_budget, "10", "--",
                    os.path.join(out, "review_scan_page.pdf")], check=True)
    subprocess.run(["qpdf", "--encrypt", "secret", "owner", "256", "--", os.path.join(out, "scan_tables.pdf"),
                    os.path.join(out, "encrypted.pdf")], check=True)
    with open(os.path.join(out, "scan_tables.pdf"), "rb") as fh:
        data = fh.read()
    with open(os.path.join(out, "truncated.pdf"), "wb") as fh:
        fh.write(data[: len(data) // 3])
    with open(os.path.join(out, "not_a_pdf.pdf"), "wb") as fh:
        fh.write("部门决算 — this is a text file with a .pdf name\n".encode())
    write_pdf(os.path.join(out, "zero_pages.pdf"), [])
    blank = b"<< /Type /Page /MediaBox [0 0 595 842] >>"
    write_pdf(os.path.join(out, "blank.pdf"), [(blank, None)])
    text_only = (b"<< /Type /Page /MediaBox [0 0 595 842] /Contents CONTENTS "
                 b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>")
    stream = b"BT /F1 14 Tf 72 760 Td (Narrative page: no table here.) Tj ET"
    write_pdf(os.path.join(out, "no_table.pdf"), [(text_only, stream)])
    write_pdf(os.path.join(out, "implicit_rows.pdf"), [(text_only, implicit_rows_stream())])


def implicit_rows_stream():
    """A table ruled only by its frame, the rule under its header and its column rules: a header
    row and eight body rows of a code and two amounts with no rule between them (implicit rows)."""
    xs, top, header, pitch, rows = [72, 222, 372, 522], 700, 672, 22, 8
    bottom = header - rows * pitch - 6
    ops = [b"1 w"]
    for x in xs:
        ops.append(b"%d %d m %d %d l S" % (x, top, x, bottom))
    for y in (top, header, bottom):
        ops.append(b"%d %d m %d %d l S" % (xs[0], y, xs[-1], y))
    lines = [(top - 19, ["101", "202", "303"])]
    for r in range(rows):
        lines.append((header - 16 - r * pitch,
                      ["%d" % (2010301 + r), "%d.25" % (100 + 17 * r), "%d.80" % (3000 + 211 * r)]))
    for y, texts in lines:
        for x, t in zip(xs, texts):
            ops.append(b"BT /F1 11 Tf %d %d Td (%s) Tj ET" % (x + 12, y, t.encode()))
    return b"\n".join(ops)


if __name__ == "__main__":
    main()
