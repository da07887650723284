// Save/Load: round trip, and refusal of corrupt, truncated or other-version blobs.
#include <gtest/gtest.h>

#include "analytics/multivariate/model.h"
#include "common/crc32c.h"
#include "test_data.h"

namespace zhizao::analytics::multivariate {
namespace {

Model Trained(Method method) {
  auto model = Model::Train(testing::LatentProcess(600, 5, 0.6, 7), testing::Names(5),
                            {.method = method, .lags = 2, .threshold = ThresholdRule::kCrossValidated});
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  return *model;
}

TEST(PersistenceTest, RoundTripKeepsEveryScoreAndTheBytes) {
  const RowMatrix live = testing::LatentProcess(100, 5, 0.6, 8);
  for (Method method : {Method::kPca, Method::kDynamicPca, Method::kCva}) {
    const Model model = Trained(method);
    const std::string blob = model.Save();
    auto loaded = Model::Load(blob);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(loaded->Save(), blob);
    EXPECT_EQ(loaded->method(), method);
    EXPECT_EQ(loaded->variable_names(), model.variable_names());
    EXPECT_EQ(loaded->threshold_scale(), model.threshold_scale());
    auto a = model.ScoreRange(live), b = loaded->ScoreRange(live);
    ASSERT_TRUE(a.ok() && b.ok());
    for (size_t r = 0; r < live.rows; ++r) {
      EXPECT_EQ((*a)[r].statistics, (*b)[r].statistics);
      EXPECT_EQ((*a)[r].ratio, (*b)[r].ratio);
    }
  }
}

TEST(PersistenceTest, EveryTruncationIsRefused) {
  const std::string blob = Trained(Method::kCva).Save();
  for (size_t size = 0; size < blob.size(); size += 1 + size / 16) {
    auto loaded = Model::Load(std::string_view(blob).substr(0, size));
    EXPECT_FALSE(loaded.ok()) << size;
  }
}

TEST(PersistenceTest, AFlippedBitIsACorruption) {
  const std::string blob = Trained(Method::kPca).Save();
  for (size_t at = 4; at < blob.size(); at += 7) {
    std::string bad = blob;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    auto loaded = Model::Load(bad);
    ASSERT_FALSE(loaded.ok()) << at;
  }
  std::string bad = blob;
  bad[blob.size() / 2] ^= 1;
  EXPECT_EQ(Model::Load(bad).status().code(), StatusCode::kCorruption);
  EXPECT_NE(Model::Load(bad).status().message().find("checksum"), std::string::npos);
}

TEST(PersistenceTest, AnotherVersionIsRefusedByName) {
  std::string blob = Trained(Method::kPca).Save();
  blob[4] = 2;  // version field, then a valid checksum so that only the version differs
  const uint32_t crc = crc32c::Value(std::string_view(blob).substr(0, blob.size() - 4));
  for (int i = 0; i < 4; ++i) blob[blob.size() - 4 + static_cast<size_t>(i)] = static_cast<char>((crc >> (8 * i)) & 0xff);
  auto loaded = Model::Load(blob);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("version 2"), std::string::npos) << loaded.status().message();
}

TEST(PersistenceTest, OtherBytesAreNotAModel) {
  EXPECT_EQ(Model::Load("not a model at all, just some text").status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(Model::Load("").ok());
}

}  // namespace
}  // namespace zhizao::analytics::multivariate
