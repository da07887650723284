// Synthetic process data for the multivariate tests: a few latent factors driving correlated
// variables, optionally autocorrelated. Deterministic for a given seed.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "analytics/multivariate/matrix.h"

namespace zhizao::analytics::multivariate::testing {

// `vars` variables driven by 2 AR(1) latent factors (coefficient `phi`) plus 10 % noise.
inline RowMatrix LatentProcess(size_t rows, size_t vars, double phi, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<double> loading(vars * 2);
  std::mt19937_64 fixed(99);  // same loadings for every seed: one process, many runs
  for (double& l : loading) l = std::normal_distribution<double>()(fixed);
  RowMatrix m(rows, vars);
  double f1 = 0, f2 = 0;
  for (size_t r = 0; r < rows; ++r) {
    f1 = phi * f1 + normal(rng);
    f2 = phi * f2 + normal(rng);
    for (size_t c = 0; c < vars; ++c) m.at(r, c) = 10.0 * c + loading[2 * c] * f1 + loading[2 * c + 1] * f2 + 0.1 * normal(rng);
  }
  return m;
}

inline std::vector<std::string> Names(size_t vars) {
  std::vector<std::string> names;
  for (size_t i = 0; i < vars; ++i) names.push_back("v" + std::to_string(i));
  return names;
}

}  // namespace zhizao::analytics::multivariate::testing
