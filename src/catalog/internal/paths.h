// Path arithmetic shared by the asset and tag stores. Paths are '/'-separated names.
#pragma once

#include <string>
#include <string_view>

namespace zhizao::catalog::internal {

struct SplitPath {
  std::string parent;  // everything before the last '/'; empty for a one-segment path
  std::string name;    // the last segment
};

// Splits "a/b/c" into {"a/b", "c"} and "a" into {"", "a"}.
SplitPath SplitLast(std::string_view path);

// Joins parent and name with '/'; just name when parent is empty.
std::string JoinPath(std::string_view parent, std::string_view name);

}  // namespace zhizao::catalog::internal
