#include "query/aggregate.h"

#include <gtest/gtest.h>

#include "query_test_util.h"

namespace zhizao::query {
namespace {

using testing::AllFunctions;
using testing::FakeSource;
using testing::kSec;
using testing::Num;
using testing::RefCell;
using testing::RefWindows;
using testing::RunQuery;

void ExpectCellsMatch(const WindowRow& row, const std::vector<AggregateSpec>& fns, const testing::RefWindow& ref) {
  EXPECT_EQ(row.state.samples, ref.samples) << "window " << row.start_ns;
  EXPECT_EQ(row.state.non_good, ref.non_good) << "window " << row.start_ns;
  EXPECT_EQ(row.state.bad, ref.bad) << "window " << row.start_ns;
  for (size_t f = 0; f < fns.size(); ++f) {
    std::optional<double> want = RefCell(fns[f], ref.values);
    std::optional<double> got = Num(row.cells[f]);
    std::string what = std::string(AggregateFnName(fns[f].fn)) + "(" + std::to_string(fns[f].percentile) +
                       ") in window " + std::to_string(row.start_ns);
    ASSERT_EQ(got.has_value(), want.has_value()) << what;
    if (want) {
      EXPECT_NEAR(*got, *want, 1e-9 * std::max(1.0, std::abs(*want))) << what;
    }
  }
}

void ExpectMatchesReference(const FakeSource& source, const AggregateQuery& q, const QueryOptions& options) {
  std::vector<WindowRow> rows = RunQuery(source, q, options);
  storage::SeriesSamples all;
  ASSERT_TRUE(source.Read(q.tags[0], INT64_MIN, INT64_MAX, &all).ok());
  auto ref = RefWindows(testing::Flatten(all), q.window, q.from_ns, q.to_ns, options.quality);
  ASSERT_EQ(rows.size(), ref.size());
  auto it = ref.begin();
  for (const WindowRow& row : rows) {
    ASSERT_EQ(row.start_ns, it->first);
    ExpectCellsMatch(row, q.functions, it->second);
    ++it;
  }
}

TEST(AggregateTest, EveryFunctionMatchesBruteForceOnRandomData) {
  std::mt19937_64 rng(42);
  FakeSource source;
  testing::AddRandomSeries(source, 1, -3000 * kSec, 5000, rng);
  std::uniform_int_distribution<int64_t> width(1, 600), offset(-900, 900);
  for (QualityPolicy policy : {QualityPolicy::kGoodAndUncertain, QualityPolicy::kGoodOnly, QualityPolicy::kAll}) {
    for (int round = 0; round < 8; ++round) {
      AggregateQuery q{.tags = {1}, .from_ns = -2500 * kSec + round * 7 * kSec, .to_ns = 4000 * kSec - round * kSec,
                       .window = {.width_ns = width(rng) * kSec, .offset_ns = offset(rng) * kSec + round},
                       .functions = AllFunctions()};
      // Small slices so windows straddle slices and runs merge.
      QueryOptions options{.quality = policy, .slice_points = 97, .first_slice_ns = 50 * kSec};
      SCOPED_TRACE("policy " + std::string(QualityPolicyName(policy)) + " round " + std::to_string(round));
      ExpectMatchesReference(source, q, options);
    }
  }
}

TEST(AggregateTest, IntegerAndBoolSeriesAggregateAsNumbers) {
  FakeSource source;
  auto& ints = source.Series(2, DataType::kInt64);
  auto& bools = source.Series(3, DataType::kBool);
  for (int i = 0; i < 100; ++i) {
    for (auto* s : {&ints, &bools}) {
      s->ts_ns.push_back(i * kSec);
      s->status.push_back(0);
    }
    ints.i64.push_back((i * 37) % 101 - 50);
    bools.i64.push_back(i % 3 == 0 ? 1 : 0);
  }
  for (TagId tag : {2u, 3u}) {
    AggregateQuery q{.tags = {tag}, .from_ns = 0, .to_ns = 99 * kSec, .window = {.width_ns = 10 * kSec},
                     .functions = AllFunctions()};
    ExpectMatchesReference(source, q, {});
  }
}

TEST(AggregateTest, AlignsWindowsToTheEpochWithOffsetAcrossNegativeTimes) {
  FakeSource source;
  for (int64_t t = -10; t <= 10; ++t) source.AddF64(1, t * kSec, static_cast<double>(t));
  AggregateQuery q{.tags = {1}, .from_ns = -10 * kSec, .to_ns = 10 * kSec,
                   .window = {.width_ns = 4 * kSec, .offset_ns = 1 * kSec},
                   .functions = {{AggregateFn::kCount}, {AggregateFn::kFirst}}};
  std::vector<WindowRow> rows = RunQuery(source, q);
  // Windows [-11, -7), [-7, -3), [-3, 1), [1, 5), [5, 9), [9, 13): the first and last cut short
  // by the range and stamped with their window's start all the same.
  std::vector<int64_t> starts, counts, firsts;
  for (const WindowRow& r : rows) {
    starts.push_back(r.start_ns / kSec);
    counts.push_back(static_cast<int64_t>(*Num(r.cells[0])));
    firsts.push_back(static_cast<int64_t>(*Num(r.cells[1])));
  }
  EXPECT_EQ(starts, (std::vector<int64_t>{-11, -7, -3, 1, 5, 9}));
  EXPECT_EQ(counts, (std::vector<int64_t>{3, 4, 4, 4, 4, 2}));
  EXPECT_EQ(firsts, (std::vector<int64_t>{-10, -7, -3, 1, 5, 9}));
  // An offset of a whole window or a negative one names the same grid.
  q.window.offset_ns = -3 * kSec;
  EXPECT_EQ(RunQuery(source, q).front().start_ns, -11 * kSec);
}

TEST(AggregateTest, OmitsEmptyWindowsUnlessAskedAndCountsZeroInThem) {
  FakeSource source;
  source.AddF64(1, 5 * kSec, 1);
  source.AddF64(1, 45 * kSec, 2);
  source.AddF64(1, 46 * kSec, 3, status_codes::kBadSensorFailure);
  AggregateQuery q{.tags = {1}, .from_ns = 0, .to_ns = 59 * kSec, .window = {.width_ns = 10 * kSec},
                   .functions = {{AggregateFn::kCount}, {AggregateFn::kMean}}};
  std::vector<WindowRow> rows = RunQuery(source, q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].start_ns, 40 * kSec);
  q.emit_empty = true;
  rows = RunQuery(source, q);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[2].start_ns, 20 * kSec);
  EXPECT_EQ(rows[2].state.samples, 0);
  EXPECT_EQ(Num(rows[2].cells[0]), 0.0);
  EXPECT_FALSE(Num(rows[2].cells[1]).has_value());
}

