#include "analytics/live/asset_models.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <future>
#include <limits>

#include "analytics/live/asset_history.h"
#include "analytics/multivariate/model.h"

namespace zhizao::analytics::live {

// A model learnt for an asset and the columns it reads.
struct AssetFit {
  std::vector<size_t> used;
  multivariate::Model model;
};

constexpr int64_t kMaxTrainingCells = int64_t{1} << 24;
// A silence of this many grid steps after a sample is a gap (the floor of SampleCadence), live
// and in the history (GridSpec::stale_rows).
constexpr int64_t kStaleRows = 60;

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

// The model of one asset from its rows (row-major, paths.size() columns): abnormal rows left
// out, constant columns and counters too (and setpoints if the options say so). Runs on the
// analytics thread for live learning and on a background thread for the history's.
Result<AssetFit> Fit(std::vector<double> rows, std::vector<int64_t> rows_ns, const std::vector<std::string>& paths,
                   const std::vector<bool>& setpoints, const AssetModelOptions& options,
                   const std::vector<std::pair<int64_t, int64_t>>& abnormal, const std::string& asset_path) {
  const size_t cols = paths.size();
  if (!abnormal.empty()) {
    const size_t collected = rows_ns.size();
    DropAbnormalRows(abnormal, cols, rows, rows_ns);
    if (rows_ns.size() < collected) {
      spdlog::info("analytics: asset {}: {} of {} training rows left out as abnormal", asset_path,
                   collected - rows_ns.size(), collected);
    }
  }
  const size_t n = rows_ns.size();
  std::vector<size_t> used = ColumnsToModel(rows, n, cols);
  if (options.setpoints == AssetModelOptions::Setpoints::kLeftOut) {
    std::erase_if(used, [&setpoints](size_t c) { return setpoints[c]; });
  }
  multivariate::TrainOptions train;
  train.confidence = options.confidence;
  train.method = options.method;
  train.threshold = multivariate::ThresholdRule::kCrossValidated;
  if (train.method == multivariate::Method::kKernelRegression &&
      options.setpoints == AssetModelOptions::Setpoints::kInput) {
    for (size_t j = 0; j < used.size(); ++j)
      if (setpoints[used[j]]) train.inputs.push_back(j);
  }
  if (used.size() < 2) return Status::InvalidArgument("fewer than 2 varying tags");
  if (train.inputs.size() == used.size()) return Status::InvalidArgument("only setpoints vary");
  multivariate::RowMatrix data(n, used.size());
  std::vector<std::string> names;
  for (size_t c : used) names.push_back(paths[c]);
  for (size_t r = 0; r < n; ++r) {
    for (size_t j = 0; j < used.size(); ++j) data.at(r, j) = rows[r * cols + used[j]];
  }
  rows.clear();
  rows.shrink_to_fit();
  ZZ_ASSIGN_OR_RETURN(multivariate::Model model, multivariate::Model::Train(data, names, train));
  return AssetFit{std::move(used), std::move(model)};
}

Status TooWide(size_t max_columns) {
  return Status::InvalidArgument("more than " + std::to_string(max_columns) +
                                 " float64 tags (max_columns): its tags are judged one by one");
}

}  // namespace

// What a training from the history ended with.
struct AssetLearnt {
  Result<AssetFit> fitted = Status::Unavailable("not trained");
  std::string live_instead;  // why the asset learns live instead (too little history, or none readable)
  size_t rows = 0;
  int64_t to_ns = 0;  // the rows' end
};

struct AssetModels::FromHistory {
  struct Job {
    Asset* asset = nullptr;
    int64_t to_ns = 0;  // learns from the history before this
  };
  std::deque<Job> waiting;    // in turn
  Asset* training = nullptr;  // whose model `learnt` brings
  std::future<AssetLearnt> learnt;
  std::shared_ptr<std::atomic<bool>> stop = std::make_shared<std::atomic<bool>>(false);
};

