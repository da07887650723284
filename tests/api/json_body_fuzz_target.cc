#include "json_body_fuzz_target.h"

#include <string_view>

#include "api/catalog_json.h"
#include "api/json_body.h"
#include "common/check.h"

namespace zhizao::api {
namespace {

constexpr size_t kMaxBytes = 1 << 16;

void CheckNamesPath(const Status& status) {
  if (status.ok()) return;
  ZZ_CHECK(status.code() == StatusCode::kOutOfRange, "a decode error is OutOfRange (422)");
  ZZ_CHECK(status.message().starts_with("$"), "a decode error starts with the JSON path");
}

}  // namespace

void FuzzJsonBody(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<nlohmann::json> body = ParseJsonBody(text, kMaxBytes);
  if (!body.ok()) {
    ZZ_CHECK(body.status().code() == StatusCode::kInvalidArgument ||
                 body.status().code() == StatusCode::kResourceExhausted,
             "a body that is not JSON is InvalidArgument, one too large ResourceExhausted");
    return;
  }
  CheckNamesPath(AssetFromJson(*body).status());
  CheckNamesPath(TagFromJson(*body).status());
  if (body->is_object() && body->contains("tags") && (*body)["tags"].is_array()) {
    size_t i = 0;
    for (const nlohmann::json& tag : (*body)["tags"]) CheckNamesPath(TagFromJson(tag, "$.tags[" + std::to_string(i++) + "]").status());
  }
  // What the API answers must serialise whatever the client sent.
  (void)body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace zhizao::api
