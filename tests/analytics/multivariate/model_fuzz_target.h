// The body of the libFuzzer target for Model::Load, shared with the replay test.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::analytics::multivariate {

// Loads `data` as a model blob; when it loads, scores a few rows and checks that Save gives the
// same bytes back (aborts otherwise).
void FuzzModelLoad(const uint8_t* data, size_t size);

}  // namespace zhizao::analytics::multivariate
