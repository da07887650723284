// Runs `zhizao eval tep` without the CLI: tep_tool [DATA_DIR] (default $ZZ_SHARED_DATA/tep).
#include <cstdlib>
#include <iostream>
#include <string>

#include "analytics/eval/tep/tep_eval.h"

int main(int argc, char** argv) {
  std::string dir;
  if (argc > 1) {
    dir = argv[1];
  } else {
    const char* shared = std::getenv("ZZ_SHARED_DATA");
    dir = std::string(shared ? shared : ZZ_DEFAULT_SHARED_DATA) + "/tep";
  }
  return zhizao::analytics::eval::tep::RunTepEval({.data_dir = dir}, std::cout);
}
