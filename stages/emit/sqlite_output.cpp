#include "stages/emit/sqlite_output.h"

#include <sqlite3.h>

#include <cstdint>
#include <initializer_list>
#include <map>

#include "stages/common/amount.h"
#include "stages/emit/json_fields.h"

namespace juesuan {
namespace {

// The schema (README "SQLite" explains every table). Amounts are exact integer cents (0.01 of the
// table unit) as ParseAmount reads them, never REAL; JSON arrays (paths, flags, pages) are JSON
// text for SQLite's json functions. Every child row goes with its document (ON DELETE CASCADE),
// and every foreign key has an index, so that replacing a document does not scan the database.
constexpr const char* kSqliteSchema = R"sql(
CREATE TABLE IF NOT EXISTS documents (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  file TEXT,
  pages INTEGER,
  department TEXT,
  year TEXT,
  unit TEXT,
  schema_version TEXT,
  generator_version TEXT,
  config_hash TEXT,
  checks_pass INTEGER,
  checks_fail INTEGER,
  checks_warning INTEGER);
CREATE INDEX IF NOT EXISTS documents_department_year ON documents (department, year);
CREATE TABLE IF NOT EXISTS tables (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  table_index INTEGER NOT NULL,
  number TEXT,
  kind TEXT,
  title TEXT,
  unit TEXT,
  pages TEXT,
  n_rows INTEGER,
  n_cols INTEGER,
  header_rows INTEGER,
  UNIQUE (document_id, table_index));
CREATE INDEX IF NOT EXISTS tables_kind ON tables (kind);
CREATE INDEX IF NOT EXISTS tables_number ON tables (number);
CREATE TABLE IF NOT EXISTS columns (
  id INTEGER PRIMARY KEY,
  table_id INTEGER NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
  column_index INTEGER NOT NULL,
  path TEXT,
  header TEXT,
  column_id TEXT,
  UNIQUE (table_id, column_index));
CREATE INDEX IF NOT EXISTS columns_column_id ON columns (column_id);
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY,
  table_id INTEGER NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
  record_index INTEGER NOT NULL,
  row INTEGER,
  role TEXT,
  key TEXT,
  code TEXT,
  classification TEXT,
  level TEXT,
  parent TEXT,
  line INTEGER,
  half TEXT,
  line_id TEXT,
  label TEXT,
  name TEXT,
  UNIQUE (table_id, record_index));
CREATE INDEX IF NOT EXISTS records_table_row ON records (table_id, row);
CREATE INDEX IF NOT EXISTS records_code ON records (code);
CREATE INDEX IF NOT EXISTS records_line_id ON records (line_id);
CREATE TABLE IF NOT EXISTS record_values (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  column_ref INTEGER REFERENCES columns (id) ON DELETE CASCADE,
  column_index INTEGER NOT NULL,
  text TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('blank', 'dash', 'number', 'invalid')),
  cents INTEGER CHECK ((kind = 'number') = (cents IS NOT NULL)),
  flags TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS record_values_record ON record_values (record_id, column_index);
CREATE INDEX IF NOT EXISTS record_values_column ON record_values (column_ref);
CREATE TABLE IF NOT EXISTS checks (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  check_index INTEGER NOT NULL,
  check_id TEXT NOT NULL,
  rule TEXT,
  detail TEXT,
  tables TEXT,
  expected_cents INTEGER,
  actual_cents INTEGER,
  difference_cents INTEGER,
  tolerance_cents INTEGER,
  conditional INTEGER,
  status TEXT,
  UNIQUE (document_id, check_index));
CREATE INDEX IF NOT EXISTS checks_status ON checks (status, rule);
CREATE TABLE IF NOT EXISTS check_operands (
  id INTEGER PRIMARY KEY,
  check_ref INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
  operand_index INTEGER NOT NULL,
  table_index INTEGER,
  r INTEGER,
  c INTEGER,
  side TEXT,
  coef INTEGER,
  UNIQUE (check_ref, operand_index));
CREATE TABLE IF NOT EXISTS repairs (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  repair_index INTEGER NOT NULL,
  table_index INTEGER,
  table_number TEXT,
  r INTEGER,
  c INTEGER,
  field TEXT,
  before TEXT,
  after TEXT,
  reason TEXT,
  confidence REAL,
  UNIQUE (document_id, repair_index));
CREATE TABLE IF NOT EXISTS facts (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  fact_index INTEGER NOT NULL,
  kind TEXT,
  subject_code TEXT,
  subject_name TEXT,
  page INTEGER,
  sentence TEXT,
  flags TEXT NOT NULL,
  UNIQUE (document_id, fact_index));
CREATE INDEX IF NOT EXISTS facts_kind ON facts (kind, subject_code);
CREATE TABLE IF NOT EXISTS fact_numbers (
  id INTEGER PRIMARY KEY,
  fact_id INTEGER NOT NULL REFERENCES facts (id) ON DELETE CASCADE,
  number_index INTEGER NOT NULL,
  role TEXT,
  text TEXT NOT NULL,
  unit TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('blank', 'dash', 'number', 'invalid')),
  cents INTEGER CHECK ((kind = 'number') = (cents IS NOT NULL)),
  UNIQUE (fact_id, number_index));
