// What the data-driven cases (tests/data/influxql, against InfluxDB's answers) cannot show: the
// executor's limits, missing databases, regexes RE2 refuses, the row filter's reads, and which
// answers take the short ways (last() from the newest sample, a raw answer as its samples).
#include "query/influxql_exec.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../catalog/new_series.h"
#include "../catalog/temp_dir.h"
#include "query_test_util.h"

namespace zhizao::query::influxql {
namespace {

using catalog::SeriesIndex;
using testing::FakeSource;
using testing::kSec;

constexpr int64_t kT0 = 1'672'531'200 * kSec;  // 2023-01-01T00:00:00Z

// Times (ns) and float values of the rows of `s`, whether it holds rows or samples.
std::vector<int64_t> Times(const ResultSeries& s) {
  if (s.samples) return s.samples->ts_ns;
  std::vector<int64_t> out;
  for (const auto& row : s.values) out.push_back(std::get<int64_t>(row[0]));
  return out;
}
std::vector<double> Floats(const ResultSeries& s) {
  if (s.samples) return s.samples->f64;
  std::vector<double> out;
  for (const auto& row : s.values) out.push_back(std::get<double>(row[1]));
  return out;
}

class InfluxQLExecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = std::move(catalog::Catalog::Open(dir_.File("catalog.db"))).value();
    index_ = std::move(SeriesIndex::Load(*catalog_)).value();
  }

  // Makes field `field` of series cpu,host=<host> in database test; returns its tag.
  TagId Field(const std::string& host, const std::string& field, DataType type = DataType::kFloat64) {
    catalog::SeriesName name{"test", "cpu", {{"host", host}}, field, "cpu,host=" + host};
    return index_->Create(std::vector<catalog::NewSeries>{catalog::OneField(name, type)}).value().front();
  }

  // Samples 0, 1, ..., n-1 at kT0, kT0 + 1s, ...
  void Fill(TagId tag, int n) {
    for (int i = 0; i < n; ++i) source_.AddF64(tag, kT0 + i * kSec, i);
  }

  std::vector<StatementResult> Run(const std::string& q, const std::string& db = "test") {
    Executor executor(*catalog_, *index_, source_, options_);
    Result<std::vector<StatementResult>> results = executor.Run(q, {.database = db, .now_ns = kT0 + 3600 * kSec});
    EXPECT_TRUE(results.ok()) << results.status().message();
    return results.ok() ? *results : std::vector<StatementResult>();
  }

  // The one series of the one statement of `q`'s answer; fails the test when there is not exactly one.
  ResultSeries Only(const std::string& q) {
    std::vector<StatementResult> results = Run(q);
    EXPECT_EQ(results.size(), 1u) << q;
    if (results.size() != 1) return {};
    EXPECT_EQ(results[0].error, "") << q;
    EXPECT_EQ(results[0].series.size(), 1u) << q;
    return results[0].series.empty() ? ResultSeries{} : results[0].series[0];
  }

  std::string Error(const std::string& q, const std::string& db = "test") {
    std::vector<StatementResult> results = Run(q, db);
    return results.empty() ? "(no result)" : results.back().error;
  }

  catalog::TempDir dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<SeriesIndex> index_;
  FakeSource source_;
  QueryOptions options_;
};

TEST_F(InfluxQLExecTest, RawRowsBeyondMaxPointsReturnedFailTheStatement) {
  Fill(Field("a", "usage"), 10);
  options_.max_points_returned = 5;
  EXPECT_NE(Error("SELECT usage FROM cpu").find("max_points_returned"), std::string::npos);
  options_.max_points_returned = 10;
  EXPECT_EQ(Error("SELECT usage FROM cpu"), "");
}

TEST_F(InfluxQLExecTest, WindowsBeyondMaxPointsReturnedFailBeforeAnyRead) {
  Fill(Field("a", "usage"), 10);
  options_.max_points_returned = 100;
  std::string q = "SELECT mean(usage) FROM cpu WHERE time >= '2023-01-01T00:00:00Z' AND time < '2023-01-02T00:00:00Z' GROUP BY time(1s)";
  EXPECT_NE(Error(q).find("max_points_returned"), std::string::npos);
  EXPECT_EQ(source_.reads, 0);
}

TEST_F(InfluxQLExecTest, ScansBeyondMaxPointsScannedFailTheStatement) {
  Fill(Field("a", "usage"), 50);
  options_.max_points_scanned = 10;
  options_.slice_points = 8;
  EXPECT_NE(Error("SELECT mean(usage) FROM cpu").find("max_points_scanned"), std::string::npos);
}

