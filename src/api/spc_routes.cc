// GET /api/v1/spc: a control chart of one quality tag from its history, with the run rules'
// violations and, given specification limits, the capability indices.
//
// Phase I estimates the limits from ?baseline_from/?baseline_to (default: the charted range
// itself, a Phase I study); Phase II plots [from, to] against them. Only Good samples count:
// a bad reading is not a measurement of the process (the answer says how many were left out).
// Answers: 200; 400 for a bad parameter; 404 for an unknown tag; 422 for a tag that is not
// numeric, too little data, or more than kMaxSamples samples in a range.
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <map>
#include <tuple>

#include "analytics/spc/capability.h"
#include "analytics/spc/cusum.h"
#include "analytics/spc/ewma.h"
#include "analytics/spc/json.h"
#include "analytics/spc/shewhart.h"
#include "analytics/spc/subgroup.h"
#include "api/request_params.h"
#include "api/routes.h"
#include "api/series_params.h"
#include "common/clock.h"
#include "common/time_format.h"

namespace zhizao::api {
namespace {

namespace spc = analytics::spc;
using nlohmann::json;

constexpr size_t kMaxSamples = 200'000;
constexpr int64_t kDefaultSpanNs = 3600LL * 1'000'000'000;

struct Measurements {
  std::vector<spc::Sample> samples;
  size_t excluded = 0;  // samples that were not Good, or not finite
};

Result<Measurements> ReadMeasurements(const ApiServices& services, const catalog::Tag& tag, int64_t from_ns,
                                      int64_t to_ns) {
  storage::SeriesSamples raw;
  query::EngineSource engine(*services.engine);
  const query::SampleSource& source = services.source != nullptr ? *services.source : engine;
  ZZ_RETURN_IF_ERROR(source.Read(tag.id, from_ns, to_ns, &raw));
  if (raw.size() > kMaxSamples) {
    return Status::OutOfRange("more than " + std::to_string(kMaxSamples) +
                              " samples in the range: narrow it, or chart subgroup means of a shorter span");
  }
  Measurements m;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw.status[i] != status_codes::kGood) {
      ++m.excluded;
      continue;
    }
    double v = tag.data_type == DataType::kInt64 ? static_cast<double>(raw.i64[i]) : raw.f64[i];
    if (!std::isfinite(v)) {
      ++m.excluded;
      continue;
    }
    m.samples.push_back({.ts_ns = raw.ts_ns[i], .value = v});
  }
  return m;
}

std::vector<double> Values(const std::vector<spc::Sample>& samples) {
  std::vector<double> values;
  values.reserve(samples.size());
  for (const spc::Sample& s : samples) values.push_back(s.value);
  return values;
}

// The optional numeric parameter `name`.
Result<std::optional<double>> NumberParam(const HttpRequest& request, std::string_view name) {
  std::optional<std::string_view> text = request.Query(name);
  if (!text) return std::optional<double>();
  char* end = nullptr;
  std::string copy(*text);
  double v = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || !std::isfinite(v)) {
    return Status::InvalidArgument("parameter " + std::string(name) + ": expected a number, got '" + copy + "'");
  }
  return std::optional<double>(v);
}

Result<spc::RuleSet> RulesParam(const HttpRequest& request) {
  std::string_view rules = request.Query("rules").value_or("nelson");
  if (rules == "nelson") return spc::RuleSet::Nelson();
  if (rules == "western_electric") return spc::RuleSet::WesternElectric();
  if (rules == "limits") return spc::RuleSet::LimitsOnly();
  return Status::InvalidArgument("parameter rules: expected nelson, western_electric or limits");
}

struct ChartRequest {
  catalog::Tag tag;
  std::string chart;
  TimeRange range;
  TimeRange baseline;
  int64_t subgroup_ns = 60'000'000'000;  // for the X̄ charts, and EWMA/CUSUM of subgroup means
  bool subgrouped = false;
  spc::RuleSet rules;
  std::optional<double> lambda, width, k, h;  // EWMA and CUSUM
  spc::SpecLimits spec;
};

