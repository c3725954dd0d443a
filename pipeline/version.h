#pragma once
namespace juesuan {
inline constexpr const char* kVersion = "0.1.0";
}
