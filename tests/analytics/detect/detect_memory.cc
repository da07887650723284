// Memory a TagMonitor holds per tag, measured by hand (docs/analytics/detectors.md, "Memory"):
//   detect_memory [TAGS] [ENABLED_MASK] [TABLE_BITS]
// Builds TAGS monitors (default 10,000; mask default 0x1FF = all detectors, 0x1FE = the live
// set without the context detector), feeds them all one sample at a time, round-robin as a
// server does, and prints the heap in use (mallinfo2) per tag at 0, 300 and 1,000 samples and
// the peak per tag seen between those points (checked after every round).
#include <malloc.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "analytics/detect/tag_monitor.h"

namespace {
namespace detect = zhizao::analytics::detect;

size_t HeapInUse() { return mallinfo2().uordblks; }

// A noisy daily cycle of 5-minute samples, a different phase per tag.
double Sample(size_t tag, int i) {
  const uint64_t h = (tag * 0x9e3779b97f4a7c15ULL) ^ (static_cast<uint64_t>(i) * 0xff51afd7ed558ccdULL);
  const double noise = static_cast<double>((h >> 11) & 0xffff) / 65536.0 - 0.5;
  return 50 + 10 * std::sin(2 * M_PI * (i + static_cast<double>(tag % 288)) / 288.0) + noise;
}
}  // namespace

int main(int argc, char** argv) {
  const size_t tags = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10000;
  detect::TagMonitorOptions options;
  if (argc > 2) options.enabled = static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 0));
  if (argc > 3) options.context.table_bits = std::atoi(argv[3]);
  std::printf("sizeof: TagMonitor %zu (ContextDetector %zu, Dspot %zu, Cusum %zu, SensorFaults %zu)\n",
              sizeof(detect::TagMonitor), sizeof(detect::ContextDetector), sizeof(detect::Dspot),
              sizeof(detect::Cusum), sizeof(detect::SensorFaults));
  const size_t base = HeapInUse();
  std::vector<std::unique_ptr<detect::TagMonitor>> monitors;
  monitors.reserve(tags);
  for (size_t t = 0; t < tags; ++t) monitors.push_back(std::make_unique<detect::TagMonitor>(options));
  const auto per_tag = [&](size_t heap) { return static_cast<double>(heap - base) / static_cast<double>(tags); };
  std::printf("%zu tags, enabled 0x%x, table_bits %d\n", tags, options.enabled, options.context.table_bits);
  std::printf("  after    0 samples: %8.0f B/tag\n", per_tag(HeapInUse()));
  size_t peak = 0;
  double checksum = 0;
  int fed = 0;
  for (int until : {300, 1000}) {
    for (; fed < until; ++fed) {
      for (size_t t = 0; t < tags; ++t) checksum += monitors[t]->Update(fed * 300'000'000'000LL, Sample(t, fed)).score;
      peak = std::max(peak, HeapInUse());
    }
    std::printf("  after %4d samples: %8.0f B/tag (peak so far %8.0f B/tag)\n", until, per_tag(HeapInUse()),
                per_tag(peak));
  }
  std::printf("  state blob: %zu B/tag; checksum of scores %.6f\n", monitors[0]->Save().size(), checksum);
  return 0;
}
