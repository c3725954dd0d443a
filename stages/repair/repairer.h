// Stage 6a: repair what OCR got wrong and can be proven — subject codes (dictionary + printed
// name + neighbouring codes), names (confusion-aware distance to the dictionary name of the
// code), header and row labels (against the table catalogue), amounts (OCR character noise).
//
// In:    an assembled Table (cells, header_rows, leaf_headers) whose kind is set by
//        ClassifyTable ("unknown" is fine); the dictionary and the catalogue, loaded once by the
//        caller.
// Out:   the table's cells repaired in place (a repaired cell's `raw` keeps the text as read,
//        and "repaired_unsure" / "not_in_dictionary" / ... flags are added), one Repair record
//        per change, and warnings (unknown codes/names, unreadable amounts) appended to the
//        caller's list. Unknown codes and names stay as read.
// Owns:  nothing but its Params; it refers to the dictionary and the catalogue, which must
//        outlive it. One Repairer may repair any number of tables, from any number of threads
//        (repair() is const and keeps no state between calls).
// Order: ClassifyTable -> Repairer::repair -> LeafHeaders + ClassifyTable again (repaired
//        headers may settle an unknown kind) -> BuildColumnsAndRecords -> Checker
//        (pipeline/document_stages.cpp does exactly this).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/quality.h"
#include "stages/classify/table_classifier.h"
#include "stages/repair/code_dictionary.h"

namespace juesuan {

// The conf of an OCR reading that is exactly what the dictionary or the catalogue prints there:
// a name equal to its row's code's dictionary name (the code then too), a header or row label
// equal to one of the kind's words.
inline constexpr float kConfirmedByDictionaryConf = 0.85f;

// “三公” with its lost quote restored: 三公”经费 -> “三公”经费, “三公经费 -> “三公”经费; text with
// both quotes or neither is returned unchanged.
std::string QuoteSanGong(const std::string& text);

class Repairer {
 public:
  // How far a reading may be from a catalogue or dictionary word and still be repaired to it.
  // Distances are ConfusionDistance: a shape-similar glyph costs 0.3, a width variant 0.05, a
  // stray mark 0.1, any other character 1. A "per character" limit scales with the longer of the
  // two texts (the larger of the two limits holds); "margin" is how much farther the runner-up
  // must be (a reading between two words proves neither).
  struct Params {
    // Header cells: one shape-similar glyph and a stray mark; a whole other character only in
    // words of five or more (收入 and 支出 differ in one character by design).
    double header_distance = 0.35, header_distance_per_char = 0.2, header_margin = 0.2;
    // Headers of a table of unknown kind, against every kind's words: a reading one character
    // from a word of at least three characters is flagged, never rewritten.
    double unknown_header_flag_distance = 1.0, unknown_header_flag_min_chars = 3;
    // Row labels of the line tables: two shape-similar glyphs, a whole character only in labels
    // of five or more, never 30 % of the label, and a clear runner-up (the catalogue's labels
    // differ in one character: 年初结转和结余 / 年末结转和结余).
    double label_distance = 0.65, label_distance_per_char = 0.2, label_max_ratio = 0.3,
           label_margin = 0.3;
    // Names against the dictionary name of their proven code: two shape-similar glyphs; for a
    // sure entry a whole character from four characters on; never a third of the name.
    double name_distance = 0.65, name_distance_per_char = 0.25, name_max_ratio = 0.34;
  };

  // `year`: the document's year. Codes and names are judged against that year's edition of the
  // dictionary; a code of another edition is kept as read and flagged, never "repaired" into
  // a code of this year's list. No year: every edition at once.
  Repairer(const CodeDictionary& dict, const TableCatalogue& catalogue)
      : Repairer(dict, catalogue, Params{}) {}
  Repairer(const CodeDictionary& dict, const TableCatalogue& catalogue, std::optional<int> year)
      : Repairer(dict, catalogue, Params{}, year) {}
  Repairer(const CodeDictionary& dict, const TableCatalogue& catalogue, const Params& params,
           std::optional<int> year = std::nullopt)
      : dict_(dict.Edition(year)), all_editions_(dict), catalogue_(catalogue), params_(params) {}

  // Repairs `t` in place (t.kind should already be set; "unknown" is fine). `table_index` is
  // recorded in the repairs; warnings (unknown codes/names, unreadable amounts) are appended to
  // *warnings when it is not null.
  std::vector<Repair> repair(Table& t, int table_index = -1,
                             std::vector<std::string>* warnings = nullptr) const;

  // --- parts, public for tests ---
  // An entry of `code` in another edition than the document's whose name the printed one
  // matches (or nothing is printed); nullptr when none.
  const CodeEntry* OtherEdition(const std::string& code, const std::string& printed_name) const;
  std::vector<const CodeEntry*> AllEditionsOf(const std::string& code) const {
    return all_editions_.AllEditions(code);
  }

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
  // A split code (类 | 款 | 项, or 经济分类 类 | 款) whose 款 or 项 part OCR could not read: the
  // parts the dictionary and the printed name prove. `parts` holds each part's digits, "" when
  // blank, one digit when OCR read only one (the part holds it), or nullopt when unreadable;
  // nullopt when no single entry fits.
  struct CodeFromNameFix {
    std::vector<std::string> parts;  // the text of every part ("" = blank)
    double confidence = 0.0;
    std::string reason;
  };
  std::optional<CodeFromNameFix> CodeFromName(const std::string& lei,
                                              const std::vector<std::optional<std::string>>& parts,
                                              const std::string& name,
                                              CodeSystem system = CodeSystem::kFunction) const;

 private:
  const CodeDictionary& dict_;          // the document year's edition
  const CodeDictionary& all_editions_;  // every edition
  const TableCatalogue& catalogue_;
  Params params_;
};

}  // namespace juesuan