CREATE TABLE IF NOT EXISTS check_fact_operands (
  id INTEGER PRIMARY KEY,
  check_ref INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
  operand_index INTEGER NOT NULL,
  fact_index INTEGER,
  role TEXT,
  side TEXT,
  coef INTEGER,
  UNIQUE (check_ref, operand_index));
CREATE VIEW IF NOT EXISTS values_long AS
SELECT d.sha256, d.name AS document, d.department, d.year, coalesce(t.unit, d.unit) AS unit,
       t.table_index AS "table", t.number AS table_number, t.kind AS table_kind,
       t.title AS table_title, r.row, r.role, r.key, r.code, r.classification, r.level, r.parent,
       r.line, r.half, r.line_id, r.label, r.name, v.column_index AS "column",
       c.path AS column_path, c.column_id, c.header AS column_header,
       CASE WHEN v.text = '' THEN NULL WHEN v.kind = 'number' THEN v.cents / 100.0 ELSE v.text END
         AS value,
       v.text, v.flags, v.kind, v.cents, v.id AS value_id
  FROM record_values v
  JOIN records r ON r.id = v.record_id
  JOIN tables t ON t.id = r.table_id
  JOIN documents d ON d.id = t.document_id
  LEFT JOIN columns c ON c.id = v.column_ref;
)sql";

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

const nlohmann::json& Field(const nlohmann::json& j, const char* key) { return JsonField(j, key); }
const nlohmann::json& Elements(const nlohmann::json& j) { return JsonElements(j); }

// An exact amount of the JSON (CentsJson wrote it from its decimal text) back in cents, through
// the one amount parser; null when it is not a number.
nlohmann::json CentsOf(const nlohmann::json& number) {
  if (!number.is_number()) return nullptr;
  const Amount amount = ParseAmount(number.dump());
  return amount.is_number() ? nlohmann::json(amount.cents) : nlohmann::json();
}

const char* KindName(Amount::Kind kind) {
  switch (kind) {
    case Amount::Kind::kBlank:
      return "blank";
    case Amount::Kind::kDash:
      return "dash";
    case Amount::Kind::kNumber:
      return "number";
    case Amount::Kind::kInvalid:
      break;
  }
  return "invalid";
}

std::string TextOf(const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : ""; }

}  // namespace

// The connection and one prepared statement per insert, reused for every row.
struct SqliteConnection {
  std::string path;
  std::unique_ptr<sqlite3, CloseDatabase> db;  // declared first: closed after the statements
  std::map<std::string, StatementPtr> statements;

