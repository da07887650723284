// Bad input to Train, Predict and Load: each a clear error, never a crash or a silent score.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <limits>

#include "analytics/rul/model_blob.h"
#include "analytics/rul/rul_model.h"
#include "common/crc32c.h"
#include "synthetic_fleet.h"

namespace zhizao::analytics::rul {
namespace {

using ::testing::HasSubstr;

// No long window and no health index: what a version 1 blob can hold.
TrainOptions Tiny() {
  return {.window = 10, .recent = 3, .baseline = 5, .long_window = 0, .health_index = false, .ensemble = 1, .rounds = 10};
}

class RulModelErrorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto trained = Model::Train(testing::MakeFleet({.units = 4}), Tiny());
    ASSERT_TRUE(trained.ok()) << trained.status().ToString();
    model_ = new Model(std::move(trained).value());
    blob_ = new std::string(*model_->Save());
  }
  static void TearDownTestSuite() { delete model_, delete blob_; }
  static Model* model_;
  static std::string* blob_;
};
Model* RulModelErrorsTest::model_ = nullptr;
std::string* RulModelErrorsTest::blob_ = nullptr;

void ExpectInvalid(const Status& status, const char* words) {
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr(words));
}

TEST_F(RulModelErrorsTest, TooFewUnitsIsRefused) {
  ExpectInvalid(Model::Train(testing::MakeFleet({.units = 2}), Tiny()).status(), "at least 3");
  ExpectInvalid(Model::Train({}, Tiny()).status(), "no rows");
}

TEST_F(RulModelErrorsTest, AUnitShorterThanTheWindowIsRefusedNamingIt) {
  auto rows = testing::MakeFleet({.units = 4});
  rows.push_back({.unit = 77, .cycle = 1, .settings = rows[0].settings, .sensors = rows[0].sensors});
  ExpectInvalid(Model::Train(rows, Tiny()).status(), "unit 77 has 1 cycles");
  std::vector<Row> short_history(rows.begin(), rows.begin() + 5);
  ExpectInvalid(model_->Predict(short_history).status(), "at least 10");
}

TEST_F(RulModelErrorsTest, NaNIsRefusedNamingUnitAndCycle) {
  auto rows = testing::MakeFleet({.units = 4});
  rows[3].sensors[1] = std::numeric_limits<double>::quiet_NaN();
  ExpectInvalid(Model::Train(rows, Tiny()).status(), "unit 1 cycle 4");
  ExpectInvalid(model_->PredictLastPerUnit(rows).status(), "NaN");
}

TEST_F(RulModelErrorsTest, RowsOfOtherWidthsAreRefused) {
  auto rows = testing::MakeFleet({.units = 4});
  rows[9].sensors.pop_back();
  ExpectInvalid(Model::Train(rows, Tiny()).status(), "expected 2 and 3");
  for (auto& row : rows) row.sensors.resize(2);
  ExpectInvalid(model_->PredictLastPerUnit(rows).status(), "expected 2 and 3");
}

TEST_F(RulModelErrorsTest, RepeatedCyclesAndMixedUnitsAreRefused) {
  auto rows = testing::MakeFleet({.units = 4});
  rows[1].cycle = rows[0].cycle;
  ExpectInvalid(Model::Train(rows, Tiny()).status(), "more than once");
  auto two_units = testing::MakeFleet({.units = 2});
  ExpectInvalid(model_->Predict(two_units).status(), "one unit");
}

TEST_F(RulModelErrorsTest, MissingLabelsAndBadOptionsAreRefused) {
  TrainOptions options = Tiny();
  options.target = Target::kLabel;
  ExpectInvalid(Model::Train(testing::MakeFleet({.units = 4}), options).status(), "no finite label");
  options = Tiny();
  options.baseline = 50;
  ExpectInvalid(Model::Train(testing::MakeFleet({.units = 4}), options).status(), "baseline");
  options = Tiny();
  options.nthread = 8;
  ExpectInvalid(Model::Train(testing::MakeFleet({.units = 4}), options).status(), "nthread");
  options = Tiny();
  options.smooth = 0;
  ExpectInvalid(Model::Train(testing::MakeFleet({.units = 4}), options).status(), "smooth");
  options = Tiny();
  options.cap_spread = options.rul_cap;  // the lowest member cap would be 0
  ExpectInvalid(Model::Train(testing::MakeFleet({.units = 4}), options).status(), "cap_spread");
  options.cap_spread = -1;
  ExpectInvalid(Model::Train(testing::MakeFleet({.units = 4}), options).status(), "cap_spread");
  options = Tiny();
  options.long_window = -5;
  ExpectInvalid(Model::Train(testing::MakeFleet({.units = 4}), options).status(), "long_window");
}

