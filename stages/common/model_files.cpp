#include "stages/common/model_files.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace juesuan {

std::string ModelPath(const std::string& file) {
  if (const char* env = std::getenv("JUESUAN_MODELS_DIR"); env && *env)
    return std::string(env) + "/" + file;
  return JUESUAN_MODELS_DIR "/" + file;
}

std::string ReadModelFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + what + " " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace juesuan
