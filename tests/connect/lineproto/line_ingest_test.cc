#include "connect/lineproto/line_ingest.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace zhizao::connect::lineproto {
namespace {

using catalog::SeriesIndex;

class LineIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("zz-line-ingest-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Open();
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }
  void Open() {
    catalog_ = std::move(catalog::Catalog::Open((dir_ / "catalog.db").string())).value();
    storage::EngineOptions options;
    options.dir = (dir_ / "history").string();
    options.fsync = storage::FsyncPolicy::kNone;
    options.metrics = &metrics_;
    engine_ = std::move(storage::Engine::Open(options)).value();
    ingest_ = std::make_unique<ingest::Ingest>(*catalog_, *engine_, metrics_);
    ASSERT_TRUE(ingest_->RefreshTags().ok());
    index_ = std::move(SeriesIndex::Load(*catalog_)).value();
    lines_ = std::make_unique<LineIngest>(*index_, *ingest_);
  }
  void Close() {
    lines_.reset();
    index_.reset();
    ingest_.reset();
    engine_.reset();
    catalog_.reset();
  }

  WriteOutcome Write(std::string_view body, SeriesPolicy policy = SeriesPolicy::kAuto) {
    return lines_->Write(body, {.database = "plant", .precision = Precision::kSecond,
                                .now_ns = 1'700'000'100'000'000'000, .policy = policy});
  }
  // The last sample of the tag at `path`.
  std::optional<storage::LastSample> Last(const std::string& path) {
    Result<catalog::Tag> tag = catalog_->FindTag(path);
    if (!tag.ok()) return std::nullopt;
    return *engine_->Last(tag->id);
  }

  std::filesystem::path dir_;
  MetricsRegistry metrics_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<storage::Engine> engine_;
  std::unique_ptr<ingest::Ingest> ingest_;
  std::unique_ptr<SeriesIndex> index_;
  std::unique_ptr<LineIngest> lines_;
};

TEST_F(LineIngestTest, MakesATagPerFieldTypedByItsFirstValueAndStoresThePoints) {
  WriteOutcome out = Write(
      "press,line=l1 temp=61.5,count=7i,ok=true,state=\"run\",big=5u 1700000000\n"
      "press,line=l1 temp=62.5,count=8i,ok=F,state=\"idle\",big=6u 1700000001\n");
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.points_stored, 10);
  EXPECT_EQ(Last("plant/press/line-l1/temp")->value.f64(), 62.5);
  EXPECT_EQ(Last("plant/press/line-l1/temp")->ts_ns, 1'700'000'001'000'000'000);
  EXPECT_EQ(Last("plant/press/line-l1/count")->value.i64(), 8);
  EXPECT_FALSE(Last("plant/press/line-l1/ok")->value.boolean());
  EXPECT_EQ(Last("plant/press/line-l1/state")->str, "idle");
  EXPECT_EQ(Last("plant/press/line-l1/big")->value.i64(), 6);
  EXPECT_EQ(catalog_->FindTag("plant/press/line-l1/count")->data_type, DataType::kInt64);
  EXPECT_EQ(catalog_->FindTag("plant/press/line-l1/state")->data_type, DataType::kString);
}

// New fields are made series by series; their types must still follow each field, whatever the
// order of the lines.
TEST_F(LineIngestTest, NewFieldsOfInterleavedSeriesKeepTheirTypes) {
  WriteOutcome out = Write(
      "m,d=a x=1 1700000000\n"
      "m,d=b y=2i 1700000000\n"
      "m,d=a z=true,x=3 1700000001\n"
      "m,d=b s=\"on\",y=4i 1700000001\n"
      "m,d=c x=5i,y=6 1700000001\n");
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.points_stored, 8);
  EXPECT_EQ(catalog_->FindTag("plant/m/d-a/x")->data_type, DataType::kFloat64);
  EXPECT_EQ(catalog_->FindTag("plant/m/d-a/z")->data_type, DataType::kBool);
  EXPECT_EQ(catalog_->FindTag("plant/m/d-b/y")->data_type, DataType::kInt64);
  EXPECT_EQ(catalog_->FindTag("plant/m/d-b/s")->data_type, DataType::kString);
  EXPECT_EQ(catalog_->FindTag("plant/m/d-c/x")->data_type, DataType::kInt64);
  EXPECT_EQ(catalog_->FindTag("plant/m/d-c/y")->data_type, DataType::kFloat64);
  EXPECT_EQ(Last("plant/m/d-a/x")->value.f64(), 3);
  EXPECT_TRUE(Last("plant/m/d-a/z")->value.boolean());
  EXPECT_EQ(Last("plant/m/d-b/y")->value.i64(), 4);
  EXPECT_EQ(Last("plant/m/d-b/s")->str, "on");
  EXPECT_EQ(Last("plant/m/d-c/x")->value.i64(), 5);
  EXPECT_EQ(Last("plant/m/d-c/y")->value.f64(), 6);
}

