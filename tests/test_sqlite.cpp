// --sqlite (stages/emit/sqlite_output.h) through the CLI: the database holds what the JSON holds
// (row counts, a sum per table, the records file's lines through values_long), a rerun replaces
// instead of adding, a resumed batch completes the database from up-to-date outputs, and a
// database that cannot be written gives exit code 5 (extract) or a failed input (batch) and
// never a half-written document.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <tuple>

#include "child_process.h"
#include "pipeline/batch.h"
#include "stages/common/amount.h"
#include "test_support.h"

namespace {

using namespace juesuan::testing;

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

// A test's own connection to the database the CLI wrote.
class Database {
 public:
  explicit Database(const fs::path& path) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) throw std::runtime_error("cannot open " + path.string());
    Exec("PRAGMA foreign_keys = ON");  // a test's DELETE takes the child rows along
  }
  // Every row of `sql`, each column as text ("NULL" for null).
  std::vector<std::vector<std::string>> Rows(const std::string& sql) const {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_.get()));
    std::unique_ptr<sqlite3_stmt, FinalizeStatement> s(raw);
    std::vector<std::vector<std::string>> rows;
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(s.get()); ++i) {
        const unsigned char* text = sqlite3_column_text(s.get(), i);
        row.push_back(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }
  long long Count(const std::string& table) const {
    return std::stoll(Rows("SELECT count(*) FROM " + table).at(0).at(0));
  }
  void Exec(const std::string& sql) const {
    if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_.get()));
  }

 private:
  std::unique_ptr<sqlite3, CloseDatabase> db_;
};

// What a database must hold for a set of outputs: row counts, and the sum of every table's
// numeric values in cents (the JSON's exact numbers through the one amount parser).
struct Expected {
  long long documents = 0, tables = 0, records = 0, values = 0, checks = 0, operands = 0,
            repairs = 0, failing_checks = 0;
  std::map<std::pair<std::string, int>, long long> cents_by_table;  // (sha256, table index)

  void Add(const nlohmann::json& doc) {
    ++documents;
    const std::string sha = doc["source"]["sha256"];
    for (const auto& t : doc["tables"]) {
      ++tables;
      long long& sum = cents_by_table[{sha, t["index"].get<int>()}];
      for (const auto& r : t["records"]) {
        ++records;
        for (const auto& v : r["values"]) {
          ++values;
          if (v["value"].is_number()) sum += juesuan::ParseAmount(v["value"].dump()).cents;
        }
      }
    }
    for (const auto& c : doc["checks"]) {
      ++checks;
      operands += static_cast<long long>(c["cells"].size());
      if (c.contains("reference_cells"))  // a fact check's cited cells: side 'reference'
        operands += static_cast<long long>(c["reference_cells"].size());
      failing_checks += c["status"] == "fail";
    }
    repairs += static_cast<long long>(doc["repairs"].size());
  }
};

void ExpectDatabaseHolds(const fs::path& db_path, const Expected& want) {
  const Database db(db_path);
  EXPECT_EQ(db.Count("documents"), want.documents);
  EXPECT_EQ(db.Count("tables"), want.tables);
  EXPECT_EQ(db.Count("records"), want.records);
  EXPECT_EQ(db.Count("record_values"), want.values);
  EXPECT_EQ(db.Count("values_long"), want.values);
  EXPECT_EQ(db.Count("checks"), want.checks);
  EXPECT_EQ(db.Count("check_operands"), want.operands);
  EXPECT_EQ(db.Count("repairs"), want.repairs);
  EXPECT_EQ(db.Count("checks WHERE status = 'fail'"), want.failing_checks);
  std::map<std::pair<std::string, int>, long long> sums;
  for (const auto& row :
       db.Rows("SELECT d.sha256, t.table_index, coalesce(sum(v.cents), 0) FROM tables t"
               " JOIN documents d ON d.id = t.document_id"
               " LEFT JOIN records r ON r.table_id = t.id"
               " LEFT JOIN record_values v ON v.record_id = r.id GROUP BY t.id"))
    sums[{row[0], std::stoi(row[1])}] = std::stoll(row[2]);
  EXPECT_EQ(sums, want.cents_by_table);
  EXPECT_EQ(db.Rows("PRAGMA foreign_key_check").size(), 0u);
}

