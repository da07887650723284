#include "opcua_fuzz_target.h"

#include <cstring>
#include <string_view>

#include "common/check.h"
#include "connect/opcua/chunk_assembler.h"
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

}  // namespace

void FuzzOpcUa(const uint8_t* data, size_t size) {
  if (size == 0) return;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 12) {
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
    default: return FeedChunks(rest);
  }
}

}  // namespace zhizao::connect::opcua
