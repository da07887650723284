#include "spc_config_fuzz_target.h"

#include <cstdlib>
#include <vector>

#include "analytics/spc/config_json.h"
#include "analytics/spc/json.h"
#include "analytics/spc/stream.h"

namespace zhizao::analytics::spc {
namespace {

// A broken invariant aborts, which the fuzzer reports with the input.
void Require(bool ok) {
  if (!ok) std::abort();
}

void Drive(Result<StreamingChart> chart, std::size_t n) {
  Require(chart.ok());
  const std::vector<double> values(n, 1.0);
  for (int i = 0; i < 20; ++i) Require(chart->Push(values).ok());
}

void TryShewhart(const nlohmann::json& j) {
  auto limits = ParseShewhartLimits(j);
  if (!limits.ok()) return;
  auto again = ParseShewhartLimits(nlohmann::json(*limits));
  Require(again.ok() && again->sigma == limits->sigma && again->center == limits->center);
  const bool imr = limits->kind == ShewhartKind::kIndividualsMovingRange;
  Drive(StreamingChart::Shewhart(*limits), imr ? 1 : 3);
}

}  // namespace

void FuzzSpcConfig(const uint8_t* data, size_t size) {
  const auto j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return;
  TryShewhart(j);
  if (auto p = ParseEwmaParams(j); p.ok()) {
    Require(ParseEwmaParams(nlohmann::json(*p)).ok());
    Drive(StreamingChart::Ewma(*p), 1);
  }
  if (auto p = ParseCusumParams(j); p.ok()) {
    Require(ParseCusumParams(nlohmann::json(*p)).ok());
    Drive(StreamingChart::Cusum(*p), 2);
  }
  if (auto r = ParseRuleSet(j); r.ok()) Require(ParseRuleSet(nlohmann::json(*r)).ok());
}

}  // namespace zhizao::analytics::spc
