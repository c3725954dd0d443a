#!/usr/bin/python3
"""Writes the two born-digital test PDFs in testdata/ (our own content, not a government file).

  testdata/digital_traits.pdf   two pages with the traits of real WPS/Excel exports:
      page 1 portrait A4, 公开05表 一般公共预算财政拨款支出决算表;
      page 2 landscape A4, 公开02表 收入决算表.
    Both have a ruled table (vector lines) with a two-level merged header (项目 over
    科目编码|科目名称; 本年支出 over 小计|基本支出|项目支出 on page 1; header cells spanning two
    rows on page 2), a 合计 row spanning the code and name columns, subject codes 201/20103/2010301,
    names wrapped over two lines inside one cell, blank-for-zero cells and amounts like 1,285.83,
    with 公开NN表, the title, 部门：某某中心, 2024年度 and 金额单位：万元 printed above the table and
    a 注： line below it. Text is real text (cairo embeds a subset of the font with /ToUnicode).
  testdata/digital_garbage.pdf  the same pages, but every font's /ToUnicode map is removed, so
    the text layer decodes to garbage: Poppler maps the CIDs of the Identity-H font to meaningless
    code points (or nothing). juesuan must OCR these pages instead.
  testdata/digital_turned_90_180.pdf, digital_turned_270_90.pdf   digital_traits.pdf with its
    pages' /Rotate set to 90 and 180, and to 270 and 90: born-digital pages that a viewer shows
    on their side or upside down. juesuan must read exactly the cells of digital_traits.pdf.

Developer-only (not run by CI or the tests; the PDFs are committed). Needs the Debian packages
python3-cairo, fonts-wqy-zenhei and qpdf (poppler-utils to check the result):
  sudo apt-get install python3-cairo fonts-wqy-zenhei qpdf poppler-utils
  /usr/bin/python3 scripts/make_digital_testdata.py
Use /usr/bin/python3: a pyenv python does not see Debian's python3-cairo module.
"""
import os
import re
import subprocess
import sys
import tempfile

import cairo

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "testdata")
FONT = "WenQuanYi Zen Hei"
SIZE = 9.0  # body text size in points
LINE = 0.6  # rule width in points

# Body rows: code, name (a "|" marks where the name wraps inside its cell), amounts ("" = blank
# for zero). Parents equal the sum of their children in every column.
EXPENSE_ROWS = [
    ("201", "一般公共服务支出", "1,285.83", "1,000.50", "285.33"),
    ("20103", "政府办公厅（室）及|相关机构事务", "1,285.83", "1,000.50", "285.33"),
    ("2010301", "行政运行", "1,000.50", "1,000.50", ""),
    ("2010399", "其他政府办公厅（室）|及相关机构事务支出", "285.33", "", "285.33"),
    ("208", "社会保障和就业支出", "120.00", "120.00", ""),
    ("20805", "行政事业单位养老支出", "120.00", "120.00", ""),
    ("2080505", "机关事业单位基本养老|保险缴费支出", "80.00", "80.00", ""),
    ("2080506", "机关事业单位职业年金|缴费支出", "40.00", "40.00", ""),
]
EXPENSE_TOTAL = ("1,405.83", "1,120.50", "285.33")

INCOME_ROWS = [
    ("201", "一般公共服务支出", "1,325.83", "1,285.83", "", "40.00"),
    ("20103", "政府办公厅（室）及相关机构事务", "1,325.83", "1,285.83", "", "40.00"),
    ("2010301", "行政运行", "1,040.50", "1,000.50", "", "40.00"),
    ("2010399", "其他政府办公厅（室）及相关机构事务支出", "285.33", "285.33", "", ""),
    ("208", "社会保障和就业支出", "132.60", "120.00", "12.60", ""),
    ("20805", "行政事业单位养老支出", "132.60", "120.00", "12.60", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "88.40", "80.00", "8.40", ""),
    ("2080506", "机关事业单位职业年金缴费支出", "44.20", "40.00", "4.20", ""),
]
INCOME_TOTAL = ("1,458.43", "1,405.83", "12.60", "40.00")


def text_width(ctx, s):
    return ctx.text_extents(s).x_advance


