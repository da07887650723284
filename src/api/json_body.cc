#include "api/json_body.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace zhizao::api {
namespace {

using nlohmann::json;

// Measured on the raw text, outside strings, so that the parser never sees a body it would
// have to recurse through (and so that destroying or dumping the value cannot either).
Status CheckDepth(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxJsonDepth) {
        return Status::InvalidArgument("body is not acceptable JSON: nested deeper than " +
                                       std::to_string(kMaxJsonDepth) + " at byte " + std::to_string(i));
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return Status::Ok();
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the rest names the
// line and column, which is what the client needs.
std::string WithoutExceptionId(std::string_view what) {
  size_t end = what.starts_with('[') ? what.find("] ") : std::string_view::npos;
  return std::string(end == std::string_view::npos ? what : what.substr(end + 2));
}

bool IsJsonMediaType(std::string_view type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  std::string lower(type);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "application/json" || (lower.starts_with("application/") && lower.ends_with("+json"));
}

Status Expected(const std::string& path, std::string_view what, const json& got) {
  return Status::OutOfRange(path + ": expected " + std::string(what) + ", got " + std::string(JsonTypeName(got)));
}

}  // namespace

std::string_view JsonTypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    default: return "a value of another type";
  }
}

Status CheckJsonContentType(const HttpRequest& request) {
  std::string_view type = request.Header("content-type");
  if (IsJsonMediaType(type)) return Status::Ok();
  return Status::InvalidArgument("Content-Type must be application/json, got '" + std::string(type) + "'");
}

Result<json> ParseJsonBody(std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return Status::ResourceExhausted("body of " + std::to_string(text.size()) + " bytes is larger than the limit of " +
                                     std::to_string(max_bytes));
  }
  ZZ_RETURN_IF_ERROR(CheckDepth(text));
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    return Status::InvalidArgument("body is not valid JSON: " + WithoutExceptionId(e.what()));
  }
}

Result<JsonFields> JsonFields::Of(const json& value, std::string path) {
  if (!value.is_object()) return Expected(path, "an object", value);
  return JsonFields(value, std::move(path));
}

std::string JsonFields::PathOf(std::string_view key) const { return path_ + "." + std::string(key); }

const json* JsonFields::Find(std::string_view key) {
  known_.emplace_back(key);
  auto it = object_->find(std::string(key));
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::optional<std::string>> JsonFields::String(std::string_view key) {
  const json* v = Find(key);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return Expected(PathOf(key), "a string", *v);
  return std::optional<std::string>(v->get<std::string>());
}

Result<std::optional<double>> JsonFields::Number(std::string_view key) {
  const json* v = Find(key);
  if (v == nullptr) return std::optional<double>();
  if (!v->is_number()) return Expected(PathOf(key), "a number", *v);
  return std::optional<double>(v->get<double>());
}

Result<std::optional<int64_t>> JsonFields::Integer(std::string_view key, int64_t min, int64_t max) {
  const json* v = Find(key);
  if (v == nullptr) return std::optional<int64_t>();
  if (!v->is_number()) return Expected(PathOf(key), "an integer", *v);
  // Compared as doubles first: an unsigned or float beyond int64 must not be converted.
  double d = v->get<double>();
  bool whole = v->is_number_integer() || (std::isfinite(d) && d == std::trunc(d));
  bool in_range = v->is_number_unsigned() ? v->get<uint64_t>() <= static_cast<uint64_t>(max)
                                          : d >= static_cast<double>(min) && d <= static_cast<double>(max);
  if (!whole || !in_range) {
    return Status::OutOfRange(PathOf(key) + ": expected an integer between " + std::to_string(min) + " and " +
                              std::to_string(max) + ", got " + v->dump());
  }
  int64_t i = v->is_number_integer() ? v->get<int64_t>() : static_cast<int64_t>(d);
  if (i < min || i > max) {  // the double comparison rounds near the int64 bounds
    return Status::OutOfRange(PathOf(key) + ": expected an integer between " + std::to_string(min) + " and " +
                              std::to_string(max) + ", got " + v->dump());
  }
  return std::optional<int64_t>(i);
}

Result<std::optional<bool>> JsonFields::Bool(std::string_view key) {
  const json* v = Find(key);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_boolean()) return Expected(PathOf(key), "true or false", *v);
  return std::optional<bool>(v->get<bool>());
}

Result<std::optional<JsonFields>> JsonFields::Object(std::string_view key) {
  const json* v = Find(key);
  if (v == nullptr) return std::optional<JsonFields>();
  ZZ_ASSIGN_OR_RETURN(JsonFields fields, Of(*v, PathOf(key)));
  return std::optional<JsonFields>(std::move(fields));
}

Result<std::optional<std::vector<const json*>>> JsonFields::Array(std::string_view key) {
  const json* v = Find(key);
  if (v == nullptr) return std::optional<std::vector<const json*>>();
  if (!v->is_array()) return Expected(PathOf(key), "an array", *v);
  std::vector<const json*> out;
  out.reserve(v->size());
  for (const json& element : *v) out.push_back(&element);
  return std::optional<std::vector<const json*>>(std::move(out));
}

Status JsonFields::CheckNoOtherFields() const {
  for (const auto& [key, value] : object_->items()) {
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
      return Status::OutOfRange(PathOf(key) + ": unknown field");
    }
  }
  return Status::Ok();
}

std::variant<nlohmann::json, HttpResponse> ReadJsonRequest(const HttpRequest& request, size_t max_bytes) {
  if (Status type = CheckJsonContentType(request); !type.ok()) return ErrorResponse(type, "", 415);
  Result<nlohmann::json> body = ParseJsonBody(request.body, max_bytes);
  if (body.ok()) return std::move(body).value();
  if (body.status().code() == StatusCode::kResourceExhausted) {
    return ErrorResponse(Status::InvalidArgument(body.status().message()), "", 413);
  }
  return ErrorResponse(body.status());
}

}  // namespace zhizao::api
