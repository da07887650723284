#include "api/http.h"

#include <nlohmann/json.hpp>

namespace zhizao::api {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      if (i + 2 >= text.size()) return Status::InvalidArgument("bad percent escape in request target");
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return Status::InvalidArgument("bad percent escape in request target");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string_view> HttpRequest::Query(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view HttpRequest::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return {};
}

std::string_view HttpRequest::PathParam(std::string_view name) const {
  for (const auto& [k, v] : path_params) {
    if (k == name) return v;
  }
  return {};
}

HttpResponse HttpResponse::Json(std::string body, int status) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::Text(std::string body, std::string content_type) {
  HttpResponse r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::NoContent() {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kOutOfRange: return 422;
    case StatusCode::kResourceExhausted: return 503;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kIOError:
    case StatusCode::kCorruption:
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

std::string_view ErrorCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kAlreadyExists: return "already_exists";
    case StatusCode::kOutOfRange: return "out_of_range";
    case StatusCode::kFailedPrecondition: return "failed_precondition";
    case StatusCode::kUnauthenticated: return "unauthenticated";
    case StatusCode::kPermissionDenied: return "permission_denied";
    case StatusCode::kResourceExhausted: return "overloaded";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kIOError: return "io_error";
    case StatusCode::kCorruption: return "corruption";
    case StatusCode::kInternal: return "internal";
  }
  return "internal";
}

namespace {

// error.code of a response whose HTTP status no StatusCode maps to.
std::string_view ErrorCodeNameFor(const Status& status, int http_status) {
  switch (http_status) {
    case 405: return "method_not_allowed";
    case 413: return "too_large";
    case 415: return "unsupported_media_type";
    case 429: return "too_many_requests";
    default: return ErrorCodeName(status.code());
  }
}

}  // namespace

HttpResponse ErrorResponse(const Status& status, std::string_view detail, int http_status) {
  nlohmann::json body = {{"error",
                          {{"code", ErrorCodeNameFor(status, http_status)},
                           {"message", status.message()},
                           {"detail", std::string(detail)}}}};
  HttpResponse r = HttpResponse::Json(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                                      http_status != 0 ? http_status : HttpStatusFor(status.code()));
  if (status.code() == StatusCode::kUnauthenticated) r.headers.emplace_back("WWW-Authenticate", "Token");
  return r;
}

namespace {

// InfluxDB 2.x's error codes (its API's "code" enum), by status.
std::string_view Influx2Code(int http_status) {
  switch (http_status) {
    case 400: return "invalid";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not found";
    case 409: return "conflict";
    case 413: return "request too large";
    case 415: return "unsupported media type";
    case 422: return "unprocessable entity";
    case 429: return "too many requests";
    case 503: return "unavailable";
    default: return "internal error";
  }
}

}  // namespace

HttpResponse ErrorResponseIn(Dialect dialect, const Status& status, int http_status) {
  if (dialect == Dialect::kZhizao) return ErrorResponse(status, "", http_status);
  if (http_status == 0) http_status = HttpStatusFor(status.code());
  nlohmann::json body;
  if (dialect == Dialect::kInflux1) {
    body = {{"error", status.message()}};
  } else {
    body = {{"code", Influx2Code(http_status)}, {"message", status.message()}};
  }
  HttpResponse r = HttpResponse::Json(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), http_status);
  r.headers.emplace_back("X-Influxdb-Version", std::string(kInfluxVersion));
  if (status.code() == StatusCode::kUnauthenticated) r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"zhizao\"");
  return r;
}

Status ParseTarget(std::string_view target, std::string& path,
                   std::vector<std::pair<std::string, std::string>>& query) {
  size_t q = target.find('?');
  ZZ_ASSIGN_OR_RETURN(path, PercentDecode(target.substr(0, q), false));
  query.clear();
  if (q == std::string_view::npos) return Status::Ok();
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    ZZ_ASSIGN_OR_RETURN(std::string key, PercentDecode(pair.substr(0, eq), true));
    std::string value;
    if (eq != std::string_view::npos) {
      ZZ_ASSIGN_OR_RETURN(value, PercentDecode(pair.substr(eq + 1), true));
    }
    query.emplace_back(std::move(key), std::move(value));
  }
  return Status::Ok();
}

}  // namespace zhizao::api
