// Dot leaders in a text line ("一、部门主要职能 ·········· 1"): the rows of a 目录 (table of
// contents). Read by the LSTM, every dot is a character of a long line, and a contents page
// costs three table pages (measured on the real-budget scans); the dots carry nothing, so the
// line is read without them.
#pragma once

#include <opencv2/core.hpp>
#include <optional>

namespace juesuan {

// The x-range [begin, end) of the longest run of leader dots in a grayscale line crop at `dpi`:
// eight or more dots of one small size (under a quarter of an em of 10.5 pt type, about
// square), on one baseline in the lower part of the line, each within two ems of the next (specks
// off their baseline are passed over). nullopt when the line has no such run.
std::optional<cv::Range> LeaderDots(const cv::Mat& gray_line, int dpi);

}  // namespace juesuan
