// A constructed run-to-failure fleet for the RUL tests: several operating regimes, one sensor
// that degrades, one that only reflects the regime, one constant sensor. Deterministic.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "analytics/rul/rul_row.h"

namespace zhizao::analytics::rul::testing {

struct FleetOptions {
  int units = 12;
  int first_unit = 1;
  int regimes = 3;  // operating points (settings) cycled through at random
  uint32_t seed = 7;
};

// Regime r has settings (10 r, 0.5 r) and shifts every sensor by 100 r; the degrading sensor
// rises as exp(3 (t / life - 1)), so it is flat at first and steep near failure.
inline std::vector<Row> MakeFleet(const FleetOptions& o) {
  std::mt19937 rng(o.seed);
  std::normal_distribution<double> noise(0.0, 0.1);
  std::uniform_int_distribution<int> life_dist(120, 220), regime_dist(0, o.regimes - 1);
  std::vector<Row> rows;
  for (int u = o.first_unit; u < o.first_unit + o.units; ++u) {
    const int life = life_dist(rng);
    for (int t = 1; t <= life; ++t) {
      const int r = regime_dist(rng);
      const double wear = std::exp(3.0 * (static_cast<double>(t) / life - 1.0));
      rows.push_back({.unit = u, .cycle = t, .settings = {10.0 * r + noise(rng) * 0.01, 0.5 * r},
                      .sensors = {100.0 * r + wear + noise(rng), 50.0 + 100.0 * r + noise(rng), 7.0}});
    }
  }
  return rows;
}

}  // namespace zhizao::analytics::rul::testing
