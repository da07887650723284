// Points per second of TagMonitor::Update on one core (one tag, all detectors on).
//   detect_bench [points] [repeats]   -> prints each run and the median
// Rates are per CPU second of this thread (CLOCK_THREAD_CPUTIME_ID), so that a loaded, shared
// machine measures the code rather than the scheduler; the wall-clock rate is printed too.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "analytics/detect/tag_monitor.h"

int main(int argc, char** argv) {
  using zhizao::analytics::detect::TagMonitor;
  const size_t points = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 5'000'000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 7;
  std::vector<double> values(points);
  std::mt19937_64 rng(1);
  std::normal_distribution<double> noise(0, 1);
  for (size_t i = 0; i < points; ++i) values[i] = 50 + 10 * std::sin(static_cast<double>(i) * 0.01) + noise(rng);
  std::vector<double> rates;
  double sink = 0;
  for (int r = 0; r < repeats; ++r) {
    TagMonitor monitor;
    timespec cpu0{}, cpu1{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
    const auto start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < points; ++i)
      sink += monitor.Update(static_cast<int64_t>(i) * 1'000'000'000LL, values[i]).score;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
    const double cpu = static_cast<double>(cpu1.tv_sec - cpu0.tv_sec) + 1e-9 * static_cast<double>(cpu1.tv_nsec - cpu0.tv_nsec);
    rates.push_back(static_cast<double>(points) / cpu);
    std::printf("run %d: %.2f M points/s per CPU second (%.2f M/s wall)\n", r, rates.back() / 1e6,
                static_cast<double>(points) / wall / 1e6);
  }
  std::sort(rates.begin(), rates.end());
  std::printf("median: %.2f M points/s per CPU second (checksum %.3f)\n", rates[rates.size() / 2] / 1e6, sink);
  return 0;
}
