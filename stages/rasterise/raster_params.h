// What the rasterise stage may spend on a page: plain settings, no Poppler or OpenCV types, so
// the Extractor's public header can carry them.
#pragma once

namespace juesuan {

struct RenderLimits {
  long long max_pixels = 80'000'000;  // per page: a huge page renders at a lower dpi instead
  int memory_mb = 1024;  // the worker's address space (RLIMIT_AS); a capped page needs ~600
  double seconds = 60;   // one page's render; 0 = no limit
};

struct RasterOptions {
  int dpi = 300;                 // upper bound; image-only scans render at their own resolution
  bool respect_scan_dpi = true;  // do not upsample a 150-dpi scan to 300
  // --dpi was given: a page image without plausible resolution metadata is taken at `dpi`
  // instead of an estimate from its text (stages/rasterise/page_images.h).
  bool dpi_given = false;
  RenderLimits limits;  // pixels, memory and time of one page's render
};

}  // namespace juesuan
