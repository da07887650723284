// The Tennessee Eastman benchmark on the real data (skipped, visibly, when the data are absent),
// and the loader on small hand-made files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "analytics/eval/tep/tep_eval.h"

namespace zhizao::analytics::eval::tep {
namespace {

std::string TepDir() {
  const char* shared = std::getenv("ZZ_SHARED_DATA");
  return std::string(shared ? shared : ZZ_DEFAULT_SHARED_DATA) + "/tep";
}

class TepEvalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(TepDir() + "/d21_te.dat")) return;
    auto data = LoadTep(TepDir());
    ASSERT_TRUE(data.ok()) << data.status().ToString();
    auto results = EvaluateTep(*data, DefaultDetectors());
    ASSERT_TRUE(results.ok()) << results.status().ToString();
    results_ = new TepResults(std::move(results).value());
  }
  static void TearDownTestSuite() { delete results_; }
  void SetUp() override {
    if (results_ == nullptr) GTEST_SKIP() << "Tennessee Eastman data not found in " << TepDir() << " (set ZZ_SHARED_DATA)";
  }
  static inline TepResults* results_ = nullptr;
};

TEST_F(TepEvalTest, ReproducesYinPcaRowToTheDecimal) {
  // Yin et al. 2012, PCA T²∨SPE, faults 1–15 and FAR (../shared/data/tep/README.md).
  const double published[] = {99.88, 98.75, 12.88, 100, 33.63, 100, 100, 98.0, 8.38, 60.5, 78.88, 99.13, 95.38, 100, 14.13};
  const DetectorRates& yin = results_->yin_reproduced;
  for (int f = 1; f <= 15; ++f) EXPECT_NEAR(yin.fdr[static_cast<size_t>(f)], published[f - 1], 0.0051) << "fault " << f;
  EXPECT_NEAR(yin.far, 6.13, 0.0051);
  EXPECT_NEAR(yin.mean_fdr, 81.3, 0.05);
}

TEST_F(TepEvalTest, RocPointHasFortyNineNormalAlarms) {
  for (const DetectorRates& r : results_->at_roc_point) EXPECT_DOUBLE_EQ(r.far, 100.0 * 49 / 800) << r.name;
}

// Measured with tep_tool (docs/analytics/tep.md); the computation is deterministic.
TEST_F(TepEvalTest, DynamicDetectorsReachTheirMeasuredMeanFdr) {
  ASSERT_EQ(results_->at_roc_point.size(), 4u);
  EXPECT_NEAR(results_->at_roc_point[0].mean_fdr, 81.271, 0.001);
  EXPECT_NEAR(results_->at_roc_point[1].mean_fdr, 87.882, 0.001);
  EXPECT_NEAR(results_->at_roc_point[2].mean_fdr, 95.792, 0.001);
  EXPECT_GE(results_->at_roc_point[2].mean_fdr, 93.0) << "issue 6 target at FAR 6.1 %";
  // MEWMA smoothing of the CVA window loses the oscillating faults (14, 19): worse, kept as evidence.
  EXPECT_NEAR(results_->at_roc_point[3].mean_fdr, 89.451, 0.001);
}

TEST_F(TepEvalTest, DeployableCvaKeepsItsFalseAlarmRate) {
  const DetectorRates& cva = results_->deployable[2];
  EXPECT_NEAR(cva.far, 1.25, 1e-9);
  EXPECT_NEAR(cva.mean_fdr, 94.701, 0.001);
  // The theoretical limits of the same model alarm far more often on normal data.
  EXPECT_GT(results_->theoretical[2].far, 10.0);
}

TEST(TepDataTest, TransposesTheTrainingFileAndRefusesMalformedRows) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "zz_tep_data_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream wide(dir / "wide.dat");
    for (int r = 0; r < 52; ++r) wide << r << ' ' << r + 0.5 << ' ' << r + 0.25 << " 1\n";
    std::ofstream bad(dir / "bad.dat");
    bad << "1 2 3\n4 5\n";
  }
  auto wide = LoadTepFile((dir / "wide.dat").string());
  ASSERT_FALSE(wide.ok()) << "4 columns of 52 rows is not wide enough to be d00.dat";
  auto bad = LoadTepFile((dir / "bad.dat").string());
  EXPECT_NE(bad.status().message().find("row 2 is malformed"), std::string::npos) << bad.status().message();
  EXPECT_EQ(LoadTepFile((dir / "missing.dat").string()).status().code(), StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace zhizao::analytics::eval::tep
