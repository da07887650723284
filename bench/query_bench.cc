// The query module over the historian, on the read queries of ../shared/BENCHMARKS.md:
// (a) last value, (b) one hour raw of one series, (c) 1-min means over a day of one series,
// (d) the mean over 1,000 series of one hour; and (e) a trend chart opened on a year of one 1 s
// series (decimated to 1,000 buckets). Data: one tag at 1 s for a day and 1,000 tags at 1 s for
// an hour, PLC-style values (2 decimals), flushed into RocksDB before timing; for (e), one tag at
// 1 s for 365 days (31.5 M points; loaded only when (e) runs, ~1 min and ~150 MB of WAL).
//
//   build/release/bench/query_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "query/aggregate.h"
#include "query/decimate.h"
#include "query/range_read.h"
#include "storage/engine.h"

namespace zhizao::query {
namespace {

constexpr int64_t kSec = 1'000'000'000;
constexpr TagId kDayTag = 1;
constexpr TagId kYearTag = 2;
constexpr int64_t kYearSeconds = 365 * 86400;
constexpr TagId kFirstFleetTag = 1001;
constexpr int kFleet = 1000;

double PlcValue(TagId tag, int64_t second) {
  double v = 50 + 20 * std::sin(static_cast<double>(second) / 3600.0 + tag) + std::sin(static_cast<double>(second) * 0.7) * 0.5;
  return std::round(v * 100) / 100;
}

class Historian {
 public:
  enum class Contents { kDayAndFleet, kYear };
  explicit Historian(Contents contents)
      : dir_(std::filesystem::temp_directory_path() / ("zz-query-bench-" + std::to_string(::getpid()) +
                                                        (contents == Contents::kYear ? "-year" : ""))),
        // Two days back, on an hour boundary: inside the engine's accepted window.
        start_((static_cast<int64_t>(std::time(nullptr)) / 3600 - 48) * 3600 * kSec),
        engine_(OpenEngine(dir_, metrics_)),
        source_(*engine_) {
    contents == Contents::kYear ? LoadYear() : Load();
  }
  ~Historian() {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  const SampleSource& source() const { return source_; }
  int64_t day_from() const { return start_; }
  int64_t day_to() const { return start_ + 86400 * kSec - 1; }
  int64_t fleet_from() const { return start_ + 23 * 3600 * kSec; }  // the day's last hour
  int64_t fleet_to() const { return day_to(); }
  int64_t year_from() const { return start_ - kYearSeconds * kSec; }  // the year before the day
  int64_t year_to() const { return start_ - 1; }

 private:
  static std::unique_ptr<storage::Engine> OpenEngine(const std::filesystem::path& dir, MetricsRegistry& metrics) {
    auto engine = storage::Engine::Open({.dir = dir.string(), .fsync = storage::FsyncPolicy::kNone, .metrics = &metrics});
    MustOk(engine.status());
    return std::move(engine).value();
  }
  static void MustOk(const Status& s) {
    if (s.ok()) return;
    std::fprintf(stderr, "cannot load the benchmark data: %s\n", s.ToString().c_str());
    std::abort();
  }
  void Append(Batch& b) {
    MustOk(engine_->Append(b));
    b.Clear();
  }
  void Load() {
    Batch b;
    for (int64_t s = 0; s < 86400; ++s) {
      b.AddFloat64(kDayTag, start_ + s * kSec, PlcValue(kDayTag, s));
      if (b.size() == 10'000) Append(b);
    }
    for (int64_t s = 23 * 3600; s < 86400; ++s) {
      for (int t = 0; t < kFleet; ++t) b.AddFloat64(kFirstFleetTag + t, start_ + s * kSec, PlcValue(kFirstFleetTag + t, s));
      if (b.size() >= 10'000) Append(b);
    }
    Append(b);
    MustOk(engine_->Flush());
  }
  void LoadYear() {
    Batch b;
    for (int64_t s = 0; s < kYearSeconds; ++s) {
      b.AddFloat64(kYearTag, year_from() + s * kSec, PlcValue(kYearTag, s));
      if (b.size() == 100'000) Append(b);
    }
    Append(b);
    MustOk(engine_->Flush());
  }

  std::filesystem::path dir_;
  MetricsRegistry metrics_;
  int64_t start_ = 0;
  std::unique_ptr<storage::Engine> engine_;
  EngineSource source_;
};

const Historian& Data() {
  static Historian historian(Historian::Contents::kDayAndFleet);
  return historian;
}

const Historian& YearData() {
  static Historian historian(Historian::Contents::kYear);
  return historian;
}

void Report(benchmark::State& state, int64_t points) {
  state.counters["points"] = static_cast<double>(points);
  state.SetItemsProcessed(state.iterations() * points);
}

void BM_A_LastValue(benchmark::State& state) {
  const Historian& h = Data();
  for (auto _ : state) {
    auto last = h.source().Last(kDayTag);
    if (!last.ok() || !last->has_value()) state.SkipWithError("no last value");
    benchmark::DoNotOptimize(last);
  }
}
BENCHMARK(BM_A_LastValue)->Unit(benchmark::kMicrosecond);

void BM_B_OneHourRaw(benchmark::State& state) {
  const Historian& h = Data();
  int64_t points = 0;
  for (auto _ : state) {
    auto page = ReadRange(h.source(), kDayTag, h.day_from() + 12 * 3600 * kSec, h.day_from() + 13 * 3600 * kSec - 1,
                          10'000, {});
    if (!page.ok()) state.SkipWithError(page.status().ToString().c_str());
    points = static_cast<int64_t>(page->samples.size());
  }
  Report(state, points);
}
BENCHMARK(BM_B_OneHourRaw)->Unit(benchmark::kMicrosecond);

int64_t RunAggregate(benchmark::State& state, const AggregateQuery& q, const QueryOptions& options = {}) {
  auto cursor = AggregateCursor::Open(Data().source(), q, options);
  if (!cursor.ok()) state.SkipWithError(cursor.status().ToString().c_str());
  int64_t rows = 0;
  Status s = ForEachRow(**cursor, [&](const WindowRow& row) {
    benchmark::DoNotOptimize(row.cells.data());
    ++rows;
    return Status::Ok();
  });
  if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  const QueryStats& stats = (*cursor)->stats();
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["summarized"] = static_cast<double>(stats.points_summarized);
  return stats.points_scanned + stats.points_summarized;
}

void BM_C_MinuteMeansOverADay(benchmark::State& state) {
  const Historian& h = Data();
  AggregateQuery q{.tags = {kDayTag}, .from_ns = h.day_from(), .to_ns = h.day_to(), .window = {.width_ns = 60 * kSec},
                   .functions = {{AggregateFn::kMean}}};
  // Arg: the first slice in hours; 1 is the default, 24 reads the day at once (what slicing costs).
  const QueryOptions options{.first_slice_ns = state.range(0) * 3600 * kSec};
  int64_t points = 0;
  for (auto _ : state) points = RunAggregate(state, q, options);
  Report(state, points);
}
BENCHMARK(BM_C_MinuteMeansOverADay)->Arg(1)->Arg(24)->Unit(benchmark::kMicrosecond);

void BM_D_MeanOverAllSeries(benchmark::State& state) {
  const Historian& h = Data();
  AggregateQuery q{.from_ns = h.fleet_from(), .to_ns = h.fleet_to(),
                   .window = {.width_ns = h.fleet_to() - h.fleet_from() + 1, .offset_ns = h.fleet_from()},
                   .functions = {{AggregateFn::kMean}}, .per_series = false, .combined = true};
  for (int t = 0; t < kFleet; ++t) q.tags.push_back(kFirstFleetTag + t);
  int64_t points = 0;
  for (auto _ : state) points = RunAggregate(state, q);
  Report(state, points);
}
BENCHMARK(BM_D_MeanOverAllSeries)->Unit(benchmark::kMillisecond);

// What a trend of a year asks the server: M4 (first, last, min, max) per bucket of 8.76 h.
void BM_E_YearDecimated(benchmark::State& state) {
  const Historian& h = YearData();
  QueryStats stats;
  for (auto _ : state) {
    auto decimated = Decimate(h.source(), kYearTag, h.year_from(), h.year_to(), 1000, {}, &stats);
    if (!decimated.ok()) state.SkipWithError(decimated.status().ToString().c_str());
    benchmark::DoNotOptimize(decimated);
  }
  state.counters["summarized"] = static_cast<double>(stats.points_summarized);
  state.counters["decoded"] = static_cast<double>(stats.points_scanned);
  Report(state, kYearSeconds);
}
BENCHMARK(BM_E_YearDecimated)->Unit(benchmark::kMillisecond);

// The engine alone, for what the query layer adds to (b) and (c).
void BM_EngineReadOnly(benchmark::State& state) {
  const Historian& h = Data();
  const int64_t span = state.range(0) * kSec;
  int64_t points = 0;
  for (auto _ : state) {
    storage::SeriesSamples out;
    if (!h.source().Read(kDayTag, h.day_from() + 12 * 3600 * kSec, h.day_from() + 12 * 3600 * kSec + span - 1, &out).ok()) {
      state.SkipWithError("read failed");
    }
    points = static_cast<int64_t>(out.size());
  }
  Report(state, points);
}
BENCHMARK(BM_EngineReadOnly)->Arg(3600)->Arg(43200)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace zhizao::query
