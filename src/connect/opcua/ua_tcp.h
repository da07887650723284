// UA-TCP (Part 6, 7.1): the connection handshake (Hello / Acknowledge / Error) and the framing
// of message chunks. What a chunk carries is the secure channel's business.
// Not thread-safe; owned by one SecureChannel.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "connect/opcua/internal/tcp_socket.h"

namespace zhizao::connect::opcua {

using Deadline = internal::Deadline;

// What zhizao offers in its Hello. The server's Acknowledge may lower each.
struct TransportLimits {
  // Largest chunk zhizao accepts (8,192 is the protocol's minimum). Default: 65,535.
  uint32_t receive_buffer_bytes = 65535;
  // Largest chunk zhizao sends. Default: 65,535.
  uint32_t send_buffer_bytes = 65535;
  // Largest reassembled message zhizao accepts. Default: 16 MiB.
  uint32_t max_message_bytes = 16u << 20;
  // Most chunks in one message zhizao accepts. Default: 1,024.
  uint32_t max_chunk_count = 1024;
  // Longest wait for the rest of a chunk once its first byte arrived. Default: 5 s.
  std::chrono::milliseconds chunk_timeout{5000};
};

// The limits both sides agreed on.
struct NegotiatedLimits {
  uint32_t receive_chunk_bytes = 0;  // the largest chunk the server may send us
  uint32_t send_chunk_bytes = 0;     // the largest chunk we may send
  uint32_t peer_max_message_bytes = 0;  // 0: no limit
  uint32_t peer_max_chunk_count = 0;    // 0: no limit
};

struct Endpoint {
  std::string host;
  int port = 4840;
  std::string url;  // as given, sent in Hello and CreateSession
};
// Parses "opc.tcp://host[:port][/path]". InvalidArgument otherwise.
Result<Endpoint> ParseEndpointUrl(const std::string& url);

// One framed chunk: its three-letter type ("MSG", "OPN", "CLO"), its chunk type ('F', 'C', 'A')
// and the whole chunk, header included.
struct RawChunk {
  std::string type;
  char chunk_type = 'F';
  std::string bytes;
};

class UaTcpConnection {
 public:
  // Connects and exchanges Hello / Acknowledge. Unavailable when the server is unreachable,
  // answers with an Error message (its code and reason in the message), or misbehaves.
  static Result<UaTcpConnection> Open(const Endpoint& endpoint, const TransportLimits& limits, Deadline deadline);

  // REQUIRES: chunk.size() <= limits().send_chunk_bytes.
  Status Send(std::string_view chunk, Deadline deadline);
  // The next chunk, or nullopt when none started by `deadline`; once one has started, the rest
  // must come within chunk_timeout. Corruption for an unknown type, a size over the negotiated
  // chunk size or under a header; Unavailable for an Error message (with the server's code
  // and reason), a closed connection or a chunk cut off.
  Result<std::optional<RawChunk>> Receive(Deadline deadline);

  const NegotiatedLimits& limits() const { return limits_; }
  void Close() { socket_.Close(); }

 private:
  explicit UaTcpConnection(internal::TcpSocket socket) : socket_(std::move(socket)) {}
  Status Handshake(const Endpoint& endpoint, const TransportLimits& limits, Deadline deadline);

  internal::TcpSocket socket_;
  NegotiatedLimits limits_;
  uint32_t max_receive_chunk_ = 8192;
  std::chrono::milliseconds chunk_timeout_{5000};
};

// Decodes the body of an ERR message into "BadTcpMessageTooLarge (0x80800000): reason".
std::string DescribeErrorMessage(std::string_view body);

}  // namespace zhizao::connect::opcua
