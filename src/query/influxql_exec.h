// Runs InfluxQL (influxql.h) against the historian: the engine behind GET/POST /query.
//
// Names resolve through the catalog's SeriesIndex (database, measurement, tag set, field), and
// samples come from a SampleSource through the query module's cursors, so every statement is
// bounded by QueryOptions' limits. Results have InfluxDB 1.x's shape, minus the JSON: the api
// module writes them out (times as RFC 3339 or as epoch numbers, per the request).
//
// What is served, and how it differs from InfluxDB: docs/influxql.md.
//
// Thread-safe: statements of several requests run in parallel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/series_index.h"
#include "common/status.h"
#include "query/query_options.h"
#include "query/sample_source.h"
#include "storage/encoding/series_samples.h"

namespace zhizao::query::influxql {

// One cell of a result row. A "time" column holds int64 nanoseconds (see ResultSeries).
using ResultValue = std::variant<std::monostate, double, int64_t, bool, std::string>;

struct ResultSeries {
  std::string name;                                       // may be empty (SHOW SERIES)
  std::vector<std::pair<std::string, std::string>> tags;  // GROUP BY tags, sorted by key
  std::vector<std::string> columns;
  std::vector<std::vector<ResultValue>> values;  // the rows, unless `samples` holds them
  bool time_first = false;  // column 0 is "time": int64 ns in every row
  // Set instead of `values` for a raw answer of one field of one series: columns are exactly
  // ["time", the field], row i is [samples->ts_ns[i], value i of samples->type's column]
  // (status is empty). The longest answers come this way, without a row of cells per sample.
  std::optional<storage::SeriesSamples> samples;
};

struct StatementResult {
  int statement_id = 0;
  std::vector<ResultSeries> series;
  std::string error;  // empty when the statement succeeded
};

struct RunOptions {
  std::string database;  // ?db=: the default database of statements that name none
  int64_t now_ns = 0;    // the value of now()
};

class Executor {
 public:
  // REQUIRES: everything outlives the executor.
  Executor(catalog::Catalog& catalog, catalog::SeriesIndex& index, const SampleSource& source,
           QueryOptions options)
      : catalog_(catalog), index_(index), source_(source), options_(options) {}

  // Parses `text` and runs its statements in order. A parse error is returned as the Status
  // (InfluxDB answers it with HTTP 400 and a top-level error); an error of one statement is
  // that statement's `error`, and it is the last result: the statements after it do not run,
  // as in InfluxDB.
  Result<std::vector<StatementResult>> Run(std::string_view text, const RunOptions& options) const;

 private:
  catalog::Catalog& catalog_;
  catalog::SeriesIndex& index_;
  const SampleSource& source_;
  QueryOptions options_;
};

}  // namespace zhizao::query::influxql
