// `juesuan validate`: an output JSON file checked again, typically after a person corrected
// cells that the extraction flagged. The cells are the source of truth: the file's records must
// be what its cells give, and every arithmetic check is re-run on the cells' text as it stands,
// by the same Checker as the extraction. Nothing is repaired.
//
// In:    the path of a JSON file written by `juesuan extract` or `batch` (edited or not), and
//        the table catalogue (loaded once by the caller).
// Out:   a ValidationReport: why the file is unreadable, or its schema errors (against the
//        schema compiled into the program, plus cells that lie outside their table), or the
//        checks re-run on its cells, the record values that disagree with their cells, and the
//        checks whose result differs from the one the file holds. Unedited extraction output
//        gives back exactly the file's checks (same ids, status, expected and actual).
// Order: read and parse -> schema -> FromJson -> columns and records rebuilt from the cells and
//        compared with the file's -> Checker::check. A file that is not valid against the
//        schema goes no further (its cells cannot be trusted to mean what the checks assume).
// Owns:  nothing; reports are plain values. ReportLines / ReportJson format them for the CLI.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "stages/classify/table_classifier.h"
#include "stages/common/errors.h"
#include "stages/emit/json_schema.h"
#include "stages/facts/fact_catalogue.h"

namespace juesuan {

// What a file is, in rising order of severity (a batch of files exits with the worst).
enum class Verdict { kValid, kChecksFailed, kSchemaInvalid, kUnreadable };

// One place where the file's columns or records are not what its cells give: a JSON path into
// the file ("$.tables[2].records[5].values[3].value"), the file's value there (null when the
// file has none) and the cells' (null when the cells give none).
struct RecordMismatch {
  std::string path;
  nlohmann::json in_file, from_cells;
};

// A check whose re-run result differs from the file's: both as the output's "checks" entries
// (in_file null: a check the file does not have; now null: one the cells no longer give).
struct CheckChange {
  std::string id;
  nlohmann::json in_file, now;
};

struct ValidationReport {
  std::string file;
  Verdict verdict = Verdict::kValid;
  std::string unreadable;                  // why the file could not be read, when it could not
  std::vector<SchemaError> schema_errors;  // against the schema, and cells outside the lattice
  std::vector<Check> checks;               // every check re-run on the cells, in checker order
  std::vector<RecordMismatch> record_mismatches;
  std::vector<CheckChange> changed_checks;  // informational: a correction changes results
};

// Checks one file; never throws for anything the file holds. With the fact catalogue, the checks
// of the narrative facts are re-run too; without it, the file's fact checks (those with `facts`
// operands) are neither re-run nor compared.
ValidationReport ValidateFile(const std::string& path, const TableCatalogue& catalogue,
                              const FactCatalogue* facts = nullptr);
// The same on a parsed document (report.file stays empty).
ValidationReport ValidateJson(const nlohmann::json& doc, const TableCatalogue& catalogue,
                              const FactCatalogue* facts = nullptr);

// valid 0 (kOk), checks failed 6, not valid against the schema 7, unreadable 3 (kBadInput).
ExitCode ExitCodeOf(Verdict verdict);
// "valid", "checks_failed", "schema_invalid", "unreadable".
const char* VerdictName(Verdict verdict);

// The report as text: one line per schema error, failing check, record mismatch and changed
// check, each starting with the file name, then one summary line.
std::vector<std::string> ReportLines(const ValidationReport& report);
// The report as JSON: {file, verdict, exit_code, error, schema_errors, checks_summary, checks,
// record_mismatches, changed_checks} (README, "Validate").
nlohmann::json ReportJson(const ValidationReport& report);

}  // namespace juesuan