TEST_F(InfluxQLExecTest, ADatabaseThatDoesNotExist) {
  Fill(Field("a", "usage"), 3);
  EXPECT_EQ(Error("SELECT usage FROM cpu", "nope"), "database not found: nope");
  EXPECT_EQ(Error("SELECT usage FROM nope.autogen.cpu"), "database not found: nope");
  EXPECT_EQ(Error("SHOW TAG KEYS", "nope"), "database not found: nope");
  EXPECT_EQ(Error("SHOW SERIES ON nope"), "database not found: nope");
  EXPECT_EQ(Error("SHOW MEASUREMENTS", ""), "database name required");
  // As in InfluxDB 1.6: SHOW MEASUREMENTS of a missing database is empty, not an error.
  std::vector<StatementResult> show = Run("SHOW MEASUREMENTS", "nope");
  ASSERT_EQ(show.size(), 1u);
  EXPECT_EQ(show[0].error, "");
  EXPECT_TRUE(show[0].series.empty());
}

TEST_F(InfluxQLExecTest, RegexesRE2RefusesFailTheStatementNamingThePattern) {
  Fill(Field("a", "usage"), 3);
  for (const char* q : {"SELECT usage FROM cpu WHERE host =~ /(/", "SELECT usage FROM /(/",
                        "SELECT mean(usage) FROM cpu GROUP BY /(/", "SHOW MEASUREMENTS WITH MEASUREMENT =~ /(/",
                        "SHOW TAG VALUES WITH KEY =~ /(/", "SELECT usage FROM cpu WHERE usage =~ /(/"}) {
    EXPECT_NE(Error(q).find("invalid regex /(/"), std::string::npos) << q;
  }
  // Go's regexp syntax, not PCRE's: RE2 refuses backreferences as Go does.
  EXPECT_NE(Error("SELECT usage FROM cpu WHERE host =~ /(a)\\1/").find("invalid regex"), std::string::npos);
}

TEST_F(InfluxQLExecTest, AFailedStatementIsTheLastOneRun) {
  Fill(Field("a", "usage"), 3);
  std::vector<StatementResult> results = Run("SELECT usage FROM cpu; SELECT time FROM cpu; SELECT usage FROM cpu");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].error, "");
  EXPECT_EQ(results[1].error, "at least 1 non-time field must be queried");
}

TEST_F(InfluxQLExecTest, FieldConditionsReadTheComparedFieldOverTheSamplesSpanOnly) {
  TagId usage = Field("a", "usage");
  TagId cores = Field("a", "cores", DataType::kInt64);
  Fill(usage, 100);
  storage::SeriesSamples& c = source_.Series(cores, DataType::kInt64);
  for (int i = 0; i < 100; i += 10) {
    c.ts_ns.push_back(kT0 + i * kSec);
    c.status.push_back(0);
    c.i64.push_back(i);
  }
  std::vector<StatementResult> r = Run("SELECT usage FROM cpu WHERE cores >= 50 AND time >= '2023-01-01T00:00:40Z'");
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0].error, "");
  ASSERT_EQ(r[0].series.size(), 1u);
  EXPECT_EQ(Floats(r[0].series[0]), (std::vector<double>{50, 60, 70, 80, 90}));
  EXPECT_EQ(source_.largest_read, 60);  // usage from 0:40; cores over the same span, no wider
}

TEST_F(InfluxQLExecTest, FieldConditionsOfUnlikeTypesMatchNothingAndOthersAreRefused) {
  Fill(Field("a", "usage"), 3);
  std::vector<StatementResult> r = Run("SELECT usage FROM cpu WHERE usage = 'x'");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].error, "");
  EXPECT_TRUE(r[0].series.empty());
  EXPECT_NE(Error("SELECT usage FROM cpu WHERE usage = time").find("invalid condition"), std::string::npos);
  EXPECT_NE(Error("SELECT usage FROM cpu WHERE usage > 1 OR time > now()").find("OR"), std::string::npos);
}

// A tag equality finds its series in the index (Condition::RequiredTag); the whole condition
// still decides.
TEST_F(InfluxQLExecTest, TagConditionsSelectTheSeriesTheyMatch) {
  for (const char* host : {"a", "b", "c"}) Fill(Field(host, "usage"), 2);
  auto rows = [&](const std::string& where) {
    std::vector<StatementResult> r = Run("SELECT usage FROM cpu WHERE " + where);
    EXPECT_EQ(r.size(), 1u) << where;
    size_t n = 0;
    for (const ResultSeries& s : r.empty() ? std::vector<ResultSeries>() : r[0].series) n += Times(s).size();
    return n;
  };
  EXPECT_EQ(rows("host = 'a'"), 2u);
  EXPECT_EQ(rows("host = 'a' AND time >= '2023-01-01T00:00:01Z'"), 1u);
  EXPECT_EQ(rows("host = 'a' AND host = 'b'"), 0u);
  EXPECT_EQ(rows("host = 'a' AND host != 'a'"), 0u);
  EXPECT_EQ(rows("host = 'a' OR host = 'b'"), 4u);
  EXPECT_EQ(rows("(host = 'a' OR host = 'c') AND host != 'a'"), 2u);
  EXPECT_EQ(rows("host = 'nope'"), 0u);
  EXPECT_EQ(rows("host = ''"), 0u);
  EXPECT_EQ(rows("region = ''"), 6u);  // a tag a series lacks reads as ""
  EXPECT_EQ(rows("host != 'a'"), 4u);
}

