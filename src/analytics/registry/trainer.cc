#include "analytics/registry/trainer.h"

#include <openssl/evp.h>

#include <bit>
#include <cstring>
#include <memory>
#include <set>

#include "analytics/registry/history_reader.h"
#include "analytics/registry/model_monitor.h"
#include "analytics/registry/row_grid.h"

namespace zhizao::analytics::registry {
namespace {

struct Rows {
  std::vector<int64_t> ts_ns;
  std::vector<double> values;  // row-major
  int64_t incomplete = 0;
};

Status CheckSpec(const TrainSpec& spec) {
  ZZ_RETURN_IF_ERROR(catalog::ValidateModelId(spec.model_id));
  if (spec.inputs.size() < 2) return Status::InvalidArgument("a model needs at least 2 input tags");
  std::set<TagId> seen;
  for (const catalog::Tag& tag : spec.inputs) {
    if (tag.data_type == DataType::kString) return Status::InvalidArgument("input tag " + tag.path + " is not numeric");
    if (!seen.insert(tag.id).second) return Status::InvalidArgument("input tag " + tag.path + " is given twice");
  }
  if (spec.from_ns >= spec.to_ns) return Status::InvalidArgument("the training range is empty: from must be before to");
  if (spec.step_ns <= 0) return Status::InvalidArgument("the grid step must be positive");
  if (spec.card) ZZ_RETURN_IF_ERROR(catalog::ValidateModelCard(*spec.card));
  return Status::Ok();
}

Result<Rows> ReadRows(const query::SampleSource& history, const TrainSpec& spec) {
  Rows rows;
  const size_t cols = spec.inputs.size();
  bool too_many = false;
  RowGrid grid(cols, spec.step_ns, MaxSampleAgeNs(spec.step_ns), [&](const GridRow& row) {
    if (!row.complete) {
      ++rows.incomplete;
      return;
    }
    if (static_cast<int64_t>(rows.ts_ns.size()) >= kMaxTrainingRows) {
      too_many = true;
      return;
    }
    rows.ts_ns.push_back(row.ts_ns);
    rows.values.insert(rows.values.end(), row.values.begin(), row.values.end());
  });
  std::vector<TagId> tags;
  for (const catalog::Tag& tag : spec.inputs) tags.push_back(tag.id);
  ZZ_RETURN_IF_ERROR(VisitHistory(history, tags, spec.from_ns, spec.to_ns,
                                  [&](size_t column, int64_t ts_ns, double value) { grid.Add(column, ts_ns, value); }));
  if (too_many) {
    return Status::InvalidArgument("the training range holds more than " + std::to_string(kMaxTrainingRows) +
                                   " rows at this step: shorten the range or lengthen the step");
  }
  return rows;
}

// Trains on the first four fifths, then counts alarms on the last fifth.
Result<double> HoldoutAlarmRate(const multivariate::RowMatrix& data, const std::vector<std::string>& names,
                                const multivariate::TrainOptions& options) {
  const size_t fit_rows = data.rows * 4 / 5;
  multivariate::RowMatrix fit(fit_rows, data.cols), held(data.rows - fit_rows, data.cols);
  std::memcpy(fit.values.data(), data.values.data(), fit.values.size() * sizeof(double));
  std::memcpy(held.values.data(), data.values.data() + fit.values.size(), held.values.size() * sizeof(double));
  ZZ_ASSIGN_OR_RETURN(multivariate::Model model, multivariate::Model::Train(fit, names, options));
  ZZ_ASSIGN_OR_RETURN(std::vector<multivariate::Score> scores, model.ScoreRange(held, false));
  size_t ready = 0, alarms = 0;
  for (const multivariate::Score& s : scores) {
    ready += s.ready;
    alarms += s.ready && s.alarm;
  }
  return ready == 0 ? 0.0 : static_cast<double>(alarms) / static_cast<double>(ready);
}

void PutU64(EVP_MD_CTX* ctx, uint64_t v) {
  unsigned char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
  EVP_DigestUpdate(ctx, b, 8);
}

}  // namespace

std::string TrainingDataSha256(const std::vector<std::string>& names, const std::vector<int64_t>& row_ns,
                               const multivariate::RowMatrix& rows) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  PutU64(ctx.get(), rows.rows);
  PutU64(ctx.get(), rows.cols);
  for (const std::string& name : names) EVP_DigestUpdate(ctx.get(), name.c_str(), name.size() + 1);
  for (size_t r = 0; r < rows.rows; ++r) {
    PutU64(ctx.get(), static_cast<uint64_t>(row_ns[r]));
    for (double v : rows.row(r)) PutU64(ctx.get(), std::bit_cast<uint64_t>(v));
  }
  unsigned char digest[32];
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &size);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

Result<catalog::ModelVersion> TrainModelVersion(const query::SampleSource& history, const TrainSpec& spec) {
  ZZ_RETURN_IF_ERROR(CheckSpec(spec));
  ZZ_ASSIGN_OR_RETURN(Rows rows, ReadRows(history, spec));
  const size_t cols = spec.inputs.size();
  const auto n = static_cast<int64_t>(rows.ts_ns.size());
  const int64_t needed = std::max<int64_t>(kMinTrainingRows, 10 * static_cast<int64_t>(cols) * 3);
  if (n < needed) {
    return Status::InvalidArgument("the training range gives " + std::to_string(n) + " complete rows of " +
                                   std::to_string(cols) + " tags; at least " + std::to_string(needed) +
                                   " are needed: widen the range or shorten the step");
  }
  std::vector<std::string> names;
  for (const catalog::Tag& tag : spec.inputs) names.push_back(tag.path);
  multivariate::RowMatrix data;
  data.rows = static_cast<size_t>(n);
  data.cols = cols;
  data.values = std::move(rows.values);
  multivariate::TrainOptions options;
  options.method = spec.method;
  options.confidence = spec.confidence;
  options.threshold = multivariate::ThresholdRule::kCrossValidated;
  ZZ_ASSIGN_OR_RETURN(multivariate::Model model, multivariate::Model::Train(data, names, options));
  ZZ_ASSIGN_OR_RETURN(std::vector<multivariate::Score> scores, model.ScoreRange(data, false));
  size_t training_alarms = 0;
  for (const multivariate::Score& s : scores) training_alarms += s.ready && s.alarm;
  ZZ_ASSIGN_OR_RETURN(double holdout_rate, HoldoutAlarmRate(data, names, options));

  catalog::ModelVersion v;
  v.model_id = spec.model_id;
  v.asset_id = spec.asset.id;
  v.asset_path = spec.asset.path;
  v.kind = std::string(multivariate::MethodName(spec.method));
  v.inputs = names;
  v.train_from_ns = spec.from_ns;
  v.train_to_ns = spec.to_ns;
  v.step_ns = spec.step_ns;
  v.data_sha256 = TrainingDataSha256(names, rows.ts_ns, data);
  v.training_rows = n;
  v.metrics = {{"training_rows", static_cast<double>(n)},
               {"incomplete_rows", static_cast<double>(rows.incomplete)},
               {"components", static_cast<double>(model.components())},
               {"window", static_cast<double>(model.window())},
               {"confidence", spec.confidence},
               {"training_alarm_rate", static_cast<double>(training_alarms) / static_cast<double>(n)},
               {"holdout_alarm_rate", holdout_rate}};
  v.card = spec.card;
  v.blob = model.Save();
  v.created_by = spec.created_by;
  v.created_ns = spec.created_ns;
  return v;
}

}  // namespace zhizao::analytics::registry
