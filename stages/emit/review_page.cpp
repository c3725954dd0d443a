#include "stages/emit/review_page.h"

#include <map>
#include <sstream>
#include <tuple>
#include <vector>

#include "stages/emit/json_fields.h"

namespace juesuan {
namespace {

using nlohmann::json;

// Readers that never throw: the JSON may have been edited by hand, and a review page of a
// damaged file is still better than none.
const json& At(const json& j, const char* key) { return JsonField(j, key); }
std::string Str(const json& j, const char* key) {
  const json& v = At(j, key);
  if (v.is_string()) return v.get<std::string>();
  return v.is_null() ? "" : v.dump();
}
int Int(const json& j, const char* key, int fallback = -1) {
  const json& v = At(j, key);
  return v.is_number_integer() ? v.get<int>() : fallback;
}
const json& Array(const json& j, const char* key) { return JsonElements(JsonField(j, key)); }

std::string Escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

using CellKey = std::tuple<int, int, int>;  // table, r, c

std::string CellId(const CellKey& k) {
  return "cell-" + std::to_string(std::get<0>(k)) + "-" + std::to_string(std::get<1>(k)) + "-" +
         std::to_string(std::get<2>(k));
}
std::string CellAddress(const CellKey& k) {
  return "tables[" + std::to_string(std::get<0>(k)) + "] r" + std::to_string(std::get<1>(k)) +
         " c" + std::to_string(std::get<2>(k));
}

// What the page needs to know about each cell besides the cell itself.
struct Index {
  std::map<CellKey, const json*> cells;
  std::map<CellKey, std::vector<const json*>> checks;   // the checks a cell takes part in
  std::map<CellKey, std::vector<const json*>> repairs;  // the repairs made to a cell
};

Index BuildIndex(const json& doc) {
  Index index;
  const json& tables = Array(doc, "tables");
  for (size_t t = 0; t < tables.size(); ++t)
    for (const json& cell : Array(tables[t], "cells"))
      index.cells[{static_cast<int>(t), Int(cell, "r"), Int(cell, "c")}] = &cell;
  for (const json& check : Array(doc, "checks"))
    for (const json& operand : Array(check, "cells"))
      index.checks[{Int(operand, "table"), Int(operand, "r"), Int(operand, "c")}].push_back(&check);
  for (const json& repair : Array(doc, "repairs"))
    index.repairs[{Int(repair, "table"), Int(repair, "r"), Int(repair, "c")}].push_back(&repair);
  return index;
}

bool Flagged(const json& cell) { return !Array(cell, "flags").empty(); }

constexpr const char* kStyle = R"(
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:2px 6px;text-align:left}
.summary td{font-weight:bold;text-align:right}
.flagged-cell,.failing-check{border:1px solid #ddd;border-radius:4px;margin:.6em 0;padding:.5em}
.flagged-cell img{display:block;max-width:100%;border:1px solid #999;margin:.3em 0}
.flag{display:inline-block;background:#fde2c8;border-radius:3px;padding:0 4px;margin-right:3px}
.fail{color:#b00;font-weight:bold}.pass{color:#070}.warning{color:#a60}
code{background:#f3f3f3;padding:0 3px}.muted{color:#777}
)";

// Counts what the page lists, so that a browser shows (and a test reads) the page's own count.
constexpr const char* kScript = R"(
document.getElementById('flagged-count-listed').textContent =
  document.querySelectorAll('.flagged-cell').length;
document.getElementById('failing-count-listed').textContent =
  document.querySelectorAll('.failing-check').length;
)";

void Head(std::ostringstream& out, const json& doc) {
  out << "<!doctype html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
      << "<title>juesuan review: " << Escape(Str(At(doc, "source"), "file")) << "</title>\n"
      << "<style>" << kStyle << "</style></head><body>\n";
}

struct Counts {
  int tables = 0, cells = 0, flagged = 0, failing = 0, warnings = 0, repairs = 0;
};

Counts Count(const json& doc) {
  Counts n;
  for (const json& table : Array(doc, "tables")) {
    ++n.tables;
    for (const json& cell : Array(table, "cells")) {
      n.cells += !Str(cell, "text").empty();
      n.flagged += Flagged(cell);
    }
  }
  for (const json& check : Array(doc, "checks")) {
    n.failing += Str(check, "status") == "fail";
    n.warnings += Str(check, "status") == "warning";
  }
  n.repairs = static_cast<int>(Array(doc, "repairs").size());
  return n;
}

void Summary(std::ostringstream& out, const json& doc) {
  const json& disclosure = At(doc, "disclosure");
  const json& source = At(doc, "source");
  const Counts n = Count(doc);
  out << "<h1>" << Escape(Str(disclosure, "department")) << " " << Escape(Str(disclosure, "year"))
      << "</h1>\n<p class=\"muted\">" << Escape(Str(source, "file")) << " · sha256 <code>"
      << Escape(Str(source, "sha256")) << "</code> · unit " << Escape(Str(disclosure, "unit"))
      << "</p>\n<table class=\"summary\" id=\"summary\"><tr><th>tables</th><th>cells with "
         "text</th><th>flagged cells</th><th>failing checks</th><th>warning checks</th>"
         "<th>repairs</th></tr>\n<tr><td id=\"tables-count\">"
      << n.tables << "</td><td id=\"cells-count\">" << n.cells << "</td><td id=\"flagged-count\">"
      << n.flagged << "</td><td id=\"failing-count\">" << n.failing
      << "</td><td id=\"warning-count\">" << n.warnings << "</td><td id=\"repairs-count\">"
      << n.repairs << "</td></tr></table>\n"
      << "<p>This page lists <span id=\"flagged-count-listed\">?</span> flagged cells and "
         "<span id=\"failing-count-listed\">?</span> failing checks. Correct a cell's "
         "<code>text</code> in the JSON at its address, then run <code>juesuan validate</code>."
         "</p>\n";
}

std::string CellText(const Index& index, const CellKey& key) {
  auto it = index.cells.find(key);
  return it == index.cells.end() ? "(no such cell)" : Str(*it->second, "text");
}

void Operand(std::ostringstream& out, const Index& index, const json& operand) {
  const CellKey key{Int(operand, "table"), Int(operand, "r"), Int(operand, "c")};
  const bool flagged = index.cells.count(key) && Flagged(*index.cells.at(key));
  out << "<tr><td>" << (flagged ? "<a href=\"#" + CellId(key) + "\">" : "")
      << Escape(CellAddress(key)) << (flagged ? "</a>" : "") << "</td><td>"
      << Escape(Str(operand, "side")) << "</td><td>" << Escape(Str(operand, "coef")) << "</td><td>"
      << Escape(CellText(index, key)) << "</td></tr>\n";
}

void FailingChecks(std::ostringstream& out, const json& doc, const Index& index) {
  out << "<h2>Failing checks</h2>\n";
  for (const json& check : Array(doc, "checks")) {
    if (Str(check, "status") != "fail") continue;
    out << "<section class=\"failing-check\" id=\"check-" << Escape(Str(check, "id")) << "\"><b>"
        << Escape(Str(check, "id")) << "</b> " << Escape(Str(check, "detail")) << "<br>expected "
        << Escape(Str(check, "expected")) << ", actual " << Escape(Str(check, "actual"))
        << ", difference " << Escape(Str(check, "difference")) << " (tolerance "
        << Escape(Str(check, "tolerance")) << ")\n"
        << "<table><tr><th>cell</th><th>side</th><th>coef</th><th>text</th></tr>\n";
    for (const json& operand : Array(check, "cells")) Operand(out, index, operand);
    out << "</table></section>\n";
  }
}

Box BoxOf(const json& cell) {
  const json& b = At(cell, "bbox");
  if (!b.is_array() || b.size() != 4) return {};
  for (const json& v : b)
    if (!v.is_number_integer()) return {};
  return {b[0].get<int>(), b[1].get<int>(), b[2].get<int>(), b[3].get<int>()};
}

void CellChecksAndRepairs(std::ostringstream& out, const Index& index, const CellKey& key) {
  if (auto it = index.checks.find(key); it != index.checks.end()) {
    out << "<div>checks:";
    for (const json* check : it->second)
      out << " <span class=\"" << Escape(Str(*check, "status")) << "\">"
          << Escape(Str(*check, "id")) << " " << Escape(Str(*check, "status")) << "</span>";
    out << "</div>\n";
  }
  if (auto it = index.repairs.find(key); it != index.repairs.end())
    for (const json* repair : it->second)
      out << "<div>repair: “" << Escape(Str(*repair, "before")) << "” → “"
          << Escape(Str(*repair, "after")) << "” (" << Escape(Str(*repair, "reason"))
          << ", confidence " << Escape(Str(*repair, "confidence")) << ")</div>\n";
}

void FlaggedCell(std::ostringstream& out, const json& cell, const CellKey& key, const Index& index,
                 const CellCrop& crop) {
  const int page = Int(cell, "page", 0);
  out << "<article class=\"flagged-cell\" id=\"" << CellId(key) << "\" data-table=\""
      << std::get<0>(key) << "\" data-r=\"" << std::get<1>(key) << "\" data-c=\""
      << std::get<2>(key) << "\"><b>" << CellAddress(key) << "</b> <span class=\"muted\">page "
      << page << "</span>\n";
  const Box box = BoxOf(cell);
  const std::string png = crop && box.w > 0 && box.h > 0 ? crop(page, box) : "";
  if (!png.empty())
    out << "<img alt=\"page " << page << " around " << CellAddress(key)
        << "\" src=\"data:image/png;base64," << Base64(png) << "\">\n";
  else
    out << "<div class=\"muted\">(no page image)</div>\n";
  out << "<table><tr><th>text</th><td>" << Escape(Str(cell, "text")) << "</td></tr><tr><th>raw"
      << "</th><td>" << Escape(Str(cell, "raw")) << "</td></tr><tr><th>conf</th><td>"
      << Escape(Str(cell, "conf")) << "</td></tr><tr><th>source</th><td>"
      << Escape(Str(cell, "source")) << "</td></tr><tr><th>flags</th><td>";
  for (const json& flag : Array(cell, "flags"))
    out << "<span class=\"flag\">" << Escape(flag.is_string() ? flag.get<std::string>() : "")
        << "</span>";
  out << "</td></tr></table>\n";
  CellChecksAndRepairs(out, index, key);
  out << "</article>\n";
}

void FlaggedCells(std::ostringstream& out, const json& doc, const Index& index,
                  const CellCrop& crop) {
  out << "<h2>Flagged cells</h2>\n";
  const json& tables = Array(doc, "tables");
  for (size_t t = 0; t < tables.size(); ++t) {
    const json& cells = Array(tables[t], "cells");
    bool any = false;
    for (const json& cell : cells) any = any || Flagged(cell);
    if (!any) continue;
    out << "<h3>tables[" << t << "] " << Escape(Str(tables[t], "number")) << " "
        << Escape(Str(tables[t], "title")) << " <span class=\"muted\">("
        << Escape(Str(tables[t], "kind")) << ")</span></h3>\n";
    for (const json& cell : cells)
      if (Flagged(cell))
        FlaggedCell(out, cell, {static_cast<int>(t), Int(cell, "r"), Int(cell, "c")}, index, crop);
  }
}

}  // namespace

std::string Base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                       static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
  }
  if (i < bytes.size()) {
    const bool two = i + 1 < bytes.size();
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                       (two ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0u);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += two ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string ReviewPage(const nlohmann::json& doc, const CellCrop& crop,
                       const std::string& image_note) {
  const Index index = BuildIndex(doc);
  std::ostringstream out;
  Head(out, doc);
  Summary(out, doc);
  if (!image_note.empty()) out << "<p class=\"fail\">" << Escape(image_note) << "</p>\n";
  FailingChecks(out, doc, index);
  FlaggedCells(out, doc, index, crop);
  out << "<script>" << kScript << "</script>\n</body></html>\n";
  return out.str();
}

}  // namespace juesuan
