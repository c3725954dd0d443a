// juesuan review: the review page of one output JSON (stages/emit/review_page.h), with a crop of
// the page image around every flagged cell. The page images are the PDF rendered again the way
// the extraction saw them (the page's dpi, rotation and skew from the JSON), so the JSON's cell
// boxes fall on them exactly.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace juesuan {

// The page for `doc`. `pdf` is the disclosure it was made from: "" takes the JSON's
// source.file when that file exists. A PDF that cannot be read or whose sha256 is not the
// JSON's gives a page without crops that says why (a crop of another file would mislead).
// A page that cannot be rendered gives no crops for its cells. Never throws for bad input.
std::string ReviewHtml(const nlohmann::json& doc, const std::string& pdf = "");

}  // namespace juesuan
