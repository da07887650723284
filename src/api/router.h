// Routes requests to handlers, through the authorization seam.
//
// Every route is either public (only /healthz and /metrics are) or names the Action and
// resource kind it needs; the router authenticates and calls Authorize() before the handler
// runs, so no handler can forget to.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/http.h"
#include "common/metrics.h"
#include "security/authorizer.h"

namespace zhizao::api {

struct RequestContext {
  HttpRequest& request;
  const security::Principal* principal;  // null on public routes

  // Who acts, as records keep it ("acknowledged by", "activated by"); empty on public routes.
  std::string who() const { return principal != nullptr ? principal->name : ""; }
};

using Handler = std::function<HttpResponse(RequestContext&)>;

struct Route {
  std::string method;   // "GET", "POST", "PUT", "DELETE"
  std::string pattern;  // "/api/v1/tags/{id}": a {name} segment matches one path segment
  security::Action action = security::Action::kRead;
  std::string resource_kind;  // what Authorize() is asked about: "tags", "assets", "sim", ...
  bool is_public = false;
  // InfluxDB's dialects shape the seam's errors as InfluxDB does, and also take the token as
  // InfluxDB 1.x clients send it: the `p` query parameter (with `u`), or a Basic password.
  Dialect dialect = Dialect::kZhizao;
  std::string summary;  // one line, for the API document
  Handler handler;
};

// Thread-safe once every route is added (Add happens before serving starts).
class Router {
 public:
  Router(const security::Authorizer& authorizer, MetricsRegistry& metrics);

  // REQUIRES: called before Dispatch; no two routes share method and pattern.
  void Add(Route route);

  // Finds the route, authenticates, authorizes and calls the handler. Answers 404 for an
  // unknown path, 405 (with Allow) for a known path and another method, 401 and 403 from
  // the seam, and 500 when a handler throws.
  HttpResponse Dispatch(HttpRequest& request) const;

  // The dialect of the first route whose pattern `path` matches, kZhizao when none: how to
  // word an error raised before routing (a body over the limit, a full query queue).
  Dialect DialectOf(std::string_view path) const;

  // (method, pattern) of every route, in the order they were added: what the API document
  // must describe.
  std::vector<std::pair<std::string, std::string>> RouteList() const;

 private:
  struct RouteMetrics {
    Counter* ok;
    Counter* client_error;
    Counter* server_error;
    Histogram* latency;
  };
  Result<security::Principal> Authenticate(const Route& route, const HttpRequest& request) const;
  HttpResponse Call(const Route& route, HttpRequest& request) const;
  void Record(size_t route_index, int status, double seconds) const;

  const security::Authorizer& authorizer_;
  MetricsRegistry& metrics_;
  std::vector<Route> routes_;
  std::vector<RouteMetrics> route_metrics_;  // parallel to routes_
  Counter* unmatched_;
  Counter* unauthenticated_;
  Counter* denied_;
};

// True when `path` matches `pattern`; fills `params` with the {name} segments.
bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::vector<std::pair<std::string, std::string>>& params);

}  // namespace zhizao::api
