#!/usr/bin/env python3
"""ICDAR 2019 cTDaR-style scores of juesuan outputs against page truth (stdlib only).

  python3 scripts/ctdar_score.py TRUTH_DIR PRED_DIR

TRUTH_DIR holds <name>.truth.json (scripts/ctdar_pages.py writes them: per page, each table's
box and each cell's r, c, rs, cs and content box, in pixels of the page image); PRED_DIR holds
juesuan's <name>.json for the same page image. Boxes are compared on the input image: a cell's
content_bbox is there already, a table's bbox (on the prepared page) is mapped by its page's
input.to_input.

- Table detection (track A): a predicted table is a true positive when its box overlaps an
  unmatched truth table's on the same page with IoU >= t; F1 at t = 0.6, 0.7, 0.8, 0.9 and
  their average weighted by t (the competition's WAvg.F1).
- Table structure (track B, cell adjacency): in each table, every non-empty cell is related to
  its nearest non-empty neighbour to the right (rows overlap) and below (columns overlap).
  Predicted cells are matched to truth cells by the IoU of their content boxes (>= t); a
  predicted relation is correct when both its cells match the two cells of a truth relation in
  the same direction. Precision, recall and F1 over all relations of all pages, at each t, and
  the weighted average. Tables are paired by their best box IoU (>= 0.5).
"""
import glob
import json
import os
import sys

THRESHOLDS = (0.6, 0.7, 0.8, 0.9)


def iou(a, b):
    ax1, ay1, bx1, by1 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    w, h = min(ax1, bx1) - max(a[0], b[0]), min(ay1, by1) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / float(a[2] * a[3] + b[2] * b[3] - inter)


def map_box(m, box):
    """A box on the prepared page -> the box round it on the input image (to_input m)."""
    xs, ys = [], []
    for x in (box[0], box[0] + box[2]):
        for y in (box[1], box[1] + box[3]):
            xs.append(m[0] * x + m[1] * y + m[2])
            ys.append(m[3] * x + m[4] * y + m[5])
    return [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]


def predicted_tables(doc):
    """Per page: the juesuan tables that start there, with boxes on the input image."""
    to_input = {p["page"]: p.get("input", {}).get("to_input", [1, 0, 0, 0, 1, 0]) for p in doc["pages"]}
    out = {}
    for t in doc["tables"]:
        page = t["pages"][0]
        cells = [c for c in t["cells"] if c.get("content_bbox") and c["page"] == page]
        out.setdefault(page, []).append({"bbox": map_box(to_input[page], t["bbox"]), "cells": cells})
    return out


def relations(cells):
    """(i, j, direction) for each non-empty cell i and its nearest non-empty neighbour j to the
    right ("h") and below ("v")."""
    rel = set()
    for i, a in enumerate(cells):
        right = [(b["c"], j) for j, b in enumerate(cells)
                 if b["c"] >= a["c"] + a["cs"] and b["r"] < a["r"] + a["rs"] and a["r"] < b["r"] + b["rs"]]
        below = [(b["r"], j) for j, b in enumerate(cells)
                 if b["r"] >= a["r"] + a["rs"] and b["c"] < a["c"] + a["cs"] and a["c"] < b["c"] + b["cs"]]
        if right:
            rel.add((i, min(right)[1], "h"))
        if below:
            rel.add((i, min(below)[1], "v"))
    return rel


def match(truth_boxes, pred_boxes, t):
    """Greedy one-to-one matching by IoU >= t, best pairs first: pred index -> truth index."""
    pairs = sorted(((iou(p, g), pi, gi) for pi, p in enumerate(pred_boxes)
                    for gi, g in enumerate(truth_boxes)), reverse=True)
    used_p, used_g, out = set(), set(), {}
    for v, pi, gi in pairs:
        if v < t or pi in used_p or gi in used_g:
            continue
        used_p.add(pi), used_g.add(gi)
        out[pi] = gi
    return out


def f1(tp, n_pred, n_truth):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_truth if n_truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(truth_dir, pred_dir):
    det = {t: [0, 0, 0] for t in THRESHOLDS}  # tp, predicted, truth
    adj = {t: [0, 0, 0] for t in THRESHOLDS}
    names = []
    for truth_path in sorted(glob.glob(os.path.join(truth_dir, "*.truth.json"))):
        name = os.path.basename(truth_path)[: -len(".truth.json")]
        names.append(name)
        truth = json.load(open(truth_path))
        pred_path = os.path.join(pred_dir, name + ".json")
        pred = predicted_tables(json.load(open(pred_path))) if os.path.exists(pred_path) else {}
        for page in truth["pages"]:
            gt = page["tables"]
            pt = pred.get(page["page"], [])
            for t in THRESHOLDS:
                det[t][0] += len(match([g["bbox"] for g in gt], [p["bbox"] for p in pt], t))
                det[t][1] += len(pt)
                det[t][2] += len(gt)
            paired = match([g["bbox"] for g in gt], [p["bbox"] for p in pt], 0.5)
            for gi, g in enumerate(gt):
                g_cells = [c for c in g["cells"] if c.get("content_bbox")]
                g_rel = relations(g_cells)
                pi = next((p for p, q in paired.items() if q == gi), None)
                p_cells = pt[pi]["cells"] if pi is not None else []
                p_rel = relations(p_cells)
                for t in THRESHOLDS:
                    m = match([c["content_bbox"] for c in g_cells], [c["content_bbox"] for c in p_cells], t)
                    correct = sum(1 for a, b, d in p_rel if a in m and b in m and (m[a], m[b], d) in g_rel)
                    adj[t][0] += correct
                    adj[t][1] += len(p_rel)
                    adj[t][2] += len(g_rel)
            for pi, p in enumerate(pt):  # tables predicted where there is none: relations all wrong
                if pi not in paired:
                    n = len(relations(p["cells"]))
                    for t in THRESHOLDS:
                        adj[t][1] += n
    return names, det, adj


def main():
    names, det, adj = score(sys.argv[1], sys.argv[2])
    report = {"pages": len(names)}
    for label, counts in (("detection", det), ("adjacency", adj)):
        rows = {}
        weighted = 0.0
        for t in THRESHOLDS:
            p, r, f = f1(*counts[t])
            rows["%.1f" % t] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
            weighted += t * f
        rows["weighted_f1"] = round(weighted / sum(THRESHOLDS), 4)
        report[label] = rows
        print("%-10s " % label + "  ".join("IoU %s F1 %.3f" % (k, v["f1"]) for k, v in rows.items()
                                          if k != "weighted_f1") + "  WAvg.F1 %.3f" % rows["weighted_f1"])
    print(json.dumps(report))


if __name__ == "__main__":
    main()
