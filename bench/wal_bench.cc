// WAL throughput: batch encoding, and appends of 10k-point batches to a real directory.
//   build/<dir>/bench/wal_bench --benchmark_counters_tabular=true
// Append numbers depend on the disk under TMPDIR; kAlways measures its fsync latency.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "storage/wal/batch_codec.h"
#include "storage/wal/wal.h"

namespace zhizao::storage {
namespace {

constexpr int kBatchPoints = 10'000;

// A plant-like batch: 100 tags sampled every second, mostly float64 with some int and bool.
Batch MakeBatch() {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> noise(0.0, 0.5);
  Batch batch;
  const int64_t start = 1'700'000'000'000'000'000;
  for (int i = 0; i < kBatchPoints; ++i) {
    const auto tag = static_cast<TagId>(1 + i % 100);
    const int64_t ts = start + (i / 100) * kNanosPerSecond;
    if (tag % 10 == 0) {
      batch.AddInt64(tag, ts, i / 100);
    } else if (tag % 10 == 5) {
      batch.AddBool(tag, ts, (i / 100) % 7 == 0);
    } else {
      batch.AddFloat64(tag, ts, 20.0 + tag + noise(rng), i % 997 == 0 ? status_codes::kUncertain : 0);
    }
  }
  return batch;
}

void BM_EncodeBatch(benchmark::State& state) {
  const Batch batch = MakeBatch();
  std::string out;
  for (auto _ : state) {
    out.clear();
    EncodeBatch(batch, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatchPoints);
  state.counters["bytes_per_point"] = static_cast<double>(out.size()) / kBatchPoints;
}
BENCHMARK(BM_EncodeBatch);

void BM_DecodeBatch(benchmark::State& state) {
  std::string encoded;
  EncodeBatch(MakeBatch(), &encoded);
  Batch batch;
  for (auto _ : state) {
    if (!DecodeBatch(encoded, &batch).ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(batch.points.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatchPoints);
}
BENCHMARK(BM_DecodeBatch);

struct BenchWal {
  std::string dir;
  std::unique_ptr<Wal> wal;
};
BenchWal* bench_wal = nullptr;  // shared by the threads of one run; set up by thread 0

void OpenBenchWal(WalDurability durability) {
  bench_wal = new BenchWal;
  bench_wal->dir = std::filesystem::temp_directory_path() / ("zhizao_wal_bench_" + std::to_string(::getpid()));
  std::filesystem::remove_all(bench_wal->dir);
  WalOptions options;
  options.dir = bench_wal->dir;
  options.durability = durability;
  auto wal = Wal::Open(options, [](WalPosition, std::string_view) { return Status::Ok(); });
  if (!wal.ok()) std::abort();
  bench_wal->wal = std::move(wal).value();
}

void CloseBenchWal() {
  bench_wal->wal.reset();
  std::filesystem::remove_all(bench_wal->dir);
  delete bench_wal;
  bench_wal = nullptr;
}

// Each iteration encodes and appends one 10k-point batch, as the engine will.
void BM_Append(benchmark::State& state) {
  if (state.thread_index() == 0) OpenBenchWal(static_cast<WalDurability>(state.range(0)));
  const Batch batch = MakeBatch();
  std::string payload;
  int64_t appended = 0;
  for (auto _ : state) {
    payload.clear();
    EncodeBatch(batch, &payload);
    if (!bench_wal->wal->Append(payload).ok()) state.SkipWithError("append failed");
    // Keep the disk footprint bounded, as the engine's checkpoints do.
    if (++appended % 2000 == 0 && state.thread_index() == 0) {
      auto rotated = bench_wal->wal->Rotate();
      if (!rotated.ok() || !bench_wal->wal->RemoveSegmentsBefore(*rotated).ok()) state.SkipWithError("checkpoint");
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatchPoints);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(payload.size()));
  if (state.thread_index() == 0) CloseBenchWal();
}
BENCHMARK(BM_Append)
    ->ArgName("durability")
    ->Arg(static_cast<int>(WalDurability::kNone))
    ->Arg(static_cast<int>(WalDurability::kAlways))
    ->UseRealTime();
BENCHMARK(BM_Append)
    ->ArgName("durability")
    ->Arg(static_cast<int>(WalDurability::kAlways))
    ->Threads(4)
    ->UseRealTime();

}  // namespace
}  // namespace zhizao::storage