def put(ctx, s, x0, x1, y0, y1, align="center"):
    """Writes s (lines split on "|") inside the box [x0,x1]x[y0,y1], vertically centred."""
    lines = s.split("|")
    ascent, descent = ctx.font_extents()[0], ctx.font_extents()[1]
    lh = SIZE * 1.3
    top = (y0 + y1) / 2 - lh * len(lines) / 2
    for i, line in enumerate(lines):
        w = text_width(ctx, line)
        x = {"left": x0 + 3, "right": x1 - 3 - w, "center": (x0 + x1 - w) / 2}[align]
        base = top + i * lh + (lh + ascent - descent) / 2
        ctx.move_to(x, base)
        ctx.show_text(line)


def rule(ctx, x0, y0, x1, y1):
    ctx.move_to(x0, y0)
    ctx.line_to(x1, y1)
    ctx.stroke()


def draw_table(ctx, xs, ys, cells):
    """cells: (r, c, rs, cs, text, align). Draws every rule except those inside a merged cell."""
    covered = {}
    for r, c, rs, cs, _, _ in cells:
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                covered[(rr, cc)] = (r, c)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    ctx.set_line_width(LINE)
    # Outer frame.
    ctx.rectangle(xs[0], ys[0], xs[-1] - xs[0], ys[-1] - ys[0])
    ctx.stroke()
    # Horizontal rules between rows r-1 and r, one segment per column.
    for r in range(1, n_rows):
        for c in range(n_cols):
            if covered.get((r - 1, c), (r - 1, c)) != covered.get((r, c), (r, c)):
                rule(ctx, xs[c], ys[r], xs[c + 1], ys[r])
    for c in range(1, n_cols):
        for r in range(n_rows):
            if covered.get((r, c - 1), (r, c - 1)) != covered.get((r, c), (r, c)):
                rule(ctx, xs[c], ys[r], xs[c], ys[r + 1])
    for r, c, rs, cs, text, align in cells:
        if text:
            put(ctx, text, xs[c], xs[c + cs], ys[r], ys[r + rs], align)


def heading(ctx, width, x0, x1, top, number, title):
    """公开NN表 at the right, the title centred, then 部门 / 年度 / 单位 on one line."""
    ctx.set_font_size(SIZE)
    put(ctx, number, x0, x1, top, top + 14, "right")
    ctx.set_font_size(16)
    ctx.move_to((width - text_width(ctx, title)) / 2, top + 36)
    ctx.show_text(title)
    ctx.set_font_size(SIZE)
    put(ctx, "部门：某某中心", x0, x1, top + 46, top + 62, "left")
    put(ctx, "2024年度", x0, x1, top + 46, top + 62, "center")
    put(ctx, "金额单位：万元", x0, x1, top + 46, top + 62, "right")


def page_expenses(ctx):
    width = 595.0
    xs = [50, 115, 225, 332, 439, 545]
    heading(ctx, width, xs[0], xs[-1], 60, "公开05表", "一般公共预算财政拨款支出决算表")
    ys = [130, 150, 170]  # two header rows
    ys.append(ys[-1] + 20)  # 合计
    heights = [32 if "|" in row[1] else 20 for row in EXPENSE_ROWS]
    for h in heights:
        ys.append(ys[-1] + h)
    cells = [
        (0, 0, 1, 2, "项目", "center"), (0, 2, 1, 3, "本年支出", "center"),
        (1, 0, 1, 1, "科目编码", "center"), (1, 1, 1, 1, "科目名称", "center"),
        (1, 2, 1, 1, "小计", "center"), (1, 3, 1, 1, "基本支出", "center"), (1, 4, 1, 1, "项目支出", "center"),
        (2, 0, 1, 2, "合计", "center"),
    ]
    cells += [(2, 2 + i, 1, 1, v, "right") for i, v in enumerate(EXPENSE_TOTAL)]
    for k, (code, name, *values) in enumerate(EXPENSE_ROWS):
        r = 3 + k
        cells += [(r, 0, 1, 1, code, "left"), (r, 1, 1, 1, name, "left")]
        cells += [(r, 2 + i, 1, 1, v, "right") for i, v in enumerate(values)]
    ctx.set_font_size(SIZE)
    draw_table(ctx, xs, ys, cells)
    put(ctx, "注：本表反映部门本年度一般公共预算财政拨款实际支出情况。", xs[0], xs[-1], ys[-1] + 6, ys[-1] + 22, "left")


