// Line-protocol parsing speed on the workload of /work/shared/bench/lpgen.cpp: 1000 devices x
// 60 s, one line per device and second with 10 float fields of 1-3 decimals, ms timestamps.
//   build/<dir>/bench/lineproto_bench --benchmark_counters_tabular=true
// Set ZZ_LINEPROTO_FILE to a file written by `lpgen --out` to parse it instead of the built-in
// equivalent. "points" counts field values, as lpgen and InfluxDB do.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "connect/lineproto/line_reader.h"

namespace zhizao::connect::lineproto {
namespace {

constexpr const char* kFieldNames[10] = {"temperature", "pressure", "vibration_rms", "current", "speed",
                                         "voltage",     "flow",     "level",         "power",   "humidity"};
constexpr int kFieldDecimals[10] = {2, 3, 3, 2, 1, 1, 2, 2, 3, 1};
constexpr double kFieldScale[10] = {70, 5, 3, 10, 1500, 400, 30, 60, 6, 40};

// The same shape as lpgen's output (its values come from smooth signals; these are random
// with the same digits). `shuffle_tags` writes the tags out of order, as careless clients do.
std::string MakePlantBody(bool shuffle_tags) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> unit(0.8, 1.2);
  std::string body;
  char buffer[64];
  for (int second = 0; second < 60; ++second) {
    for (int device = 0; device < 1000; ++device) {
      const int line = device / 50;
      const int site = line / 5;
      if (shuffle_tags) {
        std::snprintf(buffer, sizeof(buffer), "plant,site=s%02d,line=l%02d,device=d%05d", site, line, device);
      } else {
        std::snprintf(buffer, sizeof(buffer), "plant,device=d%05d,line=l%02d,site=s%02d", device, line, site);
      }
      body += buffer;
      for (int f = 0; f < 10; ++f) {
        std::snprintf(buffer, sizeof(buffer), "%c%s=%.*f", f ? ',' : ' ', kFieldNames[f], kFieldDecimals[f],
                      kFieldScale[f] * unit(rng));
        body += buffer;
      }
      body += " " + std::to_string(1'700'000'000'000 + second * 1000) + "\n";
    }
  }
  return body;
}

std::string LoadBody(bool shuffle_tags) {
  const char* path = std::getenv("ZZ_LINEPROTO_FILE");
  if (path == nullptr || shuffle_tags) return MakePlantBody(shuffle_tags);
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reads the whole body per iteration and touches every value, as a consumer would.
void ReadBody(benchmark::State& state, const std::string& body) {
  int64_t points = 0;
  for (auto _ : state) {
    LineReader reader(body, {.precision = Precision::kMillisecond, .default_ts_ns = 0});
    double sum = 0;
    points = 0;
    while (reader.Next()) {
      for (const Field& field : reader.line().fields) sum += *std::get_if<double>(&field.value);
      points += static_cast<int64_t>(reader.line().fields.size());
      benchmark::DoNotOptimize(reader.line().series_key.data());
    }
    if (reader.error_count() != 0) state.SkipWithError("the workload must parse without errors");
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * points);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
  state.counters["bytes_per_point"] = static_cast<double>(body.size()) / static_cast<double>(points);
}

void BM_ReadPlantBody(benchmark::State& state) { ReadBody(state, LoadBody(false)); }
BENCHMARK(BM_ReadPlantBody)->Unit(benchmark::kMillisecond);

// The same lines with their tags to sort: the series key is built instead of viewed.
void BM_ReadPlantBodyUnsortedTags(benchmark::State& state) { ReadBody(state, LoadBody(true)); }
BENCHMARK(BM_ReadPlantBodyUnsortedTags)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace zhizao::connect::lineproto
