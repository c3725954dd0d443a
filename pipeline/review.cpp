#include "pipeline/review.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "pipeline/sha256.h"
#include "stages/emit/review_page.h"
#include "stages/prepare/page_preparer.h"
#include "stages/rasterise/rasteriser.h"

namespace juesuan {
namespace {

// How the extraction saw one page: what the JSON's pages[] says.
struct PageView {
  int dpi = 0, rotation = 0;
  double skew_deg = 0.0;
};

std::map<int, PageView> PageViews(const nlohmann::json& doc) {
  std::map<int, PageView> views;
  if (!doc.contains("pages") || !doc["pages"].is_array()) return views;
  for (const auto& p : doc["pages"]) {
    if (!p.is_object()) continue;
    PageView v;
    v.dpi = p.value("dpi", 0);
    v.rotation = p.value("rotation", 0);
    v.skew_deg = p.value("skew_deg", 0.0);
    views[p.value("page", 0)] = v;
  }
  return views;
}

// Crops cells out of the pages as the extraction prepared them, rendering each page once (the
// last two are kept: cells come table by table, mostly page by page).
class PageCrops {
 public:
  static constexpr int kMaxWidth = 900;  // px of a crop as shown; wider ones are scaled down

  PageCrops(const std::string& pdf, std::map<int, PageView> views)
      : raster_(std::make_unique<Rasteriser>(pdf)), views_(std::move(views)) {}

  std::string operator()(int page, const Box& cell) {
    const cv::Mat* image = Page(page);
    if (image == nullptr) return "";
    // Around the cell: half a cell width (at least 60 px) each side, a cell height (at least
    // 40 px) above and below, so the row label and the neighbours show.
    const int pad_x = std::max(60, cell.w / 2), pad_y = std::max(40, cell.h);
    const cv::Rect around =
        cv::Rect(cell.x - pad_x, cell.y - pad_y, cell.w + 2 * pad_x, cell.h + 2 * pad_y) &
        cv::Rect(0, 0, image->cols, image->rows);
    if (around.empty()) return "";
    cv::Mat crop;
    cv::cvtColor((*image)(around), crop, cv::COLOR_GRAY2BGR);
    cv::rectangle(crop, cv::Rect(cell.x - around.x, cell.y - around.y, cell.w, cell.h),
                  cv::Scalar(0, 0, 230), 2);
    if (crop.cols > kMaxWidth)
      cv::resize(crop, crop, {}, double(kMaxWidth) / crop.cols, double(kMaxWidth) / crop.cols,
                 cv::INTER_AREA);
    std::vector<uchar> png;
    cv::imencode(".png", crop, png);
    return std::string(png.begin(), png.end());
  }

 private:
  const cv::Mat* Page(int page) {
    for (auto& [number, image] : recent_)
      if (number == page) return image.empty() ? nullptr : &image;
    cv::Mat image;
    auto view = views_.find(page);
    if (view != views_.end() && view->second.dpi > 0 && page >= 1 &&
        page <= raster_->page_count()) {
      try {
        const RenderedPage rendered = raster_->render_at(page - 1, view->second.dpi);
        image = RemoveSkew(RotateQuarterTurns(rendered.gray, view->second.rotation),
                           view->second.skew_deg);
      } catch (const std::exception&) {
        image = cv::Mat();  // no crops for this page; the page says "(no page image)"
      }
    }
    if (recent_.size() == 2) recent_.erase(recent_.begin());
    recent_.emplace_back(page, std::move(image));
    return recent_.back().second.empty() ? nullptr : &recent_.back().second;
  }

  std::unique_ptr<Rasteriser> raster_;
  std::map<int, PageView> views_;
  std::vector<std::pair<int, cv::Mat>> recent_;
};

}  // namespace

std::string ReviewHtml(const nlohmann::json& doc, const std::string& pdf) {
  std::string path = pdf;
  if (path.empty() && doc.contains("source") && doc["source"].is_object())
    path = doc["source"].value("file", "");
  std::error_code ec;
  if (path.empty() || !std::filesystem::is_regular_file(path, ec))
    return ReviewPage(doc, {},
                      "No page images: the PDF " + (path.empty() ? "" : path + " ") +
                          "was not found (give it with --pdf).");
  const std::string sha =
      doc.contains("source") && doc["source"].is_object() ? doc["source"].value("sha256", "") : "";
  if (Sha256File(path) != sha)
    return ReviewPage(
        doc, {},
        "No page images: " + path + " is not the PDF this JSON was made from (sha256 differs).");
  std::unique_ptr<PageCrops> crops;
  try {
    crops = std::make_unique<PageCrops>(path, PageViews(doc));
  } catch (const std::exception& e) {
    return ReviewPage(doc, {}, std::string("No page images: ") + e.what());
  }
  return ReviewPage(doc, [&crops](int page, const Box& cell) { return (*crops)(page, cell); });
}

}  // namespace juesuan
