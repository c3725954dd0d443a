// Boxes on the prepared page mapped back onto the page's input image as given (InputImage).
//
// The prepared page is made from the input image by EXIF orientation, scaling (a page image
// upsampled for reading), a quarter-turn rotation and a deskew about the centre: every step is
// affine, so the whole is one affine map, and so is its inverse.
// In:  the input image's size, orientation and scale, the rotation and skew PagePreparer (or the
//      text layer's turn) applied. Out: the prepared-to-input map (InputImage::to_input), and
//      boxes or ink outlines mapped by it. Free functions over values.
#pragma once

#include <array>
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "pipeline/document.h"

namespace juesuan {

// The map from the prepared page to the input image: the inverse of EXIF `input.orientation`
// (on input.width x input.height), then scaling by input.scale, then `rotation` degrees
// clockwise, then removing `skew_deg` about the centre (RemoveSkew).
std::array<double, 6> PreparedToInput(const InputImage& input, int rotation, double skew_deg);

// The smallest box in input pixels that holds the pixels `points` (pixel positions on the
// prepared page, e.g. the corners of an ink outline) once mapped by `to_input`; nullopt for no
// points.
std::optional<Box> MapPixelsToInput(const std::array<double, 6>& to_input,
                                    const std::vector<cv::Point>& points);

// The smallest box in input pixels that holds `box` (on the prepared page) once mapped.
Box MapBoxToInput(const std::array<double, 6>& to_input, const Box& box);

}  // namespace juesuan