nlohmann::json ReadJson(const fs::path& p) { return nlohmann::json::parse(ReadAll(p)); }

// A value as both paths give it: (document, table, row, column, text, flags, value as JSON).
using ValueKey = std::tuple<std::string, int, int, int, std::string, std::string, std::string>;

// The records file's lines for `doc` (RecordLines), as ValueKeys.
std::multiset<ValueKey> RecordFileValues(const nlohmann::json& doc, const std::string& name) {
  std::multiset<ValueKey> out;
  std::istringstream lines(juesuan::RecordLines(doc, name));
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    out.insert({j["document"], j["table"], j["row"], j["column"], j["text"], j["flags"].dump(),
                j["value"].dump()});
  }
  return out;
}

// values_long (the database's view with the records file's keys), as ValueKeys: a number as
// the JSON writes its exact cents, a mark or damage as a JSON string, a blank as null.
std::multiset<ValueKey> DatabaseValues(const fs::path& db_path) {
  std::multiset<ValueKey> out;
  for (const auto& row : Database(db_path).Rows(
           "SELECT document, \"table\", row, \"column\", text, flags, typeof(value), value,"
           " cents FROM values_long")) {
    std::string value = "null";
    if (row[6] == "real")
      value = nlohmann::json::parse(juesuan::FormatCents(std::stoll(row[8]), false)).dump();
    else if (row[6] == "text")
      value = nlohmann::json(row[7]).dump();
    out.insert(
        {row[0], std::stoi(row[1]), std::stoi(row[2]), std::stoi(row[3]), row[4], row[5], value});
  }
  return out;
}

const char* kDigital = "corpus_000a_01_04_09.pdf";  // 3 tables, 179 values, 31 checks: 0.6 s

TEST(Sqlite, ExtractWritesWhatTheJsonHoldsAndARerunReplacesIt) {
  TempDir tmp;
  const fs::path db = tmp / "out.sqlite", json = tmp / "out.json";
  const std::vector<std::string> args = {"extract",     TestData(kDigital), "-o",
                                         json.string(), "--sqlite",         db.string()};
  auto r = RunCli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json doc = ReadJson(json);
  Expected want;
  want.Add(doc);
  ASSERT_GT(want.values, 100);
  ExpectDatabaseHolds(db, want);
  EXPECT_EQ(DatabaseValues(db), RecordFileValues(doc, TestData(kDigital)));

  r = RunCli(args);  // the same document again: replaced, not added
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectDatabaseHolds(db, want);
  const Database check(db);
  EXPECT_EQ(check.Rows("PRAGMA journal_mode")[0][0], "wal");
  EXPECT_EQ(check.Rows("SELECT name, department, year FROM documents")[0],
            (std::vector<std::string>{TestData(kDigital), doc["disclosure"]["department"],
                                      doc["disclosure"]["year"]}));
}

TEST(Sqlite, BatchWritesEveryDocumentAndAResumeLoadsWhatTheDatabaseLacks) {
  TempDir tmp;
  fs::create_directories(tmp / "in");
  fs::copy_file(TestData(kDigital), tmp / "in" / kDigital);
  fs::copy_file(TestData("scan_upside_down.pdf"), tmp / "in/scan.pdf");
  const fs::path db = tmp / "db.sqlite", out = tmp / "out";
  const std::vector<std::string> args = {"batch",    (tmp / "in").string(), "-o",     out.string(),
                                         "--sqlite", db.string(),           "--quiet"};
  auto r = RunCli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Expected want;
  std::multiset<ValueKey> lines;
  for (const std::string name : {kDigital, "scan.pdf"}) {
    const nlohmann::json doc = ReadJson(out / (name + ".json"));
    want.Add(doc);
    const auto more = RecordFileValues(doc, name);
    lines.insert(more.begin(), more.end());
  }
  ExpectDatabaseHolds(db, want);
  EXPECT_EQ(DatabaseValues(db), lines);

  fs::remove(db);  // a new database file: the up-to-date outputs are loaded from their JSON
  for (const char* wal : {"-wal", "-shm"}) fs::remove(db.string() + wal);
  r = RunCli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadJson(out / "_summary.json")["skipped"], 2);
  EXPECT_EQ(ReadJson(out / "_summary.json")["sqlite_loaded"], 2);
  ExpectDatabaseHolds(db, want);
  EXPECT_EQ(DatabaseValues(db), lines);

  r = RunCli(args);  // complete already: nothing loaded, nothing doubled
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadJson(out / "_summary.json")["sqlite_loaded"], 0);
  ExpectDatabaseHolds(db, want);
}

