// The web console: GET / (its page) and GET /console/{file} (its script and style), served from
// the bytes embedded at build time. Public: the files hold no data; the console signs in with a
// token and reads everything through /api/v1 like any other client.
//
// Caching: every answer carries a strong ETag and `Cache-Control: no-cache`, so a browser keeps
// the files but asks each time whether they changed (a 304 when not): a new binary's console is
// picked up at the next load without versioned file names. Files are sent gzip-compressed (made
// at build time) to clients whose Accept-Encoding allows it.
#include <string>
#include <string_view>

#include "api/internal/console_assets.h"
#include "api/routes.h"

namespace zhizao::api {
namespace {

using internal::ConsoleAsset;

// The page may only talk to its own origin (API and WebSocket); inline styles are used by the
// chart library, inline scripts nowhere.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

std::string_view ContentTypeOf(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

// True when the Accept-Encoding list names gzip (or *) without q=0 (RFC 9110 §12.5.3).
bool AcceptsGzip(std::string_view header) {
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = TrimOws(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view coding = TrimOws(item.substr(0, semi));
    if (coding != "gzip" && coding != "*") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view params = TrimOws(item.substr(semi + 1));
    if (!params.starts_with("q=")) return true;
    std::string_view q = params.substr(2);
    return q.find_first_not_of("0.") != std::string_view::npos;  // q=0, q=0.0, q=0.000: refused
  }
  return false;
}

// True when If-None-Match lists `etag` (or is *).
bool Matches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    size_t comma = if_none_match.find(',');
    std::string_view item = TrimOws(if_none_match.substr(0, comma));
    if (item.starts_with("W/")) item.remove_prefix(2);  // weak comparison, as for GET
    if (item == etag || item == "*") return true;
    if_none_match = comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
  }
  return false;
}

const ConsoleAsset* Find(std::string_view name) {
  for (const ConsoleAsset& asset : internal::ConsoleAssets()) {
    if (asset.name == name) return &asset;
  }
  return nullptr;
}

HttpResponse Serve(std::string_view name, const HttpRequest& request) {
  const ConsoleAsset* asset = Find(name);
  if (asset == nullptr) return ErrorResponse(Status::NotFound("no console file " + std::string(name)));
  HttpResponse response;
  response.headers = {{"ETag", std::string(asset->etag)},
                      {"Cache-Control", "no-cache"},
                      {"Vary", "Accept-Encoding"},
                      {"X-Content-Type-Options", "nosniff"}};
  if (name.ends_with(".html")) {
    // Not on the fallback page (web/bootstrap, embedded when node is missing): its script is inline.
    if (Find("app.js") != nullptr) {
      response.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
    }
    response.headers.emplace_back("Referrer-Policy", "no-referrer");  // the first URL carries ?token=
  }
  if (Matches(request.Header("if-none-match"), asset->etag)) {
    response.status = 304;
    response.content_type.clear();
    return response;
  }
  response.content_type = std::string(ContentTypeOf(name));
  if (!asset->gzip.empty() && AcceptsGzip(request.Header("accept-encoding"))) {
    response.body = std::string(asset->gzip);
    response.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    response.body = std::string(asset->raw);
  }
  return response;
}

}  // namespace

void AddConsoleRoutes(Router& router) {
  router.Add({.method = "GET",
              .pattern = "/",
              .is_public = true,
              .summary = "The web console (signs in with a token; reads everything through /api/v1).",
              .handler = [](RequestContext& c) { return Serve("index.html", c.request); }});
  router.Add({.method = "GET",
              .pattern = "/console/{file}",
              .is_public = true,
              .summary = "A file of the web console (app.js, app.css), gzip when accepted, with an ETag.",
              .handler = [](RequestContext& c) { return Serve(c.request.PathParam("file"), c.request); }});
}

}  // namespace zhizao::api
