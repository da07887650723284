#include "analytics/eval/cmapss/cmapss_eval.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "analytics/eval/cmapss/cmapss_files.h"

namespace zhizao::analytics::eval::cmapss {
namespace {

bool ValidSubset(const std::string& subset) {
  return !subset.empty() && std::all_of(subset.begin(), subset.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

}  // namespace

double Rmse(std::span<const double> predicted, std::span<const double> truth) {
  double sum = 0;
  for (size_t i = 0; i < predicted.size(); ++i) sum += (predicted[i] - truth[i]) * (predicted[i] - truth[i]);
  return std::sqrt(sum / static_cast<double>(predicted.size()));
}

double Phm08Score(std::span<const double> predicted, std::span<const double> truth) {
  double score = 0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    const double d = predicted[i] - truth[i];
    score += d < 0 ? std::exp(-d / 13.0) - 1 : std::exp(d / 10.0) - 1;
  }
  return score;
}

Result<CmapssScores> EvaluateCmapss(const CmapssEvalOptions& options) {
  if (!ValidSubset(options.subset)) return Status::InvalidArgument("invalid subset name '" + options.subset + "'");
  const std::string base = options.data_dir + "/";
  ZZ_ASSIGN_OR_RETURN(auto train, ReadCmapssRows(base + "train_" + options.subset + ".txt"));
  ZZ_ASSIGN_OR_RETURN(auto test, ReadCmapssRows(base + "test_" + options.subset + ".txt"));
  ZZ_ASSIGN_OR_RETURN(auto truth, ReadCmapssRul(base + "RUL_" + options.subset + ".txt"));

  const auto start = std::chrono::steady_clock::now();
  auto model = rul::Model::Train(train, options.train);
  if (!model.ok()) return model.status().WithContext("cannot train on train_" + options.subset);
  CmapssScores scores;
  scores.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  scores.regimes = model->info().regime_count;
  scores.kept_sensors = model->info().kept_sensors.size();

  auto predictions = model->PredictLastPerUnit(test);
  if (!predictions.ok()) return predictions.status().WithContext("cannot predict test_" + options.subset);
  if (predictions->size() != truth.size()) {
    return Status::InvalidArgument("test_" + options.subset + " has " + std::to_string(predictions->size()) +
                                   " units but RUL_" + options.subset + " has " + std::to_string(truth.size()));
  }
  scores.units = truth.size();
  scores.truth = truth;
  for (const auto& p : *predictions) {
    scores.predicted.push_back(p.value);
    scores.mean_spread += p.spread / static_cast<double>(truth.size());
  }
  scores.rmse = Rmse(scores.predicted, truth);
  scores.phm08 = Phm08Score(scores.predicted, truth);
  return scores;
}

int RunCmapssEval(const CmapssEvalOptions& options, std::ostream& out) {
  auto scores = EvaluateCmapss(options);
  if (!scores.ok()) {
    out << "eval cmapss: " << scores.status().ToString() << "\n";
    return 1;
  }
  if (options.per_unit) {
    for (size_t i = 0; i < scores->units; ++i) {
      out << "unit " << i + 1 << " predicted " << Fixed(scores->predicted[i], 1) << " true "
          << Fixed(scores->truth[i], 0) << "\n";
    }
  }
  out << "C-MAPSS " << options.subset << ": " << scores->units << " test units, " << scores->regimes << " regime(s), "
      << scores->kept_sensors << " sensors kept\n"
      << "  RMSE   " << Fixed(scores->rmse, 2) << "\n"
      << "  PHM08  " << Fixed(scores->phm08, 1) << "\n"
      << "  mean ensemble spread " << Fixed(scores->mean_spread, 2) << " cycles\n"
      << "  training " << Fixed(scores->train_seconds, 1) << " s (" << options.train.ensemble << " members, nthread "
      << options.train.nthread << ")\n";
  return 0;
}

}  // namespace zhizao::analytics::eval::cmapss
