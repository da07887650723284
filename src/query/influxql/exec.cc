#include "query/influxql_exec.h"

#include <re2/re2.h>

#include "query/influxql/exec_condition.h"
#include "query/influxql/exec_internal.h"

namespace zhizao::query::influxql {
namespace internal {

Result<std::string> ExecEnv::Database(const std::string& named) const {
  if (!named.empty()) return named;
  if (!run.database.empty()) return run.database;
  return Status::InvalidArgument("database name required");
}

Result<std::vector<std::string>> MatchMeasurements(const catalog::SeriesIndex::Database& db,
                                                   const std::string& db_name,
                                                   const std::vector<Measurement>& sources) {
  std::vector<std::string> out;
  if (sources.empty()) {
    for (const auto& [name, series] : db.measurements) out.push_back(name);
    return out;
  }
  for (const Measurement& source : sources) {
    if (!source.database.empty() && source.database != db_name) {
      return Status::InvalidArgument("a statement reads one database: '" + source.database + "' is not '" +
                                     db_name + "'");
    }
    if (source.regex) {
      ZZ_ASSIGN_OR_RETURN(std::shared_ptr<re2::RE2> re, CompileRegex(*source.regex));
      for (const auto& [name, series] : db.measurements) {
        if (Search(*re, name)) out.push_back(name);
      }
    } else if (db.measurements.count(source.name) != 0) {
      out.push_back(source.name);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

ResultValue SampleValue(const storage::SeriesSamples& s, size_t i) {
  switch (s.type) {
    case DataType::kFloat64: return s.f64[i];
    case DataType::kInt64: return s.i64[i];
    case DataType::kBool: return s.i64[i] != 0;
    case DataType::kString: return s.str[i];
  }
  return std::monostate{};
}

}  // namespace internal

Result<std::vector<StatementResult>> Executor::Run(std::string_view text, const RunOptions& options) const {
  ZZ_ASSIGN_OR_RETURN(std::vector<Statement> statements, ParseInfluxQL(text));
  internal::ExecEnv env{catalog_, index_, source_, options_, options};
  std::vector<StatementResult> results(statements.size());
  for (size_t i = 0; i < statements.size(); ++i) {
    StatementResult& result = results[i];
    result.statement_id = static_cast<int>(i);
    Status status;
    if (const auto* select = std::get_if<SelectStatement>(&statements[i])) {
      status = internal::RunSelect(env, *select, result);
    } else {
      status = internal::RunShow(env, statements[i], result);
    }
    if (!status.ok()) {
      // As InfluxDB does, the statements after a failed one do not run (nor are they listed).
      result.series.clear();
      result.error = status.message();
      results.resize(i + 1);
      break;
    }
  }
  return results;
}

}  // namespace zhizao::query::influxql
