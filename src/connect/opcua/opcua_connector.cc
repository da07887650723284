#include "connect/opcua/opcua_connector.h"

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "connect/opcua/browser.h"
#include "connect/opcua/data_types.h"
#include "connect/opcua/status_codes.h"

namespace zhizao::connect::opcua {
namespace {

constexpr auto kBrowseTimeout = std::chrono::seconds(60);
constexpr uint32_t kObjectsFolder = 85;

}  // namespace

Result<std::unique_ptr<Connector>> MakeOpcUaConnector(const nlohmann::json& definition, TagSink& sink) {
  ZZ_ASSIGN_OR_RETURN(OpcUaConfig config, ParseOpcUaConfig(definition));
  return std::unique_ptr<Connector>(new OpcUaConnector(std::move(config), sink));
}

OpcUaConnector::OpcUaConnector(OpcUaConfig config, TagSink& sink)
    : Connector(config.name, "opcua"), config_(std::move(config)), sink_(sink), tags_(config_.tags.size()) {
  for (size_t i = 0; i < config_.tags.size(); ++i) {
    tag_index_[config_.tags[i].spec.path] = i;
    tags_[i].type = config_.tags[i].spec.type;
  }
}

OpcUaConnector::~OpcUaConnector() { Stop(); }

void OpcUaConnector::Start() {
  {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    stop_ = false;
  }
  stats().SetState(ConnectorState::kConnecting);
  thread_ = std::thread([this] { Loop(); });
}

void OpcUaConnector::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  stats().SetState(ConnectorState::kStopped);
}

std::vector<std::string> OpcUaConnector::TagPaths() const {
  std::vector<std::string> paths;
  for (const OpcUaTagConfig& tag : config_.tags) paths.push_back(tag.spec.path);
  return paths;
}

void OpcUaConnector::Loop() {
  client_ = std::make_unique<Client>(config_.client);
  std::chrono::milliseconds backoff = config_.reconnect_min;
  while (true) {
    session_ran_ = false;
    Status ended = RunSession();
    {
      std::lock_guard lock(mu_);
      session_ready_ = false;
      if (stop_) break;
    }
    FailJobs(Status::Unavailable("connector " + name() + " lost its connection"));
    stats().RecordError(ended.message());
    client_->Drop();
    // The state before the bad samples: whoever sees them sees the connector's state say why.
    stats().SetState(fatal_ ? ConnectorState::kFailed : ConnectorState::kConnecting);
    MarkAllBad(ua_status::kBadNoCommunication);
    if (fatal_) {
      spdlog::error("opcua connector {}: {}; giving up until restarted", name(), ended.message());
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stop_; });
      break;
    }
    if (session_ran_) backoff = config_.reconnect_min;
    spdlog::warn("opcua connector {}: {}; reconnecting in {} ms", name(), ended.message(), backoff.count());
    if (!WaitBackoff(backoff)) break;
    stats().RecordReconnect();
    backoff = std::min(backoff * 2, config_.reconnect_max);
  }
  FailJobs(Status::Unavailable("connector " + name() + " stopped"));
  if (client_->connected() && subscription_id_ != 0) {
    // CloseSession deletes it too; asking first frees the server's items even where a session
    // outlives its close (a server keeping sessions for transfer).
    (void)client_->Call<DeleteSubscriptionsRequest, DeleteSubscriptionsResponse>(
        DeleteSubscriptionsRequest{{subscription_id_}});
  }
  subscription_id_ = 0;
  client_->Disconnect();
  client_.reset();
}

bool OpcUaConnector::WaitBackoff(std::chrono::milliseconds backoff) {
  std::unique_lock lock(mu_);
  return !wake_.wait_for(lock, backoff, [this] { return stop_; });
}

void OpcUaConnector::MarkAllBad(uint32_t status) {
  if (marked_bad_ || !tags_resolved_) return;
  marked_bad_ = true;
  Batch batch;
  const int64_t now = SystemClock::Instance().NowNs();
  for (const TagState& tag : tags_) {
    DataValue missing;
    missing.status = status;
    AppendSample(batch, tag.id, tag.type, missing, now);
  }
  stats().RecordSamples(batch.size(), batch.size());
  Status written = sink_.Write(batch);
  if (!written.ok()) spdlog::warn("opcua connector {}: cannot store bad-quality samples: {}", name(), written.message());
}

