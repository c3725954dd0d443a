#!/usr/bin/env bash
# The review page in a real browser: Debian's chromium (installed here when missing) renders the
# page of a real scanned page headless, a screenshot is taken, and the counts the page's own
# script writes (#flagged-count-listed, #failing-count-listed; "?" until it runs) are read back
# from the rendered DOM and compared with the JSON's flagged cells and failing checks.
#   bash tests/review_in_chromium.sh JUESUAN_BIN
set -euo pipefail
bin=$1
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib/apt.sh"
apt_ensure review-test chromium
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" extract "$here/testdata/review_scan_page.pdf" -o "$tmp/page.json"
"$bin" review "$tmp/page.json" --pdf "$here/testdata/review_scan_page.pdf" -o "$tmp/review.html"
browser=(timeout 180 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars
         --user-data-dir="$tmp/profile" --window-size=1200,3000)
"${browser[@]}" --screenshot="$tmp/shot.png" "file://$tmp/review.html" 2>"$tmp/chromium.log" ||
  { cat "$tmp/chromium.log" >&2; exit 1; }
"${browser[@]}" --dump-dom "file://$tmp/review.html" >"$tmp/dom.html" 2>>"$tmp/chromium.log"
python3 - "$tmp" <<'PY'
import json, re, struct, sys, zlib
tmp = sys.argv[1]
doc = json.load(open(f"{tmp}/page.json"))
flagged = sum(1 for t in doc["tables"] for c in t["cells"] if c["flags"])
failing = sum(1 for c in doc["checks"] if c["status"] == "fail")
dom = open(f"{tmp}/dom.html", encoding="utf-8").read()
def shown(name):
    m = re.search(r'id="%s">([^<]*)<' % name, dom)
    assert m, f"#{name} not in the rendered page"
    return m.group(1)
assert flagged > 0 and failing > 0, (flagged, failing)
assert shown("flagged-count-listed") == str(flagged), (shown("flagged-count-listed"), flagged)
assert shown("failing-count-listed") == str(failing), (shown("failing-count-listed"), failing)
assert shown("flagged-count") == str(flagged)
# The screenshot: a PNG of the window size, not a blank page (many grey levels drawn).
png = open(f"{tmp}/shot.png", "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n", "screenshot is not a PNG"
width, height = struct.unpack(">II", png[16:24])
idat, at = b"", 8
while at < len(png):
    length, kind = struct.unpack(">I4s", png[at:at + 8])
    if kind == b"IDAT":
        idat += png[at + 8:at + 8 + length]
    at += 12 + length
levels = len(set(zlib.decompress(idat)))
assert (width, height) == (1200, 3000) and levels > 50, (width, height, levels)
print(f"chromium: the page lists {flagged} flagged cells and {failing} failing checks, as the "
      f"JSON has; screenshot {width}x{height}, {levels} byte values")
PY
