// Decoding JSON request bodies: the one place the API parses what clients send as JSON.
//
// Errors map onto HTTP through their codes, and name where the problem is:
//   InvalidArgument  (400)  not JSON at all: "body is not valid JSON: parse error at line 2, column 5: ..."
//   ResourceExhausted        larger than the limit (the caller answers 413)
//   OutOfRange       (422)  valid JSON of the wrong shape or value: "$.tags[3].range.lo: expected a number"
// No exception escapes: nlohmann's are caught here.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/http.h"
#include "common/status.h"

namespace zhizao::api {

// Bodies nest no deeper than this (objects and arrays): a deeper one is refused before parsing,
// so that no recursive walk of the value can exhaust the stack.
inline constexpr int kMaxJsonDepth = 32;

// InvalidArgument unless the Content-Type is application/json (parameters such as charset
// allowed) or another media type ending in "+json"; the caller answers 415.
Status CheckJsonContentType(const HttpRequest& request);

// Parses `text` as one JSON value. Errors: ResourceExhausted past max_bytes; InvalidArgument
// for a syntax error (with line and column), nesting deeper than kMaxJsonDepth, or invalid UTF-8.
Result<nlohmann::json> ParseJsonBody(std::string_view text, size_t max_bytes);

// The request's body as JSON, or the response that refuses it: 415 (not declared JSON), 413
// (past max_bytes), 400 (not JSON).
std::variant<nlohmann::json, HttpResponse> ReadJsonRequest(const HttpRequest& request, size_t max_bytes);

// Runs `handle` on the decoded body, or answers the body's refusal (as ReadJsonRequest).
template <typename F>
HttpResponse WithJsonBody(const HttpRequest& request, size_t max_bytes, F&& handle) {
  std::variant<nlohmann::json, HttpResponse> body = ReadJsonRequest(request, max_bytes);
  if (HttpResponse* refusal = std::get_if<HttpResponse>(&body)) return std::move(*refusal);
  return handle(std::get<nlohmann::json>(body));
}

// Reads the fields of one JSON object, naming each by its JSON path in errors. A null field
// reads as absent. Every error is OutOfRange.
// Not thread-safe; borrows the object, which must outlive the reader.
class JsonFields {
 public:
  // OutOfRange "<path>: expected an object" unless `value` is one. `path` is "$" for the root.
  static Result<JsonFields> Of(const nlohmann::json& value, std::string path);

  Result<std::optional<std::string>> String(std::string_view key);
  Result<std::optional<double>> Number(std::string_view key);
  // A whole number in [min, max] (1.0 counts; 1.5 does not).
  Result<std::optional<int64_t>> Integer(std::string_view key, int64_t min, int64_t max);
  Result<std::optional<bool>> Bool(std::string_view key);
  Result<std::optional<JsonFields>> Object(std::string_view key);
  // The elements of an array field; each element's path is "<path>.<key>[i]".
  Result<std::optional<std::vector<const nlohmann::json*>>> Array(std::string_view key);

  // OutOfRange naming the first field that no reader above asked for, so that a misspelt
  // field is an error rather than silently ignored.
  Status CheckNoOtherFields() const;

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const;

 private:
  JsonFields(const nlohmann::json& object, std::string path) : object_(&object), path_(std::move(path)) {}
  // The field, or null when absent or JSON null; remembers that it was asked for.
  const nlohmann::json* Find(std::string_view key);

  const nlohmann::json* object_;
  std::string path_;
  std::vector<std::string> known_;
};

// "an object", "a string", ... for messages.
std::string_view JsonTypeName(const nlohmann::json& value);

}  // namespace zhizao::api
