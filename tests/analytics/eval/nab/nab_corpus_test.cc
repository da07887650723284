#include "analytics/eval/nab/nab_corpus.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace zhizao::analytics::eval::nab {
namespace {

namespace fs = std::filesystem;

TEST(NabCorpus, ParsesTimestampsAsUtc) {
  EXPECT_EQ(*ParseNabTimestamp("1970-01-02 00:00:01"), 86401'000'000'000LL);
  EXPECT_EQ(*ParseNabTimestamp("2014-02-19 10:50:00.000000"), 1392807000'000'000'000LL);
  EXPECT_EQ(*ParseNabTimestamp("1970-01-01 00:00:00.5"), 500'000'000LL);
  EXPECT_FALSE(ParseNabTimestamp("2014-02-19T10:50:00").ok());
  EXPECT_FALSE(ParseNabTimestamp("2014-13-01 00:00:00").ok());
  EXPECT_FALSE(ParseNabTimestamp("").ok());
}

class TinyCorpus : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("nab_corpus_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "data" / "cat");
    fs::create_directories(dir_ / "labels");
    std::ofstream(dir_ / "data" / "cat" / "a.csv") << "timestamp,value\n"
                                                     "2020-01-01 00:00:00,1\n2020-01-01 00:05:00,2\n"
                                                     "2020-01-01 00:10:00,3\n2020-01-01 00:15:00,4\n";
    std::ofstream(dir_ / "labels" / "combined_windows.json")
        << R"({"cat/a.csv": [["2020-01-01 00:04:00.000000", "2020-01-01 00:10:00.000000"]]})";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(TinyCorpus, WindowsBecomeInclusiveRowRanges) {
  auto files = LoadNabCorpus(dir_.string());
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 1u);
  const NabFile& f = (*files)[0];
  EXPECT_EQ(f.name, "cat/a.csv");
  EXPECT_EQ(f.values, (std::vector<double>{1, 2, 3, 4}));
  ASSERT_EQ(f.windows.size(), 1u);
  EXPECT_EQ(f.windows[0].first, 1u);
  EXPECT_EQ(f.windows[0].last, 2u);
}

TEST_F(TinyCorpus, MissingSeriesIsNotFound) {
  std::ofstream(dir_ / "labels" / "combined_windows.json") << R"({"cat/missing.csv": []})";
  auto files = LoadNabCorpus(dir_.string());
  EXPECT_EQ(files.status().code(), StatusCode::kNotFound);
}

TEST_F(TinyCorpus, MalformedRowIsCorruption) {
  std::ofstream(dir_ / "data" / "cat" / "a.csv") << "timestamp,value\n2020-01-01 00:00:00;1\n";
  EXPECT_EQ(LoadNabCorpus(dir_.string()).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace zhizao::analytics::eval::nab
