// The historian in-process: append throughput of pre-built batches on one core, and bytes on
// disk per point after flush and compaction, on the simulator's demo plant.
//
//   build/release/bench/storage_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include "connect/sim/simulator.h"
#include "storage/engine.h"

namespace zhizao::storage {
namespace {

// One simulated hour of the demo plant at `scale`, in batches of about 10,000 points.
std::vector<Batch> PlantBatches(int scale, int64_t seconds) {
  connect::sim::SimOptions options;
  options.scale = scale;
  auto sim = std::move(connect::sim::Simulator::Create(options)).value();
  std::vector<Batch> batches;
  const int64_t end = sim->now_ns() + seconds * kNanosPerSecond;
  const int64_t step = std::max<int64_t>(connect::sim::Simulator::kTickNs,
                                         static_cast<int64_t>(10'000 / sim->nominal_points_per_second() * 1e9));
  while (sim->now_ns() < end) {
    Batch b;
    sim->AdvanceTo(std::min(end, sim->now_ns() + step), b);
    if (!b.empty()) batches.push_back(std::move(b));
  }
  return batches;
}

uint64_t DirBytes(const std::filesystem::path& dir) {
  uint64_t total = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) total += entry.file_size();
  }
  return total;
}

std::filesystem::path BenchDir() {
  return std::filesystem::temp_directory_path() / ("zz-storage-bench-" + std::to_string(::getpid()));
}

void BM_AppendPrebuiltBatches(benchmark::State& state) {
  static const std::vector<Batch> batches = PlantBatches(10, 3600);
  int64_t points = 0;
  MetricsRegistry metrics;
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(BenchDir());
    EngineOptions options;
    options.dir = BenchDir().string();
    options.fsync = FsyncPolicy::kNone;
    options.metrics = &metrics;
    auto engine = std::move(Engine::Open(options)).value();
    state.ResumeTiming();
    for (const Batch& b : batches) {
      if (!engine->Append(b).ok()) state.SkipWithError("append failed");
      points += static_cast<int64_t>(b.size());
    }
    state.PauseTiming();
    engine.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(points);
  std::filesystem::remove_all(BenchDir());
}
BENCHMARK(BM_AppendPrebuiltBatches)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_DiskBytesPerPoint(benchmark::State& state) {
  const std::vector<Batch> batches = PlantBatches(static_cast<int>(state.range(0)), 6 * 3600);
  uint64_t points = 0;
  for (const Batch& b : batches) points += b.size();
  for (auto _ : state) {
    std::filesystem::remove_all(BenchDir());
    EngineOptions options;
    options.dir = BenchDir().string();
    options.fsync = FsyncPolicy::kNone;
    MetricsRegistry metrics;
    options.metrics = &metrics;
    auto engine = std::move(Engine::Open(options)).value();
    for (const Batch& b : batches) benchmark::DoNotOptimize(engine->Append(b).ok());
    if (!engine->Flush().ok() || !engine->Compact().ok()) state.SkipWithError("flush failed");
    engine.reset();
    state.counters["points"] = static_cast<double>(points);
    state.counters["bytes_per_point"] = static_cast<double>(DirBytes(BenchDir())) / static_cast<double>(points);
  }
  std::filesystem::remove_all(BenchDir());
}
BENCHMARK(BM_DiskBytesPerPoint)->Arg(1)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace zhizao::storage
