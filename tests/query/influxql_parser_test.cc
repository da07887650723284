#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "query/influxql.h"

namespace zhizao::query::influxql {
namespace {

// Parses `text`, which must be exactly one statement of type T.
template <typename T>
T ParseOne(std::string_view text) {
  Result<std::vector<Statement>> parsed = ParseInfluxQL(text);
  if (!parsed.ok()) {
    ADD_FAILURE() << text << "\n  " << parsed.status().message();
    return T{};
  }
  if (parsed->size() != 1 || !std::holds_alternative<T>((*parsed)[0])) {
    ADD_FAILURE() << text << "\n  not exactly one statement of the expected type";
    return T{};
  }
  return std::get<T>(std::move((*parsed)[0]));
}

// The error message for `text`, or "OK".
std::string ErrorOf(std::string_view text) {
  Result<std::vector<Statement>> parsed = ParseInfluxQL(text);
  return parsed.ok() ? "OK" : parsed.status().message();
}

// The statements of `text` printed back, joined by "; ", or the error.
std::string Canonical(std::string_view text) {
  Result<std::vector<Statement>> parsed = ParseInfluxQL(text);
  if (!parsed.ok()) return parsed.status().message();
  std::string out;
  for (const Statement& s : *parsed) out += (out.empty() ? "" : "; ") + ToString(s);
  return out;
}

// The WHERE clause of a SELECT, printed.
std::string Where(std::string_view condition) {
  SelectStatement s = ParseOne<SelectStatement>("SELECT v FROM m WHERE " + std::string(condition));
  return s.condition ? ToString(*s.condition) : "<none>";
}

// The first field of a SELECT.
Field FirstField(std::string_view fields) {
  SelectStatement s = ParseOne<SelectStatement>("SELECT " + std::string(fields) + " FROM m");
  return s.fields.empty() ? Field{} : std::move(s.fields[0]);
}

constexpr int64_t kSec = 1'000'000'000;

TEST(InfluxQLParserTest, ParsesTheGrafanaPanelQuery) {
  SelectStatement s = ParseOne<SelectStatement>(
      "SELECT mean(\"value\") FROM \"cpu\" WHERE (\"host\" =~ /^a$/) AND time >= now() - 6h and time <= now() "
      "GROUP BY time(10s), \"host\" fill(null) ORDER BY time DESC LIMIT 10");
  ASSERT_EQ(s.fields.size(), 1u);
  const auto& call = std::get<Call>(s.fields[0].expr.node);
  EXPECT_EQ(call.name, "mean");
  ASSERT_EQ(call.args.size(), 1u);
  EXPECT_EQ(std::get<VarRef>(call.args[0].node).name, "value");
  ASSERT_EQ(s.sources.size(), 1u);
  EXPECT_EQ(s.sources[0].name, "cpu");
  EXPECT_TRUE(s.sources[0].database.empty() && s.sources[0].retention_policy.empty() && !s.sources[0].regex);
  ASSERT_TRUE(s.condition);
  EXPECT_EQ(ToString(*s.condition), "host =~ /^a$/ AND time >= now() - 6h AND time <= now()");
  // AND groups left to right: ((host =~ re AND time >= ...) AND time <= now()).
  const auto& root = std::get<Binary>(s.condition->node);
  EXPECT_EQ(root.op, BinaryOp::kAnd);
  EXPECT_EQ(std::get<Binary>(root.lhs->node).op, BinaryOp::kAnd);
  const auto& upper = std::get<Binary>(root.rhs->node);
  EXPECT_EQ(upper.op, BinaryOp::kLte);
  EXPECT_EQ(std::get<Call>(upper.rhs->node).name, "now");
  ASSERT_TRUE(s.group_by.time);
  EXPECT_EQ(s.group_by.time->interval_ns, 10 * kSec);
  EXPECT_EQ(s.group_by.time->offset_ns, 0);
  EXPECT_EQ(s.group_by.tags, std::vector<std::string>{"host"});
  EXPECT_EQ(s.fill.mode, FillMode::kNull);
  EXPECT_TRUE(s.descending);
  EXPECT_EQ(s.limit, 10);
  EXPECT_EQ(DefaultColumnName(s.fields[0]), "mean");
}

TEST(InfluxQLParserTest, ParsesGrafanaTimeFilterAsEpochDurations) {
  SelectStatement s = ParseOne<SelectStatement>(
      "SELECT last(temperature) FROM plant WHERE device='d00003' AND time > 1700003300s AND time <= 1700003599s");
  EXPECT_EQ(ToString(*s.condition), "device = 'd00003' AND time > 1700003300s AND time <= 1700003599s");
  const auto& root = std::get<Binary>(s.condition->node);
  const auto& upper = std::get<Binary>(root.rhs->node);
  EXPECT_EQ(std::get<DurationLiteral>(upper.rhs->node).ns, 1'700'003'599 * kSec);
  // Grafana's $timeFilter in milliseconds.
  SelectStatement ms = ParseOne<SelectStatement>(
      "SELECT mean(\"v\") FROM \"m\" WHERE time >= 1700000000000ms and time <= 1700003600000ms GROUP BY time(1m)");
  const auto& lower = std::get<Binary>(std::get<Binary>(ms.condition->node).lhs->node);
  EXPECT_EQ(std::get<DurationLiteral>(lower.rhs->node).ns, 1'700'000'000'000 * 1'000'000);
}

TEST(InfluxQLParserTest, ParsesTheInfluxShellQueries) {
  EXPECT_EQ(Canonical("SHOW DATABASES"), "SHOW DATABASES");
  EXPECT_EQ(Canonical("show databases;"), "SHOW DATABASES");
  EXPECT_EQ(Canonical("CREATE DATABASE mydb"), "CREATE DATABASE mydb");
  EXPECT_EQ(Canonical("select * from cpu limit 10"), "SELECT * FROM cpu LIMIT 10");
  EXPECT_EQ(Canonical("SHOW MEASUREMENTS"), "SHOW MEASUREMENTS");
  EXPECT_EQ(Canonical("SHOW FIELD KEYS"), "SHOW FIELD KEYS");
  EXPECT_EQ(Canonical("SHOW TAG KEYS"), "SHOW TAG KEYS");
  EXPECT_EQ(Canonical("SHOW SERIES"), "SHOW SERIES");
}

TEST(InfluxQLParserTest, ParsesShowMeasurements) {
  ShowMeasurementsStatement s = ParseOne<ShowMeasurementsStatement>(
      "SHOW MEASUREMENTS ON \"plant db\" WITH MEASUREMENT =~ /(?i)cp\\/u/ WHERE \"host\" = 'a' LIMIT 100 OFFSET 5");
  EXPECT_EQ(s.database, "plant db");
  ASSERT_TRUE(s.filter && s.filter->regex);
  EXPECT_EQ(*s.filter->regex, "(?i)cp/u");
  EXPECT_EQ(ToString(*s.condition), "host = 'a'");
  EXPECT_EQ(s.limit, 100);
  EXPECT_EQ(s.offset, 5);
  ShowMeasurementsStatement named = ParseOne<ShowMeasurementsStatement>("SHOW MEASUREMENTS WITH MEASUREMENT = cpu");
  ASSERT_TRUE(named.filter);
  EXPECT_EQ(named.filter->name, "cpu");
  EXPECT_FALSE(named.filter->regex);
  EXPECT_EQ(ErrorOf("SHOW MEASUREMENTS WITH MEASUREMENT !~ /x/"),
            "error parsing query: found !~, expected =, =~ at line 1, char 36");
  EXPECT_EQ(ErrorOf("SHOW MEASUREMENTS WITH MEASUREMENT =~ 'cpu'"),
            "error parsing query: found cpu, expected regex at line 1, char 39");
}

TEST(InfluxQLParserTest, ParsesShowTagKeys) {
  ShowTagKeysStatement s =
      ParseOne<ShowTagKeysStatement>("SHOW TAG KEYS ON db FROM \"cpu\", mem WHERE host = 'a' LIMIT 2 OFFSET 1");
  EXPECT_EQ(s.database, "db");
  ASSERT_EQ(s.sources.size(), 2u);
  EXPECT_EQ(s.sources[0].name, "cpu");
  EXPECT_EQ(s.sources[1].name, "mem");
  EXPECT_EQ(ToString(*s.condition), "host = 'a'");
  EXPECT_EQ(s.limit, 2);
  EXPECT_EQ(s.offset, 1);
  EXPECT_TRUE(ParseOne<ShowTagKeysStatement>("show tag keys").sources.empty());
}

TEST(InfluxQLParserTest, ParsesShowTagValuesWithEveryKeyFilter) {
  ShowTagValuesStatement grafana =
      ParseOne<ShowTagValuesStatement>("SHOW TAG VALUES FROM \"cpu\" WITH KEY = \"host\" WHERE \"region\" = 'eu'");
  ASSERT_EQ(grafana.sources.size(), 1u);
  EXPECT_EQ(grafana.sources[0].name, "cpu");
  EXPECT_EQ(grafana.key_op, KeyOp::kEq);
  EXPECT_EQ(grafana.keys, std::vector<std::string>{"host"});
  EXPECT_EQ(ToString(*grafana.condition), "region = 'eu'");

  ShowTagValuesStatement neq = ParseOne<ShowTagValuesStatement>("SHOW TAG VALUES ON db WITH KEY != host LIMIT 3");
  EXPECT_EQ(neq.database, "db");
  EXPECT_EQ(neq.key_op, KeyOp::kNeq);
  EXPECT_EQ(neq.keys, std::vector<std::string>{"host"});
  EXPECT_EQ(neq.limit, 3);

  ShowTagValuesStatement in = ParseOne<ShowTagValuesStatement>("SHOW TAG VALUES WITH KEY IN (\"host\", region)");
  EXPECT_EQ(in.key_op, KeyOp::kIn);
  EXPECT_EQ(in.keys, (std::vector<std::string>{"host", "region"}));

  ShowTagValuesStatement re = ParseOne<ShowTagValuesStatement>("SHOW TAG VALUES WITH KEY =~ /^h.*/ OFFSET 4");
  EXPECT_EQ(re.key_op, KeyOp::kEqRegex);
  EXPECT_EQ(re.key_regex, "^h.*");
  EXPECT_EQ(re.offset, 4);
  EXPECT_EQ(ParseOne<ShowTagValuesStatement>("SHOW TAG VALUES WITH KEY !~ /x/").key_op, KeyOp::kNeqRegex);

  EXPECT_EQ(ErrorOf("SHOW TAG VALUES FROM cpu"), "error parsing query: found EOF, expected WITH at line 1, char 26");
  EXPECT_EQ(ErrorOf("SHOW TAG VALUES WITH host"), "error parsing query: found host, expected KEY at line 1, char 22");
  EXPECT_EQ(ErrorOf("SHOW TAG VALUES WITH KEY > a"),
            "error parsing query: found >, expected =, !=, =~, !~, IN at line 1, char 26");
  EXPECT_EQ(ErrorOf("SHOW TAG VALUES WITH KEY IN (a"), "error parsing query: found EOF, expected ) at line 1, char 32");
  EXPECT_EQ(ErrorOf("SHOW TAG VALUES WITH KEY = 'host'"),
            "error parsing query: found host, expected identifier at line 1, char 28");
}

TEST(InfluxQLParserTest, ParsesShowFieldKeysSeriesAndRetentionPolicies) {
  ShowFieldKeysStatement fields = ParseOne<ShowFieldKeysStatement>("SHOW FIELD KEYS ON db FROM autogen.cpu");
  EXPECT_EQ(fields.database, "db");
  ASSERT_EQ(fields.sources.size(), 1u);
  EXPECT_EQ(fields.sources[0].retention_policy, "autogen");
  EXPECT_EQ(fields.sources[0].name, "cpu");

  ShowSeriesStatement series =
      ParseOne<ShowSeriesStatement>("SHOW SERIES ON db FROM cpu, /^m/ WHERE host = 'a' LIMIT 1 OFFSET 2");
  ASSERT_EQ(series.sources.size(), 2u);
  EXPECT_EQ(*series.sources[1].regex, "^m");
  EXPECT_EQ(ToString(*series.condition), "host = 'a'");
  EXPECT_EQ(series.limit, 1);
  EXPECT_EQ(series.offset, 2);

  EXPECT_EQ(ParseOne<ShowRetentionPoliciesStatement>("SHOW RETENTION POLICIES on \"telegraf\"").database, "telegraf");
  EXPECT_EQ(ParseOne<ShowRetentionPoliciesStatement>("SHOW RETENTION POLICIES").database, "");
}

TEST(InfluxQLParserTest, ParsesCreateDatabaseWithOptions) {
  CreateDatabaseStatement plain = ParseOne<CreateDatabaseStatement>("CREATE DATABASE \"telegraf\"");
  EXPECT_EQ(plain.name, "telegraf");
  EXPECT_FALSE(plain.duration_ns || plain.replication || plain.shard_duration_ns);
  CreateDatabaseStatement full = ParseOne<CreateDatabaseStatement>(
      "create database mydb with duration 30d replication 1 shard duration 1h name \"rp one\"");
  EXPECT_EQ(full.duration_ns, 30 * 24 * 3600 * kSec);
  EXPECT_EQ(full.replication, 1);
  EXPECT_EQ(full.shard_duration_ns, 3600 * kSec);
  EXPECT_EQ(full.retention_policy_name, "rp one");
  EXPECT_EQ(ParseOne<CreateDatabaseStatement>("CREATE DATABASE d WITH DURATION INF").duration_ns, 0);
  EXPECT_EQ(Canonical("CREATE DATABASE d WITH NAME x"), "CREATE DATABASE d WITH NAME x");
  EXPECT_EQ(ErrorOf("CREATE DATABASE d WITH REPLICATION 0"),
            "error parsing query: invalid value 0: must be 1 <= n <= 2147483647 at line 1, char 36");
}

TEST(InfluxQLParserTest, ReadsEverySourceForm) {
  SelectStatement s = ParseOne<SelectStatement>(
      "SELECT v FROM db.rp.m, db..m, rp.m, /^re\\/x/, db.rp./re/, db../re/, rp./re/, \"my db\".\"the rp\".\"a.b\"");
  ASSERT_EQ(s.sources.size(), 8u);
  const auto check = [](const Measurement& m, std::string db, std::string rp, std::string name, std::string regex) {
    EXPECT_EQ(m.database, db);
    EXPECT_EQ(m.retention_policy, rp);
    EXPECT_EQ(m.name, name);
    EXPECT_EQ(m.regex.value_or("<none>"), regex);
  };
  check(s.sources[0], "db", "rp", "m", "<none>");
  check(s.sources[1], "db", "", "m", "<none>");
  check(s.sources[2], "", "rp", "m", "<none>");
  check(s.sources[3], "", "", "", "^re/x");
  check(s.sources[4], "db", "rp", "", "re");
  check(s.sources[5], "db", "", "", "re");
  check(s.sources[6], "", "rp", "", "re");
  check(s.sources[7], "my db", "the rp", "a.b", "<none>");
  EXPECT_EQ(Canonical("SELECT v FROM db.rp.m, db..m, rp.m, /^re\\/x/, db.rp./re/, db../re/, rp./re/"),
            "SELECT v FROM db.rp.m, db..m, rp.m, /^re\\/x/, db.rp./re/, db../re/, rp./re/");
  EXPECT_EQ(ErrorOf("SELECT v FROM a.b.c.d"), "error parsing query: too many segments in a.b.c.d");
  EXPECT_EQ(ErrorOf("SELECT v FROM (SELECT v FROM m)"),
            "error parsing query: subqueries are not supported at line 1, char 15");
}

TEST(InfluxQLParserTest, ParsesFieldsCastsAndAliases) {
  SelectStatement s = ParseOne<SelectStatement>(
      "SELECT *, *::field, value::field, host::tag, n::integer, \"water level\" AS level, /^temp/ FROM m");
  ASSERT_EQ(s.fields.size(), 7u);
  EXPECT_EQ(std::get<Wildcard>(s.fields[0].expr.node).type, VarType::kUnknown);
  EXPECT_EQ(std::get<Wildcard>(s.fields[1].expr.node).type, VarType::kField);
  EXPECT_EQ(std::get<VarRef>(s.fields[2].expr.node).type, VarType::kField);
  EXPECT_EQ(std::get<VarRef>(s.fields[3].expr.node).type, VarType::kTag);
  EXPECT_EQ(std::get<VarRef>(s.fields[4].expr.node).type, VarType::kInteger);
  EXPECT_EQ(std::get<VarRef>(s.fields[5].expr.node).name, "water level");
  EXPECT_EQ(s.fields[5].alias, "level");
  EXPECT_EQ(std::get<RegexLiteral>(s.fields[6].expr.node).pattern, "^temp");
  EXPECT_EQ(ErrorOf("SELECT *::integer FROM m"),
            "error parsing query: found integer, expected field, tag at line 1, char 11");
  EXPECT_EQ(ErrorOf("SELECT v::foo FROM m"),
            "error parsing query: found foo, expected float, integer, unsigned, string, boolean, field, tag at line 1, "
            "char 11");
  EXPECT_EQ(ErrorOf("SELECT field1 AS"), "error parsing query: found EOF, expected identifier at line 1, char 18");
}

TEST(InfluxQLParserTest, ParsesFunctionCallsGenerically) {
  const Field p = FirstField("PERCENTILE(x, 95)");
  const auto& percentile = std::get<Call>(p.expr.node);
  EXPECT_EQ(percentile.name, "percentile");  // names are lower-cased
  EXPECT_EQ(std::get<IntegerLiteral>(percentile.args[1].node).value, 95);
  EXPECT_EQ(ToString(FirstField("percentile(x, 99.9)").expr), "percentile(x, 99.9)");
  EXPECT_EQ(ToString(FirstField("derivative(mean(x), 1s)").expr), "derivative(mean(x), 1s)");
  EXPECT_EQ(ToString(FirstField("non_negative_derivative(max(x), 10s)").expr), "non_negative_derivative(max(x), 10s)");
  EXPECT_EQ(ToString(FirstField("difference(x)").expr), "difference(x)");
  EXPECT_EQ(ToString(FirstField("difference(last(x))").expr), "difference(last(x))");
  EXPECT_EQ(ToString(FirstField("moving_average(mean(x), 5)").expr), "moving_average(mean(x), 5)");
  EXPECT_EQ(ToString(FirstField("integral(x, 1h)").expr), "integral(x, 1h)");
  EXPECT_EQ(ToString(FirstField("count(distinct(x))").expr), "count(distinct(x))");
  EXPECT_EQ(ToString(FirstField("mean(*)").expr), "mean(*)");
  EXPECT_EQ(ToString(FirstField("max(/^t/)").expr), "max(/^t/)");
  for (const char* f : {"median", "min", "sum", "count", "first", "last", "spread", "stddev", "mode", "distinct"}) {
    EXPECT_EQ(ToString(FirstField(std::string(f) + "(v)").expr), std::string(f) + "(v)");
  }
  // Unknown functions are the executor's to refuse; their arguments are still checked.
  EXPECT_EQ(ToString(FirstField("round(abs(mean(x)) * 2)").expr), "round(abs(mean(x)) * 2)");
  EXPECT_EQ(ErrorOf("SELECT abs(max()) FROM m"),
            "error parsing query: invalid number of arguments for max, expected 1, got 0");
  // SELECT DISTINCT v is distinct(v).
  const Field d = FirstField("DISTINCT v");
  EXPECT_EQ(std::get<Call>(d.expr.node).name, "distinct");
  EXPECT_EQ(ToString(d.expr), "distinct(v)");
  EXPECT_EQ(ToString(FirstField("now()").expr), "now()");
}

TEST(InfluxQLParserTest, ChecksTheArityOfInfluxFunctions) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"count()", "invalid number of arguments for count, expected 1, got 0"},
      {"mean(a, b)", "invalid number of arguments for mean, expected 1, got 2"},
      {"percentile()", "invalid number of arguments for percentile, expected 2, got 0"},
      {"percentile(field1)", "invalid number of arguments for percentile, expected 2, got 1"},
      {"percentile(field1, foo)", "expected float argument in percentile()"},
      {"percentile(max(field1), 75)", "expected field argument in percentile()"},
      {"derivative()", "invalid number of arguments for derivative, expected at least 1 but no more than 2, got 0"},
      {"derivative(mean(value), 1h, 3)",
       "invalid number of arguments for derivative, expected at least 1 but no more than 2, got 3"},
      {"derivative(mean(value), 5)", "second argument to derivative must be a duration"},
      {"non_negative_derivative()",
       "invalid number of arguments for non_negative_derivative, expected at least 1 but no more than 2, got 0"},
      {"derivative(max())", "invalid number of arguments for max, expected 1, got 0"},
      {"derivative(percentile(value))", "invalid number of arguments for percentile, expected 2, got 1"},
      {"difference()", "invalid number of arguments for difference, expected 1, got 0"},
      {"difference('x')", "expected field argument in difference()"},
      {"moving_average()", "invalid number of arguments for moving_average, expected 2, got 0"},
      {"moving_average(value)", "invalid number of arguments for moving_average, expected 2, got 1"},
      {"moving_average(value, 'x')", "second argument for moving_average must be an integer"},
      {"moving_average(value, 1)", "moving_average window must be greater than 1, got 1"},
      {"integral()", "invalid number of arguments for integral, expected at least 1 but no more than 2, got 0"},
      {"top(field1)", "invalid number of arguments for top, expected at least 2, got 1"},
      {"top(field1,foo)", "expected integer as last argument in top(), found foo"},
      {"bottom(field1,5,'server',2)", "only fields or tags are allowed in bottom(), found 5"},
      {"min(max(value))", "expected field argument in min()"},
      {"mean(cpu_total - cpu_idle)", "expected field argument in mean()"},
      {"count(max(value))", "expected field argument in count()"},
      {"distinct()", "distinct function requires at least one argument"},
      {"distinct(field1, field2)", "distinct function can only have one argument"},
      {"count(distinct())", "distinct function requires at least one argument"},
      {"mean(v) + max()", "invalid number of arguments for max, expected 1, got 0"},
  };
  for (const auto& [field, message] : cases) {
    EXPECT_EQ(ErrorOf("SELECT " + field + " FROM myseries"), "error parsing query: " + message) << field;
  }
  EXPECT_EQ(ErrorOf("SELECT top(v, host, 3), bottom(v, 2), sample(v, 2) FROM m"), "OK");
}

