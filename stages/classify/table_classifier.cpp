#include "stages/classify/table_classifier.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "stages/common/model_files.h"
#include "stages/common/table_view.h"
#include "stages/common/text_match.h"

#ifndef JUESUAN_MODELS_DIR
#define JUESUAN_MODELS_DIR "models"
#endif

namespace juesuan {
namespace {

std::vector<std::string> Strings(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key))
    for (const auto& x : j.at(key)) out.push_back(x.get<std::string>());
  return out;
}

std::vector<std::string> Alternatives(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string x;
  while (std::getline(ss, x, '|')) out.push_back(x);
  return out;
}

std::vector<TableKind> ParseKinds(const nlohmann::json& j) {
  std::vector<TableKind> kinds;
  for (const auto& k : j.at("kinds")) {
    TableKind kind;
    kind.id = k.at("id").get<std::string>();
    kind.rule_prefix = k.value("rule_prefix", kind.id);
    kind.code_type = k.value("code_type", "none");
    kind.title_any = Strings(k, "title_any");
    kind.title_none = Strings(k, "title_none");
    kind.header_signature = Strings(k, "header_signature");
    kind.header_forbid = Strings(k, "header_forbid");
    kind.header_required = Strings(k, "header_required");
    kind.repeat_columns = k.value("repeat_columns", false);
    if (k.contains("columns"))
      for (const auto& c : k.at("columns"))
        kind.columns.push_back(
            {c.at("id").get<std::string>(), c.value("role", ""), Strings(c, "headers")});
    if (k.contains("row_identity")) {
      kind.row_total = k.at("row_identity").at("total").get<std::string>();
      kind.row_parts = Strings(k.at("row_identity"), "parts");
    }
    kind.personnel_classes = Strings(k, "personnel_classes");
    kind.row_key = k.value("row_key", "");
    kind.form_labels = Strings(k, "form_labels");
    kinds.push_back(std::move(kind));
  }
  return kinds;
}

std::vector<RowLabel> ParseRowLabels(const nlohmann::json& j) {
  std::vector<RowLabel> labels;
  if (j.contains("row_labels"))
    for (const auto& [group, list] : j.at("row_labels").items())
      for (const auto& item : list) {
        RowLabel label{group, item.value("id", ""), item.value("code", ""), std::nullopt,
                       Strings(item, "labels")};
        if (item.contains("line")) label.line = item.at("line").get<int>();
        if (item.contains("label")) label.labels.push_back(item.at("label").get<std::string>());
        labels.push_back(std::move(label));
      }
  return labels;
}

}  // namespace

bool HeaderMatches(const std::string& text, const std::string& word) {
  std::string a = StripSpaces(text), b = StripSpaces(word);
  if (a == b) return true;
  double n = static_cast<double>(std::max(U32Length(a), U32Length(b)));
  return ConfusionDistance(a, b) <= std::max(0.35, 0.2 * n);
}

TableCatalogue::TableCatalogue(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read table catalogue " + path);
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    kinds_ = ParseKinds(j);
    row_labels_ = ParseRowLabels(j);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("bad table catalogue " + path + ": " + e.what());
  }
}

std::string TableCatalogue::DefaultPath() { return ModelPath("table_kinds.json"); }

const TableKind* TableCatalogue::Find(const std::string& id) const {
  for (const auto& k : kinds_)
    if (k.id == id) return &k;
  return nullptr;
}

std::string DetectCodeType(const Table& t) {
  int function = 0, economic = 0;
  for (int c : CodeColumns(t))
    for (const auto& cell : t.cells) {
      if (cell.c != c || cell.r < t.header_rows) continue;
      std::string s = StripSpaces(cell.text);
      if (s.size() != 3 && s.size() != 5 && s.size() != 7) continue;
      if (s.find_first_not_of("0123456789") != std::string::npos) continue;
      if (s[0] == '2')
        ++function;
      else if (s[0] == '3' || s[0] == '5')
        ++economic;
    }
  if (function == 0 && economic == 0) return "none";
  return function >= economic ? "function" : "economic";
}

std::string KindCodeType(const Table& t, const TableCatalogue& catalogue) {
  const TableKind* kind = catalogue.Find(t.kind);
  if (kind && kind->code_type != "none") return kind->code_type;
  return DetectCodeType(t);
}