struct AssetModels::Asset {
  std::string path;
  catalog::AssetId id = 0;
  std::vector<TagId> tags;
  std::vector<std::string> paths;
  std::vector<bool> setpoints;  // per column
  std::unordered_map<TagId, size_t> column;
  std::vector<double> last;
  int64_t first_ns = INT64_MIN;  // of its first sample, or since it learns live
  int64_t next_row_ns = INT64_MIN;
  std::vector<SampleCadence> cadence;  // per column: how long after a sample it is still heard from
  int64_t heard_until_ns = INT64_MIN;  // rows up to here are filled; past it a silence is a gap
  std::vector<double> training;  // row-major, tags.size() columns
  std::vector<int64_t> training_ns;  // each training row's grid time
  std::vector<size_t> used;  // columns the model reads
  std::vector<bool> judged;  // per column: the model reads it, and not as an input
  std::optional<multivariate::Scorer> scorer;
  std::vector<double> row;   // scratch
  bool from_history = false;  // its first model is being learnt from the history
  int64_t learnt_to_ns = INT64_MIN;  // where the rows of its model end
  bool refit_queued = false;
  bool failed = false;
};

std::optional<AssetModelOptions::Setpoints> SetpointsNamed(std::string_view name) {
  using Setpoints = AssetModelOptions::Setpoints;
  if (name == "monitored") return Setpoints::kMonitored;
  if (name == "input") return Setpoints::kInput;
  if (name == "left_out") return Setpoints::kLeftOut;
  return std::nullopt;
}

AssetModels::AssetModels(AssetModelOptions options, Sink sink, AssetHistory history)
    : options_(std::move(options)),
      sink_(std::move(sink)),
      history_(std::move(history)),
      from_history_(std::make_unique<FromHistory>()) {}

AssetModels::~AssetModels() { Stop(); }

void AssetModels::Stop() {
  FromHistory& h = *from_history_;
  h.stop->store(true);
  h.waiting.clear();
  if (h.learnt.valid()) h.learnt.wait();
}

bool AssetModels::Add(catalog::AssetId asset_id, const std::string& asset_path, TagId tag,
                      const std::string& tag_path, bool setpoint, int64_t ts_ns, double value) {
  if (from_history_->training != nullptr) PollHistoryTraining();
  auto it = assets_.find(asset_path);
  if (it == assets_.end()) {
    if (assets_.size() >= options_.max_assets) {
      if (!told_full_) {
        spdlog::warn("analytics: {} assets are modelled, the most allowed (max_assets); {} and later ones are not",
                     assets_.size(), asset_path);
      }
      told_full_ = true;
      return false;
    }
    it = assets_.try_emplace(asset_path).first;
    it->second = std::make_unique<Asset>();
    it->second->path = asset_path;
    it->second->id = asset_id;
    it->second->first_ns = ts_ns;
    LearnFromHistory(*it->second);
  }
  Asset& a = *it->second;
  if (a.failed) return false;
  if (a.first_ns == INT64_MIN) a.first_ns = ts_ns;  // learning live again
  if (a.scorer && !a.refit_queued && history_.source != nullptr && options_.refit_every.count() > 0 &&
      ts_ns - a.learnt_to_ns >= std::chrono::nanoseconds(options_.refit_every).count()) {
    a.refit_queued = true;
    from_history_->waiting.push_back({&a, ts_ns});
    StartNextFromHistory();
  }
  auto held = a.column.find(tag);
  if (a.from_history) {  // its columns are the catalog's; values are held for its first rows
    if (held != a.column.end()) a.last[held->second] = value;
    return false;
  }
  const int64_t grid_ns = std::chrono::nanoseconds(options_.grid).count();
  const bool warming = !a.scorer && ts_ns - a.first_ns < std::chrono::nanoseconds(options_.warmup).count();
  if (a.next_row_ns == INT64_MIN) a.next_row_ns = (ts_ns / grid_ns + 1) * grid_ns;
  // The row at next_row_ns holds what arrived before it. Rows are filled while the asset was
  // heard from lately, as ReadGridRows says; past that a silence is a gap, not filled.
  for (; a.next_row_ns <= std::min(ts_ns, a.heard_until_ns); a.next_row_ns += grid_ns) {
    if (!warming) EmitRow(a, a.next_row_ns);
  }
  if (a.next_row_ns <= ts_ns) a.next_row_ns = (ts_ns / grid_ns + 1) * grid_ns;
  if (held == a.column.end()) {
    if (!warming) return false;  // columns are fixed once the warm-up is over
    if (a.tags.size() == options_.max_columns) {
      Install(a, TooWide(options_.max_columns), {});
      return false;
    }
    held = a.column.emplace(tag, a.tags.size()).first;
    a.tags.push_back(tag);
    a.paths.push_back(tag_path);
    a.setpoints.push_back(setpoint);
    a.last.push_back(value);
    a.cadence.emplace_back(grid_ns);
  }
  a.last[held->second] = value;
  SampleCadence& cadence = a.cadence[held->second];
  cadence.Note(ts_ns);
  a.heard_until_ns = std::max(a.heard_until_ns, ts_ns + cadence.QuietAfterNs(kStaleRows * grid_ns));
  return a.scorer && a.judged[held->second];
}

