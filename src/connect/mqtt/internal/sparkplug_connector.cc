#include "connect/mqtt/internal/sparkplug_connector.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "catalog/model.h"
#include "common/clock.h"
#include "connect/mqtt/mqtt_connectors.h"
#include "connect/mqtt/internal/topic_filter.h"
#include "connect/mqtt/internal/sparkplug_topic.h"

namespace zhizao::connect::mqtt {
namespace {
constexpr auto kPublishTimeout = std::chrono::seconds(5);
}  // namespace

SparkplugConnector::SparkplugConnector(std::string name, BrokerOptions broker, SparkplugOptions options, TagSink& sink)
    : Connector(name, "sparkplug"),
      options_(std::move(options)),
      state_topic_(StateTopic(options_.host_id)),
      sink_(sink),
      tags_(sink, options_.max_tags),
      log_(std::move(name), std::chrono::seconds(10)),
      host_(options_.host, tags_, stats(), log_),
      loop_(std::move(broker), stats(), log_, *this) {}

SparkplugConnector::~SparkplugConnector() { Stop(); }

std::string SparkplugConnector::StatePayload(bool online) const {
  return nlohmann::json{{"online", online}, {"timestamp", state_ts_ms_}}.dump();
}

std::optional<WillMessage> SparkplugConnector::NextWill() {
  // The specification (tck-id-host-topic-phid-birth-payload-timestamp): the online STATE
  // carries the timestamp of the will it follows.
  state_ts_ms_ = static_cast<uint64_t>(SystemClock::Instance().NowNs() / 1'000'000);
  return WillMessage{state_topic_, StatePayload(false), 1, true};
}

Status SparkplugConnector::OnConnected(MqttSession& session) {
  // Subscriptions first, then the online STATE (tck-id-message-flow-phid-sparkplug-subscription).
  std::vector<std::string> filters = {state_topic_};
  for (const std::string& group : options_.groups) {
    filters.push_back(group == "#" ? std::string(kSparkplugNamespace) + "/#"
                                   : std::string(kSparkplugNamespace) + "/" + group + "/#");
  }
  ZZ_RETURN_IF_ERROR(session.Subscribe(filters, loop_.options().qos, kPublishTimeout));
  ZZ_RETURN_IF_ERROR(session.Publish(state_topic_, StatePayload(true), 1, true, kPublishTimeout));
  online_ = true;
  return Status::Ok();
}

void SparkplugConnector::OnConnectionLost() {
  online_ = false;
  Batch batch;
  host_.MarkAllStale(SystemClock::Instance().NowNs(), batch);
  Store(batch);
}

void SparkplugConnector::OnStopping(MqttSession& session) {
  // A clean DISCONNECT discards the will: say offline ourselves.
  Status said = session.Publish(state_topic_, StatePayload(false), 1, true, std::chrono::seconds(1));
  if (!said.ok()) spdlog::warn("connector {}: cannot publish the offline STATE: {}", name(), said.message());
  online_ = false;
}

void SparkplugConnector::OnMessages(std::vector<InboundMessage>& messages) {
  Batch batch;
  std::vector<OutgoingCommand> commands;
  const int64_t now_ns = SystemClock::Instance().NowNs();
  for (const InboundMessage& message : messages) {
    stats().RecordRead(static_cast<double>(now_ns - message.received_ns) / 1e6);
    if (message.topic == state_topic_) {
      // Another client (or our own stale will) says we are offline: correct it at once.
      nlohmann::json state = nlohmann::json::parse(message.payload, nullptr, false);
      if (online_ && state.is_object() && state.value("online", true) == false) {
        commands.push_back({state_topic_, StatePayload(true)});
      }
      continue;
    }
    host_.Handle(message, batch, commands);
  }
  Store(batch);
  for (const OutgoingCommand& command : commands) {
    bool is_state = command.topic == state_topic_;
    Status sent = loop_.Publish(command.topic, command.payload, is_state ? 1 : 0, is_state);
    if (!sent.ok()) {
      stats().RecordError(sent.message());
      log_.Warn(sent.message());
    }
  }
}

void SparkplugConnector::Store(Batch& batch) {
  if (batch.empty()) return;
  uint64_t not_good = 0;
  for (const Point& p : batch.points) not_good += p.status != status_codes::kGood ? 1 : 0;
  Status written = sink_.Write(batch);
  if (!written.ok()) {
    log_.Warn("cannot store " + std::to_string(batch.size()) + " samples: " + written.message());
    stats().RecordError("cannot store samples: " + written.message());
    return;
  }
  stats().RecordSamples(batch.size(), not_good);
}

Status SparkplugConnector::Write(std::string_view tag_path, const WriteValue& value) {
  std::optional<CommandTarget> target = host_.TargetOf(std::string(tag_path));
  if (!target) {
    return Status::NotFound("connector " + name() + ": no BIRTH defined tag '" + std::string(tag_path) + "'");
  }
  uint64_t now_ms = static_cast<uint64_t>(SystemClock::Instance().NowNs() / 1'000'000);
  ZZ_ASSIGN_OR_RETURN(std::string payload, EncodeCommand(target->metric, target->sparkplug_type, value, now_ms));
  ZZ_RETURN_IF_ERROR(loop_.Publish(target->topic, payload, 0, false).WithContext("connector " + name()));
  spdlog::info("connector {}: wrote '{}' ({} on {})", name(), tag_path, target->metric, target->topic);
  return Status::Ok();
}

}  // namespace zhizao::connect::mqtt

