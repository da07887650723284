// Runs the fuzzer's body on random and mutated inputs so that every compiler's CI covers it.
#include <gtest/gtest.h>

#include "analytics/live/monitor_state_file.h"
#include "fuzz_replay.h"
#include "monitor_state_fuzz_target.h"

namespace zhizao::analytics::live {
namespace {

void Feed(const std::string& input) {
  FuzzMonitorStates(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

TEST(MonitorStateFuzzTest, SurvivesMutatedValidFiles) {
  std::string valid = EncodeMonitorStates({{7, "abc"}, {9, std::string(40, 'x')}});
  // Without its checksum, so that the target's appended one makes mutations reach the entries.
  fuzz_replay::Mutated({valid.substr(0, valid.size() - 4)}, std::string("ZZMS\0\1\x7f\xff", 8), 20'000, Feed);
}

TEST(MonitorStateFuzzTest, SurvivesRandomInputs) { fuzz_replay::Random(std::string("ZZMS\0\1", 6), 10'000, Feed); }

}  // namespace
}  // namespace zhizao::analytics::live