TEST(InfluxQLParserTest, RefusesConditionsInTheSelectList) {
  EXPECT_EQ(ErrorOf("SELECT value > 2 FROM cpu"),
            "error parsing query: invalid operator > in SELECT clause at line 1, char 8; operator is intended for "
            "WHERE clause");
  EXPECT_EQ(ErrorOf("SELECT a, s =~ /foo/ FROM cpu"),
            "error parsing query: invalid operator =~ in SELECT clause at line 1, char 11; operator is intended for "
            "WHERE clause");
  EXPECT_EQ(ErrorOf("SELECT mean(a AND b) FROM cpu"),
            "error parsing query: invalid operator AND in SELECT clause at line 1, char 8; operator is intended for "
            "WHERE clause");
}

TEST(InfluxQLParserTest, GivesArithmeticItsPrecedence) {
  const auto tree = [](std::string_view fields) { return ToString(FirstField(fields).expr); };
  EXPECT_EQ(tree("a + b * c"), "a + b * c");
  EXPECT_EQ(tree("(a + b) * c"), "(a + b) * c");
  EXPECT_EQ(tree("a - b - c"), "a - b - c");
  EXPECT_EQ(tree("a - (b - c)"), "a - (b - c)");
  EXPECT_EQ(tree("a / b / c % d"), "a / b / c % d");
  EXPECT_EQ(tree("((a))"), "a");
  EXPECT_EQ(tree("mean(x) * 100 / (max(y) - 1.5)"), "mean(x) * 100 / (max(y) - 1.5)");
  const Field f = FirstField("a + b * c");
  const auto& add = std::get<Binary>(f.expr.node);
  EXPECT_EQ(add.op, BinaryOp::kAdd);
  EXPECT_EQ(std::get<Binary>(add.rhs->node).op, BinaryOp::kMul);
  // Signs fold into literals; before anything else they are -1 * operand.
  EXPECT_EQ(std::get<IntegerLiteral>(FirstField("-5").expr.node).value, -5);
  EXPECT_EQ(std::get<NumberLiteral>(FirstField("-2.5").expr.node).value, -2.5);
  EXPECT_EQ(std::get<NumberLiteral>(FirstField(".5").expr.node).value, 0.5);
  EXPECT_EQ(std::get<IntegerLiteral>(FirstField("+7").expr.node).value, 7);
  EXPECT_EQ(tree("-a"), "-1 * a");
  EXPECT_EQ(tree("-(a + b)"), "-1 * (a + b)");
  EXPECT_EQ(tree("a - -b"), "a - -1 * b");
  EXPECT_EQ(tree("a * -b"), "a * (-1 * b)");
  EXPECT_EQ(tree("a - -1"), "a - -1");
  EXPECT_EQ(ErrorOf("SELECT -'x' FROM m"),
            "error parsing query: found x, expected identifier, number, duration, ( at line 1, char 9");
}

