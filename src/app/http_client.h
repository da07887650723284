// A small synchronous HTTP/1.1 client for the command-line tools that talk to a running
// `zhizao serve`: one keep-alive connection, reopened once when the server has closed it.
// Plain http:// only; the server itself does not speak TLS.
//
//   ZZ_ASSIGN_OR_RETURN(auto client, HttpClient::Create({.url = "http://127.0.0.1:8080", .token = t}));
//   ZZ_ASSIGN_OR_RETURN(HttpReply reply, client->Send({.method = "GET", .target = "/ping"}));
//
// Not thread-safe: one client per thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zhizao::app {

struct HttpClientOptions {
  std::string url;    // "http://host[:port][/prefix]"; port default 80
  std::string token;  // sent as "Authorization: Token <token>"; none when empty
  // Connecting, and each request's write and read. Default: 60 s.
  std::chrono::milliseconds timeout{60'000};
};

struct HttpRequestSpec {
  std::string method = "GET";
  std::string target;  // path and query, appended to the URL's prefix
  std::string body;
  std::string content_type;      // none when empty
  std::string content_encoding;  // none when empty
};

struct HttpReply {
  int status = 0;
  std::string content_type;
  std::string body;
};

class HttpClient {
 public:
  // Errors: InvalidArgument for a URL that is not http://host[:port][/prefix].
  static Result<std::unique_ptr<HttpClient>> Create(const HttpClientOptions& options);
  ~HttpClient();

  // Sends `request` and reads the whole reply, whatever its status. Errors (the message names
  // the URL): Unavailable when the host cannot be resolved or refuses the connection, or the
  // connection breaks; kUnavailable "timed out after N s" when the server does not answer in time.
  Result<HttpReply> Send(const HttpRequestSpec& request);

  // The URL as given, for messages.
  const std::string& url() const { return options_.url; }

 private:
  struct Connection;
  explicit HttpClient(HttpClientOptions options);
  Status ConnectIfNeeded();
  Result<HttpReply> SendOnce(const HttpRequestSpec& request);

  HttpClientOptions options_;
  std::string host_, port_, prefix_;
  std::unique_ptr<Connection> connection_;  // null until the first request, and after a failure
  bool stale_ = false;  // the last SendOnce failed on a kept-alive connection the server had closed
};

// Ok for a 2xx reply. Otherwise an error that tells the user what to do: Unauthenticated
// naming ZHIZAO_TOKEN for 401, PermissionDenied for 403, and for any other status the
// server's own message (from {"error": "..."} or {"error": {"message": ...}}) with the status.
Status CheckReply(const HttpReply& reply, std::string_view url);

// Percent-encodes `text` for a query string or a form body (RFC 3986 unreserved kept).
std::string UrlEncode(std::string_view text);

}  // namespace zhizao::app
