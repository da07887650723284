// Heap the live analytics holds per numeric tag, measured by hand (docs/analytics/detectors.md,
// "Memory"):  live_memory [TAGS]
// Makes a catalog of TAGS float64 tags (default 5,000) in a temporary directory, opens
// LiveAnalytics with its defaults, publishes one sample per tag per round (5-minute steps, as a
// server receives them) and scores each round at once, then prints the heap in use (mallinfo2)
// per tag above what it was before the first sample: after 1, 300 and 1,000 samples a tag.
#include <malloc.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "analytics/live/live_analytics.h"
#include "common/batch.h"

namespace {
using namespace zhizao;

size_t HeapInUse() { return mallinfo2().uordblks; }

double Sample(TagId tag, int i) {
  const uint64_t h = (tag * 0x9e3779b97f4a7c15ULL) ^ (static_cast<uint64_t>(i) * 0xff51afd7ed558ccdULL);
  const double noise = static_cast<double>((h >> 11) & 0xffff) / 65536.0 - 0.5;
  return 50 + 10 * std::sin(2 * M_PI * (i + static_cast<double>(tag % 288)) / 288.0) + noise;
}
}  // namespace

int main(int argc, char** argv) {
  const size_t tags = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 5000;
  const auto dir = std::filesystem::temp_directory_path() / ("zz-live-memory-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    auto catalog = std::move(catalog::Catalog::Open((dir / "catalog.db").string())).value();
    for (size_t line = 0; line <= (tags + 99) / 100; ++line) {  // 100 tags an asset
      catalog::Asset asset;
      asset.path = line == 0 ? "plant" : "plant/line" + std::to_string(line - 1);
      asset.level = line == 0 ? catalog::AssetLevel::kEnterprise : catalog::AssetLevel::kEquipment;
      if (!catalog->UpsertAsset(asset).ok()) return 1;
    }
    std::vector<TagId> ids;
    for (size_t t = 0; t < tags; ++t) {
      catalog::Tag tag;
      tag.path = "plant/line" + std::to_string(t / 100) + "/sensor_temperature_" + std::to_string(t);
      tag.data_type = DataType::kFloat64;
      Result<TagId> id = catalog->UpsertTag(tag);
      if (!id.ok()) {
        std::fprintf(stderr, "%s\n", id.status().ToString().c_str());
        return 1;
      }
      ids.push_back(*id);
    }
    MetricsRegistry metrics;
    stream::Hub hub(metrics);
    auto live = std::move(analytics::live::LiveAnalytics::Open(*catalog, hub, metrics, {})).value();
    const size_t base = HeapInUse();
    int fed = 0;
    for (int until : {1, 300, 1000}) {
      for (; fed < until; ++fed) {
        Batch batch;
        for (TagId id : ids) batch.AddFloat64(id, fed * 300'000'000'000LL, Sample(id, fed));
        hub.Publish(batch);
        live->ProcessQueued();
      }
      std::printf("%zu tags, after %4d samples: %8.0f B/tag\n", tags, until,
                  static_cast<double>(HeapInUse() - base) / static_cast<double>(tags));
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
