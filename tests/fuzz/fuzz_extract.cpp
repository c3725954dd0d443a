// A whole extract of one PDF held in memory: open, render, find grids, place the text layer,
// assemble, check, and write the JSON. Bad input must end in BadInputError or a Document; any
// other exception, a crash, a sanitizer report or JSON that does not dump is a finding.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_check.h"
#include "pipeline/extractor.h"
#include "stages/common/errors.h"
#include "stages/emit/json_output.h"

namespace {

// One in-memory file for the whole run, reached by path through /proc (Poppler and the sha256
// both open the input by name). Nothing is left on disk when the fuzzer is killed.
class MemFile {
 public:
  MemFile() : fd_(::memfd_create("fuzz_extract.pdf", MFD_CLOEXEC)) {
    if (fd_ < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemFile() { ::close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;

  const std::string& write(const uint8_t* data, size_t size) {
    FUZZ_CHECK(::ftruncate(fd_, 0) == 0);
    for (size_t done = 0; done < size;) {
      const ssize_t n = ::pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
      FUZZ_CHECK(n > 0);
      done += static_cast<size_t>(n);
    }
    return path_;
  }

 private:
  int fd_;
  std::string path_;
};

juesuan::ExtractOptions FastOptions() {
  juesuan::ExtractOptions o;
  o.threads = 1;
  o.ocr_mode = juesuan::OcrMode::kNever;  // the text layer only: one run takes milliseconds
  o.raster.dpi = 150;
  // A small page budget keeps one input fast; a page declaring a huge size still renders
  // (smaller), which is the code path we want to reach.
  o.raster.limits.max_pixels = 4'000'000;
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Created once: the engines (Tesseract models) and the code dictionary take a second to load.
  static juesuan::Extractor extractor(FastOptions());
  static MemFile file;
  const std::string& path = file.write(data, size);
  try {
    const juesuan::Document doc = extractor.extract(path);
    FUZZ_CHECK(doc.pages >= 1);
    FUZZ_CHECK(doc.page_results.size() <= static_cast<size_t>(doc.pages));
    const nlohmann::json j = juesuan::ToJson(doc);
    // dump() throws on a string that is not valid UTF-8: the output must always be writable.
    const std::string text = j.dump(2);
    const nlohmann::json back = nlohmann::json::parse(text);
    FUZZ_CHECK(back == j);
    FUZZ_CHECK(back.contains("tables") && back["tables"].is_array());
  } catch (const juesuan::BadInputError& e) {
    FUZZ_CHECK(e.what()[0] != '\0');  // the user is told why
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_extract: unexpected exception: %s\n", e.what());
    std::abort();
  }
  return 0;
}
