#include "analytics/spc/types.h"

namespace zhizao::analytics::spc {

std::string_view ChartTypeName(ChartType type) {
  switch (type) {
    case ChartType::kIndividuals: return "individuals";
    case ChartType::kMovingRange: return "moving_range";
    case ChartType::kXbar: return "xbar";
    case ChartType::kRange: return "range";
    case ChartType::kStdDev: return "stddev";
    case ChartType::kEwma: return "ewma";
    case ChartType::kCusumUpper: return "cusum_upper";
    case ChartType::kCusumLower: return "cusum_lower";
  }
  return "unknown";
}

std::string_view RuleName(Rule rule) {
  switch (rule) {
    case Rule::kBeyondLimits: return "beyond_limits";
    case Rule::kRunOneSide: return "run_one_side";
    case Rule::kTrend: return "trend";
    case Rule::kAlternating: return "alternating";
    case Rule::kTwoOfThreeBeyond2Sigma: return "two_of_three_beyond_2sigma";
    case Rule::kFourOfFiveBeyond1Sigma: return "four_of_five_beyond_1sigma";
    case Rule::kFifteenWithin1Sigma: return "fifteen_within_1sigma";
    case Rule::kEightBeyond1SigmaBothSides: return "eight_beyond_1sigma";
  }
  return "unknown";
}

}  // namespace zhizao::analytics::spc
