#include "connect/opcua/client.h"

#include <sys/random.h>

#include <spdlog/spdlog.h>

#include "common/clock.h"

namespace zhizao::connect::opcua {
namespace {

constexpr size_t kNonceBytes = 32;
constexpr size_t kMaxReadyPublishes = 64;

// node-opcua refuses a nonce it has seen before, so it comes from the kernel's random source.
Result<std::string> RandomNonce() {
  std::string nonce(kNonceBytes, '\0');
  size_t got = 0;
  while (got < nonce.size()) {
    ssize_t n = ::getrandom(nonce.data() + got, nonce.size() - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::Internal("cannot read random bytes for the session nonce");
    got += static_cast<size_t>(n);
  }
  return nonce;
}

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)) {}

Client::~Client() { Drop(); }

Status Client::Broken(Status status) {
  Drop();
  return status;
}

void Client::Drop() {
  channel_.reset();
  publishes_in_flight_.clear();
  publishes_ready_.clear();
  awaited_.reset();
  awaited_reply_.reset();
}

Status Client::OpenChannel() {
  Drop();
  ZZ_ASSIGN_OR_RETURN(endpoint_, ParseEndpointUrl(options_.endpoint_url));
  std::unique_ptr<ChunkSecurity> security = ChunkSecurity::None();
  if (secure()) {
    ZZ_ASSIGN_OR_RETURN(security, SecureChunks());
  }
  const Deadline deadline = std::chrono::steady_clock::now() + options_.request_timeout;
  ZZ_ASSIGN_OR_RETURN(channel_, SecureChannel::Open(endpoint_, options_.channel, std::move(security), deadline));
  return Status::Ok();
}

Status Client::Connect() {
  session_ = {};
  ZZ_RETURN_IF_ERROR(OpenChannel().WithContext("cannot open a secure channel to " + options_.endpoint_url));
  ZZ_RETURN_IF_ERROR(CreateSession().WithContext("cannot create a session"));
  return ActivateSession().WithContext("cannot activate the session");
}

Result<bool> Client::Reconnect() {
  if (!has_session()) {
    ZZ_RETURN_IF_ERROR(Connect());
    return false;
  }
  ZZ_RETURN_IF_ERROR(OpenChannel().WithContext("cannot open a secure channel to " + options_.endpoint_url));
  Status reactivated = ActivateSession();
  if (reactivated.ok()) return true;
  if (!connected()) {
    // The channel broke during the attempt: whether from the network or from a server that
    // cannot handle the old session, the next attempt starts with a new session, so that a
    // peer in a strange state cannot keep the client from ever connecting again.
    session_ = {};
    return reactivated.WithContext("cannot reactivate the session");
  }
  spdlog::info("opcua {}: the old session is gone ({}); creating a new one", options_.endpoint_url,
               reactivated.message());
  session_ = {};
  ZZ_RETURN_IF_ERROR(CreateSession().WithContext("cannot create a session"));
  ZZ_RETURN_IF_ERROR(ActivateSession().WithContext("cannot activate the session"));
  return false;
}

void Client::Disconnect() {
  if (connected() && has_session()) {
    CloseSessionRequest request;
    (void)Call<CloseSessionRequest, CloseSessionResponse>(request);
  }
  session_ = {};
  if (channel_) channel_->Close(std::chrono::steady_clock::now() + std::chrono::milliseconds(500));
  Drop();
}

Status Client::CreateSession() {
  CreateSessionRequest request;
  // Under a secure policy the server checks the ApplicationUri against the certificate's.
  request.application_uri = secure() ? pki_->application_uri() : "urn:zhizao:" + options_.application_name;
  if (secure()) request.client_certificate = pki_->certificate().der();
  request.application_name = options_.application_name;
  request.endpoint_url = options_.endpoint_url;
  request.session_name = options_.application_name + "-" + std::to_string(SystemClock::Instance().NowNs());
  ZZ_ASSIGN_OR_RETURN(request.client_nonce, RandomNonce());
  request.requested_session_timeout_ms = static_cast<double>(options_.session_timeout.count());
  request.max_response_message_size = options_.channel.transport.max_message_bytes;
  ZZ_ASSIGN_OR_RETURN(CreateSessionResponse response, (Call<CreateSessionRequest, CreateSessionResponse>(request)));
  ZZ_RETURN_IF_ERROR(CheckSessionProof(response, request.client_nonce));
  session_.session_id = response.session_id;
  session_.authentication_token = response.authentication_token;
  session_.server_nonce = response.server_nonce;
  ZZ_ASSIGN_OR_RETURN(session_.token_policy, FindTokenPolicy(response.endpoints));
  return Status::Ok();
}

Status Client::ActivateSession() {
  ActivateSessionRequest request;
  ZZ_RETURN_IF_ERROR(SetIdentity(request));
  ZZ_ASSIGN_OR_RETURN(ActivateSessionResponse response,
                      (Call<ActivateSessionRequest, ActivateSessionResponse>(request)));
  if (!response.server_nonce.empty()) session_.server_nonce = response.server_nonce;
  return Status::Ok();
}

RequestHeader Client::NextHeader(std::chrono::milliseconds timeout_hint) {
  RequestHeader header;
  header.authentication_token = session_.authentication_token;
  header.timestamp = DateTimeFromUnixNs(SystemClock::Instance().NowNs());
  header.request_handle = ++request_handle_;
  header.timeout_hint_ms = static_cast<uint32_t>(timeout_hint.count());
  return header;
}

Result<uint32_t> Client::SendRequestBody(std::string body) {
  const Deadline deadline = std::chrono::steady_clock::now() + options_.request_timeout;
  Status renewed = channel_->RenewIfDue(deadline);
  if (!renewed.ok()) return Broken(renewed.WithContext("cannot renew the secure channel token"));
  Result<uint32_t> id = channel_->Send(body, deadline);
  if (!id.ok() && id.status().code() != StatusCode::kResourceExhausted) return Broken(id.status());
  return id;
}

Status Client::SendPublish(std::vector<SubscriptionAcknowledgement> acknowledgements,
                           std::chrono::milliseconds timeout_hint) {
  if (!connected()) return Status::Unavailable("not connected");
  PublishRequest request;
  request.acknowledgements = std::move(acknowledgements);
  ZZ_ASSIGN_OR_RETURN(uint32_t id, SendRequestBody(EncodeServiceRequest(request, NextHeader(timeout_hint))));
  publishes_in_flight_.insert(id);
  return Status::Ok();
}

Status Client::ReceiveOne(Deadline deadline) {
  Result<std::optional<AssembledMessage>> received = channel_->Receive(deadline);
  if (!received.ok()) return Broken(received.status());
  if (!*received) return Status::Ok();
  AssembledMessage* message = &**received;
  if (awaited_ && message->request_id == *awaited_) {
    awaited_reply_ = std::move(*message);
    return Status::Ok();
  }
  if (publishes_in_flight_.erase(message->request_id) == 0) {
    spdlog::debug("opcua {}: dropped a reply to request {} that no one awaits", options_.endpoint_url,
                  message->request_id);
    return Status::Ok();
  }
  if (publishes_ready_.size() >= kMaxReadyPublishes) {
    return Broken(Status::ResourceExhausted("too many unprocessed Publish responses"));
  }
  PublishOutcome outcome;
  if (message->aborted) {
    outcome.status = StatusFromUa(message->abort_status, "server aborted a Publish response");
    outcome.service_result = message->abort_status;
  } else {
    ServiceOutcome service;
    Result<PublishResponse> response =
        DecodeServiceResponse<PublishResponse>(message->body, options_.channel.decode, service);
    if (!response.ok() && response.status().code() == StatusCode::kCorruption) {
      return Broken(response.status().WithContext("cannot decode a Publish response"));
    }
    outcome.service_result = service.service_result;
    if (response.ok()) {
      outcome.response = std::move(response).value();
    } else {
      outcome.status = response.status();
    }
  }
  publishes_ready_.push_back(std::move(outcome));
  return Status::Ok();
}

Result<AssembledMessage> Client::AwaitReply(uint32_t request_id, Deadline deadline) {
  awaited_ = request_id;
  awaited_reply_.reset();
  while (!awaited_reply_) {
    if (!connected()) return Status::Unavailable("connection lost while waiting for a response");
    // A server that cannot decode a request may drop it silently: the deadline ends the wait,
    // and the connection, since its state is no longer known.
    if (std::chrono::steady_clock::now() >= deadline) {
      return Broken(Status::Unavailable("no response to request " + std::to_string(request_id) + " within " +
                                        std::to_string(options_.request_timeout.count()) + " ms"));
    }
    ZZ_RETURN_IF_ERROR(ReceiveOne(deadline));
  }
  awaited_.reset();
  AssembledMessage reply = std::move(*awaited_reply_);
  awaited_reply_.reset();
  return reply;
}

Result<std::optional<PublishOutcome>> Client::WaitPublish(Deadline deadline) {
  while (publishes_ready_.empty()) {
    if (!connected()) return Status::Unavailable("not connected");
    if (publishes_in_flight_.empty() || std::chrono::steady_clock::now() >= deadline) {
      return std::optional<PublishOutcome>();
    }
    ZZ_RETURN_IF_ERROR(ReceiveOne(deadline));
  }
  PublishOutcome outcome = std::move(publishes_ready_.front());
  publishes_ready_.pop_front();
  return std::optional<PublishOutcome>(std::move(outcome));
}

}  // namespace zhizao::connect::opcua
