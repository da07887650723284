#include "connect/opcua/security_policy.h"

#include <array>

namespace zhizao::connect::opcua {
namespace {

constexpr std::string_view kRsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

// Algorithms and lengths of the policies from OPC 10000-7's security profiles. Note that
// Aes128_Sha256_RsaOaep encrypts asymmetrically with RSA-OAEP over SHA-1, as Basic256Sha256
// does (its name means OAEP rather than PKCS#1 v1.5); OAEP over SHA-256 belongs to
// Aes256_Sha256_RsaPss, which zhizao does not speak yet.
const std::array<SecurityPolicy, 3>& Policies() {
  static const std::array<SecurityPolicy, 3> policies = {
      SecurityPolicy{"None", "http://opcfoundation.org/UA/SecurityPolicy#None", OaepDigest::kSha1, "", "", 0, 0, 0,
                     16, 0},
      SecurityPolicy{"Basic256Sha256", "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256",
                     OaepDigest::kSha1, "http://www.w3.org/2001/04/xmlenc#rsa-oaep", kRsaSha256, 32, 32, 32, 16, 32},
      SecurityPolicy{"Aes128_Sha256_RsaOaep", "http://opcfoundation.org/UA/SecurityPolicy#Aes128_Sha256_RsaOaep",
                     OaepDigest::kSha1, "http://www.w3.org/2001/04/xmlenc#rsa-oaep", kRsaSha256, 16, 32, 32, 16,
                     32},
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
