// `zhizao eval <benchmark> --data DIR`: the analytics scored on public benchmarks, each a
// reproducible command whose output goes into docs/benchmarks.md.
#include <iostream>

#include "analytics/eval/cmapss/cmapss_eval.h"
#include "analytics/eval/nab/nab_eval.h"
#include "analytics/eval/sim/sim_eval.h"
#include "analytics/eval/tep/tep_eval.h"
#include "app/commands.h"

namespace zhizao::app {

int RunEvalNab(const EvalFlags& flags) {
  analytics::eval::nab::NabEvalOptions options;
  options.data_dir = flags.data_dir;
  options.per_file = flags.per_file;
  return analytics::eval::nab::RunNabEval(options, std::cout) == 0 ? kExitOk : kExitFailure;
}

int RunEvalTep(const EvalFlags& flags) {
  analytics::eval::tep::TepEvalOptions options;
  options.data_dir = flags.data_dir;
  return analytics::eval::tep::RunTepEval(options, std::cout) == 0 ? kExitOk : kExitFailure;
}

int RunEvalCmapss(const EvalFlags& flags) {
  analytics::eval::cmapss::CmapssEvalOptions options;
  options.data_dir = flags.data_dir;
  options.subset = flags.subset;
  options.per_unit = flags.per_file;
  return analytics::eval::cmapss::RunCmapssEval(options, std::cout) == 0 ? kExitOk : kExitFailure;
}

int RunEvalSim(const EvalFlags& flags) {
  analytics::eval::sim::SimEvalOptions options;
  options.days = flags.days;
  options.seed = flags.seed;
  options.history_days = flags.history_days;
  options.history_fault_records = !flags.no_fault_records;
  options.list = flags.per_file;
  options.historian = flags.historian;
  options.live.group_by_asset = !flags.per_tag;
  if (flags.asset_models != "off") {
    analytics::eval::sim::UseAssetModels(options, flags.asset_models == "aakr"
                                                      ? analytics::multivariate::Method::kKernelRegression
                                                      : analytics::multivariate::Method::kPca);
    options.live.asset_models.setpoints = analytics::live::SetpointsNamed(flags.setpoints).value();
  }
  Status done = analytics::eval::sim::RunSimEval(options, std::cout);
  if (done.ok()) return kExitOk;
  std::cerr << "zhizao: eval sim: " << done.message() << "\n";
  return done.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

}  // namespace zhizao::app
