// InfluxQL as /query serves it, in process: the executor (parse, plan through the series index,
// read through the engine) and the JSON writer, on the base workload of ../shared/bench:
// measurement `plant`, 1,000 devices (tag `device`) × 10 fields in the catalog, every series
// with its last minute at 1 s, and the queried device's temperature with 25 hours at 1 s, all
// flushed into RocksDB. The queries are bench.py's, with its epoch=ms:
//   (a)  SELECT last(temperature) FROM plant WHERE device='d00003'
//   (a2) the same over the last 5 minutes: time > T-300s AND time <= T
//   (b)  SELECT temperature … one hour raw (3,600 rows)
// No HTTP: what is left of bench.py's figures is the server's routing and the socket.
//
//   build/<dir>/bench/query_bench --benchmark_filter=Influxql
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "api/influx_json.h"
#include "catalog/catalog.h"
#include "catalog/series_index.h"
#include "query/influxql_exec.h"
#include "storage/engine.h"

namespace zhizao::query {
namespace {

constexpr int64_t kSec = 1'000'000'000;
constexpr int kDevices = 1000;
constexpr const char* kFields[] = {"temperature", "pressure", "flow", "vibration", "power",
                                   "speed", "level", "humidity", "current", "voltage"};
constexpr int kQueriedDevice = 3;  // bench.py's QUERY_DEVICE, d00003
constexpr int64_t kHistorySeconds = 25 * 3600;
constexpr int64_t kFleetSeconds = 60;

std::string DeviceName(int device) {
  char name[16];
  std::snprintf(name, sizeof name, "d%05d", device);
  return name;
}

double PlcValue(int64_t series, int64_t second) {
  double v = 50 + 20 * std::sin(static_cast<double>(second) / 3600.0 + static_cast<double>(series)) +
             std::sin(static_cast<double>(second) * 0.7) * 0.5;
  return std::round(v * 100) / 100;
}

void MustOk(const Status& s) {
  if (s.ok()) return;
  std::fprintf(stderr, "cannot load the benchmark data: %s\n", s.ToString().c_str());
  std::abort();
}

template <typename T>
T MustGet(Result<T> r) {
  MustOk(r.status());
  return std::move(r).value();
}

class Plant {
 public:
  Plant()
      : dir_(std::filesystem::temp_directory_path() / ("zz-influxql-bench-" + std::to_string(::getpid()))),
        // The history ends on the hour, one hour ago: inside the engine's accepted window.
        end_s_((static_cast<int64_t>(std::time(nullptr)) / 3600 - 1) * 3600) {
    std::filesystem::create_directories(dir_);
    catalog_ = MustGet(catalog::Catalog::Open((dir_ / "catalog.db").string()));
    index_ = MustGet(catalog::SeriesIndex::Load(*catalog_));
    engine_ = MustGet(storage::Engine::Open({.dir = (dir_ / "data").string(), .fsync = storage::FsyncPolicy::kNone,
                                             .metrics = &metrics_}));
    source_ = std::make_unique<EngineSource>(*engine_);
    Load();
    executor_ = std::make_unique<influxql::Executor>(*catalog_, *index_, *source_, QueryOptions{});
  }
  ~Plant() {
    executor_.reset();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  const influxql::Executor& executor() const { return *executor_; }
  // The newest second written (bench.py's last_ts).
  int64_t last_s() const { return end_s_ - 1; }
  // An hour in the middle of the history (bench.py's raw_from).
  int64_t raw_from_s() const { return end_s_ - 13 * 3600; }

 private:
  void Load() {
    MustOk(index_->CreateDatabase("bench"));
    std::vector<catalog::NewSeries> series;
    for (int d = 0; d < kDevices; ++d) {
      std::string device = DeviceName(d);
      catalog::NewSeries& one = series.emplace_back(catalog::NewSeries{
          .database = "bench", .measurement = "plant", .tags = {{"device", device}}, .series_key = "plant,device=" + device});
      for (const char* field : kFields) one.fields.push_back({field});
    }
    std::vector<TagId> tags = MustGet(index_->Create(std::move(series)));
    Batch b;
    auto append = [&] {
      MustOk(engine_->Append(b));
      b.Clear();
    };
    TagId queried = tags[kQueriedDevice * std::size(kFields)];
    for (int64_t s = end_s_ - kHistorySeconds; s < end_s_ - kFleetSeconds; ++s) {
      b.AddFloat64(queried, s * kSec, PlcValue(queried, s));
      if (b.size() == 10'000) append();
    }
    for (int64_t s = end_s_ - kFleetSeconds; s < end_s_; ++s) {
      for (TagId tag : tags) {
        b.AddFloat64(tag, s * kSec, PlcValue(tag, s));
        if (b.size() == 10'000) append();
      }
    }
    append();
    MustOk(engine_->Flush());
  }

  std::filesystem::path dir_;
  int64_t end_s_ = 0;
  MetricsRegistry metrics_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<catalog::SeriesIndex> index_;
  std::unique_ptr<storage::Engine> engine_;
  std::unique_ptr<EngineSource> source_;
  std::unique_ptr<influxql::Executor> executor_;
};

const Plant& Data() {
  static Plant plant;
  return plant;
}

// Runs `q` as /query?db=bench&epoch=ms does, up to the JSON body.
void RunQuery(benchmark::State& state, const std::string& q) {
  const Plant& plant = Data();
  size_t bytes = 0;
  for (auto _ : state) {
    auto results = plant.executor().Run(q, {.database = "bench", .now_ns = (plant.last_s() + 1) * kSec});
    if (!results.ok() || results->empty() || !results->front().error.empty() || results->front().series.empty()) {
      state.SkipWithError(("no answer to " + q).c_str());
      return;
    }
    std::string body = api::InfluxResultsJson(*results, 1'000'000);
    bytes = body.size();
    benchmark::DoNotOptimize(body.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}

std::string Where(const std::string& rest) {
  return " FROM plant WHERE device='" + DeviceName(kQueriedDevice) + "'" + rest;
}

void BM_Influxql_A(benchmark::State& state) { RunQuery(state, "SELECT last(temperature)" + Where("")); }
BENCHMARK(BM_Influxql_A)->Unit(benchmark::kMicrosecond);

void BM_Influxql_A2(benchmark::State& state) {
  int64_t t = Data().last_s();
  RunQuery(state, "SELECT last(temperature)" + Where(" AND time > " + std::to_string(t - 300) + "s AND time <= " +
                                                     std::to_string(t) + "s"));
}
BENCHMARK(BM_Influxql_A2)->Unit(benchmark::kMicrosecond);

void BM_Influxql_B(benchmark::State& state) {
  int64_t from = Data().raw_from_s();
  RunQuery(state, "SELECT temperature" + Where(" AND time >= " + std::to_string(from) + "s AND time < " +
                                               std::to_string(from + 3600) + "s"));
}
BENCHMARK(BM_Influxql_B)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace zhizao::query