TEST_F(LineIngestTest, ALineWithoutTimestampTakesTheServersTime) {
  ASSERT_TRUE(Write("m v=1").status.ok());
  // Truncated to the precision, as InfluxDB does.
  EXPECT_EQ(Last("plant/m/v")->ts_ns, 1'700'000'100'000'000'000);
}

TEST_F(LineIngestTest, PartialWriteStoresGoodLinesAndNamesEachBadOne) {
  ASSERT_TRUE(Write("m,d=a v=1 1700000000").status.ok());
  WriteOutcome out = Write(
      "m,d=a v=2 1700000001\n"
      "m,d=a v=3i 1700000002\n"       // type conflict: integer into a float tag
      "garbage\n"                      // not line protocol
      "m,d=a v=4,w=18446744073709551615u 1700000003\n"  // beyond int64: the whole line is dropped
      "m,d=b v=5 1700000004\n");
  EXPECT_EQ(out.status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out.points_stored, 2);
  EXPECT_EQ(out.lines_rejected, 3);
  EXPECT_EQ(out.status.message(),
            "line 2: field type conflict: input field \"v\" on measurement \"m\" is type integer, already exists as "
            "type float\n"
            "line 3: unable to parse 'garbage': missing fields\n"
            "line 4: unsigned value 18446744073709551615 of field \"w\" is beyond the int64 range that zhizao stores");
  EXPECT_EQ(Last("plant/m/d-a/v")->value.f64(), 2);
  EXPECT_EQ(Last("plant/m/d-b/v")->value.f64(), 5);
  EXPECT_FALSE(catalog_->FindTag("plant/m/d-a/w").ok());
}

TEST_F(LineIngestTest, RejectPolicyRefusesNewFieldsAndStoresKnownOnes) {
  ASSERT_TRUE(Write("m,d=a v=1 1700000000").status.ok());
  WriteOutcome out = Write("m,d=a v=2 1700000001\nm,d=z v=3 1700000001\nm,d=a v=4,new=1 1700000002",
                           SeriesPolicy::kReject);
  EXPECT_EQ(out.points_stored, 1);
  EXPECT_EQ(out.lines_rejected, 2);
  EXPECT_NE(out.status.message().find("line 2: no tag for field \"v\" of series \"m,d=z\""), std::string::npos);
  EXPECT_EQ(Last("plant/m/d-a/v")->value.f64(), 2);
  EXPECT_EQ(*catalog_->TagCount(), 1u);
}

TEST_F(LineIngestTest, ManyErrorsAreCountedButOnlyTheFirstAreNamed) {
  std::string body;
  for (int i = 0; i < 150; ++i) body += "bad\n";
  WriteOutcome out = Write(body);
  EXPECT_EQ(out.lines_rejected, 150);
  EXPECT_NE(out.status.message().find("line 100: "), std::string::npos);
  EXPECT_EQ(out.status.message().find("line 101: "), std::string::npos);
  EXPECT_NE(out.status.message().find("... and 50 more errors"), std::string::npos);
}

TEST_F(LineIngestTest, SeriesAndPointsSurviveARestart) {
  ASSERT_TRUE(Write("plant,device=d1 temperature=20.5 1700000000\nplant,device=d2 temperature=21.5 1700000000")
                  .status.ok());
  size_t tags = *catalog_->TagCount();
  Close();
  Open();
  WriteOutcome out = Write("plant,device=d1 temperature=22.5 1700000001");
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(*catalog_->TagCount(), tags);
  EXPECT_EQ(Last("plant/plant/device-d1/temperature")->value.f64(), 22.5);
  EXPECT_EQ(Last("plant/plant/device-d2/temperature")->value.f64(), 21.5);
}

TEST_F(LineIngestTest, AnInvalidDatabaseNameIsAClearError) {
  WriteOutcome out = lines_->Write("m v=1 1", {.database = "no/slash", .precision = Precision::kSecond});
  EXPECT_EQ(out.status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(out.status.message().find("database name 'no/slash'"), std::string::npos);
  EXPECT_EQ(out.points_stored, 0);
}

}  // namespace
}  // namespace zhizao::connect::lineproto