AssetModelCounts AssetModels::Counts() const {
  AssetModelCounts counts;
  for (const auto& [path, a] : assets_) ++(a->failed ? counts.failed : a->scorer ? counts.scoring : counts.learning);
  return counts;
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
  std::vector<std::pair<int64_t, int64_t>> abnormal;
  if (options_.abnormal) abnormal = options_.abnormal(a.path);
  a.learnt_to_ns = a.training_ns.back() + 1;
  Result<AssetFit> fitted = Fit(std::move(a.training), std::move(a.training_ns), a.paths, a.setpoints, options_,
                              abnormal, a.path);
  a.training = {};
  a.training_ns = {};
  if (!fitted.ok()) return Install(a, fitted.status(), {});
  Install(a, std::move(fitted->model), std::move(fitted->used));
}

void AssetModels::Install(Asset& a, Result<multivariate::Model> model, std::vector<size_t> used) {
  a.from_history = false;
  if (!model.ok()) {
    a.failed = true;
    spdlog::info("analytics: no model for asset {}: {}", a.path, model.status().message());
    return;
  }
  a.used = std::move(used);
  a.judged.assign(a.tags.size(), false);
  const bool inputs = options_.method == multivariate::Method::kKernelRegression &&
                      options_.setpoints == AssetModelOptions::Setpoints::kInput;
  for (size_t c : a.used) a.judged[c] = !(inputs && a.setpoints[c]);
  a.scorer.emplace(std::move(model).value());
  a.row.resize(a.used.size());
}

void AssetModels::LearnFromHistory(Asset& a) {
  if (history_.source == nullptr || options_.history_span.count() <= 0) return;
  std::vector<AssetColumn> columns = history_.columns_of(a.id, a.path);
  if (columns.size() > options_.max_columns) return Install(a, TooWide(options_.max_columns), {});
  if (columns.size() < 2) return;
  for (AssetColumn& c : columns) {
    a.column.emplace(c.tag, a.tags.size());
    a.tags.push_back(c.tag);
    a.paths.push_back(std::move(c.path));
    a.setpoints.push_back(c.setpoint);
  }
  a.last.assign(a.tags.size(), std::numeric_limits<double>::quiet_NaN());
  a.cadence.assign(a.tags.size(), SampleCadence(std::chrono::nanoseconds(options_.grid).count()));
  a.from_history = true;
  from_history_->waiting.push_back({&a, a.first_ns});
  StartNextFromHistory();
}

