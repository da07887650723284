// Runs the C-MAPSS evaluation, or cross-validation over the training units, by hand (not a
// ctest). Examples (docs/analytics/cmapss.md):
//   cmapss_tool --data ../shared/data/cmapss --subset FD001
//   cmapss_tool --data ../shared/data/cmapss --subset FD001 --cv 5 --max-depth 4 --eta 0.05
#include <chrono>
#include <ctime>
#include <vector>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "analytics/eval/cmapss/cmapss_eval.h"
#include "analytics/eval/cmapss/cmapss_files.h"
#include "analytics/rul/cross_validation.h"

namespace cm = zhizao::analytics::eval::cmapss;
namespace rul = zhizao::analytics::rul;

namespace {

std::vector<int> ParseList(const char* value) {
  std::vector<int> list;
  for (const char* p = value; *p != 0;) {
    char* end = nullptr;
    list.push_back(static_cast<int>(std::strtol(p, &end, 10)));
    p = *end == ',' ? end + 1 : end;
    if (end == p && *p != 0) break;
  }
  return list;
}

bool ParseFlag(const std::string& flag, const char* value, cm::CmapssEvalOptions& o, rul::CrossValidationOptions& cv,
               int& cv_folds) {
  rul::TrainOptions& t = o.train;
  if (flag == "--data") o.data_dir = value;
  else if (flag == "--subset") o.subset = value;
  else if (flag == "--cv") cv_folds = std::atoi(value);
  else if (flag == "--smooth-candidates") cv.smooth_candidates = ParseList(value);
  else if (flag == "--horizon") cv.uncapped_horizon = std::atof(value);
  else if (flag == "--long-window") t.long_window = std::atoi(value);
  else if (flag == "--smooth") t.smooth = std::atoi(value);
  else if (flag == "--weigh-units-equally") t.weigh_units_equally = std::atoi(value) != 0;
  else if (flag == "--recent") t.recent = std::atoi(value);
  else if (flag == "--ensemble") t.ensemble = std::atoi(value);
  else if (flag == "--rounds") t.rounds = std::atoi(value);
  else if (flag == "--max-depth") t.max_depth = std::atoi(value);
  else if (flag == "--eta") t.eta = std::atof(value);
  else if (flag == "--subsample") t.subsample = std::atof(value);
  else if (flag == "--colsample") t.colsample = std::atof(value);
  else if (flag == "--min-child-weight") t.min_child_weight = std::atof(value);
  else if (flag == "--cap") t.rul_cap = std::atof(value);
  else if (flag == "--cap-spread") t.cap_spread = std::atof(value);
  else if (flag == "--health-index") t.health_index = std::atoi(value) != 0;
  else if (flag == "--health-index-ridge") t.health_index_ridge = std::atof(value);
  else if (flag == "--window") t.window = std::atoi(value);
  else if (flag == "--baseline") t.baseline = std::atoi(value);
  else if (flag == "--ewma-alpha") t.ewma_alpha = std::atof(value);
  else if (flag == "--nthread") t.nthread = std::atoi(value);
  else if (flag == "--seed") t.seed = std::strtoull(value, nullptr, 10);
  else return false;
  return true;
}

int CrossValidateTraining(const cm::CmapssEvalOptions& o, rul::CrossValidationOptions cv_options) {
  auto rows = cm::ReadCmapssRows(o.data_dir + "/train_" + o.subset + ".txt");
  if (!rows.ok()) return std::cerr << rows.status().ToString() << "\n", 1;
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  auto cv = rul::CrossValidate(*rows, o.train, cv_options);
  if (!cv.ok()) return std::cerr << cv.status().ToString() << "\n", 1;
  const auto& t = o.train;
  std::cout << o.subset << " cv" << cv_options.folds << " cap " << t.rul_cap << " spread " << t.cap_spread << " window " << t.window << " long "
            << t.long_window << " smooth " << t.smooth << " equal-units " << t.weigh_units_equally << " depth " << t.max_depth << " eta " << t.eta << " rounds "
            << t.rounds << " mcw " << t.min_child_weight << " ensemble " << t.ensemble << " health-index "
            << t.health_index << ": RMSE " << cv->rmse
            << " truncated " << cv->truncated_rmse << " uncapped<=" << cv_options.uncapped_horizon << " "
            << cv->uncapped_rmse << " ("
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s wall, "
            << static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC << " s CPU)\n";
  for (const auto& s : cv->smoothing) {
    std::cout << "  smooth " << s.smooth << ": RMSE " << s.rmse << " truncated " << s.truncated_rmse << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  cm::CmapssEvalOptions options;
  rul::CrossValidationOptions cv_options;
  int cv_folds = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--per-unit") == 0) {
      options.per_unit = true;
    } else if (i + 1 >= argc || !ParseFlag(argv[i], argv[i + 1], options, cv_options, cv_folds)) {
      std::cerr << "usage: cmapss_tool --data DIR --subset FD00x [--per-unit] [--cv FOLDS] [--ensemble N] [--rounds N]"
                   " [--max-depth N] [--eta X] [--subsample X] [--colsample X] [--min-child-weight X] [--cap X] [--cap-spread X]"
                   " [--health-index 0|1] [--health-index-ridge X]"
                   " [--window N] [--recent N] [--baseline N] [--ewma-alpha X] [--long-window N] [--smooth N]"
                   " [--weigh-units-equally 0|1] [--nthread N] [--seed N] [--smooth-candidates 1,3,5] [--horizon X]\n";
      return 2;
    } else {
      ++i;
    }
  }
  cv_options.folds = cv_folds;
  if (cv_folds > 0) return CrossValidateTraining(options, cv_options);
  return cm::RunCmapssEval(options, std::cout);
}