TEST(AggregateTest, AWindowOfOnlyBadSamplesIsReportedWithNoValue) {
  FakeSource source;
  source.AddF64(1, 1 * kSec, 0, status_codes::kBadSensorFailure);
  source.AddF64(1, 2 * kSec, 0, status_codes::kBadNoCommunication);
  AggregateQuery q{.tags = {1}, .from_ns = 0, .to_ns = 9 * kSec, .window = {.width_ns = 10 * kSec},
                   .functions = {{AggregateFn::kMean}, {AggregateFn::kCount}}};
  std::vector<WindowRow> rows = RunQuery(source, q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state.samples, 2);
  EXPECT_EQ(rows[0].state.non_good, 2);
  EXPECT_FALSE(Num(rows[0].cells[0]).has_value());
  EXPECT_EQ(Num(rows[0].cells[1]), 0.0);
}

TEST(AggregateTest, CountsNonGoodSamplesAndFoldsPerQualityPolicy) {
  FakeSource source;
  source.AddF64(1, 1 * kSec, 10);
  source.AddF64(1, 2 * kSec, 20, status_codes::kUncertainLastUsableValue);
  source.AddF64(1, 3 * kSec, 90, status_codes::kBadSensorFailure);
  source.AddF64(1, 4 * kSec, 30, 0x00A00000);  // Good, with a sub-code
  AggregateQuery q{.tags = {1}, .from_ns = 0, .to_ns = 9 * kSec, .window = {.width_ns = 10 * kSec},
                   .functions = {{AggregateFn::kMean}, {AggregateFn::kCount}}};
  struct Case {
    QualityPolicy policy;
    double mean, count;
  };
  for (Case c : {Case{QualityPolicy::kGoodAndUncertain, 20, 3}, Case{QualityPolicy::kGoodOnly, 20, 2},
                 Case{QualityPolicy::kAll, 37.5, 4}}) {
    std::vector<WindowRow> rows = RunQuery(source, q, {.quality = c.policy});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(Num(rows[0].cells[0]), c.mean) << QualityPolicyName(c.policy);
    EXPECT_EQ(Num(rows[0].cells[1]), c.count) << QualityPolicyName(c.policy);
    EXPECT_EQ(rows[0].state.non_good, 2) << QualityPolicyName(c.policy);
    EXPECT_EQ(rows[0].state.samples, 4);
  }
}