TEST(InfluxQLParserTest, ParsesWhereOperatorsAndOperands) {
  EXPECT_EQ(Where("a = 1 AND b != 2 AND c <> 3 OR d < 4 AND e <= 5 OR f > 6 AND g >= 7"),
            "a = 1 AND b != 2 AND c != 3 OR d < 4 AND e <= 5 OR f > 6 AND g >= 7");
  EXPECT_EQ(Where("(a = 1 OR b = 2) AND c = 3"), "(a = 1 OR b = 2) AND c = 3");
  EXPECT_EQ(Where("host =~ /^a\\/b$/ and host !~ /x/"), "host =~ /^a\\/b$/ AND host !~ /x/");
  EXPECT_EQ(Where("\"on\" = true or off = FALSE"), "\"on\" = true OR off = false");
  EXPECT_EQ(Where("time > now() - 1h"), "time > now() - 1h");
  EXPECT_EQ(Where("time > '2024-01-01T00:00:00Z'"), "time > '2024-01-01T00:00:00Z'");
  EXPECT_EQ(Where("time > 1700000000000ms"), "time > 1700000000s");
  EXPECT_EQ(Where("\"value\" >= -1.5 and x < 9223372036854775807"), "value >= -1.5 AND x < 9223372036854775807");
  EXPECT_EQ(Where("\"host\"::tag = 'a' AND v::field > 2"), "host::tag = 'a' AND v::field > 2");

  SelectStatement s = ParseOne<SelectStatement>("SELECT v FROM m WHERE a = 1 OR b = 2 AND c = 3");
  const auto& root = std::get<Binary>(s.condition->node);
  EXPECT_EQ(root.op, BinaryOp::kOr);  // AND binds tighter
  EXPECT_EQ(std::get<Binary>(root.rhs->node).op, BinaryOp::kAnd);

  SelectStatement r = ParseOne<SelectStatement>("SELECT v FROM m WHERE host =~ /a\\/b\\d/");
  EXPECT_EQ(std::get<RegexLiteral>(std::get<Binary>(r.condition->node).rhs->node).pattern, "a/b\\d");
  // InfluxDB says char 42, the blank before the string; we point at the string.
  EXPECT_EQ(ErrorOf("SELECT field1 from myseries WHERE host =~ 'asd' LIMIT 1"),
            "error parsing query: found asd, expected regex at line 1, char 43");
}

