#include "connect/opcua/chunk_assembler.h"

#include "connect/opcua/binary_reader.h"

namespace zhizao::connect::opcua {
namespace {

// Sequence numbers wrap to below 1024 after passing UINT32_MAX - 1024 (Part 6, 6.7.2.4).
constexpr uint32_t kWrapFloor = 4294966271u;

// The security header a chunk carries before its sequence header.
struct SecurityHeader {
  uint32_t channel_id = 0;
  uint32_t token_id = 0;
};

SecurityHeader ReadSecurityHeader(BinaryReader& r, std::string_view type) {
  SecurityHeader h;
  h.channel_id = r.U32();
  if (type == "OPN") {
    // ChunkSecurity::Unseal checked the policy and certificates before.
    r.SkipString();  // security policy uri
    r.SkipString();  // sender certificate
    r.SkipString();  // receiver certificate thumbprint
  } else {
    h.token_id = r.U32();
  }
  return h;
}

}  // namespace

void ChunkAssembler::Reset() {
  partial_.clear();
  last_sequence_.reset();
}

Status ChunkAssembler::CheckSequence(uint32_t sequence_number) {
  if (last_sequence_) {
    const uint32_t last = *last_sequence_;
    const bool next = sequence_number == last + 1 || (last >= kWrapFloor && sequence_number < 1024);
    if (!next) {
      return Status::Corruption("chunk sequence number " + std::to_string(sequence_number) + " does not follow " +
                                std::to_string(last));
    }
  }
  last_sequence_ = sequence_number;
  return Status::Ok();
}

Result<std::optional<AssembledMessage>> ChunkAssembler::Add(std::string_view chunk) {
  ++chunks_received_;
  DecodeLimits limits;
  limits.max_string_bytes = 1u << 16;  // certificates and policy uris of a None channel are short
  BinaryReader r({reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size()}, limits);
  auto header = r.Take(8);
  if (!r.ok()) return r.status();
  std::string type(reinterpret_cast<const char*>(header.data()), 3);
  const char chunk_type = static_cast<char>(header[3]);
  if (type != "MSG" && type != "OPN" && type != "CLO") return Status::Corruption("not a secure channel chunk: " + type);
  SecurityHeader security = ReadSecurityHeader(r, type);
  uint32_t sequence_number = r.U32();
  uint32_t request_id = r.U32();
  if (!r.ok()) return r.status();
  ZZ_RETURN_IF_ERROR(CheckSequence(sequence_number));
  std::string_view body = chunk.substr(r.offset());

  auto it = partial_.find(request_id);
  if (it == partial_.end()) {
    if (partial_.size() >= kMaxPartialMessages) {
      return Status::Corruption("more than " + std::to_string(kMaxPartialMessages) + " messages in flight at once");
    }
    it = partial_.emplace(request_id, AssembledMessage{type, request_id, security.channel_id, security.token_id}).first;
  }
  AssembledMessage& message = it->second;
  if (message.type != type) return Status::Corruption("request " + std::to_string(request_id) + " mixes chunk types");
  if (++message.chunk_count > max_chunk_count_) {
    return Status::Corruption("message of request " + std::to_string(request_id) + " exceeds " +
                              std::to_string(max_chunk_count_) + " chunks");
  }
  if (message.body.size() + body.size() > max_message_bytes_) {
    return Status::Corruption("message of request " + std::to_string(request_id) + " exceeds " +
                              std::to_string(max_message_bytes_) + " bytes");
  }
  if (chunk_type == 'A') {
    BinaryReader abort({reinterpret_cast<const uint8_t*>(body.data()), body.size()}, limits);
    message.aborted = true;
    message.abort_status = abort.U32();
    message.abort_reason = abort.String();
    message.body.clear();
  } else {
    message.body.append(body);
    if (chunk_type == 'C') return std::optional<AssembledMessage>();
  }
  AssembledMessage done = std::move(message);
  partial_.erase(it);
  return std::optional<AssembledMessage>(std::move(done));
}

}  // namespace zhizao::connect::opcua
