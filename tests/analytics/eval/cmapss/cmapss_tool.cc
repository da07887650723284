// Runs the C-MAPSS evaluation, or cross-validation over the training units, by hand (not a
// ctest). Examples (docs/analytics/cmapss.md):
//   cmapss_tool --data ../shared/data/cmapss --subset FD001
//   cmapss_tool --data ../shared/data/cmapss --subset FD001 --cv 5 --max-depth 4 --eta 0.05
#include <chrono>
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

bool ParseFlag(const std::string& flag, const char* value, cm::CmapssEvalOptions& o, int& cv_folds) {
  rul::TrainOptions& t = o.train;
  if (flag == "--data") o.data_dir = value;
  else if (flag == "--subset") o.subset = value;
  else if (flag == "--cv") cv_folds = std::atoi(value);
  else if (flag == "--ensemble") t.ensemble = std::atoi(value);
  else if (flag == "--rounds") t.rounds = std::atoi(value);
  else if (flag == "--max-depth") t.max_depth = std::atoi(value);
  else if (flag == "--eta") t.eta = std::atof(value);
  else if (flag == "--subsample") t.subsample = std::atof(value);
  else if (flag == "--colsample") t.colsample = std::atof(value);
  else if (flag == "--min-child-weight") t.min_child_weight = std::atof(value);
  else if (flag == "--cap") t.rul_cap = std::atof(value);
  else if (flag == "--window") t.window = std::atoi(value);
  else if (flag == "--baseline") t.baseline = std::atoi(value);
  else if (flag == "--ewma-alpha") t.ewma_alpha = std::atof(value);
  else if (flag == "--nthread") t.nthread = std::atoi(value);
  else if (flag == "--seed") t.seed = std::strtoull(value, nullptr, 10);
  else return false;
  return true;
}

int CrossValidateTraining(const cm::CmapssEvalOptions& o, int folds) {
  auto rows = cm::ReadCmapssRows(o.data_dir + "/train_" + o.subset + ".txt");
  if (!rows.ok()) return std::cerr << rows.status().ToString() << "\n", 1;
  const auto start = std::chrono::steady_clock::now();
  auto cv = rul::CrossValidate(*rows, o.train, folds);
  if (!cv.ok()) return std::cerr << cv.status().ToString() << "\n", 1;
  std::cout << o.subset << " cv" << folds << " depth " << o.train.max_depth << " eta " << o.train.eta << " rounds "
            << o.train.rounds << " mcw " << o.train.min_child_weight << " ensemble " << o.train.ensemble
            << ": RMSE " << cv->rmse << " (" << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
            << " s)\n";
  std::cout << "  uncapped RMSE at held-out cycles with true RUL <= 150: " << cv->uncapped_rmse << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  cm::CmapssEvalOptions options;
  int cv_folds = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--per-unit") == 0) {
      options.per_unit = true;
    } else if (i + 1 >= argc || !ParseFlag(argv[i], argv[i + 1], options, cv_folds)) {
      std::cerr << "usage: cmapss_tool --data DIR --subset FD00x [--per-unit] [--cv FOLDS] [--ensemble N] [--rounds N]"
                   " [--max-depth N] [--eta X] [--subsample X] [--colsample X] [--min-child-weight X] [--cap X]"
                   " [--window N] [--baseline N] [--ewma-alpha X] [--nthread N] [--seed N]\n";
      return 2;
    } else {
      ++i;
    }
  }
  if (cv_folds > 0) return CrossValidateTraining(options, cv_folds);
  return cm::RunCmapssEval(options, std::cout);
}
