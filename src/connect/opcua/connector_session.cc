// OpcUaConnector: one connection, from connect (or session recovery) to its loss.
#include <spdlog/spdlog.h>

#include <cmath>

#include "common/clock.h"
#include "connect/opcua/data_types.h"
#include "connect/opcua/opcua_connector.h"
#include "connect/opcua/status_codes.h"

namespace zhizao::connect::opcua {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPublishWait = std::chrono::milliseconds(20);  // how soon a Write or Browse is served
constexpr uint32_t kMaxRepublishedPerGap = 256;

double MillisBetween(int64_t from_ns, int64_t to_ns) { return static_cast<double>(to_ns - from_ns) / 1e6; }

}  // namespace

Status OpcUaConnector::RunSession() {
  bool recovered = false;
  if (client_->has_session()) {
    ZZ_ASSIGN_OR_RETURN(recovered, client_->Reconnect());
  } else {
    ZZ_RETURN_IF_ERROR(client_->Connect());
  }
  ZZ_ASSIGN_OR_RETURN(limits_, ReadOperationLimits(*client_));
  if (OperationLimits::Within(config_.items_per_request, limits_.nodes_per_read) < config_.items_per_request ||
      OperationLimits::Within(config_.items_per_request, limits_.monitored_items_per_call) < config_.items_per_request) {
    spdlog::info("opcua connector {}: the server's operation limits ({}) split its requests below items_per_request {}",
                 name(), limits_.ToString(), config_.items_per_request);
  }
  if (!tags_resolved_) ZZ_RETURN_IF_ERROR(ResolveTags());
  if (!recovered) sessions_created_.fetch_add(1);
  if (!recovered || subscription_id_ == 0) {
    ZZ_RETURN_IF_ERROR(CreateSubscription());
    ZZ_RETURN_IF_ERROR(CreateMonitoredItems());
  }
  {
    std::lock_guard lock(mu_);
    session_ready_ = true;
  }
  session_ran_ = true;
  marked_bad_ = false;
  last_publish_ = Clock::now();
  stats().SetState(ConnectorState::kRunning);
  spdlog::info("opcua connector {}: connected to {} ({})", name(), config_.client.endpoint_url,
               recovered ? "session and subscription recovered" : "new session and subscription");
  return PublishLoop();
}

Status OpcUaConnector::ResolveTags() {
  const size_t per_request = OperationLimits::Within(config_.items_per_request, limits_.nodes_per_read);
  std::vector<TagSpec> specs;
  for (size_t from = 0; from < config_.tags.size(); from += per_request) {
    const size_t to = std::min(config_.tags.size(), from + per_request);
    ReadRequest read;
    for (size_t i = from; i < to; ++i) read.nodes.push_back({config_.tags[i].node, attribute_id::kDataType});
    ZZ_ASSIGN_OR_RETURN(ReadResponse response, (client_->Call<ReadRequest, ReadResponse>(read)));
    if (response.results.size() != read.nodes.size()) return Status::Corruption("Read answered with a wrong result count");
    for (size_t i = from; i < to; ++i) {
      const DataValue& value = response.results[i - from];
      const NodeId* type_id = value.value.is_scalar() ? std::get_if<NodeId>(&value.value.values[0]) : nullptr;
      std::optional<BuiltinType> builtin = type_id ? BuiltinTypeOfDataType(*type_id) : std::nullopt;
      if (!builtin) {
        spdlog::warn("opcua connector {}: cannot tell the data type of {} ({}); reading it as {}", name(),
                     config_.tags[i].node.ToString(), ua_status::StatusCodeText(value.status),
                     DataTypeName(tags_[i].type));
        continue;
      }
      tags_[i].wire_type = *builtin;
      if (!config_.tags[i].explicit_type) tags_[i].type = CatalogTypeOf(*builtin);
    }
  }
  for (size_t i = 0; i < config_.tags.size(); ++i) {
    specs.push_back(config_.tags[i].spec);
    specs.back().type = tags_[i].type;
  }
  Result<std::vector<TagId>> ids = sink_.EnsureTags(specs);
  if (!ids.ok()) {
    fatal_ = true;
    return ids.status().WithContext("cannot create the connector's tags");
  }
  for (size_t i = 0; i < tags_.size(); ++i) tags_[i].id = (*ids)[i];
  tags_resolved_ = true;
  return Status::Ok();
}

