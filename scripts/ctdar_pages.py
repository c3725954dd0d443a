#!/usr/bin/env python3
"""Synthetic table pages with their truth, for scripts/ctdar_score.py (stdlib, pdftoppm).

Writes DIR/<name>.pdf, DIR/<name>.png (the page rendered and degraded: the "scan" juesuan reads)
and DIR/<name>.truth.json: every table's box and every cell (r, c, rs, cs, text, content box) in
pixels of the PNG. Tables are ruled three ways: every row (fully ruled, with a merged header),
frame + header + columns only (implicit rows), and a rule every third row (sections). Pages are
skewed in the PDF itself (a rotation of the content), rendered at 150 or 200 dpi, and given
salt-and-pepper noise. Text is Helvetica (digits and codes); a cell's truth content box is the
ink of the clean render inside the text's metric box (4 px of slack), before the noise.
  python3 scripts/ctdar_pages.py OUT_DIR
"""
import json
import math
import os
import random
import struct
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_testdata import write_pdf  # noqa: E402

# Helvetica advance widths (per 1000 em) of the characters used; digits' ink is 0.71 em high.
WIDTH = {c: 556 for c in "0123456789"}
WIDTH.update({".": 278, ",": 278, "-": 333})
DIGIT_HEIGHT = 0.71
PAGE_W, PAGE_H = 595, 842


def text_width(text, size):
    return sum(WIDTH.get(ch, 556) for ch in text) * size / 1000.0


def table_cells(kind, rows, cols, rng):
    """Truth cells of one table: a header row with a cell merged over two columns, then body rows
    of a code and amounts (some blank)."""
    cells = [{"r": 0, "c": 0, "rs": 1, "cs": 1, "text": "100"},
             {"r": 0, "c": 1, "rs": 1, "cs": 2, "text": "200"}]
    for c in range(3, cols):
        cells.append({"r": 0, "c": c, "rs": 1, "cs": 1, "text": "%d00" % (c + 1)})
    for r in range(1, rows):
        cells.append({"r": r, "c": 0, "rs": 1, "cs": 1, "text": "%d" % (2010300 + r)})
        for c in range(1, cols):
            blank = rng.random() < 0.15
            amount = "%d.%02d" % (rng.randint(0, 99999), rng.randint(0, 99))
            cells.append({"r": r, "c": c, "rs": 1, "cs": 1, "text": "" if blank else amount})
    return cells


def table_page(kind, rng, top=760, rows=10, cols=4, x0=60, width=470, pitch=22, size=10):
    """Content stream ops and truth of one table in PDF points (y up)."""
    xs = [x0 + round(width * k / cols) for k in range(cols + 1)]
    ys = [top - pitch * k for k in range(rows + 1)]
    cells = table_cells(kind, rows, cols, rng)
    ops = [b"0.8 w"]
    for k, x in enumerate(xs):  # column rules, the merged header cell's inner rule left out
        ops.append(b"%d %d m %d %d l S" % (x, ys[1] if k == 2 else ys[0], x, ys[-1]))
    for k, y in enumerate(ys):
        ruled = (kind == "ruled" or k in (0, 1, rows) or (kind == "sections" and k % 3 == 1))
        if ruled:
            ops.append(b"%d %d m %d %d l S" % (xs[0], y, xs[-1], y))
    for cell in cells:
        if not cell["text"]:
            cell["box_pt"] = None
            continue
        left, right = xs[cell["c"]], xs[cell["c"] + cell["cs"]]
        w = text_width(cell["text"], size)
        tx = right - 6 - w if cell["c"] > 0 and cell["r"] > 0 else (left + right - w) / 2
        ty = ys[cell["r"]] - pitch / 2 - DIGIT_HEIGHT * size / 2
        ops.append(b"BT /F1 %d Tf %.2f %.2f Td (%s) Tj ET" % (size, tx, ty, cell["text"].encode()))
        cell["box_pt"] = (tx, ty, tx + w, ty + DIGIT_HEIGHT * size)
    return ops, {"box_pt": (xs[0], ys[-1], xs[-1], ys[0]), "cells": cells}


def to_pixels(box_pt, skew_deg, dpi):
    """A box in points of the unrotated page -> the box in pixels of the rendered page after the
    content was rotated by skew_deg about the page centre."""
    a = math.radians(skew_deg)
    cx, cy = PAGE_W / 2, PAGE_H / 2
    xs, ys = [], []
    for x in (box_pt[0], box_pt[2]):
        for y in (box_pt[1], box_pt[3]):
            rx = cx + (x - cx) * math.cos(a) - (y - cy) * math.sin(a)
            ry = cy + (x - cx) * math.sin(a) + (y - cy) * math.cos(a)
            xs.append(rx * dpi / 72)
            ys.append((PAGE_H - ry) * dpi / 72)
    x0, y0 = math.floor(min(xs)), math.floor(min(ys))
    return [x0, y0, math.ceil(max(xs)) - x0, math.ceil(max(ys)) - y0]


