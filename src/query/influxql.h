// InfluxQL, the subset of InfluxDB 1.x's query language that the `influx` shell and Grafana's
// InfluxDB data source send, parsed into a plain AST for the executor. Pure: no I/O, no clock;
// `now()` and time strings stay in the tree for the executor to resolve.
//
//   ZZ_ASSIGN_OR_RETURN(std::vector<Statement> statements, ParseInfluxQL(q));
//   for (const Statement& s : statements) {
//     if (const auto* select = std::get_if<SelectStatement>(&s)) ...
//   }
//
// Lexical rules are InfluxDB's: keywords are case-insensitive and cannot be unquoted
// identifiers; identifiers are [A-Za-z_][A-Za-z0-9_]* or "double quoted" (escapes \" \\ \n \');
// strings are 'single quoted' (same escapes); integers, decimals (no exponent), durations
// (ns u µ ms s m h d w, combinable: 1h30m), regexes /.../ (only \/ is unescaped, other
// backslashes stay for the regex engine), comments -- to end of line and /* */.
//
// Function calls are parsed generically (any name, any arguments); the arity and argument kinds
// of InfluxDB's functions (mean ... percentile, derivative, moving_average, top, ...) are checked
// here with InfluxDB's messages, their meaning is the executor's. Not checked here, also as in
// InfluxDB's compile step: field/tag existence, mixing aggregates with raw fields, GROUP BY time
// without an aggregate, whether a regex compiles, whether a tz() name exists.
//
// Thread-safe: every function here is pure.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace zhizao::query::influxql {

struct Expr;

// The `::type` suffix of a reference: `value::field`, `host::tag`, `n::integer`.
enum class VarType : uint8_t { kUnknown, kFloat, kInteger, kUnsigned, kString, kBoolean, kField, kTag };

// A field, tag or `time`. Dotted segments `a.b` join into one name "a.b", as in InfluxDB.
struct VarRef {
  std::string name;
  VarType type = VarType::kUnknown;  // kUnknown when there is no suffix
};

// `*`, `*::field` or `*::tag`: all fields and tags. Valid as a field and as a call argument.
struct Wildcard {
  VarType type = VarType::kUnknown;  // kUnknown, kField or kTag
};

// `mean(value)`, `percentile(x, 95)`, `derivative(mean(x), 1s)`, `now()`. `SELECT DISTINCT x`
// is the call distinct(x).
struct Call {
  std::string name;  // lower case
  std::vector<Expr> args;
};

enum class BinaryOp : uint8_t {
  kAdd, kSub, kMul, kDiv, kMod,                    // arithmetic
  kEq, kNeq, kLt, kLte, kGt, kGte,                 // comparison; `<>` is kNeq
  kEqRegex, kNeqRegex,                             // `=~`, `!~`; the right side is a RegexLiteral
  kAnd, kOr,
};

// A binary operation. Parentheses leave no node: the tree's shape is the grouping. A unary
// minus on anything but a number or duration literal is `-1 * operand`, as in InfluxDB.
struct Binary {
  BinaryOp op = BinaryOp::kAdd;
  std::unique_ptr<Expr> lhs;  // never null
  std::unique_ptr<Expr> rhs;  // never null
};

struct StringLiteral {
  std::string value;  // unescaped; `time > '2024-01-01T00:00:00Z'` stays a string here
};
struct IntegerLiteral {
  int64_t value = 0;
};
struct NumberLiteral {
  double value = 0;  // finite
};
struct BooleanLiteral {
  bool value = false;
};
// `10s`, `-15m`, `1700000000000ms` (an epoch time written as a duration, as Grafana does).
struct DurationLiteral {
  int64_t ns = 0;
};
struct RegexLiteral {
  std::string pattern;  // the text between the slashes with `\/` unescaped; not compiled
};

// An expression node; walk it with std::visit or std::get_if on `node`. Move-only.
struct Expr {
  std::variant<VarRef, Wildcard, Call, Binary, StringLiteral, IntegerLiteral, NumberLiteral, BooleanLiteral,
               DurationLiteral, RegexLiteral>
      node;
};

// One entry of a SELECT list.
struct Field {
  Expr expr;
  std::string alias;  // empty without AS
};

// A FROM source: `cpu`, `autogen.cpu` (rp.m), `db.autogen.cpu`, `db..cpu`, `/^cpu/`, `db.rp./re/`.
struct Measurement {
  std::string database;          // empty: the request's database
  std::string retention_policy;  // empty: the database's default
  std::string name;              // empty when regex is set
  std::optional<std::string> regex;
};

struct TimeDimension {
  int64_t interval_ns = 0;  // > 0
  int64_t offset_ns = 0;    // may be negative; the executor takes it modulo the interval
  bool offset_now = false;  // `time(1h, now())`: align windows to the query's now()
};

