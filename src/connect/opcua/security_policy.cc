#include "connect/opcua/security_policy.h"

#include <array>

namespace zhizao::connect::opcua {
namespace {

constexpr std::string_view kRsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
constexpr std::string_view kRsaOaep = "http://www.w3.org/2001/04/xmlenc#rsa-oaep";

// Algorithms and lengths of the policies from OPC 10000-7's security profiles. Note that
// Aes128_Sha256_RsaOaep encrypts asymmetrically with RSA-OAEP over SHA-1, as Basic256Sha256
// does (its name means OAEP rather than PKCS#1 v1.5); OAEP over SHA-256, with PSS signatures,
// belongs to Aes256_Sha256_RsaPss.
const std::array<SecurityPolicy, 4>& Policies() {
  static const std::array<SecurityPolicy, 4> policies = {
      SecurityPolicy{.name = "None", .uri = "http://opcfoundation.org/UA/SecurityPolicy#None"},
      SecurityPolicy{.name = "Basic256Sha256",
                     .uri = "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256",
                     .oaep = OaepDigest::kSha1,
                     .asymmetric_encryption_uri = kRsaOaep,
                     .signature = RsaSignature::kPkcs1V15,
                     .asymmetric_signature_uri = kRsaSha256,
                     .encryption_key_bytes = 32,
                     .signing_key_bytes = 32,
                     .signature_bytes = 32,
                     .nonce_bytes = 32},
      SecurityPolicy{.name = "Aes128_Sha256_RsaOaep",
                     .uri = "http://opcfoundation.org/UA/SecurityPolicy#Aes128_Sha256_RsaOaep",
                     .oaep = OaepDigest::kSha1,
                     .asymmetric_encryption_uri = kRsaOaep,
                     .signature = RsaSignature::kPkcs1V15,
                     .asymmetric_signature_uri = kRsaSha256,
                     .encryption_key_bytes = 16,
                     .signing_key_bytes = 32,
                     .signature_bytes = 32,
                     .nonce_bytes = 32},
      SecurityPolicy{.name = "Aes256_Sha256_RsaPss",
                     .uri = "http://opcfoundation.org/UA/SecurityPolicy#Aes256_Sha256_RsaPss",
                     .oaep = OaepDigest::kSha256,
                     .asymmetric_encryption_uri = "http://opcfoundation.org/UA/security/rsa-oaep-sha2-256",
                     .signature = RsaSignature::kPss,
                     .asymmetric_signature_uri = "http://opcfoundation.org/UA/security/rsa-pss-sha2-256",
                     .encryption_key_bytes = 32,
                     .signing_key_bytes = 32,
                     .signature_bytes = 32,
                     .nonce_bytes = 32},
  };
  return policies;
}

}  // namespace

std::string_view SecurityModeName(SecurityMode mode) {
  switch (mode) {
    case SecurityMode::kNone: return "None";
    case SecurityMode::kSign: return "Sign";
    case SecurityMode::kSignAndEncrypt: return "SignAndEncrypt";
  }
  return "unknown";
}

const SecurityPolicy& PolicyNone() { return Policies()[0]; }

const SecurityPolicy* FindSecurityPolicy(std::string_view name_or_uri) {
  for (const SecurityPolicy& policy : Policies()) {
    if (policy.name == name_or_uri || policy.uri == name_or_uri) return &policy;
  }
  return nullptr;
}

}  // namespace zhizao::connect::opcua