  [[noreturn]] void Fail(const std::string& what) const {
    throw SqliteError("cannot write database " + path + ": " + what + ": " +
                      (db ? sqlite3_errmsg(db.get()) : "out of memory"));
  }
  void Exec(const char* sql) {
    if (sqlite3_exec(db.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) Fail(sql);
  }
  sqlite3_stmt* Prepare(const std::string& sql) {
    StatementPtr& s = statements[sql];
    if (!s) {
      sqlite3_stmt* raw = nullptr;
      const int rc = sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw, nullptr);
      s.reset(raw);
      if (rc != SQLITE_OK) Fail("prepare");
    }
    return s.get();
  }
  void Bind(sqlite3_stmt* s, int at, const nlohmann::json& v) {
    int rc = SQLITE_OK;
    if (v.is_null()) {
      rc = sqlite3_bind_null(s, at);
    } else if (v.is_string()) {
      const auto& text = v.get_ref<const std::string&>();
      rc = sqlite3_bind_text64(s, at, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } else if (v.is_boolean()) {
      rc = sqlite3_bind_int(s, at, v.get<bool>() ? 1 : 0);
    } else if (v.is_number_integer()) {
      rc = sqlite3_bind_int64(s, at, v.get<sqlite3_int64>());
    } else if (v.is_number_float()) {
      rc = sqlite3_bind_double(s, at, v.get<double>());
    } else {  // arrays and objects: JSON text
      const std::string text = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      rc = sqlite3_bind_text64(s, at, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    if (rc != SQLITE_OK) Fail("bind");
  }
  // Runs `sql` with `values` bound in order; returns the new row's id.
  sqlite3_int64 Insert(const std::string& sql, std::initializer_list<nlohmann::json> values) {
    sqlite3_stmt* s = Prepare(sql);
    sqlite3_reset(s);
    int at = 1;
    for (const auto& v : values) Bind(s, at++, v);
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) Fail("insert");
    return sqlite3_last_insert_rowid(db.get());
  }
};

namespace {

// Begins a write transaction at once (BEGIN IMMEDIATE: a writer that must wait for another
// process waits here, within the busy timeout, never halfway); rolls back unless committed.
class WriteTransaction {
 public:
  explicit WriteTransaction(SqliteConnection& c) : c_(c) { c_.Exec("BEGIN IMMEDIATE"); }
  ~WriteTransaction() {
    if (!committed_) sqlite3_exec(c_.db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void Commit() {
    c_.Exec("COMMIT");
    committed_ = true;
  }

 private:
  SqliteConnection& c_;
  bool committed_ = false;
};

int UserVersion(SqliteConnection& c) {
  sqlite3_stmt* s = c.Prepare("PRAGMA user_version");
  sqlite3_reset(s);
  const int rc = sqlite3_step(s);
  const int version = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
  sqlite3_reset(s);
  if (rc != SQLITE_ROW) c.Fail("read the schema version");
  return version;
}

// WAL: readers (a user's query during a batch) never block the writer, nor it them. The busy
// timeout covers another writer (a second batch on the same file) holding the lock.
void Configure(SqliteConnection& c) {
  sqlite3_extended_result_codes(c.db.get(), 1);
  sqlite3_busy_timeout(c.db.get(), 30000);
  c.Exec("PRAGMA foreign_keys = ON");
  c.Exec("PRAGMA journal_mode = WAL");
  WriteTransaction schema(c);
  const int version = UserVersion(c);
  if (version != 0 && version != kSqliteSchemaVersion)
    throw SqliteError("cannot write database " + c.path + ": its schema version is " +
                      std::to_string(version) + ", this juesuan writes " +
                      std::to_string(kSqliteSchemaVersion));
  c.Exec(kSqliteSchema);
  c.Exec(("PRAGMA user_version = " + std::to_string(kSqliteSchemaVersion)).c_str());
  schema.Commit();
}

void DeleteDocument(SqliteConnection& c, const nlohmann::json& sha256) {
  sqlite3_stmt* s = c.Prepare("DELETE FROM documents WHERE sha256 = ?");
  sqlite3_reset(s);
  c.Bind(s, 1, sha256);
  const int rc = sqlite3_step(s);
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) c.Fail("delete the earlier rows of the document");
}

sqlite3_int64 InsertDocument(SqliteConnection& c, const nlohmann::json& out,
                             const std::string& name) {
  const nlohmann::json& source = Field(out, "source");
  const nlohmann::json& disclosure = Field(out, "disclosure");
  const nlohmann::json& generator = Field(out, "generator");
  const nlohmann::json& summary = Field(out, "checks_summary");
  return c.Insert(
      "INSERT INTO documents (sha256, name, file, pages, department, year, unit, schema_version,"
      " generator_version, config_hash, checks_pass, checks_fail, checks_warning)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {Field(source, "sha256"), name, Field(source, "file"), Field(source, "pages"),
       Field(disclosure, "department"), Field(disclosure, "year"), Field(disclosure, "unit"),
       Field(out, "schema_version"), Field(generator, "version"), Field(generator, "config_hash"),
       Field(summary, "pass"), Field(summary, "fail"), Field(summary, "warning")});
}

// The table's columns; returns their row ids by column index.
std::map<int64_t, sqlite3_int64> InsertColumns(SqliteConnection& c, sqlite3_int64 table,
                                               const nlohmann::json& t) {
  std::map<int64_t, sqlite3_int64> ids;
  for (const auto& col : Elements(Field(t, "columns"))) {
    const nlohmann::json& index = Field(col, "index");
    if (!index.is_number_integer()) continue;
    ids[index.get<int64_t>()] = c.Insert(
        "INSERT INTO columns (table_id, column_index, path, header, column_id)"
        " VALUES (?, ?, ?, ?, ?)",
        {table, index, Field(col, "path"), Field(col, "header"), Field(col, "id")});
  }
  return ids;
}

// One row per value, its number decided from its text by ParseAmount (as the JSON's "value").
void InsertValues(SqliteConnection& c, sqlite3_int64 record, const nlohmann::json& r,
                  const std::map<int64_t, sqlite3_int64>& columns) {
  for (const auto& v : Elements(Field(r, "values"))) {
    const nlohmann::json& index = Field(v, "column");
    if (!index.is_number_integer()) continue;
    const auto column = columns.find(index.get<int64_t>());
    const std::string text = TextOf(Field(v, "text"));
    const Amount amount = ParseAmount(text);
    const nlohmann::json& flags = Field(v, "flags");
    c.Insert(
        "INSERT INTO record_values (record_id, column_ref, column_index, text, kind, cents, flags)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        {record, column == columns.end() ? nlohmann::json() : nlohmann::json(column->second), index,
         text, KindName(amount.kind),
         amount.is_number() ? nlohmann::json(amount.cents) : nlohmann::json(),
         flags.is_array() ? flags : nlohmann::json::array()});
  }
}

void InsertRecords(SqliteConnection& c, sqlite3_int64 table, const nlohmann::json& t,
                   const std::map<int64_t, sqlite3_int64>& columns) {
  int64_t index = 0;
  for (const auto& r : Elements(Field(t, "records"))) {
    const sqlite3_int64 record = c.Insert(
        "INSERT INTO records (table_id, record_index, row, role, key, code, classification,"
        " level, parent, line, half, line_id, label, name)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {table, index++, Field(r, "row"), Field(r, "role"), Field(r, "key"), Field(r, "code"),
         Field(r, "classification"), Field(r, "level"), Field(r, "parent"), Field(r, "line"),
         Field(r, "half"), Field(r, "line_id"), Field(r, "label"), Field(r, "name")});
    InsertValues(c, record, r, columns);
  }
}

void InsertTables(SqliteConnection& c, sqlite3_int64 document, const nlohmann::json& out) {
  int64_t position = 0;
  for (const auto& t : Elements(Field(out, "tables"))) {
    const nlohmann::json& index = Field(t, "index");
    const sqlite3_int64 table = c.Insert(
        "INSERT INTO tables (document_id, table_index, number, kind, title, unit, pages, n_rows,"
        " n_cols, header_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {document, index.is_number_integer() ? index : nlohmann::json(position), Field(t, "number"),
         Field(t, "kind"), Field(t, "title"), Field(t, "unit"), Field(t, "pages"),
         Field(t, "n_rows"), Field(t, "n_cols"), Field(t, "header_rows")});
    ++position;
    InsertRecords(c, table, t, InsertColumns(c, table, t));
  }
}