def ink_box(gray, width, box, slack=4):
    """The box of the ink (grey below 128) of the clean render within `box` (the text's metric
    box in pixels) widened by `slack`: the truth is the ink, as juesuan's content boxes are."""
    x0, y0, x1, y1 = box[0] - slack, box[1] - slack, box[0] + box[2] + slack, box[1] + box[3] + slack
    xs, ys = [], []
    for y in range(y0, y1):
        row = gray[y * width + x0:y * width + x1]
        inked = [x0 + i for i, v in enumerate(row) if v < 128]
        if inked:
            xs += (inked[0], inked[-1])
            ys.append(y)
    if not xs:
        return box
    return [min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1]


def write_png(path, width, height, gray):
    raw = b"".join(b"\0" + bytes(gray[y * width:(y + 1) * width]) for y in range(height))
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    with open(path, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                 + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def render(pdf, dpi, noise, rng):
    """The page as pdftoppm renders it in grey, with `noise` of its pixels flipped."""
    pgm = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-singlefile", pdf],
                         check=True, capture_output=True).stdout
    header_end, fields = 0, []
    while len(fields) < 4:  # P5 width height maxval, separated by whitespace
        while pgm[header_end:header_end + 1].isspace():
            header_end += 1
        start = header_end
        while not pgm[header_end:header_end + 1].isspace():
            header_end += 1
        fields.append(pgm[start:header_end])
    width, height = int(fields[1]), int(fields[2])
    gray = bytearray(pgm[header_end + 1:])
    for _ in range(int(noise * width * height)):
        i = rng.randrange(width * height)
        gray[i] = 0 if gray[i] > 128 else 255
    return width, height, gray


def make_page(out, name, kinds, skew_deg, dpi, noise, seed):
    rng = random.Random(seed)
    ops, tables = [], []
    top = 780
    for kind in kinds:
        rows = rng.randint(6, 12)
        table_ops, truth = table_page(kind, rng, top=top, rows=rows)
        ops += table_ops
        tables.append((kind, truth))
        top -= rows * 22 + 60
    a = math.radians(skew_deg)
    cx, cy = PAGE_W / 2, PAGE_H / 2
    c, s = math.cos(a), math.sin(a)
    rotate = b"q %.6f %.6f %.6f %.6f %.4f %.4f cm\n" % (c, s, -s, c, cx - c * cx + s * cy, cy - s * cx - c * cy)
    stream = rotate + b"\n".join(ops) + b"\nQ"
    page = (b"<< /Type /Page /MediaBox [0 0 595 842] /Contents CONTENTS "
            b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>")
    pdf = os.path.join(out, name + ".pdf")
    write_pdf(pdf, [(page, stream)])
    width, height, gray = render(pdf, dpi, 0.0, rng)
    truth = {"page": 1, "size": [width, height], "dpi": dpi, "skew_deg": skew_deg, "tables": []}
    for kind, t in tables:
        cells = [{k: v for k, v in cell.items() if k != "box_pt"} for cell in t["cells"]]
        for cell, src in zip(cells, t["cells"]):
            cell["content_bbox"] = (ink_box(gray, width, to_pixels(src["box_pt"], skew_deg, dpi))
                                    if src["box_pt"] else None)
        truth["tables"].append({"kind": kind, "bbox": to_pixels(t["box_pt"], skew_deg, dpi),
                                "cells": cells})
    for _ in range(int(noise * width * height)):
        i = rng.randrange(width * height)
        gray[i] = 0 if gray[i] > 128 else 255
    write_png(os.path.join(out, name + ".png"), width, height, gray)
    with open(os.path.join(out, name + ".truth.json"), "w") as fh:
        json.dump({"pages": [truth]}, fh, indent=1)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    variants = [("clean", 0.0, 200, 0.0), ("skew", 1.5, 200, 0.002), ("skew_neg", -2.0, 200, 0.002),
                ("low", 0.8, 150, 0.001)]
    layouts = [("ruled", ["ruled", "ruled"]), ("implicit", ["implicit", "implicit"]),
               ("sections", ["sections", "ruled"])]
    seed = 0
    for vname, skew, dpi, noise in variants:
        for lname, kinds in layouts:
            seed += 1
            make_page(out, "%s_%s" % (lname, vname), kinds, skew, dpi, noise, seed)


if __name__ == "__main__":
    main()
