// SELECT, planned: which columns, which output series (measurement × GROUP BY tags), which
// tags of the catalog feed each column, over which time range.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "query/aggregate.h"
#include "query/influxql/exec_condition.h"
#include "query/influxql/exec_internal.h"

namespace zhizao::query::influxql::internal {

enum class Transform : uint8_t { kNone, kDifference, kDerivative, kNonNegativeDerivative };

struct Column {
  std::string name;  // the output column's name
  std::string ref;   // the field (or, in a raw query, tag) it reads
  std::optional<AggregateSpec> aggregate;  // set in aggregate queries
  Transform transform = Transform::kNone;
  // derivative's unit; 0 until planned: then 1s over raw samples, the GROUP BY interval over windows.
  int64_t unit_ns = 0;
};

// One series of the catalog as a column reads it.
struct Input {
  TagId tag = 0;
  DataType type = DataType::kFloat64;
};

// One output series: a measurement and one value of the GROUP BY tags.
struct OutputSeries {
  std::string measurement;
  std::vector<std::pair<std::string, std::string>> group;  // GROUP BY tags, sorted by key
  // Per catalog series of the group, in series-key order: its tags, and per column its input
  // (tag 0 when the series lacks the field).
  struct Member {
    std::vector<std::pair<std::string, std::string>> tags;
    std::vector<Input> inputs;
    std::vector<TagId> condition_fields;  // per where->fields(); 0 when the series lacks one
  };
  std::vector<Member> members;
  std::shared_ptr<const Condition> where;  // the WHERE clause as this measurement reads it
};

struct SelectPlan {
  std::vector<Column> columns;
  bool aggregate = false;
  TimeRange range;
  std::optional<WindowSpec> window;  // GROUP BY time
  std::vector<OutputSeries> outputs;  // sorted by measurement, then group
  bool filtered = false;  // reads drop the rows the WHERE's field comparisons reject
};

using Row = std::vector<ResultValue>;

// Rows of one output series: [time, columns...]. Empty when it has no data in the range.
Result<std::vector<Row>> AggregateRows(const ExecEnv& env, const SelectStatement& s, const SelectPlan& plan,
                                       const OutputSeries& out);
Result<std::vector<Row>> RawRows(const ExecEnv& env, const SelectPlan& plan, const OutputSeries& out);
// A raw answer of one field of one series (no transform) as its samples: times and the
// field's value column, in time order (see ResultSeries::samples). Nullopt for any other
// answer, which takes RawRows. Empty samples when the range holds none.
Result<std::optional<storage::SeriesSamples>> RawSamples(const ExecEnv& env, const SelectPlan& plan,
                                                         const OutputSeries& out);
// Applies the transform columns (difference, derivative) to rows in output order. Each reads
// its own column's non-null values; with only transform columns, rows where all are null go.
std::vector<Row> ApplyTransforms(const std::vector<Column>& columns, std::vector<Row> rows);

}  // namespace zhizao::query::influxql::internal