void ExpectCorrupt(std::string_view blob, const char* words) {
  auto loaded = Model::Load(blob);
  EXPECT_EQ(loaded.status().code(), StatusCode::kCorruption) << loaded.status().ToString();
  EXPECT_THAT(loaded.status().message(), HasSubstr(words));
}

TEST_F(RulModelErrorsTest, LoadRefusesTruncatedBlobs) {
  ExpectCorrupt("", "truncated");
  ExpectCorrupt(std::string_view(*blob_).substr(0, blob_->size() - 1), "truncated");
  ExpectCorrupt(std::string_view(*blob_).substr(0, 30), "truncated");
}

TEST_F(RulModelErrorsTest, LoadRefusesFlippedBytesAndForeignInput) {
  for (size_t at : {size_t{30}, blob_->size() / 2, blob_->size() - 5}) {
    std::string corrupt = *blob_;
    corrupt[at] = static_cast<char>(corrupt[at] ^ 0x10);
    ExpectCorrupt(corrupt, "checksum");
  }
  ExpectCorrupt(std::string(100, 'x'), "bad magic");
}

TEST_F(RulModelErrorsTest, LoadRefusesAnotherFormatVersionSayingWhich) {
  std::string other = *blob_;
  const uint32_t version = 4;
  std::memcpy(other.data() + sizeof(kModelBlobMagic), &version, sizeof(version));
  const uint32_t crc = crc32c::Value(other.data(), other.size() - 4);  // a well-formed future blob
  std::memcpy(other.data() + other.size() - 4, &crc, sizeof(crc));
  ExpectCorrupt(other, "format version 4; this build reads versions 1 to 3");
}

TEST_F(RulModelErrorsTest, LoadReadsAVersion2BlobAsAModelWithoutHealthIndex) {
  auto contents = DecodeModelBlob(*blob_);
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(contents->version, 3u);
  contents->version = 2;  // Tiny() has one member, so no index, which version 2 implies
  const std::string old = EncodeModelBlob(*contents);
  EXPECT_EQ(old.size(), blob_->size() - 5);  // version 3 added a u32 index size and a u8 per member
  auto loaded = Model::Load(old);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const auto rows = testing::MakeFleet({.units = 2, .first_unit = 30, .seed = 5});
  auto before = model_->PredictLastPerUnit(rows);
  auto after = loaded->PredictLastPerUnit(rows);
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ((*before)[1].value, (*after)[1].value);
  EXPECT_EQ(*loaded->Save(), *blob_);  // saved again in the current version
}

TEST_F(RulModelErrorsTest, LoadRefusesAMemberFlaggedForAnIndexTheBlobLacksOrAMisfitIndex) {
  auto contents = DecodeModelBlob(*blob_);
  ASSERT_TRUE(contents.ok());
  contents->reads_index[0] = 1;
  ExpectCorrupt(EncodeModelBlob(*contents), "health-index flag");
  contents->reads_index[0] = 0;
  contents->health_index = {.mean = {0, 0}, .scale = {1, 1}, .coef = {1, 2}, .intercept = 0, .lower = 0, .upper = 9};
  ExpectCorrupt(EncodeModelBlob(*contents), "health index has 2 coefficients");
}

TEST_F(RulModelErrorsTest, LoadReadsAVersion1BlobAsNoLongWindowAndNoSmoothing) {
  auto contents = DecodeModelBlob(*blob_);
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(contents->version, 3u);
  contents->version = 1;  // Tiny() has long_window 0 and smooth 1, which version 1 implies
  const std::string old = EncodeModelBlob(*contents);
  EXPECT_EQ(old.size(), blob_->size() - 13);  // version 2 added two i32, version 3 five bytes
  auto loaded = Model::Load(old);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->info().long_window, 0);
  EXPECT_EQ(loaded->info().smooth, 1);
  const auto rows = testing::MakeFleet({.units = 2, .first_unit = 30, .seed = 5});
  auto before = model_->PredictLastPerUnit(rows);
  auto after = loaded->PredictLastPerUnit(rows);
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ((*before)[1].value, (*after)[1].value);
}

TEST_F(RulModelErrorsTest, LoadRefusesOutOfRangeSmoothingOrLongWindow) {
  auto contents = DecodeModelBlob(*blob_);
  ASSERT_TRUE(contents.ok());
  contents->smooth = 0;
  ExpectCorrupt(EncodeModelBlob(*contents), "invalid options");
  contents->smooth = 1;
  contents->features.long_window = -1;
  ExpectCorrupt(EncodeModelBlob(*contents), "invalid options");
}

TEST_F(RulModelErrorsTest, LoadRefusesAnXgboostMemberItCannotRead) {
  auto contents = DecodeModelBlob(*blob_);
  ASSERT_TRUE(contents.ok());
  contents->members[0] = "not an xgboost model";
  ExpectCorrupt(EncodeModelBlob(*contents), "member 0");
}

}  // namespace
}  // namespace zhizao::analytics::rul
