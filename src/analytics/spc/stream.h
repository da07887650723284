// StreamingChart: Phase II monitoring one subgroup (or one value) at a time.
//
// Built from fixed Phase I limits (ShewhartLimits, EwmaParams or CusumParams). Each Push()
// returns the plotted point(s) with their limits and every rule the new point completes,
// ready to send to the console (json.h). Memory is O(15) whatever the stream length: the
// rule window, the previous value (moving range) and the EWMA/CUSUM state.
//
// Push(values): the values measured together (size 1 for I-MR; any size >= 2 for X̄-R/X̄-S,
// judged against limits for that size; EWMA and CUSUM plot the mean of the values).
// Errors (InvalidArgument, state unchanged): empty or non-finite values, a subgroup of
// size 1 for X̄-R/X̄-S, more than one value for I-MR.
// Thread safety: not thread-safe; one object per tag, owned by its caller. Movable.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "analytics/spc/cusum.h"
#include "analytics/spc/ewma.h"
#include "analytics/spc/rules.h"
#include "analytics/spc/shewhart.h"
#include "analytics/spc/types.h"

namespace zhizao::analytics::spc {

// What one Push() produced.
struct ChartUpdate {
  // Location first: I or X̄ (then MR, R or S; MR is absent for the first value), or EWMA,
  // or C+ then C-.
  std::vector<ChartPoint> points;
  std::vector<RuleViolation> violations;
};

class StreamingChart {
 public:
  // `rules` judge the location chart; the dispersion chart is judged by rule 1 only.
  static Result<StreamingChart> Shewhart(const ShewhartLimits& limits, RuleSet rules = RuleSet::Nelson());
  static Result<StreamingChart> Ewma(const EwmaParams& params);
  static Result<StreamingChart> Cusum(const CusumParams& params);

  Result<ChartUpdate> Push(std::span<const double> values, std::string label = {});

  std::size_t count() const { return count_; }

 private:
  struct ShewhartState {
    ShewhartLimits limits;
    std::optional<double> previous;  // for the moving range
  };
  using State = std::variant<ShewhartState, EwmaChart, CusumChart>;
  StreamingChart(State state, RuleSet location_rules)
      : state_(std::move(state)), location_(std::move(location_rules)), dispersion_(RuleSet::LimitsOnly()) {}

  Result<ChartUpdate> PushShewhart(ShewhartState& s, std::span<const double> values);
  ChartUpdate PushEwma(EwmaChart& chart, double mean);
  ChartUpdate PushCusum(CusumChart& chart, double mean);

  State state_;
  RuleChecker location_;
  RuleChecker dispersion_;
  std::size_t count_ = 0;
};

}  // namespace zhizao::analytics::spc
