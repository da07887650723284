#include "analytics/spc/json.h"

namespace zhizao::analytics::spc {
namespace {

template <typename T>
nlohmann::json Optional(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

void to_json(nlohmann::json& j, const ChartPoint& p) {
  j = {{"chart", ChartTypeName(p.chart)}, {"index", p.index}, {"label", p.label}, {"n", p.n},
       {"value", p.value}, {"center", p.center}, {"lcl", p.lcl}, {"ucl", p.ucl}, {"sigma", p.sigma}};
}

void to_json(nlohmann::json& j, const RuleViolation& v) {
  j = {{"rule", static_cast<int>(v.rule)}, {"rule_name", RuleName(v.rule)}, {"chart", ChartTypeName(v.chart)},
       {"index", v.index}, {"points", v.points}, {"explanation", v.explanation}};
}

void to_json(nlohmann::json& j, const ChartSeries& s) {
  j = {{"chart", ChartTypeName(s.chart)}, {"points", s.points}, {"violations", s.violations}};
}

void to_json(nlohmann::json& j, const ShewhartLimits& l) {
  j = {{"kind", ShewhartKindName(l.kind)}, {"center", l.center}, {"sigma", l.sigma},
       {"subgroup_size", l.subgroup_size}, {"baseline_count", l.baseline_count}};
}

void to_json(nlohmann::json& j, const ShewhartChart& c) {
  j = {{"limits", c.limits}, {"location", c.location}, {"dispersion", c.dispersion}};
}

void to_json(nlohmann::json& j, const ChartUpdate& u) { j = {{"points", u.points}, {"violations", u.violations}}; }

void to_json(nlohmann::json& j, const EwmaParams& p) {
  j = {{"target", p.target}, {"sigma", p.sigma}, {"lambda", p.lambda}, {"width", p.width},
       {"exact_limits", p.exact_limits}};
}

void to_json(nlohmann::json& j, const CusumParams& p) {
  j = {{"target", p.target}, {"sigma", p.sigma}, {"k", p.k}, {"h", p.h}};
}

void to_json(nlohmann::json& j, const ControlConstants& k) {
  j = {{"n", k.n},   {"d2", k.d2}, {"d3", k.d3}, {"c4", k.c4}, {"A2", k.a2},
       {"A3", k.a3}, {"B3", k.b3}, {"B4", k.b4}, {"D3", k.d3_factor}, {"D4", k.d4_factor}};
}

void to_json(nlohmann::json& j, const Interval& i) { j = {{"lower", i.lower}, {"upper", i.upper}}; }

void to_json(nlohmann::json& j, const Index& i) { j = {{"value", i.value}, {"ci", i.ci}}; }

void to_json(nlohmann::json& j, const SpecLimits& s) {
  j = {{"lsl", Optional(s.lsl)}, {"usl", Optional(s.usl)}, {"target", Optional(s.target)}};
}

void to_json(nlohmann::json& j, const NormalityCheck& c) {
  j = {{"test", "anderson_darling"}, {"n", c.n}, {"a2", c.anderson_darling}, {"a2_adjusted", c.adjusted},
       {"p_value", c.p_value}, {"normal_rejected", c.normal_rejected}, {"note", c.note}};
}

void to_json(nlohmann::json& j, const Histogram& h) {
  j = {{"lower", h.lower}, {"width", h.width}, {"counts", h.counts}};
}

void to_json(nlohmann::json& j, const CapabilityReport& r) {
  j = {{"n", r.n},
       {"mean", r.mean},
       {"sigma_within", r.sigma_within},
       {"sigma_overall", r.sigma_overall},
       {"spec", r.spec},
       {"confidence", r.confidence},
       {"cp", Optional(r.cp)},
       {"cpk", Optional(r.cpk)},
       {"cpu", Optional(r.cpu)},
       {"cpl", Optional(r.cpl)},
       {"pp", Optional(r.pp)},
       {"ppk", Optional(r.ppk)},
       {"ppu", Optional(r.ppu)},
       {"ppl", Optional(r.ppl)},
       {"cpm", Optional(r.cpm)},
       {"observed_out_of_spec_ppm", r.observed_out_of_spec_ppm},
       {"expected_out_of_spec_ppm", r.expected_out_of_spec_ppm},
       {"normality", r.normality},
       {"histogram", r.histogram}};
}

}  // namespace zhizao::analytics::spc
