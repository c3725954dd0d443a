#include "stages/facts/facts.h"

#include <algorithm>

#include "stages/facts/fact_checks.h"
#include "stages/facts/fact_reader.h"
#include "stages/facts/narrative.h"

namespace juesuan {

std::vector<Check> CheckNarrativeFacts(Document& doc, const FactCatalogue& catalogue) {
  std::vector<Check> checks = CheckFacts(doc, catalogue);
  for (auto& f : doc.facts) std::erase(f.flags, "check_failed");
  for (const auto& c : checks) {
    if (c.status != "fail") continue;
    for (const auto& operand : c.facts) {
      auto& flags = doc.facts[operand.fact].flags;
      if (std::find(flags.begin(), flags.end(), "check_failed") == flags.end())
        flags.push_back("check_failed");
    }
  }
  return checks;
}

void ReadNarrativeFacts(Document& doc, const CodeDictionary& dictionary,
                        const FactCatalogue& catalogue) {
  doc.facts = ReadFacts(NarrativeSentences(doc.page_results), catalogue, dictionary);
  std::vector<Check> checks = CheckNarrativeFacts(doc, catalogue);
  doc.checks.insert(doc.checks.end(), checks.begin(), checks.end());
}

}  // namespace juesuan
