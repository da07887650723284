// EvaluateNab on the real corpus (skipped, visibly, when it is absent). The expected numbers are
// what this configuration measured (docs/analytics/nab.md); the run is deterministic, so a
// change in them means the detector or the scorer changed.
#include "analytics/eval/nab/nab_eval.h"

#include <gtest/gtest.h>

#include <algorithm>
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
  EXPECT_NEAR(result->sweeps[0].normalized, 70.615, 0.05);
  EXPECT_NEAR(result->sweeps[1].normalized, 63.856, 0.05);
  EXPECT_NEAR(result->sweeps[2].normalized, 74.950, 0.05);
  // Per-file detail adds up to the total at the chosen threshold.
  double sum = 0;
  for (const auto& f : result->files) sum += f.raw[0];
  EXPECT_NEAR(sum, result->sweeps[0].raw, 1e-6);
}

// A file of 5-minute rows: a repeating ramp, then a jump to a level never seen (context scores
// 1 at once). After that alarm the rows of the next rest_ns score 0; the rest is not extended
// by the alarms inside it, and after it ends rows are scored again.
TEST(NabEval, RowScoresRestForADurationAfterEachAlarm) {
  constexpr int64_t kFiveMinutes = 300'000'000'000;
  NabFile file;
  for (int i = 0; i < 1200; ++i) {
    file.ts_ns.push_back(i * kFiveMinutes);
    file.values.push_back(i < 1000 ? (i % 20) / 20.0 : 50.0 + (i % 3));
  }
  NabEvalOptions options;
  options.rest_ns = 30 * kFiveMinutes;
  std::vector<uint32_t> top;
  const std::vector<double> scores = NabRowScores(file, options, &top);
  ASSERT_EQ(scores.size(), file.values.size());
  EXPECT_EQ(scores[1000], 1.0);
  EXPECT_EQ(top[1000], detect::kContext);
  detect::TagMonitor monitor(options.monitor);
  std::vector<double> raw;
  for (size_t i = 0; i < file.values.size(); ++i) raw.push_back(monitor.Update(file.ts_ns[i], file.values[i]).score);
  // Levels 51 and 52 are new too: the monitor alarms again inside the rest...
  EXPECT_GE(std::max(raw[1001], raw[1002]), 0.5);
  for (int i = 1001; i < 1030; ++i) EXPECT_EQ(scores[static_cast<size_t>(i)], 0.0) << i;
  // ...yet the rest ends 30 rows after the report: row 1030 carries the monitor's own score.
  EXPECT_EQ(scores[1030], raw[1030]);
  // The ramp before the jump, once learnt, raised no alarm (so the jump's alarm is the first).
  EXPECT_EQ(std::count_if(raw.begin(), raw.begin() + 1000, [](double v) { return v >= 0.5; }), 0);
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