TEST(AggregateTest, SkipsNaNButCountsItAsASample) {
  FakeSource source;
  source.AddF64(1, 1 * kSec, 1);
  source.AddF64(1, 2 * kSec, std::nan(""));
  source.AddF64(1, 3 * kSec, 3);
  AggregateQuery q{.tags = {1}, .from_ns = 0, .to_ns = 9 * kSec, .window = {.width_ns = 10 * kSec},
                   .functions = {{AggregateFn::kMean}, {AggregateFn::kCount}, {AggregateFn::kMax}}};
  std::vector<WindowRow> rows = RunQuery(source, q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Num(rows[0].cells[0]), 2.0);
  EXPECT_EQ(Num(rows[0].cells[1]), 2.0);
  EXPECT_EQ(Num(rows[0].cells[2]), 3.0);
  EXPECT_EQ(rows[0].state.samples, 3);
}

TEST(AggregateTest, PercentileAndStddevEdgeCasesFollowInfluxDB) {
  FakeSource source;
  source.AddF64(1, 1 * kSec, 7);  // window 0: one sample
  for (int i = 0; i < 4; ++i) source.AddF64(1, (11 + i) * kSec, 4.0 - i);  // window 1: 4 3 2 1
  AggregateQuery q{.tags = {1}, .from_ns = 0, .to_ns = 19 * kSec, .window = {.width_ns = 10 * kSec},
                   .functions = {{AggregateFn::kPercentile, 0},   {AggregateFn::kPercentile, 100},
                                 {AggregateFn::kPercentile, 50},  {AggregateFn::kPercentile, 10},
                                 {AggregateFn::kMedian},          {AggregateFn::kStddev},
                                 {AggregateFn::kPercentile, 37.5}}};
  std::vector<WindowRow> rows = RunQuery(source, q);
  ASSERT_EQ(rows.size(), 2u);
  // One sample: rank floor(p/100 + 0.5) is 0 below p = 50, so no value; stddev needs two.
  EXPECT_FALSE(Num(rows[0].cells[0]).has_value());
  EXPECT_EQ(Num(rows[0].cells[1]), 7.0);
  EXPECT_EQ(Num(rows[0].cells[2]), 7.0);
  EXPECT_FALSE(Num(rows[0].cells[3]).has_value());
  EXPECT_EQ(Num(rows[0].cells[4]), 7.0);
  EXPECT_FALSE(Num(rows[0].cells[5]).has_value());
  // 1 2 3 4: p100 is the max, p50 rank 2, p10 rank 0, median 2.5, p37.5 rank floor(2) = 2.
  EXPECT_FALSE(Num(rows[1].cells[0]).has_value());
  EXPECT_EQ(Num(rows[1].cells[1]), 4.0);
  EXPECT_EQ(Num(rows[1].cells[2]), 2.0);
  EXPECT_FALSE(Num(rows[1].cells[3]).has_value());
  EXPECT_EQ(Num(rows[1].cells[4]), 2.5);
  EXPECT_NEAR(*Num(rows[1].cells[5]), std::sqrt(5.0 / 3.0), 1e-12);
  EXPECT_EQ(Num(rows[1].cells[6]), 2.0);
}

TEST(AggregateTest, StddevStaysAccurateOnALargeOffset) {
  // A 1e9 signal with 1e-3 noise: a plain sum of squares would lose every digit of the variance.
  FakeSource source;
  std::vector<double> values;
  for (int i = 0; i < 10'000; ++i) {
    values.push_back(1e9 + (i % 2 == 0 ? 0.001 : -0.001));
    source.AddF64(1, i * kSec, values.back());
  }
  AggregateQuery q{.tags = {1}, .from_ns = 0, .to_ns = 10'000 * kSec, .window = {.width_ns = 100'000 * kSec},
                   .functions = {{AggregateFn::kStddev}}};
  std::vector<WindowRow> rows = RunQuery(source, q, {.slice_points = 333});
  ASSERT_EQ(rows.size(), 1u);
  const double want = *RefCell({AggregateFn::kStddev}, values);
  EXPECT_NEAR(want, 0.001, 1e-7);
  // Each run's mean carries an error of about one ulp of 1e9 (1e-7), which Chan's merge squares:
  // 1e-6 relative, where E[x^2] - E[x]^2 would be off by orders of magnitude.
  EXPECT_NEAR(*Num(rows[0].cells[0]), want, 1e-6 * want);
}

TEST(AggregateTest, StringSeriesAllowCountFirstAndLastOnly) {
  FakeSource source;
  auto& s = source.Series(4, DataType::kString);
  for (int i = 0; i < 5; ++i) {
    s.ts_ns.push_back(i * kSec);
    s.status.push_back(i == 4 ? status_codes::kBad : 0);
    s.str.push_back("state-" + std::to_string(i));
  }
  AggregateQuery q{.tags = {4}, .from_ns = 0, .to_ns = 9 * kSec, .window = {.width_ns = 10 * kSec},
                   .functions = {{AggregateFn::kCount}, {AggregateFn::kFirst}, {AggregateFn::kLast}}};
  std::vector<WindowRow> rows = RunQuery(source, q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Num(rows[0].cells[0]), 4.0);
  EXPECT_EQ(std::get<std::string>(rows[0].cells[1]), "state-0");
  EXPECT_EQ(std::get<std::string>(rows[0].cells[2]), "state-3");
  EXPECT_EQ(rows[0].state.non_good, 1);
  q.functions = {{AggregateFn::kCount}, {AggregateFn::kMean}};
  Status st = testing::QueryStatus(source, q);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "tag 4 holds strings: mean needs numbers (count, first and last apply to strings)");
}

