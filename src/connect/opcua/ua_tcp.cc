#include "connect/opcua/ua_tcp.h"

#include <charconv>
#include <cstring>

#include "connect/opcua/binary_reader.h"
#include "connect/opcua/binary_writer.h"
#include "connect/opcua/status_codes.h"

namespace zhizao::connect::opcua {
namespace {

constexpr size_t kHeaderBytes = 8;
constexpr uint32_t kMinBufferBytes = 8192;  // Part 6, 7.1.2.3

uint32_t ReadU32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

std::string HelloMessage(const Endpoint& endpoint, const TransportLimits& limits) {
  BinaryWriter w;
  w.Raw("HELF");
  w.U32(0);  // size, patched below
  w.U32(0);  // protocol version
  w.U32(limits.receive_buffer_bytes);
  w.U32(limits.send_buffer_bytes);
  w.U32(limits.max_message_bytes);
  w.U32(limits.max_chunk_count);
  w.String(endpoint.url);
  w.PatchU32(4, static_cast<uint32_t>(w.size()));
  return w.Take();
}

}  // namespace

Result<Endpoint> ParseEndpointUrl(const std::string& url) {
  constexpr std::string_view kScheme = "opc.tcp://";
  if (!url.starts_with(kScheme)) return Status::InvalidArgument("endpoint '" + url + "' does not start with opc.tcp://");
  std::string_view rest = std::string_view(url).substr(kScheme.size());
  rest = rest.substr(0, rest.find('/'));
  Endpoint endpoint;
  endpoint.url = url;
  size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || rest.ends_with(']')) {
    endpoint.host = std::string(rest);
  } else {
    endpoint.host = std::string(rest.substr(0, colon));
    std::string_view port = rest.substr(colon + 1);
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), endpoint.port);
    if (ec != std::errc() || p != port.data() + port.size() || endpoint.port <= 0 || endpoint.port > 65535) {
      return Status::InvalidArgument("endpoint '" + url + "' has an invalid port");
    }
  }
  if (endpoint.host.size() > 2 && endpoint.host.front() == '[') endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
  if (endpoint.host.empty()) return Status::InvalidArgument("endpoint '" + url + "' has no host");
  return endpoint;
}

std::string DescribeErrorMessage(std::string_view body) {
  DecodeLimits limits;
  BinaryReader r({reinterpret_cast<const uint8_t*>(body.data()), body.size()}, limits);
  uint32_t code = r.U32();
  std::string reason = r.String();
  if (!r.ok()) return "an unreadable Error message";
  return ua_status::StatusCodeText(code) + (reason.empty() ? "" : ": " + reason);
}

Result<UaTcpConnection> UaTcpConnection::Open(const Endpoint& endpoint, const TransportLimits& limits,
                                              Deadline deadline) {
  ZZ_ASSIGN_OR_RETURN(internal::TcpSocket socket, internal::TcpSocket::Connect(endpoint.host, endpoint.port, deadline));
  UaTcpConnection connection(std::move(socket));
  ZZ_RETURN_IF_ERROR(connection.Handshake(endpoint, limits, deadline));
  return connection;
}

Status UaTcpConnection::Handshake(const Endpoint& endpoint, const TransportLimits& limits, Deadline deadline) {
  max_receive_chunk_ = std::max(limits.receive_buffer_bytes, kMinBufferBytes);
  chunk_timeout_ = limits.chunk_timeout;
  ZZ_RETURN_IF_ERROR(socket_.SendAll(HelloMessage(endpoint, limits), deadline));
  ZZ_ASSIGN_OR_RETURN(std::optional<RawChunk> reply, Receive(deadline));
  if (!reply) return Status::Unavailable("no Acknowledge to Hello in time");
  const RawChunk& ack = *reply;
  if (ack.type != "ACK" || ack.bytes.size() < kHeaderBytes + 20) {
    return Status::Corruption("server answered Hello with a " + ack.type + " message instead of Acknowledge");
  }
  const char* p = ack.bytes.data() + kHeaderBytes;
  uint32_t server_receive = ReadU32(p + 4);
  uint32_t server_send = ReadU32(p + 8);
  limits_.peer_max_message_bytes = ReadU32(p + 12);
  limits_.peer_max_chunk_count = ReadU32(p + 16);
  if (server_receive < kMinBufferBytes || server_send < kMinBufferBytes) {
    return Status::Corruption("server acknowledged buffers below the protocol's minimum of 8192 bytes");
  }
  limits_.send_chunk_bytes = std::min(server_receive, limits.send_buffer_bytes);
  limits_.receive_chunk_bytes = std::min(server_send, max_receive_chunk_);
  max_receive_chunk_ = limits_.receive_chunk_bytes;
  return Status::Ok();
}

Status UaTcpConnection::Send(std::string_view chunk, Deadline deadline) { return socket_.SendAll(chunk, deadline); }

Result<std::optional<RawChunk>> UaTcpConnection::Receive(Deadline wait_deadline) {
  ZZ_ASSIGN_OR_RETURN(bool readable, socket_.WaitReadable(wait_deadline));
  if (!readable) return std::optional<RawChunk>();
  const Deadline deadline = std::chrono::steady_clock::now() + chunk_timeout_;
  char header[kHeaderBytes];
  ZZ_RETURN_IF_ERROR(socket_.ReceiveExact(header, kHeaderBytes, deadline));
  RawChunk chunk;
  chunk.type.assign(header, 3);
  chunk.chunk_type = header[3];
  const uint32_t size = ReadU32(header + 4);
  const bool known = chunk.type == "MSG" || chunk.type == "OPN" || chunk.type == "CLO" || chunk.type == "ACK" ||
                     chunk.type == "ERR";
  if (!known) return Status::Corruption("server sent a chunk of unknown type '" + chunk.type + "'");
  if (chunk.chunk_type != 'F' && chunk.chunk_type != 'C' && chunk.chunk_type != 'A') {
    return Status::Corruption("server sent a chunk of unknown chunk type");
  }
  if (size < kHeaderBytes || size > max_receive_chunk_) {
    return Status::Corruption("server sent a " + chunk.type + " chunk of " + std::to_string(size) +
                              " bytes; the agreed limit is " + std::to_string(max_receive_chunk_));
  }
  chunk.bytes.resize(size);
  std::memcpy(chunk.bytes.data(), header, kHeaderBytes);
  ZZ_RETURN_IF_ERROR(socket_.ReceiveExact(chunk.bytes.data() + kHeaderBytes, size - kHeaderBytes, deadline));
  if (chunk.type == "ERR") {
    return Status::Unavailable("server sent Error " +
                               DescribeErrorMessage(std::string_view(chunk.bytes).substr(kHeaderBytes)));
  }
  return std::optional<RawChunk>(std::move(chunk));
}

}  // namespace zhizao::connect::opcua
