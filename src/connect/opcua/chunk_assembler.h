// Reassembles the secure channel's message chunks (Part 6, 6.7.2) into messages, once
// ChunkSecurity has verified and decrypted them (or for SecurityPolicy None): it reads each chunk's security and sequence headers, checks that
// sequence numbers follow one another, and joins the bodies of one request id until the final
// chunk. The message size and chunk count are checked against the limits before a chunk's
// body is kept, so a peer cannot make zhizao hold more than max_message_bytes per message, and
// at most kMaxPartialMessages messages are in flight.
// Not thread-safe; owned by one SecureChannel.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zhizao::connect::opcua {

struct AssembledMessage {
  std::string type;  // "MSG", "OPN" or "CLO"
  uint32_t request_id = 0;
  uint32_t channel_id = 0;
  uint32_t token_id = 0;  // of MSG and CLO; 0 for OPN
  uint32_t chunk_count = 0;
  std::string body;       // the service message: encoding id NodeId, then the response
  bool aborted = false;   // the server gave up: abort_status and abort_reason say why
  uint32_t abort_status = 0;
  std::string abort_reason;
};

class ChunkAssembler {
 public:
  static constexpr size_t kMaxPartialMessages = 16;

  ChunkAssembler(uint32_t max_message_bytes, uint32_t max_chunk_count)
      : max_message_bytes_(max_message_bytes), max_chunk_count_(max_chunk_count) {}

  // Takes one chunk (header included, as framed by UaTcpConnection). Returns the message when
  // this was its final (or abort) chunk, nullopt while more chunks are due. Corruption for a
  // malformed chunk, a sequence number out of order, or a message over the limits.
  Result<std::optional<AssembledMessage>> Add(std::string_view chunk);

  // Forgets partial messages and the sequence, for a new connection.
  void Reset();

  uint64_t chunks_received() const { return chunks_received_; }

 private:
  Status CheckSequence(uint32_t sequence_number);

  const uint32_t max_message_bytes_;
  const uint32_t max_chunk_count_;
  std::map<uint32_t, AssembledMessage> partial_;  // by request id
  std::optional<uint32_t> last_sequence_;
  uint64_t chunks_received_ = 0;
};

}  // namespace zhizao::connect::opcua
