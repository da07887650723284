#include <cmath>
#include <cstdio>
#include <string>

#include "analytics/detect/verdict.h"

namespace zhizao::analytics::detect {
namespace {
constexpr DetectorBit kAll[] = {kContext, kDspot,    kCusum,        kStuck,       kSpike,
                                kDropout, kOutOfRange, kRateOfChange, kInvalidValue};

const char* Reason(DetectorBit bit) {
  switch (bit) {
    case kContext: return "this pattern of recent values has not been seen before";
    case kDspot: return "value beyond the extreme-value threshold of its recent behaviour";
    case kCusum: return "the level has shifted and stayed shifted";
    case kStuck: return "value unchanged for much longer than ever before";
    case kSpike: return "value jumped far from its recent level";
    case kDropout: return "samples stopped for much longer than the usual interval";
    case kOutOfRange: return "value outside the configured limits";
    case kRateOfChange: return "value changing much faster than usual";
    case kInvalidValue: return "value is NaN or infinite";
  }
  return "unknown";
}
}  // namespace

const char* DetectorName(DetectorBit bit) {
  switch (bit) {
    case kContext: return "context";
    case kDspot: return "dspot";
    case kCusum: return "cusum";
    case kStuck: return "stuck";
    case kSpike: return "spike";
    case kDropout: return "dropout";
    case kOutOfRange: return "out_of_range";
    case kRateOfChange: return "rate_of_change";
    case kInvalidValue: return "invalid_value";
  }
  return "unknown";
}

std::string Explain(const Verdict& v) {
  std::string out;
  for (DetectorBit bit : kAll) {
    if ((v.fired & bit) == 0) continue;
    if (!out.empty()) out += ", ";
    out += DetectorName(bit);
  }
  out += out.empty() ? "no detector fired" : " fired";
  char buf[160];
  if (std::isnan(v.expected_low)) {
    std::snprintf(buf, sizeof buf, ": value %.6g (expected range not learnt yet), score %.2f", v.value, v.score);
  } else {
    std::snprintf(buf, sizeof buf, ": value %.6g, expected [%.6g, %.6g], score %.2f", v.value, v.expected_low,
                  v.expected_high, v.score);
  }
  out += buf;
  for (DetectorBit bit : kAll) {
    if ((v.fired & bit) == 0) continue;
    out += "; ";
    out += Reason(bit);
  }
  return out;
}

}  // namespace zhizao::analytics::detect