void InsertChecks(SqliteConnection& c, sqlite3_int64 document, const nlohmann::json& out) {
  int64_t index = 0;
  for (const auto& k : Elements(Field(out, "checks"))) {
    const sqlite3_int64 check = c.Insert(
        "INSERT INTO checks (document_id, check_index, check_id, rule, detail, tables,"
        " expected_cents, actual_cents, difference_cents, tolerance_cents, conditional, status)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {document, index++, TextOf(Field(k, "id")), Field(k, "rule"), Field(k, "detail"),
         Field(k, "tables"), CentsOf(Field(k, "expected")), CentsOf(Field(k, "actual")),
         CentsOf(Field(k, "difference")), CentsOf(Field(k, "tolerance")), Field(k, "conditional"),
         Field(k, "status")});
    int64_t operand = 0;
    for (const auto& cell : Elements(Field(k, "cells")))
      c.Insert(
          "INSERT INTO check_operands (check_ref, operand_index, table_index, r, c, side, coef)"
          " VALUES (?, ?, ?, ?, ?, ?, ?)",
          {check, operand++, Field(cell, "table"), Field(cell, "r"), Field(cell, "c"),
           Field(cell, "side"), Field(cell, "coef")});
    // A fact check's reference cells (proven by their table, not suspected): side "reference".
    for (const auto& cell : Elements(Field(k, "reference_cells")))
      c.Insert(
          "INSERT INTO check_operands (check_ref, operand_index, table_index, r, c, side, coef)"
          " VALUES (?, ?, ?, ?, ?, 'reference', ?)",
          {check, operand++, Field(cell, "table"), Field(cell, "r"), Field(cell, "c"),
           Field(cell, "coef")});
    operand = 0;
    for (const auto& f : Elements(Field(k, "facts")))
      c.Insert(
          "INSERT INTO check_fact_operands (check_ref, operand_index, fact_index, role, side, coef)"
          " VALUES (?, ?, ?, ?, ?, ?)",
          {check, operand++, Field(f, "fact"), Field(f, "role"), Field(f, "side"),
           Field(f, "coef")});
  }
}

