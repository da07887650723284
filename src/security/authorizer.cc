#include "security/authorizer.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>

namespace zhizao::security {
namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

// RFC 4648 base64 with padding, as HTTP Basic credentials carry it; nullopt when malformed.
std::optional<std::string> DecodeBase64(std::string_view text) {
  auto sextet = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    int v = sextet(c);
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    if (++count == 4) {
      out += static_cast<char>(bits >> 16);
      out += static_cast<char>(bits >> 8);
      out += static_cast<char>(bits);
      bits = 0;
      count = 0;
    }
  }
  if (count == 2) out += static_cast<char>(bits >> 4);
  if (count == 3) {
    out += static_cast<char>(bits >> 10);
    out += static_cast<char>(bits >> 2);
  }
  return out;
}

}  // namespace

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kRead: return "read";
    case Action::kWrite: return "write";
    case Action::kAdmin: return "admin";
  }
  return "unknown";
}

Result<Principal> Authorizer::Authenticate(std::string_view header) const {
  if (header.empty()) {
    return Status::Unauthenticated("missing credentials: send 'Authorization: Token <admin token>'");
  }
  for (std::string_view scheme : {"Token ", "Bearer "}) {
    if (StartsWithNoCase(header, scheme)) return AuthenticateToken(header.substr(scheme.size()));
  }
  // InfluxDB 1.x clients (the influx shell, Grafana) send the token as a Basic password.
  if (StartsWithNoCase(header, "Basic ")) {
    std::optional<std::string> credentials = DecodeBase64(header.substr(6));
    size_t colon = credentials ? credentials->find(':') : std::string::npos;
    if (colon == std::string::npos) return Status::Unauthenticated("malformed Basic credentials");
    return AuthenticateToken(std::string_view(*credentials).substr(colon + 1));
  }
  return Status::Unauthenticated("unsupported Authorization scheme: use 'Token <t>', 'Bearer <t>' or Basic");
}

Result<Principal> Authorizer::AuthenticateToken(std::string_view token) const {
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty() || !admin_token_.Matches(token)) return Status::Unauthenticated("invalid token");
  return Principal{"admin", true};
}

Status Authorizer::Authorize(const Principal& principal, Action action, const Resource& resource) const {
  if (principal.admin) return Status::Ok();
  return Status::PermissionDenied(principal.name + " may not " + std::string(ActionName(action)) + " " +
                                  std::string(resource.kind));
}

}  // namespace zhizao::security