def page_income(ctx):
    width = 842.0
    xs = [40, 110, 330, 450, 570, 690, 802]
    heading(ctx, width, xs[0], xs[-1], 50, "公开02表", "收入决算表")
    ys = [120, 140, 160, 180]  # two header rows, then 合计
    for _ in INCOME_ROWS:
        ys.append(ys[-1] + 20)
    cells = [
        (0, 0, 1, 2, "项目", "center"),
        (0, 2, 2, 1, "本年收入合计", "center"), (0, 3, 2, 1, "财政拨款收入", "center"),
        (0, 4, 2, 1, "事业收入", "center"), (0, 5, 2, 1, "其他收入", "center"),
        (1, 0, 1, 1, "科目编码", "center"), (1, 1, 1, 1, "科目名称", "center"),
        (2, 0, 1, 2, "合计", "center"),
    ]
    cells += [(2, 2 + i, 1, 1, v, "right") for i, v in enumerate(INCOME_TOTAL)]
    for k, (code, name, *values) in enumerate(INCOME_ROWS):
        r = 3 + k
        cells += [(r, 0, 1, 1, code, "left"), (r, 1, 1, 1, name, "left")]
        cells += [(r, 2 + i, 1, 1, v, "right") for i, v in enumerate(values)]
    ctx.set_font_size(SIZE)
    draw_table(ctx, xs, ys, cells)
    put(ctx, "注：本表反映部门本年度取得的各项收入情况。", xs[0], xs[-1], ys[-1] + 6, ys[-1] + 22, "left")


def make_traits(path):
    surface = cairo.PDFSurface(path, 595, 842)
    surface.set_metadata(cairo.PDFMetadata.TITLE, "juesuan digital test data")
    surface.set_metadata(cairo.PDFMetadata.CREATOR, "scripts/make_digital_testdata.py")
    ctx = cairo.Context(surface)
    ctx.select_font_face(FONT, cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_NORMAL)
    ctx.set_source_rgb(0, 0, 0)
    page_expenses(ctx)
    ctx.show_page()
    surface.set_size(842, 595)
    page_income(ctx)
    ctx.show_page()
    surface.finish()


def make_garbage(src, dst):
    """Drops every /ToUnicode map, so the text layer no longer decodes: the Identity-H CID font
    (all the Chinese) gives its glyph ids as characters (control codes and stray Latin letters).
    Cairo puts digits and ASCII in a separate WinAnsi TrueType font, which still decodes, as in
    real exports where only the CJK font lacks a Unicode map."""
    with tempfile.TemporaryDirectory() as tmp:
        qdf = os.path.join(tmp, "qdf.pdf")
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", src, qdf], check=True)
        with open(qdf, "rb") as fh:
            data = fh.read()
        data, n = re.subn(rb"/ToUnicode\s+\d+\s+0\s+R", b"", data)
        if n == 0:
            sys.exit("no /ToUnicode entries found in " + src)
        broken = os.path.join(tmp, "broken.pdf")
        with open(broken, "wb") as fh:
            fh.write(data)
        # fix-qdf (from qpdf) recomputes the xref offsets of the edited QDF file; qpdf then
        # writes an ordinary PDF.
        fixed = os.path.join(tmp, "fixed.pdf")
        with open(fixed, "wb") as fh:
            subprocess.run(["fix-qdf", broken], stdout=fh, check=True)
        subprocess.run(["qpdf", "--object-streams=disable", fixed, dst], check=True)

def make_turned(src, first, second, dst):
    """`src` with /Rotate `first` on page 1 and `second` on page 2 (content streams unchanged)."""
    subprocess.run(["qpdf", src, "--rotate=+%d:1" % first, "--rotate=+%d:2" % second, dst],
                   check=True)


def main():
    os.makedirs(OUT, exist_ok=True)
    traits = os.path.join(OUT, "digital_traits.pdf")
    make_traits(traits)
    make_garbage(traits, os.path.join(OUT, "digital_garbage.pdf"))
    make_turned(traits, 90, 180, os.path.join(OUT, "digital_turned_90_180.pdf"))
    make_turned(traits, 270, 90, os.path.join(OUT, "digital_turned_270_90.pdf"))
    print("wrote", traits, ", digital_garbage.pdf and digital_turned_*.pdf")


if __name__ == "__main__":
    main()
