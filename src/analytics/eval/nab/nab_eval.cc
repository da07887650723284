#include "analytics/eval/nab/nab_eval.h"

#include <chrono>
#include <cstdio>
#include <limits>

namespace zhizao::analytics::eval::nab {
namespace {

// Published standard / low FP / low FN scores (README.md of the corpus), for the table.
struct Published {
  const char* name;
  double s[3];
};
constexpr Published kPublished[] = {{"ARTime", {74.9, 65.1, 80.4}},
                                    {"Numenta HTM", {70.5, 62.6, 75.2}},
                                    {"CAD OSE", {69.9, 67.0, 73.2}},
                                    {"KNN CAD", {58.0, 43.4, 64.8}},
                                    {"Random Cut Forest", {51.7, 38.4, 59.7}}};

}  // namespace

std::vector<double> NabRowScores(const NabFile& file, const NabEvalOptions& options, std::vector<uint32_t>* top) {
  constexpr double kAlarm = 0.5;
  detect::TagMonitor monitor(options.monitor);
  std::vector<double> scores(file.values.size());
  if (top != nullptr) top->assign(file.values.size(), 0);
  int64_t resting_until = std::numeric_limits<int64_t>::min();
  for (size_t i = 0; i < file.values.size(); ++i) {
    const detect::Verdict v = monitor.Update(file.ts_ns[i], file.values[i]);
    if (file.ts_ns[i] < resting_until) continue;
    scores[i] = v.score;
    if (top != nullptr) (*top)[i] = v.top;
    if (v.score >= kAlarm) resting_until = file.ts_ns[i] + options.rest_ns;
  }
  return scores;
}

detect::TagMonitorOptions NabMonitorOptions() {
  detect::TagMonitorOptions o;
  o.enabled = detect::kContext;
  return o;
}

Result<NabEvalResult> EvaluateNab(const NabEvalOptions& options) {
  ZZ_ASSIGN_OR_RETURN(std::vector<NabFile> files, LoadNabCorpus(options.data_dir));
  if (files.empty()) return Status::NotFound("cannot evaluate NAB: no files listed in " + options.data_dir);
  NabEvalResult result;
  result.profiles = NabProfiles();
  std::vector<NabLabels> labels;
  std::vector<std::vector<double>> scores;
  const auto start = std::chrono::steady_clock::now();
  for (const NabFile& f : files) {
    scores.push_back(NabRowScores(f, options, nullptr));
    labels.push_back({f.values.size(), f.windows});
    result.rows += f.values.size();
    result.windows += f.windows.size();
  }
  result.detector_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const NabProfile& p : result.profiles) result.sweeps.push_back(SweepThreshold(labels, scores, p));
  for (size_t f = 0; f < files.size(); ++f) {
    NabFileDetail d{files[f].name, labels[f].rows, labels[f].windows.size(), {}};
    for (size_t p = 0; p < result.profiles.size(); ++p) {
      std::vector<bool> detected(scores[f].size());
      for (size_t i = 0; i < detected.size(); ++i) detected[i] = scores[f][i] >= result.sweeps[p].threshold;
      d.raw.push_back(ScoreFile(labels[f], detected, result.profiles[p]));
    }
    result.files.push_back(std::move(d));
  }
  return result;
}

int RunNabEval(const NabEvalOptions& options, std::ostream& out) {
  auto result = EvaluateNab(options);
  if (!result.ok()) {
    out << "error: " << result.status().ToString() << "\n";
    return 1;
  }
  const NabEvalResult& r = *result;
  char line[256];
  std::snprintf(line, sizeof line, "NAB v1.1: %zu files, %zu rows, %zu windows; detector %.2f s\n", r.files.size(),
                r.rows, r.windows, r.detector_seconds);
  out << line;
  if (options.per_file) {
    for (const auto& f : r.files) {
      std::snprintf(line, sizeof line, "  %-60s rows %6zu windows %2zu raw %7.3f %7.3f %7.3f\n", f.name.c_str(),
                    f.rows, f.windows, f.raw[0], f.raw[1], f.raw[2]);
      out << line;
    }
  }
  out << "| detector | standard | reward_low_FP | reward_low_FN |\n|---|---|---|---|\n";
  std::snprintf(line, sizeof line, "| zhizao TagMonitor | %.1f | %.1f | %.1f |\n", r.sweeps[0].normalized,
                r.sweeps[1].normalized, r.sweeps[2].normalized);
  out << line;
  for (const auto& p : kPublished) {
    std::snprintf(line, sizeof line, "| %s (published) | %.1f | %.1f | %.1f |\n", p.name, p.s[0], p.s[1], p.s[2]);
    out << line;
  }
  for (size_t p = 0; p < r.profiles.size(); ++p) {
    std::snprintf(line, sizeof line, "%s: normalised %.3f, threshold %.6g, raw %.3f (null %.1f, perfect %.1f)\n",
                  r.profiles[p].name.c_str(), r.sweeps[p].normalized, r.sweeps[p].threshold, r.sweeps[p].raw,
                  r.sweeps[p].s_null, r.sweeps[p].s_perfect);
    out << line;
  }
  return 0;
}

}  // namespace zhizao::analytics::eval::nab
