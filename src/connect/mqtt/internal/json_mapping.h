// Turns JSON MQTT messages into samples of catalog tags, by the subscriptions of an "mqtt"
// connector definition (docs/connectors/mqtt.md):
//
//   {"topic": "plant/+/temp", "tag": "site1/{1}/temp", "value": "$.value", "time": "$.ts",
//    "quality": "$.q", "type": "float64", "time_unit": "auto"}
//
// {n} in "tag" is the n-th wildcard's match (a '#' gives the rest of the topic). Every topic
// level that lands in a tag path must be a valid catalog name, or the message is refused.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/batch.h"
#include "common/status.h"
#include "connect/mqtt/internal/json_path.h"
#include "connect/mqtt/internal/topic_filter.h"

namespace zhizao::connect::mqtt {

// How a numeric "time" is read. kAuto goes by magnitude: below 1e11 seconds, below 1e14
// milliseconds, below 1e17 microseconds, else nanoseconds: unambiguous for 1973 to 5138.
enum class TimeUnit : uint8_t { kAuto, kSeconds, kMillis, kMicros, kNanos };

struct JsonSubscription {
  TopicFilter filter;
  std::string tag_template;
  JsonPath value;
  std::optional<JsonPath> time;
  std::optional<JsonPath> quality;
  DataType type = DataType::kFloat64;
  TimeUnit time_unit = TimeUnit::kAuto;
};

// Reads subscriptions[index] of a definition. InvalidArgument naming the field.
Result<JsonSubscription> ParseJsonSubscription(const nlohmann::json& definition, size_t index);

using SampleValue = std::variant<double, int64_t, bool, std::string>;

struct MappedSample {
  std::string tag_path;
  DataType type = DataType::kFloat64;
  SampleValue value;
  int64_t ts_ns = 0;
  uint32_t status = status_codes::kGood;
};

// Maps messages by every subscription that matches their topic. Immutable after construction;
// thread-compatible.
class JsonMapper {
 public:
  explicit JsonMapper(std::vector<JsonSubscription> subscriptions) : subscriptions_(std::move(subscriptions)) {}

  const std::vector<JsonSubscription>& subscriptions() const { return subscriptions_; }

  // Appends one sample per matching subscription to `out` and one reason per refusal to
  // `errors` (payload not JSON, value missing or of the wrong kind, bad time or quality,
  // a topic level that is no catalog name). `received_ns` is the time of samples without one.
  void Map(std::string_view topic, std::string_view payload, int64_t received_ns, std::vector<MappedSample>& out,
           std::vector<std::string>& errors) const;

 private:
  std::vector<JsonSubscription> subscriptions_;
};

// Exposed for tests: the tag path of `tag_template` with its {n} replaced by captures[n-1].
// InvalidArgument for a capture or a path level that is not a valid catalog name.
Result<std::string> ExpandTagTemplate(std::string_view tag_template, const std::vector<std::string_view>& captures);

}  // namespace zhizao::connect::mqtt
