// Page images from untrusted bytes (stages/rasterise/page_images.h): a PNG, JPEG or TIFF file
// as it arrives in a batch folder, decoded in the juesuan process with Leptonica. Any bytes must
// give pages or BadInputError / std::runtime_error, never a crash, a hang or a page that breaks
// the promises of ImagePage (8-bit grey, within the pixel limit, a plausible resolution).
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "fuzz_check.h"
#include "stages/common/errors.h"
#include "stages/rasterise/page_images.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  juesuan::RasterOptions options;
  options.limits.max_pixels = 4'000'000;  // keep each run fast; the check is the same
  std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    juesuan::PageImages images(std::move(bytes), "fuzz", options);
    FUZZ_CHECK(images.page_count() >= 1);
    for (int i = 0; i < images.page_count() && i < 4; ++i) {
      try {
        const juesuan::ImagePage page = images.page(i);
        FUZZ_CHECK(page.gray.type() == CV_8UC1);
        FUZZ_CHECK(!page.gray.empty());
        FUZZ_CHECK(static_cast<long long>(page.gray.total()) <= options.limits.max_pixels);
        FUZZ_CHECK(page.dpi > 0);
      } catch (const std::runtime_error&) {
        // a frame that cannot be decoded: a page warning in the pipeline
      }
    }
  } catch (const juesuan::BadInputError&) {
    // not an image, damaged, truncated or too large: exit code 3 in the CLI
  }
  return 0;
}
