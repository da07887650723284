// gzip compression of request bodies (`zhizao write --gzip`). Thread-safe (stateless).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace zhizao::app {

// `data` as one gzip member, as `Content-Encoding: gzip` carries it. Errors: Internal from zlib.
Result<std::string> GzipCompress(std::string_view data);

}  // namespace zhizao::app
