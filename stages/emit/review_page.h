// Emit: the review page, one self-contained HTML file per document for the person who checks
// what juesuan flagged. It is made from the output JSON as it stands (a reviewer's edits
// included), not from the pipeline's memory, so `juesuan review` can rebuild it at any time.
//
// In:    an output JSON (schema 2.0) and a CellCrop that returns a PNG of the page around a cell
//        (or "" when there is no page image, e.g. without the PDF).
// Out:   one HTML document: a summary (tables, cells, flagged cells, failing checks), every
//        failing check with its operands, and every flagged cell (a cell whose `flags` is not
//        empty) with its crop, text, raw reading, confidence, flags, repairs and the checks it
//        takes part in. Cells are addressed as in the JSON: tables[T] r R c C, anchor id
//        "cell-T-R-C". Nothing is fetched from anywhere: images are data: URIs, the style and
//        the one small script are inline, and a Content-Security-Policy forbids the rest.
//        The script counts the flagged cells and failing checks the page lists and writes the
//        counts into #flagged-count-listed and #failing-count-listed, so a browser test can
//        compare what the page shows with the JSON.
// Owns:  nothing; a pure function of its inputs (and of the crops).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "pipeline/document.h"

namespace juesuan {

// PNG bytes of the page image around `cell` (in that page's pixels, as in the JSON), with the
// cell marked; "" when no image can be given.
using CellCrop = std::function<std::string(int page, const Box& cell)>;

// `image_note`, when not empty, says on the page why there are no crops (no PDF, another PDF).
std::string ReviewPage(const nlohmann::json& doc, const CellCrop& crop,
                       const std::string& image_note = "");

// Standard base64 (RFC 4648, with padding), for data: URIs.
std::string Base64(const std::string& bytes);

}  // namespace juesuan
