// Decoding of `Content-Encoding: gzip` request bodies, bounded so that a small compressed body
// cannot expand without limit (a "zip bomb").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zhizao::api {

// The decompressed body. Errors: InvalidArgument for data that is not gzip or is cut short;
// ResourceExhausted once the output would pass max_bytes.
Result<std::string> Gunzip(std::string_view compressed, size_t max_bytes);

}  // namespace zhizao::api
