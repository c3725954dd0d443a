// The 政府收支分类科目 dictionary (models/subject_codes.tsv): code -> name, level, parent, system.
//
// In:    the TSV file (system, code, name, level, parent, editions, sure), or its text (tests).
// Out:   lookups by code, by name, by parent; every pointer returned points into the dictionary.
// Owns:  its entries; a CodeDictionary is immutable once built, so one instance is shared by
//        every worker (const lookups only).
// Order: load once (the Extractor does, from DefaultPath()), before any Repairer that refers to
//        it; keep it alive as long as the Repairers and the CodeEntry pointers they hand out.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

namespace juesuan {

enum class CodeSystem { kFunction, kEconDept, kEconGov };

struct CodeEntry {
  CodeSystem system = CodeSystem::kFunction;
  std::string code, name, level, parent, editions;
  bool sure = true;
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
  // nullptr when absent. Codes are unique across systems (function 2xx, econ_dept 3xx, econ_gov
  // 5xx).
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
  std::vector<CodeEntry> entries_;
  std::unordered_map<std::string, size_t> by_code_;
  std::unordered_map<std::string, std::vector<size_t>> children_, by_name_;
};

}  // namespace juesuan
