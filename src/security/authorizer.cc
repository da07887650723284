#include "security/authorizer.h"

#include <algorithm>
#include <cctype>

namespace zhizao::security {
namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
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
  return Status::Unauthenticated("unsupported Authorization scheme: use 'Token <t>' or 'Bearer <t>'");
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