TEST(InfluxQLParserTest, ReadsDurationsInEveryUnit) {
  const std::vector<std::pair<std::string, int64_t>> cases = {
      {"100ns", 100},          {"10u", 10'000},         {"10µ", 10'000},          {"500ms", 500'000'000},
      {"10s", 10 * kSec},      {"1m", 60 * kSec},        {"1h", 3600 * kSec},      {"1d", 86'400 * kSec},
      {"1w", 604'800 * kSec}, {"1h30m", 5400 * kSec},   {"1700000000s", 1'700'000'000 * kSec},
  };
  for (const auto& [text, ns] : cases) {
    const Field f = FirstField(text);
    const auto* d = std::get_if<DurationLiteral>(&f.expr.node);
    ASSERT_NE(d, nullptr) << text;
    EXPECT_EQ(d->ns, ns) << text;
  }
  EXPECT_EQ(std::get<DurationLiteral>(FirstField("-15m").expr.node).ns, -15 * 60 * kSec);
  EXPECT_EQ(ErrorOf("SELECT 5e3 FROM m"), "error parsing query: invalid duration 5e3 at line 1, char 8");
  EXPECT_EQ(ErrorOf("SELECT 10x FROM m"), "error parsing query: invalid duration 10x at line 1, char 8");
  EXPECT_EQ(ErrorOf("SELECT 99999999999w FROM m"),
            "error parsing query: invalid duration 99999999999w at line 1, char 8");
  EXPECT_EQ(ErrorOf("SELECT 10.5h FROM myseries"), "error parsing query: found h, expected FROM at line 1, char 12");
}

TEST(InfluxQLParserTest, ReadsIntegersToTheirLimits) {
  EXPECT_EQ(std::get<IntegerLiteral>(FirstField("-9223372036854775808").expr.node).value, INT64_MIN);
  EXPECT_EQ(std::get<IntegerLiteral>(FirstField("9223372036854775807").expr.node).value, INT64_MAX);
  EXPECT_EQ(ErrorOf("SELECT 9223372036854775808 FROM m"),
            "error parsing query: unable to parse integer at line 1, char 8");
  EXPECT_EQ(ErrorOf("SELECT " + std::string(400, '1') + " FROM myseries"),
            "error parsing query: unable to parse integer at line 1, char 8");
  EXPECT_EQ(ErrorOf("SELECT " + std::string(400, '1') + ".0 FROM m"),
            "error parsing query: unable to parse number at line 1, char 8");
  EXPECT_EQ(ErrorOf("SELECT v FROM m LIMIT 99999999999999999999"),
            "error parsing query: unable to parse integer at line 1, char 23");
}

TEST(InfluxQLParserTest, UnescapesIdentifiersAndStrings) {
  SelectStatement s = ParseOne<SelectStatement>(
      "SELECT \"a \\\"q\\\" b\", \"温度\", \"line\\nnext\" FROM \"we\\\\ird\" "
      "WHERE s = 'it\\'s a \\\\ \\\"x\\\" \\n'");
  EXPECT_EQ(std::get<VarRef>(s.fields[0].expr.node).name, "a \"q\" b");
  EXPECT_EQ(std::get<VarRef>(s.fields[1].expr.node).name, "温度");
  EXPECT_EQ(std::get<VarRef>(s.fields[2].expr.node).name, "line\nnext");
  EXPECT_EQ(s.sources[0].name, "we\\ird");
  const auto& cmp = std::get<Binary>(s.condition->node);
  EXPECT_EQ(std::get<StringLiteral>(cmp.rhs->node).value, "it's a \\ \"x\" \n");
  EXPECT_EQ(ToString(*cmp.rhs), "'it\\'s a \\\\ \"x\" \\n'");
  EXPECT_EQ(ToString(s.fields[0].expr), "\"a \\\"q\\\" b\"");
  // Keywords are case-insensitive and need quotes to be names; time, fill and tz do not.
  EXPECT_EQ(Canonical("sElEcT \"from\", \"KEY\", time, fill, tz FrOm \"select\""),
            "SELECT \"from\", \"KEY\", time, fill, tz FROM \"select\"");
  EXPECT_EQ(ErrorOf("SELECT value FROM key"), "error parsing query: found key, expected identifier at line 1, char 19");
  // Dotted references join, as in InfluxDB.
  EXPECT_EQ(std::get<VarRef>(FirstField("cpu.value").expr.node).name, "cpu.value");
}

TEST(InfluxQLParserTest, ParsesGroupByDimensions) {
  SelectStatement s = ParseOne<SelectStatement>(
      "SELECT mean(v) FROM m WHERE time > now() - 1d GROUP BY host, time(1h, -15m), /^reg/, *");
  ASSERT_TRUE(s.group_by.time);
  EXPECT_EQ(s.group_by.time->interval_ns, 3600 * kSec);
  EXPECT_EQ(s.group_by.time->offset_ns, -15 * 60 * kSec);
  EXPECT_EQ(s.group_by.tags, std::vector<std::string>{"host"});
  EXPECT_EQ(s.group_by.tag_regexes, std::vector<std::string>{"^reg"});
  EXPECT_TRUE(s.group_by.all_tags);
  SelectStatement now = ParseOne<SelectStatement>("SELECT mean(v) FROM m GROUP BY TIME(1h, now())");
  EXPECT_TRUE(now.group_by.time->offset_now);
  EXPECT_TRUE(ParseOne<SelectStatement>("SELECT v FROM m GROUP BY \"host\", region").group_by.tags ==
              (std::vector<std::string>{"host", "region"}));
  const std::string prefix = "SELECT count(value) FROM foo where time > now() and time < now() group by ";
  EXPECT_EQ(ErrorOf(prefix + "time"), "error parsing query: time() is a function and expects at least one argument");
  EXPECT_EQ(ErrorOf(prefix + "'time'"), "error parsing query: only time and tag dimensions allowed");
  EXPECT_EQ(ErrorOf(prefix + "time()"), "error parsing query: time dimension expected 1 or 2 arguments");
  EXPECT_EQ(ErrorOf(prefix + "time(b)"), "error parsing query: time dimension must have duration argument");
  EXPECT_EQ(ErrorOf(prefix + "time(0s)"), "error parsing query: time dimension must have a positive duration");
  EXPECT_EQ(ErrorOf(prefix + "time(1s), time(2s)"), "error parsing query: multiple time dimensions not allowed");
  EXPECT_EQ(ErrorOf(prefix + "time(1s, b)"), "error parsing query: time dimension offset must be duration or now()");
  EXPECT_EQ(ErrorOf("SELECT field1 FROM myseries GROUP"),
            "error parsing query: found EOF, expected BY at line 1, char 35");
}

TEST(InfluxQLParserTest, ParsesEveryFill) {
  const auto fill_of = [](std::string_view clause) {
    return ParseOne<SelectStatement>("SELECT mean(v) FROM m GROUP BY time(1m) " + std::string(clause)).fill;
  };
  EXPECT_EQ(fill_of("fill(null)").mode, FillMode::kNull);
  EXPECT_EQ(fill_of("fill(none)").mode, FillMode::kNone);
  EXPECT_EQ(fill_of("FILL(previous)").mode, FillMode::kPrevious);
  EXPECT_EQ(fill_of("fill(linear)").mode, FillMode::kLinear);
  EXPECT_EQ(fill_of("").mode, FillMode::kNull);
  const Fill zero = fill_of("fill(0)");
  EXPECT_EQ(zero.mode, FillMode::kValue);
  EXPECT_EQ(std::get<int64_t>(zero.value), 0);
  EXPECT_EQ(std::get<int64_t>(fill_of("fill(-1)").value), -1);
  EXPECT_EQ(std::get<double>(fill_of("fill(2.5)").value), 2.5);
  EXPECT_EQ(ErrorOf("SELECT mean(value) FROM cpu FILL + value"), "error parsing query: fill must be a function call");
  EXPECT_EQ(ErrorOf("SELECT mean(value) FROM cpu fill()"),
            "error parsing query: fill requires an argument, e.g.: 0, null, none, previous, linear");
  EXPECT_EQ(ErrorOf("SELECT mean(value) FROM cpu fill('x')"),
            "error parsing query: expected number argument in fill()");
}

TEST(InfluxQLParserTest, ParsesOrderLimitsAndTimezone) {
  SelectStatement s = ParseOne<SelectStatement>(
      "SELECT v FROM m ORDER BY time ASC LIMIT 1 OFFSET 2 SLIMIT 3 SOFFSET 4 tz('Europe/Berlin')");
  EXPECT_FALSE(s.descending);
  EXPECT_EQ(s.limit, 1);
  EXPECT_EQ(s.offset, 2);
  EXPECT_EQ(s.slimit, 3);
  EXPECT_EQ(s.soffset, 4);
  EXPECT_EQ(s.timezone, "Europe/Berlin");
  EXPECT_TRUE(ParseOne<SelectStatement>("SELECT v FROM m ORDER BY DESC").descending);
  EXPECT_TRUE(ParseOne<SelectStatement>("SELECT v FROM m ORDER BY time desc").descending);
  EXPECT_EQ(ErrorOf("SELECT field1 FROM myseries ORDER"),
            "error parsing query: found EOF, expected BY at line 1, char 35");
  EXPECT_EQ(ErrorOf("SELECT field1 FROM myseries ORDER BY"),
            "error parsing query: found EOF, expected identifier, ASC, DESC at line 1, char 38");
  EXPECT_EQ(ErrorOf("SELECT field1 FROM myseries ORDER BY 1"),
            "error parsing query: found 1, expected identifier, ASC, DESC at line 1, char 38");
  EXPECT_EQ(ErrorOf("SELECT field1 FROM myseries ORDER BY time ASC,"),
            "error parsing query: found EOF, expected identifier at line 1, char 47");
  EXPECT_EQ(ErrorOf("SELECT field1 FROM myseries ORDER BY time, field1"),
            "error parsing query: only ORDER BY time supported at this time");
  EXPECT_EQ(ErrorOf("SELECT field1 FROM myseries ORDER BY host"),
            "error parsing query: only ORDER BY time supported at this time");
  EXPECT_EQ(ErrorOf("SELECT field1 FROM myseries LIMIT"),
            "error parsing query: found EOF, expected integer at line 1, char 35");
  EXPECT_EQ(ErrorOf("SELECT field1 FROM myseries LIMIT 10.5"),
            "error parsing query: found 10.5, expected integer at line 1, char 35");
  EXPECT_EQ(ErrorOf("SELECT field1 FROM myseries OFFSET 10.5"),
            "error parsing query: found 10.5, expected integer at line 1, char 36");
  EXPECT_EQ(ErrorOf("SELECT v FROM m tz(Europe)"),
            "error parsing query: found Europe, expected string at line 1, char 20");
  // Clauses come in InfluxDB's order only.
  EXPECT_EQ(ErrorOf("SELECT v FROM m LIMIT 1 WHERE a = 1"),
            "error parsing query: found WHERE, expected ; at line 1, char 25");
}

TEST(InfluxQLParserTest, SplitsStatementsAndSkipsComments) {
  Result<std::vector<Statement>> parsed = ParseInfluxQL(
      "-- leading comment\n;; SHOW DATABASES ;\n/* block\ncomment */ SELECT v /* inline */ FROM m -- trailing\n;  ;");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_TRUE(std::holds_alternative<ShowDatabasesStatement>((*parsed)[0]));
  EXPECT_TRUE(std::holds_alternative<SelectStatement>((*parsed)[1]));
  EXPECT_EQ(Canonical("SELECT a FROM m; SELECT b FROM n"), "SELECT a FROM m; SELECT b FROM n");
  EXPECT_EQ(Canonical("SELECT a\r\nFROM m\r\n"), "SELECT a FROM m");
  for (std::string_view blank : {"", "   ", ";", " ; ;\n", "-- only a comment", "/* only */"}) {
    Result<std::vector<Statement>> none = ParseInfluxQL(blank);
    ASSERT_TRUE(none.ok()) << blank;
    EXPECT_TRUE(none->empty()) << blank;
  }
  EXPECT_EQ(ErrorOf("SELECT * FROM m garbage"), "error parsing query: found garbage, expected ; at line 1, char 17");
  EXPECT_EQ(ErrorOf("SHOW DATABASES SHOW DATABASES"),
            "error parsing query: found SHOW, expected ; at line 1, char 16");
}

TEST(InfluxQLParserTest, ReportsInfluxErrorsWithPositions) {
  const std::string kStatements = "SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL";
  EXPECT_EQ(ErrorOf("selec * from m"),
            "error parsing query: found selec, expected " + kStatements + " at line 1, char 1");
  EXPECT_EQ(ErrorOf("FOO"), "error parsing query: found FOO, expected " + kStatements + " at line 1, char 1");
  EXPECT_EQ(ErrorOf("SELECT"),
            "error parsing query: found EOF, expected identifier, string, number, bool at line 1, char 8");
  EXPECT_EQ(ErrorOf("SELECT field1 X"), "error parsing query: found X, expected FROM at line 1, char 15");
  EXPECT_EQ(ErrorOf("SELECT field1 FROM \"series\" WHERE X +;"),
            "error parsing query: found ;, expected identifier, string, number, bool at line 1, char 38");
  EXPECT_EQ(ErrorOf("SELECT field1 FROM 12"), "error parsing query: found 12, expected identifier at line 1, char 20");
  EXPECT_EQ(ErrorOf("SELECT distinct FROM myseries"),
            "error parsing query: found FROM, expected (, identifier at line 1, char 17");
  EXPECT_EQ(ErrorOf("SELECT mean(x FROM m"), "error parsing query: found FROM, expected ,, ) at line 1, char 15");
  EXPECT_EQ(ErrorOf("SELECT (a FROM m"), "error parsing query: found FROM, expected ) at line 1, char 11");
  EXPECT_EQ(ErrorOf("SELECT a INTO b FROM m"), "error parsing query: SELECT INTO is not supported at line 1, char 10");
  EXPECT_EQ(ErrorOf("SHOW RETENTION"), "error parsing query: found EOF, expected POLICIES at line 1, char 16");
  EXPECT_EQ(ErrorOf("SHOW RETENTION ON"), "error parsing query: found ON, expected POLICIES at line 1, char 16");
  EXPECT_EQ(ErrorOf("SHOW RETENTION POLICIES ON"),
            "error parsing query: found EOF, expected identifier at line 1, char 28");
  EXPECT_EQ(ErrorOf("SHOW FOO"),
            "error parsing query: found FOO, expected CONTINUOUS, DATABASES, DIAGNOSTICS, FIELD, GRANTS, MEASUREMENT, "
            "MEASUREMENTS, QUERIES, RETENTION, SERIES, SHARD, SHARDS, STATS, SUBSCRIPTIONS, TAG, USERS at line 1, "
            "char 6");
  EXPECT_EQ(ErrorOf("SHOW TAG"), "error parsing query: found EOF, expected KEYS at line 1, char 10");
  EXPECT_EQ(ErrorOf("SHOW FIELD"), "error parsing query: found EOF, expected KEYS at line 1, char 12");
  EXPECT_EQ(ErrorOf("CREATE FOO"),
            "error parsing query: found FOO, expected CONTINUOUS, DATABASE, USER, RETENTION, SUBSCRIPTION at line 1, "
            "char 8");
  EXPECT_EQ(ErrorOf("CREATE DATABASE"), "error parsing query: found EOF, expected identifier at line 1, char 17");
  EXPECT_EQ(ErrorOf("CREATE DATABASE \"testdb\" WITH"),
            "error parsing query: found EOF, expected DURATION, NAME, REPLICATION, SHARD at line 1, char 31");
  EXPECT_EQ(ErrorOf("CREATE DATABASE \"testdb\" WITH DURATION"),
            "error parsing query: found EOF, expected duration at line 1, char 40");
  EXPECT_EQ(ErrorOf("CREATE DATABASE \"testdb\" WITH REPLICATION"),
            "error parsing query: found EOF, expected integer at line 1, char 43");
  EXPECT_EQ(ErrorOf("CREATE DATABASE \"testdb\" WITH NAME"),
            "error parsing query: found EOF, expected identifier at line 1, char 36");
  EXPECT_EQ(ErrorOf("CREATE DATABASE \"testdb\" WITH SHARD"),
            "error parsing query: found EOF, expected DURATION at line 1, char 37");
  // Lines and characters count from 1, characters in code points.
  EXPECT_EQ(ErrorOf("SELECT *\nFROM m\nWHERE"),
            "error parsing query: found EOF, expected identifier, string, number, bool at line 3, char 7");
  EXPECT_EQ(ErrorOf("SELECT \"温度\" FROM m X"), "error parsing query: found X, expected ; at line 1, char 20");
}

TEST(InfluxQLParserTest, NamesWhatItDoesNotServe) {
  EXPECT_EQ(ErrorOf("DROP DATABASE x"), "error parsing query: DROP statements are not supported at line 1, char 1");
  EXPECT_EQ(ErrorOf("grant all to bob"), "error parsing query: GRANT statements are not supported at line 1, char 1");
  EXPECT_EQ(ErrorOf("SHOW USERS"), "error parsing query: SHOW USERS is not supported at line 1, char 6");
  EXPECT_EQ(ErrorOf("SHOW SERIES CARDINALITY"),
            "error parsing query: SHOW SERIES CARDINALITY is not supported at line 1, char 13");
  EXPECT_EQ(ErrorOf("CREATE USER bob"), "error parsing query: CREATE USER is not supported at line 1, char 8");
}

TEST(InfluxQLParserTest, ReportsBadTokens) {
  EXPECT_EQ(ErrorOf("SELECT * FROM m WHERE a = 'abc"),
            "error parsing query: found unterminated string at line 1, char 27");
  EXPECT_EQ(ErrorOf("SELECT * FROM m WHERE a = 'ab\ncd'"),
            "error parsing query: found unterminated string at line 1, char 27");
  EXPECT_EQ(ErrorOf("SELECT \"abc FROM m"), "error parsing query: found unterminated identifier at line 1, char 8");
  EXPECT_EQ(ErrorOf("SELECT * FROM m WHERE a = 'a\\qb'"),
            "error parsing query: found invalid escape \\q at line 1, char 29");
  EXPECT_EQ(ErrorOf("SELECT * FROM m WHERE a =~ /abc"),
            "error parsing query: found unterminated regex at line 1, char 28");
  EXPECT_EQ(ErrorOf("SELECT * FROM m /* open"), "error parsing query: found unterminated comment at line 1, char 17");
  EXPECT_EQ(ErrorOf("SELECT a & b FROM m"), "error parsing query: found &, expected FROM at line 1, char 10");
  EXPECT_EQ(ErrorOf("SELECT $x FROM m"),
            "error parsing query: found $, expected identifier, string, number, bool at line 1, char 8");
  EXPECT_EQ(ErrorOf("SELECT a FROM m WHERE b = ✓"),
            "error parsing query: found ✓, expected identifier, string, number, bool at line 1, char 27");
  // A long token is echoed only in part.
  const std::string message = ErrorOf("SELECT a FROM m WHERE b = 1 '" + std::string(10'000, 'x') + "'");
  EXPECT_LT(message.size(), 400u);
  EXPECT_NE(message.find("x..., expected ;"), std::string::npos) << message;
}

TEST(InfluxQLParserTest, CapsNestingAndOperatorDepth) {
  const auto nested = [](int depth) { return std::string(depth, '(') + "a" + std::string(depth, ')'); };
  EXPECT_EQ(ErrorOf("SELECT " + nested(60) + " FROM m"), "OK");
  EXPECT_EQ(ErrorOf("SELECT " + nested(100) + " FROM m"),
            "error parsing query: expression nested more than 64 levels deep at line 1, char 72");
  EXPECT_EQ(ErrorOf("SELECT v FROM m WHERE " + nested(10'000)),
            "error parsing query: expression nested more than 64 levels deep at line 1, char 87");
  std::string calls = "SELECT ";
  for (int i = 0; i < 1000; ++i) calls += "abs(";
  EXPECT_EQ(ErrorOf(calls), "error parsing query: expression nested more than 64 levels deep at line 1, char 264");
  std::string chain = "a";
  for (int i = 0; i < 500; ++i) chain += " OR a = 1";
  EXPECT_EQ(ErrorOf("SELECT v FROM m WHERE " + chain), "OK");
  for (int i = 0; i < 100; ++i) chain += " OR a = 1";
  EXPECT_TRUE(ErrorOf("SELECT v FROM m WHERE " + chain)
                  .starts_with("error parsing query: expression has more than 512 nested operators at line 1, char "));
}

TEST(InfluxQLParserTest, NamesColumnsAsInfluxDB) {
  EXPECT_EQ(DefaultColumnName(FirstField("mean(x)")), "mean");
  EXPECT_EQ(DefaultColumnName(FirstField("percentile(x, 95)")), "percentile");
  EXPECT_EQ(DefaultColumnName(FirstField("derivative(mean(x), 1s)")), "derivative");
  EXPECT_EQ(DefaultColumnName(FirstField("\"water level\"")), "water level");
  EXPECT_EQ(DefaultColumnName(FirstField("mean(x) AS avg")), "avg");
  EXPECT_EQ(DefaultColumnName(FirstField("mean(a) + max(b)")), "mean_max");
  EXPECT_EQ(DefaultColumnName(FirstField("value * 2")), "value");
  EXPECT_EQ(DefaultColumnName(FirstField("(a - b) / c")), "a_b_c");
  EXPECT_EQ(DefaultColumnName(FirstField("*")), "");
  EXPECT_EQ(DefaultColumnName(FirstField("1")), "");
}

TEST(InfluxQLParserTest, PrintsTextThatParsesToTheSameTree) {
  for (std::string_view query : {
           "SELECT mean(\"value\") FROM \"cpu\" WHERE (\"host\" =~ /^a$/) AND time >= now() - 6h GROUP BY time(10s), "
           "\"host\" fill(null) ORDER BY time DESC LIMIT 10",
           "SELECT derivative(mean(x), 1s) * -2.5 + percentile(y, 95) / (a - -b) % 3 AS \"d d\", *::field FROM m "
           "GROUP BY time(1h, -15m), /re/, * fill(-1) LIMIT 1 OFFSET 2 SLIMIT 3 SOFFSET 4 tz('Europe/Berlin')",
           "SELECT a FROM m WHERE (a = 1 OR b = 2) AND NOT_A_KEYWORD > 0.000001 AND s = 'it\\'s' fill(previous)",
           "SHOW TAG VALUES ON \"my db\" FROM db..m, rp./r\\/e/ WITH KEY IN (\"a b\", c) WHERE x != 'y' LIMIT 5",
           "SHOW MEASUREMENTS WITH MEASUREMENT =~ /a/ WHERE t = true OFFSET 3; SHOW FIELD KEYS FROM \"select\"",
           "CREATE DATABASE \"tele\\\"graf\" WITH DURATION 30d REPLICATION 2 SHARD DURATION 90m NAME \"r p\"",
           "SELECT v FROM m WHERE time > 1700000000123ms AND x = -9223372036854775808",
       }) {
    const std::string once = Canonical(query);
    ASSERT_EQ(once.find("error parsing query"), std::string::npos) << query << "\n  " << once;
    EXPECT_EQ(Canonical(once), once) << query;
  }
  EXPECT_EQ(Canonical("select MEAN(x)*2 from M where A=1 and B=2 group by time(90s) fill(0.5)"),
            "SELECT mean(x) * 2 FROM M WHERE A = 1 AND B = 2 GROUP BY time(90s) fill(0.5)");
  EXPECT_EQ(Canonical("SELECT v FROM m WHERE x = 2.50 AND y = 3.0 AND z = 1h0m AND w = 1500ms"),
            "SELECT v FROM m WHERE x = 2.5 AND y = 3.0 AND z = 1h AND w = 1500ms");
}

}  // namespace
}  // namespace zhizao::query::influxql
