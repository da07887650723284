// Verdict: what TagMonitor::Update says about one sample, and the words that explain it.
//
// A Verdict is a small value (no allocation) so that Update stays cheap on every sample; the
// reason in words is built on demand by Explain(), typically only for samples that alarm.
#pragma once

#include <cstdint>
#include <string>

namespace zhizao::analytics::detect {

// One bit per detector; Verdict::fired holds those whose score reached 0.5 ("alarm").
enum DetectorBit : uint32_t {
  kContext = 1u << 0,       // contextual sequence novelty (context_detector.h)
  kDspot = 1u << 1,         // extreme value beyond the GPD tail threshold (dspot.h)
  kCusum = 1u << 2,         // sustained shift of the level (cusum.h)
  kStuck = 1u << 3,         // value unchanged for far longer than usual (sensor_faults.h)
  kSpike = 1u << 4,         // single jump far from the recent level
  kDropout = 1u << 5,       // timestamp gap much longer than the usual interval
  kOutOfRange = 1u << 6,    // outside the limits given in the options
  kRateOfChange = 1u << 7,  // change per second far above usual (or above the given limit)
  kInvalidValue = 1u << 8,  // NaN or +-inf
};

// Short stable name of one detector bit ("context", "dspot", ...); "unknown" otherwise.
const char* DetectorName(DetectorBit bit);

// Every score is in [0, 1]; 0.5 is the alarm level of each detector.
struct Verdict {
  double score = 0;           // max over the detectors: how abnormal this sample is now
  double onset = 0;           // `score` at the first sample of a new episode, 0 while one lasts
  uint32_t fired = 0;         // DetectorBit set of detectors at or above 0.5
  uint32_t top = 0;           // the DetectorBit with the highest score (0 when all are 0)
  double value = 0;           // the sample as given
  double expected_low = 0;    // the range the monitor expected (NaN before warm-up)
  double expected_high = 0;
  int64_t gap_ns = 0;         // time since the previous sample (0 for the first)
};

// "dspot, cusum fired: value 97.2 outside expected [40.1, 61.3]: ..." One line, plain words.
std::string Explain(const Verdict& v);

}  // namespace zhizao::analytics::detect
