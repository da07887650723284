#include "api/router.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>

namespace zhizao::api {
namespace {

std::string_view NextSegment(std::string_view& rest) {
  size_t slash = rest.find('/');
  std::string_view segment = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  return segment;
}

// A browser cannot set headers on a WebSocket: it offers the token as a subprotocol
// "zhizao-token.<token>" (Sec-WebSocket-Protocol is a comma-separated list).
std::optional<std::string_view> WebSocketToken(const HttpRequest& request) {
  constexpr std::string_view kPrefix = "zhizao-token.";
  std::string_view offered = request.Header("sec-websocket-protocol");
  size_t at = offered.find(kPrefix);
  if (at == std::string_view::npos || request.Header("upgrade").empty()) return std::nullopt;
  std::string_view token = offered.substr(at + kPrefix.size());
  return token.substr(0, std::min(token.find(','), token.find(' ')));
}

}  // namespace

bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::vector<std::pair<std::string, std::string>>& params) {
  params.clear();
  if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
  pattern.remove_prefix(1);
  path.remove_prefix(1);
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty()) return false;
    std::string_view want = NextSegment(pattern);
    std::string_view have = NextSegment(path);
    if (want.size() >= 2 && want.front() == '{' && want.back() == '}') {
      if (have.empty()) return false;
      params.emplace_back(std::string(want.substr(1, want.size() - 2)), std::string(have));
    } else if (want != have) {
      return false;
    }
  }
  return true;
}

Router::Router(const security::Authorizer& authorizer, MetricsRegistry& metrics)
    : authorizer_(authorizer),
      metrics_(metrics),
      unmatched_(&metrics.GetCounter("zhizao_http_requests_total", "HTTP requests answered, by route and class.",
                                     {{"route", "unmatched"}, {"class", "4xx"}})),
      unauthenticated_(&metrics.GetCounter("zhizao_security_refused_total",
                                           "Requests refused by the authorization seam, by reason.",
                                           {{"reason", "unauthenticated"}})),
      denied_(&metrics.GetCounter("zhizao_security_refused_total",
                                  "Requests refused by the authorization seam, by reason.",
                                  {{"reason", "permission_denied"}})) {}

void Router::Add(Route route) {
  Labels base = {{"route", route.method + " " + route.pattern}};
  auto counter = [&](const char* cls) {
    Labels labels = base;
    labels.emplace_back("class", cls);
    return &metrics_.GetCounter("zhizao_http_requests_total", "HTTP requests answered, by route and class.",
                                labels);
  };
  route_metrics_.push_back({counter("2xx"), counter("4xx"), counter("5xx"),
                            &metrics_.GetHistogram("zhizao_http_request_duration_seconds",
                                                   "Time to answer an HTTP request, by route.",
                                                   LatencyBuckets(), base)});
  routes_.push_back(std::move(route));
}

HttpResponse Router::Dispatch(HttpRequest& request) const {
  std::vector<std::pair<std::string, std::string>> params;
  std::string allowed;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& route = routes_[i];
    if (!MatchPattern(route.pattern, request.path, params)) continue;
    if (route.method != request.method) {
      allowed += (allowed.empty() ? "" : ", ") + route.method;
      continue;
    }
    request.path_params = std::move(params);
    auto start = std::chrono::steady_clock::now();
    HttpResponse response = Call(route, request);
    Record(i, response.status, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return response;
  }
  unmatched_->Increment();
  if (allowed.empty()) return ErrorResponse(Status::NotFound("no route for " + request.path));
  HttpResponse response = ErrorResponseIn(
      DialectOf(request.path), Status(StatusCode::kInvalidArgument, request.method + " is not allowed on " + request.path),
      405);
  response.headers.emplace_back("Allow", allowed);
  return response;
}

Dialect Router::DialectOf(std::string_view path) const {
  std::vector<std::pair<std::string, std::string>> params;
  for (const Route& route : routes_) {
    if (MatchPattern(route.pattern, path, params)) return route.dialect;
  }
  return Dialect::kZhizao;
}

std::vector<std::pair<std::string, std::string>> Router::RouteList() const {
  std::vector<std::pair<std::string, std::string>> list;
  list.reserve(routes_.size());
  for (const Route& route : routes_) list.emplace_back(route.method, route.pattern);
  return list;
}

Result<security::Principal> Router::Authenticate(const Route& route, const HttpRequest& request) const {
  if (route.dialect == Dialect::kInflux1 && request.Header("authorization").empty()) {
    if (std::optional<std::string_view> password = request.Query("p")) return authorizer_.AuthenticateToken(*password);
  }
  if (request.Header("authorization").empty()) {
    if (std::optional<std::string_view> token = WebSocketToken(request)) return authorizer_.AuthenticateToken(*token);
  }
  return authorizer_.Authenticate(request.Header("authorization"));
}

HttpResponse Router::Call(const Route& route, HttpRequest& request) const {
  security::Principal principal;
  if (!route.is_public) {
    Result<security::Principal> who = Authenticate(route, request);
    if (!who.ok()) {
      unauthenticated_->Increment();
      return ErrorResponseIn(route.dialect, who.status());
    }
    principal = std::move(who).value();
    Status allowed = authorizer_.Authorize(principal, route.action, {route.resource_kind, request.path});
    if (!allowed.ok()) {
      denied_->Increment();
      return ErrorResponseIn(route.dialect, allowed);
    }
  }
  RequestContext context{request, route.is_public ? nullptr : &principal};
  try {
    return route.handler(context);
  } catch (const std::exception& e) {
    // The detail may name files or queries: it goes to the log, not to the client.
    spdlog::error("handler for {} {} failed: {}", request.method, request.path, e.what());
    return ErrorResponseIn(route.dialect,
                           Status::Internal("the request could not be completed; see the server log"));
  }
}

void Router::Record(size_t route_index, int status, double seconds) const {
  const RouteMetrics& m = route_metrics_[route_index];
  (status >= 500 ? m.server_error : status >= 400 ? m.client_error : m.ok)->Increment();
  m.latency->Observe(seconds);
}

}  // namespace zhizao::api
