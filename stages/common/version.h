// The program version, from project(... VERSION) in CMakeLists.txt (the one place it is set).
// Outputs record it: a batch redoes every output written by another version.
#pragma once
namespace juesuan {
inline constexpr const char* kVersion = JUESUAN_VERSION;
}
