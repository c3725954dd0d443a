// SHA-256 of a file, for provenance in the output and for resuming batches.
#pragma once
#include <string>
namespace juesuan {
std::string Sha256Hex(const std::string& bytes);
std::string Sha256File(const std::string& path);  // "" when the file cannot be read
}  // namespace juesuan