TEST(AggregateTest, RefusesTagsThatMixStringsAndNumbers) {
  FakeSource source;
  source.AddF64(1, 1 * kSec, 1);
  auto& s = source.Series(2, DataType::kString);
  s.ts_ns = {1 * kSec};
  s.status = {0};
  s.str = {"x"};
  AggregateQuery q{.tags = {1, 2}, .from_ns = 0, .to_ns = 9 * kSec, .window = {.width_ns = 10 * kSec},
                   .functions = {{AggregateFn::kCount}}};
  EXPECT_EQ(testing::QueryStatus(source, q).code(), StatusCode::kInvalidArgument);
}

TEST(AggregateTest, RefusesMalformedQueries) {
  FakeSource source;
  AggregateQuery good{.tags = {1}, .from_ns = 0, .to_ns = 10, .window = {.width_ns = 5},
                      .functions = {{AggregateFn::kMean}}};
  auto refused = [&](auto mutate) {
    AggregateQuery q = good;
    mutate(q);
    return AggregateCursor::Open(source, q, {}).status().code() == StatusCode::kInvalidArgument;
  };
  EXPECT_TRUE(AggregateCursor::Open(source, good, {}).ok());
  EXPECT_TRUE(refused([](AggregateQuery& q) { q.tags.clear(); }));
  EXPECT_TRUE(refused([](AggregateQuery& q) { q.tags = {0}; }));
  EXPECT_TRUE(refused([](AggregateQuery& q) { q.functions.clear(); }));
  EXPECT_TRUE(refused([](AggregateQuery& q) { q.functions = {{AggregateFn::kPercentile, 100.5}}; }));
  EXPECT_TRUE(refused([](AggregateQuery& q) { q.functions = {{AggregateFn::kPercentile, std::nan("")}}; }));
  EXPECT_TRUE(refused([](AggregateQuery& q) { q.window.width_ns = 0; }));
  EXPECT_TRUE(refused([](AggregateQuery& q) { q.from_ns = 11; }));
  EXPECT_TRUE(refused([](AggregateQuery& q) { q.per_series = false; }));
  EXPECT_EQ(ParseAggregateFn("spread").value(), AggregateFn::kSpread);
  EXPECT_FALSE(ParseAggregateFn("avg").ok());
}

TEST(AggregateTest, LimitsNameThemselvesInTheError) {
  FakeSource source;
  for (int i = 0; i < 1000; ++i) source.AddF64(1, i * kSec, i);
  AggregateQuery q{.tags = {1}, .from_ns = 0, .to_ns = 999 * kSec, .window = {.width_ns = 1 * kSec},
                   .functions = {{AggregateFn::kMean}}};
  Status returned = testing::QueryStatus(source, q, {.max_points_returned = 999});
  EXPECT_EQ(returned.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(returned.message(), "query would return more than 999 points (max_points_returned)");
  EXPECT_TRUE(testing::QueryStatus(source, q, {.max_points_returned = 1000}).ok());

  q.window.width_ns = 100 * kSec;
  Status scanned = testing::QueryStatus(source, q, {.max_points_scanned = 500, .slice_points = 100});
  EXPECT_EQ(scanned.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(scanned.message(), "query would scan more than 500 points (max_points_scanned)");
  EXPECT_TRUE(testing::QueryStatus(source, q, {.max_points_scanned = 1000}).ok());
}

TEST(AggregateTest, ACursorStopsForGoodAfterAnError) {
  FakeSource source;
  for (int i = 0; i < 100; ++i) source.AddF64(1, i * kSec, i);
  AggregateQuery q{.tags = {1}, .from_ns = 0, .to_ns = 99 * kSec, .window = {.width_ns = 10 * kSec},
                   .functions = {{AggregateFn::kMean}}};
  auto cursor = AggregateCursor::Open(source, q, {.max_points_scanned = 50, .slice_points = 20, .first_slice_ns = 20 * kSec});
  ASSERT_TRUE(cursor.ok());
  WindowRow row;
  Result<bool> more = true;
  int rows = 0;
  while (more.ok() && *more) {
    more = (*cursor)->Next(&row);
    rows += more.ok() && *more ? 1 : 0;
  }
  EXPECT_EQ(more.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(rows, 4);  // the windows of the slices read before the limit
  EXPECT_EQ((*cursor)->Next(&row).status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace zhizao::query
