// RowMatrix: the plain data type at the multivariate API, so that includers do not pay for Eigen.
//
// Row-major: rows are samples in time order, columns are variables. Value type; not thread-safe
// to mutate while shared.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace zhizao::analytics::multivariate {

struct RowMatrix {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<double> values;  // rows * cols, row-major

  RowMatrix() = default;
  RowMatrix(size_t r, size_t c) : rows(r), cols(c), values(r * c, 0.0) {}

  double& at(size_t r, size_t c) { return values[r * cols + c]; }
  double at(size_t r, size_t c) const { return values[r * cols + c]; }
  std::span<const double> row(size_t r) const { return {values.data() + r * cols, cols}; }
};

}  // namespace zhizao::analytics::multivariate
