#pragma once

namespace zhizao::app {
inline constexpr const char* kVersion = ZZ_VERSION;
}  // namespace zhizao::app