struct GroupBy {
  std::optional<TimeDimension> time;
  std::vector<std::string> tags;         // in the order written
  std::vector<std::string> tag_regexes;  // `GROUP BY /^h/`
  bool all_tags = false;                 // `GROUP BY *`
};

enum class FillMode : uint8_t { kNull, kNone, kPrevious, kLinear, kValue };

struct Fill {
  FillMode mode = FillMode::kNull;  // InfluxDB's default
  std::variant<int64_t, double> value = int64_t{0};  // kValue only
};

struct SelectStatement {
  std::vector<Field> fields;  // not empty
  std::vector<Measurement> sources;  // not empty
  std::optional<Expr> condition;
  GroupBy group_by;
  Fill fill;
  bool descending = false;  // ORDER BY time DESC; time is the only order InfluxDB accepts
  // 0: none, as in InfluxDB (LIMIT 0 is no limit).
  int64_t limit = 0;
  int64_t offset = 0;
  int64_t slimit = 0;
  int64_t soffset = 0;
  std::string timezone;  // tz('Europe/Berlin'); empty: UTC
};

struct ShowDatabasesStatement {};

struct ShowRetentionPoliciesStatement {
  std::string database;  // empty: the request's database
};

// `SHOW MEASUREMENTS WITH MEASUREMENT = name` or `=~ /re/`.
struct MeasurementFilter {
  std::string name;                  // set for `=`
  std::optional<std::string> regex;  // set for `=~`
};

struct ShowMeasurementsStatement {
  std::string database;
  std::optional<MeasurementFilter> filter;
  std::optional<Expr> condition;
  int64_t limit = 0;
  int64_t offset = 0;
};

struct ShowTagKeysStatement {
  std::string database;
  std::vector<Measurement> sources;  // empty: all measurements
  std::optional<Expr> condition;
  int64_t limit = 0;
  int64_t offset = 0;
};

enum class KeyOp : uint8_t { kEq, kNeq, kEqRegex, kNeqRegex, kIn };

struct ShowTagValuesStatement {
  std::string database;
  std::vector<Measurement> sources;
  KeyOp key_op = KeyOp::kEq;
  std::vector<std::string> keys;  // one for kEq and kNeq, one or more for kIn
  std::string key_regex;          // kEqRegex and kNeqRegex
  std::optional<Expr> condition;
  int64_t limit = 0;
  int64_t offset = 0;
};

struct ShowFieldKeysStatement {
  std::string database;
  std::vector<Measurement> sources;
  int64_t limit = 0;
  int64_t offset = 0;
};

struct ShowSeriesStatement {
  std::string database;
  std::vector<Measurement> sources;
  std::optional<Expr> condition;
  int64_t limit = 0;
  int64_t offset = 0;
};

// `CREATE DATABASE name [WITH [DURATION d|INF] [REPLICATION n] [SHARD DURATION d] [NAME rp]]`.
struct CreateDatabaseStatement {
  std::string name;
  std::optional<int64_t> duration_ns;        // 0 for INF
  std::optional<int64_t> replication;
  std::optional<int64_t> shard_duration_ns;
  std::string retention_policy_name;         // empty without NAME
};

using Statement = std::variant<SelectStatement, ShowDatabasesStatement, ShowRetentionPoliciesStatement,
                               ShowMeasurementsStatement, ShowTagKeysStatement, ShowTagValuesStatement,
                               ShowFieldKeysStatement, ShowSeriesStatement, CreateDatabaseStatement>;

// Parses `text`: statements separated by `;`; blank statements and a trailing `;` are allowed,
// so blank text is an empty list. Returns InvalidArgument with InfluxDB's message on the first
// error, e.g. "error parsing query: found FOO, expected SELECT, DELETE, SHOW, CREATE, DROP,
// EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1". Statements InfluxDB knows but
// zhizao does not serve (DROP, GRANT, SHOW USERS, ...) fail with "... is not supported".
// Expressions may nest 64 levels (parentheses, calls, signs) and hold 512 operators on one
// path from the root; deeper input fails instead of recursing without bound.
Result<std::vector<Statement>> ParseInfluxQL(std::string_view text);

// InfluxQL text that parses back to the same tree: identifiers quoted when needed, strings
// escaped, parentheses only where precedence needs them, durations in their largest exact unit.
std::string ToString(const Expr& expr);
std::string ToString(const Statement& statement);

// InfluxDB's column name for a field: the alias if any; a call's name (`percentile(x, 95)` is
// "percentile", `derivative(mean(x))` is "derivative"); a reference's name; for arithmetic the
// names of its references and outermost calls joined by '_' (`mean(a) + max(b)` is
// "mean_max"); empty for `*` and literals.
std::string DefaultColumnName(const Field& field);

}  // namespace zhizao::query::influxql
