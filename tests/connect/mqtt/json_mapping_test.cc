#include "connect/mqtt/internal/json_mapping.h"

#include <gtest/gtest.h>

#include "connect/mqtt/internal/json_path.h"
#include "connect/mqtt/internal/topic_filter.h"

namespace zhizao::connect::mqtt {
namespace {

using nlohmann::json;

TEST(TopicFilterTest, CapturesPlusLevelsAndTheRestOfHash) {
  TopicFilter filter = *TopicFilter::Parse("plant/+/+/temp");
  auto captures = filter.Match("plant/line1/press2/temp");
  ASSERT_TRUE(captures);
  EXPECT_EQ((std::vector<std::string_view>{"line1", "press2"}), *captures);
  EXPECT_FALSE(filter.Match("plant/line1/temp"));
  EXPECT_FALSE(filter.Match("plant/line1/press2/temp/x"));

  TopicFilter rest = *TopicFilter::Parse("dev/#");
  EXPECT_EQ((std::vector<std::string_view>{"a/b/c"}), *rest.Match("dev/a/b/c"));
  EXPECT_EQ((std::vector<std::string_view>{""}), *rest.Match("dev"));
  EXPECT_FALSE(rest.Match("other/a"));
  EXPECT_FALSE(TopicFilter::Parse("#")->Match("$SYS/broker/load"));
}

TEST(TopicFilterTest, RefusesMalformedFilters) {
  EXPECT_FALSE(TopicFilter::Parse("").ok());
  EXPECT_FALSE(TopicFilter::Parse("a/b+/c").ok());
  EXPECT_FALSE(TopicFilter::Parse("a/#/c").ok());
  EXPECT_FALSE(TopicFilter::Parse("a/x#").ok());
}

TEST(JsonPathTest, FindsNamesIndexesAndQuotedNames) {
  json doc = json::parse(R"({"a": {"b": [10, {"c": 7}]}, "x.y": 3})");
  EXPECT_EQ(7, *JsonPath::Parse("$.a.b[1].c")->Find(doc));
  EXPECT_EQ(10, *JsonPath::Parse("$.a.b[0]")->Find(doc));
  EXPECT_EQ(3, *JsonPath::Parse("$['x.y']")->Find(doc));
  EXPECT_EQ(doc, *JsonPath::Parse("$")->Find(doc));
  EXPECT_EQ(nullptr, JsonPath::Parse("$.a.b[5]")->Find(doc));
  EXPECT_EQ(nullptr, JsonPath::Parse("$.a.b.c")->Find(doc));
  for (const char* bad : {"a.b", "$.", "$[x]", "$[1", "$['a'", "$..a", "$.a b[", "$[99999999999]"}) {
    EXPECT_FALSE(JsonPath::Parse(bad).ok()) << bad;
  }
}

JsonMapper Mapper(const json& subscription) {
  return JsonMapper({*ParseJsonSubscription(subscription, 0)});
}

TEST(JsonMappingTest, MapsValueTimeAndQualityByPath) {
  JsonMapper mapper = Mapper({{"topic", "plant/+/temp"}, {"tag", "site1/{1}/temp"}, {"value", "$.value"},
                              {"time", "$.ts"}, {"quality", "$.q"}});
  std::vector<MappedSample> out;
  std::vector<std::string> errors;
  mapper.Map("plant/line1/temp", R"({"value": 21.5, "ts": 1700000000123, "q": "uncertain"})", 5, out, errors);
  ASSERT_EQ(1u, out.size()) << (errors.empty() ? "" : errors[0]);
  EXPECT_EQ("site1/line1/temp", out[0].tag_path);
  EXPECT_EQ(21.5, std::get<double>(out[0].value));
  EXPECT_EQ(1'700'000'000'123'000'000, out[0].ts_ns);
  EXPECT_EQ(status_codes::kUncertain, out[0].status);
}

TEST(JsonMappingTest, TellsTimeUnitsByMagnitudeAndReadsRfc3339) {
  JsonMapper mapper = Mapper({{"topic", "t/+"}, {"tag", "a/{1}"}, {"value", "$.v"}, {"time", "$.t"}});
  const int64_t expected = 1'700'000'000'000'000'000;
  for (const char* payload : {R"({"v":1,"t":1700000000})", R"({"v":1,"t":1700000000000})",
                              R"({"v":1,"t":1700000000000000})", R"({"v":1,"t":1700000000000000000})",
                              R"({"v":1,"t":"2023-11-14T22:13:20Z"})"}) {
    std::vector<MappedSample> out;
    std::vector<std::string> errors;
    mapper.Map("t/x", payload, 0, out, errors);
    ASSERT_EQ(1u, out.size()) << payload;
    EXPECT_EQ(expected, out[0].ts_ns) << payload;
  }
  std::vector<MappedSample> out;
  std::vector<std::string> errors;
  mapper.Map("t/x", R"({"v": 1})", 42, out, errors);  // no time: the time of receipt
  ASSERT_EQ(1u, out.size());
  EXPECT_EQ(42, out[0].ts_ns);
}

TEST(JsonMappingTest, HashCaptureGivesTheRestOfTheTopic) {
  JsonMapper mapper = Mapper({{"topic", "dev/#"}, {"tag", "site1/{1}"}, {"type", "int64"}});
  std::vector<MappedSample> out;
  std::vector<std::string> errors;
  mapper.Map("dev/line2/counter", "17", 0, out, errors);  // a bare number; value "$" by default
  ASSERT_EQ(1u, out.size());
  EXPECT_EQ("site1/line2/counter", out[0].tag_path);
  EXPECT_EQ(17, std::get<int64_t>(out[0].value));
}

TEST(JsonMappingTest, RefusesBadPayloadsWithAReason) {
  JsonMapper mapper = Mapper({{"topic", "plant/+/temp"}, {"tag", "site1/{1}/temp"}, {"value", "$.value"},
                              {"time", "$.ts"}, {"type", "float64"}});
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"plant/l1/temp", "not json"},
      {"plant/l1/temp", R"({"other": 1})"},
      {"plant/l1/temp", R"({"value": "warm"})"},
      {"plant/l1/temp", R"({"value": 1, "ts": "yesterday"})"},
      {"plant/l1/temp", R"({"value": 1, "ts": 1e300})"},
      {"plant/bad level/temp", R"({"value": 1})"},
      {"plant/" + std::string(65, 'x') + "/temp", R"({"value": 1})"},
  };
  for (const auto& [topic, payload] : bad) {
    std::vector<MappedSample> out;
    std::vector<std::string> errors;
    mapper.Map(topic, payload, 0, out, errors);
    EXPECT_TRUE(out.empty()) << payload;
    EXPECT_EQ(1u, errors.size()) << payload;
  }
}