namespace zhizao::connect::mqtt {
namespace {

using nlohmann::json;

// A Sparkplug id (group, host) must be one topic level without wildcards.
bool IsTopicLevel(const std::string& id) { return !id.empty() && id.find_first_of("/+#") == std::string::npos; }

Result<std::vector<std::string>> ParseGroups(const json& definition) {
  auto it = definition.find("group");
  if (it == definition.end()) return Status::InvalidArgument("group is required: a group id, \"#\" for all, or a list");
  std::vector<std::string> groups;
  if (it->is_string()) {
    groups.push_back(it->get<std::string>());
  } else if (it->is_array() && !it->empty()) {
    for (const json& g : *it) {
      if (!g.is_string()) return Status::InvalidArgument("group: each entry must be a string");
      groups.push_back(g.get<std::string>());
    }
  } else {
    return Status::InvalidArgument("group must be a string or a non-empty list of strings");
  }
  for (const std::string& group : groups) {
    if (group != "#" && !IsTopicLevel(group)) {
      return Status::InvalidArgument("group '" + group + "' must be \"#\" or one topic level without '/', '+', '#'");
    }
  }
  return groups;
}

Result<SparkplugOptions> ParseSparkplugOptions(const json& definition) {
  SparkplugOptions options;
  ZZ_ASSIGN_OR_RETURN(options.groups, ParseGroups(definition));
  if (auto it = definition.find("host_id"); it != definition.end()) {
    if (!it->is_string() || !IsTopicLevel(it->get<std::string>())) {
      return Status::InvalidArgument("host_id must be one topic level without '/', '+', '#'");
    }
    options.host_id = it->get<std::string>();
  }
  if (auto it = definition.find("tag_prefix"); it != definition.end()) {
    if (!it->is_string()) return Status::InvalidArgument("tag_prefix must be a string");
    options.host.tag_prefix = it->get<std::string>();
  }
  std::vector<std::string_view> levels = TopicLevels(options.host.tag_prefix);
  if (levels.size() > 3) return Status::InvalidArgument("tag_prefix has at most 3 levels (the ISA-95 asset levels are 6)");
  for (std::string_view level : levels) {
    ZZ_RETURN_IF_ERROR(catalog::ValidateName(level).WithContext("tag_prefix"));
  }
  if (auto it = definition.find("writable"); it != definition.end()) {
    if (!it->is_array()) return Status::InvalidArgument("writable must be a list of \"group/edge[/device]/metric\"");
    for (const json& w : *it) {
      if (!w.is_string()) return Status::InvalidArgument("writable: each entry must be a string");
      options.host.writable.insert(w.get<std::string>());
    }
  }
  if (auto it = definition.find("max_tags"); it != definition.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 10'000'000) {
      return Status::InvalidArgument("max_tags must be a whole number from 1 to 10000000");
    }
    options.max_tags = it->get<size_t>();
  }
  return options;
}

}  // namespace

Result<std::unique_ptr<Connector>> MakeSparkplugConnector(const json& definition, TagSink& sink) {
  if (!definition.is_object()) return Status::InvalidArgument("a sparkplug connector definition must be an object");
  auto name = definition.find("name");
  if (name == definition.end() || !name->is_string() || name->get<std::string>().empty()) {
    return Status::InvalidArgument("name is required");
  }
  ZZ_ASSIGN_OR_RETURN(SparkplugOptions options, ParseSparkplugOptions(definition));
  ZZ_ASSIGN_OR_RETURN(BrokerOptions broker, ParseBrokerOptions(definition, "zhizao-host-" + options.host_id));
  if (!broker.clean_session) {
    return Status::InvalidArgument("clean_session must be true: Sparkplug 3.0 requires a clean session of a host");
  }
  return std::unique_ptr<Connector>(
      std::make_unique<SparkplugConnector>(name->get<std::string>(), std::move(broker), std::move(options), sink));
}

}  // namespace zhizao::connect::mqtt