Status OpcUaConnector::RunOnLoop(std::function<Status(Client&)> run, std::chrono::milliseconds timeout) {
  auto job = std::make_shared<Job>();
  job->run = std::move(run);
  {
    std::lock_guard lock(mu_);
    if (!session_ready_) return Status::Unavailable("connector " + name() + " is not connected");
    jobs_.push_back(job);
  }
  std::unique_lock lock(job->mu);
  if (!job->done_cv.wait_for(lock, timeout, [&] { return job->done; })) {
    return Status::Unavailable("connector " + name() + " did not answer within " + std::to_string(timeout.count()) +
                               " ms");
  }
  return job->status;
}

void OpcUaConnector::RunJobs() {
  while (true) {
    std::shared_ptr<Job> job;
    {
      std::lock_guard lock(mu_);
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    Status status = job->run(*client_);
    std::lock_guard lock(job->mu);
    job->status = std::move(status);
    job->done = true;
    job->done_cv.notify_all();
  }
}

void OpcUaConnector::FailJobs(const Status& status) {
  std::deque<std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mu_);
    jobs.swap(jobs_);
  }
  for (auto& job : jobs) {
    std::lock_guard lock(job->mu);
    job->status = status;
    job->done = true;
    job->done_cv.notify_all();
  }
}

Status OpcUaConnector::Write(std::string_view tag_path, const WriteValue& value) {
  auto it = tag_index_.find(std::string(tag_path));
  if (it == tag_index_.end()) return Status::NotFound("connector " + name() + " has no tag " + std::string(tag_path));
  const size_t index = it->second;
  Status status = RunOnLoop(
      [this, index, value](Client& client) -> Status {
        const OpcUaTagConfig& tag = config_.tags[index];
        const BuiltinType wire_type = tags_[index].wire_type;
        if (wire_type == BuiltinType::kNull) {
          return Status::FailedPrecondition("the data type of " + tag.node.ToString() + " is not known");
        }
        ZZ_ASSIGN_OR_RETURN(Variant variant, VariantForWrite(value, wire_type));
        WriteRequest request;
        request.nodes.push_back({tag.node, DataValue{true, std::move(variant)}});
        ZZ_ASSIGN_OR_RETURN(WriteResponse response, (client.Call<WriteRequest, WriteResponse>(request)));
        if (response.results.size() != 1) return Status::Corruption("Write answered with a wrong result count");
        if (ua_status::IsBad(response.results[0])) {
          return StatusFromUa(response.results[0], "server refused the write of " + tag.node.ToString());
        }
        return Status::Ok();
      },
      config_.client.request_timeout + std::chrono::seconds(1));
  if (status.ok()) stats().RecordWrite();
  return status.WithContext("cannot write " + std::string(tag_path));
}

Result<std::vector<BrowsedNode>> OpcUaConnector::Browse(std::string_view start) {
  NodeId start_node = NodeId::Numeric(0, kObjectsFolder);
  if (!start.empty()) {
    ZZ_ASSIGN_OR_RETURN(start_node, NodeId::Parse(start));
  }
  const bool skip_namespace_zero = start.empty();
  auto nodes = std::make_shared<std::vector<BrowsedNode>>();
  Status status = RunOnLoop(
      [this, nodes, start_node, skip_namespace_zero](Client& client) -> Status {
        BrowseLimits limits;  // limits_ belongs to the loop's thread, which runs this
        limits.nodes_per_request = OperationLimits::Within(limits.nodes_per_request, limits_.nodes_per_browse);
        limits.nodes_per_read = limits_.nodes_per_read;
        ZZ_ASSIGN_OR_RETURN(*nodes, BrowseTree(client, start_node, skip_namespace_zero, limits));
        return Status::Ok();
      },
      kBrowseTimeout);
  if (!status.ok()) return status.WithContext("cannot browse " + std::string(start.empty() ? "Objects" : start));
  return std::move(*nodes);
}

}  // namespace zhizao::connect::opcua
