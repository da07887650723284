// Result types shared by every SPC chart: plotted points, limits and run-rule violations.
//
// Plain value structs that map one-to-one onto JSON (see json.h): no pointers, no
// inheritance, indices instead of references. Limits are carried on every point because
// EWMA limits and X̄-S limits with unequal subgroup sizes vary from point to point.
// Thread safety: values; safe to copy and share read-only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace zhizao::analytics::spc {

// Which statistic a point plots.
enum class ChartType {
  kIndividuals,  // one value per point (I of I-MR)
  kMovingRange,  // |x_t - x_{t-1}| (MR of I-MR)
  kXbar,         // subgroup mean
  kRange,        // subgroup range
  kStdDev,       // subgroup sample standard deviation
  kEwma,         // exponentially weighted moving average
  kCusumUpper,   // tabular CUSUM C+ (in data units)
  kCusumLower,   // tabular CUSUM C- (in data units, plotted as a positive number)
};
std::string_view ChartTypeName(ChartType type);

// One plotted point with the limits that apply to it.
struct ChartPoint {
  ChartType chart = ChartType::kIndividuals;
  std::size_t index = 0;  // 0-based position in the monitored sequence
  std::string label;      // the subgroup key or window start, as given by the caller
  int n = 1;              // number of raw values behind the point
  double value = 0.0;     // the plotted statistic
  double center = 0.0;
  double lcl = 0.0;       // lower control limit (0 where a dispersion limit is clamped)
  double ucl = 0.0;
  double sigma = 0.0;     // standard error of the plotted statistic; zones are center ± k·sigma
};

// The eight Nelson rules (numbered as in Nelson 1984). Western Electric's four are
// kBeyondLimits, kRunOneSide (length 8), kTwoOfThreeBeyond2Sigma, kFourOfFiveBeyond1Sigma.
enum class Rule {
  kBeyondLimits = 1,             // 1 point beyond 3 sigma
  kRunOneSide = 2,               // 9 (Nelson) or 8 (WE) in a row on one side of the center
  kTrend = 3,                    // 6 in a row steadily increasing or decreasing
  kAlternating = 4,              // 14 in a row alternating up and down
  kTwoOfThreeBeyond2Sigma = 5,   // 2 of 3 beyond 2 sigma, same side
  kFourOfFiveBeyond1Sigma = 6,   // 4 of 5 beyond 1 sigma, same side
  kFifteenWithin1Sigma = 7,      // 15 in a row within 1 sigma (stratification)
  kEightBeyond1SigmaBothSides = 8,  // 8 in a row beyond 1 sigma, either side (mixture)
};
std::string_view RuleName(Rule rule);

// One firing of one rule, reported at the point that completed the pattern.
struct RuleViolation {
  Rule rule = Rule::kBeyondLimits;
  ChartType chart = ChartType::kIndividuals;
  std::size_t index = 0;             // the point that completed the pattern
  std::vector<std::size_t> points;   // every point of the pattern, ascending
  std::string explanation;           // one sentence for a person
};

// A whole chart: its points and every violation found on it.
struct ChartSeries {
  ChartType chart = ChartType::kIndividuals;
  std::vector<ChartPoint> points;
  std::vector<RuleViolation> violations;
};

}  // namespace zhizao::analytics::spc
