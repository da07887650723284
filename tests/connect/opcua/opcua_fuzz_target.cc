#include "opcua_fuzz_target.h"

#include <cstring>
#include <string_view>

#include <nlohmann/json.hpp>

#include <set>

#include "common/check.h"
#include "connect/opcua/chunk_assembler.h"
#include "connect/opcua/connector_config.h"
#include "connect/opcua/ua_tcp.h"
#include "connect/opcua/chunk_security.h"
#include "connect/opcua/service_codec.h"

namespace zhizao::connect::opcua {
namespace {

DecodeLimits FuzzLimits() {
  DecodeLimits limits;
  limits.max_string_bytes = 1 << 16;
  limits.max_array_length = 1 << 16;
  limits.max_decoded_bytes = 8 << 20;
  return limits;
}

template <typename Response>
void DecodeAs(std::string_view body) {
  ServiceOutcome outcome;
  (void)DecodeServiceResponse<Response>(body, FuzzLimits(), outcome);
}

// decode(x) encodes to bytes e; decode(e) must encode to e again.
void CheckVariantRoundTrip(std::string_view bytes, bool as_data_value) {
  const DecodeLimits limits = FuzzLimits();
  auto encode_decoded = [&](std::string_view in, bool& ok) {
    BinaryReader r({reinterpret_cast<const uint8_t*>(in.data()), in.size()}, limits);
    BinaryWriter w;
    if (as_data_value) {
      DataValue v = DecodeDataValue(r);
      if (r.ok()) EncodeDataValue(w, v);
    } else {
      Variant v = DecodeVariant(r);
      if (r.ok()) EncodeVariant(w, v);
    }
    ok = r.ok();
    return w.Take();
  };
  bool ok = false;
  std::string once = encode_decoded(bytes, ok);
  if (!ok) return;
  bool again_ok = false;
  std::string twice = encode_decoded(once, again_ok);
  ZZ_CHECK(again_ok, "a re-encoded value decodes");
  ZZ_CHECK(once == twice, "re-encoding a decoded value is stable");
}

void FeedChunks(std::string_view rest) {
  constexpr uint32_t kMaxMessage = 1 << 16;
  ChunkAssembler assembler(kMaxMessage, 8);
  while (rest.size() >= 2) {
    uint16_t length;
    std::memcpy(&length, rest.data(), 2);
    rest.remove_prefix(2);
    std::string_view chunk = rest.substr(0, length);
    rest.remove_prefix(chunk.size());
    auto message = assembler.Add(chunk);
    if (!message.ok()) return;
    if (!message->has_value()) continue;
    ZZ_CHECK((*message)->body.size() <= kMaxMessage, "a message stays within the size limit");
    ZZ_CHECK((*message)->chunk_count <= 8, "a message stays within the chunk limit");
    DecodeAs<PublishResponse>((*message)->body);
  }
}

// A client and a "server" whose keys mirror each other, made once: RSA keys take long.
struct SecurePair {
  SecurePair() : client_key(Key()), server_key(Key()), client_cert(Cert(client_key)), server_cert(Cert(server_key)) {
    const SecurityPolicy& policy = *FindSecurityPolicy("Basic256Sha256");
    const SecurityMode mode = SecurityMode::kSignAndEncrypt;
    client = std::move(ChunkSecurity::Secure(policy, mode, client_key, client_cert, server_cert)).value();
    server = std::move(ChunkSecurity::Secure(policy, mode, server_key, server_cert, client_cert)).value();
    const std::string client_nonce(32, 'c');
    const std::string server_nonce(32, 's');
    ZZ_CHECK(client->InstallToken(1, client_nonce, server_nonce).ok(), "token");
    ZZ_CHECK(server->InstallToken(1, server_nonce, client_nonce).ok(), "token");
  }
  static RsaKey Key() { return std::move(RsaKey::Generate(2048)).value(); }
  static Certificate Cert(const RsaKey& key) {
    return std::move(Certificate::FromDer(SelfSignedCertificateDer(key, "urn:fuzz", "fuzz").value())).value();
  }
  RsaKey client_key, server_key;
  Certificate client_cert, server_cert;
  std::unique_ptr<ChunkSecurity> client, server;
};

SecurePair& Pair() {
  static SecurePair pair;
  return pair;
}

// Any bytes as a chunk from the server: header parsing, RSA and AES block checks, signatures.
void UnsealRaw(std::string_view bytes) {
  auto unsealed = Pair().client->Unseal(std::string(bytes));
  if (unsealed.ok()) ZZ_CHECK(unsealed->size() <= bytes.size(), "unsealing never grows a chunk");
}

// A real sealed chunk with bits flipped where the input says: either refused, or (no flip
// took) exactly the plain text.
void UnsealTampered(std::string_view rest) {
  if (rest.size() < 2) return;
  uint16_t body_bytes;
  std::memcpy(&body_bytes, rest.data(), 2);
  rest.remove_prefix(2);
  std::string head("MSGF\0\0\0\0\x07\0\0\0\x01\0\0\0", 16);
  std::string payload(8 + body_bytes % 2000, 'p');
  auto sealed = Pair().client->SealMessage(head, payload);
  ZZ_CHECK(sealed.ok(), "sealing");
  std::string chunk = *sealed;
  bool flipped = false;
  for (size_t i = 0; i + 2 < rest.size(); i += 3) {
    uint16_t at;
    std::memcpy(&at, rest.data() + i, 2);
    const auto mask = static_cast<uint8_t>(rest[i + 2]);
    if (mask == 0 || at >= chunk.size()) continue;
    chunk[at] = static_cast<char>(static_cast<uint8_t>(chunk[at]) ^ mask);
    flipped = true;
  }
  auto unsealed = Pair().server->Unseal(chunk);
  if (!flipped) {
    ZZ_CHECK(unsealed.ok() && unsealed->substr(16) == payload, "an untouched chunk unseals to its plain text");
  } else if (unsealed.ok()) {
    ZZ_CHECK(unsealed->substr(16) == payload, "only the size field can change and still verify");
  }
}

void StripPaddingOf(std::string_view rest, bool extra) {
  std::string chunk(rest);
  if (StripPadding(chunk, extra, 8).ok()) ZZ_CHECK(chunk.size() >= 8 && chunk.size() < rest.size(), "padding strip");
}

}  // namespace

// A connector definition as the API receives it: parsed or refused, never more.
void ParseDefinition(std::string_view rest) {
  nlohmann::json definition = nlohmann::json::parse(rest, nullptr, /*allow_exceptions=*/false);
  if (definition.is_discarded()) return;
  Result<OpcUaConfig> config = ParseOpcUaConfig(definition);
  if (!config.ok()) return;
  std::set<std::string> paths;
  for (const OpcUaTagConfig& tag : config->tags) paths.insert(tag.spec.path);
  ZZ_CHECK(paths.size() == config->tags.size(), "an accepted definition names each tag once");
}

void FuzzOpcUa(const uint8_t* data, size_t size) {
  if (size == 0) return;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 22) {
    case 16: return DecodeAs<GetEndpointsResponse>(rest);
    case 17: return DecodeAs<ActivateSessionResponse>(rest);
    case 18: return DecodeAs<BrowseNextResponse>(rest);
    case 19: return DecodeAs<DeleteSubscriptionsResponse>(rest);
    case 20: {
      // The body of a server's Error message, before the connection closes.
      const std::string described = DescribeErrorMessage(rest);
      ZZ_CHECK(!described.empty(), "an Error message is described");
      return;
    }
    case 21: return ParseDefinition(rest);
    case 0: return DecodeAs<ReadResponse>(rest);
    case 1: return DecodeAs<BrowseResponse>(rest);
    case 2: return DecodeAs<PublishResponse>(rest);
    case 3: return DecodeAs<CreateSessionResponse>(rest);
    case 4: return DecodeAs<CreateMonitoredItemsResponse>(rest);
    case 5: return DecodeAs<WriteResponse>(rest);
    case 6: return DecodeAs<OpenSecureChannelResponse>(rest);
    case 7: return DecodeAs<RepublishResponse>(rest);
    case 8: return DecodeAs<CreateSubscriptionResponse>(rest);
    case 9: return CheckVariantRoundTrip(rest, false);
    case 10: return CheckVariantRoundTrip(rest, true);
    case 11: return FeedChunks(rest);
    case 12: return UnsealRaw(rest);
    case 13: return UnsealTampered(rest);
    case 14: return StripPaddingOf(rest, false);
    default: return StripPaddingOf(rest, true);
  }
}

}  // namespace zhizao::connect::opcua
