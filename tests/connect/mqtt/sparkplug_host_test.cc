#include "connect/mqtt/internal/sparkplug_host.h"

#include <gtest/gtest.h>

#include "connect/mqtt/internal/sparkplug_names.h"
#include "connect/mqtt/sparkplug_b.pb.h"
#include "connect/recording_sink.h"
#include "sparkplug_test_payloads.h"

namespace zhizao::connect::mqtt {
namespace {

using testing::RecordingSink;

constexpr int64_t kNow = 1'700'000'001'000'000'000;

class SparkplugHostTest : public ::testing::Test {
 protected:
  SparkplugHostTest() : tags_(sink_, 1000), log_("test", std::chrono::seconds(60)), host_(Options(), tags_, stats_, log_) {}

  static HostOptions Options() {
    HostOptions options;
    options.writable = {"G/E/D/Setpoint"};
    return options;
  }

  // Hands one message to the host; returns the batch it made. Commands collect in commands_.
  Batch Send(const std::string& topic, const std::string& payload, int64_t received_ns = kNow) {
    Batch batch;
    host_.Handle({topic, payload, received_ns}, batch, commands_);
    if (!batch.empty()) {
      EXPECT_TRUE(sink_.Write(batch).ok());
    }
    return batch;
  }
  void BirthNodeAndDevice() {
    Send("spBv1.0/G/NBIRTH/E", PayloadBuilder(0).Long("bdSeq", 0, 7).Bool("Node Control/Rebirth", 0, false).Bytes());
    PayloadBuilder dbirth(1);
    dbirth.Double("Temperature", 1, 20.5).Int("Counter", 2, 5).Text("Status", 3, "RUN").Double("Setpoint", 4, 42);
    dbirth.Add("Recipe", 5, 19);  // a Template: not stored
    Send("spBv1.0/G/DBIRTH/E/D", dbirth.Bytes());
  }
  uint64_t errors() const { return stats_.Snapshot().errors; }

