// The OpenAPI 3.1 document of zhizao's HTTP API: src/api/openapi.json, embedded into the binary
// at build time and served at GET /api/v1/openapi.json. tests/api/openapi_test.cc keeps it
// true: every route of the router is documented, nothing else is, and every example validates
// against its schema.
#pragma once

#include <string_view>

namespace zhizao::api {

// The document's JSON text. Thread-safe: a constant.
std::string_view OpenApiDocument();

}  // namespace zhizao::api
