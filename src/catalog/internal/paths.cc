#include "catalog/internal/paths.h"

namespace zhizao::catalog::internal {

SplitPath SplitLast(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {"", std::string(path)};
  return {std::string(path.substr(0, slash)), std::string(path.substr(slash + 1))};
}

std::string JoinPath(std::string_view parent, std::string_view name) {
  if (parent.empty()) return std::string(name);
  std::string path;
  path.reserve(parent.size() + 1 + name.size());
  path.append(parent).append("/").append(name);
  return path;
}

}  // namespace zhizao::catalog::internal
