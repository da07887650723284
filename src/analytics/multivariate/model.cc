// Training: validation, standardisation, the method's fit, and the threshold rule.
#include <algorithm>
#include <cmath>
#include <string>

#include "analytics/multivariate/internal/model_data.h"
#include "analytics/multivariate/model.h"

namespace zhizao::analytics::multivariate {
namespace {

using internal::ModelData;

Status ValidateOptions(const TrainOptions& o) {
  if (o.method != Method::kPca && o.method != Method::kDynamicPca && o.method != Method::kCva &&
      o.method != Method::kKernelRegression)
    return Status::InvalidArgument("cannot train: unknown method");
  if (o.method == Method::kKernelRegression && o.ewma != 0)
    return Status::InvalidArgument("cannot train: ewma is not available for kernel regression");
  if (o.method != Method::kKernelRegression && !o.inputs.empty())
    return Status::InvalidArgument("cannot train: inputs are for kernel regression only");
  if (o.method == Method::kKernelRegression && (o.memory_rows < 8 || o.memory_rows > 4096))
    return Status::InvalidArgument("cannot train: memory_rows must be in [8, 4096]");
  if (!(o.confidence > 0.5 && o.confidence < 1)) return Status::InvalidArgument("cannot train: confidence must be in (0.5, 1)");
  if (!(o.variance_explained > 0 && o.variance_explained <= 1))
    return Status::InvalidArgument("cannot train: variance_explained must be in (0, 1]");
  if ((o.method == Method::kDynamicPca || o.method == Method::kCva) && (o.lags == 0 || o.lags > 50))
    return Status::InvalidArgument("cannot train: lags must be in [1, 50] for a dynamic method");
  if (!(o.ewma >= 0 && o.ewma < 1)) return Status::InvalidArgument("cannot train: ewma must be in [0, 1)");
  if (o.threshold == ThresholdRule::kCrossValidated && (o.cv_folds < 2 || o.cv_folds > 50))
    return Status::InvalidArgument("cannot train: cv_folds must be in [2, 50]");
  return Status::Ok();
}

Status ValidateInputs(const std::vector<size_t>& inputs, size_t cols) {
  std::vector<bool> seen(cols, false);
  for (size_t c : inputs) {
    if (c >= cols || seen[c]) return Status::InvalidArgument("cannot train: input column " + std::to_string(c) +
                                                             " out of range or given twice");
    seen[c] = true;
  }
  if (inputs.size() == cols && cols > 0) return Status::InvalidArgument("cannot train: every column is an input, none is monitored");
  return Status::Ok();
}

Status ValidateData(const RowMatrix& data, const std::vector<std::string>& names) {
  if (data.rows == 0 || data.cols == 0) return Status::InvalidArgument("cannot train: no data");
  if (data.values.size() != data.rows * data.cols) return Status::InvalidArgument("cannot train: matrix size mismatch");
  if (names.size() != data.cols)
    return Status::InvalidArgument("cannot train: " + std::to_string(names.size()) + " names for " +
                                   std::to_string(data.cols) + " columns");
  for (size_t r = 0; r < data.rows; ++r)
    for (size_t c = 0; c < data.cols; ++c)
      if (!std::isfinite(data.at(r, c)))
        return Status::InvalidArgument("cannot train: row " + std::to_string(r) + " column '" + names[c] +
                                       "' is not finite");
  return Status::Ok();
}

Eigen::MatrixXd ToEigen(const RowMatrix& m, size_t first, size_t count) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(count), static_cast<Eigen::Index>(m.cols));
  for (size_t r = 0; r < count; ++r)
    for (size_t c = 0; c < m.cols; ++c) out(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = m.at(first + r, c);
  return out;
}

// Fits on the rows outside [skip_begin, skip_end), standardised with their own mean and sd.
Result<std::shared_ptr<ModelData>> FitCore(const RowMatrix& data, const std::vector<std::string>& names,
                                           const TrainOptions& options, size_t skip_begin, size_t skip_end) {
  std::vector<Eigen::MatrixXd> segments;
  if (skip_begin > 0) segments.push_back(ToEigen(data, 0, skip_begin));
  if (skip_end < data.rows) segments.push_back(ToEigen(data, skip_end, data.rows - skip_end));
  Eigen::Index n = 0;
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(data.cols));
  for (const auto& s : segments) sum += s.colwise().sum().transpose(), n += s.rows();
  if (n < 3) return Status::InvalidArgument("cannot train: fewer than 3 rows");
  const Eigen::VectorXd mean = sum / static_cast<double>(n);
  Eigen::VectorXd ss = Eigen::VectorXd::Zero(mean.size());
  for (const auto& s : segments) ss += (s.rowwise() - mean.transpose()).array().square().colwise().sum().matrix().transpose();
  const Eigen::VectorXd sd = (ss / static_cast<double>(n - 1)).cwiseSqrt();
  for (Eigen::Index c = 0; c < sd.size(); ++c)
    if (!(sd(c) > 1e-12 * std::max(1.0, std::abs(mean(c)))))
      return Status::InvalidArgument("cannot train: column '" + names[static_cast<size_t>(c)] +
                                     "' is constant in the training rows; leave it out of the model");
  for (auto& s : segments) s = (s.rowwise() - mean.transpose()).array().rowwise() / sd.transpose().array();
  auto fitted = options.method == Method::kCva                ? internal::FitCva(segments, options)
                : options.method == Method::kKernelRegression ? internal::FitKernel(segments, options)
                                                              : internal::FitPca(segments, options);
  if (!fitted.ok()) return fitted.status();
  auto d = std::make_shared<ModelData>(std::move(fitted).value());
  d->names = names;
  d->mean = mean;
  d->scale = sd;
  d->confidence = options.confidence;
  d->ewma = options.ewma;
  // Var(e) = λ / (2 - λ) Var(x) for independent x.
  if (d->ewma > 0)
    for (internal::Statistic& s : d->stats) s.limit *= d->ewma / (2 - d->ewma);
  ZZ_RETURN_IF_ERROR(internal::Finalize(*d));
  return d;
}