  RecordingSink sink_;
  TagRegistry tags_;
  ConnectorStats stats_;
  RateLimitedLog log_;
  SparkplugHost host_;
  std::vector<OutgoingCommand> commands_;
};

TEST_F(SparkplugHostTest, BirthMakesTagsOfMappedTypesWithTheirValues) {
  BirthNodeAndDevice();
  EXPECT_EQ(DataType::kFloat64, sink_.Spec("sparkplug/G/E/D/Temperature")->type);
  EXPECT_EQ(DataType::kInt64, sink_.Spec("sparkplug/G/E/D/Counter")->type);
  EXPECT_EQ(DataType::kString, sink_.Spec("sparkplug/G/E/D/Status")->type);
  EXPECT_TRUE(sink_.Spec("sparkplug/G/E/D/Setpoint")->writable);
  EXPECT_FALSE(sink_.Spec("sparkplug/G/E/D/Temperature")->writable);
  EXPECT_FALSE(sink_.Spec("sparkplug/G/E/D/Recipe"));  // Template: a counted note
  EXPECT_FALSE(sink_.Spec("sparkplug/G/E/bdSeq"));
  EXPECT_EQ(DataType::kBool, sink_.Spec("sparkplug/G/E/Node_Control/Rebirth")->type);
  EXPECT_EQ(1u, errors());
  auto temperature = sink_.SamplesOf("sparkplug/G/E/D/Temperature");
  ASSERT_EQ(1u, temperature.size());
  EXPECT_EQ(20.5, temperature[0].point.value.f64());
  EXPECT_EQ(1'700'000'000'000'000'000, temperature[0].point.ts_ns);
  EXPECT_TRUE(commands_.empty());
  std::optional<CommandTarget> target = host_.TargetOf("sparkplug/G/E/D/Setpoint");
  ASSERT_TRUE(target);
  EXPECT_EQ("spBv1.0/G/DCMD/E/D", target->topic);
  EXPECT_EQ("Setpoint", target->metric);
}

TEST_F(SparkplugHostTest, DataByAliasOnlyIsResolved) {
  BirthNodeAndDevice();
  PayloadBuilder data(2, 1'700'000'000'500);
  data.Double("", 1, 21.25).Int("", 2, 0xFFFFFFFF, 0);  // no names, no datatype: the BIRTH's
  Send("spBv1.0/G/DDATA/E/D", data.Bytes());
  auto temperature = sink_.SamplesOf("sparkplug/G/E/D/Temperature");
  ASSERT_EQ(2u, temperature.size());
  EXPECT_EQ(21.25, temperature[1].point.value.f64());
  auto counter = sink_.SamplesOf("sparkplug/G/E/D/Counter");
  ASSERT_EQ(2u, counter.size());
  EXPECT_EQ(-1, counter[1].point.value.i64());  // Int32 in two's complement
  EXPECT_TRUE(commands_.empty());
}

TEST_F(SparkplugHostTest, SeqGapRequestsRebirthOnceAndKeepsTheValues) {
  BirthNodeAndDevice();
  Send("spBv1.0/G/DDATA/E/D", PayloadBuilder(9).Double("", 1, 30).Bytes());
  Send("spBv1.0/G/DDATA/E/D", PayloadBuilder(20).Double("", 1, 31).Bytes(), kNow + 1'000'000);
  ASSERT_EQ(1u, commands_.size());  // the second gap falls inside the Rebirth interval
  EXPECT_EQ("spBv1.0/G/NCMD/E", commands_[0].topic);
  zhizao::sparkplug::Payload rebirth;
  ASSERT_TRUE(rebirth.ParseFromString(commands_[0].payload));
  ASSERT_EQ(1, rebirth.metrics_size());
  EXPECT_EQ("Node Control/Rebirth", rebirth.metrics(0).name());
  EXPECT_TRUE(rebirth.metrics(0).boolean_value());
  EXPECT_EQ(3u, errors());  // the Template note, and two gaps
  EXPECT_EQ(3u, sink_.SamplesOf("sparkplug/G/E/D/Temperature").size());
}

TEST_F(SparkplugHostTest, SeqWrapsFrom255ToZero) {
  Send("spBv1.0/G/NBIRTH/E", PayloadBuilder(254).Long("bdSeq", 0, 1).Double("X", 0, 1).Bytes());
  Send("spBv1.0/G/NDATA/E", PayloadBuilder(255).Double("X", 0, 2).Bytes());
  Send("spBv1.0/G/NDATA/E", PayloadBuilder(0).Double("X", 0, 3).Bytes());
  EXPECT_TRUE(commands_.empty());
  EXPECT_EQ(0u, errors());
  EXPECT_EQ(3u, sink_.SamplesOf("sparkplug/G/E/X").size());
}

TEST_F(SparkplugHostTest, DataBeforeBirthRequestsRebirthAndStoresNothing) {
  Send("spBv1.0/G/NDATA/Ghost", PayloadBuilder(3).Double("X", 0, 1).Bytes());
  ASSERT_EQ(1u, commands_.size());
  EXPECT_EQ("spBv1.0/G/NCMD/Ghost", commands_[0].topic);
  EXPECT_EQ(0u, sink_.sample_count());
  // A device that was never born, of a born node: also a Rebirth (after the interval).
  Send("spBv1.0/G/NBIRTH/E", PayloadBuilder(0).Long("bdSeq", 0, 1).Bytes());
  Send("spBv1.0/G/DDATA/E/Unborn", PayloadBuilder(1).Double("X", 0, 1).Bytes());
  EXPECT_EQ(2u, commands_.size());
}

TEST_F(SparkplugHostTest, NodeDeathWithItsBdSeqMarksEveryTagBadWithItsLastValue) {
  BirthNodeAndDevice();
  Send("spBv1.0/G/DDATA/E/D", PayloadBuilder(2).Double("", 1, 25).Bytes());
  Send("spBv1.0/G/NDEATH/E", PayloadBuilder(std::nullopt).Long("bdSeq", 0, 6).Bytes());  // an old session's will
  EXPECT_EQ(2u, sink_.SamplesOf("sparkplug/G/E/D/Temperature").size());
  Send("spBv1.0/G/NDEATH/E", PayloadBuilder(std::nullopt).Long("bdSeq", 0, 7).Bytes(), kNow + 5);
  auto temperature = sink_.SamplesOf("sparkplug/G/E/D/Temperature");
  ASSERT_EQ(3u, temperature.size());
  EXPECT_EQ(status_codes::kBadNoCommunication, temperature[2].point.status);
  EXPECT_EQ(25, temperature[2].point.value.f64());
  EXPECT_EQ(kNow + 5, temperature[2].point.ts_ns);
  EXPECT_EQ("RUN", sink_.SamplesOf("sparkplug/G/E/D/Status").back().text);
  EXPECT_EQ(status_codes::kBadNoCommunication, sink_.SamplesOf("sparkplug/G/E/Node_Control/Rebirth").back().point.status);
  // Dead now: its data asks for a Rebirth.
  Send("spBv1.0/G/DDATA/E/D", PayloadBuilder(3).Double("", 1, 26).Bytes());
  EXPECT_EQ(1u, commands_.size());
}

TEST_F(SparkplugHostTest, DeviceDeathAndNullValuesAreBadQuality) {
  BirthNodeAndDevice();
  Send("spBv1.0/G/DDATA/E/D", PayloadBuilder(2).Null("", 1).Bytes());
  auto temperature = sink_.SamplesOf("sparkplug/G/E/D/Temperature");
  ASSERT_EQ(2u, temperature.size());
  EXPECT_EQ(status_codes::kBad, temperature[1].point.status);
  EXPECT_EQ(20.5, temperature[1].point.value.f64());
  Send("spBv1.0/G/DDEATH/E/D", PayloadBuilder(3).Bytes());
  EXPECT_EQ(status_codes::kBadNoCommunication, sink_.SamplesOf("sparkplug/G/E/D/Counter").back().point.status);
  EXPECT_TRUE(commands_.empty());
}

TEST_F(SparkplugHostTest, GarbageAndOutOfRangeValuesAreCountedErrors) {
  BirthNodeAndDevice();
  uint64_t before = errors();
  Send("spBv1.0/G/DDATA/E/D", std::string("\xff\xff\xff\xff garbage", 12));
  EXPECT_EQ(before + 1, errors());
  EXPECT_EQ(1u, commands_.size());
  Send("spBv1.0/G/NBIRTH/E2", PayloadBuilder(0).Long("Big", 0, UINT64_MAX).Bytes());
  EXPECT_EQ(before + 2, errors());
  EXPECT_EQ(0u, sink_.SamplesOf("sparkplug/G/E2/Big").size());
  Send("spBv1.0/G/NOTATYPE/E", PayloadBuilder(0).Bytes());
  EXPECT_EQ(before + 3, errors());
}

TEST(SparkplugPayloadTest, SignedTypesAreTwosComplementOfTheirWidth) {
  RawValue raw{RawValue::Kind::kInt, 0xFF};
  EXPECT_EQ(MetricValue(int64_t{-1}), *InterpretValue(raw, sparkplug_type::kInt8));
  EXPECT_EQ(MetricValue(int64_t{255}), *InterpretValue(raw, sparkplug_type::kUInt8));
  EXPECT_EQ(MetricValue(int64_t{255}), *InterpretValue(raw, sparkplug_type::kInt16));
  raw.bits = 0x8000;
  EXPECT_EQ(MetricValue(int64_t{-32768}), *InterpretValue(raw, sparkplug_type::kInt16));
  EXPECT_FALSE(InterpretValue(RawValue{RawValue::Kind::kString}, sparkplug_type::kInt32).ok());
}

TEST(SparkplugPayloadTest, CommandsCarryTheBirthTypeAndRefuseOthers) {
  std::string bytes = *EncodeCommand("Setpoint", sparkplug_type::kFloat, WriteValue(int64_t{55}), 123);
  zhizao::sparkplug::Payload payload;
  ASSERT_TRUE(payload.ParseFromString(bytes));
  EXPECT_EQ(123u, payload.timestamp());
  EXPECT_EQ(9u, payload.metrics(0).datatype());
  EXPECT_EQ(55.0f, payload.metrics(0).float_value());
  EXPECT_FALSE(EncodeCommand("Mode", sparkplug_type::kBoolean, WriteValue(1.0), 0).ok());
  EXPECT_FALSE(EncodeCommand("Count", sparkplug_type::kInt32, WriteValue(1.5), 0).ok());
}

TEST(SparkplugNamesTest, MakesValidNamesAndFoldsDeepMetricNames) {
  EXPECT_EQ("Node_Control", CatalogName("Node Control"));
  EXPECT_EQ("_", CatalogName(""));
  EXPECT_EQ("_", CatalogName(".."));
  std::string long_name = CatalogName(std::string(100, 'a'));
  EXPECT_EQ(64u, long_name.size());
  EXPECT_NE(CatalogName(std::string(100, 'a')), CatalogName(std::string(101, 'a')));
  EXPECT_EQ("sparkplug/G/E/D/a/b/c.d", MetricTagPath("sparkplug", "G", "E", "D", "a/b/c/d"));
  EXPECT_EQ("sparkplug/G/E/a/b/c/d", MetricTagPath("sparkplug", "G", "E", "", "a/b/c/d"));
  EXPECT_EQ("site/area/sparkplug/G/E/D/a.b", MetricTagPath("site/area/sparkplug", "G", "E", "D", "a/b"));
  EXPECT_EQ("sparkplug/G/E/_/x", MetricTagPath("sparkplug", "G", "E", "", "/x"));
}

}  // namespace
}  // namespace zhizao::connect::mqtt
