#include "analytics/live/asset_models.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "analytics/multivariate/model.h"

namespace zhizao::analytics::live {

namespace {

// Removes the rows whose grid time falls in one of `ranges`, keeping the others in order.
void DropAbnormalRows(const std::vector<std::pair<int64_t, int64_t>>& ranges, size_t cols, std::vector<double>& rows,
                      std::vector<int64_t>& rows_ns) {
  size_t kept = 0;
  for (size_t r = 0; r < rows_ns.size(); ++r) {
    const int64_t t = rows_ns[r];
    if (std::any_of(ranges.begin(), ranges.end(), [t](const auto& range) { return t >= range.first && t < range.second; }))
      continue;
    std::copy_n(rows.begin() + static_cast<std::ptrdiff_t>(r * cols), cols, rows.begin() + static_cast<std::ptrdiff_t>(kept * cols));
    rows_ns[kept++] = t;
  }
  rows.resize(kept * cols);
  rows_ns.resize(kept);
}

// The columns a model can use: those that vary and sometimes decrease (constant columns and
// counters are left out).
std::vector<size_t> ColumnsToModel(const std::vector<double>& rows, size_t n, size_t cols) {
  std::vector<size_t> used;
  for (size_t c = 0; c < cols; ++c) {
    bool varies = false, decreases = false;
    for (size_t r = 1; r < n; ++r) {
      const double d = rows[r * cols + c] - rows[(r - 1) * cols + c];
      varies |= d != 0;
      decreases |= d < 0;
    }
    if (varies && decreases) used.push_back(c);
  }
  return used;
}

}  // namespace

struct AssetModels::Asset {
  std::string path;
  catalog::AssetId id = 0;
  std::vector<TagId> tags;
  std::vector<std::string> paths;
  std::vector<bool> setpoints;  // per column
  std::unordered_map<TagId, size_t> column;
  std::vector<double> last;
  int64_t first_ns = 0;
  int64_t next_row_ns = INT64_MIN;
  std::vector<double> training;  // row-major, tags.size() columns
  std::vector<int64_t> training_ns;  // each training row's grid time
  std::vector<size_t> used;  // columns the model reads
  std::optional<multivariate::Scorer> scorer;
  std::vector<double> row;   // scratch
  bool failed = false;
};

AssetModels::AssetModels(AssetModelOptions options, Sink sink) : options_(options), sink_(std::move(sink)) {}
AssetModels::~AssetModels() = default;

void AssetModels::Add(catalog::AssetId asset_id, const std::string& asset_path, TagId tag,
                      const std::string& tag_path, bool setpoint, int64_t ts_ns, double value) {
  auto [it, inserted] = assets_.try_emplace(asset_path);
  if (inserted) {
    it->second = std::make_unique<Asset>();
    it->second->path = asset_path;
    it->second->id = asset_id;
    it->second->first_ns = ts_ns;
  }
  Asset& a = *it->second;
  if (a.failed) return;
  const int64_t grid_ns = std::chrono::nanoseconds(options_.grid).count();
  const bool warming = ts_ns - a.first_ns < std::chrono::nanoseconds(options_.warmup).count();
  if (a.next_row_ns == INT64_MIN) a.next_row_ns = (ts_ns / grid_ns + 1) * grid_ns;
  if (ts_ns - a.next_row_ns > 60 * grid_ns) a.next_row_ns = (ts_ns / grid_ns) * grid_ns;  // a gap: no fill
  while (ts_ns >= a.next_row_ns) {  // the row at next_row_ns holds what arrived before it
    if (!warming) EmitRow(a, a.next_row_ns);
    a.next_row_ns += grid_ns;
  }
  auto col = a.column.find(tag);
  if (col == a.column.end()) {
    if (!warming) return;  // columns are fixed once the warm-up is over
    col = a.column.emplace(tag, a.tags.size()).first;
    a.tags.push_back(tag);
    a.paths.push_back(tag_path);
    a.setpoints.push_back(setpoint);
    a.last.push_back(value);
  }
  a.last[col->second] = value;
}

void AssetModels::EmitRow(Asset& a, int64_t row_ns) {
  if (a.failed || a.tags.empty()) return;
  if (a.scorer) return Score(a, row_ns);
  a.training.insert(a.training.end(), a.last.begin(), a.last.end());
  a.training_ns.push_back(row_ns);
  const auto rows_wanted = static_cast<size_t>(options_.collect / options_.grid);
  if (a.training_ns.size() >= rows_wanted) Train(a);
}

void AssetModels::Train(Asset& a) {
  const size_t cols = a.tags.size();
  if (options_.abnormal) {
    const size_t collected = a.training_ns.size();
    DropAbnormalRows(options_.abnormal(a.path), cols, a.training, a.training_ns);
    if (a.training_ns.size() < collected) {
      spdlog::info("analytics: asset {}: {} of {} training rows left out as abnormal", a.path,
                   collected - a.training_ns.size(), collected);
    }
  }
  const size_t n = a.training_ns.size();
  a.used = ColumnsToModel(a.training, n, cols);
  if (options_.setpoints == AssetModelOptions::Setpoints::kLeftOut)
    std::erase_if(a.used, [&a](size_t c) { return a.setpoints[c]; });
  multivariate::RowMatrix data(n, a.used.size());
  std::vector<std::string> names;
  for (size_t c : a.used) names.push_back(a.paths[c]);
  for (size_t r = 0; r < n; ++r) {
    for (size_t j = 0; j < a.used.size(); ++j) data.at(r, j) = a.training[r * cols + a.used[j]];
  }
  multivariate::TrainOptions train;
  train.confidence = options_.confidence;
  train.method = options_.method;
  train.threshold = multivariate::ThresholdRule::kCrossValidated;
  if (train.method == multivariate::Method::kKernelRegression &&
      options_.setpoints == AssetModelOptions::Setpoints::kInput) {
    for (size_t j = 0; j < a.used.size(); ++j)
      if (a.setpoints[a.used[j]]) train.inputs.push_back(j);
  }
  Result<multivariate::Model> model = Status::InvalidArgument("fewer than 2 varying tags");
  if (a.used.size() >= 2 && train.inputs.size() == a.used.size()) {
    model = Status::InvalidArgument("only setpoints vary");
  } else if (a.used.size() >= 2) {
    model = multivariate::Model::Train(data, names, train);
  }
  a.training.clear();
  a.training.shrink_to_fit();
  a.training_ns.clear();
  a.training_ns.shrink_to_fit();
  if (!model.ok()) {
    a.failed = true;
    spdlog::info("analytics: no model for asset {}: {}", a.path, model.status().message());
    return;
  }
  a.scorer.emplace(std::move(model).value());
  a.row.resize(a.used.size());
}

void AssetModels::Score(Asset& a, int64_t row_ns) {
  for (size_t j = 0; j < a.used.size(); ++j) a.row[j] = a.last[a.used[j]];
  Result<multivariate::Score> score = a.scorer->Push(a.row, /*with_contributions=*/false);
  if (!score.ok() || !score->ready) return;
  alerts::Observation o{.ts_ns = row_ns, .score = score->score, .threshold = 0.5};
  if (score->score >= 0.5) {
    // Contributions cost a reconstruction per variable: only for rows that alarm.
    a.scorer->Reset();
    score = a.scorer->Push(a.row, /*with_contributions=*/true);
    if (!score.ok() || !score->ready) return;
    o.detector = std::string(multivariate::MethodName(options_.method));
    o.message = "the asset's tags left the relations learnt in their first hours";
    double total = 0;
    for (size_t i = 0; i < score->contributions.size() && i < 3; ++i) total += score->contributions[i].weight;
    for (size_t i = 0; i < score->contributions.size() && i < 3; ++i) {
      const multivariate::Contribution& c = score->contributions[i];
      // The top three, their weights rescaled to sum to 1 as an event's must.
      o.contributions.push_back({a.tags[a.used[c.variable]], a.paths[a.used[c.variable]],
                                 total > 0 ? c.weight / total : 1.0 / 3});
    }
  }
  sink_(a.path, a.id, o);
}

}  // namespace zhizao::analytics::live
