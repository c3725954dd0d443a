// The 政府收支分类科目 dictionary (models/subject_codes.tsv): code -> name, level, parent, system.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

namespace juesuan {

enum class CodeSystem { kFunction, kEconDept, kEconGov };
const char* CodeSystemName(CodeSystem s);

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
  const std::vector<CodeEntry>& entries() const { return entries_; }

 private:
  void Parse(const std::string& text, const std::string& origin);
  std::vector<CodeEntry> entries_;
  std::unordered_map<std::string, size_t> by_code_;
  std::unordered_map<std::string, std::vector<size_t>> children_, by_name_;
};

}  // namespace juesuan
