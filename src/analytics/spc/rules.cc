#include "analytics/spc/rules.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

namespace zhizao::analytics::spc {
namespace {

constexpr std::size_t kWindow = 15;  // the longest pattern (rule 7)

std::string Fixed(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

// The last `count` points of the window, as a pattern; empty if the window is shorter.
template <typename Window>
std::vector<std::size_t> Tail(const Window& w, std::size_t count) {
  std::vector<std::size_t> out;
  if (w.size() < count) return out;
  for (std::size_t i = w.size() - count; i < w.size(); ++i) out.push_back(w[i].index);
  return out;
}

template <typename Window, typename Pred>
std::size_t CountTail(const Window& w, std::size_t count, Pred pred) {
  if (w.size() < count) return 0;
  return static_cast<std::size_t>(std::count_if(w.end() - static_cast<std::ptrdiff_t>(count), w.end(), pred));
}

RuleViolation Make(Rule rule, std::vector<std::size_t> points, const std::string& text) {
  RuleViolation v;
  v.rule = rule;
  v.index = points.back();
  v.points = std::move(points);
  v.explanation = "Points " + std::to_string(v.points.front() + 1) + " to " + std::to_string(v.index + 1) + ": " +
                  text + " (rule " + std::to_string(static_cast<int>(rule)) + ").";
  return v;
}

template <typename Window>
std::optional<RuleViolation> RunOneSide(const Window& w, std::size_t run) {
  if (run > kWindow) return std::nullopt;
  const bool up = CountTail(w, run, [](const auto& s) { return s.z > 0; }) == run;
  const bool down = CountTail(w, run, [](const auto& s) { return s.z < 0; }) == run;
  if (!up && !down) return std::nullopt;
  return Make(Rule::kRunOneSide, Tail(w, run),
              std::to_string(run) + " in a row " + (up ? "above" : "below") +
                  " the center line; the process mean has likely shifted");
}

template <typename Window>
std::optional<RuleViolation> Trend(const Window& w) {
  if (w.size() < 6) return std::nullopt;
  bool inc = true, dec = true;
  for (std::size_t i = w.size() - 5; i < w.size(); ++i) {
    inc = inc && w[i].value > w[i - 1].value;
    dec = dec && w[i].value < w[i - 1].value;
  }
  if (!inc && !dec) return std::nullopt;
  return Make(Rule::kTrend, Tail(w, 6),
              std::string("6 in a row steadily ") + (inc ? "increasing" : "decreasing") +
                  "; a drift such as tool wear is likely");
}

template <typename Window>
std::optional<RuleViolation> Alternating(const Window& w) {
  if (w.size() < 14) return std::nullopt;
  for (std::size_t i = w.size() - 12; i < w.size(); ++i) {
    if ((w[i - 1].value - w[i - 2].value) * (w[i].value - w[i - 1].value) >= 0) return std::nullopt;
  }
  return Make(Rule::kAlternating, Tail(w, 14),
              "14 in a row alternating up and down; two alternating sources, such as two machines or "
              "operators, are likely");
}

// k of the last m beyond `zone` sigma on the side of the newest point, which must be one of them.
template <typename Window>
std::optional<RuleViolation> KOfM(const Window& w, Rule rule, std::size_t k, std::size_t m, double zone) {
  const double z = w.back().z;
  if (w.size() < m || std::abs(z) <= zone) return std::nullopt;
  const double sign = z > 0 ? 1.0 : -1.0;
  if (CountTail(w, m, [&](const auto& s) { return s.z * sign > zone; }) < k) return std::nullopt;
  return Make(rule, Tail(w, m),
              std::to_string(k) + " of the last " + std::to_string(m) + " are beyond " + std::to_string(static_cast<int>(zone)) +
                  " sigma " + (sign > 0 ? "above" : "below") + " the center line; the mean has likely shifted");
}

template <typename Window>
std::optional<RuleViolation> FifteenWithin(const Window& w) {
  if (CountTail(w, 15, [](const auto& s) { return std::abs(s.z) < 1.0; }) != 15) return std::nullopt;
  return Make(Rule::kFifteenWithin1Sigma, Tail(w, 15),
              "15 in a row within 1 sigma of the center line; the limits are too wide, often because "
              "subgroups mix several streams");
}

template <typename Window>
std::optional<RuleViolation> EightBeyond(const Window& w) {
  if (CountTail(w, 8, [](const auto& s) { return std::abs(s.z) > 1.0; }) != 8) return std::nullopt;
  return Make(Rule::kEightBeyond1SigmaBothSides, Tail(w, 8),
              "8 in a row beyond 1 sigma with none near the center line; a mixture of two process "
              "levels is likely");
}

RuleViolation BeyondLimits(const ChartPoint& p) {
  const bool above = p.value > p.ucl;
  RuleViolation v;
  v.rule = Rule::kBeyondLimits;
  v.index = p.index;
  v.points = {p.index};
  v.explanation = "Point " + std::to_string(p.index + 1) + " (" + Fixed(p.value) + ") is " +
                  (above ? "above the upper" : "below the lower") + " control limit " +
                  Fixed(above ? p.ucl : p.lcl) + "; a special cause is likely (rule 1).";
  return v;
}

}  // namespace

RuleSet RuleSet::Nelson() {
  return {{Rule::kBeyondLimits, Rule::kRunOneSide, Rule::kTrend, Rule::kAlternating,
           Rule::kTwoOfThreeBeyond2Sigma, Rule::kFourOfFiveBeyond1Sigma, Rule::kFifteenWithin1Sigma,
           Rule::kEightBeyond1SigmaBothSides},
          9};
}

RuleSet RuleSet::WesternElectric() {
  return {{Rule::kBeyondLimits, Rule::kTwoOfThreeBeyond2Sigma, Rule::kFourOfFiveBeyond1Sigma, Rule::kRunOneSide}, 8};
}

RuleSet RuleSet::LimitsOnly() { return {{Rule::kBeyondLimits}, 9}; }

bool RuleSet::Has(Rule rule) const { return std::find(rules.begin(), rules.end(), rule) != rules.end(); }

std::vector<RuleViolation> RuleChecker::Push(const ChartPoint& point) {
  const double z = point.sigma > 0 ? (point.value - point.center) / point.sigma : 0.0;
  window_.push_back({point.index, point.value, z});
  if (window_.size() > kWindow) window_.pop_front();
  std::vector<RuleViolation> out;
  if ((point.value > point.ucl || point.value < point.lcl) && rules_.Has(Rule::kBeyondLimits))
    out.push_back(BeyondLimits(point));
  if (point.sigma > 0) {
    std::vector<RuleViolation> zone = CheckZones();
    out.insert(out.end(), zone.begin(), zone.end());
  }
  for (auto& v : out) v.chart = point.chart;
  return out;
}

std::vector<RuleViolation> RuleChecker::CheckZones() const {
  std::vector<std::optional<RuleViolation>> found;
  const auto& w = window_;
  if (rules_.Has(Rule::kRunOneSide)) found.push_back(RunOneSide(w, static_cast<std::size_t>(rules_.run_length)));
  if (rules_.Has(Rule::kTrend)) found.push_back(Trend(w));
  if (rules_.Has(Rule::kAlternating)) found.push_back(Alternating(w));
  if (rules_.Has(Rule::kTwoOfThreeBeyond2Sigma)) found.push_back(KOfM(w, Rule::kTwoOfThreeBeyond2Sigma, 2, 3, 2.0));
  if (rules_.Has(Rule::kFourOfFiveBeyond1Sigma)) found.push_back(KOfM(w, Rule::kFourOfFiveBeyond1Sigma, 4, 5, 1.0));
  if (rules_.Has(Rule::kFifteenWithin1Sigma)) found.push_back(FifteenWithin(w));
  if (rules_.Has(Rule::kEightBeyond1SigmaBothSides)) found.push_back(EightBeyond(w));
  std::vector<RuleViolation> out;
  for (auto& f : found)
    if (f) out.push_back(std::move(*f));
  return out;
}

void ApplyRules(const RuleSet& rules, ChartSeries& series) {
  RuleChecker checker(rules);
  for (const auto& p : series.points) {
    auto found = checker.Push(p);
    series.violations.insert(series.violations.end(), found.begin(), found.end());
  }
}

}  // namespace zhizao::analytics::spc
