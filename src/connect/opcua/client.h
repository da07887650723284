// zhizao's OPC UA client: one secure channel and one session on it, service calls, and a
// pipeline of Publish requests.
//
// Under a secure policy, each channel opens in two steps: GetEndpoints on a None channel
// fetches the server's certificate, which the trust list (Pki) must accept, then the channel
// opens under the policy with zhizao's application certificate. The session proves both
// sides' keys (CreateSession's server signature is checked; ActivateSession is signed) and
// a user name's password is encrypted with the server's key as its token policy demands.
//
// Calls are synchronous: Call() sends a request and reads messages until its response comes,
// setting aside the Publish responses that arrive meanwhile for WaitPublish(). After a
// transport or channel error the client is broken (connected() is false) until Connect() or
// Reconnect(); an error of one service (a fault, a bad result) leaves it connected.
// Not thread-safe: one thread (the connector's) owns a Client.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "connect/opcua/pki.h"
#include "connect/opcua/secure_channel.h"
#include "connect/opcua/security_policy.h"
#include "connect/opcua/service_codec.h"
#include "connect/opcua/services.h"

namespace zhizao::connect::opcua {

struct SecurityOptions {
  // The channel's policy and mode. Default: None.
  const SecurityPolicy* policy = &PolicyNone();
  SecurityMode mode = SecurityMode::kNone;
  // The PKI folder (see pki.h). REQUIRES: set when the policy is not None.
  std::string pki_dir;
  // Accept any server certificate without the trust list. Unsafe: for tests and
  // commissioning only. Default: false.
  bool trust_any_server = false;
};

struct ClientOptions {
  std::string endpoint_url;  // "opc.tcp://host:port[/path]"
  ChannelOptions channel;
  SecurityOptions security;
  // Longest wait for any response but Publish's. Default: 5 s.
  std::chrono::milliseconds request_timeout{5000};
  // Session timeout asked for; the server may revise it. Default: 60 s.
  std::chrono::milliseconds session_timeout{60'000};
  std::string application_name = "zhizao";
  // Empty: anonymous. Otherwise a UserName token. The password is encrypted with the server's
  // key when the token policy asks for it (which needs a secure channel: only then is the
  // server's certificate trusted); it goes in clear only where the token policy says None.
  std::string user_name;
  std::string password;
};

// The answer to one Publish request: `status` is not Ok for a ServiceFault (BadTimeout,
// BadNoSubscription, ...), whose code is in `service_result`.
struct PublishOutcome {
  Status status;
  uint32_t service_result = 0;
  PublishResponse response;
};

class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Opens the channel, creates a session and activates it.
  Status Connect();
  // After a lost connection: opens a new channel and activates the existing session on it;
  // when the server no longer knows that session, creates and activates a new one. Returns
  // true when the old session (and so its subscriptions) lives on. When the channel breaks
  // during the attempt, the session is forgotten and the next call starts afresh.
  Result<bool> Reconnect();
  // Closes the session (and its subscriptions) and the channel, politely and best effort.
  void Disconnect();
  // Forgets the connection without a goodbye, after an error. The session is kept for Reconnect().
  void Drop();

  bool connected() const { return channel_ != nullptr; }
  bool has_session() const { return !session_.authentication_token.is_null(); }

  // Sends `request` and waits for its response.
  template <typename Request, typename Response>
  Result<Response> Call(const Request& request, ServiceOutcome* outcome = nullptr);

  // Sends a Publish request whose server-side wait may last `timeout_hint`.
  Status SendPublish(std::vector<SubscriptionAcknowledgement> acknowledgements, std::chrono::milliseconds timeout_hint);
  size_t publishes_in_flight() const { return publishes_in_flight_.size(); }
  // The next Publish response, waiting until `deadline` for one; nullopt when none came.
  // An error means the connection is lost.
  Result<std::optional<PublishOutcome>> WaitPublish(Deadline deadline);

  // Messages, chunks and token renewals of the current channel, for tests and status.
  uint64_t chunks_received() const { return channel_ ? channel_->chunks_received() : 0; }
  uint64_t token_renewals() const { return channel_ ? channel_->renewals() : 0; }
  const ClientOptions& options() const { return options_; }

 private:
  struct Session {
    NodeId session_id;
    NodeId authentication_token;
    UserTokenPolicy token_policy;
    std::string server_nonce;  // the last one, from CreateSession or ActivateSession
  };

  bool secure() const { return !options_.security.policy->is_none(); }
  Status OpenChannel();
  Result<std::unique_ptr<ChunkSecurity>> SecureChunks();
  Result<Certificate> DiscoverServerCertificate();
  Status CheckSessionProof(const CreateSessionResponse& response, std::string_view client_nonce) const;
  // The token policy for our identity (anonymous or user name) on the endpoint of our
  // channel's policy and mode. FailedPrecondition when the server offers none.
  Result<UserTokenPolicy> FindTokenPolicy(const std::vector<EndpointDescription>& endpoints) const;
  Status SetIdentity(ActivateSessionRequest& request) const;
  Status CreateSession();
  Status ActivateSession();
  Result<uint32_t> SendRequestBody(std::string body);
  RequestHeader NextHeader(std::chrono::milliseconds timeout_hint);
  // Receives one message, if one comes by `deadline`, and files it: the awaited call's reply,
  // or a Publish response.
  Status ReceiveOne(Deadline deadline);
  Result<AssembledMessage> AwaitReply(uint32_t request_id, Deadline deadline);
  Status Broken(Status status);

  const ClientOptions options_;
  Endpoint endpoint_;
  std::unique_ptr<Pki> pki_;  // loaded at the first secure connection; outlives channel_
  std::optional<Certificate> server_certificate_;  // of the secure channel
  std::unique_ptr<SecureChannel> channel_;
  Session session_;
  uint32_t request_handle_ = 0;
  std::set<uint32_t> publishes_in_flight_;  // request ids
  std::deque<PublishOutcome> publishes_ready_;
  std::optional<uint32_t> awaited_;  // request id of the call in progress
  std::optional<AssembledMessage> awaited_reply_;
};

// --- implementation of the template ---

template <typename Request, typename Response>
Result<Response> Client::Call(const Request& request, ServiceOutcome* outcome) {
  if (!connected()) return Status::Unavailable("not connected");
  const Deadline deadline = std::chrono::steady_clock::now() + options_.request_timeout;
  ZZ_ASSIGN_OR_RETURN(uint32_t id, SendRequestBody(EncodeServiceRequest(request, NextHeader(options_.request_timeout))));
  ZZ_ASSIGN_OR_RETURN(AssembledMessage reply, AwaitReply(id, deadline));
  if (reply.aborted) return StatusFromUa(reply.abort_status, "server aborted the response: " + reply.abort_reason);
  ServiceOutcome local;
  Result<Response> response =
      DecodeServiceResponse<Response>(reply.body, options_.channel.decode, outcome ? *outcome : local);
  if (!response.ok() && response.status().code() == StatusCode::kCorruption) return Broken(response.status());
  return response;
}

}  // namespace zhizao::connect::opcua
