#include "analytics/eval/tep/tep_eval.h"

#include <algorithm>
#include <functional>
#include <string>

namespace zhizao::analytics::eval::tep {

using multivariate::Method;
using multivariate::Model;
using multivariate::ThresholdRule;
using multivariate::TrainOptions;

std::vector<Detector> DefaultDetectors() {
  TrainOptions pca{.method = Method::kPca, .components = 9};
  TrainOptions dpca{.method = Method::kDynamicPca, .lags = 2};
  TrainOptions cva{.method = Method::kCva, .lags = 2};
  TrainOptions cva_ewma = cva;
  cva_ewma.ewma = 0.2;
  return {{"PCA", pca}, {"DPCA l=2", dpca}, {"CVA l=2", cva}, {"CVA l=2 + MEWMA 0.2", cva_ewma}};
}

Result<TestRatios> ScoreTestRuns(const Model& model, const TepData& data) {
  TestRatios out;
  for (const RowMatrix& run : data.test) {
    ZZ_ASSIGN_OR_RETURN(std::vector<multivariate::Score> scores, model.ScoreRange(SelectYinVariables(run), false));
    std::vector<double> ratios;
    for (size_t r = kFaultStart; r < scores.size(); ++r) ratios.push_back(scores[r].ready ? scores[r].ratio : 0.0);
    out.push_back(std::move(ratios));
  }
  return out;
}

DetectorRates RatesAt(const std::string& name, const TestRatios& ratios, double threshold) {
  DetectorRates rates{.name = name, .fdr = std::vector<double>(ratios.size(), 0.0)};
  auto share = [&](const std::vector<double>& r) {
    return 100.0 * static_cast<double>(std::count_if(r.begin(), r.end(), [&](double v) { return v > threshold; })) /
           static_cast<double>(r.size());
  };
  rates.far = share(ratios[0]);
  int counted = 0;
  for (size_t f = 1; f < ratios.size(); ++f) {
    rates.fdr[f] = share(ratios[f]);
    if (InMean(static_cast<int>(f))) rates.mean_fdr += rates.fdr[f], ++counted;
  }
  rates.mean_fdr /= std::max(counted, 1);
  return rates;
}

DetectorRates RatesAtNormalAlarms(const std::string& name, const TestRatios& ratios, size_t normal_alarms) {
  std::vector<double> normal = ratios[0];
  std::sort(normal.begin(), normal.end(), std::greater<>());
  const double threshold = normal_alarms == 0 ? normal[0] : (normal[normal_alarms - 1] + normal[normal_alarms]) / 2;
  return RatesAt(name, ratios, threshold);
}

Result<DetectorRates> ReproduceYin(const TepData& data) {
  ZZ_ASSIGN_OR_RETURN(Model model, Model::Train(SelectYinVariables(data.train_normal), YinVariableNames(),
                                                DefaultDetectors()[0].options));
  ZZ_ASSIGN_OR_RETURN(TestRatios ratios, ScoreTestRuns(model, data));
  return RatesAt("PCA T2 or SPE (Yin 2012, reproduced)", ratios, 1.0);
}

Result<TepResults> EvaluateTep(const TepData& data, const std::vector<Detector>& detectors) {
  TepResults results;
  ZZ_ASSIGN_OR_RETURN(results.yin_reproduced, ReproduceYin(data));
  const RowMatrix train = SelectYinVariables(data.train_normal);
  for (const Detector& d : detectors) {
    TrainOptions options = d.options;
    options.threshold = ThresholdRule::kCrossValidated;
    ZZ_ASSIGN_OR_RETURN(Model model, Model::Train(train, YinVariableNames(), options));
    const double deployable = model.threshold_scale();
    const std::string name = d.name + " (k=" + std::to_string(model.components()) + ")";
    model.set_threshold_scale(1.0);
    ZZ_ASSIGN_OR_RETURN(TestRatios ratios, ScoreTestRuns(model, data));
    results.at_roc_point.push_back(RatesAtNormalAlarms(name, ratios, 49));
    results.deployable.push_back(RatesAt(name, ratios, deployable));
    results.theoretical.push_back(RatesAt(name, ratios, 1.0));
  }
  return results;
}

}  // namespace zhizao::analytics::eval::tep
