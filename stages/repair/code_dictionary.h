// The 政府收支分类科目 dictionary (models/subject_codes.tsv): code -> name, level, parent, system.
//
// In:    the TSV file (system, code, name, level, parent, editions, sure), or its text (tests).
//        A code may have several rows, one per span of years in which it had one name (210 was
//        医疗卫生与计划生育支出 until 2018, 卫生健康支出 since 2019); the spans may not overlap.
// Out:   lookups by code, by name, by parent; every pointer returned points into the dictionary.
//        Edition(year) is the list of one year: what a document of that year prints.
// Owns:  its entries; a CodeDictionary is immutable once built, so one instance is shared by
//        every worker (const lookups only).
// Order: load once (the Extractor does, from DefaultPath()), before any Repairer that refers to
//        it; keep it alive as long as the Repairers and the CodeEntry pointers they hand out.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace juesuan {

enum class CodeSystem { kFunction, kEconDept, kEconGov };

struct CodeEntry {
  CodeSystem system = CodeSystem::kFunction;
  std::string code, name, level, parent;
  std::string editions;               // as written: "2017-2025", "2019-2025", "2025"
  int first_year = 0, last_year = 0;  // the years of `editions`
  bool sure = true;
  bool ValidIn(int year) const { return first_year <= year && year <= last_year; }
};

class CodeDictionary {
 public:
  CodeDictionary() = default;
  // Loads the TSV at `path`; throws std::runtime_error when it cannot be read or parsed.
  explicit CodeDictionary(const std::string& path);
  // Parses TSV text (same format); for tests.
  static CodeDictionary FromString(const std::string& tsv);
  // JUESUAN_MODELS_DIR "/subject_codes.tsv"; the environment variable JUESUAN_MODELS_DIR, when
  // set, overrides the compiled-in directory.
  static std::string DefaultPath();

  size_t size() const { return entries_.size(); }
  // The dictionary of one year's edition: the entries valid in `year`. A year after the last
  // edition takes the latest, a year before the first the earliest. With no year (a document
  // that does not print one) it is this whole dictionary, every edition at once, where Find
  // gives a code's latest entry.
  const CodeDictionary& Edition(std::optional<int> year) const;
  // Every entry of `code`, one per span of years, latest first; empty when absent.
  std::vector<const CodeEntry*> AllEditions(const std::string& code) const;
  // nullptr when absent. Codes are unique across systems (function 2xx, econ_dept 3xx, econ_gov
  // 5xx). In a dictionary of several editions: the code's latest entry.
  const CodeEntry* Find(const std::string& code) const;
  const CodeEntry* Find(const std::string& code, CodeSystem system) const;
  std::vector<const CodeEntry*> Children(const std::string& code) const;
  // The entry named `name` whose parent is `parent` ("" for 类); nullptr when none.
  const CodeEntry* FindNameUnder(const std::string& name, const std::string& parent) const;
  bool NameExistsUnder(const std::string& name, const std::string& parent) const {
    return FindNameUnder(name, parent) != nullptr;
  }
  // Every entry with this exact name (names repeat across levels and parents).
  std::vector<const CodeEntry*> FindByName(const std::string& name) const;

 private:
  void Parse(const std::string& text, const std::string& origin);
  void Index();
  void BuildEditions();
  std::vector<CodeEntry> entries_;
  std::unordered_map<std::string, size_t> by_code_;  // the latest entry of each code
  std::unordered_map<std::string, std::vector<size_t>> all_by_code_;
  // editions_[i] is the edition of year first_edition_ + i; empty in an edition itself.
  std::vector<std::shared_ptr<const CodeDictionary>> editions_;
  int first_edition_ = 0;
  std::unordered_map<std::string, std::vector<size_t>> children_, by_name_;
};

}  // namespace juesuan
