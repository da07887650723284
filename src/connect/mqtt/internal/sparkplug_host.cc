#include "connect/mqtt/internal/sparkplug_host.h"

#include <spdlog/spdlog.h>

#include <limits>

#include "connect/mqtt/internal/sparkplug_names.h"

namespace zhizao::connect::mqtt {
namespace {

constexpr std::string_view kRebirthMetric = "Node Control/Rebirth";
constexpr uint64_t kMaxTimestampMs = uint64_t{std::numeric_limits<int64_t>::max()} / 1'000'000;

std::optional<uint64_t> BdSeqOf(const DecodedPayload& payload) {
  for (const DecodedMetric& m : payload.metrics) {
    if (m.name == "bdSeq" && (m.value.kind == RawValue::Kind::kLong || m.value.kind == RawValue::Kind::kInt)) {
      return m.value.bits;
    }
  }
  return std::nullopt;
}

MetricValue ZeroOf(uint32_t sparkplug_type) {
  switch (CatalogTypeOf(sparkplug_type).value_or(DataType::kFloat64)) {
    case DataType::kInt64: return int64_t{0};
    case DataType::kBool: return false;
    case DataType::kString: return std::string();
    case DataType::kFloat64: break;
  }
  return 0.0;
}

}  // namespace

struct SparkplugHost::Context {
  const SparkplugTopic& topic;
  const DecodedPayload& payload;
  int64_t received_ns;
  Batch& batch;
  std::vector<OutgoingCommand>& commands;
  const std::string& where;  // the message's topic, for errors

