// SELECT: plans the columns and output series, then has each output series' rows built by the
// aggregate or the raw path, and shapes the result (fill, ORDER BY, LIMIT, SLIMIT).
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "query/influxql/exec_select.h"

namespace zhizao::query::influxql::internal {
namespace {

using catalog::SeriesIndex;

// The functions InfluxDB 1.x knows; a name outside them is "undefined", as InfluxDB says.
bool IsInfluxFunction(const std::string& name) {
  static const std::set<std::string, std::less<>> kNames = {
      "abs", "acos", "asin", "atan", "atan2", "bottom", "ceil", "chande_momentum_oscillator", "cos", "count",
      "cumulative_sum", "derivative", "difference", "distinct", "double_exponential_moving_average", "elapsed",
      "exp", "exponential_moving_average", "first", "floor", "holt_winters", "holt_winters_with_fit", "integral",
      "kaufmans_adaptive_moving_average", "kaufmans_efficiency_ratio", "last", "ln", "log", "log10", "log2", "max",
      "mean", "median", "min", "mode", "moving_average", "non_negative_derivative", "non_negative_difference",
      "percentile", "pow", "relative_strength_index", "round", "sample", "sin", "spread", "sqrt", "stddev", "sum",
      "tan", "top", "triple_exponential_derivative", "triple_exponential_moving_average"};
  return kNames.count(name) != 0;
}

const VarRef* RefArg(const Call& call) {
  return call.args.empty() ? nullptr : std::get_if<VarRef>(&call.args.front().node);
}

Result<double> NumberArg(const Call& call, size_t index) {
  if (index >= call.args.size()) return Status::InvalidArgument(call.name + "() needs " + std::to_string(index + 1) + " arguments");
  const Expr& e = call.args[index];
  if (const auto* i = std::get_if<IntegerLiteral>(&e.node)) return static_cast<double>(i->value);
  if (const auto* n = std::get_if<NumberLiteral>(&e.node)) return n->value;
  return Status::InvalidArgument("expected a number as argument " + std::to_string(index + 1) + " of " + call.name + "()");
}

// An aggregate call `fn(field[, N])` into the column.
Status AggregateOf(const Call& call, Column& column) {
  Result<AggregateFn> fn = ParseAggregateFn(call.name);
  if (!fn.ok() && !IsInfluxFunction(call.name)) return Status::InvalidArgument("undefined function " + call.name + "()");
  if (!fn.ok()) return Status::InvalidArgument("function " + call.name + "() is not supported yet");
  const VarRef* ref = RefArg(call);
  if (ref == nullptr) return Status::InvalidArgument("expected a field argument in " + call.name + "()");
  column.ref = ref->name;
  column.aggregate = AggregateSpec{*fn};
  if (*fn == AggregateFn::kPercentile) {
    ZZ_ASSIGN_OR_RETURN(column.aggregate->percentile, NumberArg(call, 1));
    if (column.aggregate->percentile < 0 || column.aggregate->percentile > 100) {
      return Status::InvalidArgument("percentile must be between 0 and 100");
    }
  }
  return Status::Ok();
}

Result<Transform> TransformOf(const std::string& name) {
  if (name == "difference") return Transform::kDifference;
  if (name == "derivative") return Transform::kDerivative;
  if (name == "non_negative_derivative") return Transform::kNonNegativeDerivative;
  return Status::NotFound(name);
}

Result<Column> ColumnOf(const Field& field) {
  Column column;
  column.name = DefaultColumnName(field);
  if (const auto* ref = std::get_if<VarRef>(&field.expr.node)) {
    column.ref = ref->name;
    return column;
  }
  const auto* call = std::get_if<Call>(&field.expr.node);
  if (call == nullptr) return Status::InvalidArgument("expressions like " + ToString(field.expr) + " are not supported yet");
  Result<Transform> transform = TransformOf(call->name);
  if (!transform.ok()) {
    ZZ_RETURN_IF_ERROR(AggregateOf(*call, column));
    return column;
  }
  column.transform = *transform;
  if (call->args.empty()) return Status::InvalidArgument(call->name + "() needs a field or an aggregate");
  if (call->args.size() > 1 && *transform != Transform::kDifference) {
    const auto* unit = std::get_if<DurationLiteral>(&call->args[1].node);
    if (unit == nullptr || unit->ns <= 0) return Status::InvalidArgument(call->name + "() takes a positive duration as its unit");
    column.unit_ns = unit->ns;
  }
  const Expr& inner = call->args.front();
  if (const auto* ref = std::get_if<VarRef>(&inner.node)) {
    column.ref = ref->name;
  } else if (const auto* nested = std::get_if<Call>(&inner.node)) {
    ZZ_RETURN_IF_ERROR(AggregateOf(*nested, column));
  } else {
    return Status::InvalidArgument(call->name + "() needs a field or an aggregate");
  }
  return column;
}

// InfluxDB numbers repeated column names: mean, mean_1, mean_2.
void Deduplicate(std::vector<Column>& columns) {
  std::map<std::string, int> seen;
  for (Column& c : columns) {
    int n = seen[c.name]++;
    if (n > 0) c.name += "_" + std::to_string(n);
  }
}

Result<std::vector<Column>> Columns(const SelectStatement& s) {
  std::vector<Column> columns;
  for (const Field& field : s.fields) {
    if (std::holds_alternative<Wildcard>(field.expr.node)) {
      columns.push_back({.name = "*", .ref = "*"});  // expanded per measurement
      continue;
    }
    // Every answer leads with time: selecting it adds no column.
    if (const auto* ref = std::get_if<VarRef>(&field.expr.node); ref != nullptr && ref->name == "time") continue;
    ZZ_ASSIGN_OR_RETURN(Column column, ColumnOf(field));
    if (!field.alias.empty()) column.name = field.alias;
    columns.push_back(std::move(column));
  }
  if (columns.empty()) return Status::InvalidArgument("at least 1 non-time field must be queried");
  bool any_aggregate = std::any_of(columns.begin(), columns.end(), [](const Column& c) { return c.aggregate.has_value(); });
  bool any_raw = std::any_of(columns.begin(), columns.end(),
                             [](const Column& c) { return !c.aggregate && c.transform == Transform::kNone; });
  if (any_aggregate && any_raw) {
    return Status::InvalidArgument("mixing aggregate and non-aggregate queries is not supported");
  }
  bool raw_transform = std::any_of(columns.begin(), columns.end(),
                                   [](const Column& c) { return c.transform != Transform::kNone && !c.aggregate; });
  if (raw_transform && columns.size() > 1) {
    return Status::InvalidArgument("difference() and derivative() of a field must be the only column (for now)");
  }
  if (any_aggregate && std::any_of(columns.begin(), columns.end(), [](const Column& c) { return c.ref == "*"; })) {
    return Status::InvalidArgument("aggregates of * are not supported yet: name the field");
  }
  return columns;
}

// The columns of `*` for one measurement: its fields and its tag keys but the GROUP BY ones,
// sorted together by name, as InfluxDB lists them.
std::vector<Column> Expand(const std::vector<Column>& columns, const SeriesIndex::SeriesByKey& series,
                           const std::vector<std::string>& group_keys) {
  if (std::none_of(columns.begin(), columns.end(), [](const Column& c) { return c.ref == "*"; })) return columns;
  std::set<std::string> names;
  for (const auto& [key, s] : series) {
    for (const auto& f : s->fields) names.insert(f.name);
    for (const auto& t : s->tags) {
      if (std::find(group_keys.begin(), group_keys.end(), t.first) == group_keys.end()) names.insert(t.first);
    }
  }
  std::vector<Column> out;
  for (const Column& c : columns) {
    if (c.ref != "*") {
      out.push_back(c);
      continue;
    }
    for (const std::string& name : names) out.push_back({.name = name, .ref = name});
  }
  Deduplicate(out);
  return out;
}

// The GROUP BY tag keys of one measurement.
Result<std::vector<std::string>> GroupKeys(const GroupBy& g, const SeriesIndex::SeriesByKey& series) {
  std::set<std::string> keys(g.tags.begin(), g.tags.end());
  std::vector<std::shared_ptr<re2::RE2>> regexes;
  for (const std::string& pattern : g.tag_regexes) {
    ZZ_ASSIGN_OR_RETURN(std::shared_ptr<re2::RE2> re, CompileRegex(pattern));
    regexes.push_back(std::move(re));
  }
  if (g.all_tags || !regexes.empty()) {
    for (const auto& [key, s] : series) {
      for (const auto& t : s->tags) {
        bool wanted = g.all_tags || std::any_of(regexes.begin(), regexes.end(), [&](const auto& re) { return Search(*re, t.first); });
        if (wanted) keys.insert(t.first);
      }
    }
  }
  keys.erase("time");
  return std::vector<std::string>(keys.begin(), keys.end());
}

// The series of a measurement that `where` may match: those with the tag it requires (found
// in the index), or all of them.
const SeriesIndex::SeriesByKey& Candidates(const SeriesIndex::Database& db, const std::string& measurement,
                                           const SeriesIndex::SeriesByKey& all, const Condition& where) {
  static const SeriesIndex::SeriesByKey kNone;
  std::optional<std::pair<std::string, std::string>> tag = where.RequiredTag();
  if (!tag) return all;
  const SeriesIndex::SeriesByKey* with = db.SeriesWithTag(measurement, tag->first, tag->second);
  return with != nullptr ? *with : kNone;
}

// Plans the output series of measurement `name` of `db`: its matching series, grouped.
Status PlanMeasurement(const ExecEnv& env, const SelectStatement& s, const SeriesIndex::Database& db,
                       const std::string& name, SelectPlan& plan, std::vector<Column>& columns) {
  const SeriesIndex::SeriesByKey& series = db.measurements.at(name);
  // A name is a field when any series of the measurement has it.
  auto fields = db.field_counts.find(name);
  auto is_field = [&](const std::string& n) { return fields != db.field_counts.end() && fields->second.count(n) != 0; };
  ZZ_ASSIGN_OR_RETURN(Condition compiled,
                      Condition::Compile(s.condition ? &*s.condition : nullptr, env.run.now_ns, is_field));
  auto where = std::make_shared<const Condition>(std::move(compiled));
  plan.range = where->range();
  ZZ_ASSIGN_OR_RETURN(std::vector<std::string> group_keys, GroupKeys(s.group_by, series));
  columns = Expand(plan.columns, series, group_keys);
  std::map<std::vector<std::pair<std::string, std::string>>, OutputSeries> groups;
  for (const auto& [key, one] : Candidates(db, name, series, *where)) {
    if (!where->Matches(one->tags)) continue;
    std::vector<std::pair<std::string, std::string>> group;
    for (const std::string& k : group_keys) {
      auto it = std::find_if(one->tags.begin(), one->tags.end(), [&](const auto& t) { return t.first == k; });
      group.emplace_back(k, it == one->tags.end() ? std::string() : it->second);
    }
    OutputSeries& out = groups[group];
    out.measurement = name;
    out.group = group;
    out.where = where;
    OutputSeries::Member member{one->tags, {}, {}};
    for (const Column& c : columns) {
      const SeriesIndex::Field* f = one->FindField(c.ref, 0);
      member.inputs.push_back(f != nullptr ? Input{f->id, f->type} : Input{});
    }
    for (const std::string& field : where->fields()) {
      const SeriesIndex::Field* f = one->FindField(field, 0);
      member.condition_fields.push_back(f != nullptr ? f->id : 0);
    }
    out.members.push_back(std::move(member));
  }
  for (auto& [group, out] : groups) plan.outputs.push_back(std::move(out));
  return Status::Ok();
}

Status CheckFields(const std::vector<Column>& columns, const OutputSeries& out) {
  for (const OutputSeries::Member& m : out.members) {
    for (const Input& in : m.inputs) {
      if (in.tag != 0) return Status::Ok();
    }
  }
  (void)columns;
  return Status::NotFound("no field");  // the series has none of the fields: it is left out
}

// Interpolates the nulls between two values of a column. Integers stay integers, truncated as
// InfluxDB's int64(slope * x + start) does.
struct AsDouble {
  double operator()(double d) const { return d; }
  double operator()(int64_t i) const { return static_cast<double>(i); }
  template <typename T>
  double operator()(const T&) const { return 0; }
};

void FillLinear(std::vector<Row>& rows, size_t col) {
  size_t prev = rows.size();
  for (size_t i = 0; i < rows.size(); ++i) {
    const ResultValue& v = rows[i][col];
    if (!std::holds_alternative<double>(v) && !std::holds_alternative<int64_t>(v)) continue;
    if (prev < rows.size() && i > prev + 1) {
      const ResultValue& a = rows[prev][col];
      bool integers = std::holds_alternative<int64_t>(a) && std::holds_alternative<int64_t>(v);
      double from = integers ? static_cast<double>(std::get<int64_t>(a)) : std::visit(AsDouble{}, a);
      double to = integers ? static_cast<double>(std::get<int64_t>(v)) : std::visit(AsDouble{}, v);
      double slope = (to - from) / static_cast<double>(i - prev);
      for (size_t j = prev + 1; j < i; ++j) {
        double x = from + slope * static_cast<double>(j - prev);
        rows[j][col] = integers ? ResultValue(static_cast<int64_t>(x)) : ResultValue(x);
      }
    }
    prev = i;
  }
}

void FillRows(const Fill& fill, const std::vector<Column>& columns, std::vector<Row>& rows) {
  if (rows.empty()) return;
  size_t width = rows.front().size();
  if (fill.mode == FillMode::kNull) {
    // count() of an empty window is null until here: InfluxDB's fill(null) makes it 0.
    for (size_t col = 1; col < width; ++col) {
      if (!columns[col - 1].aggregate || columns[col - 1].aggregate->fn != AggregateFn::kCount) continue;
      for (Row& r : rows) {
        if (std::holds_alternative<std::monostate>(r[col])) r[col] = int64_t{0};
      }
    }
    return;
  }
  for (size_t col = 1; col < width; ++col) {
    if (fill.mode == FillMode::kValue) {
      for (Row& r : rows) {
        if (std::holds_alternative<std::monostate>(r[col])) {
          r[col] = std::visit([](auto v) -> ResultValue { return v; }, fill.value);
        }
      }
    } else if (fill.mode == FillMode::kPrevious) {
      for (size_t i = 1; i < rows.size(); ++i) {
        if (std::holds_alternative<std::monostate>(rows[i][col])) rows[i][col] = rows[i - 1][col];
      }
    } else if (fill.mode == FillMode::kLinear) {
      FillLinear(rows, col);
    }
  }
}

template <typename T>
void Page(std::vector<T>& rows, int64_t limit, int64_t offset) {
  auto skip = static_cast<size_t>(std::min<int64_t>(offset, static_cast<int64_t>(rows.size())));
  rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(skip));
  if (limit > 0 && rows.size() > static_cast<size_t>(limit)) rows.resize(static_cast<size_t>(limit));
}

// Calls f on each column of the samples that holds one cell per row (the others are empty).
template <typename F>
void ForEachColumn(storage::SeriesSamples& samples, F f) {
  size_t rows = samples.size();
  f(samples.ts_ns);
  if (samples.f64.size() == rows) f(samples.f64);
  if (samples.i64.size() == rows) f(samples.i64);
  if (samples.str.size() == rows) f(samples.str);
}

size_t RowCount(const ResultSeries& series) { return series.samples ? series.samples->size() : series.values.size(); }

void Reverse(ResultSeries& series) {
  if (!series.samples) return std::reverse(series.values.begin(), series.values.end());
  ForEachColumn(*series.samples, [](auto& column) { std::reverse(column.begin(), column.end()); });
}

void Page(ResultSeries& series, int64_t limit, int64_t offset) {
  if (!series.samples) return Page(series.values, limit, offset);
  ForEachColumn(*series.samples, [&](auto& column) { Page(column, limit, offset); });
}

Result<SelectPlan> Plan(const ExecEnv& env, const SelectStatement& s, const std::string& db_name,
                        const SeriesIndex::Database& db, std::vector<std::vector<Column>>& columns_per_output) {
  SelectPlan plan;
  ZZ_ASSIGN_OR_RETURN(plan.columns, Columns(s));
  Deduplicate(plan.columns);
  plan.aggregate = std::any_of(plan.columns.begin(), plan.columns.end(), [](const Column& c) { return c.aggregate.has_value(); });
  ZZ_ASSIGN_OR_RETURN(std::vector<std::string> names, MatchMeasurements(db, db_name, s.sources));
  std::vector<Column> base = plan.columns;
  for (const std::string& name : names) {
    size_t before = plan.outputs.size();
    std::vector<Column> columns;
    plan.columns = base;
    ZZ_RETURN_IF_ERROR(PlanMeasurement(env, s, db, name, plan, columns));
    for (size_t i = before; i < plan.outputs.size(); ++i) columns_per_output.push_back(columns);
  }
  plan.columns = base;
  if (s.condition) {
    // The range of a statement without measurements still comes from its WHERE (whose other
    // names may be fields: none of them can be told from tags here, and none is refused).
    ZZ_ASSIGN_OR_RETURN(Condition where, Condition::Compile(&*s.condition, env.run.now_ns, [](const std::string&) { return true; }));
    plan.range = where.range();
  }
  return plan;
}

}  // namespace