std::function<AssetLearnt()> AssetModels::LearnFromHistoryBefore(const Asset& a, int64_t to_ns) const {
  // At most kMaxTrainingCells values (128 MiB) are read: a wide asset learns from a shorter span.
  const int64_t grid_ns = std::chrono::nanoseconds(options_.grid).count();
  const int64_t span_ns = std::min<int64_t>(std::chrono::nanoseconds(options_.history_span).count(),
                                            kMaxTrainingCells / static_cast<int64_t>(a.tags.size()) * grid_ns);
  const GridSpec spec{.from_ns = to_ns - span_ns, .to_ns = to_ns, .grid_ns = grid_ns, .stale_rows = kStaleRows};
  std::vector<std::pair<int64_t, int64_t>> abnormal;
  if (options_.abnormal) abnormal = options_.abnormal(a.path);
  const auto rows_wanted = static_cast<size_t>(options_.collect / options_.grid);
  // Everything by value: it runs on another thread while the analytics go on.
  return [source = history_.source, tags = a.tags, paths = a.paths, setpoints = a.setpoints, path = a.path,
          options = options_, spec, abnormal = std::move(abnormal), rows_wanted, stop = from_history_->stop] {
    AssetLearnt learnt{.to_ns = spec.to_ns};
    Result<GridRows> rows = ReadGridRows(*source, tags, spec, stop.get());
    if (!rows.ok()) {
      learnt.live_instead = "cannot read its history: " + rows.status().message();
      return learnt;
    }
    learnt.rows = rows->rows_ns.size();
    if (learnt.rows < rows_wanted) {
      learnt.live_instead = std::to_string(learnt.rows) + " rows of stored history, fewer than " +
                            std::to_string(rows_wanted);
      return learnt;
    }
    if (stop->load(std::memory_order_relaxed)) {
      learnt.live_instead = "stopped";
      return learnt;
    }
    learnt.fitted = Fit(std::move(rows->values), std::move(rows->rows_ns), paths, setpoints, options, abnormal, path);
    return learnt;
  };
}

void AssetModels::StartNextFromHistory() {
  FromHistory& h = *from_history_;
  while (h.training == nullptr && !h.waiting.empty()) {
    const FromHistory::Job job = h.waiting.front();
    h.waiting.pop_front();
    std::function<AssetLearnt()> learn = LearnFromHistoryBefore(*job.asset, job.to_ns);
    if (h.stop->load(std::memory_order_relaxed)) return;
    if (!options_.background) {
      AssetLearnt learnt = learn();
      Finish(*job.asset, std::move(learnt));
      continue;
    }
    h.training = job.asset;
    h.learnt = std::async(std::launch::async, std::move(learn));
  }
}

void AssetModels::PollHistoryTraining() {
  FromHistory& h = *from_history_;
  if (h.learnt.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  AssetLearnt learnt = h.learnt.get();
  Asset& a = *h.training;
  h.training = nullptr;
  Finish(a, std::move(learnt));
  StartNextFromHistory();
}

void AssetModels::Finish(Asset& a, AssetLearnt learnt) {
  const bool refit = a.scorer.has_value();
  a.refit_queued = false;
  if (refit && (!learnt.live_instead.empty() || !learnt.fitted.ok())) {
    spdlog::warn("analytics: asset {} keeps its model: {}", a.path,
                 learnt.live_instead.empty() ? learnt.fitted.status().message() : learnt.live_instead);
    a.learnt_to_ns = learnt.to_ns;  // tried again a period later
  } else if (!learnt.live_instead.empty() ||
             // The history did not vary enough (a pump in standby all week): live rows may.
             learnt.fitted.status().code() == StatusCode::kInvalidArgument) {
    spdlog::info("analytics: asset {} learns live: {}", a.path,
                 learnt.live_instead.empty() ? "its history: " + learnt.fitted.status().message()
                                             : learnt.live_instead);
    a = Asset{.path = std::move(a.path), .id = a.id};
  } else if (!learnt.fitted.ok()) {
    Install(a, learnt.fitted.status(), {});
  } else {
    spdlog::info("analytics: asset {}: model {} from {} rows of stored history", a.path,
                 refit ? "refitted" : "learnt", learnt.rows);
    Install(a, std::move(learnt.fitted->model), std::move(learnt.fitted->used));
    a.learnt_to_ns = learnt.to_ns;
  }
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
    o.message = "the asset's tags left the relations learnt from its past operation";
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
