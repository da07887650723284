#include "connect/lineproto/precision.h"

#include <string>

namespace zhizao::connect::lineproto {

Result<Precision> ParsePrecision(std::string_view text) {
  if (text.empty() || text == "ns" || text == "n") return Precision::kNanosecond;
  if (text == "us" || text == "u") return Precision::kMicrosecond;
  if (text == "ms") return Precision::kMillisecond;
  if (text == "s") return Precision::kSecond;
  if (text == "m") return Precision::kMinute;
  if (text == "h") return Precision::kHour;
  return Status::InvalidArgument("invalid precision \"" + std::string(text) + "\" (use ns, us, ms, s, m or h)");
}

std::string_view PrecisionName(Precision precision) {
  switch (precision) {
    case Precision::kNanosecond: return "ns";
    case Precision::kMicrosecond: return "us";
    case Precision::kMillisecond: return "ms";
    case Precision::kSecond: return "s";
    case Precision::kMinute: return "m";
    case Precision::kHour: return "h";
  }
  return "ns";
}

int64_t NanosPerUnit(Precision precision) {
  switch (precision) {
    case Precision::kNanosecond: return 1;
    case Precision::kMicrosecond: return 1'000;
    case Precision::kMillisecond: return 1'000'000;
    case Precision::kSecond: return 1'000'000'000;
    case Precision::kMinute: return 60'000'000'000;
    case Precision::kHour: return 3'600'000'000'000;
  }
  return 1;
}

}  // namespace zhizao::connect::lineproto