namespace {

bool TitleHas(const std::string& title, const std::string& word, double ratio) {
  if (title.empty()) return false;
  return FuzzyContains(title, word, ratio);
}

// Titles to match: the assembled title, or header cells that read like a title (004 prints the
// title inside the first spreadsheet rows).
std::vector<std::string> TitleCandidates(const Table& t) {
  std::vector<std::string> out;
  if (!t.title.empty()) out.push_back(StripSpaces(t.title));
  for (const auto& cell : t.cells)
    if (cell.r < std::max(t.header_rows, 1)) {
      std::string s = StripSpaces(cell.text);
      if (s.find("表") != std::string::npos && U32Length(s) >= 5) out.push_back(s);
    }
  return out;
}

struct Score {
  bool title_ok = false, excluded = false;
  double header = 0;
};

Score ScoreKind(const TableKind& k, const std::vector<std::string>& titles,
                const std::vector<std::string>& headers, const std::string& code_type) {
  Score s;
  for (const auto& title : titles) {
    bool any = false, none = false;
    for (const auto& w : k.title_any) any = any || TitleHas(title, w, 0.15);
    for (const auto& w : k.title_none) none = none || title.find(w) != std::string::npos;
    if (any && !none) s.title_ok = true;
  }
  int found = 0;
  for (const auto& sig : k.header_signature) {
    bool hit = false;
    for (const auto& alt : Alternatives(sig))
      for (const auto& h : headers) hit = hit || HeaderMatches(h, alt);
    found += hit;
  }
  s.header =
      k.header_signature.empty() ? 0 : static_cast<double>(found) / k.header_signature.size();
  for (const auto& w : k.header_forbid)
    for (const auto& h : headers)
      if (HeaderMatches(h, w)) s.excluded = true;
  if (!s.title_ok)
    for (const auto& w : k.header_required) {
      bool hit = false;
      for (const auto& h : headers) hit = hit || HeaderMatches(h, w);
      if (!hit) s.header = 0;
    }
  if (k.code_type != code_type) {
    // A coded kind needs its code type; an empty coded table (07/08 with only 合计) has none.
    if (code_type != "none") s.excluded = true;
  }
  return s;
}

}  // namespace

std::string ClassifyTable(const Table& t, const TableCatalogue& catalogue) {
  std::vector<std::string> titles = TitleCandidates(t);
  std::vector<std::string> headers = HeaderTexts(t);
  for (const auto& h : t.leaf_headers)
    if (!h.empty()) headers.push_back(StripSpaces(h));
  for (size_t i = 0, n = headers.size(); i < n; ++i)
    if (std::string s = StripOrdinal(headers[i]); s != headers[i] && !s.empty())
      headers.push_back(s);
  std::string code_type = DetectCodeType(t);
  struct Cand {
    std::string id;
    double score;
  };
  std::vector<Cand> cands;
  bool any_title = false;
  std::vector<Score> scores;
  for (const auto& k : catalogue.kinds()) {
    Score s = ScoreKind(k, titles, headers, code_type);
    scores.push_back(s);
    any_title = any_title || (s.title_ok && !s.excluded);
  }
  for (size_t i = 0; i < catalogue.kinds().size(); ++i) {
    const Score& s = scores[i];
    if (s.excluded) continue;
    bool accept =
        s.title_ok ? (s.header >= 0.25 || headers.empty()) : (!any_title && s.header >= 0.7);
    if (accept)
      cands.push_back({catalogue.kinds()[i].id, (s.title_ok ? 2.0 : 0.0) + 2.0 * s.header});
  }
  if (cands.empty()) return "unknown";
  std::sort(cands.begin(), cands.end(),
            [](const Cand& a, const Cand& b) { return a.score > b.score; });
  if (cands.size() > 1 && cands[0].score - cands[1].score < 0.05) return "unknown";
  return cands[0].id;
}

namespace {

std::vector<const ColumnSpec*> AssignColumns(const Table& t, const TableKind& k) {
  std::vector<const ColumnSpec*> out(static_cast<size_t>(t.n_cols), nullptr);
  if (k.columns.empty()) return out;
  size_t pos = 0, n = k.columns.size();
  for (int c = 0; c < t.n_cols; ++c) {
    std::string h = c < static_cast<int>(t.leaf_headers.size()) ? t.leaf_headers[c] : "";
    if (h.empty()) continue;
    size_t limit = k.repeat_columns ? n : n - std::min(pos, n);
    for (size_t step = 0; step < limit; ++step) {
      size_t idx = k.repeat_columns ? (pos + step) % n : pos + step;
      bool hit = false;
      for (const auto& w : k.columns[idx].headers) hit = hit || HeaderMatches(h, w);
      if (hit) {
        out[c] = &k.columns[idx];
        pos = idx + 1;
        if (k.repeat_columns) pos %= n;
        break;
      }
    }
  }
  return out;
}

// One field of the catalogue's column spec per column ("" where no spec matched).
std::vector<std::string> SpecField(const Table& t, const TableCatalogue& catalogue,
                                   std::string ColumnSpec::*field) {
  std::vector<std::string> out(static_cast<size_t>(t.n_cols));
  const TableKind* k = catalogue.Find(t.kind);
  if (!k) return out;
  auto specs = AssignColumns(t, *k);
  for (int c = 0; c < t.n_cols; ++c)
    if (specs[c]) out[c] = specs[c]->*field;
  return out;
}

}  // namespace

std::vector<std::string> CanonicalColumnIds(const Table& t, const TableCatalogue& catalogue) {
  return SpecField(t, catalogue, &ColumnSpec::id);
}

std::vector<std::string> ColumnRoles(const Table& t, const TableCatalogue& catalogue) {
  return SpecField(t, catalogue, &ColumnSpec::role);
}

}  // namespace juesuan
