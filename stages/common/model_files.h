// The model files of models/ (subject codes, table kinds, fact kinds): where they are and their
// text. One place for the rule that the environment variable JUESUAN_MODELS_DIR, when set,
// overrides the compiled-in folder (an installed juesuan, a test with its own models).
#pragma once

#include <string>

namespace juesuan {

// JUESUAN_MODELS_DIR "/" + file, or the environment variable's folder instead.
std::string ModelPath(const std::string& file);

// The whole file; throws std::runtime_error("cannot read <what> <path>") when it cannot be read.
std::string ReadModelFile(const std::string& path, const std::string& what);

}  // namespace juesuan
