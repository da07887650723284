// Runs the InfluxQL fuzzer's body on random and mutated queries so that every compiler's CI
// covers it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fuzz_replay.h"
#include "influxql_fuzz_target.h"

namespace zhizao::query::influxql {
namespace {

// Valid and nearly valid queries to mutate: what Grafana and the influx shell send, and the
// corners of the lexer.
std::vector<std::string> Seeds() {
  return {
      "SELECT mean(\"value\") FROM \"cpu\" WHERE (\"host\" =~ /^a$/) AND time >= now() - 6h and time <= now() "
      "GROUP BY time(10s), \"host\" fill(null) ORDER BY time DESC LIMIT 10",
      "SHOW TAG VALUES FROM \"cpu\" WITH KEY = \"host\" WHERE \"region\" = 'eu'",
      "SELECT last(temperature) FROM plant WHERE device='d00003' AND time > 1700003300s AND time <= 1700003599s",
      "SHOW DATABASES; SHOW MEASUREMENTS ON db WITH MEASUREMENT =~ /c\\/pu/ LIMIT 5 OFFSET 1;",
      "SHOW TAG KEYS ON \"d\" FROM db.rp.m, db../x/ WHERE a != 'b' LIMIT 1; SHOW FIELD KEYS FROM rp.m",
      "SHOW TAG VALUES WITH KEY IN (\"a\", b) ; SHOW SERIES FROM /m/ WHERE x <> 1; SHOW RETENTION POLICIES ON x",
      "CREATE DATABASE \"tele\\\"graf\" WITH DURATION 30d REPLICATION 1 SHARD DURATION 1h NAME rp",
      "select derivative(mean(x), 1s) * -2.5 + percentile(y, 95) / (a - -b) % 3 AS \"d\", *::field, h::tag "
      "from m group by time(1h, -15m), /re/, * fill(-1) slimit 2 soffset 1 tz('Europe/Berlin')",
      "SELECT DISTINCT v, count(distinct(w)), moving_average(max(z), 3), top(a, b, 2) FROM m -- c\n/* d */",
      "SELECT a FROM m WHERE t = true OR f = false AND s = 'it\\'s \\\\ \\n' AND d > 1h30m AND u < 10µs",
      "select * from m where time > '2024-01-01T00:00:00Z' and x = -9223372036854775808 and y = .5",
  };
}

void Feed(const std::string& input) {
  FuzzInfluxQL(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

TEST(InfluxQLFuzzTest, SurvivesMutatedValidQueries) {
  fuzz_replay::Mutated(Seeds(), "()\"'\\/*,.;:=!~<>-+%$ \n0123456789smhdwuµ", 30'000, Feed);
}

TEST(InfluxQLFuzzTest, SurvivesRandomInputs) {
  fuzz_replay::Random("SELECT a,b FROM m WHERE AND OR ()*/+-=~!<>'\"\\;.:1s", 20'000, Feed);
}

TEST(InfluxQLFuzzTest, SurvivesDeepAndLongInputs) {
  Feed("SELECT " + std::string(100'000, '(') + "a FROM m");
  std::string signs = "SELECT ";
  for (int i = 0; i < 50'000; ++i) signs += "-(";
  Feed(signs + "a FROM m");
  std::string chain = "SELECT a";
  for (int i = 0; i < 20'000; ++i) chain += " + a";
  Feed(chain + " FROM m");
  std::string calls = "SELECT ";
  for (int i = 0; i < 10'000; ++i) calls += "f(";
  Feed(calls);
}

}  // namespace
}  // namespace zhizao::query::influxql
