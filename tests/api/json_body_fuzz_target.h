// The body of the json_body_fuzz libFuzzer target, shared with a gtest that replays it on
// seeds and their mutations so that every compiler's CI runs it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::api {

// Parses the bytes as a request body and, when they are JSON, decodes them as an asset, a tag
// and a batch of tags. Aborts (ZZ_CHECK) if an error escapes as an exception or a decode
// error does not name its JSON path.
void FuzzJsonBody(const uint8_t* data, size_t size);

}  // namespace zhizao::api