TEST(JsonMappingTest, ConvertsToEachDataType) {
  auto one = [](const char* type, const char* payload) {
    JsonMapper mapper = Mapper({{"topic", "t"}, {"tag", "a/b"}, {"type", type}});
    std::vector<MappedSample> out;
    std::vector<std::string> errors;
    mapper.Map("t", payload, 0, out, errors);
    return out.empty() ? std::optional<SampleValue>() : out[0].value;
  };
  EXPECT_EQ(SampleValue(2.5), *one("float64", "\"2.5\""));
  EXPECT_EQ(SampleValue(int64_t{3}), *one("int64", "3.0"));
  EXPECT_FALSE(one("int64", "3.5"));
  EXPECT_FALSE(one("int64", "18446744073709551615"));
  EXPECT_EQ(SampleValue(true), *one("bool", "1"));
  EXPECT_EQ(SampleValue(std::string("x")), *one("string", "\"x\""));
  EXPECT_EQ(SampleValue(std::string("4")), *one("string", "4"));
}

TEST(JsonMappingTest, DefinitionErrorsNameTheField) {
  auto error = [](const json& sub) { return ParseJsonSubscription(sub, 2).status().message(); };
  EXPECT_NE(std::string::npos, error({{"tag", "a/b"}}).find("subscriptions[2].topic"));
  EXPECT_NE(std::string::npos, error({{"topic", "t/+"}, {"tag", "a/{2}"}}).find("subscriptions[2].tag"));
  EXPECT_NE(std::string::npos, error({{"topic", "t"}, {"tag", "a b/c"}}).find("subscriptions[2].tag"));
  EXPECT_NE(std::string::npos, error({{"topic", "t"}, {"tag", "ab"}}).find("subscriptions[2].tag"));
  EXPECT_NE(std::string::npos, error({{"topic", "t"}, {"tag", "a/b"}, {"value", "x"}}).find("subscriptions[2].value"));
  EXPECT_NE(std::string::npos, error({{"topic", "t"}, {"tag", "a/b"}, {"type", "float"}}).find("subscriptions[2].type"));
  EXPECT_NE(std::string::npos,
            error({{"topic", "t"}, {"tag", "a/b"}, {"time_unit", "h"}}).find("subscriptions[2].time_unit"));
}

}  // namespace
}  // namespace zhizao::connect::mqtt
