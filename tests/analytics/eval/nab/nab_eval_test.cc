// EvaluateNab on the real corpus (skipped, visibly, when it is absent). The expected numbers are
// what this configuration measured (docs/analytics/nab.md); the run is deterministic, so a
// change in them means the detector or the scorer changed.
#include "analytics/eval/nab/nab_eval.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace zhizao::analytics::eval::nab {
namespace {

std::string NabDir() {
  const char* env = std::getenv("ZZ_SHARED_DATA");
  return std::string(env ? env : ZZ_DEFAULT_SHARED_DATA) + "/nab";
}

TEST(NabEval, ScoresOfTheNabConfigurationOnTheRealCorpus) {
  const std::string dir = NabDir();
  if (!std::filesystem::exists(dir + "/labels/combined_windows.json"))
    GTEST_SKIP() << "NAB corpus not found at " << dir << " (set ZZ_SHARED_DATA)";
  NabEvalOptions options;
  options.data_dir = dir;
  auto result = EvaluateNab(options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->files.size(), 58u);
  EXPECT_EQ(result->rows, 365558u);
  EXPECT_EQ(result->windows, 116u);
  ASSERT_EQ(result->sweeps.size(), 3u);
  EXPECT_NEAR(result->sweeps[0].normalized, 58.019, 0.05);
  EXPECT_NEAR(result->sweeps[1].normalized, 45.900, 0.05);
  EXPECT_NEAR(result->sweeps[2].normalized, 63.967, 0.05);
  // Per-file detail adds up to the total at the chosen threshold.
  double sum = 0;
  for (const auto& f : result->files) sum += f.raw[0];
  EXPECT_NEAR(sum, result->sweeps[0].raw, 1e-6);
}

TEST(NabEval, MissingDirectoryIsAnErrorAndRunPrintsIt) {
  NabEvalOptions options;
  options.data_dir = "/nonexistent/nab";
  EXPECT_EQ(EvaluateNab(options).status().code(), StatusCode::kNotFound);
  std::ostringstream out;
  EXPECT_EQ(RunNabEval(options, out), 1);
  EXPECT_NE(out.str().find("error"), std::string::npos);
}

}  // namespace
}  // namespace zhizao::analytics::eval::nab
