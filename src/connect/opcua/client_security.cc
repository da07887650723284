// The secure side of Client: the server's certificate and the trust list, the session's
// proofs of possession (Part 4, 5.6.2 and 5.6.3) and the encryption of a user name's
// password (Part 4, 7.36.3).
#include <spdlog/spdlog.h>

#include "connect/opcua/binary_writer.h"
#include "connect/opcua/client.h"

namespace zhizao::connect::opcua {
namespace {

constexpr uint32_t kTokenAnonymous = 0;
constexpr uint32_t kTokenUserName = 1;

std::string OfferedEndpoints(const std::vector<EndpointDescription>& endpoints) {
  std::string offered;
  for (const EndpointDescription& endpoint : endpoints) {
    const SecurityPolicy* policy = FindSecurityPolicy(endpoint.security_policy_uri);
    if (!offered.empty()) offered += ", ";
    offered += policy ? std::string(policy->name) : endpoint.security_policy_uri;
    offered += "/" + std::string(SecurityModeName(static_cast<SecurityMode>(endpoint.security_mode)));
  }
  return offered.empty() ? "none" : offered;
}

}  // namespace

Result<std::unique_ptr<ChunkSecurity>> Client::SecureChunks() {
  const SecurityOptions& security = options_.security;
  if (!pki_) {
    Result<std::unique_ptr<Pki>> pki = Pki::Open(security.pki_dir);
    if (!pki.ok()) return pki.status().WithContext("cannot open the PKI folder " + security.pki_dir);
    pki_ = std::move(pki).value();
  }
  ZZ_ASSIGN_OR_RETURN(Certificate server, DiscoverServerCertificate());
  if (security.trust_any_server) {
    spdlog::warn("opcua {}: trusting server certificate '{}' (SHA-1 {}) without the trust list (trust_server: any)",
                 options_.endpoint_url, server.CommonName(), server.ThumbprintHex());
  } else {
    ZZ_RETURN_IF_ERROR(pki_->CheckServerCertificate(server));
  }
  server_certificate_ = server;
  return ChunkSecurity::Secure(*security.policy, security.mode, pki_->key(), pki_->certificate(), server);
}

Result<Certificate> Client::DiscoverServerCertificate() {
  const Deadline deadline = std::chrono::steady_clock::now() + options_.request_timeout;
  ZZ_ASSIGN_OR_RETURN(channel_, SecureChannel::Open(endpoint_, options_.channel, ChunkSecurity::None(), deadline));
  GetEndpointsRequest request;
  request.endpoint_url = options_.endpoint_url;
  Result<GetEndpointsResponse> response = Call<GetEndpointsRequest, GetEndpointsResponse>(request);
  if (channel_) channel_->Close(std::chrono::steady_clock::now() + std::chrono::milliseconds(500));
  Drop();
  if (!response.ok()) return response.status().WithContext("cannot ask the server for its endpoints");
  const SecurityPolicy& policy = *options_.security.policy;
  for (const EndpointDescription& endpoint : response->endpoints) {
    if (endpoint.security_policy_uri != policy.uri ||
        endpoint.security_mode != static_cast<uint32_t>(options_.security.mode)) {
      continue;
    }
    Result<Certificate> certificate = Certificate::FirstOfChain(endpoint.server_certificate);
    if (!certificate.ok()) return certificate.status().WithContext("the server's certificate");
    return certificate;
  }
  return Status::FailedPrecondition("the server offers no endpoint with " + std::string(policy.name) + "/" +
                                    std::string(SecurityModeName(options_.security.mode)) +
                                    "; it offers: " + OfferedEndpoints(response->endpoints));
}

Status Client::CheckSessionProof(const CreateSessionResponse& response, std::string_view client_nonce) const {
  if (!secure()) return Status::Ok();
  Result<Certificate> certificate = Certificate::FirstOfChain(response.server_certificate);
  if (!certificate.ok() || certificate->der() != server_certificate_->der()) {
    return Status::Unauthenticated("CreateSession returned a certificate other than the secure channel's");
  }
  ZZ_ASSIGN_OR_RETURN(RsaKey server_key, server_certificate_->PublicKey());
  const std::string signed_data = pki_->certificate().der() + std::string(client_nonce);
  if (!server_key.Verify(signed_data, response.server_signature.signature, options_.security.policy->signature)) {
    return Status::Unauthenticated("the server's CreateSession signature does not verify");
  }
  return Status::Ok();
}

Result<UserTokenPolicy> Client::FindTokenPolicy(const std::vector<EndpointDescription>& endpoints) const {
  const uint32_t type = options_.user_name.empty() ? kTokenAnonymous : kTokenUserName;
  const SecurityPolicy& channel_policy = *options_.security.policy;
  for (const EndpointDescription& endpoint : endpoints) {
    if (endpoint.security_mode != static_cast<uint32_t>(options_.security.mode)) continue;
    if (!endpoint.security_policy_uri.empty() && endpoint.security_policy_uri != channel_policy.uri) continue;
    for (const UserTokenPolicy& policy : endpoint.user_identity_tokens) {
      if (policy.token_type == type) return policy;
    }
  }
  return Status::FailedPrecondition(type == kTokenAnonymous ? "the server allows no anonymous session"
                                                            : "the server allows no user-name session");
}

Status Client::SetIdentity(ActivateSessionRequest& request) const {
  const UserTokenPolicy& token = session_.token_policy;
  request.policy_id = token.policy_id;
  if (secure()) {
    request.client_signature.algorithm = options_.security.policy->asymmetric_signature_uri;
    ZZ_ASSIGN_OR_RETURN(request.client_signature.signature,
                        pki_->key().Sign(server_certificate_->der() + session_.server_nonce,
                                         options_.security.policy->signature));
  }
  if (options_.user_name.empty()) return Status::Ok();
  request.user_name = options_.user_name;
  // An empty token policy URI means the channel's policy (Part 4, 7.41).
  const std::string& uri = token.security_policy_uri.empty() ? std::string(options_.security.policy->uri)
                                                              : token.security_policy_uri;
  const SecurityPolicy* policy = FindSecurityPolicy(uri);
  if (policy && policy->is_none()) {
    request.password = options_.password;
    return Status::Ok();
  }
  if (!policy) {
    return Status::FailedPrecondition("the server wants user names encrypted with " + uri +
                                      ", a policy zhizao does not speak");
  }
  if (!secure()) {
    return Status::FailedPrecondition("the server wants user names encrypted with " + std::string(policy->name) +
                                      ", which needs a trusted server certificate: set \"security\" to a secure "
                                      "policy");
  }
  // The secret: UInt32 length of password + server nonce, the password, the last server nonce.
  BinaryWriter secret;
  secret.U32(static_cast<uint32_t>(options_.password.size() + session_.server_nonce.size()));
  secret.Raw(options_.password);
  secret.Raw(session_.server_nonce);
  ZZ_ASSIGN_OR_RETURN(RsaKey server_key, server_certificate_->PublicKey());
  const size_t block = server_key.size_bytes() - OaepOverhead(policy->oaep);
  request.password.clear();
  for (size_t at = 0; at < secret.size(); at += block) {
    ZZ_ASSIGN_OR_RETURN(std::string encrypted,
                        server_key.Encrypt(std::string_view(secret.bytes()).substr(at, block), policy->oaep));
    request.password += encrypted;
  }
  request.encryption_algorithm = policy->asymmetric_encryption_uri;
  return Status::Ok();
}

}  // namespace zhizao::connect::opcua
