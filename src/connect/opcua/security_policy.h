// The SecurityPolicies zhizao speaks (Part 7's profiles, as used by Part 6, 6.7) and the
// message security modes. Plain constants; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "connect/opcua/crypto.h"

namespace zhizao::connect::opcua {

// MessageSecurityMode as encoded on the wire.
enum class SecurityMode : uint32_t { kNone = 1, kSign = 2, kSignAndEncrypt = 3 };
std::string_view SecurityModeName(SecurityMode mode);

struct SecurityPolicy {
  std::string_view name;  // "None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss"
  std::string_view uri;
  // Asymmetric encryption of OpenSecureChannel and of user-name secrets (RSA-OAEP).
  OaepDigest oaep = OaepDigest::kSha1;
  std::string_view asymmetric_encryption_uri;
  // OpenSecureChannel and session signatures: RSA-SHA256, PKCS#1 v1.5 or PSS.
  RsaSignature signature = RsaSignature::kPkcs1V15;
  std::string_view asymmetric_signature_uri;
  // Symmetric: AES-CBC with this key size, HMAC-SHA256 with a 32-byte key and signature.
  size_t encryption_key_bytes = 0;
  size_t signing_key_bytes = 0;
  size_t signature_bytes = 0;
  size_t block_bytes = 16;
  size_t nonce_bytes = 0;  // SecureChannelNonceLength

  bool is_none() const { return signature_bytes == 0; }
};

const SecurityPolicy& PolicyNone();
// By name ("Basic256Sha256") or URI; nullptr for a policy zhizao does not speak.
const SecurityPolicy* FindSecurityPolicy(std::string_view name_or_uri);

}  // namespace zhizao::connect::opcua
