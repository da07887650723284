// What the executor's statement runners share.
#pragma once

#include <string>
#include <vector>

#include "catalog/series_index.h"
#include "query/influxql.h"
#include "query/influxql_exec.h"

namespace zhizao::query::influxql::internal {

struct ExecEnv {
  catalog::Catalog& catalog;
  catalog::SeriesIndex& index;
  const SampleSource& source;
  const QueryOptions& options;
  const RunOptions& run;

  // The database a statement names, or the request's. InvalidArgument when neither does.
  Result<std::string> Database(const std::string& named) const;
};

// The measurements of `db` that `sources` name (all of them when `sources` is empty), sorted.
// A source naming another database is refused. REQUIRES: the index's read lock (inside Read).
Result<std::vector<std::string>> MatchMeasurements(const catalog::SeriesIndex::Database& db,
                                                   const std::string& db_name,
                                                   const std::vector<Measurement>& sources);

Status RunShow(const ExecEnv& env, const Statement& statement, StatementResult& out);
Status RunSelect(const ExecEnv& env, const SelectStatement& select, StatementResult& out);

using catalog::InfluxTypeName;

// Sample i of `s` as a result cell.
ResultValue SampleValue(const storage::SeriesSamples& s, size_t i);

}  // namespace zhizao::query::influxql::internal
