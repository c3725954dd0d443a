// Write-then-rename, so a reader never sees a half-written result (crash, kill -9, power loss).
#pragma once
#include <string>
namespace juesuan {
// Writes `content` to a temporary file beside `path`, fsyncs it, renames it over `path` and
// fsyncs the directory. Throws std::runtime_error on failure; `path` is then left untouched.
void WriteFileAtomically(const std::string& path, const std::string& content);
}  // namespace juesuan
