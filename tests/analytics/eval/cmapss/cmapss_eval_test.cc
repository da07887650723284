#include "analytics/eval/cmapss/cmapss_eval.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analytics/eval/cmapss/cmapss_files.h"

namespace zhizao::analytics::eval::cmapss {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

TEST(CmapssScoreTest, RmseAndPhm08MatchHandWorkedNumbers) {
  const std::vector<double> predicted{10, 20, 30}, truth{20, 20, 20};
  EXPECT_NEAR(Rmse(predicted, truth), std::sqrt(200.0 / 3.0), 1e-12);  // 8.16497
  // d = -10 (early): e^(10/13) - 1 = 1.15811; d = 0: 0; d = +10 (late): e^1 - 1 = 1.71828.
  EXPECT_NEAR(Phm08Score(predicted, truth), 2.876387362, 1e-8);
}

TEST(CmapssScoreTest, Phm08PunishesLatePredictionsMoreThanEarlyOnes) {
  const std::vector<double> truth{50};
  EXPECT_GT(Phm08Score(std::vector<double>{70}, truth), Phm08Score(std::vector<double>{30}, truth));
  EXPECT_EQ(Phm08Score(truth, truth), 0.0);
}

class CmapssFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cmapss_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  static std::string Line(int unit, int cycle, int columns = 26) {
    std::ostringstream line;
    line << unit << " " << cycle;
    for (int c = 2; c < columns; ++c) line << " " << (c * 1.5 + cycle * 0.01);
    return line.str() + "  \n";  // trailing spaces, as in NASA's files
  }
  fs::path dir_;
};

TEST_F(CmapssFilesTest, ReadsRowsWithTrailingSpaces) {
  auto rows = ReadCmapssRows(Write("train_X.txt", Line(1, 1) + Line(1, 2) + "\n" + Line(2, 1)));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[2].unit, 2);
  EXPECT_EQ((*rows)[1].cycle, 2);
  EXPECT_EQ((*rows)[0].settings.size(), 3u);
  EXPECT_EQ((*rows)[0].sensors.size(), 21u);
  EXPECT_DOUBLE_EQ((*rows)[0].sensors[0], 5 * 1.5 + 0.01);
}

TEST_F(CmapssFilesTest, AWrongColumnCountNamesFileAndLine) {
  const std::string path = Write("train_X.txt", Line(1, 1) + Line(1, 2, 25));
  auto rows = ReadCmapssRows(path);
  EXPECT_EQ(rows.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(rows.status().message(), HasSubstr(path + ":2: expected 26 columns, found 25"));
}

TEST_F(CmapssFilesTest, NonNumbersNaNAndFractionalCyclesAreRefused) {
  EXPECT_THAT(ReadCmapssRows(Write("a.txt", "1 x" + Line(0, 0).substr(3))).status().message(), HasSubstr("'x'"));
  EXPECT_THAT(ReadCmapssRows(Write("b.txt", "1 1 nan" + Line(0, 0).substr(5))).status().message(),
              HasSubstr("not a finite number"));
  EXPECT_THAT(ReadCmapssRows(Write("c.txt", "1 1.5" + Line(0, 0).substr(3))).status().message(),
              HasSubstr("must be integers"));
  EXPECT_THAT(ReadCmapssRows(Write("d.txt", "\n\n")).status().message(), HasSubstr("no rows"));
  EXPECT_THAT(ReadCmapssRul(Write("e.txt", "12\n7 8\n")).status().message(), HasSubstr(":2: expected 1 column"));
}

TEST_F(CmapssFilesTest, EvaluationReportsMissingFilesAndBadSubsets) {
  CmapssEvalOptions options{.data_dir = dir_.string(), .subset = "FD009"};
  EXPECT_EQ(EvaluateCmapss(options).status().code(), StatusCode::kNotFound);
  options.subset = "../etc";
  EXPECT_EQ(EvaluateCmapss(options).status().code(), StatusCode::kInvalidArgument);
  std::ostringstream out;
  EXPECT_EQ(RunCmapssEval(options, out), 1);
  EXPECT_THAT(out.str(), HasSubstr("invalid subset name"));
}

TEST_F(CmapssFilesTest, TooFewTrainingUnitsIsAClearError) {
  std::string train;
  for (int c = 1; c <= 40; ++c) train += Line(1, c);
  Write("train_S.txt", train);
  Write("test_S.txt", train);
  Write("RUL_S.txt", "10\n");
  auto scores = EvaluateCmapss({.data_dir = dir_.string(), .subset = "S"});
  EXPECT_EQ(scores.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(scores.status().message(), HasSubstr("cannot train on train_S: cannot train on 1 units"));
}

// Measured with the default options (docs/analytics/cmapss.md).
constexpr double kDocumentedFd001Rmse = 11.46;
constexpr double kDocumentedFd001Phm08 = 218.5;

std::string SharedData() {
  const char* env = std::getenv("ZZ_SHARED_DATA");
  return env != nullptr ? env : std::string(ZHIZAO_SOURCE_DIR) + "/../shared/data";
}

// The shipped configuration on the real FD001 data; the numbers are what docs/analytics/cmapss.md
// reports (training is deterministic, so only float formatting noise is allowed).
TEST(CmapssRealDataTest, Fd001MatchesTheDocumentedScore) {
  const std::string dir = SharedData() + "/cmapss";
  if (!fs::exists(dir + "/train_FD001.txt")) GTEST_SKIP() << "C-MAPSS data not found in " << dir << " (set ZZ_SHARED_DATA)";
  auto scores = EvaluateCmapss({.data_dir = dir, .subset = "FD001"});
  ASSERT_TRUE(scores.ok()) << scores.status().ToString();
  EXPECT_EQ(scores->units, 100u);
  EXPECT_NEAR(scores->rmse, kDocumentedFd001Rmse, 0.05);
  EXPECT_NEAR(scores->phm08, kDocumentedFd001Phm08, 2.0);
}

}  // namespace
}  // namespace zhizao::analytics::eval::cmapss
