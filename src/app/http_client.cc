#include "app/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>

namespace zhizao::app {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct HttpClient::Connection {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  bool reused = false;  // a request has completed on it, so the server may have closed it since
};

namespace {

bool IsTimeout(const beast::error_code& ec) { return ec == beast::error::timeout; }

// The errors of a keep-alive connection the server closed while idle: worth one retry.
bool IsStaleConnection(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe;
}

// Runs one operation to its end. beast::tcp_stream enforces expires_after() only on
// asynchronous operations, so the synchronous calls are made of one async call each.
template <typename Start>
beast::error_code RunOne(asio::io_context& io, Start&& start) {
  beast::error_code result;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  io.restart();
  io.run();
  return result;
}

std::string Seconds(std::chrono::milliseconds ms) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", static_cast<double>(ms.count()) / 1000);
  return text;
}

}  // namespace

HttpClient::HttpClient(HttpClientOptions options) : options_(std::move(options)) {}
HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> HttpClient::Create(const HttpClientOptions& options) {
  constexpr std::string_view kScheme = "http://";
  std::string_view rest = options.url;
  if (!rest.starts_with(kScheme)) {
    return Status::InvalidArgument("URL '" + options.url + "' must start with http://");
  }
  rest.remove_prefix(kScheme.size());
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::unique_ptr<HttpClient> client(new HttpClient(options));
  client->prefix_ = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  while (client->prefix_.ends_with('/')) client->prefix_.pop_back();
  size_t colon = authority.rfind(':');
  client->host_ = std::string(authority.substr(0, colon));
  client->port_ = colon == std::string_view::npos ? "80" : std::string(authority.substr(colon + 1));
  bool port_ok = !client->port_.empty() && client->port_.size() <= 5 &&
                 client->port_.find_first_not_of("0123456789") == std::string::npos;
  if (client->host_.empty() || !port_ok) {
    return Status::InvalidArgument("URL '" + options.url + "' is not http://host[:port][/prefix]");
  }
  return client;
}

Status HttpClient::ConnectIfNeeded() {
  if (connection_) return Status::Ok();
  auto connection = std::make_unique<Connection>();
  asio::ip::tcp::resolver resolver(connection->io);
  beast::error_code ec;
  auto endpoints = resolver.resolve(host_, port_, ec);
  if (ec) return Status::Unavailable("cannot resolve " + host_ + " of " + options_.url + ": " + ec.message());
  connection->stream.expires_after(options_.timeout);
  ec = RunOne(connection->io, [&](auto done) { connection->stream.async_connect(endpoints, done); });
  if (IsTimeout(ec)) {
    return Status::Unavailable("cannot connect to " + options_.url + ": timed out after " +
                               Seconds(options_.timeout) + " s");
  }
  if (ec) return Status::Unavailable("cannot connect to " + options_.url + ": " + ec.message());
  connection_ = std::move(connection);
  return Status::Ok();
}

Result<HttpReply> HttpClient::Send(const HttpRequestSpec& request) {
  Result<HttpReply> reply = SendOnce(request);
  // A server closes idle keep-alive connections; only then is sending again safe and useful.
  if (!reply.ok() && stale_) reply = SendOnce(request);
  return reply;
}

Result<HttpReply> HttpClient::SendOnce(const HttpRequestSpec& request) {
  stale_ = false;
  ZZ_RETURN_IF_ERROR(ConnectIfNeeded());
  http::request<http::string_body> out(http::string_to_verb(request.method), prefix_ + request.target, 11);
  out.set(http::field::host, host_ + ":" + port_);
  out.set(http::field::user_agent, "zhizao-cli");
  if (!options_.token.empty()) out.set(http::field::authorization, "Token " + options_.token);
  if (!request.content_type.empty()) out.set(http::field::content_type, request.content_type);
  if (!request.content_encoding.empty()) out.set(http::field::content_encoding, request.content_encoding);
  out.keep_alive(true);
  out.body() = request.body;
  out.prepare_payload();

  Connection& c = *connection_;
  c.stream.expires_after(options_.timeout);
  beast::error_code ec = RunOne(c.io, [&](auto done) { http::async_write(c.stream, out, done); });
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);  // exports and query answers may be large
  if (!ec) {
    c.stream.expires_after(options_.timeout);
    ec = RunOne(c.io, [&](auto done) { http::async_read(c.stream, c.buffer, parser, done); });
  }
  stale_ = ec && c.reused && IsStaleConnection(ec);
  if (ec) {
    connection_.reset();
    if (IsTimeout(ec)) {
      return Status::Unavailable("no answer from " + options_.url + " within " + Seconds(options_.timeout) + " s");
    }
    std::string what = stale_ ? "connection closed by " : "cannot talk to ";
    return Status::Unavailable(what + options_.url + ": " + ec.message());
  }
  http::response<http::string_body> in = parser.release();
  HttpReply reply{.status = static_cast<int>(in.result_int()),
                  .content_type = std::string(in[http::field::content_type]),
                  .body = std::move(in.body())};
  if (in.keep_alive()) {
    c.reused = true;
  } else {
    connection_.reset();
  }
  return reply;
}

namespace {

// The message of either error shape the server answers with: InfluxDB's {"error": "..."} or
// zhizao's {"error": {"message": "..."}}; else the body itself, cut short.
std::string ServerMessage(const std::string& body) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_object() && doc.contains("error")) {
    const nlohmann::json& error = doc["error"];
    if (error.is_string()) return error.get<std::string>();
    if (error.is_object() && error.contains("message") && error["message"].is_string()) {
      return error["message"].get<std::string>();
    }
  }
  constexpr size_t kMaxShown = 300;
  return body.size() <= kMaxShown ? body : body.substr(0, kMaxShown) + "...";
}

}  // namespace

Status CheckReply(const HttpReply& reply, std::string_view url) {
  if (reply.status >= 200 && reply.status < 300) return Status::Ok();
  std::string where(url);
  if (reply.status == 401) {
    return Status::Unauthenticated(where +
                                   " refused the token (401): set ZHIZAO_TOKEN or --token to a valid API token");
  }
  std::string message = ServerMessage(reply.body);
  std::string text = where + " answered " + std::to_string(reply.status) + (message.empty() ? "" : ": " + message);
  if (reply.status == 403) return Status::PermissionDenied(text);
  if (reply.status >= 400 && reply.status < 500) return Status::InvalidArgument(text);
  return Status::Unavailable(text);
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

}  // namespace zhizao::app
