#include "connect/modbus/modbus_definition.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace zhizao::connect::modbus {
namespace {

using nlohmann::json;

json IssueExample() {
  return json::parse(R"({"name": "press-1", "type": "modbus", "endpoint": "tcp://127.0.0.1:1502", "unit": 1,
    "poll_ms": 100, "timeout_ms": 1000,
    "tags": [{"tag": "site1/line1/press1/counter", "register": "HR0", "type": "uint16"},
             {"tag": "site1/line1/press1/temp", "register": "HR2", "type": "float32", "order": "ABCD",
              "scale": 1.0, "offset": 0.0, "unit": "degC"},
             {"tag": "site1/line1/press1/setpoint", "register": "HR10", "type": "uint16", "writable": true,
              "min": 0, "max": 1000, "group": "fast"},
             {"tag": "site1/line1/press1/run", "register": "C3"}],
    "groups": [{"name": "fast", "poll_ms": 50, "deadline_ms": 40}]})");
}

// The message of the error that parsing `definition` with `field` set to `value` gives.
std::string ErrorWith(const json::json_pointer& field, json value) {
  json definition = IssueExample();
  definition[field] = std::move(value);
  Result<ModbusDefinition> parsed = ParseModbusDefinition(definition);
  EXPECT_FALSE(parsed.ok()) << field.to_string();
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  return parsed.status().message();
}

TEST(ModbusDefinitionTest, ParsesTheIssueExample) {
  Result<ModbusDefinition> parsed = ParseModbusDefinition(IssueExample());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const ModbusDefinition& d = *parsed;
  EXPECT_EQ(d.name, "press-1");
  EXPECT_EQ(d.host, "127.0.0.1");
  EXPECT_EQ(d.port, 1502);
  EXPECT_EQ(d.timeout.count(), 1000);
  ASSERT_EQ(d.groups.size(), 2u);
  EXPECT_EQ(d.groups[0].period.count(), 100);
  EXPECT_EQ(d.groups[0].deadline.count(), 100);
  EXPECT_EQ(d.groups[1].deadline.count(), 40);
  ASSERT_EQ(d.tags.size(), 4u);
  EXPECT_EQ(d.tags[1].codec.type, ValueType::kFloat32);
  EXPECT_EQ(d.tags[1].unit, "degC");
  EXPECT_EQ(d.tags[1].width(), 2);
  EXPECT_TRUE(d.tags[2].writable);
  EXPECT_EQ(*d.tags[2].max, 1000);
  EXPECT_EQ(d.GroupOf(d.tags[2]).period.count(), 50);
  EXPECT_EQ(d.tags[3].kind, RegisterKind::kCoil);
  EXPECT_EQ(d.tags[3].codec.type, ValueType::kBool);
}

TEST(ModbusDefinitionTest, ReadsEndpointForms) {
  json definition = IssueExample();
  definition["endpoint"] = "tcp://[::1]:1502";
  EXPECT_EQ(ParseModbusDefinition(definition)->host, "::1");
  definition["endpoint"] = "tcp://plc-7.plant";
  EXPECT_EQ(ParseModbusDefinition(definition)->port, 502);
  for (const char* bad : {"http://x:1", "tcp://", "tcp://x:0", "tcp://x:70000", "tcp://x:", "tcp://[::1", "tcp://a b:1"}) {
    definition["endpoint"] = bad;
    EXPECT_FALSE(ParseModbusDefinition(definition).ok()) << bad;
  }
}

TEST(ModbusDefinitionTest, NamesTheFieldOfEachMistake) {
  EXPECT_NE(ErrorWith("/tags/0/register"_json_pointer, "XR1").find("tags[0].register"), std::string::npos);
  EXPECT_NE(ErrorWith("/tags/0/register"_json_pointer, "HR70000").find("tags[0].register"), std::string::npos);
  EXPECT_NE(ErrorWith("/tags/0/register"_json_pointer, "HR-1").find("tags[0].register"), std::string::npos);
  EXPECT_NE(ErrorWith("/tags/0/type"_json_pointer, "bool").find("tags[0].type"), std::string::npos);
  EXPECT_NE(ErrorWith("/tags/3/type"_json_pointer, "float32").find("tags[3].type"), std::string::npos);
  EXPECT_NE(ErrorWith("/tags/1/order"_json_pointer, "ABDC").find("tags[1].order"), std::string::npos);
  EXPECT_NE(ErrorWith("/tags/1/scale"_json_pointer, 0).find("tags[1].scale"), std::string::npos);
  EXPECT_NE(ErrorWith("/tags/1/scale"_json_pointer, "2").find("tags[1].scale"), std::string::npos);
  EXPECT_NE(ErrorWith("/tags/2/group"_json_pointer, "slow").find("tags[2].group"), std::string::npos);
  EXPECT_NE(ErrorWith("/tags/2/min"_json_pointer, 2000).find("tags[2].min"), std::string::npos);
  EXPECT_NE(ErrorWith("/tags/1/register"_json_pointer, "HR65535").find("past address 65535"), std::string::npos);
  EXPECT_NE(ErrorWith("/tags/0/scal"_json_pointer, 2).find("tags[0].scal"), std::string::npos);
  EXPECT_NE(ErrorWith("/tags/1/tag"_json_pointer, "site1/line1/press1/counter").find("twice"), std::string::npos);
  EXPECT_NE(ErrorWith("/unit"_json_pointer, 300).find("unit"), std::string::npos);
  EXPECT_NE(ErrorWith("/unit"_json_pointer, 250).find("unit: must be 0 to 247, or 255"), std::string::npos);
  EXPECT_NE(ErrorWith("/poll_ms"_json_pointer, 5).find("poll_ms"), std::string::npos);
  EXPECT_NE(ErrorWith("/timeout_ms"_json_pointer, 1.5).find("timeout_ms"), std::string::npos);
  EXPECT_NE(ErrorWith("/groups/0/deadline_ms"_json_pointer, 60).find("groups[0].deadline_ms"), std::string::npos);
  EXPECT_NE(ErrorWith("/groups/1"_json_pointer, json{{"name", "fast"}, {"poll_ms", 10}}).find("twice"),
            std::string::npos);
  EXPECT_NE(ErrorWith("/tags"_json_pointer, json::array()).find("tags"), std::string::npos);
  EXPECT_NE(ErrorWith("/tags/0"_json_pointer, 7).find("tags[0]"), std::string::npos);
}

TEST(ModbusDefinitionTest, WritesOnlyHoldingRegistersAndCoils) {
  json definition = IssueExample();
  definition["tags"][0]["register"] = "IR0";
  definition["tags"][0]["writable"] = true;
  Result<ModbusDefinition> parsed = ParseModbusDefinition(definition);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("tags[0].writable"), std::string::npos);
}

TEST(ModbusDefinitionTest, RefusesWhatIsNotAnObject) {
  EXPECT_FALSE(ParseModbusDefinition(json::array()).ok());
  EXPECT_FALSE(ParseModbusDefinition(json("modbus")).ok());
  EXPECT_FALSE(ParseModbusDefinition(json::object()).ok());
}

}  // namespace
}  // namespace zhizao::connect::modbus
