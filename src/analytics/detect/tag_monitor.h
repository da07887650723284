// TagMonitor: every streaming detector of one numeric tag behind one Update call.
//
// Construct one per tag with default options (no tuning needed), call Update(ts_ns, value) for
// each sample in time order, read the Verdict: `score` in [0, 1] (0.5 = some detector alarms),
// `onset` (the score at the first sample of a new episode, then 0 until `rest` quiet samples
// have passed: what an event log or NAB wants), which detectors fired and the expected range.
// Explain(verdict) turns it into words.
//
// Bad input: NaN/inf are not fed to the detectors and return score 1 with kInvalidValue (a
// sensor sending non-numbers is a fault). Finite values beyond +-1e100 are clamped to that for
// the statistics, so nothing overflows. Timestamps that go backwards count as no gap.
//
// State: Save() returns a versioned blob with a CRC-32C; Load() accepts only a blob written with
// the same version and options and refuses anything else with a kCorruption/kInvalidArgument
// Status, leaving the monitor unchanged. Format: docs/analytics/detectors.md.
//
// Cost: O(1) time. Heap per tag (docs/analytics/detectors.md, "Memory"): 0.9 KB without the
// context detector (+2 KB of DSPOT calibration residuals until ~270 samples), 18.2 KB with it
// (its 16 KiB table from the end of its 300-sample warm-up; 2.4 KB of warm-up values until
// then). Not thread-safe: one monitor per tag, one caller at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "analytics/detect/context_detector.h"
#include "analytics/detect/cusum.h"
#include "analytics/detect/dspot.h"
#include "analytics/detect/sensor_faults.h"
#include "analytics/detect/verdict.h"
#include "common/status.h"

namespace zhizao::analytics::detect {

struct TagMonitorOptions {
  ContextOptions context;
  DspotOptions dspot;
  CusumOptions cusum;
  SensorFaultOptions faults;
  // Quiet samples (all scores < 0.5) after which a new alarm is a new episode. Default: 150,
  // the rest period CAD OSE uses on NAB's longer files.
  int rest = 150;
  // Detectors that contribute to `score` (a DetectorBit set). Default: all.
  uint32_t enabled = 0x1FF;
};

class TagMonitor {
 public:
  // 2: the context detector's likelihood stage joined the state. 3: the context detector's state
  // only when it is enabled (16 KiB a tag otherwise saved for nothing). Older blobs are refused.
  static constexpr uint32_t kStateVersion = 3;
  explicit TagMonitor(const TagMonitorOptions& options = {});

  // `counted`: the DetectorBits that may score this sample (with options().enabled); the others
  // still learn from it. Default: every enabled one.
  Verdict Update(int64_t ts_ns, double value, uint32_t counted = ~0u);

  // For a timer: the dropout score when no sample has arrived up to now_ns.
  double DropoutScore(int64_t now_ns) const { return faults_.DropoutScore(now_ns); }
  // The next Update's gap since the previous sample is unknown (SensorFaults::ForgetGap).
  void ForgetGap() { faults_.ForgetGap(); }
  uint64_t samples() const { return samples_; }
  // The tag's usual time between samples, learnt as it goes (0 before its second sample).
  double usual_interval_s() const { return faults_.usual_interval_s(); }
  const TagMonitorOptions& options() const { return opt_; }

  std::string Save() const;
  Status Load(std::string_view blob);

 private:
  struct Scores;
  Verdict Combine(int64_t ts_ns, double value, const Scores& s, uint32_t counted);
  void SavePayload(StateWriter& w) const;
  bool LoadPayload(StateReader& r);
  uint64_t OptionsFingerprint() const;

  TagMonitorOptions opt_;
  // Only when enabled (the live set leaves it out): its 0.9 KB of fixed state is not paid for nothing.
  std::unique_ptr<ContextDetector> context_;
  Dspot dspot_;
  Cusum cusum_;
  SensorFaults faults_;
  uint64_t samples_ = 0;
  int64_t last_ts_ = 0;
  uint64_t quiet_ = 0;  // samples since the last alarm
};

}  // namespace zhizao::analytics::detect
