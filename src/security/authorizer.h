// The one authorization point: every request but /healthz and /metrics passes here.
//
// Today it knows one principal, the admin, who proves itself with the admin token.
// Accounts, roles and classification-aware rules attach here later, without touching
// the routes that call it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "security/admin_token.h"

namespace zhizao::security {

enum class Action { kRead, kWrite, kAdmin };
std::string_view ActionName(Action action);  // "read", "write", "admin"

struct Principal {
  std::string name;
  bool admin = false;
};

// What is being acted on: a kind ("tags", "assets", "sim") and, where one applies,
// the path or id of the object.
struct Resource {
  std::string_view kind;
  std::string_view name;
};

// Thread-safe (immutable after construction).
class Authorizer {
 public:
  explicit Authorizer(AdminToken admin_token) : admin_token_(std::move(admin_token)) {}

  // Reads the credentials of an Authorization header value: "Token <t>", "Bearer <t>", or
  // "Basic <base64 of user:t>" (the user name is not checked: the token is the password).
  // Unauthenticated when missing, malformed or wrong; the message never echoes the token.
  Result<Principal> Authenticate(std::string_view authorization_header) const;

  // Authenticates a bare token (e.g. the password of InfluxDB's u/p parameters).
  Result<Principal> AuthenticateToken(std::string_view token) const;

  // Ok when `principal` may do `action` on `resource`; PermissionDenied otherwise.
  Status Authorize(const Principal& principal, Action action, const Resource& resource) const;

 private:
  AdminToken admin_token_;
};

}  // namespace zhizao::security
