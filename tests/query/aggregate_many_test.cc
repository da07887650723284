// Aggregates over many tags, streaming over long ranges, and the cursor over the real historian.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "query/aggregate.h"
#include "query_test_util.h"
#include "storage/engine.h"

namespace zhizao::query {
namespace {

using testing::AllFunctions;
using testing::FakeSource;
using testing::kSec;
using testing::Num;
using testing::RunQuery;

void ExpectSameCells(const WindowRow& a, const WindowRow& b) {
  ASSERT_EQ(a.cells.size(), b.cells.size());
  EXPECT_EQ(a.start_ns, b.start_ns);
  EXPECT_EQ(a.state.samples, b.state.samples);
  EXPECT_EQ(a.state.non_good, b.state.non_good);
  EXPECT_EQ(a.state.bad, b.state.bad);
  for (size_t f = 0; f < a.cells.size(); ++f) {
    std::optional<double> x = Num(a.cells[f]), y = Num(b.cells[f]);
    ASSERT_EQ(x.has_value(), y.has_value()) << "cell " << f << " of window " << a.start_ns;
    if (x) {
      EXPECT_NEAR(*x, *y, 1e-9 * std::max(1.0, std::abs(*y))) << "cell " << f << " of window " << a.start_ns;
    }
  }
}

// The combined aggregate of tags 1..n over a window is the aggregate of their concatenated
// samples: checked against one series that holds all of them (ties resolved in tag order,
// which the merge of a stable sort reproduces).
TEST(AggregateManyTest, CombinedRowsEqualTheAggregateOfTheConcatenation) {
  std::mt19937_64 rng(7);
  FakeSource source;
  std::vector<testing::RefSample> all;
  std::vector<TagId> tags;
  for (TagId tag = 1; tag <= 5; ++tag) {
    testing::AddRandomSeries(source, tag, -500 * kSec, 800, rng, tag * 10.0);
    storage::SeriesSamples s;
    ASSERT_TRUE(source.Read(tag, INT64_MIN, INT64_MAX, &s).ok());
    for (const auto& r : testing::Flatten(s)) all.push_back(r);
    tags.push_back(tag);
  }
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.ts < b.ts; });
  AggregateQuery q{.tags = tags, .from_ns = -400 * kSec, .to_ns = 1200 * kSec,
                   .window = {.width_ns = 90 * kSec, .offset_ns = 13 * kSec}, .functions = AllFunctions(),
                   .per_series = false, .combined = true};
  std::vector<WindowRow> rows = RunQuery(source, q, {.slice_points = 50, .first_slice_ns = 30 * kSec});
  auto ref = testing::RefWindows(all, q.window, q.from_ns, q.to_ns, QualityPolicy::kGoodAndUncertain);
  ASSERT_EQ(rows.size(), ref.size());
  auto it = ref.begin();
  for (const WindowRow& row : rows) {
    EXPECT_EQ(row.tag, 0u);
    ASSERT_EQ(row.start_ns, it->first);
    EXPECT_EQ(row.state.samples, it->second.samples);
    for (size_t f = 0; f < q.functions.size(); ++f) {
      std::optional<double> want = testing::RefCell(q.functions[f], it->second.values), got = Num(row.cells[f]);
      ASSERT_EQ(got.has_value(), want.has_value()) << AggregateFnName(q.functions[f].fn) << " at " << row.start_ns;
      if (want) {
        EXPECT_NEAR(*got, *want, 1e-9 * std::max(1.0, std::abs(*want))) << AggregateFnName(q.functions[f].fn);
      }
    }
    ++it;
  }
}

TEST(AggregateManyTest, PerSeriesRowsEqualSingleSeriesQueriesAndComeTagByTagPerSlice) {
  std::mt19937_64 rng(9);
  FakeSource source;
  for (TagId tag = 1; tag <= 3; ++tag) testing::AddRandomSeries(source, tag, 0, 2000, rng);
  AggregateQuery q{.tags = {1, 2, 3}, .from_ns = 0, .to_ns = 4000 * kSec, .window = {.width_ns = 60 * kSec},
                   .functions = AllFunctions(), .combined = true};
  QueryOptions options{.slice_points = 300, .first_slice_ns = 600 * kSec};
  std::vector<WindowRow> rows = RunQuery(source, q, options);
  std::map<TagId, std::vector<WindowRow>> by_tag;
  TagId previous = 0;
  int tag_switches = 0;
  for (const WindowRow& row : rows) {
    if (!by_tag[row.tag].empty()) {
      EXPECT_GT(row.start_ns, by_tag[row.tag].back().start_ns);
    }
    tag_switches += row.tag != previous ? 1 : 0;
    previous = row.tag;
    by_tag[row.tag].push_back(row);
  }
  EXPECT_GT(tag_switches, 4 * 3) << "rows should interleave slice by slice, not series by series";
  for (TagId tag = 1; tag <= 3; ++tag) {
    AggregateQuery single = q;
    single.tags = {tag};
    single.combined = false;
    std::vector<WindowRow> alone = RunQuery(source, single, options);
    ASSERT_EQ(alone.size(), by_tag[tag].size());
    for (size_t i = 0; i < alone.size(); ++i) ExpectSameCells(by_tag[tag][i], alone[i]);
  }
}

