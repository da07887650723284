// Measures candidate chunk encodings on line-protocol corpora and prints bytes/point per
// candidate as a markdown table: the numbers behind docs/formats/chunk.md "Why this encoding".
//
//   chunk_codec_bench_candidates FILE.lp [FILE.lp ...]   (ZZ_CODEC_MAX_POINTS caps each file)
//
// Sizes are exact byte counts of each layout (bit streams rounded up per block), computed
// without materialising the bytes, except zstd, which compresses real buffers.
#include <zstd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "codec_corpus.h"

namespace zhizao::bench {
namespace {

constexpr size_t kChunkSamples = 4096;
constexpr int64_t kChunkSpanNs = 2LL * 3600 * 1'000'000'000;

uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int BitWidth(uint64_t v) { return 64 - std::countl_zero(v); }
size_t VarintLen(uint64_t v) { return static_cast<size_t>(BitWidth(v | 1) + 6) / 7; }

// Frame of reference: varint min, width byte, n values of `width` bits.
size_t ForBytes(const int64_t* v, size_t n) {
  if (n == 0) return 0;
  auto [lo, hi] = std::minmax_element(v, v + n);
  uint64_t range = static_cast<uint64_t>(*hi) - static_cast<uint64_t>(*lo);
  return VarintLen(ZigZag(*lo)) + 1 + (n * BitWidth(range) + 7) / 8;
}

std::vector<int64_t> Deltas(const int64_t* v, size_t n) {
  std::vector<int64_t> d(n > 0 ? n - 1 : 0);
  for (size_t i = 1; i < n; ++i) d[i - 1] = static_cast<int64_t>(static_cast<uint64_t>(v[i]) - static_cast<uint64_t>(v[i - 1]));
  return d;
}

// Integer block coders. Each returns bytes for n integers.
size_t IntFor(const int64_t* v, size_t n) { return ForBytes(v, n); }
size_t IntDelta(const int64_t* v, size_t n) {
  auto d = Deltas(v, n);
  return VarintLen(ZigZag(v[0])) + ForBytes(d.data(), d.size());
}
size_t IntDod(const int64_t* v, size_t n) {
  if (n < 3) return IntDelta(v, n);
  auto d = Deltas(v, n);
  auto dd = Deltas(d.data(), d.size());
  return VarintLen(ZigZag(v[0])) + VarintLen(ZigZag(d[0])) + ForBytes(dd.data(), dd.size());
}
size_t IntBest(const int64_t* v, size_t n) { return 1 + std::min({IntFor(v, n), IntDelta(v, n), IntDod(v, n)}); }
size_t IntDeltaRice(const int64_t* v, size_t n) {
  auto d = Deltas(v, n);
  size_t best = SIZE_MAX;
  for (int k = 0; k < 40; ++k) {
    size_t bits = 0;
    for (int64_t x : d) bits += (ZigZag(x) >> k) + 1 + static_cast<size_t>(k);
    best = std::min(best, bits);
  }
  return VarintLen(ZigZag(v[0])) + 1 + (best + 7) / 8;
}

constexpr int kMaxExp = 15;
double Pow10(int e) { static double t[kMaxExp + 1] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}; return t[e]; }
double InvPow10(int e) { static double t[kMaxExp + 1] = {1e-0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15}; return t[e]; }

// Finds the smallest exponent e for which every value is m/10^e (div) or m*10^-e (mul)
// bit-exactly; false if none.
bool ToDecimal(const double* v, size_t n, std::vector<int64_t>* m) {
  m->resize(n);
  for (int e = 0; e <= kMaxExp; ++e) {
    bool div = true, mul = true;
    for (size_t i = 0; i < n && (div || mul); ++i) {
      double s = v[i] * Pow10(e);
      if (!(std::fabs(s) < 4503599627370496.0)) { div = mul = false; break; }
      int64_t q = std::llround(s);
      double x = static_cast<double>(q);
      div = div && std::bit_cast<uint64_t>(x / Pow10(e)) == std::bit_cast<uint64_t>(v[i]);
      mul = mul && std::bit_cast<uint64_t>(x * InvPow10(e)) == std::bit_cast<uint64_t>(v[i]);
      (*m)[i] = q;
    }
    if (div || mul) return true;
  }
  return false;
}

// Gorilla (Pelkonen et al. 2015) XOR value bits, first value included.
size_t GorillaValueBits(const double* v, size_t n) {
  size_t bits = 64;
  int lead = -1, trail = 0;
  for (size_t i = 1; i < n; ++i) {
    uint64_t x = std::bit_cast<uint64_t>(v[i]) ^ std::bit_cast<uint64_t>(v[i - 1]);
    if (x == 0) { bits += 1; continue; }
    int l = std::min(std::countl_zero(x), 31), t = std::countr_zero(x);
    if (lead >= 0 && l >= lead && t >= trail) { bits += 2 + static_cast<size_t>(64 - lead - trail); continue; }
    lead = l, trail = t;
    bits += 2 + 5 + 6 + static_cast<size_t>(64 - l - t);
  }
  return bits;
}
size_t GorillaTsBits(const int64_t* t, size_t n) {
  size_t bits = 64 + (n > 1 ? 64 : 0);
  for (size_t i = 2; i < n; ++i) {
    int64_t dod = (t[i] - t[i - 1]) - (t[i - 1] - t[i - 2]);
    if (dod == 0) bits += 1;
    else if (dod >= -63 && dod <= 64) bits += 9;
    else if (dod >= -255 && dod <= 256) bits += 12;
    else if (dod >= -2047 && dod <= 2048) bits += 16;
    else bits += 4 + 64;
  }
  return bits;
}

// Block timestamps as the chosen format stores them: nothing when the block continues the
// previous period, a new first/period pair for a regular block, else delta FOR.
size_t TsBlockBytes(const int64_t* t, size_t n, int64_t* prev_last, int64_t* prev_period) {
  auto d = Deltas(t, n);
  bool regular = std::all_of(d.begin(), d.end(), [&](int64_t x) { return x == (d.empty() ? 0 : d[0]); });
  int64_t period = d.empty() ? *prev_period : d[0];
  size_t bytes = 0;
  if (!(regular && period == *prev_period && t[0] - *prev_last == period)) {
    bytes = VarintLen(ZigZag(t[0] - *prev_last - *prev_period)) + (regular ? VarintLen(static_cast<uint64_t>(period)) : ForBytes(d.data(), d.size()));
  }
  *prev_last = t[n - 1], *prev_period = period;
  return bytes;
}

size_t ZstdBytes(const std::string& buf, int level) {
  std::string out(ZSTD_compressBound(buf.size()), '\0');
  return ZSTD_compress(out.data(), out.size(), buf.data(), buf.size(), level);
}
template <typename T>
void PutRaw(std::string* s, T v) { s->append(reinterpret_cast<const char*>(&v), sizeof v); }

struct Tally {
  std::map<std::string, double> bytes;
  double points = 0;
  size_t blocks = 0, decimal_blocks = 0;
};

// Per block of `block` samples: value bytes of each candidate, and the block overhead
// (varint length, varint count, flags byte, timestamps).
void MeasureChunk(const CorpusSeries& s, size_t from, size_t to, Tally* t) {
  const size_t n = to - from;
  const int64_t* ts = s.ts_ns.data() + from;
  t->points += static_cast<double>(n);
  t->bytes["chunk header + crc"] += 32;
  t->bytes["gorilla (dod ts + xor)"] += static_cast<double>((GorillaTsBits(ts, n) + 7) / 8);
  std::string raw;
  std::vector<int64_t> ints(n);
  for (size_t i = 0; i < n; ++i) PutRaw(&raw, i == 0 ? ts[0] : ts[i] - ts[i - 1]);
  if (s.type == DataType::kFloat64) {
    t->bytes["gorilla (dod ts + xor)"] += static_cast<double>((GorillaValueBits(s.f64.data() + from, n) + 7) / 8);
    for (size_t i = 0; i < n; ++i) PutRaw(&raw, s.f64[from + i]);
  } else {
    for (size_t i = 0; i < n; ++i) PutRaw(&raw, s.i64[from + i]);
  }
  t->bytes["zstd-3 (raw ts deltas + values)"] += static_cast<double>(ZstdBytes(raw, 3));
  for (size_t block : {64, 128, 256}) {
    std::string tag = "/" + std::to_string(block);
    int64_t prev_last = ts[0], prev_period = 0;
    for (size_t b = 0; b < n; b += block) {
      size_t bn = std::min(block, n - b);
      size_t over = 1 + VarintLen(bn - 1) + 1 + TsBlockBytes(ts + b, bn, &prev_last, &prev_period);
      std::vector<int64_t> m;
      bool dec = s.type != DataType::kFloat64 || ToDecimal(s.f64.data() + from + b, bn, &m);
      if (s.type != DataType::kFloat64) m.assign(s.i64.begin() + static_cast<ptrdiff_t>(from + b), s.i64.begin() + static_cast<ptrdiff_t>(from + b + bn));
      size_t fallback = dec ? 0 : (GorillaValueBits(s.f64.data() + from + b, bn) + 7) / 8;
      auto cost = [&](size_t v) { return static_cast<double>(over + (dec ? v + 1 : fallback)); };
      if (block == 128) {
        t->blocks++;
        t->decimal_blocks += dec;
        t->bytes["decimal + FOR" + tag] += cost(dec ? IntFor(m.data(), bn) : 0);
        t->bytes["decimal + delta + FOR" + tag] += cost(dec ? IntDelta(m.data(), bn) : 0);
        t->bytes["decimal + dod + FOR" + tag] += cost(dec ? IntDod(m.data(), bn) : 0);
        t->bytes["decimal + delta + Rice" + tag] += cost(dec ? IntDeltaRice(m.data(), bn) : 0);
      }
      t->bytes["decimal + best of FOR/delta/dod" + tag] += cost(dec ? IntBest(m.data(), bn) : 0);
    }
  }
}

void Measure(const std::vector<CorpusSeries>& corpus, Tally* t) {
  for (const auto& s : corpus) {
    if (s.type == DataType::kString) continue;
    size_t from = 0;
    while (from < s.size()) {
      size_t to = from + 1;
      while (to < s.size() && to - from < kChunkSamples && s.ts_ns[to] - s.ts_ns[from] < kChunkSpanNs) ++to;
      MeasureChunk(s, from, to, t);
      from = to;
    }
  }
}

int Main(int argc, char** argv) {
  uint64_t max_points = UINT64_MAX;
  if (const char* e = std::getenv("ZZ_CODEC_MAX_POINTS")) max_points = std::strtoull(e, nullptr, 10);
  std::vector<std::string> names;
  std::vector<Tally> tallies;
  for (int a = 1; a < argc; ++a) {
    auto scale = GuessTimestampScale(argv[a]);
    if (!scale.ok()) return std::fprintf(stderr, "%s\n", scale.status().ToString().c_str()), 1;
    auto corpus = LoadLineProtocol(argv[a], {.ts_scale = *scale, .max_points = max_points});
    if (!corpus.ok()) return std::fprintf(stderr, "%s\n", corpus.status().ToString().c_str()), 1;
    Tally t;
    Measure(*corpus, &t);
    std::fprintf(stderr, "%s: %zu series, %.0f points, %.1f%% of 128-blocks decimal-exact\n", argv[a], corpus->size(),
                 t.points, 100.0 * static_cast<double>(t.decimal_blocks) / static_cast<double>(std::max<size_t>(1, t.blocks)));
    names.push_back(argv[a]);
    tallies.push_back(std::move(t));
  }
  std::printf("| candidate (values; ts per block unless named) |");
  for (auto& n : names) std::printf(" %s |", n.c_str());
  std::printf("\n|---|");
  for (size_t i = 0; i < names.size(); ++i) std::printf("---:|");
  std::printf("\n");
  for (auto& [name, _] : tallies[0].bytes) {
    std::printf("| %s |", name.c_str());
    for (auto& t : tallies) std::printf(" %.3f |", t.bytes[name] / t.points);
    std::printf("\n");
  }
  return 0;
}

}  // namespace
}  // namespace zhizao::bench

int main(int argc, char** argv) { return zhizao::bench::Main(argc, argv); }