Result<ChartRequest> ChartRequestOf(const ApiServices& services, const HttpRequest& request) {
  ChartRequest r;
  std::optional<std::string_view> tag = request.Query("tag");
  if (!tag) return Status::InvalidArgument("parameter tag: the tag to chart (path or id) is required");
  ZZ_ASSIGN_OR_RETURN(r.tag, ResolveTag(*services.catalog, *tag));
  if (r.tag.data_type != DataType::kFloat64 && r.tag.data_type != DataType::kInt64) {
    return Status::OutOfRange("tag '" + r.tag.path + "' is not numeric: SPC charts measurements");
  }
  r.chart = std::string(request.Query("chart").value_or("i_mr"));
  if (r.chart != "i_mr" && r.chart != "xbar_r" && r.chart != "xbar_s" && r.chart != "ewma" && r.chart != "cusum") {
    return Status::InvalidArgument("parameter chart: expected i_mr, xbar_r, xbar_s, ewma or cusum");
  }
  int64_t now = SystemClock::Instance().NowNs();
  ZZ_ASSIGN_OR_RETURN(r.range, TimeRangeParams(request, now, kDefaultSpanNs));
  r.baseline = r.range;
  if (std::optional<std::string_view> from = request.Query("baseline_from")) {
    ZZ_ASSIGN_OR_RETURN(r.baseline.from_ns, ParseTimeParam(*from, now, "baseline_from"));
  }
  if (std::optional<std::string_view> to = request.Query("baseline_to")) {
    ZZ_ASSIGN_OR_RETURN(r.baseline.to_ns, ParseTimeParam(*to, now, "baseline_to"));
  }
  if (r.baseline.from_ns > r.baseline.to_ns) return Status::OutOfRange("baseline_from is after baseline_to");
  if (auto subgroup = request.Query("subgroup")) {
    ZZ_ASSIGN_OR_RETURN(r.subgroup_ns, ParseDuration(*subgroup, "subgroup"));
    r.subgrouped = true;
  }
  r.subgrouped = r.subgrouped || r.chart == "xbar_r" || r.chart == "xbar_s";
  ZZ_ASSIGN_OR_RETURN(r.rules, RulesParam(request));
  ZZ_ASSIGN_OR_RETURN(r.lambda, NumberParam(request, "lambda"));
  ZZ_ASSIGN_OR_RETURN(r.width, NumberParam(request, "width"));
  ZZ_ASSIGN_OR_RETURN(r.k, NumberParam(request, "k"));
  ZZ_ASSIGN_OR_RETURN(r.h, NumberParam(request, "h"));
  ZZ_ASSIGN_OR_RETURN(r.spec.lsl, NumberParam(request, "lsl"));
  ZZ_ASSIGN_OR_RETURN(r.spec.usl, NumberParam(request, "usl"));
  ZZ_ASSIGN_OR_RETURN(r.spec.target, NumberParam(request, "target"));
  return r;
}

// Subgroup means, for EWMA and CUSUM charts of subgrouped data.
std::vector<double> Means(const std::vector<spc::Subgroup>& groups) {
  std::vector<double> means;
  for (const spc::Subgroup& g : groups) {
    double sum = 0;
    for (double v : g.values) sum += v;
    means.push_back(sum / static_cast<double>(g.values.size()));
  }
  return means;
}

// X̄-R needs equal subgroups; time windows at the edges of a range, or around a gap, hold
// fewer samples. Those are left out (X̄-S charts them with limits of their own size).
void KeepUsualSize(std::vector<spc::Subgroup>& groups) {
  std::map<size_t, size_t> sizes;
  for (const spc::Subgroup& g : groups) ++sizes[g.values.size()];
  size_t usual = 0, count = 0;
  for (auto [size, n] : sizes) {
    if (n > count) std::tie(usual, count) = std::pair(size, n);
  }
  std::erase_if(groups, [usual](const spc::Subgroup& g) { return g.values.size() != usual; });
}

Result<json> ShewhartJson(const ChartRequest& r, const Measurements& base, const Measurements& data) {
  spc::ShewhartChart chart;
  if (r.chart == "i_mr") {
    ZZ_ASSIGN_OR_RETURN(spc::ShewhartLimits limits, spc::EstimateIndividuals(Values(base.samples)));
    ZZ_ASSIGN_OR_RETURN(chart, spc::MonitorIndividuals(limits, Values(data.samples), r.rules));
  } else {
    ZZ_ASSIGN_OR_RETURN(std::vector<spc::Subgroup> base_groups, spc::SubgroupByTimeWindow(base.samples, r.subgroup_ns));
    ZZ_ASSIGN_OR_RETURN(std::vector<spc::Subgroup> groups, spc::SubgroupByTimeWindow(data.samples, r.subgroup_ns));
    if (r.chart == "xbar_r") {
      KeepUsualSize(base_groups);
      KeepUsualSize(groups);
    }
    Result<spc::ShewhartLimits> limits =
        r.chart == "xbar_r" ? spc::EstimateXbarR(base_groups) : spc::EstimateXbarS(base_groups);
    if (!limits.ok()) return limits.status();
    ZZ_ASSIGN_OR_RETURN(chart, spc::MonitorSubgroups(*limits, groups, r.rules));
  }
  return json(chart);
}

