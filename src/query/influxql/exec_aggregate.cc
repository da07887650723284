// Aggregate SELECTs: one AggregateCursor per field over all the group's series combined (the
// mean of every sample, not a mean of means), its windows laid out as rows.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

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

// The sample a selector picked in one window of one series.
struct Pick {
  bool set = false;
  Cell value;
  int64_t ts = 0;
};

// InfluxDB's reducers: first and last prefer the greater value at equal times; min and max the
// earlier time at equal values.
bool Better(AggregateFn fn, const Cell& value, int64_t ts, const Pick& best) {
  if (!best.set) return true;
  switch (fn) {
    case AggregateFn::kFirst: return ts < best.ts || (ts == best.ts && value > best.value);
    case AggregateFn::kLast: return ts > best.ts || (ts == best.ts && value > best.value);
    case AggregateFn::kMin: return value < best.value || (value == best.value && ts < best.ts);
    default: return value > best.value || (value == best.value && ts < best.ts);
  }
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

double NumberOf(const Value& v) {
  switch (v.type()) {
    case DataType::kFloat64: return v.f64();
    case DataType::kInt64: return static_cast<double>(v.i64());
    case DataType::kBool: return v.boolean() ? 1 : 0;
    case DataType::kString: return 0;
  }
  return 0;
}

// last() of the newest sample, without reading history: the source keeps it (cached). A series
// whose newest sample is before the range has nothing in it. Empty when the fast answer does
// not apply: a newest sample after the range (older ones may be in it), or one the fold would
// leave out (a quality the policy excludes, NaN).
Result<std::optional<std::vector<Row>>> NewestLast(const ExecEnv& env, const SelectPlan& plan, const FieldRead& read) {
  std::optional<storage::LastSample> best;
  for (TagId tag : read.tags) {
    ZZ_ASSIGN_OR_RETURN(std::optional<storage::LastSample> last, env.source.Last(tag));
    if (!last) continue;
    if (last->ts_ns > plan.range.to_ns) return std::optional<std::vector<Row>>();
    if (!Includes(env.options.quality, last->status)) return std::optional<std::vector<Row>>();
    if (last->value.type() == DataType::kFloat64 && std::isnan(last->value.f64())) return std::optional<std::vector<Row>>();
    if (last->ts_ns < plan.range.from_ns) continue;
    // At one time, InfluxDB's last() keeps the greater value; only numbers compare cheaply here.
    if (best && last->ts_ns == best->ts_ns && last->value.type() != DataType::kString &&
        last->value.type() == best->value.type()) {
      if (NumberOf(last->value) > NumberOf(best->value)) best = std::move(last);
      continue;
    }
    if (best && last->ts_ns == best->ts_ns) return std::optional<std::vector<Row>>();  // the slow path decides
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

// The windows of one output series, laid out as rows, and what fills them.
struct Grid {
  WindowSpec window;
  int64_t first = 0;  // the index of the first window
  std::vector<Row> rows;
  std::vector<bool> has_data;
  std::vector<int64_t> selected;  // the time of the sample a lone selector picked

  size_t Slot(int64_t start_ns) const { return static_cast<size_t>(window.IndexOf(start_ns) - first); }
};

AggregateQuery QueryOf(const SelectPlan& plan, const Grid& grid, std::vector<TagId> tags) {
  return AggregateQuery{.tags = std::move(tags), .from_ns = plan.range.from_ns, .to_ns = plan.range.to_ns,
                        .window = grid.window, .per_series = false, .combined = true,
                        .emit_empty = plan.window.has_value()};
}

// The columns `which` (indexes into read.columns) over all the read's series combined.
Status CombinedColumns(const ExecEnv& env, const SelectPlan& plan, const FieldRead& read,
                       const std::vector<size_t>& which, Grid& grid) {
  AggregateQuery q = QueryOf(plan, grid, read.tags);
  for (size_t j : which) q.functions.push_back(*plan.columns[read.columns[j]].aggregate);
  ZZ_ASSIGN_OR_RETURN(std::unique_ptr<AggregateCursor> cursor, AggregateCursor::Open(env.source, q, env.options));
  return ForEachRow(*cursor, [&](const WindowRow& row) {
    size_t i = grid.Slot(row.start_ns);
    if (i >= grid.rows.size()) return Status::Ok();
    grid.has_data[i] = grid.has_data[i] || row.state.samples > 0;
    for (size_t k = 0; k < which.size(); ++k) {
      const AggregateSpec& spec = q.functions[k];
      // count() of an empty window is left for fill(): null makes it 0, as InfluxDB does, others fill it.
      if (spec.fn == AggregateFn::kCount && row.state.count == 0) continue;
      grid.rows[i][read.columns[which[k]] + 1] = ToValue(row.cells[k], spec.fn, read.type);
      if (row.state.count > 0) grid.selected[i] = SelectedTime(spec.fn, row.state);
    }
    return Status::Ok();
  });
}

// Selectors over several series: a cursor per series, whose picks merge as InfluxDB's reducers
// do (a combined cursor would break ties by the order of the series instead).
Status SelectorColumns(const ExecEnv& env, const SelectPlan& plan, const FieldRead& read,
                       const std::vector<size_t>& which, Grid& grid) {
  std::vector<std::vector<Pick>> picks(which.size(), std::vector<Pick>(grid.rows.size()));
  for (TagId tag : read.tags) {
    AggregateQuery q = QueryOf(plan, grid, {tag});
    q.emit_empty = false;
    for (size_t j : which) q.functions.push_back(*plan.columns[read.columns[j]].aggregate);
    ZZ_ASSIGN_OR_RETURN(std::unique_ptr<AggregateCursor> cursor, AggregateCursor::Open(env.source, q, env.options));
    ZZ_RETURN_IF_ERROR(ForEachRow(*cursor, [&](const WindowRow& row) {
      size_t i = grid.Slot(row.start_ns);
      if (i >= grid.rows.size()) return Status::Ok();
      grid.has_data[i] = grid.has_data[i] || row.state.samples > 0;
      if (row.state.count == 0) return Status::Ok();
      for (size_t k = 0; k < which.size(); ++k) {
        int64_t ts = SelectedTime(q.functions[k].fn, row.state);
        if (Better(q.functions[k].fn, row.cells[k], ts, picks[k][i])) picks[k][i] = {true, row.cells[k], ts};
      }
      return Status::Ok();
    }));
  }
  for (size_t k = 0; k < which.size(); ++k) {
    size_t column = read.columns[which[k]];
    for (size_t i = 0; i < grid.rows.size(); ++i) {
      if (!picks[k][i].set) continue;
      grid.rows[i][column + 1] = ToValue(picks[k][i].value, plan.columns[column].aggregate->fn, read.type);
      grid.selected[i] = picks[k][i].ts;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Row>> AggregateRows(const ExecEnv& env, const SelectStatement& s, const SelectPlan& plan,
                                       const OutputSeries& out) {
  std::map<std::string, FieldRead> reads = FieldReads(plan, out);
  const Column& only = plan.columns.front();
  if (plan.columns.size() == 1 && !plan.window && !plan.filtered &&
      only.aggregate->fn == AggregateFn::kLast && only.transform == Transform::kNone) {
    ZZ_ASSIGN_OR_RETURN(std::optional<std::vector<Row>> fast, NewestLast(env, plan, reads.begin()->second));
    if (fast) return std::move(*fast);
  }
  Grid grid{.window = WindowOf(plan)};
  grid.first = grid.window.IndexOf(plan.range.from_ns);
  auto windows = static_cast<size_t>(grid.window.IndexOf(plan.range.to_ns) - grid.first + 1);
  if (static_cast<int64_t>(windows) > env.options.max_points_returned) {
    return LimitExceeded("return", env.options.max_points_returned, "max_points_returned");
  }
  grid.rows.assign(windows, Row(plan.columns.size() + 1));
  grid.has_data.assign(windows, false);
  grid.selected.assign(windows, 0);
  for (size_t i = 0; i < windows; ++i) {
    grid.rows[i][0] = plan.range.has_from || plan.window ? grid.window.StartOf(grid.first + static_cast<int64_t>(i))
                                                         : int64_t{0};
  }
  for (auto& [ref, read] : reads) {
    if (read.tags.empty()) continue;
    std::vector<size_t> combined, merged;  // indexes into read.columns
    for (size_t j = 0; j < read.columns.size(); ++j) {
      bool merge = read.tags.size() > 1 && IsSelector(plan.columns[read.columns[j]].aggregate->fn);
      (merge ? merged : combined).push_back(j);
    }
    if (!combined.empty()) ZZ_RETURN_IF_ERROR(CombinedColumns(env, plan, read, combined, grid));
    if (!merged.empty()) ZZ_RETURN_IF_ERROR(SelectorColumns(env, plan, read, merged, grid));
  }
  std::vector<Row>& rows = grid.rows;
  const std::vector<bool>& has_data = grid.has_data;
  if (std::none_of(has_data.begin(), has_data.end(), [](bool b) { return b; })) return std::vector<Row>();
  if (!plan.window) {
    if (plan.columns.size() == 1) {
      // A lone selector answers with the time of the sample it picked, as InfluxDB does; a
      // lone percentile that picks nothing (rank 0) answers nothing.
      if (IsSelector(only.aggregate->fn)) rows[0][0] = grid.selected[0];
      bool nothing = only.aggregate->fn == AggregateFn::kPercentile && std::holds_alternative<std::monostate>(rows[0][1]);
      if (nothing) return std::vector<Row>();
    }
    return std::move(rows);
  }
  if (s.fill.mode == FillMode::kNone) {
    std::vector<Row> kept;
    for (size_t i = 0; i < windows; ++i) {
      if (has_data[i]) kept.push_back(std::move(rows[i]));
    }
    return kept;
  }
  return std::move(rows);
}

namespace {

bool Number(const ResultValue& v, double& x) {
  if (const auto* d = std::get_if<double>(&v)) return x = *d, true;
  if (const auto* i = std::get_if<int64_t>(&v)) return x = static_cast<double>(*i), true;
  return false;
}

// One transform column in place: each value becomes its change from the previous value (null
// for the first, and where there is no value). A value at the previous one's time is skipped,
// as InfluxDB skips the later points of a joined series at one timestamp.
void TransformColumn(const Column& column, size_t k, std::vector<Row>& rows) {
  std::optional<std::pair<int64_t, ResultValue>> previous;
  for (Row& row : rows) {
    ResultValue value = std::exchange(row[k], std::monostate{});
    double now = 0, before = 0;
    int64_t t = std::get<int64_t>(row[0]);
    if (!Number(value, now) || (previous && previous->first == t)) continue;
    if (previous && Number(previous->second, before)) {
      if (column.transform == Transform::kDifference) {
        const auto* a = std::get_if<int64_t>(&value);
        const auto* b = std::get_if<int64_t>(&previous->second);
        row[k] = a && b ? ResultValue(*a - *b) : ResultValue(now - before);
      } else {
        // Rows may run backwards (ORDER BY time DESC): the elapsed time counts forwards.
        auto elapsed = static_cast<double>(t > previous->first ? t - previous->first : previous->first - t);
        double rate = (now - before) * static_cast<double>(column.unit_ns) / elapsed;
        if (column.transform == Transform::kDerivative || rate >= 0) row[k] = rate;
      }
    }
    previous.emplace(t, std::move(value));
  }
}

}  // namespace

std::vector<Row> ApplyTransforms(const std::vector<Column>& columns, std::vector<Row> rows) {
  bool only_transforms = true;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].transform == Transform::kNone) {
      only_transforms = false;
      continue;
    }
    TransformColumn(columns[c], c + 1, rows);
  }
  if (only_transforms) {
    std::erase_if(rows, [](const Row& row) {
      return std::all_of(row.begin() + 1, row.end(), [](const ResultValue& v) { return std::holds_alternative<std::monostate>(v); });
    });
  }
  return rows;
}

}  // namespace zhizao::query::influxql::internal