// The ratio quantile of held-out blocks: the scale that makes a share 1 - confidence of them alarm.
Result<double> CrossValidatedScale(const RowMatrix& data, const std::vector<std::string>& names, TrainOptions options,
                                   size_t components) {
  options.components = components;
  std::vector<double> ratios;
  for (size_t f = 0; f < options.cv_folds; ++f) {
    const size_t begin = data.rows * f / options.cv_folds, end = data.rows * (f + 1) / options.cv_folds;
    auto d = FitCore(data, names, options, begin, end);
    if (!d.ok()) return d.status().WithContext("cross-validation fold " + std::to_string(f));
    Scorer scorer{Model(*d)};
    for (size_t r = begin; r < end; ++r) {
      auto s = scorer.Push(data.row(r), false);
      if (s.ok() && s->ready) ratios.push_back(s->ratio);
    }
  }
  if (ratios.empty()) return Status::InvalidArgument("cannot train: cross-validation blocks too short for the window");
  return internal::EmpiricalQuantile(std::move(ratios), options.confidence);
}

}  // namespace

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kPca: return "pca";
    case Method::kDynamicPca: return "dpca";
    case Method::kCva: return "cva";
    case Method::kKernelRegression: return "aakr";
  }
  return "unknown";
}

Model::Model(std::shared_ptr<ModelData> data) : data_(std::move(data)) {}

Result<Model> Model::Train(const RowMatrix& data, std::vector<std::string> names, const TrainOptions& options) {
  ZZ_RETURN_IF_ERROR(ValidateOptions(options));
  ZZ_RETURN_IF_ERROR(ValidateData(data, names));
  ZZ_RETURN_IF_ERROR(ValidateInputs(options.inputs, data.cols));
  ZZ_ASSIGN_OR_RETURN(std::shared_ptr<ModelData> d, FitCore(data, names, options, 0, 0));
  // Kernel regression's fit already set its limit from held-out rows (fit_kernel.cc).
  if (options.threshold == ThresholdRule::kCrossValidated && options.method != Method::kKernelRegression) {
    ZZ_ASSIGN_OR_RETURN(d->threshold_scale, CrossValidatedScale(data, names, options, d->components));
  }
  return Model(std::move(d));
}

Method Model::method() const { return data_->method; }
const std::vector<std::string>& Model::variable_names() const { return data_->names; }
size_t Model::window() const { return data_->window; }
size_t Model::components() const { return data_->components; }
size_t Model::training_rows() const { return data_->training_rows; }
double Model::threshold_scale() const { return data_->threshold_scale; }

std::vector<std::string> Model::statistic_names() const {
  std::vector<std::string> out;
  for (const auto& s : data_->stats) out.push_back(s.name);
  return out;
}

void Model::set_threshold_scale(double scale) {
  if (std::isfinite(scale) && scale > 0) data_->threshold_scale = scale;
}

Result<std::vector<Score>> Model::ScoreRange(const RowMatrix& data, bool with_contributions) const {
  Scorer scorer(*this);
  std::vector<Score> out;
  out.reserve(data.rows);
  for (size_t r = 0; r < data.rows; ++r) {
    auto s = scorer.Push(data.row(r), with_contributions);
    if (!s.ok()) return s.status().WithContext("row " + std::to_string(r));
    out.push_back(std::move(s).value());
  }
  return out;
}

}  // namespace zhizao::analytics::multivariate