// EWMA or CUSUM of the values (or of subgroup means), with sigma from the baseline.
Result<json> SmoothedJson(const ChartRequest& r, const Measurements& base, const Measurements& data) {
  std::vector<double> base_values = Values(base.samples);
  std::vector<double> values = Values(data.samples);
  if (r.subgrouped) {
    ZZ_ASSIGN_OR_RETURN(std::vector<spc::Subgroup> base_groups, spc::SubgroupByTimeWindow(base.samples, r.subgroup_ns));
    ZZ_ASSIGN_OR_RETURN(std::vector<spc::Subgroup> groups, spc::SubgroupByTimeWindow(data.samples, r.subgroup_ns));
    base_values = Means(base_groups);
    values = Means(groups);
  }
  ZZ_ASSIGN_OR_RETURN(spc::EwmaParams ewma, spc::EstimateEwma(base_values, r.lambda.value_or(0.2), r.width.value_or(3)));
  if (r.chart == "ewma") {
    spc::EwmaChart chart(ewma);
    spc::ChartSeries series{.chart = spc::ChartType::kEwma};
    for (double v : values) series.points.push_back(chart.Push(v));
    return json{{"params", ewma}, {"location", series}};
  }
  // EstimateEwma's sigma is that of one plotted value, which is what CUSUM needs too.
  spc::CusumParams params{.target = ewma.target, .sigma = ewma.sigma, .k = r.k.value_or(0.5), .h = r.h.value_or(5)};
  ZZ_RETURN_IF_ERROR(spc::Validate(params));
  spc::CusumChart chart(params);
  spc::ChartSeries upper{.chart = spc::ChartType::kCusumUpper}, lower{.chart = spc::ChartType::kCusumLower};
  for (double v : values) {
    auto [up, down] = chart.Push(v);
    upper.points.push_back(up);
    lower.points.push_back(down);
  }
  return json{{"params", params}, {"upper", upper}, {"lower", lower}};
}

Result<json> CapabilityJson(const ChartRequest& r, const Measurements& data) {
  if (!r.spec.lsl && !r.spec.usl) return json(nullptr);
  ZZ_ASSIGN_OR_RETURN(spc::CapabilityReport report, spc::Capability(Values(data.samples), r.spec));
  return json(report);
}

json RangeJson(const TimeRange& range, const Measurements& m) {
  return {{"from", FormatRfc3339(range.from_ns)}, {"to", FormatRfc3339(range.to_ns)},
          {"samples", m.samples.size()}, {"excluded", m.excluded}};
}

Result<json> Chart(const ApiServices& services, const HttpRequest& request) {
  ZZ_ASSIGN_OR_RETURN(ChartRequest r, ChartRequestOf(services, request));
  ZZ_ASSIGN_OR_RETURN(Measurements base, ReadMeasurements(services, r.tag, r.baseline.from_ns, r.baseline.to_ns));
  ZZ_ASSIGN_OR_RETURN(Measurements data, ReadMeasurements(services, r.tag, r.range.from_ns, r.range.to_ns));
  Result<json> chart =
      r.chart == "ewma" || r.chart == "cusum" ? SmoothedJson(r, base, data) : ShewhartJson(r, base, data);
  Result<json> capability = chart.ok() ? CapabilityJson(r, data) : Result<json>(json(nullptr));
  // The parameters were checked above: what the charts refuse now (too little data, USL not
  // above LSL, no spread) is about the data and the limits, not the request's form.
  for (const Status& status : {chart.status(), capability.status()}) {
    if (status.code() == StatusCode::kInvalidArgument) return Status::OutOfRange(status.message());
    if (!status.ok()) return status;
  }
  std::vector<std::string> times;
  for (const spc::Sample& s : data.samples) times.push_back(FormatRfc3339(s.ts_ns));
  json out = {{"tag", {{"id", r.tag.id}, {"path", r.tag.path}, {"unit", r.tag.unit}}},
              {"chart", r.chart},
              {"baseline", RangeJson(r.baseline, base)},
              {"range", RangeJson(r.range, data)},
              {"result", std::move(*chart)},
              {"capability", std::move(*capability)}};
  if (r.subgrouped) out["subgroup_seconds"] = static_cast<double>(r.subgroup_ns) / 1e9;
  if (!r.subgrouped) out["times"] = std::move(times);
  return out;
}

}  // namespace

void AddSpcRoutes(Router& router, const ApiServices& services) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/spc",
              .action = security::Action::kRead,
              .resource_kind = "series",
              .summary = "A control chart of a quality tag (?tag=, ?chart=i_mr|xbar_r|xbar_s|ewma|cusum, ?from=, ?to=, "
                         "?baseline_from=, ?baseline_to=, ?subgroup=, ?rules=) with rule violations, and Cp/Cpk/Pp/Ppk "
                         "given ?lsl= and/or ?usl=",
              .handler = [services](RequestContext& c) {
                Result<json> chart = Chart(services, c.request);
                if (!chart.ok()) return ErrorResponse(chart.status());
                return HttpResponse::Json(chart->dump());
              }});
}

}  // namespace zhizao::api
