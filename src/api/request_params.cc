#include "api/request_params.h"

#include <charconv>
#include <string>

namespace zhizao::api {

Result<int64_t> ParseInt(std::string_view text, std::string_view what) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument(std::string(what) + ": expected an integer, got '" + std::string(text) + "'");
  }
  return v;
}

Result<std::optional<int64_t>> IntParam(const HttpRequest& request, std::string_view name, int64_t min,
                                        int64_t max) {
  std::optional<std::string_view> text = request.Query(name);
  if (!text) return std::optional<int64_t>();
  ZZ_ASSIGN_OR_RETURN(int64_t v, ParseInt(*text, "parameter " + std::string(name)));
  if (v < min || v > max) {
    return Status::InvalidArgument("parameter " + std::string(name) + ": must be between " + std::to_string(min) +
                                   " and " + std::to_string(max));
  }
  return std::optional<int64_t>(v);
}

}  // namespace zhizao::api