TEST_F(InfluxQLExecTest, LastUnderAnUpperBoundThatKeepsTheNewestSampleReadsNothing) {
  Fill(Field("a", "usage"), 10);  // 0..9 at kT0 + 0..9 s
  ResultSeries s = Only("SELECT last(usage) FROM cpu WHERE time > '2023-01-01T00:00:02Z' AND time <= '2023-01-01T00:00:09Z'");
  EXPECT_EQ(Times(s), (std::vector<int64_t>{kT0 + 9 * kSec}));
  EXPECT_EQ(Floats(s), (std::vector<double>{9}));
  EXPECT_EQ(source_.lasts, 1);
  EXPECT_EQ(source_.reads, 0);
}

TEST_F(InfluxQLExecTest, LastUnderAnUpperBoundThatCutsTheNewestSampleReadsTheSamples) {
  Fill(Field("a", "usage"), 10);
  ResultSeries s = Only("SELECT last(usage) FROM cpu WHERE time > '2023-01-01T00:00:02Z' AND time <= '2023-01-01T00:00:06Z'");
  EXPECT_EQ(Times(s), (std::vector<int64_t>{kT0 + 6 * kSec}));
  EXPECT_EQ(Floats(s), (std::vector<double>{6}));
  EXPECT_GT(source_.reads, 0);
}

TEST_F(InfluxQLExecTest, LastOfAnyOfSeveralSeriesCutByTheBoundReadsTheSamples) {
  Fill(Field("a", "usage"), 10);
  Fill(Field("b", "usage"), 5);  // b's newest (0:04) is in the range, a's (0:09) is not
  ResultSeries s = Only("SELECT last(usage) FROM cpu WHERE time <= '2023-01-01T00:00:07Z'");
  EXPECT_EQ(Times(s), (std::vector<int64_t>{kT0 + 7 * kSec}));
  EXPECT_GT(source_.reads, 0);
}

TEST_F(InfluxQLExecTest, LastWithTheNewestSampleBeforeTheRangeIsEmptyWithoutReading) {
  Fill(Field("a", "usage"), 10);
  std::vector<StatementResult> r = Run("SELECT last(usage) FROM cpu WHERE time > '2023-01-01T00:00:09Z' AND time <= '2023-01-01T00:01:00Z'");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].series.empty());
  EXPECT_EQ(source_.reads, 0);
}

TEST_F(InfluxQLExecTest, LastSkipsANewestSampleThatIsNaNAsTheFoldDoes) {
  TagId usage = Field("a", "usage");
  Fill(usage, 3);
  source_.AddF64(usage, kT0 + 3 * kSec, std::nan(""));
  for (const char* q : {"SELECT last(usage) FROM cpu", "SELECT last(usage) FROM cpu WHERE time <= '2023-01-01T00:00:05Z'"}) {
    ResultSeries s = Only(q);
    EXPECT_EQ(Times(s), (std::vector<int64_t>{kT0 + 2 * kSec})) << q;
    EXPECT_EQ(Floats(s), (std::vector<double>{2})) << q;
  }
}

TEST_F(InfluxQLExecTest, ARawFieldOfOneSeriesComesAsItsSamplesInOrderPaged) {
  Fill(Field("a", "usage"), 10);
  ResultSeries s = Only("SELECT usage FROM cpu WHERE time >= '2023-01-01T00:00:02Z' ORDER BY time DESC LIMIT 3 OFFSET 1");
  ASSERT_TRUE(s.samples.has_value());
  EXPECT_TRUE(s.values.empty());
  EXPECT_EQ(s.columns, (std::vector<std::string>{"time", "usage"}));
  EXPECT_EQ(Times(s), (std::vector<int64_t>{kT0 + 8 * kSec, kT0 + 7 * kSec, kT0 + 6 * kSec}));
  EXPECT_EQ(Floats(s), (std::vector<double>{8, 7, 6}));
  EXPECT_TRUE(s.samples->status.empty());
}

TEST_F(InfluxQLExecTest, RawAnswersOfSeveralSeriesOrFieldsAreRows) {
  Fill(Field("a", "usage"), 3);
  Fill(Field("b", "usage"), 3);
  Fill(Field("a", "idle"), 3);
  for (const char* q : {"SELECT usage FROM cpu", "SELECT usage, idle FROM cpu WHERE host = 'a'", "SELECT usage, host FROM cpu WHERE host = 'a'",
                        "SELECT difference(usage) FROM cpu WHERE host = 'a'"}) {
    ResultSeries s = Only(q);
    EXPECT_FALSE(s.samples.has_value()) << q;
    EXPECT_FALSE(s.values.empty()) << q;
  }
}

}  // namespace
}  // namespace zhizao::query::influxql
