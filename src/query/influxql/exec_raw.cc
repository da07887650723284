// Raw SELECTs: the samples of every series of an output series, a row per series and time,
// fields side by side, tags as columns when asked for.
#include <algorithm>
#include <limits>

#include "query/influxql/exec_select.h"
#include "query/range_read.h"

namespace zhizao::query::influxql::internal {
namespace {

const std::string* TagOf(const OutputSeries::Member& m, const std::string& key) {
  for (const auto& [k, v] : m.tags) {
    if (k == key) return &v;
  }
  return nullptr;
}

// Appends the rows of one series: its fields' samples joined on time.
Status MemberRows(const ExecEnv& env, const SelectPlan& plan, const OutputSeries::Member& m, std::vector<Row>& rows) {
  size_t n = plan.columns.size();
  std::vector<storage::SeriesSamples> samples(n);
  bool any = false;
  for (size_t c = 0; c < n; ++c) {
    if (m.inputs[c].tag == 0) continue;
    ZZ_ASSIGN_OR_RETURN(RangePage page, ReadRange(env.source, m.inputs[c].tag, plan.range.from_ns, plan.range.to_ns,
                                                  env.options.max_points_returned, env.options));
    if (page.next_from_ns) return LimitExceeded("return", env.options.max_points_returned, "max_points_returned");
    samples[c] = std::move(page.samples);
    any = any || samples[c].size() > 0;
  }
  if (!any) return Status::Ok();
  Row constant(n + 1);
  for (size_t c = 0; c < n; ++c) {
    if (m.inputs[c].tag != 0) continue;
    if (const std::string* tag = TagOf(m, plan.columns[c].ref)) constant[c + 1] = *tag;
  }
  std::vector<size_t> at(n, 0);
  for (;;) {
    int64_t t = std::numeric_limits<int64_t>::max();
    for (size_t c = 0; c < n; ++c) {
      if (at[c] < samples[c].size()) t = std::min(t, samples[c].ts_ns[at[c]]);
    }
    if (t == std::numeric_limits<int64_t>::max()) return Status::Ok();
    Row row = constant;
    row[0] = t;
    for (size_t c = 0; c < n; ++c) {
      if (at[c] < samples[c].size() && samples[c].ts_ns[at[c]] == t) row[c + 1] = SampleValue(samples[c], at[c]++);
    }
    rows.push_back(std::move(row));
    if (static_cast<int64_t>(rows.size()) > env.options.max_points_returned) {
      return LimitExceeded("return", env.options.max_points_returned, "max_points_returned");
    }
  }
}

// Keeps the times and the value column of `type`: what ResultSeries::samples holds.
storage::SeriesSamples TimesAndValues(storage::SeriesSamples s) {
  storage::SeriesSamples out;
  out.type = s.type;
  out.ts_ns = std::move(s.ts_ns);
  switch (s.type) {
    case DataType::kFloat64: out.f64 = std::move(s.f64); break;
    case DataType::kInt64:
    case DataType::kBool: out.i64 = std::move(s.i64); break;
    case DataType::kString: out.str = std::move(s.str); break;
  }
  return out;
}

}  // namespace

Result<std::optional<storage::SeriesSamples>> RawSamples(const ExecEnv& env, const SelectPlan& plan,
                                                         const OutputSeries& out) {
  if (out.members.size() != 1 || plan.columns.size() != 1 || plan.columns.front().transform != Transform::kNone) {
    return std::optional<storage::SeriesSamples>();
  }
  const Input& input = out.members.front().inputs.front();
  if (input.tag == 0) return std::optional<storage::SeriesSamples>();
  ZZ_ASSIGN_OR_RETURN(RangePage page, ReadRange(env.source, input.tag, plan.range.from_ns, plan.range.to_ns,
                                                env.options.max_points_returned, env.options));
  if (page.next_from_ns) return LimitExceeded("return", env.options.max_points_returned, "max_points_returned");
  return std::optional<storage::SeriesSamples>(TimesAndValues(std::move(page.samples)));
}

Result<std::vector<Row>> RawRows(const ExecEnv& env, const SelectPlan& plan, const OutputSeries& out) {
  std::vector<Row> rows;
  for (const OutputSeries::Member& m : out.members) ZZ_RETURN_IF_ERROR(MemberRows(env, plan, m, rows));
  if (out.members.size() > 1) {
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return std::get<int64_t>(a[0]) < std::get<int64_t>(b[0]); });
  }
  return rows;
}

}  // namespace zhizao::query::influxql::internal