// Generates one sample per second on the fly: a year of it never exists in memory at once.
class SyntheticSource : public SampleSource {
 public:
  Status Read(TagId, int64_t from, int64_t to, storage::SeriesSamples* out) const override {
    for (int64_t t = (from + kSec - 1) / kSec; t <= to / kSec; ++t) {
      out->ts_ns.push_back(t * kSec);
      out->status.push_back(0);
      out->f64.push_back(static_cast<double>(t % 3600));
    }
    largest_read = std::max<int64_t>(largest_read, static_cast<int64_t>(out->size()));
    return Status::Ok();
  }
  Result<std::optional<storage::LastSample>> Last(TagId) const override { return std::optional<storage::LastSample>(); }
  mutable int64_t largest_read = 0;
};

TEST(AggregateManyTest, AYearAtOneSecondStreamsInBoundedSlices) {
  SyntheticSource source;
  const int64_t year = int64_t{365} * 86400 * kSec;
  AggregateQuery q{.tags = {1}, .from_ns = 0, .to_ns = year - 1, .window = {.width_ns = 3600 * kSec},
                   .functions = {{AggregateFn::kMean}, {AggregateFn::kMax}}};
  QueryStats stats;
  int64_t rows = 0;
  auto cursor = AggregateCursor::Open(source, q, {});
  ASSERT_TRUE(cursor.ok());
  Status s = ForEachRow(**cursor, [&](const WindowRow& row) {
    ++rows;
    EXPECT_EQ(Num(row.cells[0]), 1799.5);
    EXPECT_EQ(Num(row.cells[1]), 3599.0);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  stats = (*cursor)->stats();
  EXPECT_EQ(rows, 365 * 24);
  EXPECT_EQ(stats.points_scanned, 365 * 86400);
  const QueryOptions defaults;
  EXPECT_LE(source.largest_read, defaults.slice_points + 1);
  EXPECT_EQ(stats.largest_read, source.largest_read);
  EXPECT_GE(stats.reads, 365 * 86400 / defaults.slice_points);
}

class EngineSourceTest : public ::testing::Test {
 protected:
  EngineSourceTest() {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("zz-query-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  }
  ~EngineSourceTest() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  MetricsRegistry metrics_;
};

TEST_F(EngineSourceTest, AggregatesTheHistorianAcrossFlushedChunksAndTheHead) {
  constexpr int64_t kStart = int64_t{1'795'867'200} * kSec;
  ManualClock clock(kStart + 86400 * kSec);
  auto engine = storage::Engine::Open({.dir = dir_.string(), .fsync = storage::FsyncPolicy::kNone,
                                       .chunk_max_samples = 500, .clock = &clock, .metrics = &metrics_});
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  FakeSource reference;
  Batch b;
  for (int i = 0; i < 5000; ++i) {
    uint32_t status = i % 17 == 0 ? status_codes::kBadSensorFailure : 0;
    b.AddFloat64(1, kStart + i * kSec, std::sin(i * 0.01) * 50, status);
    reference.AddF64(1, kStart + i * kSec, std::sin(i * 0.01) * 50, status);
    if (i == 3000) {
      ASSERT_TRUE((*engine)->Append(b).ok());
      ASSERT_TRUE((*engine)->Flush().ok());
      b.Clear();
    }
  }
  ASSERT_TRUE((*engine)->Append(b).ok());
  EngineSource source(**engine);
  AggregateQuery q{.tags = {1}, .from_ns = kStart + 100 * kSec, .to_ns = kStart + 4900 * kSec,
                   .window = {.width_ns = 300 * kSec}, .functions = AllFunctions()};
  QueryOptions options{.slice_points = 700};
  std::vector<WindowRow> got = RunQuery(source, q, options), want = RunQuery(reference, q, options);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) ExpectSameCells(got[i], want[i]);
  auto last = source.Last(1);
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->ts_ns, kStart + 4999 * kSec);
}

}  // namespace
}  // namespace zhizao::query
