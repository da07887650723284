// Western Electric / Nelson run rules, checked one point at a time.
//
// Each pushed point is judged in zones of its own sigma (ChartPoint::sigma), so the rules
// hold for charts whose limits vary per point (X̄-S with unequal sizes). A rule fires at
// the point that completes its pattern, and again at each further point while the pattern
// holds (as Minitab and JMP flag them), so a console can mark every point involved.
// Memory is O(15): the longest pattern is 15 points.
// Thread safety: a RuleChecker is not thread-safe; use one per chart.
#pragma once

#include <deque>
#include <vector>

#include "analytics/spc/types.h"

namespace zhizao::analytics::spc {

struct RuleSet {
  std::vector<Rule> rules;
  // Points in a row on one side for kRunOneSide, 2..15 (longer runs never fire). Default: 9 (Nelson).
  int run_length = 9;

  // Nelson (1984): all eight rules, run of 9.
  static RuleSet Nelson();
  // Western Electric Handbook (1956) zone tests: rules 1, 5, 6 and a run of 8 on one side.
  static RuleSet WesternElectric();
  // Only a point beyond the limits: for EWMA and CUSUM, whose points are autocorrelated.
  static RuleSet LimitsOnly();
  bool Has(Rule rule) const;
};

class RuleChecker {
 public:
  explicit RuleChecker(RuleSet rules) : rules_(std::move(rules)) {}

  // Judges `point` against the recent history and returns the rules it completes.
  // A point with sigma <= 0 is judged only against its limits.
  std::vector<RuleViolation> Push(const ChartPoint& point);

 private:
  struct Seen {
    std::size_t index;
    double value;
    double z;  // (value - center) / sigma
  };
  using Window = std::deque<Seen>;
  std::vector<RuleViolation> CheckZones() const;

  RuleSet rules_;
  Window window_;
};

// Runs a RuleChecker over a whole series and stores the violations in it.
void ApplyRules(const RuleSet& rules, ChartSeries& series);

}  // namespace zhizao::analytics::spc
