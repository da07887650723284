// Backfill speed of the plant simulator on one core: one simulated hour per iteration,
// advanced in 10 s chunks into a reused batch, as `zhizao sim` backfills history.
// items_per_second counts points.
#include <benchmark/benchmark.h>

#include "common/clock.h"
#include "connect/sim/simulator.h"

namespace zhizao::connect::sim {
namespace {

void BM_BackfillOneHour(benchmark::State& state) {
  SimOptions options;
  options.scale = static_cast<int>(state.range(0));
  int64_t points = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto sim = std::move(Simulator::Create(options)).value();
    Batch batch;
    state.ResumeTiming();
    const int64_t end = sim->now_ns() + 3600 * kNanosPerSecond;
    while (sim->now_ns() < end) {
      batch.Clear();
      sim->AdvanceTo(sim->now_ns() + 10 * kNanosPerSecond, batch);
      points += static_cast<int64_t>(batch.size());
      benchmark::DoNotOptimize(batch.points.data());
    }
  }
  state.SetItemsProcessed(points);
  auto sim = std::move(Simulator::Create(options)).value();
  state.counters["nominal_points_per_s"] = sim->nominal_points_per_second();
  state.counters["tags"] = static_cast<double>(sim->tags().size());
}
BENCHMARK(BM_BackfillOneHour)->Arg(1)->Arg(10)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace zhizao::connect::sim