Status RunSelect(const ExecEnv& env, const SelectStatement& s, StatementResult& out) {
  ZZ_ASSIGN_OR_RETURN(std::string db_name, env.Database(s.sources.front().database));
  std::vector<std::vector<Column>> columns_per_output;
  ZZ_ASSIGN_OR_RETURN(SelectPlan plan, env.index.Read([&](const SeriesIndex::Databases& dbs) -> Result<SelectPlan> {
    auto db = dbs.find(db_name);
    if (db == dbs.end()) return Status::NotFound("database not found: " + db_name);
    return Plan(env, s, db_name, db->second, columns_per_output);
  }));
  if (plan.range.empty()) return Status::Ok();
  if (s.group_by.time) {
    if (!plan.aggregate) return Status::InvalidArgument("GROUP BY requires at least one aggregate function");
    if (!plan.range.has_from) {
      return Status::InvalidArgument("aggregate functions with GROUP BY time require a WHERE time clause with a lower limit");
    }
    if (!plan.range.has_to) plan.range.to_ns = env.run.now_ns;
    int64_t offset = s.group_by.time->offset_now ? env.run.now_ns : s.group_by.time->offset_ns;
    plan.window = WindowSpec{s.group_by.time->interval_ns, offset};
  }
  if (s.descending) {
    // ORDER BY time DESC also lists the series in reverse, as InfluxDB does.
    std::reverse(plan.outputs.begin(), plan.outputs.end());
    std::reverse(columns_per_output.begin(), columns_per_output.end());
  }
  int64_t skipped = 0;
  // The per-output copy leaves the outputs out: copying them for each of N outputs costs N².
  std::vector<OutputSeries> outputs = std::move(plan.outputs);
  plan.outputs.clear();
  for (size_t i = 0; i < outputs.size(); ++i) {
    SelectPlan one = plan;
    one.columns = columns_per_output[i];
    const OutputSeries& output = outputs[i];
    if (!CheckFields(one.columns, output).ok()) continue;
    // Conditions on fields: every read goes through a source that drops the rows they reject.
    std::optional<RowFilterSource> filter;
    if (output.where != nullptr && !output.where->fields().empty()) {
      filter.emplace(env.source, *output.where);
      for (const OutputSeries::Member& m : output.members) {
        std::vector<TagId> tags;
        for (const Input& in : m.inputs) {
          if (in.tag != 0) tags.push_back(in.tag);
        }
        filter->AddSeries(tags, m.tags, m.condition_fields);
      }
      one.filtered = true;
    }
    ExecEnv read_env{env.catalog, env.index, filter ? *filter : env.source, env.options, env.run};
    ResultSeries series{output.measurement, output.group, {"time"}, {}, true};
    if (plan.aggregate) {
      ZZ_ASSIGN_OR_RETURN(series.values, AggregateRows(read_env, s, one, output));
      FillRows(s.fill, one.columns, series.values);
    } else {
      ZZ_ASSIGN_OR_RETURN(series.samples, RawSamples(read_env, one, output));
      if (!series.samples) {
        ZZ_ASSIGN_OR_RETURN(series.values, RawRows(read_env, one, output));
      }
    }
    // Transforms run in output order: over ORDER BY time DESC, difference() is this row minus the next older one.
    if (s.descending) Reverse(series);
    bool transform = false;
    for (Column& c : one.columns) {
      if (c.transform == Transform::kNone) continue;
      transform = true;
      if (c.unit_ns == 0) c.unit_ns = one.window ? one.window->width_ns : int64_t{1'000'000'000};
    }
    // (RawSamples answers no transform: the rows are in `values`.)
    if (transform) series.values = ApplyTransforms(one.columns, std::move(series.values));
    if (RowCount(series) == 0) continue;
    if (skipped++ < s.soffset) continue;
    if (s.slimit > 0 && static_cast<int64_t>(out.series.size()) >= s.slimit) break;
    Page(series, s.limit, s.offset);
    if (RowCount(series) == 0) continue;  // OFFSET past its rows: the series is not listed
    for (const Column& c : one.columns) series.columns.push_back(c.name);
    out.series.push_back(std::move(series));
  }
  return Status::Ok();
}

}  // namespace zhizao::query::influxql::internal
