#include "mqtt_fuzz_targets.h"

#include <spdlog/spdlog.h>

#include <array>
#include <string>
#include <string_view>

#include "connect/mqtt/internal/json_mapping.h"
#include "connect/mqtt/internal/sparkplug_host.h"
#include "connect/recording_sink.h"

namespace zhizao::connect::mqtt {
namespace {

using testing::RecordingSink;

constexpr std::array<std::string_view, 10> kTopics = {
    "spBv1.0/G/NBIRTH/E",   "spBv1.0/G/DBIRTH/E/D", "spBv1.0/G/NDATA/E", "spBv1.0/G/DDATA/E/D",
    "spBv1.0/G/NDEATH/E",   "spBv1.0/G/DDEATH/E/D", "spBv1.0/STATE/h",   "spBv1.0/G/DBIRTH/E/D2",
    "spBv1.0/G/DDATA/E/D2", "not/sparkplug"};

void QuietLogs() {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;
}

}  // namespace

void FuzzSparkplug(const uint8_t* data, size_t size) {
  QuietLogs();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)DecodePayload(input);

  RecordingSink sink;
  TagRegistry tags(sink, 64);
  ConnectorStats stats;
  RateLimitedLog log("fuzz", std::chrono::seconds(3600));
  HostOptions options;
  options.max_nodes = 4;
  options.max_devices_per_node = 4;
  SparkplugHost host(options, tags, stats, log);
  std::vector<OutgoingCommand> commands;
  int64_t now_ns = 1'700'000'000'000'000'000;
  while (input.size() >= 2) {
    std::string_view topic = kTopics[static_cast<uint8_t>(input[0]) % kTopics.size()];
    size_t length = std::min<size_t>(static_cast<uint8_t>(input[1]) * 4u, input.size() - 2);
    InboundMessage message{std::string(topic), std::string(input.substr(2, length)), now_ns};
    input.remove_prefix(2 + length);
    Batch batch;
    host.Handle(message, batch, commands);
    if (!batch.empty()) (void)sink.Write(batch);
    now_ns += 1'000'000'000;
  }
  Batch stale;
  host.MarkAllStale(now_ns, stale);
}

void FuzzMqttJson(const uint8_t* data, size_t size) {
  QuietLogs();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view topic = input.substr(0, newline);
  std::string_view payload = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  if (Result<TopicFilter> filter = TopicFilter::Parse(topic); filter.ok()) (void)filter->Match(topic);
  if (Result<JsonPath> path = JsonPath::Parse(topic); path.ok()) (void)path->Find(nlohmann::json::parse(payload, nullptr, false));

  static const JsonMapper* mapper = [] {
    using nlohmann::json;
    std::vector<json> definitions = {
        {{"topic", "plant/+/temp"}, {"tag", "site1/{1}/temp"}, {"value", "$.value"}, {"time", "$.ts"}, {"quality", "$.q"}},
        {{"topic", "dev/#"}, {"tag", "site1/{1}"}, {"type", "int64"}, {"time", "$.t"}, {"time_unit", "ms"}},
        {{"topic", "+/+/+"}, {"tag", "a/{1}-{2}/{3}"}, {"value", "$.v[0].x"}, {"type", "bool"}},
        {{"topic", "s/#"}, {"tag", "b/{1}"}, {"value", "$['a.b']"}, {"type", "string"}, {"time", "$.t"}},
    };
    std::vector<JsonSubscription> subscriptions;
    for (size_t i = 0; i < definitions.size(); ++i) subscriptions.push_back(*ParseJsonSubscription(definitions[i], i));
    return new JsonMapper(std::move(subscriptions));
  }();
  std::vector<MappedSample> out;
  std::vector<std::string> errors;
  mapper->Map(topic, payload, 0, out, errors);
}

}  // namespace zhizao::connect::mqtt