  int64_t TimeOf(const DecodedMetric& metric) const {
    std::optional<uint64_t> ms = metric.timestamp_ms ? metric.timestamp_ms : payload.timestamp_ms;
    if (!ms || *ms > kMaxTimestampMs) return received_ns;
    return static_cast<int64_t>(*ms) * 1'000'000;
  }
};

void SparkplugHost::Handle(const InboundMessage& message, Batch& batch, std::vector<OutgoingCommand>& commands) {
  std::optional<SparkplugTopic> topic = ParseSparkplugTopic(message.topic);
  if (!topic) return Refuse("topic '" + message.topic + "' is not a Sparkplug B topic");
  // STATE and commands are other applications' traffic: nothing to store.
  if (topic->type == SparkplugType::kState || topic->type == SparkplugType::kNCmd ||
      topic->type == SparkplugType::kDCmd) {
    return;
  }
  NodeState* node = NodeFor(*topic);
  if (node == nullptr) {
    return Refuse(message.topic + ": not tracked, already " + std::to_string(options_.max_nodes) + " edge nodes");
  }
  Result<DecodedPayload> payload = DecodePayload(message.payload);
  DecodedPayload empty;
  Context ctx{*topic, payload.ok() ? *payload : empty, message.received_ns, batch, commands, message.topic};
  if (!payload.ok()) {
    Refuse(message.topic + ": " + payload.status().message());
    if (topic->type != SparkplugType::kNDeath && topic->type != SparkplugType::kDDeath) {
      RequestRebirth(ctx, *node, "a payload could not be decoded");
    }
    return;
  }
  if (topic->type == SparkplugType::kNBirth) {
    if (!ctx.payload.seq || *ctx.payload.seq > 255) {
      Refuse(message.topic + ": NBIRTH without a seq from 0 to 255");
      return RequestRebirth(ctx, *node, "an NBIRTH had no valid seq");
    }
    node->next_seq = static_cast<int>((*ctx.payload.seq + 1) % 256);
    node->bd_seq = BdSeqOf(ctx.payload);
    node->devices.clear();  // each device must be born again after its node
    node->born = true;
    node->node = MetricSet();
    return Birth(ctx, node->node);
  }
  if (topic->type == SparkplugType::kNDeath) return NodeDeath(ctx, *node);
  if (!node->born) {
    Refuse(message.topic + ": no NBIRTH of this edge node came first");
    return RequestRebirth(ctx, *node, "data arrived before its NBIRTH");
  }
  CheckSeq(ctx, *node);
  if (topic->type == SparkplugType::kNData) return Data(ctx, *node, node->node);
  auto device = node->devices.find(topic->device);
  if (topic->type == SparkplugType::kDBirth) {
    if (device == node->devices.end() && node->devices.size() >= options_.max_devices_per_node) {
      return Refuse(message.topic + ": not tracked, the node already has " + std::to_string(options_.max_devices_per_node) +
                    " devices");
    }
    MetricSet& set = node->devices[std::string(topic->device)];
    set = MetricSet();
    return Birth(ctx, set);
  }
  if (device == node->devices.end() || !device->second.online) {
    if (topic->type == SparkplugType::kDDeath) return;  // already dead, or never born: nothing to mark
    Refuse(message.topic + ": no DBIRTH of this device came first");
    return RequestRebirth(ctx, *node, "device data arrived before its DBIRTH");
  }
  if (topic->type == SparkplugType::kDDeath) return MarkStale(device->second, ctx.received_ns, batch);
  Data(ctx, *node, device->second);
}

void SparkplugHost::Birth(Context& ctx, MetricSet& set) {
  set.online = true;
  const SparkplugTopic& topic = ctx.topic;
  const std::string node_id = std::string(topic.group) + "/" + std::string(topic.edge) +
                              (topic.device.empty() ? "" : "/" + std::string(topic.device));
  std::vector<TagSpec> specs;
  std::vector<size_t> spec_metric;  // index into set.metrics
  std::vector<const DecodedMetric*> sources;
  for (const DecodedMetric& m : ctx.payload.metrics) {
    if (!m.name || !m.datatype) {
      Refuse(ctx.where + ": a BIRTH metric without a name or datatype is ignored");
      continue;
    }
    if (topic.type == SparkplugType::kNBirth && *m.name == "bdSeq") continue;
    size_t index = set.metrics.size();
    set.metrics.push_back({*m.name, *m.datatype, 0, std::nullopt});
    set.by_name[*m.name] = index;
    if (m.alias) set.by_alias[*m.alias] = index;
    std::optional<DataType> type = CatalogTypeOf(*m.datatype);
    if (!type) {
      // Kept, without a tag, so that its DATA is known and skipped without a Rebirth.
      Refuse(ctx.where + ": metric '" + *m.name + "' of type " + SparkplugTypeName(*m.datatype) + " is not stored");
      continue;
    }
    specs.push_back({.path = MetricTagPath(options_.tag_prefix, topic.group, topic.edge, topic.device, *m.name),
                     .type = *type,
                     .writable = options_.writable.count(node_id + "/" + *m.name) > 0,
                     .description = "Sparkplug B metric '" + *m.name + "' of " + node_id});
    spec_metric.push_back(index);
    sources.push_back(&m);
  }
  std::vector<std::string> errors;
  std::vector<TagId> ids = tags_.Ensure(specs, /*recheck=*/true, errors);
  for (const std::string& error : errors) Refuse(ctx.where + ": " + error);
  const std::string command_topic = CommandTopic(topic.group, topic.edge, topic.device);
  for (size_t k = 0; k < specs.size(); ++k) {
    if (ids[k] == 0) continue;
    MetricState& state = set.metrics[spec_metric[k]];
    state.tag = ids[k];
    {
      std::lock_guard lock(targets_mu_);
      targets_[specs[k].path] = {command_topic, state.name, state.sparkplug_type};
    }
    if (sources[k]->is_null || sources[k]->value.kind != RawValue::Kind::kNone) {
      StoreValue(ctx, state, *sources[k]);
    }
  }
}

void SparkplugHost::StoreValue(Context& ctx, MetricState& state, const DecodedMetric& metric) {
  const int64_t ts_ns = ctx.TimeOf(metric);
  if (metric.is_null) {
    return AddSample(ctx.batch, state.tag, ts_ns, state.last.value_or(ZeroOf(state.sparkplug_type)), status_codes::kBad);
  }
  Result<MetricValue> value = InterpretValue(metric.value, state.sparkplug_type);
  if (!value.ok()) return Refuse(ctx.where + ": metric '" + state.name + "': " + value.status().message());
  state.last = *value;
  AddSample(ctx.batch, state.tag, ts_ns, *value, status_codes::kGood);
}

void SparkplugHost::Data(Context& ctx, NodeState& node, MetricSet& set) {
  bool unknown = false;
  for (const DecodedMetric& m : ctx.payload.metrics) {
    size_t index = SIZE_MAX;
    if (m.alias) {
      if (auto it = set.by_alias.find(*m.alias); it != set.by_alias.end()) index = it->second;
    } else if (m.name) {
      if (auto it = set.by_name.find(*m.name); it != set.by_name.end()) index = it->second;
    }
    if (index == SIZE_MAX) {
      Refuse(ctx.where + ": metric " + (m.alias ? "alias " + std::to_string(*m.alias) : "'" + m.name.value_or("") + "'") +
             " is not in the BIRTH");
      unknown = true;
      continue;
    }
    MetricState& state = set.metrics[index];
    if (state.tag == 0) continue;  // not stored: said so at the BIRTH
    StoreValue(ctx, state, m);
  }
  if (unknown) RequestRebirth(ctx, node, "a metric was not in the BIRTH");
}

void SparkplugHost::NodeDeath(Context& ctx, NodeState& node) {
  std::optional<uint64_t> bd_seq = BdSeqOf(ctx.payload);
  if (node.born && node.bd_seq && bd_seq && *bd_seq != *node.bd_seq) {
    // The will of an earlier session, delivered late: this node lives on.
    spdlog::debug("connector {}: {} with bdSeq {} ignored: the NBIRTH had bdSeq {}", log_.connector(), ctx.where,
                  *bd_seq, *node.bd_seq);
    return;
  }
  if (!node.born) return;
  MarkStale(node.node, ctx.received_ns, ctx.batch);
  for (auto& [device, set] : node.devices) MarkStale(set, ctx.received_ns, ctx.batch);
  node.born = false;
  node.next_seq = -1;
}

void SparkplugHost::MarkStale(MetricSet& set, int64_t ts_ns, Batch& batch) {
  if (!set.online) return;
  for (const MetricState& state : set.metrics) {
    if (state.tag == 0) continue;
    AddSample(batch, state.tag, ts_ns, state.last.value_or(ZeroOf(state.sparkplug_type)), status_codes::kBadNoCommunication);
  }
  set.online = false;
}

void SparkplugHost::MarkAllStale(int64_t now_ns, Batch& batch) {
  for (auto& [id, node] : nodes_) {
    if (!node.born) continue;
    MarkStale(node.node, now_ns, batch);
    for (auto& [device, set] : node.devices) MarkStale(set, now_ns, batch);
    node.born = false;
    node.next_seq = -1;
  }
}

void SparkplugHost::CheckSeq(Context& ctx, NodeState& node) {
  if (!ctx.payload.seq || *ctx.payload.seq > 255) {
    Refuse(ctx.where + ": no seq from 0 to 255");
    return RequestRebirth(ctx, node, "a message had no valid seq");
  }
  const int seq = static_cast<int>(*ctx.payload.seq);
  const int expected = node.next_seq;
  node.next_seq = (seq + 1) % 256;
  if (expected < 0 || seq == expected) return;
  Refuse(ctx.where + ": seq " + std::to_string(seq) + " where " + std::to_string(expected) + " was due");
  RequestRebirth(ctx, node, "a seq gap");
}

void SparkplugHost::RequestRebirth(Context& ctx, NodeState& node, const std::string& reason) {
  if (node.rebirth_requested && ctx.received_ns - node.last_rebirth_ns < options_.rebirth_interval_ns) return;
  node.rebirth_requested = true;
  node.last_rebirth_ns = ctx.received_ns;
  uint64_t now_ms = ctx.received_ns > 0 ? static_cast<uint64_t>(ctx.received_ns / 1'000'000) : 0;
  Result<std::string> payload = EncodeCommand(kRebirthMetric, sparkplug_type::kBoolean, true, now_ms);
  if (!payload.ok()) return Refuse("cannot encode a Rebirth request: " + payload.status().message());
  ctx.commands.push_back({CommandTopic(ctx.topic.group, ctx.topic.edge, ""), std::move(*payload)});
  spdlog::info("connector {}: requesting a Rebirth of {}/{}: {}", log_.connector(), ctx.topic.group, ctx.topic.edge,
               reason);
}

SparkplugHost::NodeState* SparkplugHost::NodeFor(const SparkplugTopic& topic) {
  std::string key = std::string(topic.group) + "/" + std::string(topic.edge);
  auto it = nodes_.find(key);
  if (it != nodes_.end()) return &it->second;
  if (nodes_.size() >= options_.max_nodes) return nullptr;
  return &nodes_[key];
}

void SparkplugHost::Refuse(const std::string& reason) {
  log_.Warn(reason);
  stats_.RecordError(reason);
}

void SparkplugHost::AddSample(Batch& batch, TagId tag, int64_t ts_ns, const MetricValue& value, uint32_t status) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, double>) batch.AddFloat64(tag, ts_ns, v, status);
        if constexpr (std::is_same_v<T, int64_t>) batch.AddInt64(tag, ts_ns, v, status);
        if constexpr (std::is_same_v<T, bool>) batch.AddBool(tag, ts_ns, v, status);
        if constexpr (std::is_same_v<T, std::string>) batch.AddString(tag, ts_ns, v, status);
      },
      value);
}

std::optional<CommandTarget> SparkplugHost::TargetOf(const std::string& tag_path) const {
  std::lock_guard lock(targets_mu_);
  auto it = targets_.find(tag_path);
  if (it == targets_.end()) return std::nullopt;
  return it->second;
}

}  // namespace zhizao::connect::mqtt
