// The admin token: created once per data dir, kept only as its SHA-256 hash.
//
// The token is 32 random bytes (256 bits) written as 64 hex characters, or the value of
// ZHIZAO_ADMIN_TOKEN at first start. Since the token carries its own entropy a fast hash
// is enough; comparison is constant-time.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zhizao::security {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest Sha256(std::string_view data);
std::string HexEncode(const unsigned char* data, size_t size);

// Thread-safe (immutable).
class AdminToken {
 public:
  // The name of the hash file inside the data dir.
  static constexpr std::string_view kFileName = "admin_token.sha256";

  struct Loaded;
  // Loads the token's hash from `data_dir`, or on first start creates it from
  // `initial_token` (when given) or a new random token. `Loaded::new_token` holds the
  // plain token only when one was generated, so the caller can show it once.
  // An initial_token shorter than 16 characters is refused.
  static Result<Loaded> LoadOrCreate(const std::string& data_dir, std::optional<std::string> initial_token);

  static AdminToken FromToken(std::string_view token) { return AdminToken(Sha256(token)); }

  bool Matches(std::string_view token) const;

 private:
  explicit AdminToken(Sha256Digest hash) : hash_(hash) {}
  Sha256Digest hash_;
};

struct AdminToken::Loaded {
  AdminToken token;
  std::optional<std::string> new_token;  // set when this call generated the token
  bool created = false;                  // the hash file was written by this call
};

}  // namespace zhizao::security
