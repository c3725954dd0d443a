// Emit: output documents into one SQLite database (README "SQLite"), the embedded database of
// `extract --sqlite FILE` and `batch --sqlite FILE`.
//
// In:  a document's output JSON (schema 2.0, as ToJson gives it or as read back from a file) and
//      its name (batch: the relative name of the records file; extract: the path as given).
// Out: rows in documents, tables, columns, records, record_values, checks, check_operands and
//      repairs (schema: kSqliteSchema in sqlite_output.cpp), and the view values_long with the
//      keys of the records file. A value's number is the one amount parser's (ParseAmount) on
//      its text, stored as exact integer cents.
// Owns: one connection (WAL mode, busy timeout, foreign keys on) and its prepared statements,
//       closed by the destructor. Thread-safe: every call holds the writer's mutex, so a batch's
//       documents, finishing on several threads, are written one at a time.
// Errors: SqliteError (an OutputError: exit code 5 for extract) naming the file and SQLite's reason
// (cannot open, not a juesuan database,
//       disk full, locked longer than the busy timeout). A failed Write rolls its transaction
//       back: the database holds the document as it was before, whole, or not at all.
#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "stages/common/errors.h"

namespace juesuan {

// The database cannot be written; `what()` names the file and SQLite's reason.
class SqliteError : public OutputError {
 public:
  using OutputError::OutputError;
};

// Written into PRAGMA user_version; a database with another non-zero version is refused.
inline constexpr int kSqliteSchemaVersion = 1;

struct SqliteConnection;  // the connection and its statements (sqlite_output.cpp)

class SqliteOutput {
 public:
  // Opens or creates the database and its tables. Throws SqliteError.
  explicit SqliteOutput(const std::string& path);
  ~SqliteOutput();
  SqliteOutput(const SqliteOutput&) = delete;
  SqliteOutput& operator=(const SqliteOutput&) = delete;

  // One transaction: deletes the document with the output's source.sha256 (its tables, records,
  // values, checks and repairs go with it: ON DELETE CASCADE) and inserts this one. A document
  // is its bytes: two files with equal bytes are one row, named by the later Write.
  // Throws SqliteError after rolling back.
  void Write(const nlohmann::json& output, const std::string& name);

  // True when the database holds the document with this sha256 written by this version with
  // this configuration hash (a resumed batch loads an up-to-date output only when it does not).
  bool Has(const std::string& sha256, const std::string& version, const std::string& config_hash);

 private:
  std::string path_;
  std::unique_ptr<SqliteConnection> db_;
  std::mutex mu_;
};

}  // namespace juesuan