TEST(Sqlite, ADatabaseThatCannotBeOpenedIsExitCode5BeforeAnyWork) {
  TempDir tmp;
  const fs::path json = tmp / "out.json";
  auto r = RunCli({"extract", TestData(kDigital), "-o", json.string(), "--sqlite",
                   (tmp / "missing-folder/db.sqlite").string()});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("cannot write database " + (tmp / "missing-folder/db.sqlite").string()),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(json));  // opened first: no extraction was spent on it

  // A folder its user cannot write (as nobody when the tests run as root); OUTDIR is writable.
  fs::create_directories(tmp / "locked");
  fs::create_directories(tmp / "out");
  fs::permissions(tmp / "locked", fs::perms::owner_all | fs::perms::group_read |
                                      fs::perms::group_exec | fs::perms::others_read |
                                      fs::perms::others_exec);
  fs::permissions(tmp / "out", fs::perms::all);
  r = RunCliUnprivileged({"batch", TestData(kDigital), "-o", (tmp / "out").string(), "--sqlite",
                          (tmp / "locked/db.sqlite").string(), "--quiet"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("cannot write database"), std::string::npos) << r.err;
  EXPECT_TRUE(Entries(tmp / "locked").empty());
}

// A write that fails halfway (a trigger refuses the first check, after the tables, records
// and values went in) leaves the database as it was: the earlier document whole, or nothing.
TEST(Sqlite, AWriteThatFailsHalfwayLeavesNoHalfWrittenDocument) {
  TempDir tmp;
  const fs::path db = tmp / "db.sqlite";
  const std::vector<std::string> args = {
      "extract", TestData(kDigital), "-o", (tmp / "out.json").string(), "--sqlite", db.string()};
  auto r = RunCli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Expected want;
  want.Add(ReadJson(tmp / "out.json"));
  Database(db).Exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON checks BEGIN SELECT RAISE(ABORT, 'no room'); END");
  r = RunCli(args);
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("cannot write database " + db.string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no room"), std::string::npos) << r.err;
  ExpectDatabaseHolds(db, want);  // the earlier rows, whole: the transaction was rolled back

  // batch into a fresh database with the same trigger: a failed input (stage "sqlite", exit
  // 4), no rows at all; once the database accepts it, the next run loads it from its JSON.
  const fs::path fresh = tmp / "fresh.sqlite", out = tmp / "batch";
  const std::vector<std::string> batch = {"batch",    TestData(kDigital), "-o",     out.string(),
                                          "--sqlite", fresh.string(),     "--quiet"};
  r = RunCli({"extract", TestData("blank.pdf"), "--sqlite", fresh.string()});  // the schema
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Database(fresh).Exec(
      "DELETE FROM documents;"
      "CREATE TRIGGER refuse BEFORE INSERT ON checks BEGIN SELECT RAISE(ABORT, 'no room'); END");
  r = RunCli(batch);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  const auto error = nlohmann::json::parse(ReadAll(out / "_errors.jsonl"));
  EXPECT_EQ(error["stage"], "sqlite");
  for (const char* table : {"documents", "tables", "records", "record_values", "checks"})
    EXPECT_EQ(Database(fresh).Count(table), 0) << table;
  Database(fresh).Exec("DROP TRIGGER refuse");
  r = RunCli(batch);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ExpectDatabaseHolds(fresh, want);
}

}  // namespace
