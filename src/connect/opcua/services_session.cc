// Headers, secure channel and session services.
#include "connect/opcua/services.h"

namespace zhizao::connect::opcua {
namespace {

constexpr uint32_t kApplicationTypeClient = 1;

void EncodeClientDescription(BinaryWriter& w, const std::string& uri, const std::string& name) {
  w.String(uri);
  w.String("urn:zhizao");  // product uri
  EncodeLocalizedText(w, {"", name});
  w.U32(kApplicationTypeClient);
  w.NullString();  // gateway server uri
  w.NullString();  // discovery profile uri
  w.I32(-1);       // discovery urls
}

void SkipApplicationDescription(BinaryReader& r) {
  r.SkipString();  // application uri
  r.SkipString();  // product uri
  DecodeLocalizedText(r);
  r.U32();         // application type
  r.SkipString();  // gateway server uri
  r.SkipString();  // discovery profile uri
  DecodeStringArray(r);
}

UserTokenPolicy DecodeUserTokenPolicy(BinaryReader& r) {
  UserTokenPolicy policy;
  policy.policy_id = r.String();
  policy.token_type = r.U32();
  r.SkipString();  // issued token type
  r.SkipString();  // issuer endpoint url
  policy.security_policy_uri = r.String();
  return policy;
}

EndpointDescription DecodeEndpoint(BinaryReader& r) {
  EndpointDescription endpoint;
  endpoint.endpoint_url = r.String();
  SkipApplicationDescription(r);
  endpoint.server_certificate = r.String();
  endpoint.security_mode = r.U32();
  endpoint.security_policy_uri = r.String();
  endpoint.user_identity_tokens = DecodeArray<UserTokenPolicy>(r, 20, DecodeUserTokenPolicy);
  r.SkipString();  // transport profile uri
  r.U8();          // security level
  return endpoint;
}

// Empty values go as null, as they did before secure policies, and as servers expect under None.
void StringOrNull(BinaryWriter& w, std::string_view s) {
  if (s.empty()) {
    w.NullString();
  } else {
    w.String(s);
  }
}

void EncodeSignature(BinaryWriter& w, const SignatureData& signature) {
  StringOrNull(w, signature.algorithm);
  StringOrNull(w, signature.signature);
}

}  // namespace

void EncodeRequestHeader(BinaryWriter& w, const RequestHeader& header) {
  EncodeNodeId(w, header.authentication_token);
  w.I64(header.timestamp);
  w.U32(header.request_handle);
  w.U32(0);        // return diagnostics: none
  w.NullString();  // audit entry id
  w.U32(header.timeout_hint_ms);
  EncodeNullExtensionObject(w);
}

ResponseHeader DecodeResponseHeader(BinaryReader& r) {
  ResponseHeader header;
  header.timestamp = r.I64();
  header.request_handle = r.U32();
  header.service_result = r.U32();
  SkipDiagnosticInfo(r);
  DecodeStringArray(r);  // string table: only diagnostics index it
  DecodeExtensionObject(r);
  return header;
}

void OpenSecureChannelRequest::Encode(BinaryWriter& w) const {
  w.U32(0);  // client protocol version
  w.U32(renew ? 1 : 0);
  w.U32(security_mode);
  w.String(client_nonce);
  w.U32(requested_lifetime_ms);
}

void OpenSecureChannelResponse::Decode(BinaryReader& r) {
  r.U32();  // server protocol version
  channel_id = r.U32();
  token_id = r.U32();
  r.I64();  // created at
  revised_lifetime_ms = r.U32();
  server_nonce = r.String();
}

void GetEndpointsRequest::Encode(BinaryWriter& w) const {
  w.String(endpoint_url);
  w.I32(0);  // locale ids
  w.I32(0);  // profile uris
}

void GetEndpointsResponse::Decode(BinaryReader& r) { endpoints = DecodeArray<EndpointDescription>(r, 30, DecodeEndpoint); }

void CreateSessionRequest::Encode(BinaryWriter& w) const {
  EncodeClientDescription(w, application_uri, application_name);
  w.NullString();  // server uri
  w.String(endpoint_url);
  w.String(session_name);
  w.String(client_nonce);
  StringOrNull(w, client_certificate);
  w.F64(requested_session_timeout_ms);
  w.U32(max_response_message_size);
}

void CreateSessionResponse::Decode(BinaryReader& r) {
  session_id = DecodeNodeId(r);
  authentication_token = DecodeNodeId(r);
  revised_session_timeout_ms = r.F64();
  server_nonce = r.String();
  server_certificate = r.String();
  endpoints = DecodeArray<EndpointDescription>(r, 30, DecodeEndpoint);
  uint32_t certificates = r.ArrayLength(8, 0);
  for (uint32_t i = 0; i < certificates && r.ok(); ++i) {
    r.SkipString();
    r.SkipString();
  }
  server_signature.algorithm = r.String();
  server_signature.signature = r.String();
  max_request_message_size = r.U32();
}

void ActivateSessionRequest::Encode(BinaryWriter& w) const {
  EncodeSignature(w, client_signature);
  w.I32(-1);  // client software certificates
  w.I32(0);   // locale ids
  BinaryWriter token;
  token.String(policy_id);
  if (!user_name.empty()) {
    token.String(user_name);
    token.String(password);
    StringOrNull(token, encryption_algorithm);
  }
  ExtensionObject object;
  object.type_id = NodeId::Numeric(
      0, user_name.empty() ? encoding_id::kAnonymousIdentityToken : encoding_id::kUserNameIdentityToken);
  object.encoding = 1;
  object.body = token.Take();
  EncodeExtensionObject(w, object);
  EncodeSignature(w, SignatureData{});  // user token signature: only X.509 tokens have one
}

void ActivateSessionResponse::Decode(BinaryReader& r) {
  server_nonce = r.String();
  DecodeU32Array(r);
  SkipDiagnosticInfoArray(r);
}

}  // namespace zhizao::connect::opcua
