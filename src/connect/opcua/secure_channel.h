// The secure channel (Part 6, 6.7): OpenSecureChannel (issue, and renew before the token's
// lifetime runs out, with fresh nonces and keys), chunking of requests, sequence numbers and
// request ids, reassembly of responses, CloseSecureChannel. Each chunk is sealed and unsealed
// by the channel's ChunkSecurity (None, or a policy with Sign or SignAndEncrypt).
// Not thread-safe; owned by one Client.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "connect/opcua/binary_reader.h"
#include "connect/opcua/chunk_assembler.h"
#include "connect/opcua/chunk_security.h"
#include "connect/opcua/ua_tcp.h"

namespace zhizao::connect::opcua {

struct ChannelOptions {
  TransportLimits transport;
  DecodeLimits decode;
  // Lifetime asked for the channel's security token; the server may revise it. The token is
  // renewed when 75% of the revised lifetime has passed. Default: 10 minutes.
  std::chrono::milliseconds token_lifetime{600'000};
};

class SecureChannel {
 public:
  // Connects, exchanges Hello / Acknowledge and opens the channel under `security`.
  // Corruption when a response does not verify (a wrong signature, certificate or policy).
  static Result<std::unique_ptr<SecureChannel>> Open(const Endpoint& endpoint, const ChannelOptions& options,
                                                     std::unique_ptr<ChunkSecurity> security, Deadline deadline);

  // Sends `body` (a service request, see EncodeServiceRequest) in as many chunks as needed.
  // Returns its request id. ResourceExhausted when the message exceeds the server's limits.
  Result<uint32_t> Send(std::string_view body, Deadline deadline);

  // The next service message the server sends, or nullopt when none came by `deadline`.
  // OpenSecureChannel responses to a renewal are handled here and not returned. Errors: see
  // UaTcpConnection::Receive and ChunkAssembler::Add; Unavailable when the server closes the
  // channel. After an error the channel is unusable.
  Result<std::optional<AssembledMessage>> Receive(Deadline deadline);

  // Asks for a new token when 75% of the current one's lifetime has passed. Its response
  // arrives through Receive().
  Status RenewIfDue(Deadline deadline);

  // Sends CloseSecureChannel (the server does not answer) and closes the connection.
  void Close(Deadline deadline);

  uint32_t channel_id() const { return channel_id_; }
  uint32_t token_id() const { return token_id_; }
  uint64_t renewals() const { return renewals_; }
  uint64_t chunks_received() const { return assembler_.chunks_received(); }
  const NegotiatedLimits& limits() const { return connection_.limits(); }

 private:
  SecureChannel(UaTcpConnection connection, const ChannelOptions& options, std::unique_ptr<ChunkSecurity> security);
  Status SendOpen(bool renew, Deadline deadline);
  Status HandleOpenResponse(const AssembledMessage& message);
  // The next chunk, unsealed, into the assembler: a message when it was the last of one.
  Result<std::optional<AssembledMessage>> ReceiveChunk(Deadline deadline);
  Status SendSealed(std::string_view type, uint32_t request_id, std::string_view body, Deadline deadline);
  uint32_t NextSequenceNumber();

  UaTcpConnection connection_;
  const ChannelOptions options_;
  std::unique_ptr<ChunkSecurity> security_;
  ChunkAssembler assembler_;
  std::string client_nonce_;  // of the OpenSecureChannel request in flight
  uint32_t channel_id_ = 0;
  uint32_t token_id_ = 0;
  uint32_t previous_token_id_ = 0;  // still accepted until the new one is used by the server
  uint32_t sequence_number_ = 0;
  uint32_t request_id_ = 0;
  std::chrono::steady_clock::time_point renew_at_;
  bool renewal_pending_ = false;
  uint64_t renewals_ = 0;
};

}  // namespace zhizao::connect::opcua
