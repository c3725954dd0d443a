#!/usr/bin/env python3
"""Mutation run: damaged variants of real PDFs through `juesuan extract`, every outcome classified.

    scripts/mutate_pdfs.py --binary build-asan/juesuan [-n 300] [--seed 11] [PDF ...]

Each mutant is made from one input PDF by 1-3 mutations drawn with a fixed seed (mutant i is
always the same for the same seed, inputs and script): bit and byte flips, numbers changed inside
(decompressed) content streams and elsewhere (huge values such as 1000000000 and -1e9, zero,
negatives), object numbers in references and headers, /Length values, truncation, and chunks
duplicated or removed. Compressed content streams are inflated, mutated and deflated again with a
direct /Length, so the damage reaches the text layer and the drawing, not only the parser.

Every mutant runs as `BINARY extract MUTANT [EXTRA...]` with a wall-clock timeout and
ASAN_OPTIONS=detect_leaks=0, UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 (the intended
binary is the ASan/UBSan build, build-asan/juesuan from `JUESUAN_SANITIZE=1 scripts/test.sh`).
Outcomes:
    ok          exit 0 and JSON on stdout that parses and has the top-level keys of the schema
    bad-input   exit 3 with a message on stderr (the documented answer to unreadable input)
    crash       killed by a signal, or a sanitizer report on stderr (whatever the exit code)
    hang        still running at the timeout (the process group is killed)
    invalid     exit 0 but the output is not a JSON document with the expected keys
    error       any other exit code, or exit 3 without a message (exit 1 is "a bug" per README)
Crash, hang, invalid and error mutants are kept in OUT/ with their stderr and a note of the
mutations. The exit status is 1 when there is any of them, else 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
TOP_LEVEL_KEYS = {"schema_version", "generator", "source", "pages", "tables", "checks", "warnings"}
SANITIZER_MARKS = (
    b"ERROR: AddressSanitizer",
    b"ERROR: LeakSanitizer",
    b"runtime error:",
    b"UndefinedBehaviorSanitizer",
    b"ThreadSanitizer",
    b"MemorySanitizer",
)
FAILURES = ("crash", "hang", "invalid", "error")
OUTCOMES = ("ok", "bad-input") + FAILURES

# Numbers that break arithmetic: int overflow after scaling (1e9 * 300/72 > 2^31), zero
# sizes, negative sizes, tiny and huge reals. PDF has no exponent syntax; "1e9" is kept as a
# malformed token on purpose.
HOSTILE_NUMBERS = [
    b"1000000000", b"-1000000000", b"1e9", b"-1e9", b"0", b"-0", b"2147483647", b"2147483648",
    b"-2147483649", b"99999999999999999999", b"0.000001", b"-1", b"65535", b"4294967296",
    b"100000", b"-100000", b"3.4e38", b"nan",
]
NUMBER = re.compile(rb"(?<![A-Za-z0-9_.#/])[-+]?(?:\d+\.?\d*|\.\d+)(?![A-Za-z0-9_.#])")
# The dictionary of a stream object: from "N G obj <<" to ">> stream", never across objects.
STREAM = re.compile(rb"\bobj\s*<<((?:(?!\bendobj\b|\bobj\b).)*?)>>\s*stream\r?\n", re.S)
CONTENT_OPERATORS = re.compile(rb"\b(?:Tm|Td|TD|re|cm|Tf)\b")
LENGTH = re.compile(rb"/Length\s+(\d+)(\s+\d+\s+R)?")
OBJ_HEADER = re.compile(rb"(\d+)(\s+\d+\s+obj\b)")
OBJ_REF = re.compile(rb"(\d+)(\s+\d+\s+R\b)")


def hostile_number(rng: random.Random, original: bytes) -> bytes:
    if rng.random() < 0.7:
        return rng.choice(HOSTILE_NUMBERS)
    try:
        v = float(original)
    except ValueError:
        v = 1.0
    v *= rng.choice([-1, 10, 1000, 1e6, 1e-6])
    # Plain decimals, as PDF writes them (no exponent).
    return (f"{v:.6f}".rstrip("0").rstrip(".") or "0").encode()


def streams(data: bytes):
    """(dict_start, dict_end, body_start, body_end) of every stream whose end is found."""
    out = []
    for m in STREAM.finditer(data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            continue
        body_end = end
        # The EOL before endstream is not part of the data.
        if data[body_end - 2:body_end] == b"\r\n":
            body_end -= 2
        elif data[body_end - 1:body_end] in (b"\n", b"\r"):
            body_end -= 1
        out.append((m.start(1), m.end(1), m.end(), body_end))
    return out


# Each mutation takes (rng, data) and returns (new data, a short note of what it did).


def m_flip_bits(rng, data):
    data = bytearray(data)
    k = rng.randint(1, 16)
    for _ in range(k):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
    return bytes(data), f"flip {k} bits"


def m_random_bytes(rng, data):
    data = bytearray(data)
    i = rng.randrange(len(data))
    n = min(rng.randint(1, 64), len(data) - i)
    data[i:i + n] = bytes(rng.randrange(256) for _ in range(n))
    return bytes(data), f"overwrite {n} bytes at {i}"


def m_content_number(rng, data):
    """A number inside a (possibly Flate-compressed) stream: coordinates, sizes, font sizes."""
    candidates = []  # (dict start, dict end, body start, body end, decoded body, flate)
    for d0, d1, b0, b1 in streams(data):
        head, body = data[d0:d1], data[b0:b1]
        flate = b"/FlateDecode" in head
        if flate:
            try:
                body = zlib.decompress(body)
            except zlib.error:
                continue
        candidates.append((d0, d1, b0, b1, body, flate))
    # Page content (text positions, rules) rather than fonts or images, when there is any.
    content = [c for c in candidates if CONTENT_OPERATORS.search(c[4])]
    if not (content or candidates):
        return m_any_number(rng, data)
    d0, d1, b0, b1, body, flate = rng.choice(content or candidates)
    head = data[d0:d1]
    numbers = list(NUMBER.finditer(body))
    if not numbers:
        return m_any_number(rng, data)
    k = rng.randint(1, min(8, len(numbers)))
    changed = []
    for m in sorted(rng.sample(numbers, k), key=lambda m: m.start(), reverse=True):
        new = hostile_number(rng, m.group())
        changed.append(new.decode())
        body = body[:m.start()] + new + body[m.end():]
    if flate:
        body = zlib.compress(body, 9)
    # A direct /Length that matches the new body (an indirect one would now be wrong).
    head = LENGTH.sub(b"/Length %d" % len(body), head, count=1)
    data = data[:d0] + head + data[d1:b0] + body + data[b1:]
    return data, f"stream at {d0}: {k} numbers -> {','.join(changed)}"


def m_any_number(rng, data):
    numbers = list(NUMBER.finditer(data))
    if not numbers:
        return m_flip_bits(rng, data)
    m = rng.choice(numbers)
    new = hostile_number(rng, m.group())
    return data[:m.start()] + new + data[m.end():], f"number at {m.start()} -> {new.decode()}"


def m_object_number(rng, data):
    pattern = rng.choice([OBJ_HEADER, OBJ_REF])
    found = list(pattern.finditer(data))
    if not found:
        return m_any_number(rng, data)
    m = rng.choice(found)
    choices = [b"0", b"1", b"2", b"3", b"999999", b"2147483648", b"-1",
               str(rng.randint(0, 40)).encode()]
    new = rng.choice([c for c in choices if c != m.group(1)])  # never a no-op
    kind = "obj" if pattern is OBJ_HEADER else "ref"
    return (data[:m.start(1)] + new + data[m.end(1):],
            f"{kind} {m.group(1).decode()} -> {new.decode()}")


def m_length(rng, data):
    found = list(LENGTH.finditer(data))
    if not found:
        return m_any_number(rng, data)
    m = rng.choice(found)
    old = int(m.group(1))
    choices = [0, 1, max(0, old // 2), old + 1, old * 2, 2**31, 2**40, rng.randint(0, len(data))]
    new = rng.choice([c for c in choices if c != old])  # never a no-op
    return (data[:m.start()] + b"/Length %d" % new + data[m.end():],
            f"/Length {old}{' (indirect)' if m.group(2) else ''} -> {new}")


def m_truncate(rng, data):
    n = rng.randint(1, len(data) - 1) if len(data) > 1 else 0
    return data[:n], f"truncate to {n} of {len(data)} bytes"


def m_duplicate_chunk(rng, data):
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 4096))
    c = rng.randrange(len(data) + 1)
    return data[:c] + data[a:b] + data[c:], f"copy [{a},{b}) to {c}"


def m_remove_chunk(rng, data):
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 4096))
    return data[:a] + data[b:], f"remove [{a},{b})"


# Weights: the structure-aware mutations reach deeper code than random damage.
MUTATIONS = [
    (m_flip_bits, 2), (m_random_bytes, 1), (m_content_number, 5), (m_any_number, 2),
    (m_object_number, 2), (m_length, 2), (m_truncate, 1), (m_duplicate_chunk, 1),
    (m_remove_chunk, 1),
]


def make_mutant(seed: int, index: int, inputs: list[Path]) -> tuple[Path, bytes, list[str]]:
    rng = random.Random(f"{seed}:{index}")  # mutant i does not depend on the others
    source = rng.choice(inputs)
    data = source.read_bytes()
    notes = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        if not data:
            break
        fn = rng.choices([m for m, _ in MUTATIONS], weights=[w for _, w in MUTATIONS])[0]
        data, note = fn(rng, data)
        notes.append(f"{fn.__name__[2:]}: {note}")
    return source, data, notes


def run_one(binary: str, path: Path, extra: list[str], timeout: float) -> dict:
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = "detect_leaks=0"
    env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1"
    env.setdefault("OMP_THREAD_LIMIT", "1")
    start = time.monotonic()
    # Own process group: a hang is killed with everything it started.
    proc = subprocess.Popen([binary, "extract", str(path), *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        hung = True
    seconds = time.monotonic() - start
    return {"rc": proc.returncode, "out": out, "err": err, "hung": hung, "seconds": seconds}


def classify(r: dict) -> tuple[str, str]:
    """(outcome, one-line reason)."""
    err = r["err"]
    if r["hung"]:
        return "hang", f"still running after {r['seconds']:.0f} s"
    for mark in SANITIZER_MARKS:
        if mark in err:
            line = next((l for l in err.splitlines() if mark in l), mark)
            return "crash", line.decode(errors="replace").strip()[:200]
    if r["rc"] < 0:
        return "crash", f"signal {signal.Signals(-r['rc']).name}"
    if r["rc"] == 0:
        try:
            doc = json.loads(r["out"])
        except (ValueError, UnicodeDecodeError) as e:
            return "invalid", f"exit 0, output does not parse: {e}"[:200]
        if not isinstance(doc, dict):
            return "invalid", "exit 0, output is not a JSON object"
        missing = TOP_LEVEL_KEYS - doc.keys()
        if missing:
            return "invalid", f"exit 0, keys missing: {sorted(missing)}"
        if not isinstance(doc.get("tables"), list) or not isinstance(doc.get("pages"), list):
            return "invalid", "exit 0, tables or pages is not an array"
        return "ok", f"{len(doc['tables'])} tables"
    message = err.decode(errors="replace").strip().splitlines()
    if r["rc"] == 3:
        if message:
            return "bad-input", message[-1][:200]
        return "error", "exit 3 without a message"
    return "error", f"exit {r['rc']}: {(message or [''])[-1][:180]}"


def default_inputs() -> list[Path]:
    """The small PDFs of testdata/: fast to extract, and they cover text-layer tables."""
    out = []
    for p in sorted((HERE / "testdata").glob("*.pdf")):
        if p.stat().st_size <= 64 * 1024 and p.read_bytes()[:5] == b"%PDF-":
            out.append(p)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("pdfs", nargs="*", type=Path, help="inputs (default: small testdata PDFs)")
    ap.add_argument("--binary", default=str(HERE / "build-asan" / "juesuan"),
                    help="juesuan binary (default: build-asan/juesuan)")
    ap.add_argument("-n", "--count", type=int, default=300, help="mutants (default 300)")
    ap.add_argument("--seed", type=int, default=11, help="random seed (default 11)")
    ap.add_argument("--timeout", type=float, default=120,
                    help="wall-clock seconds per extract (default 120)")
    ap.add_argument("--out", type=Path, default=HERE / "build" / "mutants",
                    help="folder for failing mutants and the summary (default build/mutants)")
    ap.add_argument("--only", type=int, action="append",
                    help="run only mutant INDEX (repeatable): reproduce one")
    ap.add_argument("--extract-arg", action="append", default=[], dest="extra",
                    help="extra argument for `juesuan extract` (repeatable), e.g. --ocr never")
    ap.add_argument("--quiet", action="store_true", help="no line per mutant")
    args = ap.parse_args()

    inputs = args.pdfs or default_inputs()
    if not inputs:
        ap.error("no input PDFs")
    if not os.access(args.binary, os.X_OK):
        ap.error(f"{args.binary} is not an executable (build it first)")
    args.out.mkdir(parents=True, exist_ok=True)

    indices = args.only or list(range(args.count))
    table: dict[str, Counter] = defaultdict(Counter)  # mutation kind -> outcome counts
    totals: Counter = Counter()
    records = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="juesuan-mutants-") as tmp:
        for i in indices:
            source, data, notes = make_mutant(args.seed, i, inputs)
            path = Path(tmp) / f"mutant-{i:05d}.pdf"
            path.write_bytes(data)
            r = run_one(args.binary, path, args.extra, args.timeout)
            outcome, reason = classify(r)
            totals[outcome] += 1
            for kind in {n.split(":")[0] for n in notes}:
                table[kind][outcome] += 1
            rec = {"index": i, "source": source.name, "mutations": notes, "outcome": outcome,
                   "reason": reason, "exit": r["rc"], "seconds": round(r["seconds"], 2)}
            records.append(rec)
            if outcome in FAILURES:
                stem = args.out / f"{outcome}-{i:05d}-{source.stem}"
                stem.with_suffix(".pdf").write_bytes(data)
                stem.with_suffix(".stderr.txt").write_bytes(r["err"])
                stem.with_suffix(".json").write_text(json.dumps(rec, ensure_ascii=False, indent=1))
            if not args.quiet:
                print(f"{i:5d} {outcome:9s} {r['seconds']:6.1f}s {source.name:28s} "
                      f"{'; '.join(notes)[:70]}  [{reason[:60]}]", flush=True)
            path.unlink()
    elapsed = time.monotonic() - started

    kinds = sorted(table)
    print()
    print(f"{len(indices)} mutants of {len(inputs)} PDFs, seed {args.seed}, binary {args.binary}, "
          f"{elapsed:.0f} s")
    header = f"{'mutation':18s}" + "".join(f"{o:>10s}" for o in OUTCOMES)
    print(header)
    print("-" * len(header))
    for k in kinds:
        print(f"{k:18s}" + "".join(f"{table[k][o]:10d}" for o in OUTCOMES))
    print("-" * len(header))
    print(f"{'all mutants':18s}" + "".join(f"{totals[o]:10d}" for o in OUTCOMES))
    print("(a mutant with several kinds of mutation counts once in each of its rows)")
    summary = {"mutants": len(indices), "seed": args.seed, "binary": args.binary,
               "inputs": [p.name for p in inputs], "seconds": round(elapsed, 1),
               "outcomes": {o: totals[o] for o in OUTCOMES}, "results": records}
    (args.out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    failures = sum(totals[o] for o in FAILURES)
    if failures:
        print(f"FAILED: {failures} mutants kept in {args.out}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
