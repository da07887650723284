// Trains a multivariate model of one asset on a range of its stored history and makes the
// registry's record of it: the fitted blob, the training data's reference and hash, metrics,
// and the model card if the request brings one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/multivariate/model.h"
#include "catalog/model.h"
#include "catalog/model_version.h"
#include "common/status.h"
#include "query/sample_source.h"

namespace zhizao::analytics::registry {

struct TrainSpec {
  std::string model_id;              // catalog::ValidateModelId
  catalog::Asset asset;              // the asset the model watches
  std::vector<catalog::Tag> inputs;  // numeric tags (of any asset), in column order; at least 2
  int64_t from_ns = 0;               // the training range, [from, to)
  int64_t to_ns = 0;
  int64_t step_ns = 1'000'000'000;   // the grid. Default: 1 s
  multivariate::Method method = multivariate::Method::kPca;
  // Share of normal rows allowed to cross the limit, set by cross-validation on the training
  // rows (blocked K-fold: docs/analytics/multivariate.md). Default: 0.999.
  double confidence = 0.999;
  std::optional<catalog::ModelCard> card;
  std::string created_by;
  int64_t created_ns = 0;
};

// At least this many complete rows are needed to train, and 30 per input (ten for each of the
// up to three rows a lagged model stacks).
inline constexpr int64_t kMinTrainingRows = 200;
// At most this many: a longer range needs a longer step.
inline constexpr int64_t kMaxTrainingRows = 2'000'000;

// Reads the inputs' history on the grid (row_grid.h, as live scoring will see it), trains, and
// scores the last fifth of the rows with a model fitted on the first four fifths (the
// "holdout_alarm_rate" metric: how often it would alarm on normal data it has not seen).
// The returned version has no number yet (the catalog assigns it) and is not active.
// Errors (InvalidArgument, with the remedy): a bad model id, fewer than 2 inputs, a string or
// repeated input, from >= to, step <= 0, too few or too many rows, an input constant over the
// range; errors of the history source.
Result<catalog::ModelVersion> TrainModelVersion(const query::SampleSource& history, const TrainSpec& spec);

// Hex SHA-256 of a training matrix: rows and columns (u64 little-endian), each column name and a
// NUL, then every row's grid time (i64) and values (IEEE-754 bits, u64), little-endian.
std::string TrainingDataSha256(const std::vector<std::string>& names, const std::vector<int64_t>& row_ns,
                               const multivariate::RowMatrix& rows);

}  // namespace zhizao::analytics::registry
