#include "connect/mqtt/internal/json_connector.h"

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "connect/mqtt/mqtt_connectors.h"

namespace zhizao::connect::mqtt {
namespace {

constexpr size_t kDefaultMaxTags = 10'000;

// A Batch of points with their strings, for one sink.Write.
void AddTo(Batch& batch, TagId id, const MappedSample& sample) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, double>) batch.AddFloat64(id, sample.ts_ns, v, sample.status);
        if constexpr (std::is_same_v<T, int64_t>) batch.AddInt64(id, sample.ts_ns, v, sample.status);
        if constexpr (std::is_same_v<T, bool>) batch.AddBool(id, sample.ts_ns, v, sample.status);
        if constexpr (std::is_same_v<T, std::string>) batch.AddString(id, sample.ts_ns, v, sample.status);
      },
      sample.value);
}

}  // namespace

JsonConnector::JsonConnector(std::string name, BrokerOptions broker, JsonMapper mapper, size_t max_tags, TagSink& sink,
                             std::optional<EventsOptions> events, stream::Hub* hub)
    : Connector(name, "mqtt"),
      sink_(sink),
      mapper_(std::move(mapper)),
      tags_(sink, max_tags),
      log_(std::move(name), std::chrono::seconds(10)),
      loop_(std::move(broker), stats(), log_, *this) {
  if (events && hub != nullptr) events_ = std::make_unique<EventForwarder>(std::move(*events), *hub, loop_, stats(), log_);
}

JsonConnector::~JsonConnector() { Stop(); }

void JsonConnector::Start() {
  loop_.Start();
  if (events_) events_->Start();
}

void JsonConnector::Stop() {
  if (events_) events_->Stop();
  loop_.Stop();
}

Status JsonConnector::Write(std::string_view tag_path, const WriteValue&) {
  return Status::FailedPrecondition("connector " + name() + ": an mqtt (JSON) connector cannot write '" +
                                    std::string(tag_path) + "'; Sparkplug B carries commands");
}

Status JsonConnector::OnConnected(MqttSession& session) {
  if (mapper_.subscriptions().empty()) return Status::Ok();  // it only publishes events
  std::vector<std::string> filters;
  for (const JsonSubscription& sub : mapper_.subscriptions()) filters.push_back(sub.filter.text());
  return session.Subscribe(filters, loop_.options().qos, std::chrono::seconds(5));
}

void JsonConnector::OnMessages(std::vector<InboundMessage>& messages) {
  std::vector<MappedSample> samples;
  std::vector<std::string> errors;
  const int64_t now_ns = SystemClock::Instance().NowNs();
  for (const InboundMessage& message : messages) {
    stats().RecordRead(static_cast<double>(now_ns - message.received_ns) / 1e6);
    mapper_.Map(message.topic, message.payload, message.received_ns, samples, errors);
  }
  for (std::string& error : errors) {
    log_.Warn(error);
    stats().RecordError(std::move(error));
  }
  if (!samples.empty()) Store(samples);
}

void JsonConnector::Store(std::vector<MappedSample>& samples) {
  std::vector<TagSpec> specs;
  specs.reserve(samples.size());
  for (const MappedSample& sample : samples) specs.push_back({.path = sample.tag_path, .type = sample.type});
  std::vector<std::string> errors;
  std::vector<TagId> ids = tags_.Ensure(specs, /*recheck=*/false, errors);
  Batch batch;
  uint64_t not_good = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    if (ids[i] == 0) continue;
    AddTo(batch, ids[i], samples[i]);
    if (samples[i].status != status_codes::kGood) ++not_good;
  }
  for (std::string& error : errors) {
    log_.Warn(error);
    stats().RecordError(std::move(error));
  }
  if (batch.empty()) return;
  Status written = sink_.Write(batch);
  if (!written.ok()) {
    log_.Warn("cannot store " + std::to_string(batch.size()) + " samples: " + written.message());
    stats().RecordError("cannot store samples: " + written.message());
    return;
  }
  stats().RecordSamples(batch.size(), not_good);
}

Result<std::unique_ptr<Connector>> MakeMqttConnector(const nlohmann::json& definition, TagSink& sink,
                                                     stream::Hub* hub) {
  if (!definition.is_object()) return Status::InvalidArgument("an mqtt connector definition must be an object");
  auto name = definition.find("name");
  if (name == definition.end() || !name->is_string() || name->get<std::string>().empty()) {
    return Status::InvalidArgument("name is required");
  }
  ZZ_ASSIGN_OR_RETURN(BrokerOptions broker, ParseBrokerOptions(definition, "zhizao-" + name->get<std::string>()));
  std::optional<EventsOptions> events;
  if (auto it = definition.find("events"); it != definition.end()) {
    if (hub == nullptr) return Status::InvalidArgument("events: this server has no event stream to publish");
    ZZ_ASSIGN_OR_RETURN(events, ParseEventsOptions(*it));
  }
  auto subscriptions = definition.find("subscriptions");
  if (subscriptions == definition.end() && !events) {
    return Status::InvalidArgument("subscriptions are required (or events, to only publish)");
  }
  if (subscriptions != definition.end() && (!subscriptions->is_array() || (subscriptions->empty() && !events))) {
    return Status::InvalidArgument("subscriptions must be a non-empty array");
  }
  std::vector<JsonSubscription> parsed;
  for (size_t i = 0; subscriptions != definition.end() && i < subscriptions->size(); ++i) {
    ZZ_ASSIGN_OR_RETURN(JsonSubscription sub, ParseJsonSubscription((*subscriptions)[i], i));
    parsed.push_back(std::move(sub));
  }
  size_t max_tags = kDefaultMaxTags;
  if (auto it = definition.find("max_tags"); it != definition.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 10'000'000) {
      return Status::InvalidArgument("max_tags must be a whole number from 1 to 10000000");
    }
    max_tags = it->get<size_t>();
  }
  return std::unique_ptr<Connector>(std::make_unique<JsonConnector>(
      name->get<std::string>(), std::move(broker), JsonMapper(std::move(parsed)), max_tags, sink, std::move(events), hub));
}

}  // namespace zhizao::connect::mqtt
