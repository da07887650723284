// A gradient-boosted tree regressor: the one place that talks to XGBoost's C API.
// Internal to analytics/rul; no XGBoost type leaves this header. Every XGB* failure becomes a
// Status carrying XGBGetLastError()'s text.
//
// Move-only, owns its booster handle. Not thread-safe: XGBoost's predict writes into a buffer
// owned by the booster, so concurrent calls on one Booster need external synchronisation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zhizao::analytics::rul {

struct BoosterParams {
  int rounds = 300;
  int max_depth = 5;
  double eta = 0.05;
  double subsample = 0.8;         // rows sampled per tree
  double colsample_bytree = 0.8;  // features sampled per tree
  double min_child_weight = 5;
  double lambda = 1;              // L2 on leaf weights
  int nthread = 2;
  uint64_t seed = 0;
};

// A row-major matrix of float features.
struct FeatureMatrix {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<float> values;  // rows * cols
};

class Booster {
 public:
  Booster(Booster&& other) noexcept;
  Booster& operator=(Booster&& other) noexcept;
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;
  ~Booster();

  // Squared-error regression on (x, labels), rows weighted by `weights` (empty: all 1).
  // REQUIRES: labels.size() == x.rows, x.rows > 0, weights empty or of size x.rows.
  static Result<Booster> Train(const FeatureMatrix& x, std::span<const float> labels, const BoosterParams& params,
                               std::span<const float> weights = {});
  // Restores a booster saved by Save(); kCorruption with XGBoost's message when it refuses.
  static Result<Booster> Load(std::string_view bytes);

  Result<std::vector<float>> Predict(const FeatureMatrix& x) const;
  // Number of features the booster was trained on.
  Result<size_t> FeatureCount() const;
  // XGBoost's own UBJSON model format.
  Result<std::string> Save() const;

 private:
  explicit Booster(void* handle) : handle_(handle) {}
  void* handle_ = nullptr;  // BoosterHandle
};

}  // namespace zhizao::analytics::rul
