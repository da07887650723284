// Aggregate SELECTs: one AggregateCursor per field over all the group's series combined (the
// mean of every sample, not a mean of means), its windows laid out as rows.
#include <algorithm>
#include <map>

#include "query/influxql/exec_select.h"

namespace zhizao::query::influxql::internal {
namespace {

// One window per query when there is no GROUP BY time: it starts at the range's start, and is
// wide enough to hold all of the range (kMinTime..kMaxTime spans less than its width).
WindowSpec WindowOf(const SelectPlan& plan) {
  if (plan.window) return *plan.window;
  return WindowSpec{kMaxAbsTimestampNs, plan.range.from_ns};
}

bool IsSelector(AggregateFn fn) {
  return fn == AggregateFn::kFirst || fn == AggregateFn::kLast || fn == AggregateFn::kMin || fn == AggregateFn::kMax;
}

// The timestamp of the sample a selector picked.
int64_t SelectedTime(AggregateFn fn, const WindowState& state) {
  switch (fn) {
    case AggregateFn::kFirst: return state.first_ts;
    case AggregateFn::kLast: return state.last_ts;
    case AggregateFn::kMin: return state.min_ts;
    default: return state.max_ts;
  }
}

// InfluxDB answers count, and min, max, first, last, sum, spread and percentile of an integer
// field, as integers.
ResultValue ToValue(const Cell& cell, AggregateFn fn, DataType type) {
  if (const auto* text = std::get_if<std::string>(&cell)) return *text;
  const auto* number = std::get_if<double>(&cell);
  if (number == nullptr) return std::monostate{};
  bool integral = fn == AggregateFn::kCount ||
                  (type == DataType::kInt64 && fn != AggregateFn::kMean && fn != AggregateFn::kMedian &&
                   fn != AggregateFn::kStddev);
  if (integral) return static_cast<int64_t>(*number);
  if (type == DataType::kBool && (fn == AggregateFn::kFirst || fn == AggregateFn::kLast)) return *number != 0;
  return *number;
}

struct FieldRead {
  std::vector<TagId> tags;
  DataType type = DataType::kFloat64;
  std::vector<size_t> columns;  // the columns that read this field
};

// Groups the columns by the field they read, so that one cursor serves mean(x), max(x), ...
std::map<std::string, FieldRead> FieldReads(const SelectPlan& plan, const OutputSeries& out) {
  std::map<std::string, FieldRead> reads;
  for (size_t c = 0; c < plan.columns.size(); ++c) {
    FieldRead& read = reads[plan.columns[c].ref];
    read.columns.push_back(c);
    if (read.columns.size() > 1) continue;
    for (const OutputSeries::Member& m : out.members) {
      if (m.inputs[c].tag == 0) continue;
      read.tags.push_back(m.inputs[c].tag);
      read.type = m.inputs[c].type;
    }
  }
  return reads;
}

// last() of the newest sample, without reading history: the source keeps it (cached).
// Empty when the fast answer does not apply (a bad newest sample, which the policy leaves out).
Result<std::optional<std::vector<Row>>> NewestLast(const ExecEnv& env, const SelectPlan& plan, const FieldRead& read) {
  std::optional<storage::LastSample> best;
  for (TagId tag : read.tags) {
    ZZ_ASSIGN_OR_RETURN(std::optional<storage::LastSample> last, env.source.Last(tag));
    if (!last || last->ts_ns > plan.range.to_ns) continue;
    if (!Includes(env.options.quality, last->status)) return std::optional<std::vector<Row>>();
    if (last->ts_ns < plan.range.from_ns) continue;
    if (!best || last->ts_ns > best->ts_ns) best = std::move(last);
  }
  std::vector<Row> rows;
  if (best) {
    ResultValue v;
    switch (best->value.type()) {
      case DataType::kFloat64: v = best->value.f64(); break;
      case DataType::kInt64: v = best->value.i64(); break;
      case DataType::kBool: v = best->value.boolean(); break;
      case DataType::kString: v = best->str; break;
    }
    rows.push_back({best->ts_ns, std::move(v)});
  }
  return std::optional<std::vector<Row>>(std::move(rows));
}

}  // namespace

Result<std::vector<Row>> AggregateRows(const ExecEnv& env, const SelectStatement& s, const SelectPlan& plan,
                                       const OutputSeries& out) {
  std::map<std::string, FieldRead> reads = FieldReads(plan, out);
  const Column& only = plan.columns.front();
  if (plan.columns.size() == 1 && !plan.window && !plan.range.has_to && only.aggregate->fn == AggregateFn::kLast &&
      only.transform == Transform::kNone) {
    ZZ_ASSIGN_OR_RETURN(std::optional<std::vector<Row>> fast, NewestLast(env, plan, reads.begin()->second));
    if (fast) return std::move(*fast);
  }
  WindowSpec window = WindowOf(plan);
  int64_t first = window.IndexOf(plan.range.from_ns);
  auto windows = static_cast<size_t>(window.IndexOf(plan.range.to_ns) - first + 1);
  if (static_cast<int64_t>(windows) > env.options.max_points_returned) {
    return LimitExceeded("return", env.options.max_points_returned, "max_points_returned");
  }
  std::vector<Row> rows(windows, Row(plan.columns.size() + 1));
  std::vector<bool> has_data(windows, false);
  std::vector<int64_t> selected(windows, 0);
  for (size_t i = 0; i < windows; ++i) rows[i][0] = plan.range.has_from || plan.window ? window.StartOf(first + static_cast<int64_t>(i)) : int64_t{0};
  for (auto& [ref, read] : reads) {
    if (read.tags.empty()) continue;
    AggregateQuery q{.tags = read.tags, .from_ns = plan.range.from_ns, .to_ns = plan.range.to_ns, .window = window,
                     .per_series = false, .combined = true, .emit_empty = plan.window.has_value()};
    for (size_t c : read.columns) q.functions.push_back(*plan.columns[c].aggregate);
    ZZ_ASSIGN_OR_RETURN(std::unique_ptr<AggregateCursor> cursor, AggregateCursor::Open(env.source, q, env.options));
    ZZ_RETURN_IF_ERROR(ForEachRow(*cursor, [&](const WindowRow& row) {
      auto i = static_cast<size_t>(window.IndexOf(row.start_ns) - first);
      if (i >= windows) return Status::Ok();
      has_data[i] = has_data[i] || row.state.samples > 0;
      for (size_t j = 0; j < read.columns.size(); ++j) {
        const AggregateSpec& spec = *plan.columns[read.columns[j]].aggregate;
        rows[i][read.columns[j] + 1] = ToValue(row.cells[j], spec.fn, read.type);
        if (row.state.count > 0) selected[i] = SelectedTime(spec.fn, row.state);
      }
      return Status::Ok();
    }));
  }
  if (std::none_of(has_data.begin(), has_data.end(), [](bool b) { return b; })) return std::vector<Row>();
  if (!plan.window) {
    // A lone selector answers with the time of the sample it picked, as InfluxDB does.
    if (plan.columns.size() == 1 && IsSelector(only.aggregate->fn)) rows[0][0] = selected[0];
    return rows;
  }
  if (s.fill.mode == FillMode::kNone) {
    std::vector<Row> kept;
    for (size_t i = 0; i < windows; ++i) {
      if (has_data[i]) kept.push_back(std::move(rows[i]));
    }
    return kept;
  }
  return rows;
}

std::vector<Row> ApplyTransform(const Column& column, std::vector<Row> rows) {
  std::vector<Row> out;
  const Row* previous = nullptr;
  auto number = [](const ResultValue& v, double& x) {
    if (const auto* d = std::get_if<double>(&v)) return x = *d, true;
    if (const auto* i = std::get_if<int64_t>(&v)) return x = static_cast<double>(*i), true;
    return false;
  };
  for (const Row& row : rows) {
    double now = 0, before = 0;
    if (!number(row[1], now)) continue;
    if (previous != nullptr && number((*previous)[1], before)) {
      int64_t t = std::get<int64_t>(row[0]);
      if (column.transform == Transform::kDifference) {
        const auto* a = std::get_if<int64_t>(&row[1]);
        const auto* b = std::get_if<int64_t>(&(*previous)[1]);
        out.push_back({t, a && b ? ResultValue(*a - *b) : ResultValue(now - before)});
      } else {
        double elapsed = static_cast<double>(t - std::get<int64_t>((*previous)[0]));
        double rate = (now - before) * static_cast<double>(column.unit_ns) / elapsed;
        if (column.transform == Transform::kDerivative || rate >= 0) out.push_back({t, rate});
      }
    }
    previous = &row;
  }
  return out;
}

}  // namespace zhizao::query::influxql::internal
