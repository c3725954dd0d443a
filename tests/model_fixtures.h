// The models/ the tests read: the table catalogue and the subject-code dictionary, each loaded
// once per test process. The library keeps no process-wide copy (the Extractor loads its own and
// passes it in); this is the tests' stand-in for that one load.
#pragma once

#include "stages/classify/table_classifier.h"
#include "stages/facts/fact_catalogue.h"
#include "stages/repair/code_dictionary.h"

namespace juesuan::testing {

inline const TableCatalogue& Catalogue() {
  static const TableCatalogue catalogue(TableCatalogue::DefaultPath());
  return catalogue;
}

inline const CodeDictionary& Dictionary() {
  static const CodeDictionary dictionary(CodeDictionary::DefaultPath());
  return dictionary;
}

inline const FactCatalogue& FactKinds() {
  static const FactCatalogue catalogue(FactCatalogue::DefaultPath());
  return catalogue;
}

}  // namespace juesuan::testing