Status OpcUaConnector::CreateSubscription() {
  CreateSubscriptionRequest request;
  request.publishing_interval_ms = static_cast<double>(config_.publishing.count());
  request.max_keep_alive_count = config_.keep_alive_count;
  // The subscription should outlive a network outage as long as the session does.
  const auto session_intervals =
      static_cast<uint32_t>(config_.client.session_timeout.count() / std::max<int64_t>(1, config_.publishing.count()));
  request.lifetime_count = std::max(config_.keep_alive_count * 3, session_intervals);
  request.max_notifications_per_publish = config_.max_notifications_per_publish;
  ZZ_ASSIGN_OR_RETURN(CreateSubscriptionResponse response,
                      (client_->Call<CreateSubscriptionRequest, CreateSubscriptionResponse>(request)));
  subscription_id_ = response.subscription_id;
  keep_alive_period_ = std::chrono::milliseconds(static_cast<int64_t>(
      std::max(1.0, response.revised_publishing_interval_ms) * std::max<uint32_t>(1, response.revised_max_keep_alive_count)));
  last_sequence_.reset();
  acknowledgements_.clear();
  publish_target_ = config_.publish_requests;
  return Status::Ok();
}

Status OpcUaConnector::CreateMonitoredItems() {
  Batch refused;
  const int64_t now = SystemClock::Instance().NowNs();
  const size_t per_request = OperationLimits::Within(config_.items_per_request, limits_.monitored_items_per_call);
  for (size_t from = 0; from < config_.tags.size(); from += per_request) {
    const size_t to = std::min(config_.tags.size(), from + per_request);
    CreateMonitoredItemsRequest request;
    request.subscription_id = subscription_id_;
    for (size_t i = from; i < to; ++i) {
      const OpcUaTagConfig& tag = config_.tags[i];
      // A queue long enough for the samples of one publishing interval, so none is dropped.
      const int64_t per_publish = tag.sampling.count() == 0 ? 1 : config_.publishing.count() / tag.sampling.count();
      request.items.push_back({tag.node, static_cast<uint32_t>(i), static_cast<double>(tag.sampling.count()),
                               static_cast<uint32_t>(std::clamp<int64_t>(per_publish + 1, 1, 100))});
    }
    ZZ_ASSIGN_OR_RETURN(CreateMonitoredItemsResponse response,
                        (client_->Call<CreateMonitoredItemsRequest, CreateMonitoredItemsResponse>(request)));
    if (response.results.size() != request.items.size()) {
      return Status::Corruption("CreateMonitoredItems answered with a wrong result count");
    }
    for (size_t i = from; i < to; ++i) {
      const uint32_t status = response.results[i - from].status;
      if (!ua_status::IsBad(status)) continue;
      spdlog::warn("opcua connector {}: cannot monitor {}: {}", name(), config_.tags[i].node.ToString(),
                   ua_status::StatusCodeText(status));
      stats().RecordError("cannot monitor " + config_.tags[i].node.ToString() + ": " + ua_status::StatusCodeText(status));
      DataValue missing;
      missing.status = status;
      AppendSample(refused, tags_[i].id, tags_[i].type, missing, now);
    }
  }
  if (!refused.empty()) {
    stats().RecordSamples(refused.size(), refused.size());
    (void)sink_.Write(refused);  // best effort: quality of tags that will not update
  }
  return Status::Ok();
}

Status OpcUaConnector::PublishLoop() {
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return Status::Ok();
    }
    RunJobs();
    if (!client_->connected()) return Status::Unavailable("connection lost during a request");
    const auto hint = keep_alive_period_ * 3 + config_.client.request_timeout;
    while (client_->publishes_in_flight() < publish_target_) {
      ZZ_RETURN_IF_ERROR(client_->SendPublish(std::exchange(acknowledgements_, {}), hint));
    }
    ZZ_ASSIGN_OR_RETURN(std::optional<PublishOutcome> outcome, client_->WaitPublish(Clock::now() + kPublishWait));
    if (outcome) ZZ_RETURN_IF_ERROR(HandlePublish(std::move(*outcome)));
    token_renewals_.store(client_->token_renewals());
    chunks_received_.store(client_->chunks_received());
    const auto silent = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - last_publish_);
    if (silent > keep_alive_period_ * 2 + config_.client.request_timeout) {
      return Status::Unavailable("no Publish response, not even a keep-alive, for " + std::to_string(silent.count()) +
                                 " ms");
    }
  }
}

