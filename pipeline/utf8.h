// UTF-8 <-> code points, shared by every stage that handles Chinese text.
#pragma once

#include <string>

namespace juesuan {

// Invalid or truncated sequences decode to U+FFFD; nothing throws.
std::u32string DecodeUtf8(const std::string& s);
std::string EncodeUtf8(const std::u32string& s);

}  // namespace juesuan
