// Replays the MQTT fuzz targets on mutated seeds in every build (the clang build runs the
// real fuzzers: sparkplug_fuzz, mqtt_json_fuzz).
#include <gtest/gtest.h>

#include "fuzz_replay.h"
#include "mqtt_fuzz_targets.h"
#include "sparkplug_test_payloads.h"

namespace zhizao::connect::mqtt {
namespace {

// A record of FuzzSparkplug's stream: topic selector, length / 4, payload padded to it.
std::string Record(uint8_t topic, std::string payload) {
  payload.resize((payload.size() + 3) / 4 * 4, '\0');
  return std::string(1, static_cast<char>(topic)) + static_cast<char>(payload.size() / 4) + payload;
}

auto Feed(void (*target)(const uint8_t*, size_t)) {
  return [target](const std::string& input) { target(reinterpret_cast<const uint8_t*>(input.data()), input.size()); };
}

TEST(MqttFuzzTest, SparkplugSurvivesMutatedStreams) {
  std::string birth = PayloadBuilder(0).Long("bdSeq", 0, 1).Double("X", 1, 2).Bytes();
  std::string dbirth = PayloadBuilder(1).Double("T", 1, 2).Int("C", 2, 3).Text("S", 3, "s").Bytes();
  std::string ddata = PayloadBuilder(2).Double("", 1, 5).Int("", 2, 7, 0).Null("", 3).Bytes();
  std::string death = PayloadBuilder(std::nullopt).Long("bdSeq", 0, 1).Bytes();
  std::vector<std::string> seeds = {birth, ddata, Record(0, birth) + Record(1, dbirth) + Record(3, ddata) + Record(4, death),
                                    Record(3, ddata) + Record(1, dbirth)};
  fuzz_replay::Mutated(seeds, std::string("\x08\x10\x18\x20\x12\x0a\x50\x58\x69\x00\xff", 11), 20'000, Feed(FuzzSparkplug));
  fuzz_replay::Random(std::string("\x00\x01\x02\x03\x08\x10\x12\x0a", 8), 5'000, Feed(FuzzSparkplug));
}

TEST(MqttFuzzTest, JsonMappingSurvivesMutatedMessages) {
  std::vector<std::string> seeds = {
      "plant/l1/temp\n{\"value\": 21.5, \"ts\": 1700000000123, \"q\": \"bad\"}",
      "dev/a/b\n{\"t\": 1700000000000}",
      "x/y/z\n{\"v\": [{\"x\": true}]}",
      "s/q\n{\"a.b\": \"text\", \"t\": \"2023-11-14T22:13:20.5+08:00\"}",
      "$.a[0]['b']\n{\"a\": [{\"b\": 1}]}",
  };
  fuzz_replay::Mutated(seeds, "{}[]\":,.$+#/\\0123456789eE-tfn", 20'000, Feed(FuzzMqttJson));
  fuzz_replay::Random("{}[]\":,.$+#/\\0123456789eE-tfnu\n", 5'000, Feed(FuzzMqttJson));
}

}  // namespace
}  // namespace zhizao::connect::mqtt
