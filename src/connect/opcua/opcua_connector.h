// The "opcua" connector: reads OPC UA variables through a subscription, writes them through
// the WriteGate, browses the server's address space, and recovers by itself.
//
// On its first connection it reads each tag's DataType (the catalog type, unless the
// definition names one; and the wire type of writes), creates the tags, one subscription and
// a monitored item per tag. Every notification becomes a sample: the DataValue's StatusCode is
// its quality, its SourceTimestamp (else ServerTimestamp, else the receive time) its time.
// When the connection is lost every tag gets a BadNoCommunication sample, so charts show the
// gap; then the connector reconnects with backoff, activates its old session on a new secure
// channel (its subscription lives on, and Republish fills any sequence gap) or, when the
// server has forgotten it (a restart), creates a new session and subscription.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "connect/connector.h"
#include "connect/opcua/client.h"
#include "connect/opcua/operation_limits.h"
#include "connect/opcua/connector_config.h"
#include "connect/tag_sink.h"

namespace zhizao::connect::opcua {

// Validates `definition` (InvalidArgument naming the field) without connecting.
Result<std::unique_ptr<Connector>> MakeOpcUaConnector(const nlohmann::json& definition, TagSink& sink);

// Thread-safe: Start/Stop/Browse/Write from any thread; the connector's own thread owns the
// Client, the subscription and the tags' wire state.
class OpcUaConnector final : public Connector {
 public:
  // REQUIRES: `sink` outlives the connector.
  OpcUaConnector(OpcUaConfig config, TagSink& sink);
  ~OpcUaConnector() override;

  void Start() override;
  void Stop() override;
  std::vector<std::string> TagPaths() const override;
  // `start`: a node id ("ns=1;s=Plant"); empty for the Objects folder without the server's own
  // namespace-0 objects. Unavailable while not connected.
  Result<std::vector<BrowsedNode>> Browse(std::string_view start) override;

  // Secure channel token renewals and chunks received on the current connection.
  uint64_t token_renewals() const { return token_renewals_.load(); }
  uint64_t chunks_received() const { return chunks_received_.load(); }
  // Sessions created: 1, plus one each time the server had forgotten the previous one.
  uint64_t sessions_created() const { return sessions_created_.load(); }
  // Notifications fetched again with Republish to fill a gap in the sequence numbers.
  uint64_t notifications_republished() const { return notifications_republished_.load(); }

 private:
  friend struct OpcUaWriteForTest;  // tests call Write as the WriteGate does
  // A request from another thread, run on the connector's thread between publishes.
  struct Job {
    std::function<Status(Client&)> run;
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;   // GUARDED_BY(mu)
    Status status;       // GUARDED_BY(mu)
  };
  // What the connector's thread knows of a tag on the server.
  struct TagState {
    TagId id = 0;
    DataType type = DataType::kFloat64;
    BuiltinType wire_type = BuiltinType::kNull;  // kNull until the DataType was read
  };

  Status Write(std::string_view tag_path, const WriteValue& value) override;

  // connector.cc: the thread, jobs, backoff.
  void Loop();
  Status RunOnLoop(std::function<Status(Client&)> run, std::chrono::milliseconds timeout);
  void RunJobs();
  void FailJobs(const Status& status);
  bool WaitBackoff(std::chrono::milliseconds backoff);
  void MarkAllBad(uint32_t status);

  // connector_session.cc: one connection from connect to loss.
  Status RunSession();
  Status ResolveTags();
  Status CreateSubscription();
  Status CreateMonitoredItems();
  Status PublishLoop();
  Status HandlePublish(PublishOutcome outcome);
  Status HandleMessage(const NotificationMessage& message);
  Status FillGap(uint32_t from, uint32_t to);
  void Deliver(const NotificationMessage& message);

  const OpcUaConfig config_;
  TagSink& sink_;
  std::unordered_map<std::string, size_t> tag_index_;  // by path; written only in the constructor

  // Owned by the connector's thread.
  std::unique_ptr<Client> client_;
  std::vector<TagState> tags_;
  bool tags_resolved_ = false;
  OperationLimits limits_;  // of the current session's server
  bool marked_bad_ = false;
  bool session_ran_ = false;  // the last session reached the running state
  bool fatal_ = false;        // an error no retry mends (a catalog conflict)
  uint32_t subscription_id_ = 0;
  std::chrono::milliseconds keep_alive_period_{1000};
  std::optional<uint32_t> last_sequence_;
  std::vector<SubscriptionAcknowledgement> acknowledgements_;
  std::chrono::steady_clock::time_point last_publish_;
  std::chrono::steady_clock::time_point last_data_;
  size_t publish_target_ = 0;

  std::atomic<uint64_t> token_renewals_{0};
  std::atomic<uint64_t> chunks_received_{0};
  std::atomic<uint64_t> sessions_created_{0};
  std::atomic<uint64_t> notifications_republished_{0};

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;                              // GUARDED_BY(mu_)
  bool session_ready_ = false;                     // GUARDED_BY(mu_)
  std::deque<std::shared_ptr<Job>> jobs_;          // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace zhizao::connect::opcua