Status OpcUaConnector::HandlePublish(PublishOutcome outcome) {
  last_publish_ = Clock::now();
  if (!outcome.status.ok()) {
    switch (outcome.service_result) {
      case ua_status::kBadTimeout: return Status::Ok();
      case ua_status::kBadTooManyPublishRequests:
        publish_target_ = std::max<size_t>(1, client_->publishes_in_flight());
        return Status::Ok();
      case ua_status::kBadNoSubscription:
      case ua_status::kBadSubscriptionIdInvalid:
        spdlog::warn("opcua connector {}: the server lost the subscription; creating it again", name());
        ZZ_RETURN_IF_ERROR(CreateSubscription());
        return CreateMonitoredItems();
      default: return outcome.status.WithContext("Publish failed");
    }
  }
  const PublishResponse& response = outcome.response;
  if (response.subscription_id != subscription_id_) return Status::Ok();  // of a subscription gone before
  const NotificationMessage& message = response.message;
  if (!message.keep_alive()) return HandleMessage(message);
  // A keep-alive carries the next sequence number: anything before it that we lack was lost.
  if (last_sequence_ && message.sequence_number > *last_sequence_ + 1) {
    return FillGap(*last_sequence_ + 1, message.sequence_number);
  }
  return Status::Ok();
}

Status OpcUaConnector::HandleMessage(const NotificationMessage& message) {
  acknowledgements_.push_back({subscription_id_, message.sequence_number});
  if (last_sequence_ && message.sequence_number <= *last_sequence_) return Status::Ok();  // had it already
  if (last_sequence_ && message.sequence_number > *last_sequence_ + 1) {
    ZZ_RETURN_IF_ERROR(FillGap(*last_sequence_ + 1, message.sequence_number));
  }
  Deliver(message);
  last_sequence_ = message.sequence_number;
  return Status::Ok();
}

Status OpcUaConnector::FillGap(uint32_t from, uint32_t to) {
  if (to - from > kMaxRepublishedPerGap) {
    spdlog::warn("opcua connector {}: {} notifications lost; republishing the last {}", name(), to - from,
                 kMaxRepublishedPerGap);
    from = to - kMaxRepublishedPerGap;
  }
  for (uint32_t sequence = from; sequence < to; ++sequence) {
    ServiceOutcome outcome;
    Result<RepublishResponse> republished = client_->Call<RepublishRequest, RepublishResponse>(
        RepublishRequest{subscription_id_, sequence}, &outcome);
    if (republished.ok()) {
      Deliver(republished->message);
      acknowledgements_.push_back({subscription_id_, sequence});
      notifications_republished_.fetch_add(1);
    } else if (!client_->connected()) {
      return republished.status().WithContext("cannot republish notification " + std::to_string(sequence));
    } else {
      spdlog::warn("opcua connector {}: notification {} is lost: {}", name(), sequence, republished.status().message());
    }
  }
  last_sequence_ = to - 1;
  return Status::Ok();
}

void OpcUaConnector::Deliver(const NotificationMessage& message) {
  if (message.data_changes.empty()) return;
  const int64_t now = SystemClock::Instance().NowNs();
  Batch batch;
  batch.points.reserve(message.data_changes.size());
  for (const MonitoredItemNotification& change : message.data_changes) {
    if (change.client_handle >= tags_.size()) continue;  // not an item of ours
    const TagState& tag = tags_[change.client_handle];
    AppendSample(batch, tag.id, tag.type, change.value, now);
  }
  uint64_t not_good = 0;
  for (const Point& point : batch.points) not_good += SeverityOf(point.status) != QualitySeverity::kGood;
  Status written = sink_.Write(batch);
  if (!written.ok()) {
    spdlog::warn("opcua connector {}: cannot store {} samples: {}", name(), batch.size(), written.message());
    stats().RecordError("cannot store samples: " + written.message());
  }
  stats().RecordSamples(batch.size(), not_good);
  // Latency: from the server's publish time (node-opcua leaves it empty: then from the newest
  // value's timestamp) to the samples handed to ingest.
  int64_t published = message.publish_time;
  for (const MonitoredItemNotification& change : message.data_changes) {
    if (message.publish_time == 0) published = std::max({published, change.value.server_timestamp, change.value.source_timestamp});
  }
  const int64_t published_ns = published > 0 ? UnixNsFromDateTime(published) : now;
  stats().RecordRead(std::max(0.0, MillisBetween(published_ns, SystemClock::Instance().NowNs())));
  const auto arrived = Clock::now();
  if (last_data_ != Clock::time_point{}) {
    const double period = std::chrono::duration<double, std::milli>(arrived - last_data_).count();
    stats().RecordJitter(std::fabs(period - static_cast<double>(config_.publishing.count())));
  }
  last_data_ = arrived;
}

}  // namespace zhizao::connect::opcua
