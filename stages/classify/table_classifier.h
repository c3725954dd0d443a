// Table kinds (models/table_kinds.json): classify a table by title + header signature + code
// type (never by its printed number alone) and name its columns with canonical ids.
//
// In:    the catalogue file (loaded once into a TableCatalogue); an assembled Table (cells,
//        header_rows, leaf_headers, title).
// Out:   ClassifyTable: the kind id for t.kind; CanonicalColumnIds / ColumnRoles: one entry per
//        column of a table whose t.kind is set. All are pure functions of the table and the
//        catalogue.
// Owns:  a TableCatalogue owns its kinds and row labels and is immutable once built: one
//        instance, loaded by the Extractor (or a test), is passed by const reference to every
//        stage and worker that needs it, and must outlive them. There is no process-wide copy.
// Order: load the catalogue -> ClassifyTable (before the Repairer, again after it) ->
//        CanonicalColumnIds / ColumnRoles (the Repairer, the records and the checks use them).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/document.h"

namespace juesuan {

struct ColumnSpec {
  std::string id, role;  // role: code | name | amount | line | item
  std::vector<std::string> headers;
};

struct TableKind {
  std::string id, rule_prefix, code_type;  // code_type: function | economic | none
  std::vector<std::string> title_any, title_none, header_signature, header_forbid, header_required;
  bool repeat_columns = false;
  std::vector<ColumnSpec> columns;
  std::string row_total;               // row identity: total column id ...
  std::vector<std::string> row_parts;  // ... = Σ these column ids
  std::vector<std::string> personnel_classes;
  std::string row_key;  // how rows are keyed: "line+label" (01, 04, 10), else by code or label
  // Forms (绩效目标填报表) print their labels anywhere in the grid, not only in header rows: the
  // words a label cell of such a form is repaired against.
  std::vector<std::string> form_labels;
};

// A fixed row label of the catalogue (row_labels in table_kinds.json): a line of the 01/04
// income half (with its 行次), a summary line (本年收入合计, 总计), or a 类 named as a line.
struct RowLabel {
  std::string group;  // income_lines | summary_labels | function_classes | info_stats
  std::string id;     // canonical line id; "" for function_classes
  std::string code;   // the 类 code, for function_classes
  std::optional<int> line;
  std::vector<std::string> labels;  // the wordings printed
};

class TableCatalogue {
 public:
  // Loads and parses the catalogue at `path`; throws std::runtime_error when it cannot be read
  // or parsed.
  explicit TableCatalogue(const std::string& path);
  // JUESUAN_MODELS_DIR "/table_kinds.json" (environment variable JUESUAN_MODELS_DIR overrides).
  static std::string DefaultPath();

  const std::vector<TableKind>& kinds() const { return kinds_; }
  const TableKind* Find(const std::string& id) const;  // nullptr for "unknown" or any other id
  // Every row label of every group, in the file's order (groups by name).
  const std::vector<RowLabel>& row_labels() const { return row_labels_; }

 private:
  std::vector<TableKind> kinds_;
  std::vector<RowLabel> row_labels_;
};

// "function" when the body's subject codes are 2xx function codes, "economic" for 3xx/5xx,
// "none" when the table has no code column.
std::string DetectCodeType(const Table& t);
// The code type of the table's kind (t.kind) when the kind has codes, else DetectCodeType.
std::string KindCodeType(const Table& t, const TableCatalogue& catalogue);

// The kind id, or "unknown".
std::string ClassifyTable(const Table& t, const TableCatalogue& catalogue);

// Canonical column id per column (same length as t.n_cols), "" where unknown; uses t.kind.
std::vector<std::string> CanonicalColumnIds(const Table& t, const TableCatalogue& catalogue);
// Role per column ("code", "name", "amount", "line", "item" or "").
std::vector<std::string> ColumnRoles(const Table& t, const TableCatalogue& catalogue);

// Header text equals a catalogue word up to OCR noise.
bool HeaderMatches(const std::string& text, const std::string& word);

}  // namespace juesuan
