#include "stages/repair/code_dictionary.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "stages/common/model_files.h"

namespace juesuan {

namespace {

// "2017-2025" -> 2017, 2025; "2025" -> 2025, 2025.
bool ParseYears(const std::string& s, int& first, int& last) {
  auto year = [](const std::string& y, int& out) {
    if (y.size() != 4 ||
        !std::all_of(y.begin(), y.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
    out = std::stoi(y);
    return true;
  };
  const size_t dash = s.find('-');
  if (dash == std::string::npos) return year(s, first) && year(s, last);
  return year(s.substr(0, dash), first) && year(s.substr(dash + 1), last) && first <= last;
}

}  // namespace

CodeDictionary::CodeDictionary(const std::string& path) {
  Parse(ReadModelFile(path, "subject-code dictionary"), path);
}

CodeDictionary CodeDictionary::FromString(const std::string& tsv) {
  CodeDictionary d;
  d.Parse(tsv, "<string>");
  return d;
}

std::string CodeDictionary::DefaultPath() { return ModelPath("subject_codes.tsv"); }

void CodeDictionary::Parse(const std::string& text, const std::string& origin) {
  std::istringstream in(text);
  std::string line;
  int n = 0;
  bool header = false;
  std::unordered_map<std::string, std::vector<size_t>> rows_of;  // code -> its rows so far
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ls(line);
    std::string x;
    while (std::getline(ls, x, '\t')) f.push_back(x);
    if (!header && !f.empty() && f[0] == "system") {
      header = true;
      continue;
    }
    if (f.size() < 5)
      throw std::runtime_error(origin + ":" + std::to_string(n) +
                               ": expected 7 tab-separated fields");
    while (f.size() < 7) f.emplace_back();
    CodeEntry e;
    if (f[0] == "function")
      e.system = CodeSystem::kFunction;
    else if (f[0] == "econ_dept")
      e.system = CodeSystem::kEconDept;
    else if (f[0] == "econ_gov")
      e.system = CodeSystem::kEconGov;
    else
      throw std::runtime_error(origin + ":" + std::to_string(n) + ": unknown system " + f[0]);
    e.code = f[1];
    e.name = f[2];
    e.level = f[3];
    e.parent = f[4];
    e.editions = f[5];
    if (!ParseYears(e.editions, e.first_year, e.last_year))
      throw std::runtime_error(origin + ":" + std::to_string(n) + ": editions '" + e.editions +
                               "' is not a year or a span of years (2017-2025)");
    e.sure = f[6] != "unsure";
    for (size_t i : rows_of[e.code])
      if (const CodeEntry& o = entries_[i];
          o.first_year <= e.last_year && e.first_year <= o.last_year)
        throw std::runtime_error(origin + ":" + std::to_string(n) + ": code " + e.code +
                                 " is listed twice for the years " + o.editions + " and " +
                                 e.editions);
    rows_of[e.code].push_back(entries_.size());
    entries_.push_back(std::move(e));
  }
  Index();
  BuildEditions();
}

void CodeDictionary::Index() {
  for (size_t i = 0; i < entries_.size(); ++i) {
    const CodeEntry& e = entries_[i];
    auto [it, added] = by_code_.emplace(e.code, i);
    if (!added && entries_[it->second].last_year < e.last_year) it->second = i;
    all_by_code_[e.code].push_back(i);
    children_[e.parent].push_back(i);
    by_name_[e.name].push_back(i);
  }
  for (auto& [code, list] : all_by_code_)
    std::sort(list.begin(), list.end(),
              [&](size_t a, size_t b) { return entries_[a].last_year > entries_[b].last_year; });
}

// One dictionary per year from the first edition to the last; few years, small lists.
void CodeDictionary::BuildEditions() {
  if (entries_.empty()) return;
  int first = entries_[0].first_year, last = entries_[0].last_year;
  for (const CodeEntry& e : entries_) {
    first = std::min(first, e.first_year);
    last = std::max(last, e.last_year);
  }
  first_edition_ = first;
  for (int year = first; year <= last; ++year) {
    auto edition = std::make_shared<CodeDictionary>();
    for (const CodeEntry& e : entries_)
      if (e.ValidIn(year)) edition->entries_.push_back(e);
    edition->Index();
    editions_.push_back(std::move(edition));
  }
}

const CodeDictionary& CodeDictionary::Edition(std::optional<int> year) const {
  if (!year || editions_.empty()) return *this;
  const int i = std::clamp(*year - first_edition_, 0, static_cast<int>(editions_.size()) - 1);
  return *editions_[i];
}

std::vector<const CodeEntry*> CodeDictionary::AllEditions(const std::string& code) const {
  std::vector<const CodeEntry*> out;
  if (auto it = all_by_code_.find(code); it != all_by_code_.end())
    for (size_t i : it->second) out.push_back(&entries_[i]);
  return out;
}

const CodeEntry* CodeDictionary::Find(const std::string& code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &entries_[it->second];
}

const CodeEntry* CodeDictionary::Find(const std::string& code, CodeSystem system) const {
  const CodeEntry* e = Find(code);
  return e && e->system == system ? e : nullptr;
}

std::vector<const CodeEntry*> CodeDictionary::Children(const std::string& code) const {
  std::vector<const CodeEntry*> out;
  if (code.empty()) return out;
  auto it = children_.find(code);
  if (it != children_.end())
    for (size_t i : it->second) out.push_back(&entries_[i]);
  return out;
}

const CodeEntry* CodeDictionary::FindNameUnder(const std::string& name,
                                               const std::string& parent) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return nullptr;
  for (size_t i : it->second)
    if (entries_[i].parent == parent) return &entries_[i];
  return nullptr;
}

std::vector<const CodeEntry*> CodeDictionary::FindByName(const std::string& name) const {
  std::vector<const CodeEntry*> out;
  auto it = by_name_.find(name);
  if (it != by_name_.end())
    for (size_t i : it->second) out.push_back(&entries_[i]);
  return out;
}

}  // namespace juesuan
