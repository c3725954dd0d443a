// The prose of a disclosure (情况说明) in a person's reading order: the loose text lines of the
// pages (PageResult::lines: every line outside the grids) joined into paragraphs and sentences.
// A wrapped line continues its paragraph; a paragraph that runs over a page break continues
// on the next page; page numbers and lone marks are dropped.
//
// In:    the pages of a Document after the read stage, top to bottom (lines in page pixels).
// Out:   sentences (ending at 。！？, or at the end of a paragraph), each with the page where it
//        begins and the number of its paragraph; text with the spaces next to Han removed.
// Owns:  nothing; free functions over values.
#pragma once

#include <string>
#include <vector>

#include "pipeline/document.h"

namespace juesuan {

struct NarrativeSentence {
  int page = 0;       // where the sentence begins (1-based)
  int paragraph = 0;  // paragraphs are numbered from 0 in reading order over the document
  std::string text;   // as printed, wrapped lines joined, spaces next to Han removed
  float conf = 1.f;   // lowest confidence of its lines (1 on the text layer)
};

// Sentences of the pages whose text is known to be the printed text (`path` "text-layer") and
// of OCR pages whose text lines were read (their lines carry a confidence below 1).
std::vector<NarrativeSentence> NarrativeSentences(const std::vector<PageResult>& pages);

// One page's lines (as PageResult::lines) joined into paragraphs: a line that begins indented,
// or follows a line that ends short of the right margin, opens a paragraph. `continues` says
// whether the first paragraph continues the previous page's last one (not indented, and that
// one did not end a sentence), which the caller decides.
struct PageParagraph {
  std::string text;
  bool indented = false;  // its first line begins indented (a new paragraph on a new page)
  float conf = 1.f;       // lowest line confidence
};
std::vector<PageParagraph> PageParagraphs(const std::vector<TextLine>& lines);

}  // namespace juesuan
