#include "connect/sim/internal/rng.h"

#include <cmath>
#include <numbers>

namespace zhizao::connect::sim {
namespace {

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

Rng::Rng(uint64_t seed, std::string_view stream_name) {
  // Mixing the name hash through SplitMix64 keeps nearby seeds and similar names uncorrelated.
  uint64_t state = SplitMix64(seed) ^ HashName(stream_name);
  for (uint64_t& word : s_) word = SplitMix64(state);
}

double Rng::Gaussian() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  const double u1 = 1.0 - Uniform();  // (0, 1]: log stays finite
  const double u2 = Uniform();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  spare_ = radius * std::sin(angle);
  has_spare_ = true;
  return radius * std::cos(angle);
}

double Rng::Exponential(double mean) { return -mean * std::log(1.0 - Uniform()); }

}  // namespace zhizao::connect::sim
