// Deterministic random streams for the simulator: xoshiro256** seeded through SplitMix64.
//
// Every stream is named ("demo/plant1/pumping/ps01/pumphouse/P1/flow", "faults/unit3"), so
// adding a tag or a scale unit never shifts the numbers another stream draws. The same seed
// gives the same numbers on every run of the same binary. Not thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace zhizao::connect::sim {

// 64-bit FNV-1a: a stable hash of a stream name.
constexpr uint64_t HashName(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

class Rng {
 public:
  Rng() : Rng(0, "") {}
  Rng(uint64_t seed, std::string_view stream_name);

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1), 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  bool Bernoulli(double p) { return Uniform() < p; }
  // Standard normal (Box-Muller; the second value of each pair is kept for the next call).
  double Gaussian();
  // Exponential with the given mean (> 0).
  double Exponential(double mean);

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace zhizao::connect::sim
