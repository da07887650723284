// The fitted state behind a Model, and the helpers the fitters share. Internal to multivariate:
// includes Eigen, which the public headers keep out.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "analytics/multivariate/model.h"
#include "common/status.h"

namespace zhizao::analytics::multivariate::internal {

// s = |A x|², x the standardised stacked vector (window × vars, newest row first).
struct Statistic {
  std::string name;
  Eigen::MatrixXd a;  // rows × dim
  double limit = 0;   // theoretical limit at the training confidence, > 0
};

struct ModelData {
  Method method = Method::kPca;
  std::vector<std::string> names;
  size_t window = 1;
  size_t components = 0;
  size_t training_rows = 0;
  double confidence = 0.99;
  double threshold_scale = 1;
  double ewma = 0;  // TrainOptions::ewma
  Eigen::VectorXd mean, scale;  // per variable
  std::vector<Statistic> stats;
  // Kernel regression only: memory rows (standardised, one column per variable), the Gaussian
  // kernel's bandwidth, and each variable's held-out RMS residual (standardised units). Its one
  // statistic is |r|², r the residual divided by residual_scale (stats[0].a is the identity, with
  // 0 on the diagonal for inputs: TrainOptions::inputs).
  Eigen::MatrixXd memory;
  double bandwidth = 0;
  Eigen::VectorXd residual_scale;

  // Derived by Finalize(), not saved: the combined index M = Σ_j A_j'A_j / limit_j and, per
  // variable i, the pseudo-inverse of Ξ_i' M Ξ_i (Ξ_i selects variable i at every lag).
  Eigen::MatrixXd combined;
  std::vector<Eigen::MatrixXd> reconstruction_inverse;
  Eigen::VectorXd memory_norms;  // kernel regression: squared norm of each memory row
  std::vector<bool> monitored;   // per variable: some statistic reads it (false: an input)

  size_t vars() const { return names.size(); }
  size_t dim() const { return vars() * window; }
};

// Checks the invariants (sizes, finite values, positive scale and limits) and computes the
// derived members. Used after training and after Load.
Status Finalize(ModelData& data);

// Rows of `z` stacked with their `window - 1` predecessors: row t of the result is
// [z_{t+w-1}, z_{t+w-2}, ..., z_t] (newest first). REQUIRES: z.rows() >= window.
Eigen::MatrixXd Stack(const Eigen::MatrixXd& z, size_t window);

// Symmetric eigen-decomposition with eigenvalues in decreasing order.
struct Eigen2 {
  Eigen::VectorXd values;
  Eigen::MatrixXd vectors;
};
Eigen2 SortedEigen(const Eigen::MatrixXd& symmetric);

// The fitters: `segments` are standardised runs of rows (time order within each); the result has
// method, window, components, stats and training_rows set. `components` 0 = automatic.
Result<ModelData> FitPca(const std::vector<Eigen::MatrixXd>& segments, const TrainOptions& options);
Result<ModelData> FitCva(const std::vector<Eigen::MatrixXd>& segments, const TrainOptions& options);
Result<ModelData> FitKernel(const std::vector<Eigen::MatrixXd>& segments, const TrainOptions& options);

// The kernel regression's estimate of the standardised row x: the memory rows' mean weighted by
// exp(-|x - m_i|² / 2h²).
// REQUIRES: memory has at least one row and x.size() columns, memory_norms holds each memory
// row's squared norm, bandwidth in [1e-100, 1e100]. Thread-safe (scratch is per thread).
void KernelEstimate(const Eigen::MatrixXd& memory, const Eigen::VectorXd& memory_norms, double bandwidth,
                    const Eigen::VectorXd& x, Eigen::VectorXd& estimate);

// Upper `confidence` limit of Hotelling's T² with k components from n training samples,
// k (n² - 1) / (n (n - k)) F(k, n - k).
double HotellingLimit(size_t k, size_t n, double confidence);
// Jackson–Mudholkar limit of SPE from the residual eigenvalues (of the covariance).
double SpeLimit(const Eigen::VectorXd& residual_eigenvalues, double confidence);
// The `confidence` quantile of `values` as an upper order statistic: the value a share
// `confidence` of them do not exceed. REQUIRES: values not empty.
double EmpiricalQuantile(std::vector<double> values, double confidence);
// Upper `confidence` quantile of χ² with `degrees` degrees of freedom.
double ChiSquaredLimit(double degrees, double confidence);

// Score of one standardised stacked vector (kernel regression: of one standardised row, whose
// scaled residual against the kernel estimate it scores). A non-finite statistic alarms.
void ScoreVector(const ModelData& data, const Eigen::VectorXd& x, bool with_contributions, Score& out);

}  // namespace zhizao::analytics::multivariate::internal
