#include "stages/repair/code_dictionary.h"

#include <sstream>
#include <stdexcept>

#include "stages/common/model_files.h"

namespace juesuan {

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
    e.sure = f[6] != "unsure";
    if (by_code_.count(e.code)) continue;  // first wins
    by_code_[e.code] = entries_.size();
    entries_.push_back(std::move(e));
  }
  for (size_t i = 0; i < entries_.size(); ++i) {
    children_[entries_[i].parent].push_back(i);
    by_name_[entries_[i].name].push_back(i);
  }
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
