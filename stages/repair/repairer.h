// Stage 6a: repair what OCR got wrong and can be proven — subject codes (dictionary + printed
// name + neighbouring codes), names (confusion-aware distance to the dictionary name of the
// code), header and row labels (against the table catalogue), amounts (OCR character noise).
// Every change is a Repair record; the cell's `raw` keeps the text as read. Unknown codes and
// names stay as read and produce a warning.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/quality.h"
#include "stages/classify/table_classifier.h"
#include "stages/repair/code_dictionary.h"

namespace juesuan {

// “三公” with its lost quote restored: 三公”经费 -> “三公”经费, “三公经费 -> “三公”经费; text with
// both quotes or neither is returned unchanged.
std::string QuoteSanGong(const std::string& text);

class Repairer {
 public:
  explicit Repairer(const CodeDictionary& dict,
                    const TableCatalogue& catalogue = TableCatalogue::Default())
      : dict_(dict), catalogue_(catalogue) {}

  // Repairs `t` in place (t.kind should already be set; "unknown" is fine). `table_index` is
  // recorded in the repairs; warnings (unknown codes/names, unreadable amounts) are appended.
  std::vector<Repair> repair(Table& t, int table_index = -1,
                             std::vector<std::string>* warnings = nullptr) const;

  // --- parts, public for tests ---
  struct CodeFix {
    std::string code, reason;
    double confidence = 0;
  };
  // `read`: the code cell as read; `name`: the printed name on that row; prev/next: nearest
  // codes above/below in the same column ("" if none); `economic`: the table holds economic codes.
  // Returns a fix when the reading is wrong and one candidate is proven; nullopt otherwise.
  std::optional<CodeFix> RepairCode(const std::string& read, const std::string& name,
                                    const std::string& prev, const std::string& next,
                                    bool economic) const;
  // The dictionary name for `code` when `printed` is a damaged reading of it (small
  // confusion-aware distance); nullopt when printed already equals it (up to width variants) or
  // is too far (then *far is set).
  std::optional<std::string> RepairName(const std::string& code, const std::string& printed,
                                        double* distance = nullptr, bool* far = nullptr) const;
  // Digits-only form of a code cell: full-width digits, O/o->0, l/I->1, spaces and stray marks
  // removed. nullopt when something other than digits remains.
  static std::optional<std::string> CleanCode(const std::string& text);
  // A split function code (类 | 款 | 项) whose 款 or 项 part OCR could not read: the parts the
  // dictionary and the printed name prove. `parts` holds each part's digits, "" when blank, or
  // nullopt when unreadable; nullopt when no single entry fits.
  struct CodeFromNameFix {
    std::vector<std::string> parts;  // the text of every part ("" = blank)
    double confidence = 0.0;
    std::string reason;
  };
  std::optional<CodeFromNameFix> CodeFromName(const std::string& lei,
                                              const std::vector<std::optional<std::string>>& parts,
                                              const std::string& name) const;

 private:
  const CodeDictionary& dict_;
  const TableCatalogue& catalogue_;
};

}  // namespace juesuan
