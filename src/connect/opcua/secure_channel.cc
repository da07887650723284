#include "connect/opcua/secure_channel.h"

#include "connect/opcua/service_codec.h"

namespace zhizao::connect::opcua {

SecureChannel::SecureChannel(UaTcpConnection connection, const ChannelOptions& options,
                             std::unique_ptr<ChunkSecurity> security)
    : connection_(std::move(connection)),
      options_(options),
      security_(std::move(security)),
      assembler_(options.transport.max_message_bytes, options.transport.max_chunk_count) {}

Result<std::unique_ptr<SecureChannel>> SecureChannel::Open(const Endpoint& endpoint, const ChannelOptions& options,
                                                           std::unique_ptr<ChunkSecurity> security,
                                                           Deadline deadline) {
  ZZ_ASSIGN_OR_RETURN(UaTcpConnection connection, UaTcpConnection::Open(endpoint, options.transport, deadline));
  std::unique_ptr<SecureChannel> channel(new SecureChannel(std::move(connection), options, std::move(security)));
  ZZ_RETURN_IF_ERROR(channel->SendOpen(false, deadline));
  while (channel->channel_id_ == 0) {
    ZZ_ASSIGN_OR_RETURN(std::optional<AssembledMessage> message, channel->ReceiveChunk(deadline));
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

Result<std::optional<AssembledMessage>> SecureChannel::ReceiveChunk(Deadline deadline) {
  ZZ_ASSIGN_OR_RETURN(std::optional<RawChunk> chunk, connection_.Receive(deadline));
  if (!chunk) {
    if (channel_id_ == 0) return Status::Unavailable("no answer to OpenSecureChannel in time");
    return std::optional<AssembledMessage>();
  }
  ZZ_ASSIGN_OR_RETURN(std::string plain, security_->Unseal(std::move(chunk->bytes)));
  return assembler_.Add(plain);
}

Status SecureChannel::SendOpen(bool renew, Deadline deadline) {
  OpenSecureChannelRequest request;
  request.renew = renew;
  request.security_mode = static_cast<uint32_t>(security_->mode());
  ZZ_ASSIGN_OR_RETURN(client_nonce_, security_->NewNonce());
  request.client_nonce = client_nonce_;
  request.requested_lifetime_ms = static_cast<uint32_t>(options_.token_lifetime.count());
  BinaryWriter head;
  head.Raw("OPNF");
  head.U32(0);  // size: set when sealed
  head.U32(channel_id_);
  head.Raw(security_->OpenSecurityHeader());
  BinaryWriter payload;
  payload.U32(NextSequenceNumber());
  payload.U32(++request_id_);
  payload.Raw(EncodeServiceRequest(request, RequestHeader{}));
  ZZ_ASSIGN_OR_RETURN(std::string chunk, security_->SealOpen(head.bytes(), payload.bytes()));
  if (chunk.size() > connection_.limits().send_chunk_bytes) {
    return Status::ResourceExhausted("the OpenSecureChannel request of " + std::to_string(chunk.size()) +
                                     " bytes exceeds the server's buffer");
  }
  renewal_pending_ = renew;
  return connection_.Send(chunk, deadline);
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
  ZZ_RETURN_IF_ERROR(security_->InstallToken(response.token_id, client_nonce_, response.server_nonce));
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

Status SecureChannel::SendSealed(std::string_view type, uint32_t request_id, std::string_view body,
                                 Deadline deadline) {
  BinaryWriter head;
  head.Raw(type);
  head.U32(0);  // size: set when sealed
  head.U32(channel_id_);
  head.U32(token_id_);
  BinaryWriter payload;
  payload.U32(NextSequenceNumber());
  payload.U32(request_id);
  payload.Raw(body);
  ZZ_ASSIGN_OR_RETURN(std::string chunk, security_->SealMessage(head.bytes(), payload.bytes()));
  return connection_.Send(chunk, deadline);
}

Result<uint32_t> SecureChannel::Send(std::string_view body, Deadline deadline) {
  const NegotiatedLimits& limits = connection_.limits();
  const size_t per_chunk = security_->MaxBodyBytes(limits.send_chunk_bytes);
  const size_t chunks = body.empty() ? 1 : (body.size() + per_chunk - 1) / per_chunk;
  if ((limits.peer_max_message_bytes != 0 && body.size() > limits.peer_max_message_bytes) ||
      (limits.peer_max_chunk_count != 0 && chunks > limits.peer_max_chunk_count)) {
    return Status::ResourceExhausted("request of " + std::to_string(body.size()) +
                                     " bytes exceeds the server's message limits");
  }
  const uint32_t request_id = ++request_id_;
  for (size_t i = 0; i < chunks; ++i) {
    ZZ_RETURN_IF_ERROR(SendSealed(i + 1 == chunks ? "MSGF" : "MSGC", request_id, body.substr(i * per_chunk, per_chunk),
                                  deadline));
  }
  return request_id;
}

Result<std::optional<AssembledMessage>> SecureChannel::Receive(Deadline deadline) {
  while (true) {
    ZZ_ASSIGN_OR_RETURN(std::optional<AssembledMessage> message, ReceiveChunk(deadline));
    if (!message) {
      if (std::chrono::steady_clock::now() >= deadline) return message;
      continue;
    }
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
  (void)SendSealed("CLOF", ++request_id_, body, deadline);  // best effort: the connection closes either way
  connection_.Close();
}

}  // namespace zhizao::connect::opcua
