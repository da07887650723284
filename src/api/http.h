// HTTP request and response as the routes see them: plain values, no Boost.Beast types.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace zhizao::api {

class WebSocketHandler;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded path, without the query
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::vector<std::pair<std::string, std::string>> path_params;  // filled by the router
  std::string body;

  // The first value, or nullopt.
  std::optional<std::string_view> Query(std::string_view name) const;
  std::string_view Header(std::string_view lower_name) const;  // "" when absent
  std::string_view PathParam(std::string_view name) const;     // "" when absent
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set by a WebSocket route in answer to an upgrade request: the server upgrades the
  // connection and hands it to this handler (api/websocket.h); status and body are then unused.
  std::shared_ptr<WebSocketHandler> websocket;

  static HttpResponse Json(std::string body, int status = 200);
  static HttpResponse Text(std::string body, std::string content_type = "text/plain; charset=utf-8");
  static HttpResponse NoContent();
};

// The one error shape of /api/v1: {"error": {"code", "message", "detail"}}, with the HTTP
// status that `status.code()` maps to, or `http_status` when it is not 0: 405, 413, 415 and 429
// have no StatusCode of their own, and `code` then names the HTTP status ("too_large", ...).
HttpResponse ErrorResponse(const Status& status, std::string_view detail = "", int http_status = 0);

// Which API's conventions a route follows: zhizao's own, or InfluxDB's for the compatibility
// routes (/write, /query, /ping: 1.x; /api/v2/write: 2.x), which clients of InfluxDB parse.
enum class Dialect : uint8_t { kZhizao, kInflux1, kInflux2 };

// The InfluxDB version the compatibility routes announce in X-Influxdb-Version, on every answer:
// clients read it (from /ping first) to choose the 1.x API.
inline constexpr std::string_view kInfluxVersion = "1.8.10";

// The error shape of `dialect`: ErrorResponse for zhizao; {"error": "<message>"} for InfluxDB
// 1.x; {"code": "invalid" | "unauthorized" | ..., "message"} for InfluxDB 2.x; both InfluxDB
// shapes with the X-Influxdb-Version header, whether a route or the server answers.
// `http_status` as for ErrorResponse.
HttpResponse ErrorResponseIn(Dialect dialect, const Status& status, int http_status = 0);
int HttpStatusFor(StatusCode code);
std::string_view ErrorCodeName(StatusCode code);  // "invalid_argument", "not_found", ...

// Splits a request target into a decoded path and query pairs. Bad percent escapes are an
// InvalidArgument; `path` is set even then when only the query holds them.
Status ParseTarget(std::string_view target, std::string& path,
                   std::vector<std::pair<std::string, std::string>>& query);

// An item of a header's comma-separated list without the optional whitespace around it
// (RFC 9110, 5.6.3: spaces and tabs).
inline std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace zhizao::api
