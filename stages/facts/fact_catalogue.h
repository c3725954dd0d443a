// The catalogue of narrative fact kinds (models/fact_kinds.json): each kind's triggers (the
// phrases that open it in a sentence), the numbers it carries, the kinds that add up to it and
// the table cells that print the same figure.
//
// Owns:  its kinds; immutable once loaded, so one instance serves every thread.
// Order: load once (the Extractor does, from DefaultPath()), pass it to ReadNarrativeFacts and
//        CheckFacts; it must outlive them.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace juesuan {

// A table cell that prints the same figure as a fact's number.
struct FactTableLink {
  std::string role;   // the fact number's role ("amount", "final", "budget_initial")
  std::string table;  // table kind (models/table_kinds.json)
  // The row: a record with this line_id (and half), or the total row, or the record of the
  // fact's subject code, or the first body row (one-row tables such as 三公).
  std::string line_id, half;
  bool total_row = false, subject_row = false, first_row = false;
  std::string column;  // canonical column id
};

struct FactKind {
  std::string kind, description;
  std::vector<std::string> triggers;
  std::vector<std::string> numbers;  // roles it carries
  bool trigger_is_subject = false;   // the trigger names the subject (a vehicle type)
  std::vector<std::string> parts;    // kinds that add up to it
  std::vector<FactTableLink> tables;
};

class FactCatalogue {
 public:
  // Loads the JSON at `path`; throws std::runtime_error when it cannot be read or parsed.
  explicit FactCatalogue(const std::string& path);
  // Parses JSON text (same format); for tests.
  static FactCatalogue FromString(const std::string& json);
  // JUESUAN_MODELS_DIR "/fact_kinds.json" (the environment variable overrides, as for the
  // other models).
  static std::string DefaultPath();

  const std::vector<FactKind>& kinds() const { return kinds_; }
  const FactKind* Find(const std::string& kind) const;

 private:
  FactCatalogue() = default;
  void Parse(const std::string& text, const std::string& origin);
  std::vector<FactKind> kinds_;
};

}  // namespace juesuan
