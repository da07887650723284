#include "connect/opcua/secure_channel.h"

#include "connect/opcua/service_codec.h"

namespace zhizao::connect::opcua {
namespace {

constexpr std::string_view kPolicyNone = "http://opcfoundation.org/UA/SecurityPolicy#None";
constexpr size_t kMessageHeaderBytes = 8 + 4 + 4 + 8;  // header, channel id, token id, sequence header

}  // namespace

SecureChannel::SecureChannel(UaTcpConnection connection, const ChannelOptions& options)
    : connection_(std::move(connection)),
      options_(options),
      assembler_(options.transport.max_message_bytes, options.transport.max_chunk_count) {}

Result<std::unique_ptr<SecureChannel>> SecureChannel::Open(const Endpoint& endpoint, const ChannelOptions& options,
                                                           Deadline deadline) {
  ZZ_ASSIGN_OR_RETURN(UaTcpConnection connection, UaTcpConnection::Open(endpoint, options.transport, deadline));
  std::unique_ptr<SecureChannel> channel(new SecureChannel(std::move(connection), options));
  ZZ_RETURN_IF_ERROR(channel->SendOpen(false, deadline));
  while (channel->channel_id_ == 0) {
    ZZ_ASSIGN_OR_RETURN(std::optional<RawChunk> chunk, channel->connection_.Receive(deadline));
    if (!chunk) return Status::Unavailable("no answer to OpenSecureChannel in time");
    ZZ_ASSIGN_OR_RETURN(std::optional<AssembledMessage> message, channel->assembler_.Add(chunk->bytes));
    if (!message) continue;
    if (message->type != "OPN") return Status::Corruption("server answered OpenSecureChannel with " + message->type);
    ZZ_RETURN_IF_ERROR(channel->HandleOpenResponse(*message));
  }
  return channel;
}

uint32_t SecureChannel::NextSequenceNumber() {
  // Wraps to 1 before UINT32_MAX - 1024, as Part 6, 6.7.2.4 asks of a sender.
  sequence_number_ = sequence_number_ >= 4294966271u ? 1 : sequence_number_ + 1;
  return sequence_number_;
}

Status SecureChannel::SendOpen(bool renew, Deadline deadline) {
  OpenSecureChannelRequest request;
  request.renew = renew;
  request.requested_lifetime_ms = static_cast<uint32_t>(options_.token_lifetime.count());
  std::string body = EncodeServiceRequest(request, RequestHeader{});
  BinaryWriter w;
  w.Raw("OPNF");
  w.U32(0);
  w.U32(channel_id_);
  w.String(kPolicyNone);
  w.NullString();  // sender certificate
  w.NullString();  // receiver certificate thumbprint
  w.U32(NextSequenceNumber());
  w.U32(++request_id_);
  w.Raw(body);
  w.PatchU32(4, static_cast<uint32_t>(w.size()));
  renewal_pending_ = renew;
  return connection_.Send(w.bytes(), deadline);
}

Status SecureChannel::HandleOpenResponse(const AssembledMessage& message) {
  if (message.aborted) return StatusFromUa(message.abort_status, "server aborted OpenSecureChannel");
  ServiceOutcome outcome;
  ZZ_ASSIGN_OR_RETURN(OpenSecureChannelResponse response,
                      DecodeServiceResponse<OpenSecureChannelResponse>(message.body, options_.decode, outcome));
  if (channel_id_ != 0 && response.channel_id != channel_id_) {
    return Status::Corruption("renewed token names another channel");
  }
  if (response.channel_id == 0) return Status::Corruption("server opened a channel with id 0");
  channel_id_ = response.channel_id;
  previous_token_id_ = token_id_;
  token_id_ = response.token_id;
  if (renewal_pending_) ++renewals_;
  renewal_pending_ = false;
  auto lifetime = std::chrono::milliseconds(std::max<uint32_t>(response.revised_lifetime_ms, 1000));
  renew_at_ = std::chrono::steady_clock::now() + lifetime * 3 / 4;
  return Status::Ok();
}

Status SecureChannel::RenewIfDue(Deadline deadline) {
  if (renewal_pending_ || std::chrono::steady_clock::now() < renew_at_) return Status::Ok();
  return SendOpen(true, deadline);
}

Result<uint32_t> SecureChannel::Send(std::string_view body, Deadline deadline) {
  const NegotiatedLimits& limits = connection_.limits();
  const size_t per_chunk = limits.send_chunk_bytes - kMessageHeaderBytes;
  const size_t chunks = body.empty() ? 1 : (body.size() + per_chunk - 1) / per_chunk;
  if ((limits.peer_max_message_bytes != 0 && body.size() > limits.peer_max_message_bytes) ||
      (limits.peer_max_chunk_count != 0 && chunks > limits.peer_max_chunk_count)) {
    return Status::ResourceExhausted("request of " + std::to_string(body.size()) +
                                     " bytes exceeds the server's message limits");
  }
  const uint32_t request_id = ++request_id_;
  for (size_t i = 0; i < chunks; ++i) {
    std::string_view part = body.substr(i * per_chunk, per_chunk);
    BinaryWriter w;
    w.Raw(i + 1 == chunks ? "MSGF" : "MSGC");
    w.U32(static_cast<uint32_t>(kMessageHeaderBytes + part.size()));
    w.U32(channel_id_);
    w.U32(token_id_);
    w.U32(NextSequenceNumber());
    w.U32(request_id);
    w.Raw(part);
    ZZ_RETURN_IF_ERROR(connection_.Send(w.bytes(), deadline));
  }
  return request_id;
}

Result<std::optional<AssembledMessage>> SecureChannel::Receive(Deadline deadline) {
  while (true) {
    ZZ_ASSIGN_OR_RETURN(std::optional<RawChunk> chunk, connection_.Receive(deadline));
    if (!chunk) return std::optional<AssembledMessage>();
    ZZ_ASSIGN_OR_RETURN(std::optional<AssembledMessage> message, assembler_.Add(chunk->bytes));
    if (!message) continue;
    if (message->type == "OPN") {
      ZZ_RETURN_IF_ERROR(HandleOpenResponse(*message));
      continue;
    }
    if (message->type == "CLO") return Status::Unavailable("server closed the secure channel");
    if (message->channel_id != channel_id_) {
      return Status::Corruption("message for channel " + std::to_string(message->channel_id) + " on channel " +
                                std::to_string(channel_id_));
    }
    if (message->token_id != token_id_ && message->token_id != previous_token_id_) {
      return Status::Corruption("message with unknown security token " + std::to_string(message->token_id));
    }
    return message;
  }
}

void SecureChannel::Close(Deadline deadline) {
  std::string body = EncodeServiceRequest(CloseSecureChannelRequest{}, RequestHeader{});
  BinaryWriter w;
  w.Raw("CLOF");
  w.U32(static_cast<uint32_t>(kMessageHeaderBytes + body.size()));
  w.U32(channel_id_);
  w.U32(token_id_);
  w.U32(NextSequenceNumber());
  w.U32(++request_id_);
  w.Raw(body);
  (void)connection_.Send(w.bytes(), deadline);  // best effort: the connection closes either way
  connection_.Close();
}

}  // namespace zhizao::connect::opcua
