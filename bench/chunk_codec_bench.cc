// Encode and decode speed of storage chunks, and bytes per point, on a line-protocol
// corpus: ZZ_CODEC_CORPUS=/tmp/plant.lp (comma-separated for several files; lpgen --out or
// `zhizao sim --format lp`). Without it, a synthetic plant of 100 series x 3600 samples.
// ZZ_CODEC_MAX_POINTS caps the points loaded per file.
//
//   ZZ_CODEC_CORPUS=/tmp/plant.lp build/release/bench/chunk_codec_bench
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <sstream>

#include "codec_corpus.h"
#include "storage/encoding/chunk.h"
#include "storage/encoding/rollup.h"

namespace zhizao::storage {
namespace {

// The engine's default seal size (HeadLimits::chunk_max_samples).
constexpr size_t kChunkSamples = 8192;
// The store's rollup budget: a record may cost up to 1/kRollupBudgetShare of its chunk.
const size_t kRollupBudgetShare = [] {
  const char* env = std::getenv("ZZ_ROLLUP_BUDGET_SHARE");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : size_t{4};
}();

struct Corpus {
  std::string name;
  std::vector<SeriesSamples> series;
  size_t points = 0;
};

SeriesSamples ToSamples(bench::CorpusSeries&& c) {
  SeriesSamples s;
  s.type = c.type;
  s.ts_ns = std::move(c.ts_ns);
  s.status.assign(s.ts_ns.size(), 0);
  s.f64 = std::move(c.f64);
  s.i64 = std::move(c.i64);
  s.str = std::move(c.str);
  return s;
}

Corpus Synthetic() {
  Corpus c{"synthetic", {}, 0};
  std::mt19937_64 rng(42);
  std::normal_distribution<double> noise(0, 5);
  for (int d = 0; d < 100; ++d) {
    SeriesSamples s;
    for (int i = 0; i < 3600; ++i) {
      s.ts_ns.push_back(1'700'000'000'000'000'000 + int64_t{i} * 1'000'000'000);
      s.status.push_back(0);
      double x = 6000 + 800 * std::sin(i / 300.0 + d) + noise(rng);
      s.f64.push_back(static_cast<double>(std::llround(x)) / 100);
    }
    c.points += s.size();
    c.series.push_back(std::move(s));
  }
  return c;
}

std::vector<Corpus> LoadCorpora() {
  const char* env = std::getenv("ZZ_CODEC_CORPUS");
  if (env == nullptr || *env == '\0') return {Synthetic()};
  uint64_t max_points = UINT64_MAX;
  if (const char* m = std::getenv("ZZ_CODEC_MAX_POINTS")) max_points = std::strtoull(m, nullptr, 10);
  std::vector<Corpus> out;
  std::stringstream paths(env);
  for (std::string path; std::getline(paths, path, ',');) {
    auto scale = bench::GuessTimestampScale(path);
    auto series = scale.ok() ? bench::LoadLineProtocol(path, {.ts_scale = *scale, .max_points = max_points})
                             : Result<std::vector<bench::CorpusSeries>>(scale.status());
    if (!series.ok()) {
      std::fprintf(stderr, "%s\n", series.status().ToString().c_str());
      std::exit(1);
    }
    Corpus c{path.substr(path.rfind('/') + 1), {}, 0};
    for (auto& s : *series) {
      c.points += s.size();
      c.series.push_back(ToSamples(std::move(s)));
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::string> EncodeAll(const Corpus& c, size_t block_samples) {
  std::vector<std::string> chunks;
  for (const SeriesSamples& s : c.series) {
    ChunkBuilder b(s.type, {.block_samples = block_samples});
    for (size_t at = 0; at < s.size(); at += block_samples) {
      b.Append(s, at, std::min(s.size(), at + block_samples));
      if (b.sample_count() >= kChunkSamples) chunks.push_back(b.Finish());
    }
    if (b.sample_count() > 0) chunks.push_back(b.Finish());
  }
  return chunks;
}

void SetCounters(benchmark::State& state, const Corpus& c, const std::vector<std::string>& chunks) {
  size_t bytes = 0;
  for (const auto& ch : chunks) bytes += ch.size();
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * c.points));
  state.counters["bytes_per_point"] = static_cast<double>(bytes) / static_cast<double>(c.points);
  state.counters["chunks"] = static_cast<double>(chunks.size());
  // What the 1-minute rollups the store keeps beside the chunks add (docs/formats/rollup.md).
  size_t rollup_bytes = 0, rolled_up = 0;
  for (const auto& ch : chunks) {
    SeriesSamples samples;
    std::string rollup;
    if (DecodeChunk(ch, &samples).ok() && encoding::EncodeRollup(samples, ch.size() / kRollupBudgetShare, &rollup)) {
      rollup_bytes += rollup.size();
      rolled_up += samples.size();
    }
  }
  state.counters["rollup_bytes_per_point"] = static_cast<double>(rollup_bytes) / static_cast<double>(c.points);
  state.counters["rolled_up_share"] = static_cast<double>(rolled_up) / static_cast<double>(c.points);
}

void BM_Encode(benchmark::State& state, const Corpus* c) {
  std::vector<std::string> chunks;
  for (auto _ : state) {
    chunks = EncodeAll(*c, static_cast<size_t>(state.range(0)));
    benchmark::DoNotOptimize(chunks.data());
  }
  SetCounters(state, *c, chunks);
}

void BM_Decode(benchmark::State& state, const Corpus* c) {
  std::vector<std::string> chunks = EncodeAll(*c, static_cast<size_t>(state.range(0)));
  SeriesSamples out;
  for (auto _ : state) {
    for (const auto& ch : chunks) {
      out.Clear();
      if (!DecodeChunk(ch, &out).ok()) state.SkipWithError("decode failed");
      benchmark::DoNotOptimize(out.ts_ns.data());
    }
  }
  SetCounters(state, *c, chunks);
}

// What ChunkStore::Write adds per chunk: decoding it and encoding its rollup.
void BM_Rollup(benchmark::State& state, const Corpus* c) {
  std::vector<std::string> chunks = EncodeAll(*c, 128);
  for (auto _ : state) {
    for (const auto& ch : chunks) {
      SeriesSamples samples;
      std::string rollup;
      if (!DecodeChunk(ch, &samples).ok()) state.SkipWithError("decode failed");
      benchmark::DoNotOptimize(encoding::EncodeRollup(samples, ch.size() / kRollupBudgetShare, &rollup));
    }
  }
  SetCounters(state, *c, chunks);
}

const std::vector<Corpus>& Corpora() {
  static const std::vector<Corpus> corpora = LoadCorpora();
  return corpora;
}

// Registered at startup so that each corpus gets its own named runs.
const bool kRegistered = [] {
  for (const Corpus& c : Corpora()) {
    benchmark::RegisterBenchmark(("Encode/" + c.name).c_str(), BM_Encode, &c)->Arg(64)->Arg(128)->Arg(256)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Decode/" + c.name).c_str(), BM_Decode, &c)->Arg(64)->Arg(128)->Arg(256)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Rollup/" + c.name).c_str(), BM_Rollup, &c)->Unit(benchmark::kMillisecond);
  }
  return true;
}();

}  // namespace
}  // namespace zhizao::storage
