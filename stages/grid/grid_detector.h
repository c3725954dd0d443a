// Stage 3: ruled table grids from a binarised, deskewed page image (OpenCV morphology).
//
// In:  the page's binary image from PagePreparer (ink = 255, upright and deskewed), and the dpi
//      it was rendered at (or a Params made for it).
// Out: one Grid per ruled table, top to bottom: its lattice (column and row boundary positions)
//      and its cells, merged cells recovered from missing separators. text_lines_outside() then
//      gives the boxes of the loose text lines around those grids (titles, units, notes).
// Ownership: the detector holds only its thresholds; the images stay the caller's and are
//      never modified. Both calls are const and may run on several threads at once.
// Order: detect(binary) first; text_lines_outside(binary, grids) with what detect returned.
//
// How: ruling lines are found by morphology so that they survive breaks, fading and speckles;
// a separator counts only when it meets long rules a row apart; the lattice is built from the
// clustered positions of the validated rules.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "pipeline/document.h"
#include "stages/common/units.h"

namespace juesuan {

class GridDetector {
 public:
  // Every threshold of the detector, in pixels at the page's dpi. ForDpi() states them in
  // physical units (fractions of an inch, 25.4 mm) with a floor in pixels for low resolutions.
  struct Params {
    // Finding rulings (stage 1).
    int min_h_rule = 0;  // shortest horizontal rule worth keeping
    int min_v_rule = 0;  // shortest vertical rule
    int bridge_gap = 0;  // breaks in printed or scanned lines that are bridged
    int tol = 0;         // position tolerance across a rule
    // A rule broken into pieces (a scan's breaks, or printed dashed) whose pieces lie in line
    // with gaps of at most this: together they are one rule (VerticalSeparators).
    int chain_gap = 0;
    int max_thick = 0;    // thickest ruling line; thicker ink is a filled area
    int min_table_w = 0;  // smallest structure of rules that can be a table
    int min_table_h = 0;
    // Validating rulings (stage 2).
    int reach = 0;       // how far a separator may stop short of the rule it meets
    int strong_len = 0;  // a rule this long can vouch for a separator
    int min_row = 0;     // the thinnest row: lines closer than this are a double rule
    // Building the lattice (stage 3).
    // Rule a column border needs, in row pitches: 1.5, since a border runs through more than
    // one row and a lone stroke that met two rules (a digit touching a rule and a dash) does not.
    Share col_support{3, 2};
    // A grid of a single row (a 合计 row run over onto a page of its own) has one pitch to give.
    Share one_row_support{4, 5};
    // ... and a border through this share of a taller grid's height below its first row is
    // supported whatever its pitches (a body ruled only by its columns: one tall row under the
    // header, whose merged cells may span the border).
    Share whole_height{9, 10};
    int edge = 0;  // a rule overhanging the outer border by this has no side border
    // Separators of cells (stage 4).
    // Share of a separator drawn for it to stand on its own: a merged cell's separator is
    // absent (~0), a scanned rule with breaks or faded stretches keeps well over a third.
    double min_coverage = 0.3;
    int end_margin = 0;  // a separator is measured this far clear of the rules it joins
    int join_len = 0;    // ink that must run unbroken from the rule into a separator
    // A broken rule leaves stubs of ink over at least 1 in this many pixels of its length; a
    // merged cell leaves none, and a tenth is still well clear of specks.
    int stubs_one_in = 10;
    int stub_reach = 1;   // stubs lie on the rule's line, within its own thickness
    int rule_stroke = 3;  // the validated rules are redrawn as thick as a printed rule
    // Text lines outside the grids.
    int grid_pad = 0;  // ink this close around a grid belongs to it
    int smear_w = 0;   // gaps between the characters of a phrase that are closed
    int smear_h = 0;
    int min_line_h = 0;  // a text line is at least this high and wide (smaller: specks)
    int max_line_h = 0;  // and at most this high (higher: figures, stamps)
    // A text line's smeared ink fills at least an eighth of its box; a frame of rules or a
    // diagonal stroke fills less.
    Share min_fill{1, 8};

    static Params ForDpi(int dpi);
  };

  explicit GridDetector(int dpi) : p_(Params::ForDpi(dpi)) {}
  explicit GridDetector(const Params& params) : p_(params) {}
  // `binary`: ink = 255. Grids are ordered top to bottom.
  std::vector<Grid> detect(const cv::Mat& binary) const;
  // Boxes of text lines outside the given grids (titles, unit lines, notes), in reading order.
  std::vector<Box> text_lines_outside(const cv::Mat& binary, const std::vector<Grid>& grids) const;

 private:
  Params p_;
};

}  // namespace juesuan
