// A synthetic fleet of pumps run to failure, for the RUL registry tests: a bearing wears
// exponentially at a rate that differs run to run, the vibration at the bearing's outer-race
// frequency and the bearing temperature rise with the wear, and the pump trips when the wear
// reaches 1. After a trip the pump is down two hours (no samples), then runs again as new.
// Flow is unrelated to the wear. Samples every five minutes.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

namespace zhizao::analytics::registry::testing {

inline constexpr int64_t kHourNs = int64_t{3600} * 1'000'000'000;
inline constexpr int64_t kSampleNs = 300 * int64_t{1'000'000'000};
inline const char* const kPumpTags[] = {"vib_bpfo", "bearing_temp", "flow"};

struct PumpRun {
  int64_t start_ns = 0;
  int64_t failure_ns = 0;  // the trip; may lie past the fleet's end
};

// Receives one sample: pump index, tag index (into kPumpTags), time, value.
using PumpSample = std::function<void(size_t pump, size_t tag, int64_t ts_ns, double value)>;

// Runs `pumps` pumps from 0 to `hours` and returns each pump's runs in time order.
inline std::vector<std::vector<PumpRun>> MakePumpFleet(size_t pumps, int64_t hours, uint64_t seed, const PumpSample& sample) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> rate(0.015, 0.03);  // per hour: runs of ~130 to ~260 h
  std::normal_distribution<double> noise(0, 1);
  constexpr double kInitialWear = 0.02;
  std::vector<std::vector<PumpRun>> runs(pumps);
  const int64_t end_ns = hours * kHourNs;
  for (size_t p = 0; p < pumps; ++p) {
    // Pumps start at different ages: the first run begins part-way through its life.
    int64_t start = -static_cast<int64_t>(static_cast<double>(p) * 37.0 * static_cast<double>(kHourNs));
    while (start < end_ns) {
      const double b = rate(rng);
      const double life_h = std::log(1 + 1 / kInitialWear) / b;
      const PumpRun run{start, start + static_cast<int64_t>(life_h * static_cast<double>(kHourNs))};
      runs[p].push_back(run);
      for (int64_t t = std::max<int64_t>(0, run.start_ns); t < std::min(run.failure_ns, end_ns); t += kSampleNs) {
        const double age_h = static_cast<double>(t - run.start_ns) / static_cast<double>(kHourNs);
        const double wear = kInitialWear * (std::exp(b * age_h) - 1);
        sample(p, 0, t, 0.5 + 2.0 * wear + 0.15 * noise(rng));
        sample(p, 1, t, 45 + 12 * wear + 0.8 * noise(rng));
        sample(p, 2, t, 100 + 5 * std::sin(age_h / 24 * 6.283) + noise(rng));
      }
      start = run.failure_ns + 2 * kHourNs;
    }
  }
  return runs;
}

}  // namespace zhizao::analytics::registry::testing
