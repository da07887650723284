#include "connect/modbus/poll_plan.h"

#include <gtest/gtest.h>

namespace zhizao::connect::modbus {
namespace {

ModbusTagDefinition Tag(RegisterKind kind, uint16_t address, ValueType type, std::string group = "") {
  ModbusTagDefinition tag;
  tag.path = std::string(RegisterKindPrefix(kind)) + std::to_string(address) + "/" + group;
  tag.kind = kind;
  tag.address = address;
  tag.codec.type = type;
  tag.group = std::move(group);
  return tag;
}

ModbusDefinition Definition(std::vector<ModbusTagDefinition> tags) {
  ModbusDefinition definition;
  definition.groups = {{"", std::chrono::milliseconds(100), std::chrono::milliseconds(100)},
                       {"fast", std::chrono::milliseconds(50), std::chrono::milliseconds(40)}};
  definition.tags = std::move(tags);
  return definition;
}

TEST(PollPlanTest, MergesContiguousRegistersIntoOneRequest) {
  auto plans = PlanPolls(Definition({Tag(RegisterKind::kHolding, 2, ValueType::kFloat32),
                                     Tag(RegisterKind::kHolding, 0, ValueType::kUint16),
                                     Tag(RegisterKind::kHolding, 1, ValueType::kInt16)}));
  ASSERT_EQ(plans.size(), 1u);
  ASSERT_EQ(plans[0].requests.size(), 1u);
  const ReadRequest& request = plans[0].requests[0];
  EXPECT_EQ(request.address, 0);
  EXPECT_EQ(request.count, 4);
  ASSERT_EQ(request.slots.size(), 3u);
  EXPECT_EQ(request.slots[0].tag_index, 1u);
  EXPECT_EQ(request.slots[2].offset, 2);
}

TEST(PollPlanTest, MergesAcrossAGapOfAtMostMergeGap) {
  ModbusDefinition near = Definition({Tag(RegisterKind::kHolding, 0, ValueType::kUint16),
                                      Tag(RegisterKind::kHolding, 5, ValueType::kUint16)});
  EXPECT_EQ(PlanPolls(near)[0].requests.size(), 1u);  // a hole of 4 registers
  ModbusDefinition far = Definition({Tag(RegisterKind::kHolding, 0, ValueType::kUint16),
                                     Tag(RegisterKind::kHolding, 6, ValueType::kUint16)});
  EXPECT_EQ(PlanPolls(far)[0].requests.size(), 2u);
  far.merge_gap = 0;
  near.merge_gap = 0;
  EXPECT_EQ(PlanPolls(near)[0].requests.size(), 2u);
}

TEST(PollPlanTest, SplitsAtTheProtocolLimitWithoutCuttingAValue) {
  std::vector<ModbusTagDefinition> tags;
  for (uint16_t a = 0; a < 124; ++a) tags.push_back(Tag(RegisterKind::kHolding, a, ValueType::kUint16));
  tags.push_back(Tag(RegisterKind::kHolding, 124, ValueType::kFloat32));  // would end at 126
  auto plans = PlanPolls(Definition(tags));
  ASSERT_EQ(plans[0].requests.size(), 2u);
  EXPECT_EQ(plans[0].requests[0].count, 124);
  EXPECT_EQ(plans[0].requests[1].address, 124);
  EXPECT_EQ(plans[0].requests[1].count, 2);
}

TEST(PollPlanTest, ReadsAtMost125RegistersOr2000BitsPerRequest) {
  std::vector<ModbusTagDefinition> tags;
  for (uint16_t a = 0; a < 300; ++a) tags.push_back(Tag(RegisterKind::kInput, a, ValueType::kUint16));
  for (uint16_t a = 0; a < 2500; ++a) tags.push_back(Tag(RegisterKind::kDiscreteInput, a, ValueType::kBool));
  auto plans = PlanPolls(Definition(tags));
  ASSERT_EQ(plans.size(), 1u);
  std::vector<int> counts;
  for (const ReadRequest& r : plans[0].requests) counts.push_back(r.count);
  EXPECT_EQ(counts, (std::vector<int>{2000, 500, 125, 125, 50}));
}

TEST(PollPlanTest, HonoursADevicesSmallerLimit) {
  std::vector<ModbusTagDefinition> tags;
  for (uint16_t a = 0; a < 20; ++a) tags.push_back(Tag(RegisterKind::kHolding, a, ValueType::kUint16));
  ModbusDefinition definition = Definition(tags);
  definition.max_registers = 8;
  auto plans = PlanPolls(definition);
  ASSERT_EQ(plans[0].requests.size(), 3u);
  EXPECT_EQ(plans[0].requests[2].count, 4);
}

TEST(PollPlanTest, KeepsTablesAndGroupsApart) {
  auto plans = PlanPolls(Definition({Tag(RegisterKind::kHolding, 0, ValueType::kUint16),
                                     Tag(RegisterKind::kInput, 1, ValueType::kUint16),
                                     Tag(RegisterKind::kHolding, 1, ValueType::kUint16, "fast"),
                                     Tag(RegisterKind::kCoil, 0, ValueType::kBool)}));
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0].requests.size(), 3u);
  EXPECT_EQ(plans[1].period.count(), 50);
  EXPECT_EQ(plans[1].deadline.count(), 40);
  ASSERT_EQ(plans[1].requests.size(), 1u);
  EXPECT_EQ(plans[1].requests[0].slots[0].tag_index, 2u);
}

TEST(PollPlanTest, OverlappingTagsShareTheRequest) {
  auto plans = PlanPolls(Definition({Tag(RegisterKind::kHolding, 0, ValueType::kUint32),
                                     Tag(RegisterKind::kHolding, 1, ValueType::kUint16)}));
  ASSERT_EQ(plans[0].requests.size(), 1u);
  EXPECT_EQ(plans[0].requests[0].count, 2);
}

}  // namespace
}  // namespace zhizao::connect::modbus
