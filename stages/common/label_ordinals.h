// Ordinal prefixes of row labels ("一、", "二十二、", "1.", "2、") as OCR damages them, repaired
// from what the documents always print and from the label's neighbours in its column.
//
// What the documents print (truth of the shared corpus and real-budget sets, 979 labels): a
// Chinese-numeral ordinal is always followed by "、"; an Arabic one by "." or "、", the same
// within a table. What OCR makes of them: the separator read as "，" "." "*" ":" (五.教育支出,
// 三*国有资本经营预算), lost ("2政府性基金"), or the numeral lost or misread while its "、"
// survives (" 、其他收入" for 四、其他收入, "=、卫生健康支出" for 三、).
//
// The rules never invent a label: they restore the printed form of an ordinal whose value is
// read or proven by the sequence around it, and flag one they cannot prove. Pure functions on
// strings; the repairer applies the result to cells (with the raw reading kept).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace juesuan {

// One body cell of a column, top to bottom. `text` is the normalised reading, `raw` what the
// engine gave (it still shows a "、" whose numeral was lost; the normaliser drops such marks).
// Leave both empty for cells that take no part (text-layer cells, codes, numbers, blanks).
struct LabelReading {
  std::string text;
  std::string raw;
};

struct OrdinalRepair {
  size_t index = 0;       // into the readings
  std::string text;       // the label with its ordinal as printed; "" = flag only, no repair
  std::string reason;     // why (for the Repair record or the warning)
  double confidence = 0;  // below 0.8 when the value rests on one neighbour only
};

// The repairs and flags for one column of labels.
std::vector<OrdinalRepair> RepairOrdinals(const std::vector<LabelReading>& column);

// 1..99 in Chinese numerals ("一", "十", "十六", "二十二"); nullopt for anything else.
std::optional<int> ParseChineseNumber(const std::u32string& s);
std::u32string ChineseNumber(int n);  // 1..99

}  // namespace juesuan