// The narrative facts and their numbers (cents of the printed unit, by ParseAmount).
void InsertFacts(SqliteConnection& c, sqlite3_int64 document, const nlohmann::json& out) {
  int64_t index = 0;
  for (const auto& f : Elements(Field(out, "facts"))) {
    const nlohmann::json& subject = Field(f, "subject");
    const nlohmann::json& flags = Field(f, "flags");
    const sqlite3_int64 fact = c.Insert(
        "INSERT INTO facts (document_id, fact_index, kind, subject_code, subject_name, page,"
        " sentence, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {document, index++, Field(f, "kind"), Field(subject, "code"), Field(subject, "name"),
         Field(f, "page"), Field(f, "sentence"),
         flags.is_array() ? flags : nlohmann::json::array()});
    int64_t number = 0;
    for (const auto& n : Elements(Field(f, "numbers"))) {
      const std::string text = TextOf(Field(n, "text"));
      const Amount amount = ParseAmount(text);
      c.Insert(
          "INSERT INTO fact_numbers (fact_id, number_index, role, text, unit, kind, cents)"
          " VALUES (?, ?, ?, ?, ?, ?, ?)",
          {fact, number++, Field(n, "role"), text, Field(n, "unit"), KindName(amount.kind),
           amount.is_number() ? nlohmann::json(amount.cents) : nlohmann::json()});
    }
  }
}

void InsertRepairs(SqliteConnection& c, sqlite3_int64 document, const nlohmann::json& out) {
  int64_t index = 0;
  for (const auto& r : Elements(Field(out, "repairs")))
    c.Insert(
        "INSERT INTO repairs (document_id, repair_index, table_index, table_number, r, c, field,"
        " before, after, reason, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {document, index++, Field(r, "table"), Field(r, "table_number"), Field(r, "r"),
         Field(r, "c"), Field(r, "field"), Field(r, "before"), Field(r, "after"),
         Field(r, "reason"), Field(r, "confidence")});
}

}  // namespace

SqliteOutput::SqliteOutput(const std::string& path)
    : path_(path), db_(std::make_unique<SqliteConnection>()) {
  db_->path = path;
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  db_->db.reset(raw);  // owned even when the open failed (it carries the message)
  if (rc != SQLITE_OK) db_->Fail("open");
  Configure(*db_);
}

SqliteOutput::~SqliteOutput() = default;

void SqliteOutput::Write(const nlohmann::json& output, const std::string& name) {
  const nlohmann::json& sha256 = Field(Field(output, "source"), "sha256");
  if (!sha256.is_string())
    throw SqliteError("cannot write database " + path_ + ": " + name + " has no source.sha256");
  std::lock_guard<std::mutex> lock(mu_);
  WriteTransaction transaction(*db_);
  DeleteDocument(*db_, sha256);
  const sqlite3_int64 document = InsertDocument(*db_, output, name);
  InsertTables(*db_, document, output);
  InsertChecks(*db_, document, output);
  InsertRepairs(*db_, document, output);
  InsertFacts(*db_, document, output);
  transaction.Commit();
}

bool SqliteOutput::Has(const std::string& sha256, const std::string& version,
                       const std::string& config_hash) {
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3_stmt* s = db_->Prepare(
      "SELECT 1 FROM documents WHERE sha256 = ? AND generator_version = ? AND config_hash = ?");
  sqlite3_reset(s);
  db_->Bind(s, 1, sha256);
  db_->Bind(s, 2, version);
  db_->Bind(s, 3, config_hash);
  const int rc = sqlite3_step(s);
  sqlite3_reset(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) db_->Fail("read the documents");
  return rc == SQLITE_ROW;
}

}  // namespace juesuan
