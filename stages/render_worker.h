// Page rendering in a worker process. Poppler decodes whatever a PDF declares: an image of
// 200000 x 200000 pixels, an image matrix scaled x99999, a malformed stream that crashes the
// decoder. Rendering in-process would let one such page stall a whole batch for minutes, take
// gigabytes, or kill every document in flight. The worker (`juesuan-render`) renders one page
// under an address-space limit; the caller waits for it while polling its CancelToken and the
// render time limit, and kills it when either fires. A crash or an exhausted limit becomes a
// clear page error; the batch goes on.
#pragma once

#include <opencv2/core.hpp>
#include <string>

#include "pipeline/cancel.h"

namespace juesuan {

struct RenderLimits {
  long long max_pixels = 80'000'000;  // per page: a huge page renders at a lower dpi instead
  int memory_mb = 1024;  // the worker's address space (RLIMIT_AS); a capped page needs ~600
  double seconds = 60;   // one page's render; 0 = no limit
};

struct RenderedPage {
  cv::Mat gray;        // CV_8UC1, page rotation (/Rotate) applied, red ink dropped out
  int dpi = 0;         // the resolution actually rendered (lower than asked when max_pixels bound)
  double scale = 1.0;  // pixels per PDF point
};

// A page failed to render (the worker crashed, ran out of memory or time, or Poppler could
// not draw it). `what()` is a one-line message for the page's warnings.
class RenderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Renders page `index` (0-based) of the PDF held by `pdf_fd` (a file or memfd holding the
// whole PDF; it is only read, never moved) at `dpi` in a worker process. Throws RenderError,
// or Cancelled when `cancel` fires (the worker is killed first).
RenderedPage RenderInWorker(int pdf_fd, int index, int dpi, const RenderLimits& limits,
                            const CancelToken& cancel);

// The worker program to run: $JUESUAN_RENDER_WORKER, else juesuan-render beside the running
// executable, else the one in the build tree. Throws std::runtime_error when none exists.
const std::string& RenderWorkerPath();

// main() of juesuan-render: `juesuan-render PAGE DPI MAX_PIXELS MEMORY_MB` with the PDF on
// file descriptor 3; writes a header and the gray pixels to stdout, messages to stderr.
int RenderWorkerMain(int argc, char** argv);

}  // namespace juesuan
