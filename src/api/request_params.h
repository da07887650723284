// Reading typed query parameters, with errors that name the parameter.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "api/http.h"

namespace zhizao::api {

// nullopt when absent; InvalidArgument naming `name` when not an integer in [min, max].
Result<std::optional<int64_t>> IntParam(const HttpRequest& request, std::string_view name, int64_t min,
                                        int64_t max);

// Parses a decimal integer; InvalidArgument when `text` is not one.
Result<int64_t> ParseInt(std::string_view text, std::string_view what);

}  // namespace zhizao::api
