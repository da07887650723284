// ZZ_CHECK: a bug, not an expected failure. Aborts with the condition and the reason.
#pragma once

namespace zhizao::internal {
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition, const char* why);
}  // namespace zhizao::internal

#define ZZ_CHECK(cond, why)                                                  \
  do {                                                                       \
    if (!(cond)) ::zhizao::internal::CheckFailed(__FILE__, __LINE__, #cond, why); \
  } while (0)
