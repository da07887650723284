// Runs the NAB evaluation by hand (not a ctest): nab_eval_tool [DATA_DIR] [--per-file]
// --warmup N and --rest N override the context warm-up and the episode rest (sensitivity runs).
// --enabled MASK keeps only the detectors of that DetectorBit set (an ablation).
// DATA_DIR defaults to $ZZ_SHARED_DATA/nab or <source>/../shared/data/nab.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "analytics/eval/nab/nab_eval.h"

int main(int argc, char** argv) {
  zhizao::analytics::eval::nab::NabEvalOptions options;
  const char* env = std::getenv("ZZ_SHARED_DATA");
  options.data_dir = std::string(env ? env : ZZ_DEFAULT_SHARED_DATA) + "/nab";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--per-file") == 0) {
      options.per_file = true;
    } else if (std::strcmp(argv[i], "--warmup") == 0 && i + 1 < argc) {
      options.monitor.context.warmup = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--rest") == 0 && i + 1 < argc) {
      options.monitor.rest = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--enabled") == 0 && i + 1 < argc) {
      options.monitor.enabled = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 0));
    } else {
      options.data_dir = argv[i];
    }
  }
  return zhizao::analytics::eval::nab::RunNabEval(options, std::cout);
}
