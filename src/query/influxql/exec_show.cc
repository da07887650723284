// SHOW DATABASES | RETENTION POLICIES | MEASUREMENTS | TAG KEYS | TAG VALUES | FIELD KEYS |
// SERIES, and CREATE DATABASE: answered from the SeriesIndex alone.
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <set>

#include "query/influxql/exec_condition.h"
#include "query/influxql/exec_internal.h"

namespace zhizao::query::influxql::internal {
namespace {

using catalog::SeriesIndex;
using Row = std::vector<ResultValue>;

// SHOW's WHERE filters series by their tags only, as InfluxDB's does.
Result<Condition> TagCondition(const std::optional<Expr>& where, const ExecEnv& env) {
  return Condition::Compile(where ? &*where : nullptr, env.run.now_ns, [](const std::string&) { return false; });
}

// Applies OFFSET and LIMIT (0: none) to one result series' rows.
void Page(std::vector<Row>& rows, int64_t limit, int64_t offset) {
  auto skip = static_cast<size_t>(std::min<int64_t>(offset, static_cast<int64_t>(rows.size())));
  rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(skip));
  if (limit > 0 && rows.size() > static_cast<size_t>(limit)) rows.resize(static_cast<size_t>(limit));
}

ResultSeries Series(std::string name, std::vector<std::string> columns, std::vector<Row> rows) {
  return {std::move(name), {}, std::move(columns), std::move(rows), false};
}

// Runs `body(db)` under the index's lock, for the statement's database. A database that does not
// exist is NotFound, or with `missing_is_empty` (SHOW MEASUREMENTS in InfluxDB 1.6) no answer.
template <typename Body>
Status WithDatabase(const ExecEnv& env, const std::string& named, Body&& body, bool missing_is_empty = false) {
  ZZ_ASSIGN_OR_RETURN(std::string name, env.Database(named));
  return env.index.Read([&](const SeriesIndex::Databases& dbs) -> Status {
    auto db = dbs.find(name);
    if (db == dbs.end()) return missing_is_empty ? Status::Ok() : Status::NotFound("database not found: " + name);
    return body(name, db->second);
  });
}

// Calls visit(measurement, series) for every series of the matched measurements that passes.
template <typename Visit>
Status EachSeries(const std::string& db_name, const SeriesIndex::Database& db,
                  const std::vector<Measurement>& sources, const Condition& where, Visit&& visit) {
  ZZ_ASSIGN_OR_RETURN(std::vector<std::string> names, MatchMeasurements(db, db_name, sources));
  for (const std::string& name : names) {
    for (const auto& [key, series] : db.measurements.at(name)) {
      if (where.Matches(series->tags)) visit(name, *series);
    }
  }
  return Status::Ok();
}

Status ShowDatabases(const ExecEnv& env, StatementResult& out) {
  std::vector<Row> rows;
  env.index.Read([&](const SeriesIndex::Databases& dbs) {
    for (const auto& [name, db] : dbs) rows.push_back({name});
  });
  out.series.push_back(Series("databases", {"name"}, std::move(rows)));
  return Status::Ok();
}

Status ShowRetentionPolicies(const ExecEnv& env, const ShowRetentionPoliciesStatement& s, StatementResult& out) {
  return WithDatabase(env, s.database, [&](const std::string&, const SeriesIndex::Database&) {
    // One policy: zhizao keeps history per tag and classification, not per policy.
    out.series.push_back(Series("", {"name", "duration", "shardGroupDuration", "replicaN", "default"},
                                {{std::string("autogen"), std::string("0s"), std::string("168h0m0s"), int64_t{1},
                                  true}}));
    return Status::Ok();
  });
}

Status ShowMeasurements(const ExecEnv& env, const ShowMeasurementsStatement& s, StatementResult& out) {
  ZZ_ASSIGN_OR_RETURN(Condition where, TagCondition(s.condition, env));
  std::shared_ptr<re2::RE2> filter;
  if (s.filter && s.filter->regex) {
    ZZ_ASSIGN_OR_RETURN(filter, CompileRegex(*s.filter->regex));
  }
  return WithDatabase(env, s.database, [&](const std::string&, const SeriesIndex::Database& db) {
    std::vector<Row> rows;
    for (const auto& [name, series] : db.measurements) {
      if (s.filter && (filter ? !Search(*filter, name) : name != s.filter->name)) continue;
      bool any = std::any_of(series.begin(), series.end(), [&](const auto& e) { return where.Matches(e.second->tags); });
      if (any) rows.push_back({name});
    }
    Page(rows, s.limit, s.offset);
    if (!rows.empty()) out.series.push_back(Series("measurements", {"name"}, std::move(rows)));
    return Status::Ok();
  }, /*missing_is_empty=*/true);
}

Status ShowTagKeys(const ExecEnv& env, const ShowTagKeysStatement& s, StatementResult& out) {
  ZZ_ASSIGN_OR_RETURN(Condition where, TagCondition(s.condition, env));
  return WithDatabase(env, s.database, [&](const std::string& db_name, const SeriesIndex::Database& db) {
    std::map<std::string, std::set<std::string>> keys;
    ZZ_RETURN_IF_ERROR(EachSeries(db_name, db, s.sources, where, [&](const std::string& m, const auto& series) {
      for (const auto& [k, v] : series.tags) keys[m].insert(k);
    }));
    for (auto& [m, set] : keys) {
      std::vector<Row> rows;
      for (const std::string& k : set) rows.push_back({k});
      Page(rows, s.limit, s.offset);
      if (!rows.empty()) out.series.push_back(Series(m, {"tagKey"}, std::move(rows)));
    }
    return Status::Ok();
  });
}

Result<std::function<bool(const std::string&)>> KeyTest(const ShowTagValuesStatement& s) {
  switch (s.key_op) {
    case KeyOp::kEq:
    case KeyOp::kIn: {
      std::set<std::string> keys(s.keys.begin(), s.keys.end());
      return std::function<bool(const std::string&)>([keys](const std::string& k) { return keys.count(k) != 0; });
    }
    case KeyOp::kNeq: {
      std::string key = s.keys.empty() ? "" : s.keys.front();
      return std::function<bool(const std::string&)>([key](const std::string& k) { return k != key; });
    }
    case KeyOp::kEqRegex:
    case KeyOp::kNeqRegex: {
      ZZ_ASSIGN_OR_RETURN(std::shared_ptr<re2::RE2> re, CompileRegex(s.key_regex));
      bool negate = s.key_op == KeyOp::kNeqRegex;
      return std::function<bool(const std::string&)>(
          [re, negate](const std::string& k) { return Search(*re, k) != negate; });
    }
  }
  return Status::InvalidArgument("unknown WITH KEY operator");
}

Status ShowTagValues(const ExecEnv& env, const ShowTagValuesStatement& s, StatementResult& out) {
  ZZ_ASSIGN_OR_RETURN(Condition where, TagCondition(s.condition, env));
  ZZ_ASSIGN_OR_RETURN(auto wanted, KeyTest(s));
  return WithDatabase(env, s.database, [&](const std::string& db_name, const SeriesIndex::Database& db) {
    std::map<std::string, std::set<std::pair<std::string, std::string>>> values;
    ZZ_RETURN_IF_ERROR(EachSeries(db_name, db, s.sources, where, [&](const std::string& m, const auto& series) {
      for (const auto& tag : series.tags) {
        if (wanted(tag.first)) values[m].insert(tag);
      }
    }));
    for (auto& [m, set] : values) {
      std::vector<Row> rows;
      for (const auto& [k, v] : set) rows.push_back({k, v});
      Page(rows, s.limit, s.offset);
      if (!rows.empty()) out.series.push_back(Series(m, {"key", "value"}, std::move(rows)));
    }
    return Status::Ok();
  });
}

Status ShowFieldKeys(const ExecEnv& env, const ShowFieldKeysStatement& s, StatementResult& out) {
  return WithDatabase(env, s.database, [&](const std::string& db_name, const SeriesIndex::Database& db) {
    std::map<std::string, std::map<std::string, DataType>> fields;
    Condition all;
    ZZ_RETURN_IF_ERROR(EachSeries(db_name, db, s.sources, all, [&](const std::string& m, const auto& series) {
      for (const auto& f : series.fields) fields[m].try_emplace(f.name, f.type);
    }));
    for (auto& [m, map] : fields) {
      std::vector<Row> rows;
      for (const auto& [name, type] : map) rows.push_back({name, std::string(InfluxTypeName(type))});
      Page(rows, s.limit, s.offset);
      if (!rows.empty()) out.series.push_back(Series(m, {"fieldKey", "fieldType"}, std::move(rows)));
    }
    return Status::Ok();
  });
}

Status ShowSeries(const ExecEnv& env, const ShowSeriesStatement& s, StatementResult& out) {
  ZZ_ASSIGN_OR_RETURN(Condition where, TagCondition(s.condition, env));
  return WithDatabase(env, s.database, [&](const std::string& db_name, const SeriesIndex::Database& db) {
    std::vector<Row> rows;
    ZZ_RETURN_IF_ERROR(EachSeries(db_name, db, s.sources, where,
                                  [&](const std::string&, const auto& series) { rows.push_back({series.key}); }));
    Page(rows, s.limit, s.offset);
    if (!rows.empty()) out.series.push_back(Series("", {"key"}, std::move(rows)));
    return Status::Ok();
  });
}

}  // namespace

Status RunShow(const ExecEnv& env, const Statement& statement, StatementResult& out) {
  return std::visit(
      [&](const auto& s) -> Status {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, ShowDatabasesStatement>) return ShowDatabases(env, out);
        if constexpr (std::is_same_v<S, ShowRetentionPoliciesStatement>) return ShowRetentionPolicies(env, s, out);
        if constexpr (std::is_same_v<S, ShowMeasurementsStatement>) return ShowMeasurements(env, s, out);
        if constexpr (std::is_same_v<S, ShowTagKeysStatement>) return ShowTagKeys(env, s, out);
        if constexpr (std::is_same_v<S, ShowTagValuesStatement>) return ShowTagValues(env, s, out);
        if constexpr (std::is_same_v<S, ShowFieldKeysStatement>) return ShowFieldKeys(env, s, out);
        if constexpr (std::is_same_v<S, ShowSeriesStatement>) return ShowSeries(env, s, out);
        if constexpr (std::is_same_v<S, CreateDatabaseStatement>) return env.index.CreateDatabase(s.name);
        return Status::InvalidArgument("not a SHOW statement");
      },
      statement);
}

}  // namespace zhizao::query::influxql::internal
