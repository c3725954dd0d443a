// Page rendering in a worker process. Poppler decodes whatever a PDF declares: an image of
// 200000 x 200000 pixels, an image matrix scaled x99999, a malformed stream that crashes the
// decoder. Rendering in-process would let one such page stall a whole batch for minutes, take
// gigabytes, or kill every document in flight. The worker (`juesuan-render`) renders pages
// under an address-space limit; the caller waits for each page while polling its CancelToken
// and the render time limit, and kills the worker when either fires. A crash or an exhausted
// limit becomes a clear page error; the batch goes on.
#pragma once

#include <opencv2/core.hpp>
#include <string>

#include "stages/common/cancel.h"
#include "stages/rasterise/raster_params.h"

namespace juesuan {

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

// One worker process that renders pages of one PDF (held by `pdf_fd`: a file or memfd with
// the whole PDF; the worker maps it read-only). Starting a process and loading fonts costs
// about 20 ms, so a worker serves page after page; a worker that failed is killed and gone.
// Not thread-safe: one render at a time per worker.
class RenderWorker {
 public:
  RenderWorker(int pdf_fd, const RenderLimits& limits);  // starts the process
  ~RenderWorker();                                       // ends it (kills it if it is busy)
  RenderWorker(const RenderWorker&) = delete;
  RenderWorker& operator=(const RenderWorker&) = delete;

  // Renders page `index` (0-based) at `dpi`. Throws RenderError, or Cancelled when `cancel`
  // fires; after either the worker is dead (alive() is false).
  RenderedPage render(int index, int dpi, const CancelToken& cancel);
  bool alive() const;

 private:
  struct Process;
  struct Reply;  // one reply as it arrives
  void receive(Reply& reply, int index, const CancelToken& cancel);
  std::unique_ptr<Process> process_;
  RenderLimits limits_;
};

// The worker program to run: $JUESUAN_RENDER_WORKER, else juesuan-render beside the running
// executable, else the one in the build tree. Throws std::runtime_error when none exists.
const std::string& RenderWorkerPath();

// Colour page -> grayscale with red ink (seals, stamps) dropped out.
cv::Mat DropRed(const cv::Mat& bgr);

// main() of juesuan-render: `juesuan-render MAX_PIXELS MEMORY_MB` with the PDF on file
// descriptor 3. Reads requests "PAGE DPI\n" from stdin until it closes; answers each with a
// header and the gray pixels (or a message) on stdout.
int RenderWorkerMain(int argc, char** argv);

}  // namespace juesuan
